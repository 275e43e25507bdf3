"""Targets edited in Excel: the difference against the plan, and a reason to apply it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QLineEdit, QTableView,
    QVBoxLayout, QWidget,
)

from salesplanner.targets.from_excel import Change, SheetEdits
from salesplanner.ui.columns import RIGHT, Column, Columns, date, natural, number, \
    sort_by_header
from salesplanner.ui.row_models import RowTableModel


def _figure(value: float) -> str:
    return f"{value:,.2f}"


class ChangedTargetsModel(RowTableModel):
    """One row per changed figure, as (sheet, change)."""

    columns = Columns(
        Column("measure", "Measure", lambda r: r[0].measure),
        Column("agent", "Agent", lambda r: r[1].agent, sort=natural),
        Column("name", "Name", lambda r: r[1].name),
        Column("period", "Period", lambda r: r[1].period, sort=date, text=lambda r: r[1].label),
        Column("old", "In the plan", lambda r: r[1].old, _figure, number, RIGHT),
        Column("new", "In the workbook", lambda r: r[1].new, _figure, number, RIGHT),
        Column("change", "Change", lambda r: r[1].new - r[1].old, lambda v: f"{v:+,.2f}",
               number, RIGHT),
        Column("cell", "Cell", lambda r: f"{r[0].sheet}!{r[1].cell}", sort=natural),
    )

    def set_changes(self, changes: list[tuple[SheetEdits, Change]]) -> None:
        """Show ``changes``."""
        self.set_rows(changes)


class EditedTargetsDialog(QDialog):
    """Lists every changed figure (agent, period, plan, workbook, change, cell) and
    asks why; Apply is offered once a reason is given."""

    def __init__(self, edits: list[SheetEdits], source: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Targets edited in Excel")
        changes = [(e, c) for e in edits for c in e.changes]
        intro = QLabel(f"<b>{len(changes)}</b> figure{'s' if len(changes) != 1 else ''} in "
                       f"<b>{source}</b> differ from the plan. Applying them sets each "
                       "changed agent's target to the sum of their months; the other agents "
                       "keep theirs, so the team total moves by the difference.")
        intro.setWordWrap(True)
        self.model = ChangedTargetsModel(self)
        self.model.set_changes(changes)
        self.table = QTableView()
        self.table.setAccessibleName("Changed targets")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        sort_by_header(self.table)  # in the workbook's order until a title is clicked
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(
            self.model.column_of("name"), QHeaderView.ResizeMode.Stretch)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Why (recorded with the change), e.g. agreed with "
                                       "team leaders on 3 March")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(
            lambda text: self.apply_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.resize(820, 420)
