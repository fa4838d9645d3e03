"""The glossary page's table, rendered from ``book/_glossary/*.yml`` when the book is built.

Each chapter keeps its terms in ``book/_glossary/NN.yml``: a YAML list of mappings with the
fields ``en, zh_hans, zh_hant, definition, chapter``. Loaded as a Sphinx extension
(``_config.yml`` lists it under ``sphinx.local_extensions``), this module adds

* the directive ``glossary-table``, which renders every term as one table (sorted, a term that
  several chapters use listed once, with a link to each chapter), and
* the role ``glossary-count`` (``terms`` or ``chapters``), the numbers the page's prose gives.

Each chapter link lands on the section that introduces the term, not on the chapter's top: when
the page is written, the link gets the anchor of the section of that chapter where the term first
appears in bold or italics (else where it first appears at all; see :func:`term_section_id`), and
the page is rewritten whenever one of its chapters changes.

Both record the YAML files as dependencies of the page, so Sphinx re-reads the glossary page
when a file changes, is added or is removed, and not otherwise. Nothing is executed: the page is plain Markdown.

Each row of the table carries a stable anchor, ``term-`` and the English term as an id
(:func:`term_anchor`). In the other direction, a chapter's first bold use of each term the
glossary assigns to it becomes a link to that row, with a tooltip naming the term in the
edition's two other languages: 简体 and 繁體 in the English edition, English and the other
script in a Chinese one (the post-transform :class:`TermLinks`, HTML builders only; the bold text
of a Chinese edition is the glossary's Chinese term). The tooltip is plain HTML, styled and
dismissed by ``book/_static/glossary-tip.css`` and ``.js``: it shows on hover and on keyboard
focus, is the link's ``aria-describedby`` description, and Escape hides it.
"""

from __future__ import annotations

from pathlib import Path

import html
import posixpath
import re

import yaml
from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

FIELDS = ("en", "zh_hans", "zh_hant", "definition", "chapter")
ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_DIR = ROOT / "book" / "_glossary"
# libyaml's safe loader where PyYAML has it: the same documents, read ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_glossary(directory):
    """Read every ``*.yml`` file in ``directory``; each is a YAML list of terms.

    Returns a list of dicts with the keys ``en, zh_hans, zh_hant, definition, chapter`` (text
    with runs of whitespace collapsed), ``also`` (the optional list of other wordings the chapter
    uses for the term, where its link should look for it) and ``source`` (the file name). Raises ValueError naming
    the file and the term when a file is not a list of terms with all five fields.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"expected a directory of glossary files, got {str(directory)!r}")
    paths = sorted(directory.glob("*.yml"))
    # A build asks for the glossary on every page, twice: read once, and again when a file changes.
    key = (str(directory.resolve()), tuple((path.name, stat.st_mtime_ns, stat.st_size)
                                           for path in paths for stat in [path.stat()]))
    if key not in _READ:
        _READ.clear()
        _READ[key] = _read_glossary(paths)
    return [dict(entry) for entry in _READ[key]]


_READ: dict = {}  # load_glossary's last reading, by its files' names, times and sizes


def _read_glossary(paths):
    entries = []
    for path in paths:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
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
            also = item.get("also", [])
            if isinstance(also, str) or not all(isinstance(a, str) and a.strip() for a in also):
                raise ValueError(f"{path.name}, term {number} ({item.get('en', '?')!r}): expected 'also' as a "
                                 f"list of wordings, got {also!r}")
            entry["also"] = tuple(also)
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


def _words(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


def _names(term: str) -> set:
    """The forms a term takes in the prose: as written, and plural ("curvature" → "curvatures")."""
    word = _words(term)
    return {word, word + "s", word + "es"}


def term_section_id(doctree, term, also=()):
    """The id of the section of ``doctree`` that introduces ``term``, or None for the page's top.

    The section is the innermost one around the first bold (then italic) text that reads as the
    term (case and hyphens ignored, a plural allowed), or, if the term is never emphasised, around
    the first paragraph that names it as a whole word. A term with a part in brackets,
    "rectified linear unit (ReLU)", is also looked for without it and as the bracketed part; the
    wordings ``also`` (a glossary entry's optional ``also:`` list, e.g. "convolutional" for CNN)
    are tried last. Of a
    section's ids, a label's (``(ch08-bowl)=``) is preferred to the one derived from its title.
    """
    found = None
    # "rectified linear unit (ReLU)": the prose may set either part in bold
    short = re.sub(r"\s*\([^)]*\)", "", term).strip()
    inside = re.findall(r"\(([^)]*)\)", term)
    phrases = dict.fromkeys(p for p in (term, short, *inside, *also) if p)
    for phrase in phrases:
        names = _names(phrase)
        for kind in (nodes.strong, nodes.emphasis):
            found = next((n for n in doctree.findall(kind) if _words(n.astext()) in names), None)
            if found is not None:
                break
        if found is None:
            words = r"[\s-]+".join(map(re.escape, _words(phrase).split()))
            pattern = re.compile(r"(?<![\w-])" + words + r"(?:e?s)?(?![\w-])", re.IGNORECASE)
            found = next((n for n in doctree.findall(nodes.paragraph) if pattern.search(n.astext())), None)
        if found is not None:
            break
    if found is None:
        return None
    section = next((a for a in _ancestors(found) if isinstance(a, nodes.section)), None)
    if section is None or not section.get("ids"):
        return None
    if not any(isinstance(a, nodes.section) for a in _ancestors(section)):
        return None  # the page's own title: its top
    ids = section["ids"]
    derived = nodes.make_id(section[0].astext()) if len(section) and isinstance(section[0], nodes.title) else None
    return next((i for i in ids if i != derived), ids[0])


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _in_title(node) -> bool:
    return any(isinstance(a, nodes.title) for a in _ancestors(node))


def term_anchor(term: str) -> str:
    """The id of a term's row on the glossary page: ``term-`` and the term as an id
    ("rectified linear unit (ReLU)" -> ``term-rectified-linear-unit-relu``)."""
    return "term-" + nodes.make_id(re.sub(r"[\u2010-\u2015]", " ", term))  # matrix–vector: two words


# The three editions: which field of a term its bold text is written in, and what the tooltip
# shows (field, lang attribute, label).
EDITION_NAMES = {
    "en": ("en", [("zh_hans", "zh-Hans", "简体"), ("zh_hant", "zh-Hant", "繁體")]),
    "zh_CN": ("zh_hans", [("en", "en", "English"), ("zh_hant", "zh-Hant", "繁體")]),
    "zh_TW": ("zh_hant", [("en", "en", "English"), ("zh_hans", "zh-Hans", "简体")]),
}


def _edition(language) -> str:
    language = (language or "en").replace("-", "_")
    return language if language in EDITION_NAMES else "en"


def _variants(field_value: str) -> list[str]:
    """The spellings of a Chinese name: "感知器 / 感知机" -> ["感知器", "感知机"] (a second spelling
    after a slash); "softmax 函数（归一化指数函数）" -> also "softmax 函数" and "归一化指数函数"."""
    variants = []
    for part in field_value.split(" / "):
        bare = re.sub(r"\s*（[^）]*）", "", part)
        for name in (part, bare, *re.findall(r"（([^）]*)）", part)):
            if name.strip() and name.strip() not in variants:
                variants.append(name.strip())
    return variants


def bold_names(entry, edition="en") -> set:
    """The bold texts that introduce ``entry`` in ``edition``, normalised as :func:`_words` does.

    English: the term, without its bracketed part and as that part ("rectified linear unit
    (ReLU)"), and its ``also`` wordings, each also as a plural. Chinese: each spelling of the
    term in the edition's script (the 繁體 edition also accepts the 简体 spelling)."""
    if edition == "en":
        term = entry["en"]
        short = re.sub(r"\s*\([^)]*\)", "", term).strip()
        inside = re.findall(r"\(([^)]*)\)", term)
        names = set()
        for phrase in (term, short, *inside, *entry.get("also", ())):
            if phrase:
                names |= _names(phrase)
        return names
    fields = ["zh_hans"] if edition == "zh_CN" else ["zh_hant", "zh_hans"]
    return {_words(variant) for field in fields for variant in _variants(entry[field])}


def chapter_terms(entries, chapter: str, edition="en") -> dict:
    """``{bold text: merged glossary row}`` for the terms the glossary assigns to ``chapter``
    (its file name without suffix). The row is the glossary table's (:func:`merge_terms`), so the
    tooltip shows the names the glossary shows. A text two terms share goes to the first."""
    rows = {row["en"].casefold(): row for row in merge_terms(entries)}
    names = {}
    for entry in entries:
        if entry["chapter"] != chapter:
            continue
        for name in sorted(bold_names(entry, edition)):
            names.setdefault(name, rows[entry["en"].casefold()])
    return names


def tooltip_html(row, edition="en") -> str:
    """The tooltip's inner HTML: the term in the edition's two other languages, each with its
    ``lang`` attribute (a label in the language it names, then the name)."""
    parts = []
    for field, lang, label in EDITION_NAMES[edition][1]:
        parts.append(f'<span class="nnbook-term-name" lang="{lang}">'
                     f'<span class="nnbook-term-label">{html.escape(label)}</span> '
                     f'{html.escape(row[field])}</span>')
    return " ".join(parts)


class glossary_term(nodes.General, nodes.Inline, nodes.Element):
    """A bold term linked to its glossary row; ``refuri``, ``tipid`` and ``tip`` (the tooltip's HTML)."""


def visit_glossary_term_html(self, node):
    self.body.append(f'<span class="nnbook-term"><a class="reference internal nnbook-term-link" '
                     f'href="{html.escape(node["refuri"])}" aria-describedby="{node["tipid"]}">')


def depart_glossary_term_html(self, node):
    self.body.append(f'</a><span class="nnbook-term-tip" role="tooltip" id="{node["tipid"]}">'
                     f'{node["tip"]}</span></span>')


def _glossary_docname(env, docname):
    seen = getattr(env, "nnbook_glossary", None)
    if seen and seen["docname"] in env.found_docs:
        return seen["docname"]
    candidate = posixpath.join(posixpath.dirname(docname), "glossary")
    return candidate if candidate in env.found_docs else None


class TermLinks(SphinxPostTransform):
    """Link each glossary term's first bold use in the chapter that introduces it to its row on
    the glossary page, with the tooltip of :func:`tooltip_html`."""

    default_priority = 200  # after the references are resolved
    formats = ("html",)

    def run(self, **kwargs):
        docname = self.env.docname
        target = _glossary_docname(self.env, docname)
        if target is None or target == docname:
            return
        edition = _edition(self.config.language)
        terms = chapter_terms(load_glossary(GLOSSARY_DIR), docname.rsplit("/", 1)[-1], edition)
        if not terms:
            return
        page = self.app.builder.get_relative_uri(docname, target)
        linked = set()
        for strong in list(self.document.findall(nodes.strong)):
            row = terms.get(_words(strong.astext()))
            if row is None or row["en"] in linked:
                continue
            if any(isinstance(a, (nodes.title, nodes.reference, glossary_term, nodes.FixedTextElement))
                   for a in _ancestors(strong)):
                continue
            linked.add(row["en"])
            anchor = term_anchor(row["en"])
            term = glossary_term("", refuri=f"{page}#{anchor}", tipid=f"nnbook-tip-{anchor}",
                                 tip=tooltip_html(row, edition))
            strong.replace_self(term)
            term += strong


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


def _outdated_when_a_chapter_changes(app, env, added, changed, removed):
    """env-get-outdated: the glossary's links carry the chapters' section anchors, so the page is
    rewritten when a chapter it links to changes."""
    seen = getattr(env, "nnbook_glossary", None)
    if not seen or seen["docname"] not in env.found_docs:
        return []
    chapters = {entry["chapter"] for entry in load_glossary(GLOSSARY_DIR)}
    if any(docname.rsplit("/", 1)[-1] in chapters for docname in set(added) | set(changed)):
        return [seen["docname"]]
    return []


def _anchor_links(app, doctree, docname):
    """doctree-resolved: on the glossary page, point each chapter link at the term's section."""
    seen = getattr(app.env, "nnbook_glossary", None)
    if not seen or seen["docname"] != docname:
        return
    trees = {}
    also = {(e["en"].casefold(), e["chapter"]): e["also"] for e in load_glossary(GLOSSARY_DIR)}
    for table in doctree.findall(nodes.container):
        if "nnbook-glossary" not in table.get("classes", []):
            continue
        for row in table.findall(nodes.row):
            entries = list(row.findall(nodes.entry))
            if len(entries) < 5 or not list(entries[0].findall(nodes.strong)):
                continue
            term = entries[0].astext().strip()
            for ref in entries[-1].findall(nodes.reference):
                uri = ref.get("refuri", "")
                if not uri or "#" in uri:
                    continue
                # the link is relative to the glossary page: "01-neuron.html" is book/01-neuron
                target = posixpath.normpath(posixpath.join(posixpath.dirname(docname),
                                                           uri.rstrip("/").removesuffix(".html")))
                chapter, stem = target, target.rsplit("/", 1)[-1]
                if chapter not in app.env.found_docs:
                    continue
                if chapter not in trees:
                    trees[chapter] = app.env.get_doctree(chapter)
                anchor = term_section_id(trees[chapter], term, also.get((term.casefold(), stem), ()))
                if anchor:
                    ref["refuri"] = f"{uri}#{anchor}"


def _chapter_depends_on_the_glossary(app, doctree):
    """doctree-read: a chapter the glossary gives terms to is rewritten when a glossary file
    changes (its term links and their tooltips come from the files)."""
    env = app.env
    try:
        chapters = {entry["chapter"] for entry in load_glossary(GLOSSARY_DIR)}
    except ValueError:
        return  # the glossary page reports the broken file
    if env.docname.rsplit("/", 1)[-1] in chapters:
        for name in _files():
            env.note_dependency(str(GLOSSARY_DIR / name))


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
        # Each row gets its term's anchor, the target of the chapters' term links.
        rows = merge_terms(load_glossary(GLOSSARY_DIR))
        body = next(iter(container.findall(nodes.tbody)), None)
        if body is not None:
            for row, node in zip(rows, body.findall(nodes.row)):
                node["ids"].append(term_anchor(row["en"]))
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
    app.connect("env-get-outdated", _outdated_when_a_chapter_changes)
    app.connect("doctree-resolved", _anchor_links)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-read", _chapter_depends_on_the_glossary)
    app.add_node(glossary_term, html=(visit_glossary_term_html, depart_glossary_term_html))
    app.add_post_transform(TermLinks)
    app.add_css_file("glossary-tip.css")
    app.add_js_file("glossary-tip.js", defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
