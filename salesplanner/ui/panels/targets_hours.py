"""The Targets panel's planned hours: per agent, the contract, the quarter's
plan (editable) and the productive hours the targets use, with the undo
command for a plan typed there.

Part of :mod:`salesplanner.ui.panels.targets`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoCommand

from salesplanner.changes import OpResult
from salesplanner.targets.capacity import restore_planned_hours
from salesplanner.ui.columns import RIGHT, Column, Columns, date, natural, number
from salesplanner.ui.row_models import Index, RowTableModel

if TYPE_CHECKING:
    from salesplanner.periods import Quarter
    from salesplanner.ui.panels.targets import TargetsPanel


def _day(value: object) -> str:
    return "" if value is None or value != value else str(value)[:10]


def _planned(r: dict) -> bool:
    return r["planned_weekly"] == r["planned_weekly"] and r["planned_weekly"] is not None


def _if_planned(field: str) -> Callable[[dict], object]:
    """A planned figure: none where the quarter keeps the contract."""
    return lambda r: r[field] if _planned(r) else None


_EDIT_TIP = "Type to plan this agent's time in the quarter; empty keeps the contract"


class HoursModel(RowTableModel):
    """Per agent: contract, the quarter's plan (editable) and the productive hours used.

    Records are the rows of :func:`~salesplanner.targets.capacity.hours_table`;
    an editable column's key is the field an edit plans.
    """

    columns = Columns(
        Column("agent", "Agent", lambda r: r["code"], sort=natural,
               text=lambda r: f"{r['code']} {r['name']}"),
        Column("contract_hours", "Contract h/week", lambda r: r["contract_hours"],
               lambda v: f"{v:g}", number, RIGHT),
        Column("weekly_hours", "Planned h/week", _if_planned("planned_weekly"),
               lambda v: "" if v is None else f"{v:g}", number, RIGHT, _EDIT_TIP, True),
        Column("shrinkage", "Shrinkage", _if_planned("shrinkage"),
               lambda v: "" if v is None else f"{v:.0%}", number, RIGHT, _EDIT_TIP, True),
        Column("leave_hours", "Leave (h)", _if_planned("leave_hours"),
               lambda v: "" if v is None else f"{v:g}", number, RIGHT, _EDIT_TIP, True),
        Column("available_from", "From", lambda r: r["available_from"], _day, date,
               tooltip=_EDIT_TIP, editable=True),
        Column("available_to", "To", lambda r: r["available_to"], _day, date,
               tooltip=_EDIT_TIP, editable=True),
        Column("productive_hours", "Productive hours", lambda r: r["productive_hours"],
               lambda v: f"{v:,.0f}", number, RIGHT),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editable = False
        #: Called with (agent, field, typed text); returns whether it took.
        self.edit = lambda agent, field, text: False

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Plan a value through the panel's operation."""
        if not index.isValid() or not self.columns[index.column()].editable:
            return False
        return self.edit(self.rows[index.row()]["code"], self.columns[index.column()].key,
                         str(value))


class HoursCommand(QUndoCommand):
    """Planned hours changed (already made); undo puts the old plan back."""

    def __init__(self, panel: TargetsPanel, result: OpResult, quarter: Quarter) -> None:
        super().__init__(result.message)
        self.panel, self.detail, self.quarter = panel, result.detail, quarter
        self._done = True

    def redo(self) -> None:
        """Plan the new values (again)."""
        if self._done:
            self._done = False
            return
        self._restore(self.detail["new"])

    def undo(self) -> None:
        """Put the old plan back."""
        self._restore(self.detail["old"])

    def _restore(self, values: dict | None) -> None:  # a stored row; None clears it
        plan, quarter, agent = self.panel.document.plan, self.quarter, self.detail["agent"]
        self.panel.write(self.text(), lambda _token: restore_planned_hours(
            plan, quarter, agent, values), undoing=True)
