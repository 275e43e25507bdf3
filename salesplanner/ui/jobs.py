"""Running long work off the interface thread, with progress and cancel.

A job is a plain function ``fn(token)`` from the domain (see
:mod:`salesplanner.jobs`). :class:`JobRunner` runs it on a small pool of
Python worker threads (``concurrent.futures``, as Orange does: PySide's
QRunnable wrappers proved fragile) and posts progress, the result or the
error back to the interface thread through queued signals of the job's
QObject, which lives on the interface thread; workers never touch widgets. Starting a job with the same
``kind`` as a running one cancels the old one, whose late result is then
dropped. :class:`InlineJobRunner` runs jobs at once on the calling thread,
for tests.
"""

from __future__ import annotations

import threading
import traceback
from concurrent.futures import Future, ThreadPoolExecutor, wait
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from salesplanner.jobs import JobCancelled


class Job(QObject):
    """One running job.

    Signals:
        progressed(float, str): fraction done and what is happening.
        finished(object): the function's return value.
        failed(BaseException, str): the error and its formatted traceback.
        cancelled(): the job stopped because it was cancelled.
    """

    progressed = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()

    def __init__(self, kind: str, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.kind = kind
        self.fn = fn
        self._cancel = threading.Event()
        self.done = False

    # The token interface the domain function sees:
    def progress(self, fraction: float, text: str = "") -> None:
        """Called by the worker; delivered on the interface thread."""
        self.progressed.emit(float(fraction), text)

    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop at its next check."""
        self._cancel.set()

    def run(self) -> None:
        """Run the function and report how it ended (on the worker thread)."""
        try:
            result = self.fn(_Token(self))
        except JobCancelled:
            self.done = True
            self.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - reported to the interface
            self.done = True
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.failed.emit(exc, traceback.format_exc())
        else:
            self.done = True
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.finished.emit(result)


class _Token:
    """Adapts a :class:`Job` to the domain's JobToken protocol."""

    def __init__(self, job: Job) -> None:
        self._job = job

    def progress(self, fraction: float, text: str = "") -> None:
        self._job.progress(fraction, text)

    def cancelled(self) -> bool:
        return self._job.is_cancelled()


class JobRunner(QObject):
    """Starts jobs on worker threads; one running job per kind."""

    def __init__(self, parent: QObject | None = None, workers: int = 3) -> None:
        super().__init__(parent)
        self._running: dict[str, Job] = {}
        #: Jobs whose end has not yet been delivered; kept alive until it is.
        self._live: set[Job] = set()
        self._futures: set[Future] = set()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="job")

    def start(self, kind: str, fn: Callable[[Any], Any], *,
              on_done: Callable[[Any], object] | None = None,
              on_error: Callable[[BaseException, str], object] | None = None,
              on_progress: Callable[[float, str], object] | None = None,
              on_cancelled: Callable[[], object] | None = None) -> Job:
        """Run ``fn(token)`` in a worker; callbacks run on the interface thread."""
        old = self._running.get(kind)
        if old is not None and not old.done:
            old.cancel()
        job = Job(kind, fn)
        if on_done:
            job.finished.connect(on_done)
        if on_error:
            job.failed.connect(on_error)
        if on_progress:
            job.progressed.connect(on_progress)
        if on_cancelled:
            job.cancelled.connect(on_cancelled)
        for signal in (job.finished, job.failed, job.cancelled):
            signal.connect(lambda *_a, j=job: self._forget(j))
        self._running[kind] = job
        self._live.add(job)
        self._dispatch(job)
        return job

    def _dispatch(self, job: Job) -> None:
        future = self._executor.submit(job.run)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)

    def _forget(self, job: Job) -> None:
        if self._running.get(job.kind) is job:
            del self._running[job.kind]
        self._live.discard(job)

    def running(self, kind: str) -> Job | None:
        """The live job of ``kind``, if any."""
        return self._running.get(kind)

    def cancel_all(self) -> None:
        """Cancel every running job (on closing a plan or quitting)."""
        for job in list(self._running.values()):
            job.cancel()

    def wait(self, msecs: int = 10_000) -> bool:
        """Cancel everything and wait for the workers to stop."""
        self.cancel_all()
        _done, pending = wait(list(self._futures), timeout=msecs / 1000)
        return not pending


class InlineJobRunner(JobRunner):
    """Runs each job at once on the calling thread (for tests)."""

    def _dispatch(self, job: Job) -> None:
        job.run()
