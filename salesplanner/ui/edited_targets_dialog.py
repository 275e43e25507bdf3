"""Targets edited in Excel: the difference against the plan, and a reason to apply it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QLabel, QLineEdit, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from salesplanner.targets.from_excel import SheetEdits


class EditedTargetsDialog(QDialog):
    """Lists every changed figure (agent, period, plan, workbook, change, cell) and
    asks why; Apply is offered once a reason is given."""

    HEADERS = ("Measure", "Agent", "Name", "Period", "In the plan", "In the workbook",
               "Change", "Cell")

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
        self.table = QTableWidget(len(changes), len(self.HEADERS))
        self.table.setAccessibleName("Changed targets")
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, (sheet, c) in enumerate(changes):
            cells = (sheet.measure, c.agent, c.name, c.label, f"{c.old:,.2f}", f"{c.new:,.2f}",
                     f"{c.new - c.old:+,.2f}", f"{sheet.sheet}!{c.cell}")
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 4 <= j <= 6:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
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
