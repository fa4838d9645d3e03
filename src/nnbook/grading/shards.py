"""A class graded on several machines: ``nnbook grade PATH --shard K/N`` on each, then
``nnbook grade merge part-*.csv --csv all.csv`` on one.

Each shard grades the submissions whose relative path hashes to it (``batch.shard_of``), so the
shards of a class never overlap and adding a submission moves no other one. ``merge`` reads the
shards' gradebooks back (cells unescaped), puts the rows in the order a single run gives (by
path), notes duplicate student ids over the whole class, and writes the gradebook with the same
writer: the merged file is byte for byte the one a single run writes. Run times are not in the
gradebook (they differ from run to run): each shard writes them beside it (``grades.timings.csv``),
and ``merge`` joins those too, checking that every shard of the N is there.
"""

from __future__ import annotations

from pathlib import Path

from . import report
from .report import Row


class MergeError(ValueError):
    """Shard gradebooks that cannot be joined: what is wrong, and in which file."""


def _is_timings(path: Path) -> bool:
    with open(path, newline="", encoding="utf-8") as f:
        first = f.readline().strip()
    return first == ",".join(report.TIMINGS)


def merge_files(paths) -> tuple[list[Row], list[dict]]:
    """The rows of the shard gradebooks at ``paths``, in a single run's order, and their run times.

    A ``*.timings.csv`` named among ``paths``, or found beside a gradebook, gives the run times."""
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.is_file():
            raise MergeError(f"no such file: {p}")
    books = [p for p in paths if not _is_timings(p)]
    if not books:
        raise MergeError("no gradebook among the files named (only run times): name the shards' CSV files")
    timing_files = {p for p in paths if p not in books}
    timing_files |= {report.timings_path(p) for p in books if report.timings_path(p).is_file()}
    rows, seen, qids_of = [], {}, {}
    for book in books:
        head, records = _read(book)
        qids = [h for h in head if _is_qid(h)]
        if records:
            qids_of[book] = tuple(qids)
        for record in records:
            key = record.get("submission", "")
            if key in seen:
                raise MergeError(f"{key} is in both {seen[key]} and {book}: were two shards given the same K, "
                                 "or one file named twice?")
            seen[key] = book
            rows.append(report.row_of(record, qids))
    if len(set(qids_of.values())) > 1:
        parts = "; ".join(f"{b}: {' '.join(q)}" for b, q in qids_of.items())
        raise MergeError(f"the shards have different questions ({parts}): grade every shard for the same chapter")
    rows.sort(key=lambda r: Path(r.submission))
    report.mark_duplicates(rows)
    timings = _timings(sorted(timing_files), seen)
    return rows, timings


def _is_qid(name: str) -> bool:
    parts = name.split(".")
    return len(parts) == 2 and len(parts[0]) == 2 and all(p.isdigit() for p in parts)


def _read(path: Path) -> tuple[list[str], list[dict]]:
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        head = next(csv.reader(f), [])
    if head[:1] != ["submission"] or not {"total", "status", "student"} <= set(head):
        raise MergeError(f"{path} is not a gradebook of nnbook grade in its default format (its columns: "
                         f"{', '.join(head[:6])}{', …' if len(head) > 6 else ''}): write the shards without --format")
    return head, report.read_csv(path)[1]


def _timings(files, submissions) -> list[dict]:
    """The run times of ``files``, in the order of the merged rows; checks that no shard is missing."""
    if not files:
        return []
    found, shards = {}, {}
    for path in files:
        for record in report.read_timings(path):
            found[record["submission"]] = record
            if record.get("shard"):
                shards.setdefault(record["shard"], path)
    counts = {s.split("/")[1] for s in shards if "/" in s}
    if len(counts) > 1:
        raise MergeError(f"the shards were cut into different numbers of parts ({', '.join(sorted(counts))})")
    if counts:
        n = int(counts.pop())
        if len(files) < n:
            have = sorted(int(s.split("/")[0]) for s in shards)
            raise MergeError(f"{len(files)} of the {n} shards are here (with rows: {', '.join(map(str, have))}): "
                             "grade the missing ones, or name all their files")
    order = sorted(submissions, key=Path)
    return [found[s] for s in order if s in found]
