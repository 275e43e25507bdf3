"""What the window shows when no plan is open: start a plan, or open one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from salesplanner import APP_NAME
from salesplanner.ui.typography import TITLE, emphasise

if TYPE_CHECKING:
    from salesplanner.ui.main_window import MainWindow


class WelcomePage(QWidget):
    """Buttons for a new or existing plan, and the recent plans."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setAccessibleName("Start")
        title = emphasise(QLabel(APP_NAME), TITLE)
        subtitle = QLabel("Plan the quarter, set stretching but realistic targets for every "
                          "agent, and watch the team against them.")
        subtitle.setWordWrap(True)
        new = QPushButton("New plan\u2026")
        new.setAccessibleName("New plan")
        new.clicked.connect(window.new_plan)
        open_ = QPushButton("Open plan\u2026")
        open_.setAccessibleName("Open plan")
        open_.clicked.connect(window.open_dialog)
        demo = QPushButton("Try a demo plan\u2026")
        demo.setAccessibleName("Create a demo plan")
        demo.setToolTip("Write a realistic demo contact centre to a new plan file and open it")
        demo.clicked.connect(window.create_demo_plan)
        for button in (new, open_, demo):
            button.setMinimumHeight(button.sizeHint().height() + 10)
            button.setMinimumWidth(160)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(open_)
        buttons.addWidget(demo)
        buttons.addStretch(1)
        self.recent_title = QLabel("Recent plans")
        bold = self.recent_title.font()
        bold.setBold(True)
        self.recent_title.setFont(bold)
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent plans")
        self.recent.itemActivated.connect(self._on_recent_item_activated)
        self.recent.setMaximumWidth(720)
        self.recent.setMaximumHeight(self.fontMetrics().height() * 10 + 24)
        self.recent.setSpacing(2)
        hint = QLabel("Tip: drag a .salesplan file onto this window to open it.")
        hint.setWordWrap(True)
        column = QVBoxLayout()
        column.setContentsMargins(48, 40, 48, 40)
        column.setSpacing(14)
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addLayout(buttons)
        column.addSpacing(12)
        column.addWidget(self.recent_title)
        column.addWidget(self.recent)
        column.addWidget(hint)
        column.addStretch(1)
        self.setLayout(column)

    def show_recent(self, paths: list[str]) -> None:
        """List the recent plans (most recent first)."""
        self.recent.clear()
        for path in paths:
            # One line each: the plan's name, then the folder it is in (the name
            # over the whole path read as the same thing twice).
            item = QListWidgetItem(f"{Path(path).stem}   \u2014   in {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        self.recent_title.setVisible(bool(paths))
        self.recent.setVisible(bool(paths))

    def _on_recent_item_activated(self, item: QListWidgetItem) -> None:
        self.window_.open_plan(item.data(Qt.ItemDataRole.UserRole))
