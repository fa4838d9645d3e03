"""Words on each chapter's main path: the prose a reader meets without opening anything.

The main path is the Markdown text outside code cells, display math, directive options and
collapsed blocks (dropdowns, admonitions of class ``dropdown``, margin notes and sidebars).
Inline math counts as one word per ``$…$``. Run ``python tools/word_count.py`` for a table of
main-path and total prose words per chapter.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from myst_lines import Block, myst_lines

BOOK = Path(__file__).resolve().parent.parent / "book"
ASIDES = {"{dropdown}", "{margin}", "{sidebar}", "{aside}"}
# The backtick directives whose body is prose (every other backtick block is code or maths).
PROSE_DIRECTIVES = ASIDES | {"{admonition}", "{note}", "{tip}", "{warning}", "{important}", "{figure}"}


def _collapsed(block: Block) -> bool:
    return block.directive in ASIDES or any(re.search(r":class:.*\bdropdown\b", o) for o in block.options)


def _blocks(text: str):
    """Yield (line, on_main_path) for each prose line of a MyST notebook."""
    is_code = lambda b: b.fence.startswith("`") and b.directive not in PROSE_DIRECTIVES  # noqa: E731
    for line in myst_lines(text, is_code):
        if line.role == "text":
            yield line.text, not any(_collapsed(b) for b in line.blocks)


def words(line: str) -> int:
    line = re.sub(r"\$[^$]+\$", " MATH ", line)
    line = re.sub(r"\{[\w:-]+\}`[^`]*`", " REF ", line)
    if re.match(r"^\s*\(.+\)=\s*$", line) or line.strip().startswith("<!--"):
        return 0
    return len(re.findall(r"[\w\u00c0-\uffff][\w\u00c0-\uffff'’.,-]*", line))


def count(path: Path) -> tuple[int, int]:
    main = total = 0
    for line, on_main in _blocks(path.read_text(encoding="utf-8")):
        k = words(line)
        total += k
        main += k if on_main else 0
    return main, total


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(BOOK.glob("[01][0-9]-*.md"))
    sums = [0, 0, 0, 0]
    print(f"{'chapter':32} {'main path':>10} {'all prose':>10}")
    for path in paths:
        m, t = count(path)
        print(f"{path.stem:32} {m:10d} {t:10d}")
        if path.stem[:2].isdigit() and int(path.stem[:2]) <= 11:
            sums[0] += m
            sums[1] += t
        sums[2] += m
        sums[3] += t
    print(f"{'chapters 1-11':32} {sums[0]:10d} {sums[1]:10d}")
    print(f"{'all listed':32} {sums[2]:10d} {sums[3]:10d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
