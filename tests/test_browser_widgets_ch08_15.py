"""Spot checks of chapters 8–15's widgets on the built site, in headless Chromium.

Controls are set from the keyboard and the mouse as a reader would (the helpers of
``test_browser``), and what the page then shows is compared with the library's value for the
same inputs: no kernel runs, so the page shows a state computed at build time.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnbook as nb
from browser_support import (CONTROLS_JS, click, control_named, focus, open_settled, problems_from_events,
                          set_slider, shown_numbers)


@pytest.fixture
def page(site, browser):
    """Open a chapter page with ``page(name)``; returns (session, controls). Closed afterwards."""
    base, _ = site
    opened = []

    def open_page(name: str):
        target, session = open_settled(browser, f"{base}/book/{name}.html")
        opened.append((target, session))
        return session, browser.evaluate(session, CONTROLS_JS)

    yield open_page
    for target, session in opened:
        problems = sum(problems_from_events(browser.events, session), [])
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)
        assert not problems, problems


def _click_control(browser, session, control):
    where = focus(browser, session, control["id"])
    click(browser, session, where["x"], where["y"])
    browser.pump(0.3)


def _readout(browser, session, area: int) -> str:
    browser.pump(0.3)
    return browser.evaluate(session, f"""Array.from(document.querySelectorAll('.widget-subarea')[{area}]
        .querySelectorAll('.nnbook-readout')).filter(e => e.offsetParent !== null).map(e => e.textContent).join(' ')""")


def test_backprop_stepper_shows_the_layers_gradient(page, browser):
    from nnbook.widgets.backprop import backprop_steps

    session, controls = page("10-backpropagation")
    _click_control(browser, session, control_named(controls, "toggle", "input (x1, x2): (1, 2)"))
    k = next(i for i, s in enumerate(backprop_steps((1.0, 2.0))) if s["target"] == "w1")
    step = control_named(controls, "slider", "step")
    set_slider(browser, session, step, str(k))
    # ∂L/∂w1 of seed 002's network at x = (1, 2), every weight 1, from nnbook's layers.
    model = nb.Sequential(nb.Linear.from_weights(np.ones((2, 2)), 0.0), nb.Sigmoid(),
                          nb.Linear.from_weights(np.ones((1, 2)), 0.0), nb.Sigmoid())
    loss = nb.SquaredErrorLoss()
    loss.forward(model.forward(np.array([[1.0, 2.0]])), np.array([[1.0]]))
    model.backward(loss.backward())
    dW1 = model.layers[0].grads["W"][0, 0]
    local, grad = shown_numbers(browser, session, step["area"])
    assert local == 1.0                                    # ∂z_h1/∂w1 = x1
    np.testing.assert_allclose(grad, dW1, atol=5e-5)


def test_softmax_explorer_shows_the_loss(page, browser):
    session, controls = page("13-softmax")
    z0 = control_named(controls, "slider", "logit z0")
    set_slider(browser, session, z0, "5")
    _click_control(browser, session, control_named(controls, "toggle", "true class: 2"))
    z = np.array([5.0, 1.0, 0.1])
    loss = nb.SoftmaxCrossEntropyLoss()
    value = loss.forward(z, 2)
    grad = loss.backward()
    text = _readout(browser, session, z0["area"])
    assert f"cross-entropy L = −log p[true] = {value:.4f}" in text
    assert "∂L/∂z = p − t = [" + ", ".join(f"{g:.4f}" for g in grad) + "]" in text


def test_training_playground_shows_the_trained_network(page, browser):
    from nnbook.widgets.training import EPOCH_VALUES, final_accuracy, training_snapshots

    session, controls = page("11-training")
    _click_control(browser, session, control_named(controls, "toggle", "data set: spiral"))
    _click_control(browser, session, control_named(controls, "toggle", "hidden units: 32"))
    epochs = control_named(controls, "slider", "epochs")
    set_slider(browser, session, epochs, str(EPOCH_VALUES[-1]))
    X, y, snaps = training_snapshots("spiral", 32, EPOCH_VALUES, rng=0)
    model, losses = snaps[-1]
    text = _readout(browser, session, epochs["area"])
    assert f"→ {losses[-1]:.4f}" in text and f"training accuracy {final_accuracy(model, X, y):.1%}" in text
