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

Writes to the plan go through one serial queue, :meth:`JobRunner.write`: a
single worker thread runs them one after another, in the order they were
asked for, so no two writes ever overlap and none runs on the interface
thread. A write is never superseded or cancelled by another job (closing a
plan waits for the writes asked for; only a write that checks its token, an
import, can be cancelled by the user).

The guard: :func:`check_write` raises :class:`WriteOutsideQueue` unless it
is called from inside a job of the write queue. :class:`PlanDocument` hands
it to the open plan as :attr:`PlanFile.write_guard` when
``SALESPLANNER_CHECK_WRITES=1`` is set (the window tests set it), so every
``plan.connect(write=True)`` that bypasses the queue fails the test that
made it. The inline runner runs writes at once on the calling thread but
still inside the queue, so they pass the guard.
"""

from __future__ import annotations

import os
import threading
import traceback
from concurrent.futures import Future, ThreadPoolExecutor, wait
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from salesplanner.jobs import JobCancelled

#: The environment variable that turns the write guard on (see :func:`check_write`).
CHECK_WRITES_ENV = "SALESPLANNER_CHECK_WRITES"
#: Whether the thread is running a job of the write queue just now.
_in_write = threading.local()


class WriteOutsideQueue(AssertionError):
    """A write to the plan did not go through the write queue (a bug)."""


def in_write_queue() -> bool:
    """Whether the calling thread is running a job of the write queue."""
    return getattr(_in_write, "active", False)


def check_write() -> None:
    """The plan's write guard: refuse a write made outside the write queue."""
    if not in_write_queue():
        raise WriteOutsideQueue(
            f"a write to the plan on thread {threading.current_thread().name!r} bypassed "
            "the write queue: ask JobRunner.write (PlanDocument.write) to make it")


def checking_writes() -> bool:
    """Whether writes outside the queue are refused (``SALESPLANNER_CHECK_WRITES=1``)."""
    return os.environ.get(CHECK_WRITES_ENV) == "1"


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
        #: Whether :meth:`JobRunner.cancel_all` may cancel it (writes: only imports).
        self.cancellable = True

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
    """Starts jobs on worker threads; one running job per kind; writes in one queue.

    Signals:
        writing_changed(bool): the write queue became busy (True) or empty (False).
    """

    writing_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, workers: int = 3) -> None:
        super().__init__(parent)
        #: Writes asked for whose end has not yet been delivered, oldest first.
        self._writes: list[Job] = []
        #: The name of the thread each write ran on, latest last (for tests).
        self.write_threads: list[str] = []
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write")
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

    def write(self, label: str, fn: Callable[[Any], Any], *,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException, str], None] | None = None,
              on_progress: Callable[[float, str], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              cancellable: bool = False) -> Job:
        """Queue ``fn(token)``, a change to the plan, behind every write asked for
        before it; it runs on the write thread and its callbacks on the interface
        thread, as :meth:`start`'s do. Only a ``cancellable`` write (one that
        checks its token and rolls back, an import) is cancelled by
        :meth:`cancel_all`."""
        job = Job(f"write: {label}", fn)
        job.cancellable = cancellable
        for callback, signal in ((on_done, job.finished), (on_error, job.failed),
                                 (on_progress, job.progressed),
                                 (on_cancelled, job.cancelled)):
            if callback:
                signal.connect(callback)
        for signal in (job.finished, job.failed, job.cancelled):
            signal.connect(lambda *_a, j=job: self._write_ended(j))
        self._writes.append(job)
        self._live.add(job)
        if len(self._writes) == 1:
            self.writing_changed.emit(True)
        self._dispatch_write(job)
        return job

    def _dispatch_write(self, job: Job) -> None:
        future = self._writer.submit(self._run_write, job)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)

    def _run_write(self, job: Job) -> None:
        self.write_threads.append(threading.current_thread().name)
        _in_write.active = True
        try:
            job.run()
        finally:
            _in_write.active = False

    def _write_ended(self, job: Job) -> None:
        self._live.discard(job)
        if job in self._writes:
            self._writes.remove(job)
            if not self._writes:
                self.writing_changed.emit(False)

    @property
    def busy(self) -> bool:
        """Whether any job or write has not yet delivered its end."""
        return bool(self._live)

    @property
    def writing(self) -> bool:
        """Whether a write is queued or running (or its end not yet delivered)."""
        return bool(self._writes)

    def _forget(self, job: Job) -> None:
        if self._running.get(job.kind) is job:
            del self._running[job.kind]
        self._live.discard(job)

    def running(self, kind: str) -> Job | None:
        """The live job of ``kind``, if any."""
        return self._running.get(kind)

    def cancel_all(self) -> None:
        """Cancel every running job (on closing a plan or quitting); writes
        asked for still run, but for one that can be cancelled (an import)."""
        for job in list(self._running.values()):
            job.cancel()
        for job in list(self._writes):
            if job.cancellable:
                job.cancel()

    def wait(self, msecs: int = 10_000) -> bool:
        """Cancel everything and wait for the workers to stop."""
        self.cancel_all()
        _done, pending = wait(list(self._futures), timeout=msecs / 1000)
        return not pending


class InlineJobRunner(JobRunner):
    """Runs each job at once on the calling thread (for tests); writes too,
    inside the write queue as far as :func:`check_write` is concerned."""

    def _dispatch(self, job: Job) -> None:
        job.run()

    def _dispatch_write(self, job: Job) -> None:
        self._run_write(job)
