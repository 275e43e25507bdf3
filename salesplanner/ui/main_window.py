"""The main window: opens a plan file and shows what it holds.

This is the composition root: it owns the open :class:`PlanFile`, the menus
and the central view, and holds no business logic. (The full shell with the
panel side bar comes with the application-shell issue.)
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog, QFormLayout, QLabel, QMainWindow, QMessageBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from salesplanner import APP_NAME
from salesplanner.errors import UserError
from salesplanner.storage.plan_file import PLAN_SUFFIX, PlanFile
from salesplanner.summary import PlanInfo, plan_info


class PlanSummaryView(QWidget):
    """The open plan's identity and record counts."""

    _FIELDS = (("Plan", "name"), ("Quarter", "quarter"), ("Currency", "currency"),
               ("Status", "status"), ("File", "path"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Plan summary")
        layout = QVBoxLayout(self)
        self._placeholder = QLabel("Open a plan with File \u203a Open (Ctrl+O).")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self._placeholder)
        form = QFormLayout()
        self._labels: dict[str, QLabel] = {}
        for caption, key in self._FIELDS:
            label = QLabel()
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(caption)
            self._labels[key] = label
            form.addRow(f"{caption}:", label)
        self._form = QWidget()
        self._form.setLayout(form)
        layout.addWidget(self._form)
        self._table = QTableWidget(0, 2)
        self._table.setHorizontalHeaderLabels(["Records", "Count"])
        self._table.setAccessibleName("Record counts")
        self._table.verticalHeader().setVisible(False)
        self._table.horizontalHeader().setStretchLastSection(True)
        self._table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self._table, 1)
        self.show_info(None)

    def show_info(self, info: PlanInfo | None) -> None:
        """Show ``info``, or the empty state when no plan is open."""
        self._placeholder.setVisible(info is None)
        self._form.setVisible(info is not None)
        self._table.setVisible(info is not None)
        if info is None:
            return
        for _caption, key in self._FIELDS:
            self._labels[key].setText(str(getattr(info, key)))
        self._table.setRowCount(len(info.counts))
        for row, (name, count) in enumerate(info.counts.items()):
            self._table.setItem(row, 0, QTableWidgetItem(name.replace("_", " ")))
            item = QTableWidgetItem(f"{count:,}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._table.setItem(row, 1, item)
        self._table.resizeColumnToContents(0)


class MainWindow(QMainWindow):
    """The program's window.

    Signals:
        plan_opened(str): a plan file was opened (its path).
        plan_closed(): the open plan was closed.
    """

    plan_opened = Signal(str)
    plan_closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.plan: PlanFile | None = None
        self._info: PlanInfo | None = None
        self.summary = PlanSummaryView(self)
        self.setCentralWidget(self.summary)
        self.resize(900, 640)
        self._build_menus()
        self._update_title()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.action_open = QAction("&Open\u2026", self, shortcut=QKeySequence.StandardKey.Open,
                                   triggered=self._on_open_triggered)
        self.action_close = QAction("&Close", self, shortcut=QKeySequence.StandardKey.Close,
                                    triggered=self.close_plan)
        self.action_quit = QAction("&Quit", self, triggered=self.close)
        # Quit has no standard binding on some platforms: fall back to Ctrl+Q.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")]
        self.action_quit.setShortcuts(quit_keys)
        for action in (self.action_open, self.action_close):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)

    def _update_title(self) -> None:
        if self.plan is None:
            self.setWindowTitle(APP_NAME)
        else:
            name = self.plan_name or self.plan.source_path.stem
            self.setWindowTitle(f"{name} \u2014 {self.plan.source_path.name} \u2014 {APP_NAME}")
        self.action_close.setEnabled(self.plan is not None)

    @property
    def plan_name(self) -> str | None:
        """The open plan's name, if any."""
        return self._info.name if self.plan is not None and self._info else None

    def open_plan(self, path: str | Path) -> bool:
        """Open ``path``, replacing the current plan; explain a refusal."""
        try:
            plan = PlanFile.open(path)
            info = plan_info(plan)
        except UserError as exc:
            QMessageBox.warning(self, "Cannot open plan", str(exc))
            return False
        self.close_plan()
        self.plan, self._info = plan, info
        self.summary.show_info(info)
        self._update_title()
        self.statusBar().showMessage(
            f"{info.name} \u00b7 {info.quarter} \u00b7 {info.agents:,} agents \u00b7 "
            f"{info.counts.get('sale', 0):,} sale lines")
        self.plan_opened.emit(str(plan.source_path))
        return True

    def close_plan(self) -> None:
        """Close the open plan, if any."""
        if self.plan is None:
            return
        self.plan.close()
        self.plan, self._info = None, None
        self.summary.show_info(None)
        self.statusBar().clearMessage()
        self._update_title()
        self.plan_closed.emit()

    def _on_open_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open plan", "", f"Sales plans (*{PLAN_SUFFIX});;All files (*)")
        if path:
            self.open_plan(path)

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        """Release the plan file before the window goes."""
        self.close_plan()
        super().closeEvent(event)
