"""Measuring how long the interface thread was ever busy (an event-loop stall).

A timer asks to run every few milliseconds; when the event loop is blocked
it runs late, and the lateness is the stall. Used by the benchmarks and the
tests to show the window never freezes.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer


class StallMonitor(QObject):
    """Records the longest gap between ticks of a fast timer."""

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval = interval_ms / 1000
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._last = 0.0
        self.longest = 0.0
        self.ticks = 0

    def start(self) -> None:
        """Start measuring from now."""
        self.reset()
        self._timer.start()

    def reset(self) -> None:
        """Forget what was measured so far."""
        self._last = time.perf_counter()
        self.longest = 0.0
        self.ticks = 0

    def stop(self) -> float:
        """Stop; return the longest stall in seconds."""
        self._timer.stop()
        return self.longest

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last - self.interval)
        self._last = now
        self.ticks += 1
