"""File > Export to Excel: where to, which period, and what to include."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from salesplanner.errors import UserError
from salesplanner.export.book import check_destination
from salesplanner.export.plan_workbook import ExportOptions
from salesplanner.ui.dialogs import ValidatedDialog

PERIODS = (("Quarter to date", "qtd"), ("Month to date", "mtd"), ("Week to date", "wtd"))


class ExportDialog(ValidatedDialog):
    """Asks for the workbook's name and what goes in it."""

    def __init__(self, suggested: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export to Excel")
        self.path = QLineEdit(str(suggested))
        self.path.setAccessibleName("Workbook file")
        browse = QPushButton("&Browse\u2026")
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.period = QComboBox()
        for label, code in PERIODS:
            self.period.addItem(label, code)
        self.analysis = QCheckBox("Trends, product mix, peaks and forecast, with charts")
        self.analysis.setChecked(True)
        self.data = QCheckBox("The raw sales and call rows (large plans take a while)")
        explain = QLabel("The workbook has a summary, the targets by month and week, "
                         "performance against target, and the measures' definitions. "
                         "Totals and attainment are live formulas.")
        explain.setWordWrap(True)
        explain.setStyleSheet("color: palette(placeholder-text)")
        form = QFormLayout()
        form.addRow("Workbook:", row)
        form.addRow("&Performance for:", self.period)
        form.addRow("", self.analysis)
        form.addRow("", self.data)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to Excel", self.path.text(),
                                              "Excel workbooks (*.xlsx)")
        if path:
            self.path.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def values(self) -> tuple[Path, ExportOptions]:
        """The destination (checked) and the options; raises UserError."""
        text = self.path.text().strip()
        if not text:
            raise UserError("give the workbook a file name")
        path = check_destination(Path(text).expanduser())
        return path, ExportOptions(period=self.period.currentData(),
                                   include_data=self.data.isChecked(),
                                   analysis=self.analysis.isChecked())
