"""Figures worked out from a plan, kept for as long as the plan's data stays the same.

Analyses read the same sums on every change of a panel's choices; reading
them again is what costs. A :class:`StateCache` keeps each value under the
plan's :meth:`~salesplanner.storage.plan_file.PlanFile.change_stamp`, which
moves with every change, so a kept value is never out of date. Two threads
asking for the same value at once (a panel and a report preview) work it
out once: the second waits for the first instead of competing with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from salesplanner.storage.plan_file import PlanFile


class StateCache:
    """Values by plan state and a part key, the oldest dropped past ``limit``."""

    def __init__(self, limit: int = 8) -> None:
        self._limit = limit
        self._values: dict[tuple, Any] = {}
        self._locks: dict[tuple, threading.Lock] = {}

    def get(self, plan: PlanFile, part: tuple[Hashable, ...], compute: Callable[[], Any]) -> Any:
        """The value for ``part`` of ``plan`` as it is now, computed if not kept."""
        key = (*plan.change_stamp(), *part)
        if key in self._values:
            return self._values[key]
        with self._locks.setdefault(part, threading.Lock()):
            if key not in self._values:
                value = compute()
                while len(self._values) >= self._limit:
                    self._values.pop(next(iter(self._values)))
                self._values[key] = value
            return self._values[key]
