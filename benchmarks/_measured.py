"""The "measured on" table that each benchmark writes into benchmarks/results.md.

book/performance.md includes results.md, and the Chinese editions translate it message by
message: each paragraph and each table cell is one message. A figure of the run (the load
average, a version, the CPU's name, the number of runs) inside a sentence would make every run a
new sentence to translate. So the sentences are fixed, and the figures stand in a table of their
own: a label (fixed words, translated once) and a value that is a number, or inline code when it
has letters. ``tools/i18n.py update`` fills a message with no words as its own translation, so a
new run asks for no translation.
"""

from __future__ import annotations

import re

# A letter outside inline code: a word that a translator would have to translate
# (tools/i18n.py has_words, which also leaves out math, roles and links).
_LETTER = re.compile(r"[^\W\d_]")


def figure(value) -> str:
    """A table cell holding ``value`` that needs no translation: a number as it is, text with
    letters as inline code (a backtick inside becomes an apostrophe)."""
    text = " ".join(str(value).split()).replace("|", "/")
    if not text:
        return "—"
    if _LETTER.search(text):
        return "`" + text.replace("`", "'") + "`"
    return text


def measured_on(rows) -> str:
    """The Markdown table of ``rows``, (label, value) pairs: the label fixed words (the same in
    every run), the value a :func:`figure`. Raises ValueError naming an empty label."""
    lines = ["| measured on | value |", "|---|---|"]
    for label, value in rows:
        if not label.strip():
            raise ValueError(f"expected a label of fixed words for the value {value!r}, got {label!r}")
        lines.append(f"| {label} | {figure(value)} |")
    return "\n".join(lines)
