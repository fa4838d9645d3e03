"""Sphinx extension: the widgets' and figures' words in the page's language.

The notebooks are executed once, in English (tools/execute_notebooks.py); the Chinese editions
are built from the same outputs (tools/i18n.py), so what the library wrote into them is English:
widget control names, option labels, readouts, alt texts, the digit pad's text. In a Chinese
build this extension rewrites, in every page written, from the UI catalogue
``locales/<zh_CN|zh_TW>/LC_MESSAGES/nnbook-ui.po`` (see ``nnbook.plots._l10n``):

* the widget state embedded in the page (``application/vnd.jupyter.widget-state+json``): each
  control's description, tooltip and option labels, and the text nodes and alt/aria-label
  attributes of every HTML view;
* the digit pad (``.nnbook-digitpad``): its text, its accessible names, and the strings its script
  shows (the ``data-nnbook-ui`` attribute).

A string with English words that the catalogue does not translate fails the build, naming it.

A widget's figure carries its picture drawn again with translated words
(``<img data-nnbook-lang="zh-Hans" …>``, drawn when the notebooks are executed for the book):
every edition, English included, keeps only its own language's image, so that no page carries
three. A notebook figure (an output image) gets its alt text translated; the kernels of
tools/execute_notebooks.py (``nnbook.plots._l10n.install_figure_formatter``) also put the figure
drawn in each edition's language into the output's metadata, and this extension writes that
picture into the edition's _images/ and points the page at it (a figure whose words the
catalogue lacks fails the build, naming them).

In the English build the extension changes nothing but that choice of images.

``python tools/i18n.py convert`` (and ``make translations``) writes
locales/zh_TW/LC_MESSAGES/nnbook-ui.po from the zh_CN catalogue with :func:`convert` (OpenCC and
the glossary's overrides, as it converts the pages).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Sphinx language -> the BCP 47 tag of its images; English is any other language.
LANGS = {"zh_CN": "zh-Hans", "zh_TW": "zh-Hant"}
_STATE = re.compile(r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)', re.S)
_PAD = re.compile(r'<div id="nnbook-digitpad-[0-9a-f]+" class="nnbook-digitpad".*?\n</div>\n', re.S)
_MARK = '<meta name="nnbook-ui-language" content="{lang}">'


def edition_lang(language: str | None) -> str:
    """The image language of a Sphinx language: zh-Hans, zh-Hant, or en."""
    return LANGS.get((language or "en").replace("-", "_"), "en")


_OUTPUT_IMG = re.compile(r'<img\b[^>]*?\bsrc="((?:\.\./)*_images/)([0-9a-f]{64})\.png"[^>]*>')


def localize_page(page: str, lang: str, translate=None, figures=None) -> str:
    """``page`` (a built HTML page) with the widgets' words in ``translate``'s language (None:
    English, words unchanged) and only the images of ``lang``.

    ``figures(sha256) -> file name or None`` gives the picture of a notebook figure (an output
    image, ``_images/<sha256>.png``) in this edition's language; the alt text of every output image
    is translated too."""
    from nnbook.plots import _l10n

    def output_image(match):
        tag = match.group(0)
        if figures is not None:
            name = figures(match.group(2))
            if name:
                tag = tag.replace(f"{match.group(1)}{match.group(2)}.png", f"{match.group(1)}{name}")
        return _l10n.translate_html(tag, translate)

    def state(match):
        raw = match.group(2)
        if translate is None and "data-nnbook-lang" not in raw:
            return match.group(0)
        data = json.loads(raw)
        for model in data.get("state", {}).values():
            fields = model.get("state", {})
            if isinstance(fields.get("value"), str) and "data-nnbook-lang" in fields["value"]:
                fields["value"] = _l10n.keep_language(fields["value"], lang)
        if translate is not None:
            data = _l10n.translate_widget_state(data, translate)
        # As MyST-NB writes it; Chinese as UTF-8 (half the bytes of \\u escapes).
        body = json.dumps(data, ensure_ascii=translate is None).replace("</script>", r"<\/script>")
        return match.group(1) + body + match.group(3)

    page = _STATE.sub(state, page)
    if translate is not None:
        page = _PAD.sub(lambda m: _l10n.translate_html(m.group(0), translate), page)
        page = _OUTPUT_IMG.sub(output_image, page)
    return page


def edition_figures(app, lang: str):
    """A function giving, for the sha256 of a notebook figure's English PNG, the file name of its
    picture in ``lang`` under the build's _images/ (written on first use), or None if it has no
    words. A figure whose words the catalogues lack raises MissingTranslation, naming them."""
    import hashlib

    from figure_alt import figure_variants
    from nnbook.plots._l10n import MissingTranslation

    cache = getattr(app.config, "nb_execution_cache_path", "") or Path(app.outdir).parent / ".jupyter_cache"
    variants, missing = figure_variants(Path(cache))
    images = Path(app.outdir) / "_images"

    def picture(sha: str) -> str | None:
        if sha in missing:
            raise MissingTranslation(" | ".join(missing[sha]), app.config.language)
        png = variants.get(sha, {}).get(lang)
        if png is None:
            return None
        name = hashlib.sha256(png).hexdigest() + ".png"
        if not (images / name).exists():
            images.mkdir(parents=True, exist_ok=True)
            (images / name).write_bytes(png)
        return name

    return picture


def translated_pages() -> set[str]:
    """The pages a Chinese edition translates (tools/i18n.py's list)."""
    tools = str(ROOT / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    from i18n import PAGES

    return set(PAGES)


def _localize(app, exception, locales: Path | None = None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util import logging

    lang = edition_lang(app.config.language)
    translate = figures = None
    if lang != "en":
        from nnbook.plots import _l10n

        translate = _l10n.Catalogue.load(app.config.language.replace("-", "_"), locales or ROOT / "locales")
        figures = edition_figures(app, lang)
    mark = _MARK.format(lang=lang)
    count, missing = 0, {}
    for path in sorted(Path(app.outdir).rglob("*.html")):
        if "_static" in path.parts:
            continue
        page = path.relative_to(app.outdir).with_suffix("").as_posix()
        # The exercise and solution pages stay English in this edition: their images too.
        page_translate = translate if page in translated_pages() else None
        text = path.read_text(encoding="utf-8")
        if mark in text or (page_translate is None and "data-nnbook-lang" not in text):
            continue  # done already (an unchanged page of an incremental build), or nothing to do
        try:
            new = localize_page(text, lang, page_translate, figures if page_translate else None)
        except Exception as error:  # a MissingTranslation: collected, and the build fails below
            from nnbook.plots._l10n import MissingTranslation

            if not isinstance(error, MissingTranslation):
                raise
            missing.setdefault(error.text, []).append(path.relative_to(app.outdir).as_posix())
            continue
        new = new.replace("</head>", f"  {mark}\n  </head>", 1) if page_translate else new
        if new != text:
            path.write_text(new, encoding="utf-8")
            count += 1
    if missing:
        # Report every missing string of every page, not only the first one met.
        names = "; ".join(f"{text!r} (in {', '.join(pages)})" for text, pages in sorted(missing.items()))
        from sphinx.errors import ExtensionError

        raise ExtensionError(f"ui_l10n: the UI catalogue {app.config.language}/LC_MESSAGES/nnbook-ui.po "
                             f"has no translation of: {names}")
    logging.getLogger(__name__).info(f"ui_l10n: widgets of {count} pages in {lang}")


def setup(app):
    # After figure_alt (priority 500), which writes the figures' alt texts this one translates.
    app.connect("build-finished", _localize, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
