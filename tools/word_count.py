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

BOOK = Path(__file__).resolve().parent.parent / "book"
FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})\s*(\{[\w-]+\})?(.*)$")
ASIDES = {"{dropdown}", "{margin}", "{sidebar}", "{aside}"}


def _blocks(text: str):
    """Yield (line, on_main_path) for each prose line of a MyST notebook."""
    lines = text.splitlines()
    i, n = 0, len(lines)
    if lines and lines[0].strip() == "---":
        i = next((k for k in range(1, n) if lines[k].strip() == "---"), 0) + 1
    stack: list[tuple[str, str]] = []  # (fence, kind): "code", "aside" or "main"
    in_math = False
    while i < n:
        line = lines[i]
        m = FENCE.match(line)
        if m and stack and m.group(2)[0] == stack[-1][0][0] and len(m.group(2)) >= len(stack[-1][0]) \
                and not (m.group(3) or m.group(4).strip()):
            stack.pop()
            i += 1
            continue
        if m and (m.group(3) or m.group(2).startswith("`")):
            fence, directive = m.group(2), m.group(3) or ""
            if fence.startswith("`") and directive not in ASIDES and directive != "{admonition}" \
                    and directive not in ("{note}", "{tip}", "{warning}", "{important}", "{figure}"):
                stack.append((fence, "code"))
                i += 1
                continue
            j, collapsed = i + 1, directive in ASIDES
            while j < n and lines[j].lstrip().startswith(":") and not FENCE.match(lines[j]):
                collapsed = collapsed or re.search(r":class:.*\bdropdown\b", lines[j]) is not None
                j += 1
            outer = stack[-1][1] if stack else "main"
            kind = "code" if outer == "code" else ("aside" if collapsed or outer == "aside" else "main")
            stack.append((fence, kind))
            i = j
            continue
        kind = stack[-1][1] if stack else "main"
        if kind == "code":
            i += 1
            continue
        stripped = line.strip()
        if in_math:
            in_math = not stripped.endswith("$$")
            i += 1
            continue
        if stripped.startswith("$$"):
            in_math = stripped == "$$" or not stripped.endswith("$$")
            i += 1
            continue
        if not in_math:
            yield line, kind == "main"
        i += 1


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
