"""The list of recently opened plans: most recent first, no duplicates.

Qt-free so it can be tested alone; the window stores :meth:`RecentFiles.paths`
in its settings and renders the menu from :meth:`RecentFiles.existing`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class RecentFiles:
    """A bounded, ordered list of plan paths."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]] = (), limit: int = 10) -> None:
        self.limit = limit
        self._paths: list[str] = []
        for path in paths:
            key = self._key(path)
            if key not in self._paths:
                self._paths.append(key)
        del self._paths[limit:]

    @staticmethod
    def _key(path: str | os.PathLike[str]) -> str:
        return str(Path(path).expanduser().resolve())

    def add(self, path: str | os.PathLike[str]) -> None:
        """Put ``path`` at the top (moving it if it was already listed)."""
        key = self._key(path)
        if key in self._paths:
            self._paths.remove(key)
        self._paths.insert(0, key)
        del self._paths[self.limit:]

    def remove(self, path: str | os.PathLike[str]) -> None:
        """Forget ``path``."""
        key = self._key(path)
        if key in self._paths:
            self._paths.remove(key)

    def prune(self) -> list[str]:
        """Drop files that no longer exist; return the ones dropped."""
        gone = [p for p in self._paths if not Path(p).is_file()]
        self._paths = [p for p in self._paths if p not in gone]
        return gone

    def existing(self) -> list[str]:
        """The listed files that still exist, after pruning the rest."""
        self.prune()
        return list(self._paths)

    def paths(self) -> list[str]:
        """Everything listed, for saving."""
        return list(self._paths)
