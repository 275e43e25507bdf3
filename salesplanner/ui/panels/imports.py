"""The Imports panel: the plan's import history, new imports and removing one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QBrush
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.importing.history import ImportEntry, list_imports
from salesplanner.importing.kinds import KINDS, OTHER_SOURCES
from salesplanner.ui.panels.base import Panel, PanelContext
from salesplanner.ui.columns import RIGHT, Column, Columns, date, number
from salesplanner.ui.row_models import Index as _Index
from salesplanner.ui.row_models import RowTableModel
from salesplanner.ui.typography import HEADING, emphasise

#: How the history names each kind of batch, from the kinds' records.
KIND_NAMES = {**{name: record.short_label for name, record in KINDS.items()}, **OTHER_SOURCES}


def _count(field: str) -> Column:
    return Column(field, field.capitalize(), lambda e: getattr(e, field), lambda v: f"{v:,}",
                  number, RIGHT)


class ImportHistoryModel(RowTableModel):
    """One row per import: when, file, kind and its counts."""

    columns = Columns(
        Column("when", "When", lambda e: e.imported_at, lambda v: v[:16], date),
        Column("file", "File", lambda e: e.file_name + (f" ({e.sheet})" if e.sheet else "")),
        Column("kind", "Holds", lambda e: KIND_NAMES.get(e.kind, e.kind)),
        _count("imported"), _count("duplicates"), _count("rejected"), _count("masked"),
        Column("status", "Status",
               lambda e: "Removed" if e.status == "removed" else "In the plan"),
    )

    @property
    def entries(self) -> list[ImportEntry]:
        """The imports shown, newest first."""
        return self.rows

    def set_entries(self, entries: list[ImportEntry]) -> None:
        """Show ``entries``."""
        self.set_rows(entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' roles; removed imports are greyed."""
        if role == Qt.ItemDataRole.ForegroundRole:
            removed = index.isValid() and self.entries[index.row()].status == "removed"
            return QBrush(QColor("#888888")) if removed else None
        return super().data(index, role)


class ImportsPanel(Panel):
    """Every import into the plan; import a new file or remove one (undoable)."""

    title = "Imports"
    icon = "import"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        heading = emphasise(QLabel("Imports"), HEADING)
        intro = QLabel("Every file imported into this plan, newest first. Removing an import "
                       "takes out exactly the rows it added; Edit > Undo puts them back.")
        intro.setWordWrap(True)
        self.import_button = QPushButton("&Import data\u2026")
        self.remove_button = QPushButton("&Remove import")
        self.remove_button.setEnabled(False)
        self.model = ImportHistoryModel(self)
        self.view = QTableView()
        self.view.setAccessibleName("Import history")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(
            self.model.column_of("file"), QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty = QLabel("Nothing imported yet. Import a sales, calls, agents, products, "
                            "skills or competitor file from CSV or Excel, or drop one on the "
                            "window.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(mid); padding: 24px;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.import_button.clicked.connect(lambda: self.context.start_import())

    def on_plan_opened(self) -> None:
        """Show the plan's imports."""
        self.reload()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's imports."""
        self.model.set_entries([])

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Refresh after an import or a removal."""
        if result.touches(changes.IMPORTS):
            self.reload()

    def reload(self) -> None:
        """Re-read the history."""
        plan = self.document.plan
        entries = list_imports(plan) if plan is not None else []
        self.model.set_entries(entries)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(
            self.model.column_of("file"), QHeaderView.ResizeMode.Stretch)
        self.empty.setVisible(not entries)
        self._update_buttons()

    def selected(self) -> ImportEntry | None:
        """The selected import."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.entries[rows[0].row()] if rows else None

    def _update_buttons(self, *_args: object) -> None:
        entry = self.selected()
        writable = self.document.is_open and not self.document.read_only
        self.import_button.setEnabled(writable)
        self.remove_button.setEnabled(writable and entry is not None
                                      and entry.status == "complete" and entry.kind != "demo")

    def _on_remove_clicked(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        answer = QMessageBox.question(
            self, "Remove import",
            f"Remove the {entry.imported:,} rows imported from {entry.file_name} on "
            f"{entry.imported_at[:16]}? Edit > Undo puts them back.")
        if answer == QMessageBox.StandardButton.Yes:
            self.remove(entry.id)

    def remove(self, batch_id: int) -> None:
        """Remove import ``batch_id`` through the undo stack."""
        from salesplanner.ui.undo import RemoveImportCommand

        entry = next((e for e in self.model.entries if e.id == batch_id), None)
        label = entry.file_name if entry else str(batch_id)
        try:
            self.document.undo_stack.push(RemoveImportCommand(self.document, batch_id, label))
        except UserError as exc:
            self.context.show_message(str(exc), error=True)
