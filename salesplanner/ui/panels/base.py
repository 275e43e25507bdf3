"""What every panel is given and what it must provide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.ui.document import PlanDocument
from salesplanner.ui.jobs import Job, JobRunner

#: Said when a panel is asked for a change while its last one is still being saved.
STILL_SAVING = "Still saving the last change; try again when it is saved"

if TYPE_CHECKING:
    from salesplanner.storage.plan_file import PlanFile


@dataclass
class PanelContext:
    """The services a panel may use. Panels talk to the document, not to each other."""

    document: PlanDocument
    runner: JobRunner
    #: Show a message in the status bar; ``error=True`` for a refusal.
    show_message: Callable[..., None]
    #: Start the import wizard, optionally on a file.
    start_import: Callable[..., object] = lambda path=None: None
    #: Run an export ``work(token) -> ExportResult`` with progress and cancel.
    run_export: Callable[..., object] = lambda work: None


class Panel(QWidget):
    """Base of the panels in the side bar.

    A subclass sets :attr:`title`, :attr:`icon` (a file in resources/icons)
    and :attr:`needs_plan`, and reacts to the document through the three
    hooks below, which the main window calls.

    A panel changes the plan only through :meth:`write` (the document's
    serial write queue). While one of its writes is pending the panel shows
    "Saving..." and a busy cursor, :attr:`writing` is true (subclasses
    disable their buttons that write, in :meth:`show_writing`), and a second
    change asked of it is refused with a message, except undo and redo.
    """

    title = "Panel"
    icon = "overview"
    #: Whether the panel is only shown while a plan is open.
    needs_plan = True

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName(self.title)
        self._saving = QLabel("Saving\u2026", self)
        self._saving.setObjectName("saving")
        self._saving.setAccessibleName("Saving")
        self._saving.setStyleSheet("#saving { background: palette(highlight); "
                                   "color: palette(highlighted-text); border-radius: 4px;"
                                   " padding: 3px 10px; }")
        self._saving.hide()
        context.document.write_pending_changed.connect(self._on_document_write_pending_changed)

    @property
    def document(self) -> PlanDocument:
        """The open plan's document."""
        return self.context.document

    def on_plan_opened(self) -> None:
        """A plan was opened: show it."""

    def on_plan_closed(self) -> None:
        """The plan was closed: drop everything shown from it."""

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """An operation changed the plan: refresh what it touched."""

    def apply(self, result: OpResult) -> None:
        """Broadcast an operation this panel made, and say what it did."""
        self.document.notify(result, self)
        self.context.show_message(result.message)

    def refresh(self) -> None:
        """Re-read what the panel shows (panels that compute figures override it)."""

    # -- writing ----------------------------------------------------------------------

    @property
    def writing(self) -> bool:
        """Whether a change this panel asked for is still being saved."""
        return self.document.is_writing(self)

    def write(self, label: str, fn: Callable[[Any], Any], *,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException, str], None] | None = None,
              undoing: bool = False) -> Job | None:
        """Change the plan with ``fn(token)`` on the write queue, off the interface
        thread. ``on_done(result)`` defaults to :meth:`apply`; ``on_error`` to
        showing a refusal in the status bar. Refused (None) while an earlier
        change of this panel is pending, unless ``undoing`` (undo and redo
        queue behind it: the undo stack has already moved)."""
        if self.writing and not undoing:
            self.context.show_message(STILL_SAVING, error=True)
            return None
        return self.document.write(label, fn, initiator=self, on_done=on_done or self.apply,
                                   on_error=on_error or self.on_write_failed)

    def on_write_failed(self, error: BaseException, trace: str) -> None:
        """A write was refused (say why) or failed (a bug: raise it)."""
        if isinstance(error, UserError):
            self.context.show_message(str(error), error=True)
        else:
            raise error

    def show_writing(self, writing: bool) -> None:
        """Show whether a change is being saved; subclasses extend it to disable
        their buttons that write."""
        if writing:
            self.setCursor(Qt.CursorShape.BusyCursor)
            self._saving.adjustSize()
            self._saving.move(self.width() - self._saving.width() - 12, 8)
            self._saving.raise_()
            self._saving.show()
        else:
            self.unsetCursor()
            self._saving.hide()

    def _on_document_write_pending_changed(self, initiator: object, pending: bool) -> None:
        if initiator is self:
            self.show_writing(pending)

    def refresh_when_shown(self) -> None:
        """Refresh now if the panel is on screen, else the next time it is shown.

        Figures for a panel nobody is looking at are not worth computing:
        at plan open they would compete with the first page of data.
        """
        if self.isVisible():
            self._stale = False
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up on a refresh put off while hidden."""
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()


def fill_measures(combo: QComboBox, plan: PlanFile, choose: str, *,
                  additive_only: bool = False) -> dict:
    """Put the plan's measures in ``combo`` (name shown, code as data) and select
    ``choose`` (the first measure if the plan has no such measure); return the
    registry they came from."""
    from salesplanner.metrics import registry

    combo.clear()
    measures = registry(plan)
    for code, measure in measures.items():
        if measure.additive or not additive_only:
            combo.addItem(measure.name, code)
    combo.setCurrentIndex(max(0, combo.findData(choose)))
    return measures
