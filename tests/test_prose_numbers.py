"""No number in a chapter's prose is typed by hand.

A number a reader sees in the text of a chapter (its paragraphs, lists, tables, notes, dropdowns
and answers) is either computed by the page's code and shown with a glue role
(``{glue:text}`name:.4f```), or it is not a result at all. This test reads each chapter's text
outside code cells, maths (``$…$`` and ``$$…$$``), roles (glue, references), inline code and link
targets, lists the numbers left, and fails on any that is none of:

* a small integer, 0 to 10 (counts, indices, "two layers", "chapter 4");
* a year (1900 to 2029), as in a citation or a date in the field's history;
* a number the chapter's code cells write as a literal: an input the page itself uses (a weight,
  an input, a learning rate, a number of epochs), or a value its hidden checks assert, so the
  build fails if the prose and the code part ways;
* a number on the short allow-list below, each with its reason.

A result (a loss, a gradient, an accuracy, a count computed by code) must be glued.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from myst_lines import myst_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
CHAPTERS = sorted(p.stem for p in BOOK.glob("[01][0-9]-*.md"))

# (chapter, number as written): why it is not a computed result. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {
    ("02-vectors", "90"): "a right angle, 90°, by definition",
    ("14-digits", "97"): "the accuracy the page's hidden check requires (written 0.97 there)",
    ("14-digits", "95"): "the threshold whose first epoch is glued beside it (0.95 in the code)",
    ("14-digits", "70,000"): "MNIST's size: a fact about a data set this book does not load",
    ("14-digits", "28"): "MNIST's image side (28×28), likewise",
    ("14-digits", "784"): "MNIST's 28 × 28 = 784 inputs, likewise",
    ("14-digits", "98"): "the accuracy such a network is reported to reach on MNIST, likewise",
    ("15-frameworks", "28"): "MNIST's image side, as in chapter 14",
    ("15-frameworks", "64"): "a layer size inside a code span that breaks across two lines",
    ("15-frameworks", "128"): "a layer size inside a code span that breaks across two lines",
    ("15-frameworks", "12"): "the digits float64 keeps in a comparison the page describes but does not run",
}

NUMBER = re.compile(r"(?<![\w.^_\\])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][−-]?\d+)?(?![\w])")
# The blocks whose lines are code here: code cells, code listings, and display maths.
CODE_DIRECTIVES = ("", "{code-cell}", "{code}", "{code-block}", "{math}")


def split(text: str) -> tuple[list[tuple[int, str]], str]:
    """(prose lines with their numbers, all code of the code cells) of a MyST notebook. A
    directive's title is prose; its options are not."""
    prose, code = [], []
    for line in myst_lines(text, lambda b: b.fence.startswith("`") and b.directive in CODE_DIRECTIVES):
        if line.role == "code" or (line.role == "option" and line.block.code):
            code.append(line.text)
        elif line.role == "open" and not line.block.code:
            prose.append((line.number, line.block.title))
        elif line.role == "text":
            prose.append((line.number, line.text))
    return prose, "\n".join(code)


def clean(line: str) -> str:
    """The text of a prose line with maths, roles, code, links' targets and labels removed."""
    if re.match(r"^\s*\([\w:-]+\)=\s*$", line) or line.lstrip().startswith("<!--"):
        return ""
    line = re.sub(r"\$\$.*?\$\$|\$[^$]+\$", " ", line)
    line = re.sub(r"\b\d+-bit\b", " ", line)  # a number format's name (64-bit float)
    line = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", line)
    line = re.sub(r"``[^`]*``|`[^`]*`", " ", line)
    line = re.sub(r"\]\([^)]*\)", "]", line)
    line = re.sub(r"<[^>]+>", " ", line)
    line = re.sub(r"https?://\S+", " ", line)
    line = re.sub(r"\b(?:[Cc]hapters?|[Ss]ections?|[Ee]xercises?|[Qq]uestions?|[Ss]eeds?|Q|[Pp]arts?)"
                  r"\s+(?:\d+(?:\.\d+)*(?:\s*(?:,|and|or|–|-|to)\s*)?)+", " ", line)
    line = re.sub(r"^\s*#+\s*(?:\d+(?:\.\d+)*\s)?", "", line)  # a heading and its numbering
    line = re.sub(r"^\s*\d+\.\s", "", line)  # a numbered list's item number
    return line


def literal_numbers(code: str) -> set[str]:
    found = set()
    for text in re.findall(r"(?<![\w.])\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?", code):
        found.add(normal(text.replace("_", "")))
    return found


def normal(number: str) -> str:
    """One spelling of a number: no thousands separators, no trailing zeros after a point."""
    number = number.replace(",", "").replace("−", "-")
    try:
        value = float(number)
    except ValueError:
        return number
    return repr(value)


def hand_typed(chapter: str, text: str) -> list[str]:
    prose, code = split(text)
    literals = literal_numbers(code)
    found = []
    for lineno, line in prose:
        for number in NUMBER.findall(clean(line)):
            value = float(number.replace(",", "").replace("−", "-"))
            if value == int(value) and 0 <= value <= 10 and "." not in number:
                continue
            if re.fullmatch(r"19\d\d|20[0-2]\d", number):
                continue
            if normal(number) in literals or (chapter, number) in ALLOWED:
                continue
            found.append(f"line {lineno}: {number} in: {line.strip()[:120]}")
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_number_in_the_prose_is_typed_by_hand(chapter):
    found = hand_typed(chapter, (BOOK / f"{chapter}.md").read_text(encoding="utf-8"))
    assert not found, (f"{chapter}: {len(found)} numbers in the prose are neither glued nor an input "
                       "of the page's code (glue them, see the module's docstring):\n" + "\n".join(found))


def test_the_allow_list_is_used():
    for (chapter, number), reason in ALLOWED.items():
        assert reason.strip(), (chapter, number)
        prose, _ = split((BOOK / f"{chapter}.md").read_text(encoding="utf-8"))
        assert any(number in NUMBER.findall(clean(line)) for _, line in prose), \
            f"{chapter}: {number} is allowed but no longer in the prose"


CASES = [
    # (text, numbers flagged)
    ("The dot product prints 32 instead of 40.\n", ["32", "40"]),
    ("The loss falls to 0.0032 after training.\n", ["0.0032"]),
    ("It is {glue:text}`ch03_dot` and $0.25 = 1/4$, `x = 0.731`, see chapter 12.\n", []),
    ("$$\n0.7311\n$$\nTwo layers, 3 inputs, in 1986.\n", []),
    ("```{code-cell} ipython3\nlr = 0.5\n```\nWith a learning rate of 0.5 it reaches 0.93.\n", ["0.93"]),
    (":::{admonition} Answer\n:class: dropdown\nThe accuracy is 97.5 %.\n:::\n", ["97.5"]),
    ("## 3.2 Sections\n[the 2019 post](https://example.org/1234)\n", []),
    ("In 64-bit floating point it is 0.73.\n", ["0.73"]),
]


@pytest.mark.parametrize("text, flagged", CASES)
def test_the_rule_finds_what_it_should(text, flagged):
    found = hand_typed("00-none", text)
    assert [f.split(": ")[1].split(" in")[0] for f in found] == flagged, found
