"""The open plan as the interface sees it.

:class:`PlanDocument` wraps the Qt-free :class:`PlanFile`: it opens, creates,
copies and closes plans, holds the lock that tells other running copies the
plan is being edited, owns the plan's undo history, and broadcasts every
change. Panels listen to it, never to each other. Read-only is one flag here;
every mutating action is enabled from it.

Every change to the open plan is made through :meth:`PlanDocument.write`,
which queues it on the job runner's serial write queue (see
:mod:`salesplanner.ui.jobs`): the interface thread never waits for a write.
The plan's summary is read again in the same job, after the write, so
broadcasting the change reads nothing on the interface thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from salesplanner.changes import EVERYTHING, OpResult
from salesplanner.errors import UserError
from salesplanner.storage.lock import PlanLock
from salesplanner.storage.plan_file import PlanFile
from salesplanner.storage.snapshot import save_copy
from salesplanner.summary import PlanInfo, plan_info
from salesplanner.ui.jobs import InlineJobRunner, Job, JobRunner, check_write, checking_writes


@dataclass
class PreparedPlan:
    """A plan opened off the interface thread, waiting to be adopted."""

    plan: PlanFile
    info: PlanInfo
    lock: PlanLock | None
    reason: str


class PlanDocument(QObject):
    """The plan open in the window, if any.

    Signals:
        opened(): a plan was opened (``plan`` and ``info`` are set).
        closed(): the plan was closed.
        changed(object, object): an operation changed the plan:
            ``(OpResult, initiator)``; the initiator may ignore its own echo.
        write_pending_changed(object, bool): the first write an initiator asked
            for was queued (True), or the last of them ended (False).
        write_failed(object, str): a write asked for without ``on_error``
            failed: the error and its traceback (the window says so).
    """

    opened = Signal()
    closed = Signal()
    changed = Signal(object, object)
    write_pending_changed = Signal(object, bool)
    write_failed = Signal(object, str)

    def __init__(self, parent: QObject | None = None, runner: JobRunner | None = None) -> None:
        super().__init__(parent)
        #: Runs the writes (without one, a document writes inline: scripts and tests).
        self.runner = runner or InlineJobRunner(self)
        #: Writes asked for and not yet ended, by initiator.
        self._pending: dict[int, int] = {}
        #: The summary read after the write being delivered (see :meth:`write`).
        self._info_after_write: PlanInfo | None = None
        self.plan: PlanFile | None = None
        self.info: PlanInfo | None = None
        self.undo_stack = QUndoStack(self)
        self._lock: PlanLock | None = None
        #: Why the plan is read-only (shown in the banner), or "".
        self.read_only_reason = ""

    @property
    def is_open(self) -> bool:
        """Whether a plan is open."""
        return self.plan is not None

    @property
    def read_only(self) -> bool:
        """Whether the open plan must not be changed."""
        return self.plan is not None and self.plan.read_only

    def open(self, path: str | Path, read_only: bool = False) -> None:
        """Open ``path`` now (closing any open plan first).

        Raises :class:`UserError` (nothing changes) if it cannot be opened.
        """
        self.adopt(self.prepare_open(path, read_only))

    @staticmethod
    def prepare_open(path: str | Path, read_only: bool = False) -> PreparedPlan:
        """The slow part of opening, safe to run in a worker: no Qt objects.

        If another running copy of the program is editing the plan, it opens
        read-only and the result says why. Raises :class:`UserError` if the
        file cannot be opened; then nothing is held.
        """
        path = Path(path)
        lock = None
        reason = "opened read-only" if read_only else ""
        if not read_only:
            if not path.exists():
                PlanFile.open(path)  # raises the "no such file" error
            lock = PlanLock.try_acquire(path)
            if lock is None:
                read_only = True
                reason = ("another Sales Planner window is editing this plan, so it is open "
                          "read-only here; close it there to edit it here")
        try:
            plan = PlanFile.open(path, read_only=read_only)
            try:
                info = plan_info(plan)
            except BaseException:
                plan.close()
                raise
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return PreparedPlan(plan, info, lock, reason)

    def adopt(self, prepared: PreparedPlan) -> None:
        """Make a prepared plan the open one (on the interface thread)."""
        self.close()
        self.plan, self.info, self._lock = prepared.plan, prepared.info, prepared.lock
        if checking_writes():
            self.plan.write_guard = check_write
        self.read_only_reason = prepared.reason
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.opened.emit()

    def is_open_at(self, path: str | Path) -> bool:
        """Whether ``path`` is the plan already open here."""
        return self.plan is not None and \
            Path(path).resolve() == self.plan.source_path.resolve()

    def create(self, path: str | Path, *, name: str, quarter: str, currency: str) -> None:
        """Create a new plan at ``path`` and open it."""
        PlanFile.create(path, name=name, quarter=quarter, currency=currency).close()
        self.open(path)

    def save_as(self, target: str | Path) -> None:
        """Write a consistent copy of the plan to ``target`` and switch to it."""
        if self.plan is None:
            raise UserError("no plan is open")
        target = Path(target)
        if target.resolve() == self.plan.source_path.resolve():
            return
        save_copy(self.plan.source_path, target, new_identity=True)
        self.open(target)

    def close(self) -> None:
        """Close the open plan, if any, and release its lock."""
        if self.plan is None:
            return
        self.plan.close()
        if self._lock is not None:
            self._lock.release()
        self.plan, self.info, self._lock = None, None, None
        self.read_only_reason = ""
        self.undo_stack.clear()
        self.closed.emit()

    def refresh_info(self) -> None:
        """Re-read the plan's summary (after an operation); after a queued write,
        take the summary its job read."""
        if self._info_after_write is not None:
            self.info = self._info_after_write
        elif self.plan is not None:
            self.info = plan_info(self.plan)

    # -- writing ---------------------------------------------------------------------

    def write(self, label: str, fn: Callable[[Any], Any], *, initiator: object = None,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException, str], None] | None = None,
              on_progress: Callable[[float, str], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              cancellable: bool = False) -> Job | None:
        """Queue ``fn(token)``, a change to the open plan, on the serial write queue.

        ``on_done(result)`` and ``on_error(error, trace)`` run on the interface
        thread, and only if the same plan is still open. While ``initiator``
        has writes pending, :meth:`is_writing` says so. Returns the job (None
        when no plan is open).
        """
        plan = self.plan
        if plan is None:
            return None

        def work(token: Any) -> tuple[Any, PlanInfo]:
            result = fn(token)
            return result, plan_info(plan)

        def done(written: tuple[Any, PlanInfo]) -> None:
            self._ended(initiator)
            if self.plan is plan and on_done is not None:
                self._info_after_write = written[1]
                try:
                    on_done(written[0])
                finally:
                    self._info_after_write = None

        def failed(error: BaseException, trace: str) -> None:
            self._ended(initiator)
            if self.plan is plan:
                if on_error is not None:
                    on_error(error, trace)
                else:
                    self.write_failed.emit(error, trace)

        def cancelled() -> None:
            self._ended(initiator)
            if self.plan is plan and on_cancelled is not None:
                on_cancelled()

        key = id(initiator)
        self._pending[key] = self._pending.get(key, 0) + 1
        if self._pending[key] == 1:
            self.write_pending_changed.emit(initiator, True)
        return self.runner.write(label, work, on_done=done, on_error=failed,
                                 on_progress=on_progress, on_cancelled=cancelled,
                                 cancellable=cancellable)

    def _ended(self, initiator: object) -> None:
        key = id(initiator)
        left = self._pending.get(key, 0) - 1
        if left > 0:
            self._pending[key] = left
            return
        self._pending.pop(key, None)
        self.write_pending_changed.emit(initiator, False)

    def is_writing(self, initiator: object = None) -> bool:
        """Whether ``initiator`` has writes queued or running."""
        return self._pending.get(id(initiator), 0) > 0

    def notify(self, result: OpResult, initiator: object = None) -> None:
        """Broadcast that an operation changed the plan."""
        self.refresh_info()
        self.changed.emit(result, initiator)

    def reload(self) -> None:
        """Tell every view to re-read everything."""
        self.notify(EVERYTHING)
