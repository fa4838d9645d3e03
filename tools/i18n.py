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

The Chinese builds execute no notebook: they read the execution cache that the English build
(``jupyter-book build .``) filled, so every glued number is the English page's number.
"""

from __future__ import annotations

import argparse
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
GLOSSARY_DIR = ROOT / "book" / "_glossary"

# Edition: (Sphinx language, catalogue folder, output folder under _build/html, lang attribute)
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


def _build_sphinx(outdir: Path, builder: str, overrides: dict, doctrees: Path) -> int:
    """Build the book with jupyter-book's own configuration from _config.yml, plus ``overrides``."""
    from jupyter_book.sphinx import build_sphinx

    overrides = {"external_toc_path": str(ROOT / "_toc.yml"), "latex_individualpages": False,
                 **I18N_CONFIG, **overrides}
    result = build_sphinx(str(ROOT), str(outdir), noconfig=True, path_config=str(ROOT / "_config.yml"),
                          confoverrides=overrides, builder=builder, doctreedir=str(doctrees),
                          keep_going=True, quiet=True)
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
    for template in sorted(POT_DIR.rglob("*.pot")):
        if template.relative_to(POT_DIR).with_suffix("").as_posix() not in PAGES:
            template.unlink()
    subprocess.run([sys.executable, "-m", "sphinx_intl", "update", "-p", str(POT_DIR), "-d", str(LOCALES),
                    "-l", "zh_CN", "-w", "0"], check=True, cwd=ROOT)
    # Keep only the catalogues of the book's pages (a catalogue left from before is removed too),
    # and no obsolete entries.
    for path in sorted((LOCALES / "zh_CN" / "LC_MESSAGES").rglob("*.po")):
        relative = path.relative_to(LOCALES / "zh_CN" / "LC_MESSAGES").with_suffix("").as_posix()
        if relative not in PAGES:
            path.unlink()
    for folder in sorted((LOCALES / "zh_CN" / "LC_MESSAGES").rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    for path in catalogue_paths("zh_CN"):
        catalog = read_po(path)
        catalog.obsolete.clear()
        write_po(path, catalog)


# ---------------------------------------------------------------- catalogues
def read_po(path: Path):
    from babel.messages.pofile import read_po as _read

    with open(path, "rb") as handle:
        return _read(handle, abort_invalid=True)


HEADER_COMMENT = ("# The nnbook book, {language}: the translation of its English pages.\n"
                  "# Copyright (C) 2026 The nnbook authors (LICENSE-CONTENT.md).\n"
                  "# Generated by tools/i18n.py; {how}.")


def write_po(path: Path, catalog) -> None:
    """Write ``catalog`` with a stable header (no date that changes when nothing else does)."""
    from babel.messages.pofile import write_po as _write

    zh_tw = str(catalog.locale) == "zh_TW"
    catalog.project, catalog.version = "nnbook", ""
    catalog.fuzzy = False
    catalog.last_translator = catalog.language_team = "The nnbook authors"
    catalog.header_comment = HEADER_COMMENT.format(
        language="繁體中文" if zh_tw else "简体中文",
        how="derived from zh_CN by `python tools/i18n.py convert`: do not edit" if zh_tw
        else "`python tools/i18n.py update` merges the English changes")
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
def load_overrides(path: Path = OVERRIDES) -> list[tuple[str, str, str]]:
    """(OpenCC's output, the glossary's 繁體 term, note) for each line of tools/zh_overrides.tsv.

    Lines starting with # and blank lines are skipped; each other line has two or three
    tab-separated fields. Raises ValueError naming the line otherwise.
    """
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3) or not fields[0] or not fields[1]:
            raise ValueError(f"{path.name}, line {number}: expected 'OpenCC output<TAB>glossary term"
                             f"[<TAB>note]', got {line!r}")
        rows.append((fields[0], fields[1], fields[2] if len(fields) == 3 else ""))
    return rows


_CONVERTER = None


def to_traditional(text: str, overrides=None) -> str:
    """简体 -> 繁體 (Taiwan, with phrases), then the glossary's overrides, longest first."""
    global _CONVERTER
    import opencc

    if _CONVERTER is None:
        _CONVERTER = opencc.OpenCC("s2twp")
    if overrides is None:
        overrides = load_overrides()
    converted = _CONVERTER.convert(text)
    for wrong, right, _ in sorted(overrides, key=lambda row: -len(row[0])):
        converted = converted.replace(wrong, right)
    return converted


# Pages where the Chinese of an English message is a quotation from a source: a translation
# keeps such quotations in the script the source wrote them in, in either edition.
QUOTING_PAGES = ("book/bibliography", "book/notation", "book/errata")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60【】、。]+")


def traditional_message(msgid: str, msgstr: str, overrides=None, quoting: bool = False) -> str:
    """The 繁體 translation of one message; on a quoting page the source quotations that the
    English message contains (runs of Chinese, and inline code holding Chinese) are carried
    over unconverted. A message whose translation is the English message itself is a whole
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
    for path in catalogue_paths("zh_CN"):
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


def build(locales=("zh_CN", "zh_TW")) -> dict[str, float]:
    """Build each edition into _build/html/<zh-cn|zh-tw> from the English execution cache.

    Returns the seconds each build took. Raises RuntimeError if the cache is missing (build the
    English edition first) or a build fails.
    """
    cache = BUILD / ".jupyter_cache"
    if not cache.is_dir():
        raise RuntimeError(f"no execution cache at {cache}: build the English edition first "
                           "(jupyter-book build .), whose notebooks the Chinese editions reuse")
    import sphinx.locale
    from jupyter_cache import get_cache

    def records():
        return {record.hashkey for record in get_cache(str(cache)).list_cache_records()}

    cached = records()
    glue_in_translations()
    times = {}
    for locale in locales:
        language, folder, lang = EDITIONS[locale]
        work = BUILD / "i18n" / folder  # jupyter_execute/ and .doctrees/ of this edition
        start = time.perf_counter()
        compiled = compile_catalogues(locale, work / "locales")
        # Sphinx keeps each page's translator for the life of the process and would fall back
        # from it to this edition's catalogue: the second edition would get the first's text.
        sphinx.locale.translators.clear()
        status = _build_sphinx(work / "html", "html", {
            "language": language,
            "locale_dirs": [str(compiled)],
            # Reuse the English cache (a notebook missing from it would run: checked below).
            "nb_execution_mode": "cache",
            "nb_execution_cache_path": str(cache),
            "nb_execution_excludepatterns": [],
            "html_context": {"default_mode": "light", "nnbook_lang": lang},
        }, work / ".doctrees")
        if status:
            raise RuntimeError(f"the {locale} build failed (status {status})")
        if records() != cached:
            raise RuntimeError(f"the {locale} build executed notebooks that the English build had "
                               "not cached: its numbers would not be the English pages' numbers")
        set_lang_attribute(work / "html", lang)
        target = BUILD / "html" / folder
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(work / "html", target)
        times[locale] = time.perf_counter() - start
    return times


def compile_catalogues(locale: str, target: Path) -> Path:
    """Compile the .po files of ``locale`` into .mo files under ``target`` (not the sources).

    Sphinx reads only compiled catalogues; the builds point ``locale_dirs`` at ``target``. Each
    .po file is copied beside its .mo: Sphinx finds a page's catalogue through the .po file and
    records the .mo as a dependency of the page, so that a page is read again when its
    translation changes (with .mo files alone, an incremental build kept the old translation).
    A file is rewritten only when its content changes, so that the other pages stay cached.
    """
    import io

    from babel.messages.mofile import write_mo

    source = LOCALES / locale / "LC_MESSAGES"
    out = target / locale / "LC_MESSAGES"
    wanted = set()
    for path in catalogue_paths(locale):
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


_HTML_LANG = re.compile(r'<html([^>]*?)\slang="[^"]*"')


def set_lang_attribute(html_dir: Path, lang: str) -> int:
    """Make every page's <html lang> the edition's BCP 47 tag (Sphinx writes zh_CN / zh_TW)."""
    count = 0
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _HTML_LANG.sub(lambda m: f'<html{m.group(1)} lang="{lang}"', text, count=1)
        if new != text:
            page.write_text(new, encoding="utf-8")
            count += 1
    return count


# ---------------------------------------------------------------- checks
# What a translation must keep verbatim from its English message: roles ({glue:text}`name:.2f`,
# {doc}`page`, ...), inline code, math, and link targets. Order may change; the count may not.
_ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
_TITLED = re.compile(r"^(\{[\w:.-]+\}`)[^`<]*<([^>`]+)>`$")
_CODE = re.compile(r"``[^`]+``|`[^`]+`")
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$[^$]+\$")
_TEXT = re.compile(r"\\text\{[^{}]*\}")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def verbatim_parts(text: str) -> list[str]:
    """The parts of a message a translation must repeat exactly, sorted."""
    # A role's own title may be translated ({ref}`errata <target>`): its name and target may not.
    parts = [_TITLED.sub(r"\1…<\2>`", role) for role in _ROLE.findall(text)]
    rest = _ROLE.sub(" ", text)
    parts += _CODE.findall(rest)
    rest = _CODE.sub(" ", rest)
    # Words in math (\text{column }) may be translated, and spacing may change; the symbols may not.
    parts += [re.sub(r"\s+", "", _TEXT.sub("", math)) for math in _MATH.findall(rest)]
    parts += [f"]({target})" for target in _LINK.findall(rest)]
    return sorted(parts)


def broken_parts(msgid: str, msgstr: str) -> list[str]:
    """The verbatim parts of ``msgid`` that ``msgstr`` lost or changed (empty: none)."""
    missing = list(verbatim_parts(msgid))
    for part in verbatim_parts(msgstr):
        if part in missing:
            missing.remove(part)
    return missing


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


def untranslated_titles(locale: str, site: Path) -> list[str]:
    """The built pages of ``locale`` whose <h1> is not the catalogue's translation of it.

    A check that the edition really reads its own catalogue (and not, say, another edition's).
    """
    import html as html_module

    problems = []
    base = LOCALES / locale / "LC_MESSAGES"
    for path in catalogue_paths(locale):
        page = path.relative_to(base).with_suffix("").as_posix()
        built = site / f"{page}.html"
        if not built.exists():
            continue
        match = re.search(r"<h1>(.*?)<", built.read_text(encoding="utf-8"), re.S)
        title = html_module.unescape(match.group(1)).strip() if match else ""
        translations = {m.id: m.string for m in read_po(path) if m.id and m.string}
        expected = [string for string in translations.values() if string == title]
        if translations and not expected:
            problems.append(f"{page}: the title {title!r} is not a {locale} translation")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["extract", "update", "convert", "status", "build"])
    args = parser.parse_args(argv)
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
    elif args.command == "build":
        for locale, seconds in build().items():
            folder = EDITIONS[locale][1]
            print(f"{locale}: built in {seconds:.0f} s into _build/html/{folder}")
            problems = compare_editions(BUILD / "html", BUILD / "html" / folder)
            problems += untranslated_titles(locale, BUILD / "html" / folder)
            if problems:
                print("\n".join(problems), file=sys.stderr)
                return 1
            print(f"{locale}: every glued value is the English page's, every translated title shown")
    return 0


if __name__ == "__main__":
    sys.exit(main())
