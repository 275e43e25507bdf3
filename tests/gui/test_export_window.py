"""File > Export to Excel: the dialog, the worker with progress, cancel."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QDialog

from salesplanner.ui import settings
from salesplanner.ui.export_dialog import ExportDialog
from salesplanner.ui.main_window import MainWindow
from tests.gui.conftest import open_in, screenshot


def test_export_dialog_checks_the_destination(qtbot, tmp_path: Path) -> None:
    dialog = ExportDialog(tmp_path / "plan.xlsx")
    qtbot.addWidget(dialog)
    dialog.show()
    screenshot(dialog, "export-dialog")
    dialog.path.setText(str(tmp_path / "plan.csv"))
    dialog.accept()
    assert dialog.isVisible() and "ends in .xlsx" in dialog.error.text()
    dialog.path.setText(str(tmp_path / "plan.xlsx"))
    dialog.data.setChecked(True)
    dialog.period.setCurrentIndex(1)
    path, options = dialog.values()
    assert path == tmp_path / "plan.xlsx" and options.include_data and options.period == "mtd"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_export_from_the_window(window: MainWindow, demo_path: Path, tmp_path: Path, qtbot,
                                monkeypatch) -> None:
    assert not window.action_export.isEnabled()
    open_in(window, qtbot, demo_path)
    assert window.action_export.isEnabled()
    out = tmp_path / "out" / "demo.xlsx"
    out.parent.mkdir()

    def accept(dialog: ExportDialog) -> QDialog.DialogCode:
        dialog.path.setText(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", accept)
    window.action_export.trigger()
    qtbot.waitUntil(lambda: window.runner.running("export") is None, timeout=60_000)
    assert "demo.xlsx written" in window.statusBar().currentMessage()
    assert "Performance Revenue" in openpyxl.load_workbook(out).sheetnames
    assert settings.LAST_EXPORT_FOLDER.get() == str(out.parent)


def test_cancelled_export_writes_nothing(window: MainWindow, demo_path: Path, tmp_path: Path,
                                         qtbot) -> None:
    open_in(window, qtbot, demo_path)
    folder = tmp_path / "out"
    folder.mkdir()
    window.export_workbook(folder / "demo.xlsx")
    window._export_progress.canceled.emit()
    qtbot.waitUntil(lambda: window.runner.running("export") is None, timeout=60_000)
    assert list(folder.iterdir()) == []
    assert "no workbook was written" in window.statusBar().currentMessage()
