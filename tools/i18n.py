"""The Chinese editions: message catalogues, 繁體 from 简体, and the two builds.

The English pages are the source. Sphinx's gettext builder extracts every paragraph, heading,
list item, caption and table cell as one message; ``locales/zh_CN/LC_MESSAGES/<page>.po`` holds
the 简体 translation of each message (written by people, kept in the repository), and
``locales/zh_TW/LC_MESSAGES/<page>.po`` is derived from it by OpenCC (Simplified to Taiwan
standard, with phrases), corrected by the glossary's Traditional terms where OpenCC chooses
differently (``tools/zh_overrides.tsv``, one override a line).

Commands (run from the repository root, with ``PYTHONPATH=src``)::

    python tools/i18n.py extract      # English pages -> _build/i18n/gettext/*.pot (executes nothing)
    python tools/i18n.py update       # extract, then merge the .pot files into locales/zh_CN
    python tools/i18n.py convert      # locales/zh_CN -> locales/zh_TW (OpenCC + overrides)
    python tools/i18n.py status       # entries translated / total, per page
    python tools/i18n.py build        # the two editions, _build/html/zh-cn and _build/html/zh-tw

``make book`` runs ``build`` after the English build. The Chinese builds execute no notebook: they
read the execution cache that the English build (``jupyter-book build .``) filled, so every glued
number is the English page's number. The two are independent Sphinx builds (each its own
doctrees, under ``_build/i18n``), run side by side in two processes, each held to ``-W`` as the
English build is: a warning fails the build, after every warning has been reported.

The words around the pages are translated too: the part captions of ``_toc.yml`` (by the root
page's catalogue), and the words of Sphinx, of the theme and of ``book/_templates`` (the
catalogues ``sphinx.po`` and ``booktheme.po`` beside the pages' ones, written by hand, see
UI_CATALOGUES). Every page of every edition declares its language and links the other two
editions; the templates do it (``book/_templates/nnbook-editions.html``).
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
BUILD = ROOT / "_build"
POT_DIR = BUILD / "i18n" / "gettext"
OVERRIDES = ROOT / "tools" / "zh_overrides.tsv"
# Rows and columns as Taiwan writes them (列 a row, 行 a column): see the file.
ROWS = ROOT / "tools" / "zh_tw_rows.tsv"
GLOSSARY_DIR = ROOT / "book" / "_glossary"

# Edition: (Sphinx language, output folder under _build/html, its pages' lang attribute; the
# templates write it: book/_templates/nnbook-editions.html)
EDITIONS = {
    "zh_CN": ("zh_CN", "zh-cn", "zh-Hans"),
    "zh_TW": ("zh_TW", "zh-tw", "zh-Hant"),
}

# The Sphinx settings every Chinese build and the extraction share. One catalogue per page
# (gettext_compact False), no per-message uuid (the catalogues change only when the text does),
# no source line numbers in the .pot files (they would change with every edit above a message).
I18N_CONFIG = {
    "locale_dirs": [str(LOCALES)],
    "gettext_compact": False,
    "gettext_uuid": False,
    "gettext_location": False,
    "gettext_auto_build": False,
}

# Pages whose text is translated, in the order the translation proceeds. The exercise and
# solution notebooks stay English in this edition.
PAGES = ["book/intro", "book/how-to-use"] + [
    f"book/{name}" for name in (
        "01-neuron", "02-vectors", "03-matrices", "04-activations", "05-forward", "06-losses",
        "07-derivatives", "08-gradient-descent", "09-computation-graphs", "10-backpropagation",
        "11-training", "12-initialization", "13-softmax", "14-digits", "15-frameworks",
    )
] + ["book/notation", "book/glossary", "book/performance", "book/bibliography", "book/errata"]

# The words around the pages, one catalogue per gettext domain, in each locale's LC_MESSAGES:
# ``sphinx`` (Sphinx's own words, pydata-sphinx-theme's, and the ``_()`` of book/_templates) and
# ``booktheme`` (sphinx-book-theme's buttons and labels). Sphinx and the themes translate many of
# their words already, but not all, and pydata-sphinx-theme has one Chinese catalogue, in 简体,
# that the 繁體 edition would fall back to; these catalogues come first in both editions. They
# are written by hand (no template extracts them: the theme's words are in its Python code and
# templates), and zh_TW is converted from zh_CN like the pages' catalogues.
UI_CATALOGUES = ["sphinx", "booktheme"]
# The words the library's widgets and figures show (tools/ui_l10n.py reads it in the builds):
# written by hand like UI_CATALOGUES, converted to zh_TW with the pages' catalogues.
LIBRARY_CATALOGUE = "nnbook-ui"

# Settings whose text a reader sees, with the English message of the ``sphinx`` catalogue that
# translates each (the book's title and author come from _config.yml).
CONFIG_MESSAGES = {
    "html_title": "nnbook: Neural Networks from First Principles",
    "author": "The nnbook authors",
    "html_theme_options.search_bar_text": "Search this book...",
    "togglebutton_hint": "Click to show",
    "togglebutton_hint_hide": "Click to hide",
    "nb_code_prompt_show": "Show code cell {type}",
    "nb_code_prompt_hide": "Hide code cell {type}",
    "html_theme_options.logo.alt_text": "%s - Home",
}


def _build_sphinx(outdir: Path, builder: str, overrides: dict, doctrees: Path, warningiserror: bool = False) -> int:
    """Build the book with jupyter-book's own configuration from _config.yml, plus ``overrides``
    (nested settings such as html_theme_options are merged into _config.yml's); with
    ``warningiserror``, as ``jupyter-book build -W --keep-going``: every warning is reported,
    then the status is 1 if there was any."""
    from jupyter_book.sphinx import build_sphinx

    overrides = {"external_toc_path": str(ROOT / "_toc.yml"), "latex_individualpages": False,
                 **I18N_CONFIG, **overrides}
    result = build_sphinx(str(ROOT), str(outdir), noconfig=True, path_config=str(ROOT / "_config.yml"),
                          confoverrides=overrides, builder=builder, doctreedir=str(doctrees),
                          keep_going=True, quiet=True, warningiserror=warningiserror)
    if isinstance(result, Exception):
        raise result
    return result


def extract() -> Path:
    """Write one .pot file per page into _build/i18n/gettext. Nothing is executed."""
    overrides = {"nb_execution_mode": "off", "project": "nnbook"}
    _build_sphinx(POT_DIR, "gettext", overrides, BUILD / "i18n" / ".doctrees-gettext")
    return POT_DIR


def update(extract_first: bool = True) -> None:
    """Extract, then merge the templates into the 简体 catalogues (sphinx-intl update)."""
    if extract_first:
        extract()
    # The exercise and solution notebooks are extracted too (Sphinx writes a template for every
    # document): drop their templates first, so that sphinx-intl creates no catalogue for them.
    # So is sphinx.pot (the _() of book/_templates only): sphinx.po, which has the theme's words
    # too, is kept by hand, and tests/test_i18n.py checks that it has every word of the templates.
    for template in sorted(POT_DIR.rglob("*.pot")):
        if template.relative_to(POT_DIR).with_suffix("").as_posix() not in PAGES:
            template.unlink()
    subprocess.run([sys.executable, "-m", "sphinx_intl", "update", "-p", str(POT_DIR), "-d", str(LOCALES),
                    "-l", "zh_CN", "-w", "0"], check=True, cwd=ROOT)
    # Keep only the catalogues of the book's pages (a catalogue left from before is removed too)
    # and the hand-written ones of the words around them, and no obsolete entries.
    for path in sorted((LOCALES / "zh_CN" / "LC_MESSAGES").rglob("*.po")):
        relative = path.relative_to(LOCALES / "zh_CN" / "LC_MESSAGES").with_suffix("").as_posix()
        if relative not in PAGES and relative not in UI_CATALOGUES and relative != LIBRARY_CATALOGUE:
            path.unlink()
    for folder in sorted((LOCALES / "zh_CN" / "LC_MESSAGES").rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    for path in catalogue_paths("zh_CN"):
        catalog = read_po(path)
        catalog.obsolete.clear()
        # A new message with nothing to translate (a number of a measured table, a file name in
        # code, a formula whose only words are notation labels) is its own translation: filled
        # here, so that a new benchmark run asks for none. A formula with words in its \text{}
        # is left to translate.
        # (A translation already written, with Chinese punctuation between code, is kept.)
        for message in catalog:
            if message.id and not has_words(message.id) and (not message.string or message.fuzzy):
                message.string = message.id
                message.flags.discard("fuzzy")
        write_po(path, catalog)


def has_words(text: str) -> bool:
    """Whether ``text`` holds a word to translate: outside its code, math, roles and links, or
    inside the ``\\text{}`` of a formula (:func:`formula_words`; a notation label is no word)."""
    if formula_words(text):
        return True
    if is_display_math(text):
        return False
    rest = _ROLE.sub(" ", text)
    rest = _CODE.sub(" ", rest)
    rest = _MATH.sub(" ", rest)
    rest = _LINK.sub(" ", rest)
    return re.search(r"[^\W\d_]", rest) is not None


# ---------------------------------------------------------------- catalogues
def read_po(path: Path):
    from babel.messages.pofile import read_po as _read

    with open(path, "rb") as handle:
        return _read(handle, abort_invalid=True)


HEADER_COMMENT = ("# The nnbook book, {language}: {what}.\n"
                  "# Copyright (C) 2026 The nnbook authors (LICENSE-CONTENT.md).\n"
                  "# {how}.")


def write_po(path: Path, catalog) -> None:
    """Write ``catalog`` with a stable header (no date that changes when nothing else does)."""
    from babel.messages.pofile import write_po as _write

    # Babel names the locale zh_Hant_TW: its territory tells the edition.
    zh_tw = catalog.locale is not None and catalog.locale.territory == "TW"
    ui = path.parent.name == "LC_MESSAGES" and path.stem in (*UI_CATALOGUES, LIBRARY_CATALOGUE)
    catalog.project, catalog.version = "nnbook", ""
    catalog.fuzzy = False
    catalog.last_translator = catalog.language_team = "The nnbook authors"
    if zh_tw:
        how = "Generated by tools/i18n.py; derived from zh_CN by `python tools/i18n.py convert`: do not edit"
    elif ui:
        how = "Written by hand (no template extracts these words; see UI_CATALOGUES in tools/i18n.py)"
    else:
        how = "Generated by tools/i18n.py; `python tools/i18n.py update` merges the English changes"
    catalog.header_comment = HEADER_COMMENT.format(
        language="繁體中文" if zh_tw else "简体中文",
        what=("the words the library's widgets and figures show" if path.stem == LIBRARY_CATALOGUE
              else f"the words around its pages (the {path.stem} domain)" if ui
              else "the translation of its English pages"),
        how=how)
    catalog.revision_date = catalog.creation_date
    # Babel flags a message with braces as a Python format string; the book's messages are
    # MyST ({glue:text}`name`, \text{…}), and msgfmt would check them as Python formats.
    for message in catalog:
        message.flags.discard("python-format")
        message.flags.discard("python-brace-format")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        _write(handle, catalog, width=0, omit_header=False, include_previous=True)


def catalogue_paths(locale: str) -> list[Path]:
    """The catalogues of ``locale`` in PAGES order (pages without one are skipped)."""
    base = LOCALES / locale / "LC_MESSAGES"
    return [base / f"{page}.po" for page in PAGES if (base / f"{page}.po").exists()]


def ui_catalogue_paths(locale: str) -> list[Path]:
    """The catalogues of the words around the pages (UI_CATALOGUES) that ``locale`` has."""
    base = LOCALES / locale / "LC_MESSAGES"
    return [base / f"{name}.po" for name in UI_CATALOGUES if (base / f"{name}.po").exists()]


def converted_catalogue_paths() -> list[Path]:
    """The 简体 catalogues that ``convert`` makes 繁體: the pages', the words around them, and the
    library's (LIBRARY_CATALOGUE)."""
    library = LOCALES / "zh_CN" / "LC_MESSAGES" / f"{LIBRARY_CATALOGUE}.po"
    return catalogue_paths("zh_CN") + ui_catalogue_paths("zh_CN") + ([library] if library.exists() else [])


def config_translations(locale: str) -> dict:
    """The Sphinx settings of CONFIG_MESSAGES in ``locale``, as configuration overrides.

    Raises ValueError naming a message that the ``sphinx`` catalogue does not translate."""
    path = LOCALES / locale / "LC_MESSAGES" / "sphinx.po"
    strings = {m.id: m.string for m in read_po(path) if m.id and m.string and not m.fuzzy} if path.exists() else {}
    overrides: dict = {}
    for key, message in CONFIG_MESSAGES.items():
        if message not in strings:
            raise ValueError(f"{path.relative_to(ROOT)}: no translation of {message!r} (the setting {key})")
        value = strings[message]
        if key == "html_theme_options.logo.alt_text":
            value = value % strings[CONFIG_MESSAGES["html_title"]]
        *parents, last = key.split(".")
        target = overrides
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    return overrides


def page_status(locale: str = "zh_CN") -> list[tuple[str, int, int]]:
    """(page, translated entries, all entries) for every catalogue of ``locale``."""
    rows = []
    base = LOCALES / locale / "LC_MESSAGES"
    for path in catalogue_paths(locale):
        messages = [m for m in read_po(path) if m.id]
        done = sum(1 for m in messages if m.string and not m.fuzzy)
        rows.append((path.relative_to(base).with_suffix("").as_posix(), done, len(messages)))
    return rows


# ---------------------------------------------------------------- 繁體 from 简体
def read_pairs(path: Path, expected: str) -> list[tuple[str, str, str]]:
    """(first, second, note) for each line of a tab-separated file of the conversion: lines starting
    with # and blank lines are skipped; each other line has two or three tab-separated fields, the
    first two not empty. Raises ValueError naming the line and ``expected`` (what a line holds)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3) or not fields[0] or not fields[1]:
            raise ValueError(f"{path.name}, line {number}: expected '{expected}[<TAB>note]', got {line!r}")
        rows.append((fields[0], fields[1], fields[2] if len(fields) == 3 else ""))
    return rows


def load_overrides(path: Path = OVERRIDES) -> list[tuple[str, str, str]]:
    """(OpenCC's output, the glossary's 繁體 term, note) for each line of tools/zh_overrides.tsv."""
    return read_pairs(path, "OpenCC output<TAB>glossary term")


# "第 X 行" or "第 X 列" with X a formula, code, a {placeholder}, digits or one Latin letter (a row or
# a column of a matrix), and the words of a formula's \text{ 行} or \text{ 列}.
_NUMBERED_ROW = r"第 (?:\$[^$]+\$|`[^`]+`|\{\w+\}|\d+|[A-Za-z]) [行列]|\\text\{ [行列]\}"
_ROW_COLUMN_SWAP = str.maketrans("行列", "列行")


def load_rows(path: Path = ROWS) -> tuple[dict[str, str], dict[str, str]]:
    """({简体 phrase: as Taiwan reads it}, {whole message: as Taiwan reads it}) from
    tools/zh_tw_rows.tsv (a phrase starting with "=" is a whole message)."""
    phrases, messages = {}, {}
    for phrase, taiwan, _ in read_pairs(path, "phrase<TAB>as Taiwan reads it"):
        if phrase.startswith("="):
            messages[phrase[1:]] = taiwan
        else:
            phrases[phrase] = taiwan
    return phrases, messages


@functools.lru_cache(maxsize=1)
def _rows():
    phrases, messages = load_rows()
    alternatives = [re.escape(p) for p in sorted(phrases, key=len, reverse=True)] + [_NUMBERED_ROW]
    return phrases, messages, re.compile("|".join(alternatives))


def taiwan_rows(text: str) -> str:
    """A 简体 translation with its rows and columns named as Taiwan names them: every phrase of
    tools/zh_tw_rows.tsv replaced at once (longest first, so a swap never swaps back), and every
    numbered row or column (第 $i$ 行, 第 {k} 列, \\text{ 行}) swapped. Lines of code keep 行."""
    phrases, messages, pattern = _rows()
    if text in messages:
        return messages[text]
    return pattern.sub(lambda m: phrases.get(m.group(), m.group().translate(_ROW_COLUMN_SWAP)), text)


_CONVERTER = None


def to_traditional(text: str, overrides=None) -> str:
    """简体 -> 繁體 (Taiwan, with phrases): the rows and columns first (:func:`taiwan_rows`), then
    OpenCC, then the glossary's overrides, longest first, then Taiwan's quotation marks
    (:func:`taiwan_quotes`)."""
    global _CONVERTER
    import opencc

    if _CONVERTER is None:
        _CONVERTER = opencc.OpenCC("s2twp")
    if overrides is None:
        overrides = load_overrides()
    converted = _CONVERTER.convert(taiwan_rows(text))
    for wrong, right, _ in sorted(overrides, key=lambda row: -len(row[0])):
        converted = converted.replace(wrong, right)
    return taiwan_quotes(converted)


# Pages where the Chinese of an English message is a quotation from a source: a translation
# keeps such quotations in the script the source wrote them in, in either edition.
QUOTING_PAGES = ("book/bibliography", "book/notation", "book/errata")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60【】、。]+")


# What quotation marks never change in: roles (but a role's own title, {ref}`title <target>`),
# inline code, math, link targets and bare URLs.
_QUOTES_KEPT = re.compile(r"\{[\w:.-]+\}`(?=[^`<]*<[^>`]+>`)|<[^>`]+>`|\{[\w:.-]+\}`[^`]*`|``[^`]+``|`[^`]+`|\$\$.+?\$\$|(?<![\\$])\$[^$]+\$"
                          r"|\]\([^)\s]+\)|https?://\S+", re.S)


def taiwan_quotes(text: str) -> str:
    """The mainland quotation marks of a translation as Taiwan's standard writes them: “…” as
    「…」 and the quotation inside a quotation, ‘…’, as 『…』. Roles, code, math, link targets and
    URLs are left as they are; a ’ that closes no ‘ is an apostrophe and stays."""
    out, depth, last = [], 0, 0
    for kept in [*_QUOTES_KEPT.finditer(text), None]:
        end = kept.start() if kept else len(text)
        for char in text[last:end]:
            if char == "“":
                char = "「"
            elif char == "”":
                char = "」"
            elif char == "‘":
                char, depth = "『", depth + 1
            elif char == "’" and depth:
                char, depth = "』", depth - 1
            out.append(char)
        if kept:
            out.append(kept.group())
            last = kept.end()
    return "".join(out)


def traditional_message(msgid: str, msgstr: str, overrides=None, quoting: bool = False) -> str:
    """The 繁體 translation of one message (:func:`to_traditional`); on a quoting page the source
    quotations that the English message contains (runs of Chinese, and inline code holding
    Chinese) are carried over unconverted. A message whose translation is the English message itself is a whole
    quotation (or a formula, or code) and is carried over as it is: its runs of Chinese may be
    split by digits or Latin letters into pieces too short to be told apart from prose."""
    if not quoting:
        return to_traditional(msgstr, overrides)
    if msgstr == msgid:
        return msgstr
    candidates = {q for q in _CJK_RUN.findall(msgid) if len(q) >= 2}
    candidates |= {code for code in re.findall(r"`[^`]+`", msgid) if _CJK_RUN.search(code)}
    quotes = sorted((q for q in candidates if q in msgstr), key=len, reverse=True)
    protected = msgstr
    for number, quote in enumerate(quotes):
        protected = protected.replace(quote, chr(0xE000 + number))
    converted = to_traditional(protected, overrides)
    for number, quote in enumerate(quotes):
        converted = converted.replace(chr(0xE000 + number), quote)
    return converted


def traditional_catalog(simplified, overrides, quoting: bool = False):
    """The zh_TW catalogue of one page: the zh_CN one with every translation converted."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="zh_TW", project=simplified.project, version=simplified.version,
                      header_comment=simplified.header_comment, fuzzy=False)
    catalog.creation_date = simplified.creation_date
    catalog.revision_date = simplified.creation_date
    for message in simplified:
        if not message.id:
            continue
        string = traditional_message(message.id, message.string, overrides, quoting) if message.string else ""
        catalog.add(message.id, string, locations=message.locations, flags=message.flags,
                    auto_comments=message.auto_comments, user_comments=message.user_comments,
                    context=message.context)
    return catalog


def convert() -> list[Path]:
    """Write locales/zh_TW from locales/zh_CN; returns the files written."""
    overrides = load_overrides()
    written = []
    source = LOCALES / "zh_CN" / "LC_MESSAGES"
    target = LOCALES / "zh_TW" / "LC_MESSAGES"
    for path in converted_catalogue_paths():
        out = target / path.relative_to(source)
        page = path.relative_to(source).with_suffix("").as_posix()
        write_po(out, traditional_catalog(read_po(path), overrides, quoting=page in QUOTING_PAGES))
        written.append(out)
    return written


# ---------------------------------------------------------------- the builds
_PAGE = {"document": None}
_RENDERERS: dict = {}


def glue_in_translations() -> None:
    """Let a translated paragraph paste the numbers its page glued.

    Sphinx parses each translated message as a small Markdown document of its own, after the
    page's notebook renderer (which holds the glue data) has been detached from the page, so
    myst-nb's {glue:text} roles would find no key and paste nothing. The page's renderer is
    remembered while its English text is parsed (every glued key of a translation is glued by
    the English text too), and a translated message's roles read it.
    """
    from myst_nb.ext.glue import directives, roles, utils
    from sphinx.transforms import i18n as sphinx_i18n

    if getattr(sphinx_i18n.Locale.apply, "_nnbook_glue", False):
        return
    original_apply, original_retrieve = sphinx_i18n.Locale.apply, utils.retrieve_glue_data

    def apply(self, **kwargs):
        _PAGE["document"] = self.document
        try:
            return original_apply(self, **kwargs)
        finally:
            _PAGE["document"] = None

    def retrieve_glue_data(document, key):
        if "nb_renderer" in document:
            _RENDERERS[document.get("source")] = document["nb_renderer"]
        else:
            page = _PAGE["document"]
            renderer = _RENDERERS.get(page.get("source")) if page is not None else None
            if renderer is not None:
                document = {"nb_renderer": renderer}
        return original_retrieve(document, key)

    apply._nnbook_glue = True
    sphinx_i18n.Locale.apply = apply
    for module in (utils, roles, directives):
        module.retrieve_glue_data = retrieve_glue_data


def translate_toc_captions() -> None:
    """Show the part captions of _toc.yml in the edition's language.

    sphinx-external-toc inserts the table of contents into the root page by a transform that runs
    after Sphinx's translation of the page (priority 100 and 20): its captions stay English,
    although the gettext builder extracts them into the root page's catalogue. Each caption is
    looked up there once the table is inserted (a caption without a translation stays as it is).
    """
    import sphinx.locale
    from sphinx import addnodes
    from sphinx.util.i18n import docname_to_domain
    from sphinx_external_toc.events import InsertToctrees

    if getattr(InsertToctrees.apply, "_nnbook_captions", False):
        return
    original = InsertToctrees.apply

    def apply(self, **kwargs):
        original(self, **kwargs)
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        # Sphinx's translation of this page (which ran before) set up the page's catalogue.
        catalog = sphinx.locale.translators.get(("general", domain))
        if catalog is None:
            return
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("caption"):
                toctree["caption"] = catalog.gettext(toctree["caption"])

    apply._nnbook_captions = True
    InsertToctrees.apply = apply


# The version of what the Chinese builds change in Sphinx's reading of a page (glue_in_translations,
# translate_toc_captions, translate_display_math). Sphinx reads a page again only when its source
# or its catalogue changes, so the saved pages of an edition built before a change here would keep
# the old reading: build_edition drops them when this differs from theirs.
READING_VERSION = "2: display formulas translated"


def translate_display_math() -> None:
    """Show a display formula's translation.

    Sphinx translates a ``$$`` block (a math_block, one of its literal nodes) by parsing "::"
    followed by the indented translation, which reStructuredText reads as a literal block; the
    pages are MyST, which reads "::" as a paragraph, so the formula showed "::" instead of
    itself. Each display formula whose message the page's catalogue translates is given the
    translation as it is, once Sphinx has translated the page (a formula is not parsed).
    """
    import sphinx.locale
    from docutils import nodes
    from sphinx.transforms import i18n as sphinx_i18n
    from sphinx.util.i18n import docname_to_domain
    from sphinx.util.nodes import extract_messages

    if getattr(sphinx_i18n.Locale.apply, "_nnbook_math", False):
        return
    original = sphinx_i18n.Locale.apply

    def apply(self, **kwargs):
        blocks = [(node, msg) for node, msg in extract_messages(self.document) if isinstance(node, nodes.math_block)]
        original(self, **kwargs)
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        # Sphinx's translation of this page (which just ran) set up the page's catalogue.
        catalog = sphinx.locale.translators.get(("general", domain))
        if catalog is None:
            return
        for node, msg in blocks:
            translated = catalog.gettext(msg)
            if translated.strip() and translated != msg:
                node.children = []
                node += nodes.Text(translated)
                node.rawsource = translated
                node["translated"] = True

    apply._nnbook_math = True
    sphinx_i18n.Locale.apply = apply


def name_folded_cells() -> None:
    """Name a folded code cell's toggle in the edition's language.

    myst-nb writes ``<summary aria-label="Toggle hidden content">`` in English on every page;
    on a translated page (PAGES) the label is the ``sphinx`` catalogue's translation (the
    exercise and solution pages stay English, label included).
    """
    from myst_nb import sphinx_ as myst_nb_sphinx
    from sphinx.locale import _

    if getattr(myst_nb_sphinx.visit_HideCellInput, "_nnbook_named", False):
        return
    original = myst_nb_sphinx.visit_HideCellInput
    english = '<summary aria-label="Toggle hidden content">\n'

    def visit(self, node):
        original(self, node)
        if self.builder.current_docname in PAGES and english in self.body[-6:]:
            at = len(self.body) - 1 - self.body[::-1].index(english)
            self.body[at] = f'<summary aria-label="{html.escape(str(_("Toggle hidden content")))}">\n'

    visit._nnbook_named = True
    myst_nb_sphinx.visit_HideCellInput = visit


def site_url() -> str:
    """The published book's address, _config.yml's html.baseurl (ends with /)."""
    from execute_notebooks import book_config  # tools/, beside this file

    url = str((book_config(ROOT).get("html") or {}).get("baseurl") or "")
    if not url.startswith("https://"):
        raise ValueError(f"_config.yml: expected html.baseurl, the published book's https:// address, got {url!r}")
    return url.rstrip("/") + "/"


def check_cache() -> Path:
    """The English execution cache; RuntimeError if there is none."""
    cache = BUILD / ".jupyter_cache"
    if not cache.is_dir():
        raise RuntimeError(f"no execution cache at {cache}: build the English edition first "
                           "(jupyter-book build .), whose notebooks the Chinese editions reuse")
    return cache


def build_edition(locale: str) -> float:
    """Build one edition into _build/html/<zh-cn|zh-tw> from the English execution cache, with
    -W (keep going, then fail if anything warned), in this process. Returns the seconds it took.

    Raises RuntimeError if the cache is missing (build the English edition first) or the build
    fails or executes a notebook. Sphinx keeps translators for the life of a process: build one
    edition per process (:func:`build` starts one process per edition).
    """
    cache = check_cache()
    import sphinx.locale
    from jupyter_cache import get_cache

    def records():
        return {record.hashkey for record in get_cache(str(cache)).list_cache_records()}

    cached = records()
    glue_in_translations()
    translate_toc_captions()
    name_folded_cells()
    translate_display_math()
    language, folder, _ = EDITIONS[locale]
    work = BUILD / "i18n" / folder  # jupyter_execute/, .doctrees/ and html/ of this edition
    start = time.perf_counter()
    # Pages read by another version of the changes above are read again (see READING_VERSION).
    stamp = work / "reading-version"
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != READING_VERSION:
        shutil.rmtree(work / ".doctrees", ignore_errors=True)
    compiled = compile_catalogues(locale, work / "locales")
    # sphinx-book-theme adds its catalogue to the booktheme domain when it is set up; ours is
    # set up first, so the theme's comes after it, for the words ours does not have.
    sphinx.locale.init([str(compiled)], language, "booktheme")
    status = _build_sphinx(work / "html", "html", {
        "language": language,
        "locale_dirs": [str(compiled)],
        # Reuse the English cache (a notebook missing from it would run: checked below).
        "nb_execution_mode": "cache",
        "nb_execution_cache_path": str(cache),
        "nb_execution_excludepatterns": [],
        # The translations write their own punctuation. Docutils' smart quotes would turn the
        # apostrophe of ReLU'(10) or of an English name into 』 (its quotes for zh-tw are 「」『』).
        "smartquotes": False,
        # The edition's own address: each page's canonical link is its page in this edition.
        "html_baseurl": f"{site_url()}{folder}/",
        **config_translations(locale),
    }, work / ".doctrees", warningiserror=True)
    if status:
        raise RuntimeError(f"the {locale} build failed (status {status}): see the warnings above")
    if records() != cached:
        raise RuntimeError(f"the {locale} build executed notebooks that the English build had "
                           "not cached: its numbers would not be the English pages' numbers")
    stamp.write_text(READING_VERSION, encoding="utf-8")
    target = BUILD / "html" / folder
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(work / "html", target)
    return time.perf_counter() - start


def build(locales=tuple(EDITIONS), jobs: int | None = None) -> dict[str, float]:
    """Build the editions side by side, one process each (at most ``jobs`` at a time, one per
    core by default), each as :func:`build_edition`, and check each against the English site.

    Prints each edition's output (its warnings first) when it ends. Returns the seconds each
    took; raises RuntimeError naming the editions that failed.
    """
    import tempfile

    check_cache()
    jobs = jobs or os.cpu_count() or 1
    waiting, running, times, failed = list(locales), {}, {}, []
    while waiting or running:
        while waiting and len(running) < jobs:
            locale = waiting.pop(0)
            log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # a pipe could fill up
            proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "build", "--edition", locale,
                                     "--path-output", str(BUILD.parent)],
                                    cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
            running[locale] = (proc, log)
        finished = next((loc for loc, (proc, _) in running.items() if proc.poll() is not None), None)
        if finished is None:
            time.sleep(0.2)
            continue
        proc, log = running.pop(finished)
        log.seek(0)
        output = log.read()
        log.close()
        print(output, end="", flush=True)
        match = re.search(rf"^{finished}: built in ([\d.]+) s", output, flags=re.M)
        if proc.returncode or not match:
            failed.append(finished)
        else:
            times[finished] = float(match.group(1))
    if failed:
        raise RuntimeError(f"the {' and '.join(failed)} build{'s' if len(failed) > 1 else ''} failed")
    return times


def check_edition(locale: str) -> list[str]:
    """What is wrong with a built edition: glued values that differ from the English pages',
    titles that are not this edition's translation, display formulas not shown as translated
    (empty: nothing)."""
    site = BUILD / "html" / EDITIONS[locale][1]
    return (compare_editions(BUILD / "html", site) + untranslated_titles(locale, site)
            + unshown_display_math(locale, site))


def compile_catalogues(locale: str, target: Path) -> Path:
    """Compile the .po files of ``locale`` into .mo files under ``target`` (not the sources).

    Sphinx reads only compiled catalogues; the builds point ``locale_dirs`` at ``target``. Each
    .po file is copied beside its .mo: Sphinx finds a page's catalogue through the .po file and
    records the .mo as a dependency of the page, so that a page is read again when its
    translation changes (with .mo files alone, an incremental build kept the old translation).
    A file is rewritten only when its content changes, so that the other pages stay cached.
    The catalogues of the words around the pages (UI_CATALOGUES) are compiled there too.
    """
    import io

    from babel.messages.mofile import write_mo

    source = LOCALES / locale / "LC_MESSAGES"
    out = target / locale / "LC_MESSAGES"
    wanted = set()
    for path in catalogue_paths(locale) + ui_catalogue_paths(locale):
        po = out / path.relative_to(source)
        mo = po.with_suffix(".mo")
        buffer = io.BytesIO()
        write_mo(buffer, read_po(path))
        po.parent.mkdir(parents=True, exist_ok=True)
        # The .po first and the .mo after it: Sphinx recompiles a .mo older than its .po.
        for file, content in ((po, path.read_bytes()), (mo, buffer.getvalue())):
            if not file.exists() or file.read_bytes() != content:
                file.write_bytes(content)
        if mo.stat().st_mtime < po.stat().st_mtime:
            mo.touch()
        wanted |= {po, mo}
    if out.exists():
        for file in sorted(out.rglob("*")):
            if file.is_file() and file not in wanted:
                file.unlink()
    return target


# ---------------------------------------------------------------- checks
# What a translation must keep verbatim from its English message: roles ({glue:text}`name:.2f`,
# {doc}`page`, ...), inline code, math, and link targets. Order may change; the count may not.
_ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
_TITLED = re.compile(r"^(\{[\w:.-]+\}`)[^`<]*<([^>`]+)>`$")
_CODE = re.compile(r"``[^`]+``|`[^`]+`")
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$[^$]+\$")
_LINK = re.compile(r"\]\(([^)\s]+)\)")

# Words that stay English inside a formula in every edition. They are not prose but the names of
# quantities and functions that the book writes as symbols, like W and b (book/notation.md): the
# subscripts of n_in, n_out, W_hidden, W_output, m_train, m_test, A_prev, y_pred, W_init,
# dZ^[last], X_row and X_col, and the function names ReLU, LeakyReLU, softmax and MSE. The code
# spells them so too (n_in, W_hidden, `nb.MSELoss`), so a reader of any edition finds the
# formula's line of code by name. A label counts only where it is the whole of its group, as a
# symbol is (n_\text{in}, \mathrm{ReLU}(z)): inside words, "\text{row } i \text{ of } Z", it is prose.
# Every other word inside a formula is prose and is translated: \text{ for every unit},
# \sum_{\text{rows}}, g_{\text{backprop}}.
NOTATION_LABELS = frozenset({
    "in", "out", "hidden", "output", "train", "test", "prev", "pred", "init", "last", "row", "col",
    "ReLU", "LeakyReLU", "softmax", "MSE",
})
# The groups of a formula that hold upright text: words, labels, or a function's name.
_TEXT = re.compile(r"\\(?:text|textrm|mathrm|operatorname\*?|mbox)\s*\{([^{}]*)\}")
# A formula's tokens: a command, an escaped character (\, \\ \{), a number, any other character.
_TOKEN = re.compile(r"\\[A-Za-z]+|\\[^A-Za-z]|\d+(?:\.\d+)?|\S")
# Spacing in a formula, which a translation may change with the words around it (\quad, \ , ~).
_SPACING = frozenset({r"\,", r"\:", r"\;", r"\>", r"\!", r"\ ", "\\\t", "\\\n", r"\quad", r"\qquad", "~"})


def is_display_math(text: str) -> bool:
    """Whether a message is a display formula: Sphinx extracts a ``$$`` block as its content,
    which begins with the line break after the opening ``$$``."""
    return text.startswith("\n")


def _text_group(content: str) -> str:
    """What a ``\\text{}``-like group holds: "space" (nothing but spaces), "symbol" (one notation
    label or one letter, the whole group: n_\\text{in}, \\mathrm{T}) or "prose"."""
    if not content.strip():
        return "space"
    if content in NOTATION_LABELS or re.fullmatch(r"[A-Za-z]", content):
        return "symbol"
    return "prose"


def formulas(text: str) -> list[str]:
    """The formulas of a message: its inline maths, or the whole message if it is a display formula."""
    if is_display_math(text):
        return [text]
    return _MATH.findall(_CODE.sub(" ", _ROLE.sub(" ", text)))


def formula_words(text: str) -> list[str]:
    """The Latin words in the text groups (``\\text{}``, ``\\mathrm{}``, ``\\operatorname{}``, ...)
    of a message's formulas that are prose, not a notation label (NOTATION_LABELS). One letter
    is a symbol (the T of a transpose, the S of "S 型")."""
    words = []
    for formula in formulas(text):
        for content in _TEXT.findall(formula):
            if _text_group(content) == "prose":
                words += re.findall(r"[A-Za-z]{2,}", re.sub(r"\\[A-Za-z]+", " ", content))
    return words


# Where the terms of a formula end: the words of a term may put its symbols in another order.
_BETWEEN_TERMS = frozenset({"=", ",", ";", ".", "<", ">", r"\le", r"\leq", r"\ge", r"\geq", r"\ne", r"\neq",
                            r"\approx", r"\to", r"\mapsto"})


def _formula_key(formula: str) -> tuple[str, str]:
    """(what must match, how to name it) of one formula, for :func:`verbatim_parts`.

    Its symbols, term by term (a term ends at an =, a comma, a full stop, ...), with the prose of
    its text groups, the spacing and the whitespace left out: they may change with the words. A
    notation label is a symbol. A term without prose keeps its symbols in order; a term with prose
    may put them in another order around the words, as the language's word order asks
    ("\\text{row } i \\text{ of } Z" is "Z \\text{ 的第 } i \\text{ 行}"), but not change one.
    """
    terms, at = [([], False)], 0
    for group in [*_TEXT.finditer(formula), None]:
        end = group.start() if group else len(formula)
        for token in _TOKEN.findall(formula[at:end]):
            if token in _BETWEEN_TERMS:
                terms += [([token], False), ([], False)]
            elif token not in _SPACING:
                terms[-1][0].append(token)
        if group:
            kind = _text_group(group.group(1))
            if kind == "symbol":
                terms[-1][0].append(re.sub(r"\s+", "", group.group()))
            elif kind == "prose":
                terms[-1] = (terms[-1][0], True)
            at = group.end()
    key = " ".join("{" + " ".join(sorted(tokens)) + "}" if prose else " ".join(tokens)
                   for tokens, prose in terms if tokens or prose)
    return key, re.sub(r"\s+", " ", formula).strip()


def _verbatim(text: str) -> list[tuple[str, str]]:
    """(what must match, how to name it) of each part a translation must repeat."""
    if is_display_math(text):
        return [_formula_key(text)]
    # A role's own title may be translated ({ref}`errata <target>`): its name and target may not.
    parts = [(role, role) for role in (_TITLED.sub(r"\1…<\2>`", role) for role in _ROLE.findall(text))]
    rest = _ROLE.sub(" ", text)
    parts += [(code, code) for code in _CODE.findall(rest)]
    rest = _CODE.sub(" ", rest)
    parts += [_formula_key(math) for math in _MATH.findall(rest)]
    parts += [(f"]({target})", f"]({target})") for target in _LINK.findall(rest)]
    return parts


def verbatim_parts(text: str) -> list[str]:
    """The parts of a message a translation must repeat, sorted: roles (a role's title aside),
    code, link targets, and the formulas (the words of their text groups aside, and spacing)."""
    return sorted(key for key, _ in _verbatim(text))


def broken_parts(msgid: str, msgstr: str) -> list[str]:
    """The verbatim parts of ``msgid`` that ``msgstr`` lost or changed (empty: none), as the
    English message writes them."""
    missing = _verbatim(msgid)
    for key, _ in _verbatim(msgstr):
        at = next((i for i, (wanted, _) in enumerate(missing) if wanted == key), None)
        if at is not None:
            del missing[at]
    return sorted(shown for _, shown in missing)


_PASTED = re.compile(r'<span class="pasted-text">(.*?)</span>', re.S)


def glued_values(html: str) -> list[str]:
    """Every number or text glued into a page's prose ({glue:text}), sorted."""
    return sorted(_PASTED.findall(html))


def compare_editions(english: Path, translated: Path) -> list[str]:
    """The pages of ``translated`` whose glued values differ from the English page's."""
    problems = []
    for page in PAGES:
        en, zh = english / f"{page}.html", translated / f"{page}.html"
        if not en.exists() or not zh.exists():
            problems.append(f"{page}: missing from {'the English' if not en.exists() else 'the translated'} site")
            continue
        en_values, zh_values = glued_values(en.read_text(encoding="utf-8")), glued_values(zh.read_text(encoding="utf-8"))
        if en_values != zh_values:
            problems.append(f"{page}: glued values differ ({len(en_values)} in English, {len(zh_values)} translated)")
    return problems


def built_catalogue_pages(locale: str, site: Path):
    """(page, its catalogue, its built HTML file) for each catalogue of ``locale`` whose page is
    in ``site``."""
    base = LOCALES / locale / "LC_MESSAGES"
    for path in catalogue_paths(locale):
        page = path.relative_to(base).with_suffix("").as_posix()
        built = site / f"{page}.html"
        if built.exists():
            yield page, path, built


def untranslated_titles(locale: str, site: Path) -> list[str]:
    """The built pages of ``locale`` whose <h1> is not the catalogue's translation of it.

    A check that the edition really reads its own catalogue (and not, say, another edition's).
    """
    problems = []
    for page, path, built in built_catalogue_pages(locale, site):
        match = re.search(r"<h1>(.*?)<", built.read_text(encoding="utf-8"), re.S)
        title = html.unescape(match.group(1)).strip() if match else ""
        translations = {m.id: m.string for m in read_po(path) if m.id and m.string}
        expected = [string for string in translations.values() if string == title]
        if translations and not expected:
            problems.append(f"{page}: the title {title!r} is not a {locale} translation")
    return problems


# How the HTML writer escapes a formula's text (docutils' HTMLTranslator.special_characters).
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", ">": "&gt;", "@": "&#64;"})


def unshown_display_math(locale: str, site: Path) -> list[str]:
    """The display formulas that the catalogues of ``locale`` translate and its built pages do not
    show as translated (each equation of the translation, as the HTML writer writes it)."""
    problems = []
    for page, path, built in built_catalogue_pages(locale, site):
        text = built.read_text(encoding="utf-8")
        for message in read_po(path):
            if message.id and is_display_math(message.id) and message.string and message.string != message.id:
                # The writer puts each equation (the formula split at blank lines) in the page.
                equations = [part for part in message.string.split("\n\n") if part.strip()]
                if not all(part.strip().translate(_HTML_SPECIAL) in text for part in equations):
                    first = next(line for line in message.id.splitlines() if line.strip())
                    problems.append(f"{page}: the display formula {first.strip()!r} is not shown as translated")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["extract", "update", "convert", "status", "build"])
    parser.add_argument("--edition", choices=list(EDITIONS),
                        help="build: this edition only, in this process (default: both, side by side)")
    parser.add_argument("--path-output", type=Path, default=None,
                        help="build: the folder whose _build holds the English build and its execution "
                             "cache (as for jupyter-book build --path-output; default: the repository)")
    args = parser.parse_args(argv)
    if args.path_output is not None:
        global BUILD
        BUILD = args.path_output.resolve() / "_build"
    if args.command == "extract":
        print(f"templates in {extract()}")
    elif args.command == "update":
        update()
        convert()
        for page, done, total in page_status():
            if done < total:
                print(f"{page}: {total - done} of {total} entries to translate")
    elif args.command == "convert":
        for path in convert():
            print(path.relative_to(ROOT))
    elif args.command == "status":
        rows = page_status()
        for page, done, total in rows:
            print(f"{page:32s} {done:4d} / {total:4d}{'  complete' if done == total else ''}")
        print(f"{'all':32s} {sum(r[1] for r in rows):4d} / {sum(r[2] for r in rows):4d}")
    elif args.command == "build" and args.edition:
        try:
            seconds = build_edition(args.edition)
        except RuntimeError as err:
            print(f"{args.edition}: {err}", file=sys.stderr)
            return 1
        problems = check_edition(args.edition)
        if problems:
            print("\n".join(f"{args.edition}: {problem}" for problem in problems), file=sys.stderr)
            return 1
        print(f"{args.edition}: built in {seconds:.0f} s into _build/html/{EDITIONS[args.edition][1]}; "
              "every glued value is the English page's, every translated title shown", flush=True)
    elif args.command == "build":
        start = time.perf_counter()
        print(f"building {' and '.join(EDITIONS)} into _build/html/{{{','.join(e[1] for e in EDITIONS.values())}}}, "
              "side by side, from the English execution cache ...", flush=True)
        try:
            build()
        except RuntimeError as err:
            print(err, file=sys.stderr)
            return 1
        print(f"the Chinese editions: built in {time.perf_counter() - start:.0f} s, side by side")
    return 0


if __name__ == "__main__":
    sys.exit(main())
