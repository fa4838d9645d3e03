"""What the grader writes: the table it prints, the CSV gradebook, one feedback file per student.

The printed table and the CSV are made from the same records (``records``), so they always
agree. Files are written atomically (a temporary file in the same folder, then renamed).
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import _core

FIXED = ("submission", "total", "status", "student")


@dataclass
class Row:
    """One submission's grade."""

    submission: str
    points: dict = field(default_factory=dict)  # qid -> points
    max_points: dict = field(default_factory=dict)  # qid -> max points
    messages: dict = field(default_factory=dict)  # qid -> why it failed (the check's own words)
    outcomes: dict = field(default_factory=dict)  # qid -> "passed", "failed", "not attempted", "not checked"
    status: str = "ok"
    student: str = ""
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.points.values())

    @property
    def max_total(self) -> int:
        return sum(self.max_points.values())


def short(text, n: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _order(qid: str):
    return tuple(int(p) for p in qid.split("."))


def columns(rows) -> list[str]:
    """Every question id in the rows, in order."""
    return sorted({q for r in rows for q in r.max_points}, key=_order)


def header(qids) -> list[str]:
    """``submission``, one column per question, ``total``, ``status``, then ``student``."""
    return ["submission", *qids, "total", "status", "student"]


def records(rows) -> list[list[str]]:
    """The gradebook's rows as text (the CSV's and the table's cells)."""
    qids = columns(rows)
    return [[r.submission, *(str(r.points[q]) if q in r.points else "" for q in qids), str(r.total), r.status,
             r.student] for r in rows]


def _atomic_write(path: Path, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def csv_text(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(columns(rows)))
    writer.writerows(records(rows))
    return out.getvalue()


def write_csv(rows, path) -> None:
    """The gradebook, written at once (readers never see half a file)."""
    _atomic_write(Path(path), csv_text(rows))


def read_csv(path) -> tuple[list[str], list[dict]]:
    """An earlier gradebook: (question ids, rows as dicts)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        head = reader.fieldnames or []
        return [h for h in head if re.fullmatch(r"\d{2}\.\d+", h)], list(reader)


def merge(rows, path) -> list[Row]:
    """``rows`` (re-graded) merged into the gradebook at ``path``: a student's new row replaces their
    old one (matched by student id, else by submission path); everyone else's rows stay as they were."""
    qids, old = read_csv(path)
    new = {(r.student or r.submission): r for r in rows}
    maxima = {q: p for r in rows for q, p in r.max_points.items()}
    merged = []
    for d in old:
        key = d.get("student") or d.get("submission", "")
        if key in new:
            merged.append(new.pop(key))
            continue
        row = Row(d.get("submission", ""), status=d.get("status", ""), student=d.get("student", ""))
        for q in qids:
            if d.get(q, "") != "":
                row.points[q] = int(d[q])
                row.max_points[q] = maxima.get(q, int(d[q]))
        merged.append(row)
    return merged + list(new.values())


def format_table(rows, details: bool = False) -> str:
    """A plain-text table for the terminal: the CSV's cells, with a "(max)" line."""
    qids = columns(rows)
    maxima = {}
    for r in rows:
        maxima.update(r.max_points)
    head = ["submission", *qids, "total", "status", "student"]
    top = ["(max)", *(str(maxima[q]) for q in qids), str(sum(maxima.values())), "", ""]
    body = [[c if c != "" else "-" for c in rec[:-2]] + rec[-2:] for rec in records(rows)]
    table = [head, top, *body]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = []
    for k, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:-2], widths[1:-2])]
        cells += [row[-2].ljust(widths[-2]), row[-1]]
        lines.append("  ".join(cells).rstrip())
        if k == 1:
            lines.append("  ".join("-" * w for w in widths))
    if details:
        for r in rows:
            for q in qids:
                if q in r.messages:
                    lines.append(f"{r.submission}  {q}: {short(r.messages[q], 200)}")
    return "\n".join(lines)


def _verdict(row: Row, qid: str) -> str:
    """The question's verdict in the instant check's words (``Result.text``)."""
    outcome = row.outcomes.get(qid, "failed")
    if outcome == "not checked":
        q = _core.get_question(qid)
        return (f"NOT CHECKED  {q.qid}  {q.title}  (0/{q.points} point{'' if q.points == 1 else 's'})\n"
                f"      {row.messages.get(qid, '')}\n      hint: {q.hint}\n      read: {q.url}")
    result = _core.Result(qid, outcome, row.points.get(qid, 0), row.max_points.get(qid, 0),
                          row.messages.get(qid, ""))
    return result.text()


def feedback_markdown(row: Row, chapter: str | None) -> str:
    who = row.student or Path(row.submission).stem
    lines = [f"# Feedback for {who}", "", f"Chapter {chapter}: **{row.total}/{row.max_total} points**.",
             "", f"Submission: `{row.submission}`", "", f"Status: {row.status}", ""]
    for qid in columns([row]):
        lines += [f"## {qid}: {row.points.get(qid, 0)}/{row.max_points[qid]}", "", "```text",
                  _verdict(row, qid), "```", ""]
    return "\n".join(lines)


def feedback_html(row: Row, chapter: str | None) -> str:
    body = html.escape(feedback_markdown(row, chapter))
    return f'<!doctype html>\n<meta charset="utf-8">\n<pre style="white-space:pre-wrap">{body}</pre>\n'


def write_feedback(rows, folder, chapter: str | None, fmt: str = "md") -> list[Path]:
    """One file per student in ``folder``: each question, its points, what failed and the hint."""
    written, used = [], set()
    for row in rows:
        stem = re.sub(r"[^\w.@-]+", "_", row.student or Path(row.submission).stem).strip("._") or "submission"
        name, k = stem, 2
        while name in used:
            name, k = f"{stem}-{k}", k + 1
        used.add(name)
        path = Path(folder) / f"{name}.{fmt}"
        text = feedback_html(row, chapter) if fmt == "html" else feedback_markdown(row, chapter)
        _atomic_write(path, text)
        written.append(path)
    return written
