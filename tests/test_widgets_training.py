import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets.training import final_accuracy, make_data, train_playground_model, training_playground, xor_cloud

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


def test_widget_trains_on_button_and_shows_the_result():
    box = training_playground(dataset="xor", hidden=8, lr=0.5, epochs=100, seed=1)
    model, X, y, history = box.result
    assert "xor" in box.readout.value
    assert f"{history.loss[-1]:.4f}" in box.readout.value
    assert f"{final_accuracy(model, X, y):.1%}" in box.readout.value
    first = box.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    # Changing a control does not train; the button does.
    box.controls["dataset"].value = "spiral"
    assert box.result[0] is model
    box.button.click()
    model2, X2, y2, h2 = box.result
    assert model2.params["W2"].shape == (3, 8)
    assert "spiral" in box.readout.value and f"{h2.loss[-1]:.4f}" in box.readout.value
    assert box.image.value != first
    ref = train_playground_model("spiral", 8, 0.5, 100, "tanh", rng=1)[3]
    np.testing.assert_allclose(h2.loss, ref.loss)


def test_widget_training_improves_the_loss_and_is_fast():
    import time

    box = training_playground(dataset="moons", epochs=10)
    box.controls["epochs"].value = 400
    start = time.perf_counter()
    box.train()
    elapsed = time.perf_counter() - start
    h = box.result[3]
    assert h.loss[-1] < 0.5 * h.loss[0]
    assert elapsed < 10  # about a second on an idle machine; generous for loaded CI


def test_widget_reports_divergence_instead_of_raising():
    box = training_playground(dataset="moons", epochs=10)
    box.controls["activation"].value = "relu"
    box.controls["lr"].value = 10.0
    box.controls["hidden"].value = 64
    box.controls["epochs"].value = 2000
    box.train()  # must not raise whatever happens
    assert box.readout.value


def test_widget_rejects_bad_arguments():
    with pytest.raises(ValueError, match="data set"):
        training_playground(dataset="circles")
    with pytest.raises(ValueError, match="activation"):
        training_playground(activation="step")
    with pytest.raises(ValueError, match="lr"):
        training_playground(lr=100.0)
