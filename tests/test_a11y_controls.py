"""What a keyboard and a screen reader need from the built site, checked in Chromium.

Every group of toggle buttons says which button is pressed (``aria-pressed``) and has a name;
every widget's result is in a live region (``aria-live``), so a change is announced; no formula
is a tab stop (MathJax's menu would make each one); no picture's text alternative is a file name;
every control of a widget shows a focus ring of at least 2 px at 3:1 contrast; the Play button is
named after what it shows; chapter 9's wide graph keeps its size and scrolls in its own box; and a
slider's readout cannot be typed into: what the slider announces is always one of its values.

All but the last are read from the session's one visit of every page of every edition
(``page_visits`` in tests/conftest.py; the checks run in the page are in tests/browser_support.py:
``TOGGLES_JS``, ``LIVE_RESULTS_JS``, ``FOCUS_JS``, ``PLAY_NAME_JS``, ``TAB_STOPS_JS``,
``GRAPH_SCALE_JS``, :func:`browser_support.work_widgets`).
"""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser

import pytest

from browser_support import DESKTOP, EDITIONS, PHONE, edition_of

PAGE_TIMEOUT = 90.0

BY_EDITION = pytest.mark.parametrize("edition", EDITIONS, ids=[e or "en" for e in EDITIONS])

# Whether the page has settled: loaded, MathJax done, every widget drawn.
SETTLED_JS = r"""
(() => {
  if (document.readyState !== 'complete') return false;
  const mj = window.MathJax;
  if (document.querySelector('.math') && !(mj && mj.startup && mj.startup.document &&
      document.querySelectorAll('mjx-container').length > 0)) return false;
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  const drawn = Array.from(document.querySelectorAll('.widget-subarea')).filter(a => a.querySelector('.jupyter-widgets')).length;
  return views === 0 || drawn >= views;
})()
"""


class _Page:
    """One tab of the session's Chromium on ``url``, settled, in front (so that it paints)."""

    def __init__(self, browser, url: str, width: int = 1280):
        self.browser = browser
        self.target, self.session = browser.open_page()
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
                     session=self.session)
        browser.call("Page.bringToFront", session=self.session)
        browser.call("Page.navigate", {"url": url}, session=self.session)
        assert browser.wait_until(self.session, SETTLED_JS, PAGE_TIMEOUT), f"{url} did not settle"
        browser.pump(0.5)  # the page's scripts label the controls on the next frame

    def js(self, expression: str):
        return self.browser.evaluate(self.session, expression)

    def key(self, text: str) -> None:
        self.browser.call("Input.insertText", {"text": text}, session=self.session)

    def close(self) -> None:
        self.browser.close_page(self.target)


def _in(edition: str, page_visits) -> dict:
    """{page: Visit} of one edition."""
    return {page: seen for page, seen in page_visits.items() if edition_of(page) == edition}


@pytest.fixture(scope="module")
def worked(page_visits):
    """{edition: {page: WidgetVisit}}: the widget pages of each edition, their widgets at work."""
    found = {edition: {page: seen.widgets for page, seen in _in(edition, page_visits).items() if seen.widgets}
             for edition in EDITIONS}
    for edition, pages in found.items():
        assert pages, f"no page of the {edition or 'English'} edition holds a widget"
    return found


# ----------------------------------------------------------------------------- toggles, live results

@BY_EDITION
def test_every_toggle_exposes_its_state_and_every_result_is_announced(worked, edition):
    pages = worked[edition]
    problems, n_toggles, n_changed, clicked = {}, 0, 0, 0
    for page, w in pages.items():
        n_toggles += w.toggles["n"]
        issues = list(w.toggles["problems"])
        if w.clicked is not None:  # the state follows a click
            clicked += 1
            issues += [f"after a click on {w.clicked!r}: {p}" for p in w.toggles_after]
        n_changed += w.live["n"]
        issues += w.live["problems"]
        if issues:
            problems[page] = issues
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    assert n_toggles > 0 and clicked > 0 and n_changed >= len(pages) - 1, (n_toggles, clicked, n_changed)


# ----------------------------------------------------------------------------- the Play button

@BY_EDITION
def test_the_play_button_is_named_after_what_it_shows(worked, edition):
    seen = 0
    for page, w in worked[edition].items():
        if w.play is None:
            continue
        seen += 1
        assert w.play == [{"name": "play", "shows": "play"}, {"name": "pause", "shows": "pause"},
                          {"name": "play", "shows": "play"}], (page, "as loaded, playing, paused", w.play)
    assert seen > 0, "no widget page has a Play control"


# ----------------------------------------------------------------------------- keyboard: tab stops, focus

@BY_EDITION
def test_no_formula_is_a_tab_stop(page_visits, edition):
    counts = {page: seen.keyboard for page, seen in _in(edition, page_visits).items()}
    offenders = {page: found for page, found in counts.items() if found["formulas"]}
    assert not offenders, f"formulas in the tab order: {offenders}"
    chapter1 = next(v for k, v in counts.items() if k.endswith("book/01-neuron.html"))
    assert chapter1["formulasShown"] > 50, chapter1   # the check ran on a page full of formulas
    print(f"chapter 1: {chapter1['stops']} tab stops, {chapter1['formulasShown']} formulas, none of them a stop")


@BY_EDITION
def test_every_control_shows_a_visible_focus_ring(worked, edition):
    pages = worked[edition]
    problems = {page: w.focus["problems"] for page, w in pages.items() if w.focus["problems"]}
    n = sum(w.focus["n"] for w in pages.values())
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    assert n >= len(pages), n


# ----------------------------------------------------------------------------- slider readouts

READOUT_JS = r"""
(() => {
  const box = document.querySelector('.widget-subarea .widget-slider');
  const readout = box.querySelector('.widget-readout');
  const handle = box.querySelector('.noUi-handle');
  return {text: readout.textContent.trim(), editable: readout.isContentEditable,
          announced: handle.getAttribute('aria-valuetext'), index: handle.getAttribute('aria-valuenow')};
})()
"""


def test_typing_in_a_slider_readout_cannot_desync_the_slider(browser, site):
    from book_support import widget_pages

    base, html_dir = site
    pages = widget_pages(html_dir)
    assert pages, "no page of the book holds a widget"
    tab = _Page(browser, f"{base}/{pages[0]}")
    try:
        before = tab.js(READOUT_JS)
        assert not before["editable"] and before["announced"] == before["text"], before
        # Click into the readout and type: nothing changes, and the slider announces its own value.
        box = tab.js("(() => { const r = document.querySelector('.widget-subarea .widget-slider .widget-readout');"
                     " r.scrollIntoView({block: 'center'}); const b = r.getBoundingClientRect();"
                     " return {x: b.left + b.width / 2, y: b.top + b.height / 2}; })()")
        for kind in ("mousePressed", "mouseReleased"):
            tab.browser.call("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"],
                                                          "button": "left", "clickCount": 1}, session=tab.session)
        tab.key("abc")
        tab.js("document.activeElement && document.activeElement.blur()")
        tab.browser.pump(0.3)
        after = tab.js(READOUT_JS)
        assert after == before, (before, after)
        # Moving the slider moves the readout, and the announced value with it.
        tab.js("document.querySelector('.widget-subarea .widget-slider .noUi-handle').focus()")
        tab.browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "ArrowRight", "code": "ArrowRight",
                                                     "windowsVirtualKeyCode": 39}, session=tab.session)
        tab.browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "ArrowRight", "code": "ArrowRight",
                                                     "windowsVirtualKeyCode": 39}, session=tab.session)
        deadline = time.monotonic() + 10
        moved = tab.js(READOUT_JS)
        while moved["index"] == before["index"] and time.monotonic() < deadline:
            tab.browser.pump(0.2)
            moved = tab.js(READOUT_JS)
        assert moved["index"] != before["index"], (before, moved)
        assert moved["announced"] == moved["text"] != before["text"], (before, moved)
    finally:
        tab.close()


# ----------------------------------------------------------------------------- text alternatives

class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            a = dict(attrs)
            self.alts.append(((a.get("src") or "")[:80], a.get("alt")))


_FILE_NAME = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|gif|svg|webp)$|_images/", re.IGNORECASE)


def _images(text: str) -> list[tuple[str, str]]:
    """(src, alt) of every image of a page, the widgets' pictures (in the widget state) included."""
    parser = _Images()
    parser.feed(text)
    for state in re.findall(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', text, re.S):
        for model in json.loads(state)["state"].values():
            value = model.get("state", {}).get("value")
            if isinstance(value, str) and "<img" in value:
                parser.feed(value)
    return parser.alts


def test_no_image_alt_text_is_a_file_name(site):
    _, html_dir = site
    problems, n = {}, 0
    for page in sorted(html_dir.glob("**/*.html")):
        if "_static" in page.parts:
            continue
        images = _images(page.read_text(encoding="utf-8"))
        n += len(images)
        # alt="" marks a decorative image; a missing alt or a file name says nothing.
        bad = [f"{src}…: alt={alt!r}" for src, alt in images if alt is None or _FILE_NAME.search(alt.strip())]
        if bad:
            problems[str(page.relative_to(html_dir))] = bad
    assert not problems, (f"{sum(map(len, problems.values()))} images without a text alternative that says "
                          "what they show:\n" + json.dumps(problems, indent=1, ensure_ascii=False))
    assert n > 100, n


# ----------------------------------------------------------------------------- the wide graph of chapter 9

@BY_EDITION
@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_computation_graph_keeps_its_size_on_every_screen(page_visits, edition, width):
    # Drawn at 110 dpi with 8 pt labels (nnbook.widgets.graphs), shown unscaled its labels are
    # 8 × 110 / 72 ≈ 12 px high; the box scrolls sideways instead of the page.
    from nnbook.widgets.graphs import GRAPH_DPI

    page = f"{edition}/book/09-computation-graphs.html" if edition else "book/09-computation-graphs.html"
    shown = page_visits[page].graphs[width]
    assert shown, f"{page}: the computation-graph widget shows no figure"
    for img in shown:
        assert abs(img["scale"] - 1) < 0.01, img
        assert img["box"] <= img["column"] + 1 and img["page"] <= img["window"], img
    assert 8 * GRAPH_DPI / 72 >= 11
