"""The contract between long-running work and whoever started it.

A job is a plain function that takes a :class:`JobToken`: it reports progress
with ``token.progress(fraction, text)`` and checks ``token.cancelled()`` at
safe points, raising :class:`JobCancelled` to stop. The command line passes a
token that prints to stderr; the window's worker passes one that posts to the
interface thread. Jobs never know which.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from salesplanner.errors import UserError


class JobCancelled(UserError):
    """The user cancelled the job; whatever it was writing was rolled back."""

    def __init__(self, message: str = "cancelled; nothing was changed") -> None:
        super().__init__(message)


class JobToken(Protocol):
    """What a job may call to report progress and learn of a cancel."""

    def progress(self, fraction: float, text: str = "") -> None:
        """Report ``fraction`` (0..1) of the work done and what is happening."""

    def cancelled(self) -> bool:
        """True once the user has asked the job to stop."""


class SilentToken:
    """A token that reports nowhere and never cancels (tests, scripts)."""

    def progress(self, fraction: float, text: str = "") -> None:
        """Ignore progress."""

    def cancelled(self) -> bool:
        """Never cancelled."""
        return False


class ConsoleToken:
    """Progress on stderr for the command line, at most a few lines a second."""

    def __init__(self, stream: TextIO | None = None, interval: float = 0.5) -> None:
        self._stream = stream or sys.stderr
        self._interval = interval
        self._last = 0.0

    def progress(self, fraction: float, text: str = "") -> None:
        """Print ``NN% text`` when enough time has passed or the job is done."""
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < self._interval:
            return
        self._last = now
        print(f"{fraction:4.0%} {text}".rstrip(), file=self._stream, flush=True)

    def cancelled(self) -> bool:
        """The command line cancels with Ctrl+C instead."""
        return False


class ScaledToken:
    """Maps a part of a job's 0..1 progress onto its slice ``lo..hi`` of the whole."""

    def __init__(self, token: JobToken, lo: float, hi: float) -> None:
        self._token, self._lo, self._hi = token, lo, hi

    def progress(self, fraction: float, text: str = "") -> None:
        """Report the part's progress as the whole job's."""
        self._token.progress(self._lo + (self._hi - self._lo) * fraction, text)

    def cancelled(self) -> bool:
        """Whether the whole job is cancelled."""
        return self._token.cancelled()


def check_cancel(token: JobToken) -> None:
    """Raise :class:`JobCancelled` if the token says so."""
    if token.cancelled():
        raise JobCancelled()
