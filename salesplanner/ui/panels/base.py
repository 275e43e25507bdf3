"""What every panel is given and what it must provide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QWidget

from salesplanner.changes import OpResult
from salesplanner.ui.document import PlanDocument
from salesplanner.ui.jobs import JobRunner

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
    """

    title = "Panel"
    icon = "overview"
    #: Whether the panel is only shown while a plan is open.
    needs_plan = True

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName(self.title)

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
