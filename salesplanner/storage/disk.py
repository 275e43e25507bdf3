"""A full or failing disk, told apart from a bug and said in the user's words.

SQLite reports a full disk as ``sqlite3.OperationalError: database or disk
is full`` (``SQLITE_FULL``), the system as ``OSError`` with ``ENOSPC`` (or
``EDQUOT`` over a quota), a failing one as ``SQLITE_IOERR`` or ``EIO``.
None of these is a bug: :func:`disk_trouble` recognises them, and the layer
that knows what was being written (an import, a staging copy) raises a
:class:`DiskFull` or :class:`DiskFailed` naming the place and what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from salesplanner.errors import UserError

#: SQLite's primary result codes (the low byte of an extended code).
SQLITE_IOERR, SQLITE_FULL = 10, 13
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DiskFull(UserError):
    """A write ran out of disk space (nothing was changed)."""


class DiskFailed(UserError):
    """The disk refused a write or a read for another reason (nothing was changed)."""


def disk_trouble(exc: BaseException) -> str | None:
    """``"full"`` or ``"failed"`` when ``exc`` is the disk's doing, else None."""
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(exc).lower()
        if code == SQLITE_FULL or "disk is full" in text:
            return "full"
        if code == SQLITE_IOERR or "disk i/o error" in text:
            return "failed"
        return None
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.errno in _FULL_ERRNOS:
            return "full"
        if exc.errno == errno.EIO:
            return "failed"
    return None


def megabytes(size: float) -> str:
    """A size for a message: ``0.3 MB``, ``12 MB``, ``1,204 MB``."""
    mb = size / 1e6
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:,.0f} MB"


def free_space(folder: str | Path) -> int | None:
    """Bytes free for this user in ``folder``'s file system (None if unknown)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def where_free(*folders: str | Path) -> str:
    """``"0.2 MB free in /data, 1.2 MB in the temporary folder /tmp"``: each file system once."""
    temp = Path(tempfile.gettempdir())
    seen: set[int] = set()
    parts = []
    for folder in (*folders, temp):
        try:
            device = os.stat(folder).st_dev
        except OSError:
            continue
        if device in seen:
            continue
        seen.add(device)
        free = free_space(folder)
        if free is None:
            continue
        label = f"the temporary folder {folder}" if Path(folder) == temp else str(folder)
        parts.append(f"{megabytes(free)} free in {label}")
    return ", ".join(parts)
