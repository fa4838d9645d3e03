"""What a keyboard and a screen reader need from the built site, checked in Chromium.

Every group of toggle buttons says which button is pressed (``aria-pressed``) and has a name;
every widget's result is in a live region (``aria-live``), so a change is announced; no formula
is a tab stop (MathJax's menu would make each one); no picture's text alternative is a file name;
every control of a widget shows a focus ring of at least 2 px at 3:1 contrast; and a slider's
readout cannot be typed into: what the slider announces is always one of its values.

The checks read the session's build (the fixtures ``site`` and ``browser`` of tests/conftest.py).
"""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

PAGE_TIMEOUT = 90.0

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


def _widget_pages(html_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(html_dir)) for p in html_dir.glob("book/*.html")
                  if "application/vnd.jupyter.widget-view+json" in p.read_text(encoding="utf-8"))


def _chapters(html_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(html_dir)) for p in html_dir.glob("book/[0-9][0-9]-*.html"))


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


@pytest.fixture(scope="module")
def widget_pages(site):
    base, html_dir = site
    pages = _widget_pages(html_dir)
    assert pages, "no page of the book holds a widget"
    return base, pages


# ----------------------------------------------------------------------------- toggles, live results

TOGGLES_JS = r"""
(() => {
  const problems = [];
  let n = 0;
  document.querySelectorAll('.widget-subarea .widget-toggle-buttons').forEach(box => {
    const buttons = Array.from(box.querySelectorAll('button'));
    const group = buttons.length ? buttons[0].parentElement : null;
    const role = group && group.getAttribute('role');
    if (!group || !['group', 'radiogroup'].includes(role) || !(group.getAttribute('aria-label') || '').trim())
      problems.push(`toggle group "${box.textContent.trim()}" has no group role with a name`);
    buttons.forEach(b => {
      n += 1;
      const on = b.classList.contains('mod-active');
      const pressed = b.getAttribute('aria-pressed');
      const radio = b.getAttribute('role') === 'radio' ? b.getAttribute('aria-checked') : null;
      const state = pressed !== null ? pressed : radio;
      if (state !== String(on)) problems.push(`toggle "${b.textContent.trim()}" (${on ? 'on' : 'off'}) exposes ${state}`);
    });
  });
  return {n, problems};
})()
"""

CLICK_FIRST_OFF_TOGGLE_JS = r"""
(() => {
  const b = Array.from(document.querySelectorAll('.widget-subarea .widget-toggle-buttons button'))
    .find(b => !b.classList.contains('mod-active'));
  if (!b) return null;
  b.click();
  return b.textContent.trim();
})()
"""

# Marks the HTML each widget shows now (data-nnbook-seen holds its content) ...
MARK_RESULTS_JS = r"""
(() => {
  const shown = Array.from(document.querySelectorAll('.widget-subarea .widget-html-content'))
    .filter(r => r.offsetParent !== null);
  shown.forEach(r => r.setAttribute('data-nnbook-seen', String(r.innerHTML.length) + ':' + r.textContent.slice(0, 200)));
  return shown.length;
})()
"""

# ... and, after a control has moved, lists what changed or appeared: each must be in a live region.
LIVE_RESULTS_JS = r"""
(() => {
  const changed = Array.from(document.querySelectorAll('.widget-subarea .widget-html-content'))
    .filter(r => r.offsetParent !== null &&
      r.getAttribute('data-nnbook-seen') !== String(r.innerHTML.length) + ':' + r.textContent.slice(0, 200));
  const problems = [];
  changed.forEach(r => {
    const live = r.closest('[aria-live]');
    if (!live || !['polite', 'assertive'].includes(live.getAttribute('aria-live')))
      problems.push(`a result ("${r.textContent.trim().slice(0, 60)}") changed outside any aria-live region`);
  });
  return {n: changed.length, problems};
})()
"""


def test_every_toggle_exposes_its_state_and_every_result_is_announced(browser, widget_pages):
    base, pages = widget_pages
    problems, n_toggles, n_changed, clicked = {}, 0, 0, 0
    for page in pages:
        tab = _Page(browser, f"{base}/{page}")
        try:
            toggles = tab.js(TOGGLES_JS)
            n_toggles += toggles["n"]
            issues = list(toggles["problems"])
            tab.js(MARK_RESULTS_JS)
            if tab.js(CLICK_FIRST_OFF_TOGGLE_JS) is not None:  # the state follows a click
                clicked += 1
                tab.browser.pump(0.5)
                issues += [f"after a click: {p}" for p in tab.js(TOGGLES_JS)["problems"]]
            else:  # no toggle: step the first slider from the keyboard
                tab.js("(() => { const h = document.querySelector('.widget-subarea .noUi-handle');"
                       " if (h) h.focus(); })()")
                for kind in ("keyDown", "keyUp"):
                    tab.browser.call("Input.dispatchKeyEvent", {"type": kind, "key": "ArrowRight", "code": "ArrowRight",
                                                                 "windowsVirtualKeyCode": 39}, session=tab.session)
                tab.browser.pump(0.5)
            live = tab.js(LIVE_RESULTS_JS)
            n_changed += live["n"]
            issues += live["problems"]
            if issues:
                problems[page] = issues
        finally:
            tab.close()
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    assert n_toggles > 0 and clicked > 0 and n_changed >= len(pages) - 1, (n_toggles, clicked, n_changed)


# ----------------------------------------------------------------------------- the Play button

PLAY_NAME_JS = r"""
(() => {
  const box = document.querySelector('.widget-subarea .widget-play');
  const b = box && box.querySelector('button');
  if (!b) return null;
  const icon = b.querySelector('i');
  return {name: b.getAttribute('aria-label'), shows: icon && icon.classList.contains('fa-pause') ? 'pause' : 'play'};
})()
"""


def test_the_play_button_is_named_after_what_it_shows(browser, widget_pages):
    base, pages = widget_pages
    seen = 0
    for page in pages:
        tab = _Page(browser, f"{base}/{page}")
        try:
            before = tab.js(PLAY_NAME_JS)
            if before is None:
                continue
            seen += 1
            assert before == {"name": "play", "shows": "play"}, (page, before)
            tab.js("document.querySelector('.widget-subarea .widget-play button').click()")
            tab.browser.pump(0.5)
            playing = tab.js(PLAY_NAME_JS)
            assert playing == {"name": "pause", "shows": "pause"}, (page, playing)
            tab.js("document.querySelector('.widget-subarea .widget-play button').click()")
            tab.browser.pump(0.5)
            assert tab.js(PLAY_NAME_JS) == {"name": "play", "shows": "play"}, page
        finally:
            tab.close()
    assert seen > 0, "no widget page has a Play control"


# ----------------------------------------------------------------------------- keyboard: tab stops, focus

TAB_STOPS_JS = r"""
(() => {
  const candidates = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]:not([contenteditable=false])');
  const stops = Array.from(candidates).filter(el => el.tabIndex >= 0 && !el.disabled &&
    !el.closest('[inert], [hidden]') && (el.offsetParent !== null || el.getClientRects().length > 0));
  return {stops: stops.length, formulas: stops.filter(el => el.closest('mjx-container')).length,
          formulasShown: document.querySelectorAll('mjx-container').length};
})()
"""


def test_no_formula_is_a_tab_stop(browser, site):
    base, html_dir = site
    counts, offenders = {}, {}
    for page in _chapters(html_dir):
        tab = _Page(browser, f"{base}/{page}")
        try:
            found = tab.js(TAB_STOPS_JS)
        finally:
            tab.close()
        counts[page] = found
        if found["formulas"]:
            offenders[page] = found
    assert not offenders, f"formulas in the tab order: {offenders}"
    chapter1 = next(v for k, v in counts.items() if "01-" in k)
    assert chapter1["formulasShown"] > 50, chapter1   # the check ran on a page full of formulas
    print(f"chapter 1: {chapter1['stops']} tab stops, {chapter1['formulasShown']} formulas, none of them a stop")


FOCUS_JS = r"""
(() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = c => { const v = c.map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const contrast = (a, b) => { const [h, l] = [lum(a), lum(b)].sort((x, y) => y - x); return (h + 0.05) / (l + 0.05); };
  const background = el => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return rgb(c);
    }
    return [255, 255, 255];
  };
  const controls = Array.from(document.querySelectorAll(
    '.widget-subarea .widget-toggle-buttons button, .widget-subarea .widget-dropdown select, ' +
    '.widget-subarea .widget-play button, .widget-subarea .noUi-handle'))
    .filter(el => el.offsetParent !== null);
  const problems = [];
  controls.forEach(el => {
    el.focus({focusVisible: true});
    const s = getComputedStyle(el);
    const width = parseFloat(s.outlineWidth) || 0;
    const ratio = contrast(rgb(s.outlineColor), background(el));
    const name = (el.getAttribute('aria-label') || el.textContent || el.tagName).trim();
    if (document.activeElement !== el) problems.push(`${name}: takes no focus`);
    else if (s.outlineStyle === 'none' || width < 2) problems.push(`${name}: focus outline ${s.outlineStyle} ${width}px`);
    else if (ratio < 3) problems.push(`${name}: focus outline contrast ${ratio.toFixed(2)}:1`);
  });
  return {n: controls.length, problems};
})()
"""


def test_every_control_shows_a_visible_focus_ring(browser, widget_pages):
    base, pages = widget_pages
    problems, n = {}, 0
    for page in pages:
        tab = _Page(browser, f"{base}/{page}")
        try:
            found = tab.js(FOCUS_JS)
        finally:
            tab.close()
        n += found["n"]
        if found["problems"]:
            problems[page] = found["problems"]
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


def test_typing_in_a_slider_readout_cannot_desync_the_slider(browser, widget_pages):
    base, pages = widget_pages
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

GRAPH_SCALE_JS = r"""
(() => Array.from(document.querySelectorAll('.widget-subarea .nnbook-scroll img'))
  .filter(img => img.offsetParent !== null)
  .map(img => ({scale: img.getBoundingClientRect().width / img.naturalWidth,
                box: img.closest('.nnbook-scroll').getBoundingClientRect().right,
                column: document.querySelector('.bd-article').getBoundingClientRect().right,
                page: document.documentElement.scrollWidth, window: window.innerWidth})))()
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_computation_graph_keeps_its_size_on_every_screen(browser, site, width):
    # Drawn at 110 dpi with 8 pt labels (nnbook.widgets.graphs), shown unscaled its labels are
    # 8 × 110 / 72 ≈ 12 px high; the box scrolls sideways instead of the page.
    from nnbook.widgets.graphs import GRAPH_DPI

    base, _ = site
    tab = _Page(browser, f"{base}/book/09-computation-graphs.html", width=width)
    try:
        shown = tab.js(GRAPH_SCALE_JS)
    finally:
        tab.close()
    assert shown, "the computation-graph widget shows no figure"
    for img in shown:
        assert abs(img["scale"] - 1) < 0.01, img
        assert img["box"] <= img["column"] + 1 and img["page"] <= img["window"], img
    assert 8 * GRAPH_DPI / 72 >= 11
