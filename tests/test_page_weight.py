"""tools/page_weight.py: a page's own weight is its HTML and the files only it loads; and what
tools/bundle_assets.py does to keep pages light: the widget manager built from its sources (its
HTML sanitizer checked in Chromium), MathJax's components without its menu."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import bundle_assets  # noqa: E402
import page_weight  # noqa: E402
from book_support import widget_pages  # noqa: E402


def _site(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_images").mkdir()
    (tmp_path / "_static" / "theme.css").write_bytes(b"x" * 5000)
    (tmp_path / "_images" / "fig.png").write_bytes(b"p" * 700)
    a = ('<link rel="stylesheet" href="_static/theme.css"><link rel="next" href="b.html">'
         '<img src="_images/fig.png" alt="f"><img src="data:image/png;base64,AAAA" alt="inline">'
         '<script src="https://cdn.example/x.js"></script><a href="_images/fig.png">fig</a>')
    b = '<link href="_static/theme.css" rel="stylesheet"><link rel="prev" href="a.html"><p>text</p>'
    (tmp_path / "a.html").write_text(a, encoding="utf-8")
    (tmp_path / "b.html").write_text(b, encoding="utf-8")
    return tmp_path, len(a.encode()), len(b.encode())


def test_own_weight_counts_the_html_and_the_files_only_it_loads(tmp_path):
    root, size_a, size_b = _site(tmp_path)
    own, shared, n_shared = page_weight.weigh(root)
    assert own == {"a.html": size_a + 700, "b.html": size_b}
    assert (shared, n_shared) == (5000, 1)


def test_a_first_visit_loads_the_shared_files_too(tmp_path):
    root, size_a, size_b = _site(tmp_path)
    assert page_weight.first_visit(root) == {"a.html": size_a + 700 + 5000, "b.html": size_b + 5000}


def test_main_reports_pages_over_the_budget(tmp_path, capsys):
    root, size_a, _ = _site(tmp_path)
    assert page_weight.main([str(root)]) == 0
    assert page_weight.main([str(root), "--budget", str((size_a + 100) / page_weight.MB)]) == 1
    out = capsys.readouterr().out
    assert "a.html" in out and "over the" in out and "first visit" in out


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="expected the built site's HTML pages"):
        page_weight.weigh(tmp_path)


def test_each_chinese_font_file_is_declared_for_the_characters_it_holds():
    assert bundle_assets._unicode_range({0x4E00, 0x4E01, 0x4E02, 0x4E10, 0x4E12, 0x4E13}) == "U+4e00-4e02,U+4e10,U+4e12-4e13"


def test_the_widget_manager_is_built_again_when_a_source_changes(monkeypatch, tmp_path):
    sources = [tmp_path / name for name in ("widget_manager.js", "widget_sanitize.js", "package.json", "package-lock.json")]
    for path in sources:
        path.write_text(f"// {path.name}\n", encoding="utf-8")
    monkeypatch.setattr(bundle_assets, "WIDGET_MANAGER_SOURCES", tuple(sources))
    key = bundle_assets.widget_manager_key()
    assert key.startswith(f"{bundle_assets.WIDGET_MANAGER_FORMAT}:")
    assert bundle_assets.widget_manager_key() == key
    sources[3].write_text('{"lockfileVersion": 3}\n', encoding="utf-8")
    assert bundle_assets.widget_manager_key() != key
    monkeypatch.setattr(bundle_assets, "WIDGET_MANAGER_FORMAT", bundle_assets.WIDGET_MANAGER_FORMAT + 1)
    assert bundle_assets.widget_manager_key().split(":")[1] == bundle_assets.widget_manager_key().split(":")[1]
    assert not bundle_assets.widget_manager_key().startswith(key.split(":")[0] + ":")


def test_the_licences_of_the_bundled_packages_are_collected(tmp_path):
    for name, licence in (("@lumino/widgets", "BSD-3-Clause"), ("jquery", "MIT")):
        pkg = tmp_path / "node_modules" / name
        pkg.mkdir(parents=True)
        (pkg / "package.json").write_text(json.dumps({"name": name, "version": "1.0.0", "license": licence}))
        (pkg / "LICENSE.txt").write_text(f"the {name} licence")
    assert bundle_assets._package_dir("node_modules/@lumino/widgets/dist/index.js") == "node_modules/@lumino/widgets"
    assert bundle_assets._package_dir("(disabled):node_modules/jquery/x.js") == "node_modules/jquery"
    assert bundle_assets._package_dir("widget_manager.js") is None
    metafile = {"inputs": {"widget_manager.js": {}, "node_modules/jquery/dist/jquery.js": {},
                           "node_modules/@lumino/widgets/dist/index.js": {},
                           "node_modules/@lumino/widgets/style/index.css": {}}}
    text = bundle_assets._third_party_licences(tmp_path, metafile)
    assert "@lumino/widgets@1.0.0 (BSD-3-Clause)" in text and "the @lumino/widgets licence" in text
    assert "jquery@1.0.0 (MIT)" in text and text.count("the jquery licence") == 1


def test_with_the_bundle_mathjax_loads_its_components_without_the_menu(monkeypatch):
    monkeypatch.setattr(bundle_assets, "_manifest_if_present", lambda: {"cjk_ranges": []})
    monkeypatch.setattr(bundle_assets, "missing_cjk_chars", lambda manifest=None: set())

    class Config:
        mathjax_path = "https://cdn.example/tex-chtml.js"
        nb_ipywidgets_js = {}
        html_css_files = ["nnbook.css"]
        mathjax3_config = {"options": {"menuOptions": {"settings": {"inTabOrder": False}}, "skipHtmlTags": ["pre"]},
                           "loader": {"load": ["[tex]/cancel"]}}

    config = Config()
    bundle_assets._use_local_assets(None, config)
    assert config.mathjax_path == "vendor/mathjax/startup.js"
    assert config.mathjax3_config["loader"]["load"] == [*bundle_assets.MATHJAX_LOAD, "[tex]/cancel"]
    assert "ui/menu" not in config.mathjax3_config["loader"]["load"]
    assert config.mathjax3_config["options"] == {"skipHtmlTags": ["pre"]}  # menuOptions would be invalid
    assert config.html_css_files == [bundle_assets.CJK_CSS, "nnbook.css"]
    if bundle_assets.bundle_is_complete():  # the components it names are in the bundle
        for component in bundle_assets.MATHJAX_LOAD + ["core", "output/chtml/fonts/tex"]:
            assert (bundle_assets.VENDOR / "mathjax" / f"{component}.js").is_file(), component


# What the widget manager keeps of a description written in HTML (description_allow_html), with the
# lists of tags and attributes of @jupyter-widgets/base-manager: (HTML, what is kept).
SANITIZED = [
    ("<b onclick=\"steal()\">bold</b><script>steal()</script> text", "<b>bold</b> text"),
    ('<a href="javascript:steal()" title="t">link</a>', '<a title="t">link</a>'),
    ('<a href=" JaVa\tScRiPt:steal()">link</a>', "<a>link</a>"),
    ('<a href="https://example.org/?a=1&amp;b=2">link</a>', '<a href="https://example.org/?a=1&amp;b=2">link</a>'),
    ('<a href="../book/intro.html">relative</a>', '<a href="../book/intro.html">relative</a>'),
    ('<span class="c" aria-label="l" data-x="1" style="color: red">s</span>',
     '<span class="c" aria-label="l" style="color: red">s</span>'),
    ('<div><p>not allowed, text kept</p></div>', "not allowed, text kept"),
    ('<img src="w.png" onerror="steal()">', '<img src="w.png" />'),
    ('<img src="data:image/svg+xml,x">', "<img />"),
    ("<style>b { color: red }</style><textarea>gone</textarea>kept", "kept"),
    ("a &lt; b &amp; c <!-- comment -->", "a &lt; b &amp; c "),
    ('<i title="&quot;&gt;<script>">x</i>', '<i title="&quot;&gt;&lt;script&gt;">x</i>'),
    # The manager takes the maths out before and puts it back, escaped, for MathJax to read.
    ("w<sub>1</sub> and $x < y$", "w1 and $x &lt; y$"),
]


def test_the_widget_managers_sanitizer_keeps_what_sanitize_html_keeps():
    """The bundled widget manager, run in Chromium, cleans descriptions through the manager's own
    call (inline_sanitize, which sets the allowed tags and attributes)."""
    from browser_support import Chromium, find_chromium

    manager = bundle_assets.STATIC / bundle_assets.WIDGETS_JS
    if not bundle_assets.bundle_is_complete():
        pytest.skip("no widget manager bundle here (run `python tools/bundle_assets.py`, which needs npm)")
    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium (Debian's chromium package) to run the widget manager in")
    browser = Chromium(executable)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.evaluate(session, manager.read_text(encoding="utf-8") + "\n;true")
        cases = json.dumps([html for html, _ in SANITIZED])
        got = browser.evaluate(session, f"""(() => {{
            const manager = new window.nnbookWidgets.HTMLManager({{}});
            return {cases}.map(html => manager.inline_sanitize(html));
        }})()""")
        styles = browser.evaluate(session, "document.querySelectorAll('style[data-nnbook-widgets]').length")
    finally:
        browser.close()
    assert got == [kept for _, kept in SANITIZED]
    assert styles == 1  # the widgets' stylesheet (the lab variables come with the first control)


FIRST_VISIT_BUDGET = 5_000_000  # bytes a first visit of a widget page transfers, at most


def test_every_widget_page_transfers_at_most_5_mb_on_a_first_visit(site, page_visits):
    """Each chapter with widgets, opened in Chromium with an empty cache (in the session's visit of
    every page, ``page_visits``): every response until it has loaded, typeset its formulas and drawn
    its widgets, and for 1 s more (what scripts fetch included), adds up to at most 5 MB,
    uncompressed, counted as benchmarks/page_weight.py counts it."""
    _, html = site
    pages = widget_pages(html)  # the pages the visit loads with an empty cache
    assert len(pages) >= 10, f"expected the chapters with widgets, found {pages}"
    seen = {page: page_visits[page] for page in pages}
    not_weighed = [page for page, visit in seen.items() if visit.first_visit_bytes is None]
    assert not not_weighed, f"widget pages not loaded with an empty cache: {not_weighed}"
    for page, visit in seen.items():
        report = visit.report
        assert report["settled"] and report["mathUnrendered"] == 0 and report["widgetViews"] > 0 \
            and report["widgetsShown"], f"{page}: not drawn and typeset: {report}"
        # The whole page, not a part of it: the widget manager, MathJax and the theme are in the count.
        assert visit.first_visit_bytes > 500_000, f"{page}: only {visit.first_visit_bytes} bytes counted"
    over = {page: round(v.first_visit_bytes / 1e6, 2) for page, v in seen.items()
            if v.first_visit_bytes > FIRST_VISIT_BUDGET}
    assert not over, f"widget pages over {FIRST_VISIT_BUDGET / 1e6:g} MB on a first visit (MB): {over}"
    heaviest = max(seen, key=lambda p: seen[p].first_visit_bytes)
    print(f"heaviest widget page: {heaviest}, {seen[heaviest].first_visit_bytes / 1e6:.2f} MB transferred")


ICON_CSS = (':root{--pst-icon-note:"\uf05a";--pst-icon-other:"x"}'
            '.fa-play:before{content:"\\f04b"}.fa-circle-play:before,.fa-play-circle:before{content:"\\f144"}'
            '.fa-github:before{content:"\\f09b"}.fa-unused:before{content:"\\f000"}'
            '.fa-check:before{content:"\\f00c"}.blockquote-footer:before{content:"\\2014\\00a0"}'
            '@media print{.fa-stop:before{content:"\\f04d"}}')


def test_the_icons_the_site_uses_are_found_by_name_and_by_code_point():
    icons, drawn = bundle_assets.icon_code_points([ICON_CSS], [])
    assert icons["fa-play"] == {0xF04B} and icons["fa-play-circle"] == {0xF144} == icons["fa-circle-play"]
    assert icons["fa-stop"] == {0xF04D} and "blockquote-footer" not in str(icons)
    assert drawn == {0xF05A}  # a sign a stylesheet draws by its code point; "x" and the dash are not icons
    page = '<i class="fa-brands fa-github"></i><button class="fa fa-play-circle">'
    state = '{"_model_name": "ToggleButtonsModel", "icons": ["check", ""], "tooltips": []}'
    script = 'icon.className = "fa fa-stop";'
    names = bundle_assets.used_icon_names([page, state, script])
    assert {"fa-github", "fa-play-circle", "fa-check", "fa-stop"} <= names
    assert "fa-unused" not in names and "fa-play" not in names


def test_the_stylesheets_keep_the_rules_of_the_icons_the_site_uses():
    kept = bundle_assets.drop_unused_icon_rules(ICON_CSS, {"fa-play", "fa-circle-play"})
    assert '.fa-play:before{content:"\\f04b"}' in kept
    assert '.fa-circle-play:before,.fa-play-circle:before{content:"\\f144"}' in kept  # one of its names is used
    assert "fa-github" not in kept and "fa-unused" not in kept and "fa-check" not in kept
    assert "fa-stop" not in kept and "@media print{}" in kept
    assert ':root{--pst-icon-note:"\uf05a"' in kept and ".blockquote-footer:before" in kept  # not icon classes
    assert bundle_assets.drop_unused_icon_rules(ICON_CSS, set(bundle_assets.icon_code_points([ICON_CSS], [])[0])) == ICON_CSS


def test_font_awesome_keeps_only_the_icons_the_site_uses(tmp_path):
    pytest.importorskip("brotli", reason="WOFF2 needs the brotli module")
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    def box():
        pen = TTGlyphPen(None)
        pen.moveTo((0, 0)), pen.lineTo((0, 500)), pen.lineTo((500, 500)), pen.closePath()
        return pen.glyph()

    codes = {0xF04B: "play", 0xF04D: "stop", 0xF000: "unused", 0xF05A: "note"}
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", *codes.values()])
    builder.setupCharacterMap(codes)
    builder.setupGlyf({name: box() for name in [".notdef", *codes.values()]})
    builder.setupHorizontalMetrics({name: (500, 0) for name in [".notdef", *codes.values()]})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Icons", "styleName": "Solid"})
    builder.setupOS2()
    builder.setupPost()
    fonts = tmp_path / "_static" / bundle_assets.FA_WEBFONTS
    fonts.mkdir(parents=True)
    builder.font.flavor = "woff2"
    builder.save(fonts / "fa-solid-900.woff2")
    (tmp_path / "_static" / "theme.css").write_text(ICON_CSS, encoding="utf-8")
    (tmp_path / "_static" / "widgets.js").write_text('b.className = "fa fa-stop";', encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text('<i class="fa fa-play"></i>', encoding="utf-8")
    saved = bundle_assets.trim_icons(tmp_path / "_static", [page])
    kept = TTFont(fonts / "fa-solid-900.woff2")
    assert kept.flavor == "woff2"
    assert set(kept.getBestCmap()) == {0xF04B, 0xF04D, 0xF05A}  # by name on a page, in a script, by code point
    assert saved > 0
    css = (tmp_path / "_static" / "theme.css").read_text(encoding="utf-8")
    assert ".fa-play:before" in css and ".fa-stop:before" in css and "fa-unused" not in css
