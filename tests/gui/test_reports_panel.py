"""The Reports panel: define a report, see it checked and previewed, save, undo, export."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from salesplanner.reports import Report, list_reports, run_report, save_report
from salesplanner.storage.plan_file import PlanFile
from salesplanner.ui.columns import SORT_ROLE
from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot, writes_done
from tests.unit.test_export import publish


def _panel(window, qtbot):
    panel = next(p for p in window.panels if p.title == "Reports")
    window.show_panel(window.panels.index(panel))
    return panel


def _tick(panel, codes: list[str]) -> None:
    for i in range(panel.measures.count()):
        item = panel.measures.item(i)
        wanted = item.data(Qt.ItemDataRole.UserRole) in codes
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def test_define_preview_save_undo_and_export(window, qtbot, qtmodeltester, demo_path: Path,
                                             tmp_path: Path, monkeypatch) -> None:
    with PlanFile.open(demo_path) as plan:
        publish(plan, "revenue")
    open_in(window, qtbot, demo_path)
    panel = _panel(window, qtbot)
    # A plan without reports starts the editor on a new one, previewed at once.
    assert panel.reports.count() == 0 and panel.editing is None
    assert panel.name.text() == "New report"
    qtbot.waitUntil(lambda: panel.model.result is not None, timeout=15_000)
    assert panel.model.rowCount() > 2

    panel.name.setText("Weekly team review")
    panel.name.textEdited.emit("Weekly team review")
    _tick(panel, ["revenue", "conversion_rate"])
    panel.audience.setEditText("Team leaders")
    qtbot.waitUntil(lambda: panel.model.result is not None and [
        f.measure.code for f in panel.model.result.figures] == ["revenue", "conversion_rate"],
        timeout=15_000)
    model = panel.model
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    with PlanFile.open(demo_path, read_only=True) as plan:
        expected = run_report(plan, panel.definition())
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Revenue"
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Revenue target to date"
    assert cell(model, 0, "group") == expected.keys[0]
    assert cell(model, 0, "revenue:actual").startswith("\u00a3")
    last = model.rowCount() - 1
    assert cell(model, last, "group") == "Total"
    assert cell(model, last, "group", Qt.ItemDataRole.FontRole).bold()
    rag = cell(model, 0, "revenue:rag")
    assert rag in ("Red", "Amber", "Green")
    assert cell(model, 0, "revenue:rag", Qt.ItemDataRole.ForegroundRole) is not None
    # Sorted by a click on a title: by revenue, the total still last.
    panel.table.sortByColumn(model.column_of("revenue:actual"), Qt.SortOrder.DescendingOrder)
    revenue = [cell(model, r, "revenue:actual", SORT_ROLE) for r in range(last)]
    assert revenue == sorted(revenue, reverse=True) and cell(model, last, "group") == "Total"
    panel.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert cell(model, 0, "group") == expected.keys[0]

    # A bad definition is refused with the reason, nothing is saved, no stale preview.
    _tick(panel, [])
    assert "at least one measure" in panel.error.text()
    assert not panel.save_button.isEnabled() and panel.model.rowCount() == 0
    _tick(panel, ["revenue", "conversion_rate"])
    assert panel.error.text() == "" and panel.save_button.isEnabled()
    panel.period.setCurrentIndex(panel.period.findData("custom"))
    panel.date_from.setDate(QDate(2027, 2, 10))
    panel.date_to.setDate(QDate(2027, 1, 5))
    assert "ends on 05 Jan 2027, before it starts on 10 Feb 2027" in panel.error.text()
    assert "--period" not in panel.error.text()
    panel.period.setCurrentIndex(panel.period.findData("qtd"))
    panel.period.activated.emit(0)
    assert panel.error.text() == ""

    panel.save()
    writes_done(window, qtbot)
    with PlanFile.open(demo_path, read_only=True) as plan:
        assert [r.name for r in list_reports(plan)] == ["Weekly team review"]
    assert panel.reports.count() == 1 and panel.editing == "Weekly team review"
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=15_000)
    screenshot(window, "panel-reports")
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    assert panel.reports.count() == 0
    window.document.undo_stack.redo()
    writes_done(window, qtbot)
    assert panel.reports.count() == 1

    # A second report with the same name is refused.
    panel.new_report()
    assert panel.reports.currentRow() == -1 and not panel.remove_button.isEnabled()
    panel.name.setText("weekly TEAM review")
    assert not panel.save()
    writes_done(window, qtbot)
    assert "already a report" in panel.error.text()

    # Leaving unsaved changes asks first: Cancel stays, Discard goes.
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: answers.pop(0))
    panel.reports.setCurrentRow(0)
    assert panel.name.text() == "weekly TEAM review" and panel.reports.currentRow() == -1
    panel.reports.setCurrentRow(0)
    assert panel.name.text() == "Weekly team review" and not answers
    assert panel.remove_button.isEnabled()

    out = tmp_path / "team review.xlsx"
    panel.export_to(out)
    qtbot.waitUntil(lambda: window.runner.running("export") is None, timeout=60_000)
    assert "team review.xlsx written" in window.statusBar().currentMessage()
    assert openpyxl.load_workbook(out).sheetnames == ["Weekly team review", "Measures"]


def test_reports_listed_and_grouped_by_week(window, qtbot, demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        save_report(plan, Report("Weekly sales", ("sales", "revenue"), "week", "qtd",
                                 "Head of sales", "weekly"))
        save_report(plan, Report("Agent league", ("sales",), "agent", "mtd", "Team leaders",
                                 "daily"))
    open_in(window, qtbot, demo_path)
    panel = _panel(window, qtbot)
    assert [panel.reports.item(i).text() for i in range(panel.reports.count())] == \
        ["Agent league", "Weekly sales"]
    panel.reports.setCurrentRow(1)
    assert panel.grouping.currentData() == "week" and panel.audience.currentText() == \
        "Head of sales"
    qtbot.waitUntil(lambda: panel.model.result is not None
                    and panel.model.result.report.grouping == "week", timeout=15_000)
    assert cell(panel.model, 0, "group").startswith("w/c ")
    screenshot(window, "panel-reports-week")
    panel.reports.setCurrentRow(0)
    qtbot.waitUntil(lambda: panel.model.result is not None
                    and panel.model.result.report.grouping == "agent", timeout=15_000)
    assert panel.model.headerData(1, Qt.Orientation.Horizontal) == "Name"
    panel.remove()
    writes_done(window, qtbot)
    assert panel.reports.count() == 1
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    assert panel.reports.count() == 2
