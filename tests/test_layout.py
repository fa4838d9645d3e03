"""Nothing on a page scrolls sideways: measured in headless Chromium at 1280 px and at 390 px, on
every page of every edition (English, 简体中文, 繁體中文); Chinese is drawn by the bundled fonts.

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

import json

import pytest

from browser_support import CJK_PROBES, DESKTOP, NOTEBOOK_FOLDERS, PAGES, PHONE, edition_of, visit


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

# Pages that must show Chinese in a given kind of text: English pages (the glossary's table, the
# errata's quotations in code) and a Chinese page with Chinese words in its math (\text{…}).
CJK_WHERE = {
    "book/glossary.html": "article table td",
    "book/errata.html": "code.literal",
    "zh-cn/book/03-matrices.html": "mjx-container mjx-utext",
    "zh-tw/book/03-matrices.html": "mjx-container mjx-utext",
}


def _bundled(name: str, custom: bool) -> bool:
    # A web font (isCustomFont) whose own name is Noto Sans SC/TC ("Noto Sans SC Thin" in the name
    # table of these regular-weight files): the bundled one, not a font of the machine.
    return custom and name.startswith(("Noto Sans SC", "Noto Sans TC"))


def test_chinese_renders_from_the_bundled_font(page_visits):
    """Chromium reports which fonts it drew text with (CSS.getPlatformFontsForNode, read in each
    page's visit: browser_support.chinese_fonts, which draws every Chinese character of a page's
    headings, body text, tables, math and code where each is shown): every one of them comes from
    the bundled Noto Sans SC / TC, whatever fonts the machine has (a machine with none would show
    empty boxes), and a 简体 or 繁體 page's from its own (Traditional glyph shapes on a 繁體
    page). Every page a Chinese edition translates shows Chinese; the pages of CJK_WHERE show it
    where it says."""
    from book_support import bundle_assets

    if not bundle_assets.bundle_is_complete():
        pytest.skip("no bundle (npm unavailable): the fonts are not bundled")
    manifest = json.loads(bundle_assets.MANIFEST.read_text(encoding="utf-8"))
    covered = [range(lo, hi + 1) for lo, hi in manifest["cjk_ranges"]]
    problems, probed = [], 0
    for page, seen in page_visits.items():
        found = {probe["selector"]: probe for probe in seen.fonts}
        edition = edition_of(page)
        if edition and not page[len(edition) + 1:].startswith(NOTEBOOK_FOLDERS) and not found:
            problems.append(f"{page}: no Chinese text found in {CJK_PROBES}")
        if page in CJK_WHERE and CJK_WHERE[page] not in found:
            problems.append(f"{page}: no element {CJK_WHERE[page]!r} with Chinese text")
        # Each edition's own glyph shapes: a 繁體 page draws with Noto Sans TC, its formulas too.
        own = {"zh-tw": "Noto Sans TC", "zh-cn": "Noto Sans SC"}.get(edition)
        for probe in found.values():
            probed += len(probe["chars"])
            if own and not any(name.startswith(own) for name, _ in probe["fonts"]):
                problems.append(f"{page}: Chinese in {probe['selector']!r} (first: {probe['text']!r}) is drawn "
                                f"with {[name for name, _ in probe['fonts']]}, not with {own}")
            other = [name for name, custom in probe["fonts"] if not _bundled(name, custom)]
            if other:
                unbundled = "".join(c for c in probe["chars"] if not any(ord(c) in r for r in covered))
                problems.append(f"{page}: Chinese in {probe['selector']!r} (first: {probe['text']!r}) is drawn "
                                f"with {other} as well as the bundled fonts; {len(unbundled)} of its "
                                f"{len(probe['chars'])} characters are in no bundled font file: {unbundled[:60]!r}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    print(f"{probed} Chinese characters (counted once per page and kind of text) drawn by the bundled fonts")


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


def test_a_changed_static_file_reaches_the_site(tmp_path):
    """Sphinx copies the static files only after writing a page it found out of date: a new style
    sheet or bundle alone would not reach the site. The bundler's extension then gives the root
    page as out of date, once per change."""
    from types import SimpleNamespace

    from book_support import bundle_assets as ba

    static = tmp_path / "book" / "_static"
    static.mkdir(parents=True)
    (static / "nnbook.css").write_text("a {}\n")
    app = SimpleNamespace(confdir=str(tmp_path), config=SimpleNamespace(html_static_path=["book/_static"], root_doc="intro"))
    env = SimpleNamespace(found_docs={"intro", "book/01-neuron"})
    assert ba._static_changed(app, env, set(), set(), set()) == ["intro"]  # the first build
    assert ba._static_changed(app, env, set(), set(), set()) == []  # nothing changed
    (static / "nnbook.css").write_text("a { color: red }\n")
    assert ba._static_changed(app, env, set(), set(), set()) == ["intro"]
    (static / "vendor").mkdir()
    (static / "vendor" / "manifest.json").write_text("{}")
    assert ba._static_changed(app, env, set(), set(), set()) == ["intro"]
    assert ba._static_changed(app, env, set(), set(), set()) == []
