"""The library's words in the Chinese editions: the UI catalogues, the build's rewriting, the figures.

The strings are collected by running the book's widget builders (every call the chapters make),
not from a hand list: every string a control, a readout, an alt text or a figure shows must have a
translation in both catalogues, and a translated readout must carry the English readout's numbers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import i18n  # noqa: E402
import ui_l10n  # noqa: E402
from nnbook.plots import _l10n  # noqa: E402

LOCALES = ("zh_CN", "zh_TW")

# Every widget call of the book's chapters, as the chapters make it.
BOOK_WIDGETS = {
    "01-neuron": lambda W, model: W.neuron_playground(),
    "02-vectors": lambda W, model: W.dot_product_explorer(),
    "03-matrices": lambda W, model: W.matvec_explorer(),
    "04-activations": lambda W, model: W.activation_explorer("sigmoid", z=2.0),
    "05-forward": lambda W, model: W.forward_pass_explorer(),
    "06-losses": lambda W, model: W.loss_explorer(z=-4.0, y=1),
    "07-derivatives": lambda W, model: W.derivative_explorer("x³", x=1.0, h=1.0),
    "08-bowl": lambda W, model: W.gradient_descent_stepper("2-D bowl", lr=0.15, steps=5),
    "08-curve": lambda W, model: W.gradient_descent_stepper("1-D curve", start=2.2, steps=0),
    "09-computation-graphs": lambda W, model: W.logistic_graph(),
    "10-backpropagation": lambda W, model: W.backprop_stepper(),
    "11-training": lambda W, model: W.training_playground(),
    "12-initialization": lambda W, model: W.init_explorer("normal", "tanh", depth=5),
    "13-softmax": lambda W, model: W.softmax_explorer((2.0, 1.0, 0.1), label=0),
    "14-digits": lambda W, model: W.digits_explorer(model),
    "15-frameworks": lambda W, model: W.framework_step_explorer(),
}


@pytest.fixture(scope="module")
def catalogues():
    return {locale: _l10n.Catalogue.load(locale) for locale in LOCALES}


@pytest.fixture(scope="module")
def book_widgets():
    """{name: (widget state as a page embeds it, [the texts of its figures])} for every book widget."""
    import nnbook.widgets as W
    from ipywidgets.embed import dependency_state
    from nnbook.widgets import _common
    from nnbook.widgets.digits import default_digits_model

    model = default_digits_model(rng=0, epochs=5)
    figures: list[str] = []
    first: list = []
    draw = _common.figure_to_png

    tiny = _tiny_png()

    def recording(fig, *args, **kwargs):
        # The figure's texts, not its pixels: the strings are what this fixture collects, and the
        # 700-odd pictures would take minutes. (The widgets' words are all set before a figure is
        # drawn, tick labels included; the test after it draws each widget's first figure.)
        figures.extend(t.get_text() for t in _l10n.figure_texts(fig))
        if not first:
            first.append(fig)
            return draw(fig, *args, **kwargs)
        return tiny

    # Some widgets keep the figures they drew (functools.lru_cache): draw every one afresh.
    import importlib

    for module in ("activations", "derivatives", "losses", "neuron", "vectors"):
        for value in vars(importlib.import_module(f"nnbook.widgets.{module}")).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    found = {}
    _common.figure_to_png = recording
    try:
        for name, make in BOOK_WIDGETS.items():
            figures.clear()
            first.clear()
            widget = make(W, model)
            found[name] = ({"state": dependency_state(widget)}, list(figures))
            FIRST_FIGURES[name] = first[0]
    finally:
        _common.figure_to_png = draw
    return found


FIRST_FIGURES: dict = {}  # the first figure each book widget draws (book_widgets fills it)


# ---------------------------------------------------------------- the catalogues
def test_catalogues_are_complete_and_alike():
    zh_cn = i18n.read_po(ROOT / "locales/zh_CN/LC_MESSAGES/nnbook-ui.po")
    zh_tw = i18n.read_po(ROOT / "locales/zh_TW/LC_MESSAGES/nnbook-ui.po")
    ids = lambda c: [(m.context, m.id) for m in c if m.id]  # noqa: E731
    assert ids(zh_cn) == ids(zh_tw), "zh_TW is out of date: run `python tools/i18n.py convert`"
    for catalog in (zh_cn, zh_tw):
        bad = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert not bad, f"untranslated or fuzzy: {bad}"
    # zh_TW is the conversion of zh_CN, exactly.
    converted = i18n.traditional_catalog(zh_cn, i18n.load_overrides())
    assert [m.string for m in converted if m.id] == [m.string for m in zh_tw if m.id]


def test_every_widget_string_is_translated(book_widgets, catalogues):
    missing = {}
    for name, (state, _) in book_widgets.items():
        for locale, catalogue in catalogues.items():
            try:
                _l10n.translate_widget_state(state, catalogue)
            except _l10n.MissingTranslation as error:
                missing.setdefault(name, error.text)
    assert not missing, f"strings with no translation, by widget: {missing}"


def test_every_figure_word_is_translated(book_widgets, catalogues):
    words = {text for _, texts in book_widgets.values() for text in texts if _l10n.needs_translation(text)}
    assert words, "the widgets' figures show words (titles, axes, legends): none were collected"
    for catalogue in catalogues.values():
        missing = _untranslated(catalogue, words)
        assert not missing, f"{catalogue.locale}: figure words with no translation: {missing}"


def _untranslated(catalogue, words) -> list[str]:
    """The strings of ``words`` that ``catalogue`` cannot translate, sorted."""
    missing = []
    for text in sorted(words):
        try:
            catalogue.translate(text)
        except _l10n.MissingTranslation:
            missing.append(text)
    return missing


def test_translated_widgets_show_no_english_word(book_widgets, catalogues):
    """What a translation leaves in Latin letters is a formula, a name or code, never prose."""
    english = re.compile(r"\b(the|of|and|with|at|from|to|is|in|for|on|as)\b")
    for name, (state, _) in book_widgets.items():
        translated = _l10n.translate_widget_state(state, catalogues["zh_CN"])
        texts = _l10n.collect(lambda tr, s=translated: _l10n.translate_widget_state(s, tr))
        prose = [t for t in texts if english.search(t) and not re.search(r"[\u4e00-\u9fff]", t)]
        assert not prose, f"{name}: English left in the 简体 widget: {prose[:3]}"


# The numbers Python formatted (a decimal point): a template's own words may hold digits ("2-D").
_NUMBER = re.compile(r"[-−]?\d+\.\d+(?:e[-+]\d+)?")


def _numbers(state) -> list[str]:
    values = []
    for model in state["state"].values():
        value = model["state"].get("value")
        if model["model_name"] == "HTMLModel" and isinstance(value, str):
            text = re.sub(r"<[^>]+>|data:image/png;base64,[A-Za-z0-9+/=]+", " ", value)
            values += _NUMBER.findall(text)
    return values


@pytest.mark.parametrize("name", ["08-bowl", "11-training", "12-initialization", "14-digits", "15-frameworks"])
def test_translated_readouts_carry_the_english_numbers(book_widgets, catalogues, name):
    state, _ = book_widgets[name]
    english = sorted(_numbers(state))
    assert len(english) > 10
    for catalogue in catalogues.values():
        assert sorted(_numbers(_l10n.translate_widget_state(state, catalogue))) == english


# ---------------------------------------------------------------- the matching
def test_a_template_keeps_its_pieces_and_translates_words_in_them():
    catalogue = _l10n.Catalogue({"step {k}: loss = {loss}": "第 {k} 步：损失 = {loss}",
                                 "The {act} curve": "{act} 曲线", "sigmoid": "S 型函数"}, "test")
    assert catalogue.translate("step 12: loss = -0.0836") == "第 12 步：损失 = -0.0836"
    assert catalogue.translate("The sigmoid curve") == "S 型函数 曲线"
    assert catalogue.translate("  z = 1.5 ") == "  z = 1.5 "  # no word: nothing to translate
    assert catalogue.translate("$x_1$") == "$x_1$"
    with pytest.raises(_l10n.MissingTranslation, match="'The tanh curve'"):
        catalogue.translate("The tanh curve")


def test_a_catalogue_rejects_a_translation_that_drops_a_placeholder():
    with pytest.raises(ValueError, match="placeholders"):
        _l10n.Catalogue({"step {k}": "步"}, "test")
    with pytest.raises(ValueError, match="untranslated"):
        _l10n.Catalogue({"step": ""}, "test")


def test_html_text_nodes_and_attributes_are_translated_not_markup():
    catalogue = _l10n.Catalogue({"loss": "损失", "A curve": "一条曲线", "Draw here": "在此绘制",
                                 "figure, scrolls sideways": "图，可横向滚动"}, "test")
    source = ('<style>.x{color:red}</style><div class="loss" aria-label="figure, scrolls sideways">'
              '<b>loss</b> = 0.5 &lt; 1<img src="a.png" alt="A curve"></div>'
              '<div data-nnbook-ui=\'{"empty":"Draw here"}\'></div>')
    out = _l10n.translate_html(source, catalogue)
    assert out == ('<style>.x{color:red}</style><div class="loss" aria-label="图，可横向滚动">'
                   '<b>损失</b> = 0.5 &lt; 1<img src="a.png" alt="一条曲线"></div>'
                   '<div data-nnbook-ui=\'{&quot;empty&quot;:&quot;在此绘制&quot;}\'></div>')


# ---------------------------------------------------------------- the build's rewriting
@pytest.fixture(scope="module")
def neuron_state():
    import nnbook.widgets as W
    from ipywidgets.embed import dependency_state

    return {"state": dependency_state(W.neuron_playground())}


def _page(state: dict) -> str:
    body = json.dumps(state).replace("</script>", r"<\/script>")
    return ('<html><head>\n</head><body><p>The page.</p>'
            f'<script type="application/vnd.jupyter.widget-state+json">{body}</script></body></html>')


def test_the_extension_translates_a_pages_widget_state(neuron_state, catalogues):
    state = neuron_state
    page = _page(state)
    out = ui_l10n.localize_page(page, "zh-Hans", catalogues["zh_CN"])
    assert "<p>The page.</p>" in out  # the page's own text is the book catalogues' work
    new = json.loads(re.search(r'widget-state\+json">(.*?)</script>', out, re.S).group(1))
    descriptions = {m["state"].get("description") for m in new["state"].values()}
    assert {"权重 w₂", "偏置 b", "激活函数 f"} <= descriptions
    labels = [m["state"]["_options_labels"] for m in new["state"].values() if "_options_labels" in m["state"]]
    assert ["S 型函数", "阶跃函数"] in labels
    html = " ".join(m["state"]["value"] for m in new["state"].values() if m["model_name"] == "HTMLModel")
    assert "红点标出神经元的当前点" in html and "marked in red" not in html
    # English: nothing changes (no image variants here).
    assert ui_l10n.localize_page(page, "en") == page


def test_a_missing_string_fails_the_build_with_its_name(neuron_state, tmp_path):
    state = neuron_state
    page = tmp_path / "out" / "book" / "01-neuron.html"
    page.parent.mkdir(parents=True)
    page.write_text(_page(state), encoding="utf-8")
    locales = tmp_path / "locales"
    po = (ROOT / "locales/zh_CN/LC_MESSAGES/nnbook-ui.po").read_text(encoding="utf-8")
    po = po.replace('msgid "bias b"\nmsgstr "偏置 b"\n', "")
    (locales / "zh_CN" / "LC_MESSAGES").mkdir(parents=True)
    (locales / "zh_CN" / "LC_MESSAGES" / "nnbook-ui.po").write_text(po, encoding="utf-8")

    from types import SimpleNamespace

    from sphinx.errors import ExtensionError

    app = SimpleNamespace(outdir=str(tmp_path / "out"), builder=SimpleNamespace(format="html"),
                          config=SimpleNamespace(language="zh_CN"))
    with pytest.raises(ExtensionError, match=r"'bias b' \(in book/01-neuron.html\)"):
        ui_l10n._localize(app, None, locales=locales)
    # With the full catalogue the same page is translated, and marked as done.
    app_ok = SimpleNamespace(**{**vars(app)})
    ui_l10n._localize(app_ok, None)
    text = page.read_text(encoding="utf-8")
    assert "偏置 b" in text and 'name="nnbook-ui-language" content="zh-Hans"' in text


def test_each_edition_keeps_only_its_own_images():
    from nnbook.widgets._common import image_html

    png = _tiny_png()
    html = image_html(png, "A plot", variants={"zh-Hans": png, "zh-Hant": png})
    assert html.count("<img") == 3
    english = _l10n.keep_language(html, "en")
    assert english == image_html(png, "A plot")  # exactly what an English-only build writes
    hans = _l10n.keep_language(html, "zh-Hans")
    assert hans.count("<img") == 1 and "data-nnbook-lang" not in hans


def _tiny_png() -> bytes:
    from nnbook.widgets._common import figure_to_png, new_figure

    fig = new_figure((1, 1))
    fig.add_subplot().plot([0, 1])
    return figure_to_png(fig, dpi=20)


# ---------------------------------------------------------------- figures
def test_every_widget_figure_is_drawn_in_both_scripts_with_no_missing_glyph(book_widgets):
    from nnbook.widgets._common import figure_to_png, translated_figures

    assert set(FIRST_FIGURES) == set(BOOK_WIDGETS)
    for name, fig in FIRST_FIGURES.items():
        if not _l10n.worded_texts(fig):
            continue
        english = [t.get_text() for t in _l10n.figure_texts(fig)]
        png = figure_to_png(fig)
        pictures = translated_figures(fig, list(LOCALES))  # as the book draws them; a missing glyph raises
        for locale in LOCALES:
            assert pictures[_l10n.EDITIONS[locale]] != png, f"{name}: the {locale} figure is the English one"
            _l10n.render_translated(fig, locale, figure_to_png)  # drawn in full: no missing glyph either
        assert [t.get_text() for t in _l10n.figure_texts(fig)] == english  # the figure given back as it was


def test_a_glyph_missing_from_the_fonts_is_an_error():
    from nnbook.widgets._common import figure_to_png, new_figure

    fig = new_figure((2, 1))
    fig.add_subplot().set_title("loss")
    catalogue = _l10n.Catalogue({"loss": "\U0001F9EA 损失"}, "zh_CN")  # a test tube: no font has it
    _l10n.catalogue.cache_clear()
    original = _l10n.catalogue
    _l10n.catalogue = lambda locale: catalogue
    try:
        with pytest.raises(UserWarning, match="Glyph .* missing"):
            _l10n.render_translated(fig, "zh_CN", figure_to_png)
    finally:
        _l10n.catalogue = original


def test_variants_are_drawn_only_for_the_book_and_only_for_figures_with_words(monkeypatch):
    from nnbook.widgets._common import figure_html, new_figure

    fig = new_figure((2, 1))
    ax = fig.add_subplot()
    ax.plot(np.arange(3))
    assert "data-nnbook-lang" not in figure_html(fig, "A line")  # Jupyter: English only
    monkeypatch.setenv(_l10n.ENV, "zh_CN,zh_TW")
    assert "data-nnbook-lang" not in figure_html(fig, "A line")  # numbers only: nothing to translate
    ax.set_title("loss")
    html = figure_html(fig, "A line")
    assert [m for m in re.findall(r'data-nnbook-lang="([^"]+)"', html)] == ["en", "zh-Hans", "zh-Hant"]
    monkeypatch.setenv(_l10n.ENV, "fr")
    with pytest.raises(ValueError, match="NNBOOK_EDITIONS"):
        figure_html(fig, "A line")


def test_a_notebook_figure_carries_its_pictures_for_the_editions(tmp_path):
    """The kernel's figure formatter: a figure with words gets a picture per edition in its output's
    metadata, and the build swaps it in and translates the image's alt text."""
    import base64
    import hashlib

    from nnbook.widgets._common import figure_to_png, new_figure

    fig = new_figure((2, 1.5))
    ax = fig.add_subplot()
    ax.plot([0, 1], [1, 0])
    assert _l10n.translated_pngs(fig, figure_to_png, list(LOCALES)) == {}  # no word: nothing more
    ax.set_title("loss")
    metadata = _l10n.translated_pngs(fig, figure_to_png, list(LOCALES))
    assert set(metadata[_l10n.METADATA_KEY]) == {"zh-Hans", "zh-Hant"}
    assert metadata[_l10n.WORDS_KEY] == ["loss"]
    ax.set_xlabel("an axis no catalogue has")
    ax.set_ylabel("nor this one")
    assert _l10n.translated_pngs(fig, figure_to_png, ["zh_CN"]) == {  # every missing word, by name
        _l10n.MISSING_KEY: ["an axis no catalogue has", "nor this one"],
        _l10n.WORDS_KEY: ["an axis no catalogue has", "loss", "nor this one"]}
    ax.set_xlabel("")
    ax.set_ylabel("")

    # The executed notebook as the cache holds it, and a page that shows its figure.
    english = figure_to_png(fig)
    sha = hashlib.sha256(english).hexdigest()
    output = {"output_type": "display_data", "data": {"image/png": base64.b64encode(english).decode()},
              "metadata": {"image/png": metadata}}
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "nb.ipynb").write_text(json.dumps({"cells": [{"outputs": [output]}]}), encoding="utf-8")
    out = tmp_path / "html"
    (out / "_images").mkdir(parents=True)
    from types import SimpleNamespace

    app = SimpleNamespace(outdir=str(out), config=SimpleNamespace(language="zh_CN", nb_execution_cache_path=str(cache)))
    figures = ui_l10n.edition_figures(app, "zh-Hans")
    alt = "Thirty small 8 by 8 pixel images of handwritten digits in two rows, each labelled with its digit."
    page = f'<img alt="{alt}" src="../_images/{sha}.png" />'
    new = ui_l10n.localize_page(page, "zh-Hans", _l10n.Catalogue.load("zh_CN"), figures)
    name = re.search(r'_images/([0-9a-f]{64}\.png)', new).group(1)
    assert name != f"{sha}.png"
    assert (out / "_images" / name).read_bytes() == base64.b64decode(metadata[_l10n.METADATA_KEY]["zh-Hans"])
    assert 'alt="两行共三十幅 8×8 像素的小幅手写数字图像，每幅标有它的数字。"' in new


def test_a_kernel_started_for_the_book_gives_each_figure_its_editions_pictures(tmp_path, monkeypatch):
    """tools/execute_notebooks.py starts its kernels with the formatter installed: a pyplot figure
    (no nnbook.plots in sight) and a helper's figure both carry their pictures, the helper's its
    alt text too; a figure with a word no catalogue has carries that word, for the build to name."""
    import nbformat
    from execute_notebooks import KERNEL_ARGUMENTS
    from jupyter_cache.executors.utils import single_nb_execution

    monkeypatch.setenv(_l10n.ENV, "zh_CN,zh_TW")
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(code) for code in (
        "import matplotlib.pyplot as plt",
        "fig, ax = plt.subplots(figsize=(2, 1.5)); ax.plot([1, 2]); ax.set_xlabel('epoch'); plt.show()",
        "fig, ax = plt.subplots(figsize=(2, 1.5)); ax.set_title('a title no catalogue has'); plt.show()",
        "from nnbook.plots.decision import loss_curve\nloss_curve([1.0, 0.5, 0.2])",
        "fig, ax = plt.subplots(figsize=(2, 1.5)); ax.plot([1, 2])")]
    result = single_nb_execution(nb, cwd=str(tmp_path), timeout=120, allow_errors=False,
                                 extra_arguments=KERNEL_ARGUMENTS)
    assert result.err is None, result.exc_string
    metadata = [o.get("metadata", {}).get("image/png", {}) for cell in nb.cells for o in cell.outputs
                if "image/png" in o.get("data", {})]
    assert len(metadata) == 4
    assert set(metadata[0][_l10n.METADATA_KEY]) == {"zh-Hans", "zh-Hant"}
    assert metadata[0][_l10n.WORDS_KEY] == ["epoch"]
    assert metadata[1][_l10n.MISSING_KEY] == ["a title no catalogue has"]
    assert set(metadata[2][_l10n.METADATA_KEY]) == {"zh-Hans", "zh-Hant"} and metadata[2]["alt"]
    assert metadata[3] == {}  # numbers only: nothing more


# ---------------------------------------------------------------- the built book
def _chapter_figures(built_book) -> list[dict]:
    """The image/png metadata of every figure output of the book's pages, as executed for this
    session's build (the kernels recorded each figure's words while drawing it)."""
    from figure_alt import figure_outputs

    return [meta for _, meta in figure_outputs(built_book.parent / ".jupyter_cache")]


def test_every_chapter_figure_word_is_in_both_catalogues(built_book, catalogues):
    figures = _chapter_figures(built_book)
    words = {w for meta in figures for w in meta.get(_l10n.WORDS_KEY, [])}
    assert len(words) > 50, f"the chapters' figures show titles, axes and legends; collected only {sorted(words)}"
    for catalogue in catalogues.values():
        missing = _untranslated(catalogue, words)
        assert not missing, f"{catalogue.locale}: chapter figure words with no translation: {missing}"
    without = [meta[_l10n.WORDS_KEY] for meta in figures
               if meta.get(_l10n.WORDS_KEY) and set(meta.get(_l10n.METADATA_KEY, {})) != {"zh-Hans", "zh-Hant"}]
    assert not without, f"figures with words but no picture per edition: {without[:3]}"


def test_a_chinese_page_shows_its_figures_in_its_own_language(built_book):
    """The same figure, three pictures: the English page's <img> and the 简体 and 繁體 pages' differ."""
    def images(page: Path) -> list[str]:
        return re.findall(r'<img\b[^>]*?\bsrc="(?:\.\./)*_images/([0-9a-f]{64}\.png)"', page.read_text(encoding="utf-8"))

    english = images(built_book / "book" / "11-training.html")
    hans = images(built_book / "zh-cn" / "book" / "11-training.html")
    hant = images(built_book / "zh-tw" / "book" / "11-training.html")
    assert len(english) == len(hans) == len(hant) >= 3
    changed = [(e, s, t) for e, s, t in zip(english, hans, hant) if e != s]
    assert len(changed) >= 3, "the 简体 page shows the English pictures"
    assert any(s != t for _, s, t in changed), "the 繁體 page shows the 简体 pictures"
    for e, s, t in changed:
        assert (built_book / "zh-cn" / "_images" / s).is_file() and (built_book / "zh-tw" / "_images" / t).is_file()


def test_a_widget_figures_editions_are_its_picture_with_other_words():
    """A widget figure's edition is drawn as its words over the English picture without them: the
    English layout, the English pixels away from the words, and the figure given back as it was."""
    from nnbook.widgets._common import figure_to_png, new_figure, translated_figures
    from PIL import Image

    fig = new_figure()
    ax = fig.add_subplot()
    x = np.linspace(-4, 4, 50)
    ax.plot(x, np.tanh(x), label="training loss")
    ax.set_title("loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.legend(loc="upper left")
    english = figure_to_png(fig)
    before = [(t, t.get_text(), t.get_position(), t.get_fontfamily()) for t in _l10n.figure_texts(fig)]
    canvas, engine, dpi = fig.canvas, fig.get_layout_engine(), fig.dpi
    pictures = translated_figures(fig, list(LOCALES))
    assert set(pictures) == {"en", "zh-Hans", "zh-Hant"} and pictures["zh-Hans"] != pictures["zh-Hant"]
    assert pictures.pop("en") == english  # its words drawn over the words-free picture: the same file
    pixels = lambda png: np.asarray(Image.open(__import__("io").BytesIO(png)).convert("RGB")).astype(int)  # noqa: E731
    for png in pictures.values():
        changed = (np.abs(pixels(png) - pixels(english)).sum(axis=-1) > 0).mean()
        assert 0 < changed < 0.05, f"{changed:.1%} of the pixels differ: more than the words"
    assert [(t, t.get_text(), t.get_position(), t.get_fontfamily()) for t in _l10n.figure_texts(fig)] == before
    assert (fig.canvas, fig.get_layout_engine(), fig.dpi) == (canvas, engine, dpi)
    # Words in the tick labels: drawn in full for each edition.
    ax.set_xticks([-2, 2], ["sigmoid", "tanh"])
    english = figure_to_png(fig)
    pictures = translated_figures(fig, ["zh_CN"])
    assert set(pictures) == {"en", "zh-Hans"} and pictures["zh-Hans"] != english == pictures["en"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["sigmoid", "tanh"]
    # A word no catalogue has: named.
    ax.set_title("a title no catalogue has")
    with pytest.raises(_l10n.MissingTranslation, match="a title no catalogue has"):
        translated_figures(fig, ["zh_CN"])


def test_a_changed_translation_executes_the_notebooks_again(tmp_path):
    """The execution cache keys on the notebooks' code; the figures' pictures depend on the UI
    catalogues too, so tools/execute_notebooks.py records a digest of them with each notebook."""
    from execute_notebooks import EDITIONS, catalogues_digest

    for locale in EDITIONS:
        path = tmp_path / "locales" / locale / "LC_MESSAGES" / "nnbook-ui.po"
        path.parent.mkdir(parents=True)
        path.write_bytes((ROOT / "locales" / locale / "LC_MESSAGES" / "nnbook-ui.po").read_bytes())
    before = catalogues_digest(tmp_path)
    assert before == catalogues_digest(ROOT) == catalogues_digest(tmp_path)
    po = tmp_path / "locales" / "zh_TW" / "LC_MESSAGES" / "nnbook-ui.po"
    po.write_text(po.read_text(encoding="utf-8").replace("權重", "权值", 1), encoding="utf-8")
    assert catalogues_digest(tmp_path) != before


@pytest.mark.parametrize("draw", ["in full", "over the English picture"])
def test_chinese_inside_mathtext_is_an_error_not_a_box(draw):
    """Matplotlib draws a ``$…$`` string with its math fonts, which have no Chinese and no fallback:
    it only logs the box it draws. The editions' drawing makes that an error."""
    from nnbook.widgets._common import figure_to_png, new_figure, translated_figures

    fig = new_figure((2, 1))
    fig.add_subplot().set_title("the offset $c$")
    figure_to_png(fig)
    catalogue = _l10n.Catalogue({"the offset $c$": "偏移量 $c$"}, "zh_CN")
    original = _l10n.catalogue
    _l10n.catalogue = lambda locale: catalogue
    try:
        with pytest.raises(_l10n.MissingGlyph, match="does not have a glyph"):
            if draw == "in full":
                _l10n.render_translated(fig, "zh_CN", figure_to_png)
            else:
                translated_figures(fig, ["zh_CN"])
    finally:
        _l10n.catalogue = original
