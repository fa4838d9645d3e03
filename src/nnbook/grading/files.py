"""Opening submissions safely: never through a link, never anything but a regular file of a sane size.

A class folder comes from students (an unzipped upload can hold anything): a "notebook" may be a
symbolic link to the solutions, to a classmate's notebook or to ``/etc/shadow``, a FIFO that
would block the grader, a device, a folder, or a file of gigabytes. ``read_submission`` opens
the file itself with ``O_NOFOLLOW`` (a link is refused, not followed) and ``O_NONBLOCK`` (a FIFO
does not block), checks what it opened with ``fstat`` (a regular file, at most ``MAX_BYTES``),
and reads it. A refusal (``Refused``) names what the file is, never where a link points nor
anything it holds. ``walk`` lists a folder's notebooks without following symbolic links to
folders or files.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024  # the largest submission read


class Refused(ValueError):
    """A submission that is not a regular file of a sane size; the message is its status."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_submission(path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, opened without following a final symbolic link.

    Raises ``Refused`` ("refused: a symbolic link", ...) for anything else; the message never quotes
    a link's target or the file's content."""
    path = os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise Refused("refused: no such file") from None
    except OSError as exc:
        raise Refused(f"refused: cannot be read ({os.strerror(exc.errno) if exc.errno else type(exc).__name__})") from None
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"refused: {_kind(st.st_mode)}")
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link since lstat
            raise Refused("refused: a symbolic link") from None
        raise Refused(f"refused: cannot be read ({os.strerror(exc.errno) if exc.errno else type(exc).__name__})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(f"refused: {_kind(st.st_mode)}")
        if st.st_size > max_bytes:
            raise Refused(f"refused: {st.st_size:,} bytes, more than the {max_bytes:,} a submission may have")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:  # grew while being read
                raise Refused(f"refused: more than the {max_bytes:,} bytes a submission may have")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def is_link(path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def walk(folder, suffix: str = ".ipynb", skip=(".ipynb_checkpoints",)) -> list[Path]:
    """The files under ``folder`` whose name ends with ``suffix`` (any case), in sorted order, found
    without following symbolic links to folders; links and other non-regular files among them are
    listed too (so that each gets its "refused" status), never followed."""
    found = []
    for top, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in skip)  # os.walk never enters a linked folder
        for name in names:
            if name.lower().endswith(suffix):
                found.append(Path(top) / name)
        for name in dirs:  # a link to a folder named like a notebook: listed, to be refused
            if name.lower().endswith(suffix) and is_link(Path(top) / name):
                found.append(Path(top) / name)
    return sorted(found)
