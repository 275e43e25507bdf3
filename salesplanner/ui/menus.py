"""The main window's commands: its actions and their keys, the menu bar and the toolbar.

:class:`WindowMenus` is mixed into :class:`~salesplanner.ui.main_window.MainWindow`.
It builds the actions as attributes of the window (``action_new``,
``panel_actions``, ``scheme_actions`` ...), because the window, its panels'
plan state and the tests address them there; each action calls a method of
the window (``new_plan``, ``open_dialog``, ``show_panel`` ...). The window
supplies ``document``, ``panels``, ``recent``, ``sidebar`` and ``welcome``
before :meth:`WindowMenus._build_actions` runs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar

from salesplanner import APP_NAME
from salesplanner.ui import settings
from salesplanner.ui.dialogs import show_about
from salesplanner.ui.icons import icon
from salesplanner.ui.theme import SCHEMES


def _shortcut(action: QAction, standard: QKeySequence.StandardKey, fallback: str) -> None:
    """The platform's standard keys, or ``fallback`` where it has none."""
    keys = QKeySequence.keyBindings(standard)
    action.setShortcuts(keys or [QKeySequence(fallback)])


class WindowMenus:
    """The window's actions, menus and toolbar (a mixin of the main window)."""

    def _build_actions(self) -> None:
        self.action_new = QAction("&New Plan\u2026", self, triggered=self.new_plan)
        self.action_new.setShortcut(QKeySequence.StandardKey.New)
        self.action_open = QAction("&Open\u2026", self, triggered=self.open_dialog)
        self.action_open.setShortcut(QKeySequence.StandardKey.Open)
        self.action_save_as = QAction("Save &As\u2026", self, triggered=self._on_save_as_triggered)
        _shortcut(self.action_save_as, QKeySequence.StandardKey.SaveAs, "Ctrl+Shift+S")
        self.action_import = QAction("&Import Data\u2026", self, iconText="Import",
                                     triggered=lambda: self.open_import_wizard())
        self.action_import.setShortcut(QKeySequence("Ctrl+I"))
        self.action_import.setStatusTip("Import sales, calls, agents, products, skills or "
                                        "competitor activity from CSV or Excel")
        self.action_export = QAction("&Export to Excel\u2026", self, iconText="Export",
                                     triggered=self.export_dialog)
        self.action_export.setShortcut(QKeySequence("Ctrl+E"))
        self.action_export.setStatusTip("Write the plan, its targets, performance and analysis "
                                        "to an Excel workbook")
        self.action_close = QAction("&Close Plan", self, triggered=self.close_plan)
        _shortcut(self.action_close, QKeySequence.StandardKey.Close, "Ctrl+W")
        self.action_quit = QAction("&Quit", self, triggered=self.close)
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        _shortcut(self.action_quit, QKeySequence.StandardKey.Quit, "Ctrl+Q")
        stack = self.document.undo_stack
        self.action_undo = stack.createUndoAction(self, "&Undo")
        _shortcut(self.action_undo, QKeySequence.StandardKey.Undo, "Ctrl+Z")
        self.action_redo = stack.createRedoAction(self, "&Redo")
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        for extra in ("Ctrl+Shift+Z", "Ctrl+Y"):
            if QKeySequence(extra) not in redo_keys:
                redo_keys.append(QKeySequence(extra))
        self.action_redo.setShortcuts(redo_keys)
        self.action_your_name = QAction("Your &Name\u2026", self, triggered=self.ask_user_name)
        self.action_your_name.setStatusTip("The name the plan records beside every change you make")
        self.action_about = QAction(f"&About {APP_NAME}", self, triggered=lambda: show_about(self))  # type: ignore[arg-type]  # self is the window
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.action_help_targets = QAction("How &Targets Are Set", self,
                                           triggered=self.show_targets_help)
        self.action_about_qt = QAction("About &Qt", self,
                                       triggered=lambda: QMessageBox.aboutQt(self))  # type: ignore[arg-type]  # self is the window
        self.panel_actions: list[QAction] = []
        for i, panel in enumerate(self.panels):
            action = QAction(panel.title, self, checkable=True)
            if i < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, row=i: self.show_panel(row))
            self.panel_actions.append(action)
        self.scheme_group = QActionGroup(self)  # type: ignore[arg-type]  # self is the window
        self.scheme_actions: dict[str, QAction] = {}
        for scheme in SCHEMES:
            action = QAction(scheme.capitalize(), self, checkable=True)
            action.triggered.connect(lambda _=False, s=scheme: self.set_colour_scheme(s))
            self.scheme_group.addAction(action)
            self.scheme_actions[scheme] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_new)
        file_menu.addAction(self.action_open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._render_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_import)
        file_menu.addAction(self.action_export)
        file_menu.addSeparator()
        file_menu.addAction(self.action_save_as)
        file_menu.addAction(self.action_close)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.action_undo)
        edit_menu.addAction(self.action_redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self.action_your_name)
        view_menu = bar.addMenu("&View")
        for action in self.panel_actions:
            view_menu.addAction(action)
        view_menu.addSeparator()
        scheme_menu = view_menu.addMenu("Colour &Scheme")
        for action in self.scheme_actions.values():
            scheme_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.action_help_targets)
        help_menu.addSeparator()
        help_menu.addAction(self.action_about)
        help_menu.addAction(self.action_about_qt)
        self._render_recent_menu()

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Main toolbar")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setIconSize(QSize(20, 20))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        for action in (self.action_new, self.action_open, self.action_save_as):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.action_import)
        self.toolbar.addAction(self.action_export)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.action_undo)
        self.toolbar.addAction(self.action_redo)
        self.addToolBar(self.toolbar)

    def _apply_icons(self) -> None:
        palette = QApplication.palette()  # the window's own updates a moment later
        for action, name in ((self.action_new, "new"), (self.action_open, "open"),
                             (self.action_save_as, "save_as"), (self.action_close, "close"),
                             (self.action_import, "import"), (self.action_export, "export"),
                             (self.action_undo, "undo"), (self.action_redo, "redo")):
            action.setIcon(icon(name, palette))
        for row, panel in enumerate(self.panels):
            self.sidebar.item(row).setIcon(icon(panel.icon, palette))
            self.panel_actions[row].setIcon(icon(panel.icon, palette))

    def _render_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.existing()
        settings.RECENT_FILES.set(self.recent.paths())
        for i, path in enumerate(paths):
            label = f"&{i + 1} {Path(path).name}" if i < 9 else Path(path).name
            action = self.recent_menu.addAction(label)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_plan(p))
        if not paths:
            empty = self.recent_menu.addAction("No recent plans")
            empty.setEnabled(False)
        self.welcome.show_recent(paths)
