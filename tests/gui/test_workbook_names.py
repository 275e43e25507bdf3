"""Every button or menu item the exported workbook tells a manager to use is
one the window shows, under that name."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton

from salesplanner import command_names
from salesplanner.export.plan_workbook import ExportOptions, export_plan
from salesplanner.storage.plan_file import PlanFile
from salesplanner.ui.main_window import MainWindow
from tests.unit.test_export import publish

#: Where "File > Export to Excel…" starts in a workbook's text.
MENU_PATH = re.compile(r"\b[A-Z][A-Za-z]* > ")
#: "the Import from Excel… button on the Targets panel".
BUTTON = re.compile(r"\bthe ([A-Z][^.;]*?) button on (the [A-Z]\w* panel)")


def shown(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def window_names(window: MainWindow) -> tuple[set[str], set[str]]:
    """The menu paths (``File > Open…``) and every button's and action's text."""
    paths = set()
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu else ():
            if action.text():
                paths.add(f"{shown(menu.title())} > {shown(action.text())}")
    texts = {shown(b.text()) for b in window.findChildren(QAbstractButton) if b.text()}
    texts |= {shown(a.text()) for a in window.findChildren(QAction) if a.text()}
    return paths, texts


def test_the_workbooks_directions_name_what_the_window_shows(
        window: MainWindow, demo_path: Path, tmp_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        publish(plan, "revenue")
        result = export_plan(plan, tmp_path / "plan.xlsx", ExportOptions(analysis=False))
    book = openpyxl.load_workbook(result.path)
    texts = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    paths, names = window_names(window)
    assert "File > Export to Excel\u2026" in paths  # the collection itself works
    menus = [t[m.start():] for t in texts for m in MENU_PATH.finditer(t)]
    buttons = [b for t in texts for b in BUTTON.findall(t)]
    assert buttons, "the Targets sheet no longer says how to bring edits back"
    for menu in menus:
        assert any(menu.startswith(p) for p in paths), f"the workbook names {menu!r}"
    for name, _panel in buttons:
        assert name in names, f"the workbook names a button {name!r} the window lacks"
    for command in command_names.ALL:
        assert command.text in names, command


def test_the_targets_panel_button_is_the_named_command(window: MainWindow) -> None:
    panel = next(p for p in window.panels if type(p).__name__ == "TargetsPanel")
    buttons = {shown(b.text()) for b in panel.findChildren(QAbstractButton)}
    assert command_names.IMPORT_EDITED_TARGETS.text == "Import from Excel\u2026"
    assert command_names.IMPORT_EDITED_TARGETS.text in buttons
