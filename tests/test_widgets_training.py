import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets.training import (EPOCH_VALUES, HIDDEN_VALUES, DATASETS, final_accuracy, make_data, train_playground_model,
                                     training_playground, training_snapshots, xor_cloud)

pytest.importorskip("ipywidgets")


def test_make_data_shapes_and_classes():
    for name, k in (("moons", 2), ("spiral", 3), ("xor", 2)):
        X, y = make_data(name, rng=0)
        assert X.shape[1] == 2 and X.shape[0] == y.shape[0]
        assert set(np.unique(y)) == set(range(k))
    with pytest.raises(ValueError, match="unknown data set"):
        make_data("circles")


def test_xor_cloud_labels_are_xor_of_the_nearest_corner():
    X, y = xor_cloud(400, noise=0.05, rng=3)
    corner = np.round(X).clip(0, 1)
    np.testing.assert_array_equal(y, (corner[:, 0] != corner[:, 1]).astype(int))


def test_train_playground_model_matches_fit_by_hand():
    model, X, y, history = train_playground_model("moons", hidden=5, lr=0.3, epochs=20, activation="tanh", rng=4)
    ref = nb.MLP([2, 5, 2], activation="tanh", output_activation="identity", init="xavier", rng=4)
    h = ref.fit(X, y, loss=nb.SoftmaxCrossEntropyLoss(), optimizer=nb.SGD(0.3), epochs=20, progress=False)
    np.testing.assert_allclose(history.loss, h.loss)
    np.testing.assert_allclose(model.params["W1"], ref.params["W1"])
    assert len(history.loss) == 20


def test_train_playground_model_rejects_bad_values():
    with pytest.raises(ValueError, match="hidden"):
        train_playground_model(hidden=0)
    with pytest.raises(ValueError, match="epochs"):
        train_playground_model(epochs=10**6)
    with pytest.raises(ValueError, match="activation"):
        train_playground_model(activation="softplus")
    with pytest.raises(ValueError, match="lr"):
        train_playground_model(lr=-1.0)


def test_snapshots_are_one_run_cut_at_the_chosen_epochs():
    X, y, snaps = training_snapshots("moons", 4, (0, 5, 20), rng=2)
    model, X_ref, y_ref, history = train_playground_model("moons", 4, 0.5, 20, "tanh", rng=2)
    np.testing.assert_array_equal(X, X_ref)
    assert [len(losses) for _, losses in snaps] == [0, 5, 20]
    np.testing.assert_allclose(snaps[-1][1], history.loss)
    np.testing.assert_allclose(snaps[-1][0].predict(X), model.predict(X))
    np.testing.assert_allclose(snaps[1][1], history.loss[:5])
    untrained = nb.MLP([2, 4, 2], activation="tanh", output_activation="identity", init="xavier", rng=2)
    np.testing.assert_allclose(snaps[0][0].predict(X), untrained.predict(X))
    with pytest.raises(ValueError, match="increasing"):
        training_snapshots("moons", 4, (10, 5))


@pytest.fixture(scope="module")
def playground():
    return training_playground(dataset="moons", hidden=8, epochs=0)


def test_widget_states_follow_the_controls(playground):
    c, view = playground.controls, playground.view
    assert set(c) == {"dataset", "hidden", "epochs", "play"}
    assert len(view.states) == len(DATASETS) * len(HIDDEN_VALUES) * len(EPOCH_VALUES)
    assert len(set(view.states.values())) == len(view.states)     # every state differs
    assert "epoch 0 (the random start)" in view.current()
    c["dataset"].value = "spiral"
    c["hidden"].value = 32
    c["epochs"].index = len(EPOCH_VALUES) - 1
    X, y, snaps = training_snapshots("spiral", 32, EPOCH_VALUES, rng=0)
    model, losses = snaps[-1]
    shown = view.current()
    assert "spiral: MLP([2, 32, 3])" in shown and f"<b>{losses[-1]:.4f}</b>" in shown
    assert f"<b>{final_accuracy(model, X, y):.1%}</b>" in shown
    assert 'alt="Decision regions of a 32-hidden-unit network on the spiral data after 1000 epochs' in shown
    assert losses[-1] < 0.5 * losses[0]
    c["epochs"].index = 0                                         # back to the start
    assert "epoch 0" in view.current()
    # Before training the loss plot is not empty: it shows the start, the first loss of the run.
    start = training_snapshots("spiral", 32, (0, 1), rng=0)[2][1][1][0]
    assert f"loss <b>{start:.4f}</b>" in view.current()
    assert f"the loss at the start, {start:.3f}, as one point" in view.current()


def test_more_hidden_units_fit_the_spiral_better():
    # What the chapter invites the reader to see: 2 hidden units cannot follow the arms, 32 can.
    acc = {}
    for h in (2, 32):
        X, y, snaps = training_snapshots("spiral", h, (EPOCH_VALUES[-1],), rng=0)
        acc[h] = final_accuracy(snaps[-1][0], X, y)
    assert acc[2] < 0.8 < 0.95 < acc[32]


def test_widget_rejects_bad_arguments():
    with pytest.raises(ValueError, match="data set"):
        training_playground(dataset="circles")
    with pytest.raises(ValueError, match="hidden among"):
        training_playground(hidden=5)
    with pytest.raises(ValueError, match="epochs among"):
        training_playground(epochs=50)
