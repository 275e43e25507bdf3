"""The open plan as the interface sees it.

:class:`PlanDocument` wraps the Qt-free :class:`PlanFile`: it opens, creates,
copies and closes plans, holds the lock that tells other running copies the
plan is being edited, owns the plan's undo history, and broadcasts every
change. Panels listen to it, never to each other. Read-only is one flag here;
every mutating action is enabled from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from salesplanner.changes import EVERYTHING, OpResult
from salesplanner.errors import UserError
from salesplanner.storage.lock import PlanLock
from salesplanner.storage.plan_file import PlanFile
from salesplanner.storage.snapshot import save_copy
from salesplanner.summary import PlanInfo, plan_info


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
    """

    opened = Signal()
    closed = Signal()
    changed = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
        """Re-read the plan's summary (after an operation)."""
        if self.plan is not None:
            self.info = plan_info(self.plan)

    def notify(self, result: OpResult, initiator: object = None) -> None:
        """Broadcast that an operation changed the plan."""
        self.refresh_info()
        self.changed.emit(result, initiator)

    def reload(self) -> None:
        """Tell every view to re-read everything."""
        self.notify(EVERYTHING)
