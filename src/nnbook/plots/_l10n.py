"""The library's words in the book's Chinese editions: one UI catalogue per language.

Everything the widgets and plots show a reader (control names, option labels, readouts, alt
texts, the words inside figures, the digit pad's text) is written in English by the library. The
book's 简体 and 繁體 editions show it in their language from the catalogues
``locales/zh_CN/LC_MESSAGES/nnbook-ui.po`` (written by people) and
``locales/zh_TW/LC_MESSAGES/nnbook-ui.po`` (derived from it by ``python tools/i18n.py convert``).

A message is either a whole string or a template: ``step {step}: loss = {loss}`` matches any
string of that shape, and its translation receives the same pieces, character for character, so a
number is formatted once, in Python, and reads the same in every edition. A piece that holds
English words is translated in its turn (``{activation}`` of ``sigmoid``).

A string needs a translation when it holds an English word (two Latin letters or more outside
``$…$`` mathtext); numbers, symbols and formulas pass unchanged. A string that needs one and has
none raises :class:`MissingTranslation` naming it: nothing is left English silently.

Text inside images is drawn again for each edition only when the notebooks are executed for the
book: ``tools/execute_notebooks.py`` sets ``NNBOOK_EDITIONS=zh_CN,zh_TW`` for its kernels (unless
the environment sets it, empty for English only) and installs :func:`install_figure_formatter` in
each. A widget figure carries its editions' pictures in its HTML (``nnbook.widgets._common``), a
notebook figure in its output's metadata (:func:`translated_pngs`). In Jupyter the variable is
unset and only English is drawn.
"""

from __future__ import annotations

import contextlib
import functools
import html as _html
import json
import os
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

# Sphinx's language of an edition: the BCP 47 tag its pages declare.
EDITIONS = {"zh_CN": "zh-Hans", "zh_TW": "zh-Hant"}
ENV = "NNBOOK_EDITIONS"
DOMAIN = "nnbook-ui"

_MATHTEXT = re.compile(r"(?<!\\)\$[^$]*(?<!\\)\$")
# A word: two Latin letters or more, not part of an identifier (``y_true``, ``W_hidden``, ``z_o1``).
_WORD = re.compile(r"(?<![\w])[A-Za-z]{2,}(?![\w])")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class MissingTranslation(KeyError):
    """A string with English words that the UI catalogue of a language does not translate."""

    def __init__(self, text: str, locale: str):
        super().__init__(text)
        self.text, self.locale = text, locale

    def __str__(self) -> str:
        return (f"the UI catalogue {self.locale}/LC_MESSAGES/{DOMAIN}.po has no translation of {self.text!r} "
                "(add the string, or a template that matches it, to locales/zh_CN/LC_MESSAGES/nnbook-ui.po, "
                "then run `python tools/i18n.py convert`)")


def needs_translation(text) -> bool:
    """True when ``text`` holds an English word outside mathtext (``$…$``) and identifiers."""
    # A {placeholder} that a script fills in (the digit pad's) is not a word either.
    return isinstance(text, str) and _WORD.search(_PLACEHOLDER.sub("", _MATHTEXT.sub("", text))) is not None


def repository_locales() -> Path:
    """The ``locales/`` folder of the repository this library is run from (or ``NNBOOK_LOCALES``)."""
    if os.environ.get("NNBOOK_LOCALES"):
        return Path(os.environ["NNBOOK_LOCALES"])
    return Path(__file__).resolve().parents[3] / "locales"


def catalogue_path(locale: str, locales: Path | None = None) -> Path:
    return (locales or repository_locales()) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


class Catalogue:
    """The UI messages of one language: whole strings and templates (see the module's docstring)."""

    def __init__(self, messages: dict, locale: str = ""):
        self.locale = locale
        self.exact: dict[tuple, str] = {}
        self.templates: list[tuple[re.Pattern, str, str]] = []
        for key, msgstr in messages.items():
            context, msgid = key if isinstance(key, tuple) else (None, key)
            if not msgid:
                continue
            if not isinstance(msgstr, str) or not msgstr.strip():
                raise ValueError(f"the UI catalogue {locale or '?'} leaves {msgid!r} untranslated")
            names = _PLACEHOLDER.findall(msgid)
            if sorted(set(names)) != sorted(set(_PLACEHOLDER.findall(msgstr))):
                raise ValueError(f"the UI catalogue {locale or '?'}: the translation of {msgid!r} must hold "
                                 f"the placeholders {sorted(set(names))}, got {msgstr!r}")
            if names:
                self.templates.append((_template_pattern(msgid), msgstr, msgid))
            else:
                self.exact[(context, msgid)] = msgstr
        # The most specific template first: the one with the most literal text.
        self.templates.sort(key=lambda t: -len(_PLACEHOLDER.sub("", t[2])))

    @classmethod
    def load(cls, locale: str, locales: Path | None = None) -> Catalogue:
        from babel.messages.pofile import read_po

        path = catalogue_path(locale, locales)
        if not path.is_file():
            raise FileNotFoundError(f"expected the UI catalogue of {locale} at {path}, found none")
        with open(path, "rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
        fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
        if fuzzy:
            raise ValueError(f"{path}: fuzzy entries must be reviewed first: {fuzzy[:3]}")
        return cls({(m.context, m.id): m.string for m in catalog if m.id}, locale)

    def lookup(self, text: str, context: str | None = None) -> tuple[str, str] | None:
        """(translation, the msgid that matched) of ``text`` without its outer spaces, or None.

        A whole-string message of ``context`` (e.g. ``option``: a control's option label) comes
        before one without context: one English word can name two things."""
        for key in ((context, text), (None, text)):
            if key in self.exact:
                return self.exact[key], text
        for pattern, msgstr, msgid in self.templates:
            match = pattern.fullmatch(text)
            if match is None:
                continue
            try:
                pieces = {name: self.translate(value) for name, value in match.groupdict().items()}
            except MissingTranslation:
                continue  # a piece this template cannot take: another template may fit better
            return _PLACEHOLDER.sub(lambda m: pieces[m.group(1)], msgstr), msgid
        return None

    def translate(self, text: str, context: str | None = None) -> str:
        """``text`` in this language; unchanged if it has no English word. Raises MissingTranslation."""
        if not needs_translation(text):
            return text
        core = text.strip()
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        found = self.lookup(core, context)
        if found is None:
            raise MissingTranslation(core, self.locale)
        return lead + found[0] + trail

    def __call__(self, text: str, context: str | None = None) -> str:
        return self.translate(text, context)


def _template_pattern(msgid: str) -> re.Pattern:
    parts, seen, pos = [], set(), 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[pos:match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        pos = match.end()
    parts.append(re.escape(msgid[pos:]))
    return re.compile("".join(parts), re.S)


@functools.lru_cache(maxsize=None)
def catalogue(locale: str) -> Catalogue:
    """The repository's UI catalogue of ``locale`` (read once)."""
    return Catalogue.load(locale)


def editions() -> list[str]:
    """The editions whose figures are drawn too (``NNBOOK_EDITIONS``, e.g. ``zh_CN,zh_TW``); [] if unset."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return []
    locales = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in locales if v not in EDITIONS]
    if unknown:
        raise ValueError(f"expected {ENV} as a comma-separated list of {sorted(EDITIONS)}, got {value!r}")
    return locales


# ---------------------------------------------------------------- HTML and widget states
_TOKEN = re.compile(r"<!--.*?-->|<(style|script)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.S | re.I)
_ATTR = re.compile(r"""(\s(?:alt|aria-label|title|placeholder)=)(["'])(.*?)\2""", re.S)
_UI_ATTR = re.compile(r"""(\sdata-nnbook-ui=)(["'])(.*?)\2""", re.S)


def translate_html(text: str, translate: Callable[[str], str]) -> str:
    """``text`` (HTML) with its text nodes, its alt/aria-label/title attributes and the strings of a
    ``data-nnbook-ui`` attribute (a JSON object of the strings a script shows) passed through
    ``translate``. Markup, styles and scripts are left as they are."""
    out, pos = [], 0

    def node(raw: str) -> str:
        if not needs_translation(_html.unescape(raw)):
            return raw
        # A line break and the indent after it read as one space in HTML (the views hold no <pre>).
        plain = re.sub(r"\s*\n\s*", " ", _html.unescape(raw))
        new = translate(plain)
        return raw if new == plain else _html.escape(new, quote=False)

    def attribute(match) -> str:
        plain = _html.unescape(match.group(3))
        new = translate(plain) if needs_translation(plain) else plain
        if new == plain:
            return match.group(0)
        return match.group(1) + match.group(2) + _html.escape(new, quote=True) + match.group(2)

    def ui_strings(match) -> str:
        strings = json.loads(_html.unescape(match.group(3)))
        new = {key: translate(value) if needs_translation(value) else value for key, value in strings.items()}
        if new == strings:
            return match.group(0)
        return (match.group(1) + match.group(2)
                + _html.escape(json.dumps(new, ensure_ascii=False, separators=(",", ":")), quote=True)
                + match.group(2))

    for match in _TOKEN.finditer(text):
        out.append(node(text[pos:match.start()]))
        tag = match.group(0)
        if match.group(1) is None and not tag.startswith("<!--"):
            tag = _UI_ATTR.sub(ui_strings, _ATTR.sub(attribute, tag))
        out.append(tag)
        pos = match.end()
    out.append(node(text[pos:]))
    return "".join(out)


# The fields of a widget model's state that a reader sees or hears.
_TEXT_FIELDS = ("description", "tooltip", "placeholder")
_LIST_FIELDS = ("_options_labels", "tooltips")
_HTML_MODELS = ("HTMLModel", "HTMLMathModel", "LabelModel")


def translate_widget_state(state: dict, translate: Callable[[str], str]) -> dict:
    """A widget state (``{"state": {model id: {"model_name", "state"}}}``, as embedded in a page)
    with every string a reader sees passed through ``translate``; a new dict."""
    state = json.loads(json.dumps(state))
    for model in state.get("state", {}).values():
        fields = model.get("state", {})
        for key in _TEXT_FIELDS:
            if isinstance(fields.get(key), str) and needs_translation(fields[key]):
                fields[key] = translate_html(fields[key], translate) if key == "description" \
                    else translate(fields[key])
        for key in _LIST_FIELDS:
            if isinstance(fields.get(key), list):
                fields[key] = [translate(v, "option") if needs_translation(v) else v for v in fields[key]]
        if model.get("model_name") in _HTML_MODELS and isinstance(fields.get("value"), str):
            fields["value"] = translate_html(fields["value"], translate)
    return state


def collect(walk: Callable[[Callable[[str], str]], object]) -> list[str]:
    """The strings needing translation that ``walk(translate)`` passes to ``translate``, in order."""
    found: list[str] = []

    def record(text: str, context: str | None = None) -> str:
        if needs_translation(text):
            found.append(text.strip())
        return text

    walk(record)
    return found


_VARIANT = re.compile(r"""<img\sdata-nnbook-lang="([^"]+)"([^>]*)>""")


def keep_language(text: str, lang: str) -> str:
    """``text`` (HTML) with only the image variants of ``lang`` (``en``, ``zh-Hans``, ``zh-Hant``),
    unmarked: an ``<img data-nnbook-lang="…">`` of another language is removed."""
    return _VARIANT.sub(lambda m: f"<img{m.group(2)}>" if m.group(1) == lang else "", text)


# ---------------------------------------------------------------- figures
# The CJK font matplotlib draws the Chinese editions' figures with (Debian's fonts-wqy-microhei:
# one file for both scripts; tools/execute_notebooks.py installs it with apt-get as root, and
# draws English only where it cannot); DejaVu Sans stays first, so Latin letters, digits and
# symbols look as they do in the English figures.
CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
CJK_FAMILY = "WenQuanYi Micro Hei"


@functools.lru_cache(maxsize=None)
def cjk_font() -> str:
    """Register the bundled CJK font with matplotlib; its family name. Raises if it is missing."""
    from matplotlib import font_manager

    for path in CJK_FONT_FILES:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    raise FileNotFoundError(f"the Chinese editions' figures need the CJK font {CJK_FAMILY!r} "
                            f"(apt-get install fonts-wqy-microhei), expected at {CJK_FONT_FILES[0]}")


def figure_texts(fig) -> Iterator:
    """Every visible text artist of ``fig`` (titles, labels, tick labels, legends, annotations)."""
    from matplotlib.text import Text

    seen = set()
    for artist in fig.findobj(Text):
        if id(artist) in seen or not artist.get_visible() or not artist.get_text():
            continue
        seen.add(id(artist))
        yield artist


def worded_texts(fig) -> list:
    """The visible text artists of ``fig`` that hold English words: what each edition translates
    (a figure without any is not drawn again)."""
    return [t for t in figure_texts(fig) if needs_translation(t.get_text())]


class MissingGlyph(UserWarning):
    """A character that no font of a figure's text has: it would be drawn as a box."""


@contextlib.contextmanager
def no_missing_glyph():
    """Draw in this block with no box for a missing character: matplotlib's warning of a glyph
    missing from the text fonts, and its log message of one missing from the mathtext fonts (the
    Chinese inside a ``$…$`` string, which the CJK fallback does not reach), raise MissingGlyph."""
    import logging

    messages = []

    class Record(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    logger, handler = logging.getLogger("matplotlib.mathtext"), Record(logging.WARNING)
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=r"Glyph .* missing from", category=UserWarning)
            try:
                yield
            except UserWarning as warning:
                raise MissingGlyph(str(warning)) from None
    finally:
        logger.removeHandler(handler)
    glyphs = [m for m in messages if "does not have a glyph" in m]
    if glyphs:
        raise MissingGlyph(glyphs[0])


def render_translated(fig, locale: str, render: Callable[[object], bytes]) -> bytes:
    """``render(fig)`` with the texts of ``fig`` in ``locale`` and the CJK font as fallback, then
    ``fig`` as it was. A glyph missing from the fonts is an error, not a box in the picture."""
    import matplotlib

    translate = catalogue(locale)
    family = cjk_font()
    changed = []
    try:
        for artist in worded_texts(fig):
            text = artist.get_text()
            new = translate(text)
            if new != text:
                changed.append((artist, text, artist.get_fontfamily()))
                artist.set_text(new)
                artist.set_fontfamily(list(dict.fromkeys([*artist.get_fontfamily(), family])))
        fallback = [*matplotlib.rcParams["font.sans-serif"]]
        with matplotlib.rc_context({"font.sans-serif": [*fallback, family]}), no_missing_glyph():
            return render(fig)
    finally:
        for artist, text, family_before in changed:
            artist.set_text(text)
            artist.set_fontfamily(family_before)


# ---------------------------------------------------------------- notebook figures
METADATA_KEY = "nnbook_l10n"  # in an output's metadata["image/png"]: {lang: base64 PNG}
MISSING_KEY = "nnbook_l10n_missing"  # the figure's words that the catalogues lack
WORDS_KEY = "nnbook_l10n_words"  # every text of the figure that needs a translation


def translated_pngs(fig, render: Callable[[object], bytes], locales: list[str] | None = None) -> dict:
    """The metadata a notebook figure's PNG output carries for the Chinese editions:
    ``{METADATA_KEY: {lang: base64 PNG}, WORDS_KEY: [its texts with words]}`` when it has words,
    ``{MISSING_KEY: [...], WORDS_KEY: [...]}`` when a word has no translation (the build then fails
    naming it), ``{}`` when it has no word."""
    import base64

    locales = editions() if locales is None else locales
    if not locales:
        return {}
    words = sorted({t.get_text().strip() for t in worded_texts(fig)})
    if not words:
        return {}
    missing = set()
    for locale in locales:
        for text in words:
            try:
                catalogue(locale).translate(text)
            except MissingTranslation as error:
                missing.add(error.text)
    if missing:
        return {MISSING_KEY: sorted(missing), WORDS_KEY: words}
    variants = {}
    for locale in locales:
        png = render_translated(fig, locale, render)
        if png:
            variants[EDITIONS[locale]] = base64.b64encode(png).decode("ascii")
    return {METADATA_KEY: variants, WORDS_KEY: words}


def install_figure_formatter(shell=None) -> bool:
    """In a kernel that executes the book (``NNBOOK_EDITIONS`` set), make the PNG formatter of
    matplotlib figures add the figure drawn in each edition's language to its output's metadata
    (the wrapper of ``nnbook.plots._alt``, which adds the alt text too).

    The inline backend registers its formatter when pyplot is first imported, so this checks
    after every cell that the formatter in place is wrapped (a figure a cell leaves open is
    displayed after the cell). Matplotlib is not imported for it: a notebook without figures
    pays nothing. Returns True if installed. ``tools/execute_notebooks.py`` runs it in every
    kernel it starts."""
    if not editions():
        return False
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    from ._alt import _install_formatter

    def wrap(*_):
        _install_formatter(shell)

    shell.events.register("pre_run_cell", wrap)
    shell.events.register("post_execute", wrap)
    wrap()
    return True
