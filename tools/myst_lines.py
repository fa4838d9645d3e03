"""The lines of a MyST Markdown notebook, each with the blocks it stands in.

One reading of the book's sources for the tools and tests that look at what a reader sees: the
notation test (tests/test_notation.py), the typed-number test (tests/test_prose_numbers.py) and the
word count (tools/word_count.py). Each decides which blocks are code for it, and what to keep.

A block opens on a fence (three or more backticks or colons) with a directive (``{note}``) or, for
backticks, with none; it closes on a bare fence of the same character, at least as long. The lines
of directive options (``:class: dropdown``, or a code cell's YAML block between ``---`` lines) come
right after the opening fence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})\s*(\{[\w-]+\})?(.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")


@dataclass
class Block:
    fence: str  # "```" or ":::" (or longer)
    directive: str  # "{code-cell}", "{note}", … ("" for a bare backtick fence)
    title: str  # the rest of the opening line
    code: bool  # a code block (for the caller's ``is_code``), or inside one
    options: list[str] = field(default_factory=list)


@dataclass
class Line:
    number: int  # 1-based
    text: str
    blocks: tuple[Block, ...]  # the open blocks, outermost first; for "open", the new one last
    role: str  # "open", "option", "close", "code", "math" (display math) or "text"

    @property
    def block(self) -> Block | None:
        return self.blocks[-1] if self.blocks else None


def myst_lines(text: str, is_code: Callable[[Block], bool]) -> Iterator[Line]:
    """Every line of ``text`` after its front matter, with its role. A block is code if
    ``is_code(block)`` says so or it stands inside a code block; display math (``$$ … $$``) is
    only looked for outside code."""
    lines = text.splitlines()
    i, n = 0, len(lines)
    if lines and lines[0].strip() == "---":
        i = next((k for k in range(1, n) if lines[k].strip() == "---"), 0) + 1
    stack: list[Block] = []
    in_math = False
    while i < n:
        line = lines[i]
        m = FENCE.match(line)
        if m and stack and m.group(2)[0] == stack[-1].fence[0] and len(m.group(2)) >= len(stack[-1].fence) \
                and not (m.group(3) or m.group(4).strip()):
            yield Line(i + 1, line, tuple(stack), "close")
            stack.pop()
            i += 1
            continue
        if m and (m.group(3) or m.group(2).startswith("`")):
            block = Block(m.group(2), m.group(3) or "", m.group(4), code=False)
            block.code = bool(stack and stack[-1].code) or is_code(block)
            stack.append(block)
            yield Line(i + 1, line, tuple(stack), "open")
            i += 1
            if block.directive and i < n and lines[i].strip() == "---" and block.directive == "{code-cell}":
                end = next((k for k in range(i + 1, n) if lines[k].strip() == "---"), n - 1)
                options = range(i, end + 1)
            else:
                end = i
                while end < n and OPTION.match(lines[end]):
                    end += 1
                options = range(i, end) if block.directive else range(0)
            for k in options:
                block.options.append(lines[k])
                yield Line(k + 1, lines[k], tuple(stack), "option")
            i = options[-1] + 1 if options else i
            continue
        if stack and stack[-1].code:
            role = "code"
        else:
            stripped = line.strip()
            if in_math:
                in_math, role = not stripped.endswith("$$"), "math"
            elif stripped.startswith("$$"):
                in_math, role = stripped == "$$" or not stripped.endswith("$$"), "math"
            else:
                role = "text"
        yield Line(i + 1, line, tuple(stack), role)
        i += 1
