"""Knowing whether another running copy of the program has a plan open.

A window that opens a plan read-write takes an advisory ``flock`` on the plan
file and holds it until the plan is closed; the operating system drops it if
the program dies, so a crash never leaves a stale lock. A second copy that
cannot take the lock opens the plan read-only and says so. Command-line
commands take no lock: SQLite's own locking keeps concurrent readers and
writers safe, the lock only keeps two people from editing the same plan
without knowing it.

``flock`` locks are independent of the POSIX record locks SQLite uses, so
this never interferes with SQLite's own locking. On platforms without
``fcntl`` (Windows) the lock is always granted; that platform's packaging
issue replaces it with a lock file.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class PlanLock:
    """An exclusive advisory lock on one plan file, held by this process."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def try_acquire(cls, path: str | os.PathLike[str]) -> PlanLock | None:
        """The lock, or None when another process holds it."""
        path = Path(path)
        if fcntl is None:
            return cls(path, None)
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd)

    def release(self) -> None:
        """Give the lock up. Call after the plan's connections are closed."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        """Whether this object still holds the lock."""
        return self._fd is not None or fcntl is None
