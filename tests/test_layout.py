"""Nothing on a page scrolls sideways: measured in headless Chromium at 1280 px and at 390 px.

At 1280 px (a laptop) every code block (a cell's code, its printed output, a Markdown code
block) fits its column, and every display equation fits, once MathJax has typeset it and the
site's script (book/_static/nnbook.js) has scaled the wide ones. At 390 px (a phone) the page
itself never scrolls sideways: code blocks, tables and equations may scroll inside their own
boxes, the page may not. Each offending block is reported with its page and its first line (and
its longest line), so that it can be found in the chapter's source.

The measurements are part of the session's one visit of every page (``page_visits`` in
``tests/conftest.py``): each page is loaded at 1280 px, measured, then narrowed to 390 px (a phone's
metrics) and measured again.
"""

from __future__ import annotations

import time

import pytest

from browser_support import DESKTOP, PAGE_TIMEOUT, PAGES, PHONE, SETTLED_JS, visit

@pytest.fixture(scope="module")
def layout(page_visits):
    """{page: {1280: measurements, 390: measurements}} for every page."""
    assert list(page_visits) == PAGES, "the pages of the build are not the table of contents'"
    return {page: {DESKTOP: seen.desktop, PHONE: seen.phone} for page, seen in page_visits.items()}


@pytest.mark.parametrize("page", PAGES, ids=[p[: -len(".html")] for p in PAGES])
def test_no_code_block_scrolls_sideways_at_1280px(layout, page):
    blocks = layout[page][DESKTOP]["blocks"]
    assert not blocks, f"{page}: {len(blocks)} blocks scroll sideways at {DESKTOP} px:\n" + "\n".join(
        f"  {b['kind']} block, {b['overflow']} px too wide; first line: {b['first']!r}; "
        f"longest: {b['longest']!r}" for b in blocks)


@pytest.mark.parametrize("page", PAGES, ids=[p[: -len(".html")] for p in PAGES])
def test_display_equations_fit_at_1280px(layout, page):
    equations = layout[page][DESKTOP]["equations"]
    assert not equations, f"{page}: {len(equations)} display equations are cut off at {DESKTOP} px:\n" + "\n".join(
        f"  {e['overflow']} px too wide: {e['tex']}" for e in equations)


@pytest.mark.parametrize("page", PAGES, ids=[p[: -len(".html")] for p in PAGES])
def test_no_page_scrolls_sideways(layout, page):
    for width in (DESKTOP, PHONE):
        m = layout[page][width]
        assert m["pageOverflow"] <= 1, (
            f"{page} scrolls sideways by {m['pageOverflow']} px at {width} px; too wide:\n  " + "\n  ".join(m["wide"]))


def test_the_measure_sees_overflow(site, browser):
    """The measurements can fail: a page with a long code line, a wide equation-like box and a
    wide element is caught at both widths."""
    base, html_dir = site
    bad = html_dir / "_layout_selftest.html"
    bad.write_text('<!doctype html><html><head><meta name="viewport" content="width=device-width">'
                   '<title>t</title></head><body><main><pre style="overflow:auto;width:300px">'
                   + "x = 1  # " + "a" * 300 + '</pre><div style="width:600px">wide</div></main></body></html>',
                   encoding="utf-8")
    try:
        seen = visit(browser, f"{base}/_layout_selftest.html")
        desktop, phone = seen.desktop, seen.phone
    finally:
        bad.unlink()
    assert desktop["blocks"] and desktop["blocks"][0]["first"].startswith("x = 1")
    assert desktop["pageOverflow"] <= 1 < phone["pageOverflow"]
    assert any("wide" in w for w in phone["wide"]), phone["wide"]


# ----------------------------------------------------------------------------- Chinese glyphs

MARK_CJK_JS = r"""
((selector) => {
  const cjk = /[\u3400-\u9fff]/;
  const el = Array.from(document.querySelectorAll(selector))
    .find(e => cjk.test(e.textContent) && e.getBoundingClientRect().width > 0);
  if (!el) return null;
  el.setAttribute('data-cjk-probe', '1');
  return el.textContent.trim().slice(0, 40);
})
"""

# (page, elements holding Chinese text): body text, math (\text{…} inside an equation), code.
CJK_PROBES = [
    ("book/glossary.html", "section#glossary table td"),
    ("book/notation.html", "mjx-container mjx-utext"),
    ("book/errata.html", "code.literal"),
]


def _children(browser, session: str, node_id: int, timeout: float = 1.0) -> list[dict]:
    """The children Chromium sends (DOM.setChildNodes) after DOM.requestChildNodes on ``node_id``;
    none when it sends none (a lone text child: CSS.getPlatformFontsForNode on the node covers it)."""
    deadline = time.monotonic() + timeout
    while True:
        for ev in browser.events:
            if ev.get("sessionId") == session and ev["method"] == "DOM.setChildNodes" \
                    and ev["params"]["parentId"] == node_id:
                return ev["params"]["nodes"]
        if time.monotonic() > deadline:
            return []
        browser.pump(0.02)


def _descendants(nodes: list[dict]) -> list[int]:
    """The ids of ``nodes`` and of all the nodes nested in them (DOM.setChildNodes with depth -1)."""
    return [i for n in nodes for i in [n["nodeId"], *_descendants(n.get("children", []))]]


def test_chinese_renders_from_the_bundled_font(site, browser):
    """Chromium reports which fonts it drew a node's text with (CSS.getPlatformFontsForNode):
    the Chinese characters come from the bundled Noto Sans SC / TC, whatever fonts the machine
    has (this one may have none)."""
    from book_support import bundle_assets

    if not bundle_assets.bundle_is_complete():
        pytest.skip("no bundle (npm unavailable): the fonts are not bundled")
    base, _ = site
    for page, selector in CJK_PROBES:
        target, session = browser.open_page()
        try:
            browser.call("Page.navigate", {"url": f"{base}/{page}"}, session=session)
            assert browser.wait_for_event("Page.loadEventFired", session, PAGE_TIMEOUT), page
            browser.wait_until(session, SETTLED_JS, PAGE_TIMEOUT)
            browser.evaluate(session, "document.fonts.ready.then(() => true)")
            text = browser.evaluate(session, f"{MARK_CJK_JS}({selector!r})")
            assert text, f"{page}: no element {selector!r} with Chinese text"
            browser.pump(0.5)
            browser.evaluate(session, "document.fonts.ready.then(() => true)")
            for domain in ("DOM", "CSS"):
                browser.call(f"{domain}.enable", session=session)
            root = browser.call("DOM.getDocument", {"depth": 0}, session=session)["root"]["nodeId"]
            node = browser.call("DOM.querySelector", {"nodeId": root, "selector": "[data-cjk-probe]"},
                                session=session)["nodeId"]
            # The text nodes are the element's descendants: its whole subtree, asked for once.
            browser.call("DOM.requestChildNodes", {"nodeId": node, "depth": -1}, session=session)
            fonts = []
            for nid in [node, *_descendants(_children(browser, session, node))]:
                fonts += browser.call("CSS.getPlatformFontsForNode", {"nodeId": nid}, session=session)["fonts"]
            used = {(f["familyName"], bool(f.get("isCustomFont"))) for f in fonts if f.get("glyphCount", 0) > 0}
            # A web font (isCustomFont) whose own name is Noto Sans SC/TC ("Noto Sans SC Thin" in
            # the name table of these regular-weight files): the bundled one, not a system font.
            assert any(custom and name.startswith(("Noto Sans SC", "Noto Sans TC")) for name, custom in used), \
                f"{page}: {text!r} ({selector}) is drawn with {sorted(used)}, not the bundled Noto Sans SC/TC"
        finally:
            browser.events = [ev for ev in browser.events if ev.get("sessionId") != session]
            browser.close_page(target)


def test_the_bundler_declares_the_fonts_for_chinese_code_points_only():
    from book_support import bundle_assets as ba

    css = ("@font-face { font-family: 'Noto Sans SC'; font-weight: 400;\n"
           "  src: url(./files/noto-sans-sc-7-400-normal.woff2) format('woff2'), url(x.woff) format('woff');\n"
           "  unicode-range: U+20-7e,U+2014,U+4e00-4e0f,U+ff01; }\n"
           "@font-face { font-family: 'Noto Sans SC'; font-weight: 400;\n"
           "  src: url(./files/noto-sans-sc-latin-400-normal.woff2) format('woff2');\n"
           "  unicode-range: U+0000-00FF; }\n")
    subsets = list(ba._fontsource_subsets(css))
    assert subsets == [("noto-sans-sc-7-400-normal", [(0x20, 0x7E), (0x2014, 0x2014), (0x4E00, 0x4E0F), (0xFF01, 0xFF01)])]
    # Latin and general punctuation keep the page's own fonts.
    assert ba._intersect(subsets[0][1], ba.CJK_BLOCKS) == [(0x4E00, 0x4E0F), (0xFF01, 0xFF01)]


def test_a_chinese_character_without_a_font_file_is_reported(monkeypatch):
    from book_support import bundle_assets as ba

    monkeypatch.setattr(ba, "site_cjk_chars", lambda: {"神", "经"})
    covered = [[ord("神"), ord("神")]]
    assert ba.missing_cjk_chars({"cjk_ranges": covered}) == {"经"}
    assert ba.missing_cjk_chars({"cjk_ranges": covered + [[ord("经"), ord("经")]]}) == set()
