"""The digit pad of chapter 14 in the built site, in headless Chromium (the helpers of test_browser).

The page holds the trained network's parameters and runs its forward pass in JavaScript. The test
rebuilds the network in nnbook from the parameters the page holds and checks that the page gives
``softmax(model.predict(x))`` for every test image (the same class, probabilities within 1e-6),
that a stroke drawn with synthesized mouse and touch events, or from the keyboard, is read, and
that the pad reduces the drawing exactly as :func:`nnbook.widgets.digitpad.pad_features` does.
"""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

import nnbook as nb
from nnbook.widgets import digitpad as dp
from browser_support import PAGE_TIMEOUT, problems_from_events, start_page

PAGE = "book/14-digits.html"
PAD_READY_JS = "Object.keys(window.nnbookDigitPads || {}).length === 1"
PAD = "Object.values(window.nnbookDigitPads)[0]"


def _layers_in_page(html: str) -> list[dict]:
    found = re.findall(r"const layers = (\[.*?\])\.map\(", html)
    assert len(found) == 1, f"expected one digit pad in {PAGE}, found {len(found)}"
    return json.loads(found[0])


def _model_from(layers: list[dict]) -> nb.Sequential:
    parts = []
    for spec in layers:
        if spec["type"] == "relu":
            parts.append(nb.ReLU())
            continue
        W = np.frombuffer(base64.b64decode(spec["W"]), dtype="<f8").reshape(spec["n_out"], spec["n_in"])
        b = np.frombuffer(base64.b64decode(spec["b"]), dtype="<f8")
        parts.append(nb.Linear.from_weights(W, b))
    return nb.Sequential(*parts)


@pytest.fixture(scope="module")
def pad_page(site, browser):
    base, html_dir = site
    url = f"{base}/{PAGE}"
    target, session = start_page(browser, url)
    try:
        assert browser.wait_for_event("Page.loadEventFired", session, PAGE_TIMEOUT), f"{url} did not load"
        assert browser.wait_until(session, PAD_READY_JS, PAGE_TIMEOUT), f"{url}: no digit pad started"
        browser.call("Page.bringToFront", session=session)
        yield browser, session, (html_dir / PAGE).read_text(encoding="utf-8")
        js_errors, failed = problems_from_events(browser.events, session)
        assert not js_errors and not failed, f"{PAGE}: {js_errors + failed}"
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)


def test_the_page_predicts_what_the_model_predicts(pad_page):
    browser, session, html = pad_page
    model = _model_from(_layers_in_page(html))
    _, X_test, _, y_test = nb.datasets.digits(test_size=0.25, rng=0)
    expected = nb.softmax(model.predict(X_test))
    assert np.mean(expected.argmax(axis=1) == y_test) > 0.97, "the pad does not hold the chapter's trained network"
    got = np.array(browser.evaluate(session, f"{json.dumps(X_test.tolist())}.map((x) => {PAD}.predict(x))"))
    assert got.shape == expected.shape == (len(X_test), 10)
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
    print(f"{len(X_test)} test images: the same class for all; largest probability difference "
          f"{np.abs(got - expected).max():.1e}")


def _pad_box(browser, session) -> dict:
    return browser.evaluate(session, """(() => {
        const pad = document.querySelector('.nnbook-digitpad canvas.pad');
        pad.scrollIntoView({block: 'center'});
        const r = pad.getBoundingClientRect();
        return {x: r.left, y: r.top, w: r.width, h: r.height};
    })()""")


def _mouse_stroke(browser, session, points):
    box = _pad_box(browser, session)
    xy = [(box["x"] + u * box["w"], box["y"] + v * box["h"]) for u, v in points]
    send = lambda kind, x, y, buttons: browser.call(  # noqa: E731
        "Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                     "buttons": buttons, "clickCount": 1}, session=session)
    send("mouseMoved", *xy[0], 0)
    send("mousePressed", *xy[0], 1)
    for x, y in xy[1:]:
        send("mouseMoved", x, y, 1)
    send("mouseReleased", *xy[-1], 0)


def _touch_stroke(browser, session, points):
    box = _pad_box(browser, session)
    xy = [(box["x"] + u * box["w"], box["y"] + v * box["h"]) for u, v in points]
    browser.call("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": xy[0][0], "y": xy[0][1]}]},
                 session=session)
    for x, y in xy[1:]:
        browser.call("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]},
                     session=session)
    browser.call("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []}, session=session)


def _line(p, q, n=12):
    return [(p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t) for t in np.linspace(0, 1, n)]


def _shown(browser, session) -> dict:
    browser.pump(0.3)  # the pad redraws on the next animation frame
    return browser.evaluate(session, f"""(() => {{
        const pad = {PAD};
        return {{...pad.read(), strokes: pad.strokes(), features: pad.features(), bitmap: pad.bitmap(),
                 label: document.querySelector('.nnbook-digitpad canvas.seen').getAttribute('aria-label')}};
    }})()""")


def _check_read(shown, model) -> int:
    """What the page shows is the reference reduction of its strokes, read by the model: the digit read."""
    strokes = shown["strokes"]
    np.testing.assert_array_equal(np.array(shown["bitmap"]).reshape(32, 32), dp.rasterize(strokes))
    x = dp.pad_features(strokes)
    np.testing.assert_array_equal(shown["features"], x)
    p = nb.softmax(model.predict(x[None]))[0]
    assert shown["values"] == [f"{v:.3f}" for v in p]
    assert shown["text"] == f"The network reads a {p.argmax()} (probability {p.max():.3f})."
    return int(p.argmax())


def test_a_drawn_stroke_is_read_and_changes_the_prediction(pad_page):
    browser, session, html = pad_page
    model = _model_from(_layers_in_page(html))
    browser.evaluate(session, f"{PAD}.clear()")
    empty = _shown(browser, session)
    assert empty["text"] == "Draw a digit in the box." and set(empty["values"]) == {"-"}
    check = lambda shown: _check_read(shown, model)  # noqa: E731

    # A vertical stroke with a flag: a one.
    _mouse_stroke(browser, session, _line((0.42, 0.3), (0.55, 0.15), 5) + _line((0.55, 0.15), (0.55, 0.85)))
    first = _shown(browser, session)
    assert len(first["strokes"]) == 1 and len(first["strokes"][0]) > 10
    digit_first = check(first)
    assert "inked" in first["label"]
    # A bar across the top, drawn with a finger, makes it another digit.
    browser.call("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1}, session=session)
    try:
        _touch_stroke(browser, session, _line((0.25, 0.15), (0.55, 0.15)))
    finally:
        browser.call("Emulation.setTouchEmulationEnabled", {"enabled": False}, session=session)
    second = _shown(browser, session)
    assert len(second["strokes"]) == 2, "the finger's stroke was not drawn"
    digit_second = check(second)
    assert digit_second != digit_first, f"the second stroke left the prediction at {digit_first}"
    print(f"one stroke read as {digit_first}; with a bar across the top, {digit_second}")
    # The clear button, pressed from the keyboard, empties the pad.
    browser.evaluate(session, "document.querySelector('.nnbook-digitpad button.clear').focus()")
    for kind in ("keyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                "windowsVirtualKeyCode": 13, "text": "\r" if kind == "keyDown" else ""},
                     session=session)
    assert _shown(browser, session)["text"] == "Draw a digit in the box."


# Keys as Input.dispatchKeyEvent sends them: (key, code, virtual key code, text typed).
PAD_KEYS = {"ArrowRight": ("ArrowRight", 39, ""), "ArrowLeft": ("ArrowLeft", 37, ""), "ArrowDown": ("ArrowDown", 40, ""),
            "ArrowUp": ("ArrowUp", 38, ""), " ": ("Space", 32, " "), "Enter": ("Enter", 13, "\r"),
            "Tab": ("Tab", 9, "\t"), "Delete": ("Delete", 46, "")}
SHIFT = 8  # the modifiers bit of Input.dispatchKeyEvent


def _key(browser, session, key: str, modifiers: int = 0) -> None:
    code, vk, text = PAD_KEYS[key]
    down = {"type": "keyDown", "text": text} if text and key != "Tab" else {"type": "rawKeyDown"}
    for event in (down, {"type": "keyUp"}):
        browser.call("Input.dispatchKeyEvent", {**event, "key": key, "code": code, "windowsVirtualKeyCode": vk,
                                                "nativeVirtualKeyCode": vk, "modifiers": modifiers}, session=session)


CURSOR_PIXELS_JS = """(() => {
    // The pad's pixels on the keyboard cursor's ring (radius 11 px about the centre), as 0-255 red levels.
    const pad = document.querySelector('.nnbook-digitpad canvas.pad'), g = pad.getContext('2d');
    return [[139, 128], [117, 128], [128, 139], [128, 117]].map(([x, y]) => g.getImageData(x, y, 1, 1).data[0]);
})()"""


def test_the_pad_is_drawn_on_from_the_keyboard(pad_page):
    browser, session, html = pad_page
    model = _model_from(_layers_in_page(html))
    pad_js = "document.querySelector('.nnbook-digitpad canvas.pad')"
    browser.evaluate(session, f"{PAD}.clear(); {pad_js}.scrollIntoView({{block: 'center'}}); {pad_js}.blur()")
    browser.pump(0.3)
    assert browser.evaluate(session, CURSOR_PIXELS_JS) == [0] * 4, "a cursor is drawn while the pad has no focus"
    browser.evaluate(session, f"{pad_js}.focus()")
    browser.pump(0.3)
    assert browser.evaluate(session, "document.activeElement.matches('.nnbook-digitpad canvas.pad')")
    assert all(v > 150 for v in browser.evaluate(session, CURSOR_PIXELS_JS)), "no cursor shown at the pad's centre"
    scroll = browser.evaluate(session, "window.scrollY")

    # Pen down at the centre, four steps down, pen up: a stroke of exact steps.
    _key(browser, session, " ")
    assert browser.evaluate(session, "document.querySelector('.nnbook-digitpad .pen').textContent") == "Pen down."
    for _ in range(4):
        _key(browser, session, "ArrowDown")
    _key(browser, session, " ")
    assert browser.evaluate(session, "document.querySelector('.nnbook-digitpad .pen').textContent") == "Pen up."
    first = _shown(browser, session)
    step, fine = dp.KEY_STEP, dp.KEY_STEP_FINE
    assert first["strokes"] == [[[0.5, 0.5 + k * step] for k in range(5)]]
    assert first["text"] != "Draw a digit in the box."
    digit_first = _check_read(first, model)
    assert browser.evaluate(session, "window.scrollY") == scroll, "the arrow keys scrolled the page"

    # Pen up, the cursor moves without drawing; Shift makes the finer step; Enter puts the pen down
    # again; the cursor stops a step from the pad's left edge and adds no point there.
    for _ in range(3):
        _key(browser, session, "ArrowUp")
    _key(browser, session, "ArrowRight", SHIFT)
    _key(browser, session, "Enter")
    for _ in range(12):
        _key(browser, session, "ArrowLeft")
    _key(browser, session, "Enter")
    second = _shown(browser, session)
    x0, y = 0.5 + fine, 0.5 + step
    lefts = [x0 - k * step for k in range(int((x0 - step) / step) + 1)] + [step]
    assert second["strokes"] == [first["strokes"][0], [[x, y] for x in lefts]]
    digit_second = _check_read(second, model)
    print(f"drawn from the keyboard: {len(lefts)} points across, read as {digit_first} then {digit_second}")

    # Tab leaves the pad (to the clear button), and the cursor is gone from the canvas.
    _key(browser, session, "Tab")
    browser.pump(0.3)
    assert browser.evaluate(session, "document.activeElement.matches('.nnbook-digitpad button.clear')"), \
        "Tab did not move the focus off the pad"
    assert _shown(browser, session)["strokes"] == second["strokes"]
    # Delete, with the pad focused again, clears it.
    browser.evaluate(session, f"{pad_js}.focus()")
    _key(browser, session, "Delete")
    assert _shown(browser, session)["text"] == "Draw a digit in the box."


def test_the_pad_is_labelled(pad_page):
    browser, session, _ = pad_page
    names = browser.evaluate(session, r"""(() => {
        const root = document.querySelector('.nnbook-digitpad');
        return {pad: root.querySelector('canvas.pad').getAttribute('aria-label'),
                seen: root.querySelector('canvas.seen').getAttribute('aria-label'),
                live: root.querySelector('.readout').getAttribute('aria-live'),
                keys: document.getElementById(root.querySelector('canvas.pad').getAttribute('aria-describedby'))
                      .textContent.replace(/\s+/g, ' ').trim(),
                button: root.querySelector('button.clear').textContent.trim(),
                caption: root.querySelector('table caption').textContent.trim()};
    })()""")
    assert names == {"pad": "Drawing pad: draw one digit here with the mouse, a finger, a pen or the keyboard",
                     "keys": "Keyboard: arrow keys move the pen (with Shift, finer), Space puts it down or lifts it, "
                             "Delete clears.",
                     "seen": names["seen"], "live": "polite", "button": "Clear the pad",
                     "caption": "The network's ten probabilities"}
    assert names["seen"].startswith("Your drawing reduced to 8 by 8 pixels")


def test_the_pad_works_opened_from_disk(built_book, browser):
    url = (built_book / PAGE).as_uri()
    target, session = start_page(browser, url)
    try:
        assert browser.wait_for_event("Page.loadEventFired", session, PAGE_TIMEOUT), f"{url} did not load"
        assert browser.wait_until(session, PAD_READY_JS, PAGE_TIMEOUT), f"{url}: no digit pad started"
        x = nb.datasets.digits(test_size=0.25, rng=0)[1][0]
        p = browser.evaluate(session, f"{PAD}.predict({json.dumps(x.tolist())})")
        model = _model_from(_layers_in_page((built_book / PAGE).read_text(encoding="utf-8")))
        np.testing.assert_allclose(p, nb.softmax(model.predict(x[None]))[0], rtol=0, atol=1e-6)
        js_errors, failed = problems_from_events(browser.events, session)
        assert not js_errors and not failed, f"{PAGE} from disk: {js_errors + failed}"
    finally:
        browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
        browser.close_page(target)
