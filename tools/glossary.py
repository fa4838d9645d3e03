"""The glossary page's table, rendered from ``book/_glossary/*.yml`` when the book is built.

Each chapter keeps its terms in ``book/_glossary/NN.yml``: a YAML list of mappings with the
fields ``en, zh_hans, zh_hant, definition, chapter``. Loaded as a Sphinx extension
(``_config.yml`` lists it under ``sphinx.local_extensions``), this module adds

* the directive ``glossary-table``, which renders every term as one table (sorted, a term that
  several chapters use listed once, with a link to each chapter), and
* the role ``glossary-count`` (``terms`` or ``chapters``), the numbers the page's prose gives.

Both record the YAML files as dependencies of the page, so Sphinx re-reads the glossary page
when a file changes, is added or is removed, and not otherwise. Nothing is executed: the page is plain Markdown.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

FIELDS = ("en", "zh_hans", "zh_hant", "definition", "chapter")
ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_DIR = ROOT / "book" / "_glossary"


def load_glossary(directory):
    """Read every ``*.yml`` file in ``directory``; each is a YAML list of terms.

    Returns a list of dicts with the keys ``en, zh_hans, zh_hant, definition, chapter`` (text
    with runs of whitespace collapsed) and ``source`` (the file name). Raises ValueError naming
    the file and the term when a file is not a list of terms with all five fields.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"expected a directory of glossary files, got {str(directory)!r}")
    entries = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data is None:
            continue
        if not isinstance(data, list):
            raise ValueError(f"{path.name}: expected a YAML list of terms, got a {type(data).__name__}")
        for number, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise ValueError(f"{path.name}, term {number}: expected a mapping with the fields "
                                 f"{', '.join(FIELDS)}, got {item!r}")
            missing = [field for field in FIELDS if not str(item.get(field) or "").strip()]
            if missing:
                raise ValueError(f"{path.name}, term {number} ({item.get('en', '?')!r}): "
                                 f"missing {', '.join(missing)}")
            entry = {field: " ".join(str(item[field]).split()) for field in FIELDS}
            entry["source"] = path.name
            entries.append(entry)
    return entries


def merge_terms(entries):
    """One row per English term (compared case-insensitively), sorted alphabetically.

    A term that several chapters define keeps the Chinese names and definition of the first
    chapter (in chapter order) and lists every chapter, that one first.
    """
    by_term = {}
    for entry in sorted(entries, key=lambda e: (e["chapter"], e["source"])):
        key = entry["en"].casefold()
        if key not in by_term:
            by_term[key] = dict(entry, chapters=[entry["chapter"]])
        elif entry["chapter"] not in by_term[key]["chapters"]:
            by_term[key]["chapters"].append(entry["chapter"])
    return [by_term[key] for key in sorted(by_term)]


def _cell(text):
    # A pipe would end the table cell.
    return text.replace("|", r"\|")


def glossary_table(entries, book_dir=None):
    """The glossary as a MyST Markdown table; chapters link with the {doc} role.

    With ``book_dir``, every chapter must exist there as ``<chapter>.md`` or ``.ipynb``
    (ValueError otherwise, naming the glossary file).
    """
    rows = merge_terms(entries)
    if book_dir is not None:
        for entry in entries:
            chapter = entry["chapter"]
            if not any((Path(book_dir) / f"{chapter}{suffix}").is_file() for suffix in (".md", ".ipynb")):
                raise ValueError(f"{entry['source']}: term {entry['en']!r} names the chapter {chapter!r}, "
                                 f"which is not a page in {book_dir}")
    lines = ["| English | 简体 | 繁體 | Definition | Chapter |", "|---|---|---|---|---|"]
    for row in rows:
        links = ", ".join(f"{{doc}}`{chapter}`" for chapter in row["chapters"])
        lines.append(f"| **{_cell(row['en'])}** | {_cell(row['zh_hans'])} | {_cell(row['zh_hant'])} "
                     f"| {_cell(row['definition'])} | {links} |")
    return "\n".join(lines)


def counts(entries) -> dict:
    """``{"terms": distinct terms, "chapters": chapters with a term}``."""
    return {"terms": len(merge_terms(entries)), "chapters": len({entry["chapter"] for entry in entries})}


# --------------------------------------------------------------------------- Sphinx extension

def _files() -> list[str]:
    return sorted(path.name for path in GLOSSARY_DIR.glob("*.yml"))


def _entries_for(env):
    """The glossary's terms, with its files noted as dependencies of the page being read."""
    for name in _files():
        env.note_dependency(str(GLOSSARY_DIR / name))
    # Which page shows the glossary and which files it read: a file added later is no dependency yet.
    env.nnbook_glossary = {"docname": env.docname, "files": _files()}
    return load_glossary(GLOSSARY_DIR)


def _outdated_when_files_come_or_go(app, env, added, changed, removed):
    """env-get-outdated: re-read the glossary page when a glossary file was added or removed."""
    seen = getattr(env, "nnbook_glossary", None)
    if seen and seen["files"] != _files() and seen["docname"] in env.found_docs:
        return [seen["docname"]]
    return []


def _merge(app, env, docnames, other):
    """env-merge-info: keep what a parallel reader recorded."""
    if getattr(other, "nnbook_glossary", None):
        env.nnbook_glossary = other.nnbook_glossary


class GlossaryTable(SphinxDirective):
    """``{glossary-table}``: every term of book/_glossary/*.yml, one table."""

    has_content = False

    def run(self):
        try:
            table = glossary_table(_entries_for(self.env), book_dir=GLOSSARY_DIR.parent)
        except ValueError as exc:
            raise self.error(f"glossary-table: {exc}") from None
        container = nodes.container(classes=["nnbook-glossary"])
        # MyST parses the table (and its {doc} links) as it parses the page.
        self.state.nested_parse(table.splitlines(), self.content_offset, container)
        return [container]


def _count_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{glossary-count}`terms``` or ``{glossary-count}`chapters```: a number for the prose."""
    env = inliner.document.settings.env
    try:
        number = counts(_entries_for(env))[text.strip()]
    except KeyError:
        message = inliner.reporter.error(f"glossary-count: expected 'terms' or 'chapters', got {text!r}",
                                         line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    except ValueError as exc:
        message = inliner.reporter.error(f"glossary-count: {exc}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [nodes.Text(str(number))], []


def setup(app):
    app.add_directive("glossary-table", GlossaryTable)
    app.add_role("glossary-count", _count_role)
    app.connect("env-get-outdated", _outdated_when_files_come_or_go)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
