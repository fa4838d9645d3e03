"""What the grader writes: the table it prints, the CSV gradebook, one feedback file per student.

The printed table and the CSV are made from the same records (``records``), with the same
columns (``fields``: listed once, here), so they always agree. Files are written atomically (a
temporary file in the same folder, then renamed). In the CSV only, a cell that a spreadsheet
would read as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
gets a leading ``'``, as OWASP advises against CSV injection; so does a cell that begins with
``'``, so that reading the file back (``read_csv``) gives every cell exactly as it was.
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

FORMATS = ("moodle", "canvas", "gradescope")  # "moodle": the full gradebook, the default
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")
_DUPLICATE = re.compile(r"duplicate student id \(\d+ submissions\)")


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
    seed: int | None = None  # the student's own seed (``--secret``); None: the class's ``--seed``
    review: tuple = ()  # qids whose answer only calls the library's own implementation (``review``)

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


def fields(rows) -> list[tuple[str, object, str]]:
    """The gradebook's columns: (name, the cell of a row, alignment in the table).

    ``submission``, one column per question, ``total``, ``status`` and ``student``; then ``seed``
    when the students have seeds of their own, and ``review`` when an answer is marked for review."""
    def points(q):
        return lambda r: str(r.points[q]) if q in r.points else ""

    out = [("submission", lambda r: r.submission, "<"), *((q, points(q), ">") for q in columns(rows)),
           ("total", lambda r: str(r.total), ">"), ("status", lambda r: r.status, "<"),
           ("student", lambda r: r.student, "<")]
    if any(r.seed is not None for r in rows):
        out.append(("seed", lambda r: "" if r.seed is None else str(r.seed), ">"))
    if any(r.review for r in rows):
        out.append(("review", lambda r: " ".join(r.review), "<"))
    return out


def header(rows) -> list[str]:
    return [name for name, _, _ in fields(rows)]


def records(rows) -> list[list[str]]:
    """The gradebook's rows as text (the CSV's and the table's cells)."""
    cells = [cell for _, cell, _ in fields(rows)]
    return [[cell(r) for cell in cells] for r in rows]


def escape(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(_FORMULA) else text


def unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA) else text


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


def _csv(table) -> str:
    out = io.StringIO()
    plain, quoted = csv.writer(out, lineterminator="\n"), csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in table:
        row = [escape(c) for c in row]
        # a lone CR is no line end to the writer, but is one to readers: such a row is quoted whole
        (quoted if any("\r" in c for c in row) else plain).writerow(row)
    return out.getvalue()


def csv_text(rows, fmt: str = "moodle", assignment: str = "") -> str:
    """The gradebook as CSV: the full one (``moodle``, which Moodle imports as is), or the columns that
    Canvas's (``Student, ID, SIS User ID, SIS Login ID, Section``, then the assignment) or
    Gradescope's (``Name, SID, Email, Total Score``) gradebook import reads, with the student id in
    ``ID`` / ``SID`` (and in ``Email`` when it is an address)."""
    if fmt == "moodle":
        return _csv([header(rows), *records(rows)])
    if fmt == "canvas":
        return _csv([["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment or "nnbook"],
                     *(["", r.student, "", "", "", str(r.total)] for r in rows)])
    if fmt == "gradescope":
        return _csv([["Name", "SID", "Email", "Total Score"],
                     *(["", r.student, r.student if "@" in r.student else "", str(r.total)] for r in rows)])
    raise ValueError(f"expected a gradebook format among {', '.join(FORMATS)}, got {fmt!r}")


def write_csv(rows, path, fmt: str = "moodle", assignment: str = "") -> None:
    """The gradebook, written at once (readers never see half a file)."""
    _atomic_write(Path(path), csv_text(rows, fmt, assignment))


def timings_path(path) -> Path:
    """Where the run times of the gradebook at ``path`` go: ``grades.csv`` -> ``grades.timings.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.timings.csv")


TIMINGS = ["submission", "student", "seconds", "shard"]


def write_timings(rows, path, shard: str = "") -> None:
    """Each notebook's run time in seconds (kept out of the gradebook, which is the same on every run)."""
    _atomic_write(Path(path), _csv([TIMINGS, *([r.submission, r.student, f"{r.seconds:.2f}", shard] for r in rows)]))


def read_timings(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: unescape(v or "") for k, v in d.items()} for d in csv.DictReader(f)]


def read_csv(path) -> tuple[list[str], list[dict]]:
    """An earlier gradebook: (question ids, rows as dicts, every cell as it was before escaping)."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        head = reader.fieldnames or []
        return [h for h in head if re.fullmatch(r"\d{2}\.\d+", h)], \
            [{k: unescape(v or "") for k, v in d.items()} for d in reader]


def row_of(record: dict, qids, maxima=None) -> Row:
    """A gradebook row (a dict from ``read_csv``) as a Row again."""
    row = Row(record.get("submission", ""), status=record.get("status", ""), student=record.get("student", ""))
    for q in qids:
        if record.get(q, "") != "":
            row.points[q] = int(record[q])
            row.max_points[q] = (maxima or {}).get(q, int(record[q]))
    if record.get("seed"):
        row.seed = int(record["seed"])
    row.review = tuple(record.get("review", "").split())
    return row


def merge(rows, path) -> list[Row]:
    """``rows`` (re-graded) merged into the gradebook at ``path``: a submission's new row replaces its
    old one (matched by submission path, else by a student id that only one row has); everyone else's
    rows stay as they were."""
    qids, old = read_csv(path)
    maxima = {q: p for r in rows for q, p in r.max_points.items()}
    by_path = {r.submission: r for r in rows}
    ids = [d.get("student", "") for d in old] + [r.student for r in rows]
    by_id = {r.student: r for r in rows if r.student and ids.count(r.student) == 2}
    merged, used = [], set()
    for d in old:
        new = by_path.get(d.get("submission", "")) or by_id.get(d.get("student", ""))
        if new is not None and id(new) not in used:
            merged.append(new)
            used.add(id(new))
        else:
            merged.append(row_of(d, qids, maxima))
    return merged + [r for r in rows if id(r) not in used]


def mark_duplicates(rows) -> dict[str, list[str]]:
    """Note in its status each row whose student id another row has too; ``{id: [submissions]}``.

    The rows are kept apart (each has its own submission); the note is recomputed from scratch, so
    marking a class again (after joining shards) gives the same statuses."""
    seen: dict[str, list[Row]] = {}
    for r in rows:
        r.status = _without_duplicate_note(r.status)
        if r.student:
            seen.setdefault(r.student, []).append(r)
    found = {}
    for student, same in seen.items():
        if len(same) > 1:
            note = f"duplicate student id ({len(same)} submissions)"
            for r in same:
                r.status = note if r.status == "ok" else f"{r.status}; {note}"
            found[student] = [r.submission for r in same]
    return found


def _without_duplicate_note(status: str) -> str:
    parts = [p for p in status.split("; ") if not _DUPLICATE.fullmatch(p)]
    return "; ".join(parts) if parts else "ok"


def format_table(rows, details: bool = False) -> str:
    """A plain-text table for the terminal: the CSV's cells, with a "(max)" line."""
    cols = fields(rows)
    qids = columns(rows)
    maxima = {}
    for r in rows:
        maxima.update(r.max_points)
    top = {"submission": "(max)", "total": str(sum(maxima.values())), **{q: str(maxima[q]) for q in qids}}
    head = [name for name, _, _ in cols]
    body = [[c if c != "" or name not in maxima else "-" for (name, _, _), c in zip(cols, rec)]
            for rec in records(rows)]
    table = [head, [top.get(name, "") for name in head], *body]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = []
    for k, row in enumerate(table):
        cells = [c.rjust(w) if align == ">" else c.ljust(w) for c, w, (_, _, align) in zip(row, widths, cols)]
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
        return (f"NOT CHECKED  {q.qid}  {q.title}  (0 of {q.points} point{'' if q.points == 1 else 's'})\n"
                f"      {row.messages.get(qid, '')}\n      hint: {q.hint}\n      read: {q.url}")
    result = _core.Result(qid, outcome, row.points.get(qid, 0), row.max_points.get(qid, 0),
                          row.messages.get(qid, ""))
    return result.text()


def feedback_markdown(row: Row, chapter: str | None) -> str:
    who = row.student or Path(row.submission).stem
    lines = [f"# Feedback for {who}", "", f"Chapter {chapter}: **{row.total} of {row.max_total} points**.",
             "", f"Submission: `{row.submission}`", "", f"Status: {row.status}", ""]
    for qid in columns([row]):
        lines += [f"## {qid}: {row.points.get(qid, 0)} of {row.max_points[qid]} points", "", "```text",
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
