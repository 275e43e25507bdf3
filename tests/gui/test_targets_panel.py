"""The Targets panel on the demo plan: preview as the manager types, save, override, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QTextBrowser

from salesplanner.targets import scenarios
from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot, writes_done


def _panel(window):
    panel = next(p for p in window.panels if p.title == "Targets")
    window.show_panel(window.panels.index(panel))
    return panel


def test_targets_preview_save_choose_override_and_undo(window, qtbot, qtmodeltester,
                                                        demo_path: Path, monkeypatch) -> None:
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    panel.measure.setCurrentIndex(panel.measure.findData("sales"))
    panel.guard_low.setValue(-50)
    panel.guard_high.setValue(100)
    panel.team_target.setText("2000")
    qtbot.waitUntil(lambda: panel.preview is not None and panel.preview.team_target == 2000,
                    timeout=15_000)
    model = panel.model
    assert model.rowCount() == len(panel.preview.agents) > 10
    assert sum(r.target for r in model.rows) == 2000
    assert "Preview" in panel.summary.text() and "expected to reach" in panel.summary.text()
    assert set(cell(model, 0, "smart")) <= set("SMARTsmart")
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    screenshot(window, "panel-targets-preview")

    # The manager types a bigger target: the preview follows.
    panel.team_target.setText("2200")
    qtbot.waitUntil(lambda: panel.preview.team_target == 2200, timeout=15_000)
    assert sum(r.target for r in model.rows) == 2200

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Base plan", True))
    panel.save()
    writes_done(window, qtbot)
    qtbot.waitUntil(lambda: panel.shown is not None, timeout=5_000)
    assert panel.shown.name == "Base plan" and panel.choose_button.isEnabled()
    panel.choose_button.click()
    writes_done(window, qtbot)
    qtbot.waitUntil(lambda: panel.chosen is not None, timeout=5_000)
    scenario_id = panel.chosen.id

    # A what-if beside the chosen targets.
    panel.team_target.setText("2300")
    qtbot.waitUntil(lambda: panel.preview.team_target == 2300 and panel.shown is None,
                    timeout=15_000)
    assert not panel.table.isColumnHidden(model.column_of("compare"))
    assert "chosen targets" in panel.summary.text()
    screenshot(window, "panel-targets-compare")
    # Another measure's preview is never compared with the sales targets.
    panel.team_target.setText("")
    panel.measure.setCurrentIndex(panel.measure.findData("revenue"))
    qtbot.waitUntil(lambda: panel.preview.measure.code == "revenue" and panel.shown is None,
                    timeout=15_000)
    assert panel.chosen is None and panel.table.isColumnHidden(model.column_of("compare"))
    assert "chosen targets" not in panel.summary.text()
    panel.measure.setCurrentIndex(panel.measure.findData("sales"))

    # Override in the chosen scenario, then undo it.
    panel.scenario.setCurrentIndex(panel.scenario.findData(scenario_id))
    panel._show_selected()  # read in a worker
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.id == scenario_id,
                    timeout=5_000)
    first = panel.shown.targets[0]
    panel.override(first.code, first.target + 5, "strong pipeline")
    qtbot.waitUntil(lambda: any(t.override is not None for t in
                                scenarios.load_scenario(window.document.plan,
                                                        scenario_id).targets),
                    timeout=15_000)
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.targets[0].override
                    is not None, timeout=5_000)
    assert sum(t.target for t in panel.shown.targets) == 2200
    row = [r.code for r in model.rows].index(first.code)
    assert "\u270e" in cell(model, row, "target")
    screenshot(window, "panel-targets-override")
    window.document.undo_stack.undo()  # queued behind any write still running
    qtbot.waitUntil(lambda: not window.runner.writing, timeout=5_000)
    restored = scenarios.load_scenario(window.document.plan, scenario_id)
    assert restored.targets[0].target == pytest.approx(first.target)


def test_planned_hours_new_starters_and_help(window, qtbot, qtmodeltester,
                                             demo_path: Path) -> None:
    from salesplanner.periods import Quarter
    from salesplanner.targets.capacity import NewStarter, hours_table

    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    panel.tabs.setCurrentIndex(1)
    hours = panel.hours
    qtbot.waitUntil(lambda: hours.rowCount() > 10, timeout=5_000)  # read in a worker
    qtmodeltester.check(hours, force_py=True)
    qtmodeltester.check(hours)
    code = hours.rows[0]["code"]
    before = hours.rows[0]["productive_hours"]
    assert hours.setData(hours.index(0, hours.column_of("leave_hours")), "37.5")  # a week
    writes_done(window, qtbot)
    qtbot.waitUntil(lambda: hours.rows and hours.rows[0]["leave_hours"] == 37.5, timeout=5_000)
    assert hours.rows[0]["productive_hours"] == pytest.approx(before - 37.5 * 0.7)
    assert not hours.setData(hours.index(0, hours.column_of("shrinkage")), "lots")  # refused
    screenshot(window, "panel-targets-hours")
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    table = hours_table(window.document.plan, Quarter(2027, 1)).set_index("code")
    assert table.at[code, "productive_hours"] == pytest.approx(before)

    panel.tabs.setCurrentIndex(0)
    panel.measure.setCurrentIndex(panel.measure.findData("sales"))
    panel.guard_low.setValue(-50)
    panel.guard_high.setValue(100)
    panel.set_starters([NewStarter("NEW1", Quarter(2027, 1).start, 37.5)])
    qtbot.waitUntil(lambda: panel.preview is not None and any(
        a.new_starter for a in panel.preview.agents), timeout=15_000)
    assert panel.model.rows[-1].code == "NEW1"
    assert "NEW1 from 01 Jan" in panel.starters_label.text()

    window.show_targets_help()
    help_text = window._help.findChild(QTextBrowser).toPlainText()
    assert "Skills move work between agents" in help_text
    assert "the team total is unchanged" in help_text
    # Method names and statistics only in the footnote, after the manager's text.
    footnote = help_text.index("For analysts")
    assert all(help_text.find(word) > footnote for word in ("Empirical", "empirical",
                                                            "MASE", "prior_weeks")
               if word in help_text)
    screenshot(window._help, "help-targets")
    window._help.close()


def test_override_by_double_click_with_the_total_unlocked(window, qtbot, demo_path: Path,
                                                          monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    panel.measure.setCurrentIndex(panel.measure.findData("sales"))
    panel.guard_low.setValue(-50)
    panel.guard_high.setValue(100)
    panel.team_target.setText("2000")
    qtbot.waitUntil(lambda: panel.preview is not None and panel.preview.team_target == 2000,
                    timeout=15_000)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Stretch", True))
    panel.save()
    writes_done(window, qtbot)
    qtbot.waitUntil(lambda: panel.shown is not None, timeout=5_000)
    row = panel.model.rows[0]
    monkeypatch.setattr(QInputDialog, "getDouble", lambda *a, **k: (row.target + 10, True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("promotion", True))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    panel._on_double_clicked(panel.model.index(0, panel.model.column_of("target")))
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.team_target == 2010,
                    timeout=15_000)
    assert panel.shown.targets[0].override_reason == "promotion"


def test_targets_edited_in_excel_are_reviewed_applied_and_undone(window, qtbot, qtmodeltester,
                                                                 demo_path: Path, tmp_path: Path,
                                                                 monkeypatch) -> None:
    import openpyxl
    from PySide6.QtWidgets import QDialog, QMessageBox

    from salesplanner.export.plan_workbook import ExportOptions, export_plan
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.ui.edited_targets_dialog import EditedTargetsDialog
    from tests.unit.test_export import publish

    with PlanFile.open(demo_path) as plan:
        scenario_id = publish(plan, "sales")
        export_plan(plan, tmp_path / "plan.xlsx", ExportOptions(analysis=False))
        before = [t.target for t in scenarios.load_scenario(plan, scenario_id).targets]
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    book["Targets Sales"]["D7"] = 99
    book["Targets Sales"]["F9"] = 0
    book.save(tmp_path / "edited.xlsx")
    book["Targets Sales"]["E8"] = "many"
    book.save(tmp_path / "bad.xlsx")

    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    assert panel.excel_button.isEnabled()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    panel.import_from_excel(str(tmp_path / "bad.xlsx"))
    qtbot.waitUntil(lambda: bool(warnings), timeout=15_000)
    assert "'Targets Sales'!E8: 'many' is not a number" in warnings[0]

    def accept(dialog: EditedTargetsDialog) -> QDialog.DialogCode:
        assert dialog.model.rowCount() == 2 and not dialog.apply_button.isEnabled()
        assert [cell(dialog.model, r, "cell") for r in range(2)] == [
            "Targets Sales!D7", "Targets Sales!F9"]
        qtmodeltester.check(dialog.model, force_py=True)
        qtmodeltester.check(dialog.model)
        dialog.reason.setText("agreed with the team leaders")
        assert dialog.apply_button.isEnabled()
        dialog.show()
        screenshot(dialog, "targets-from-excel")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EditedTargetsDialog, "exec", accept)
    panel.import_from_excel(str(tmp_path / "edited.xlsx"))
    qtbot.waitUntil(lambda: "changed from Excel" in window.statusBar().currentMessage(),
                    timeout=15_000)
    with PlanFile.open(demo_path, read_only=True) as plan:
        after = scenarios.load_scenario(plan, scenario_id).targets
    assert after[0].override_reason == "agreed with the team leaders"
    assert [t.target for t in after] != before
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    with PlanFile.open(demo_path, read_only=True) as plan:
        assert [t.target for t in scenarios.load_scenario(plan, scenario_id).targets] == before


def test_the_panel_opens_on_the_targets_in_force(window, qtbot, demo_path: Path) -> None:
    from salesplanner.storage.plan_file import PlanFile
    from tests.unit.test_export import publish

    # No targets yet: the preview of the default inputs, saying so.
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=15_000)
    assert panel.shown is None
    assert panel.scenario.currentText() == "Preview of the default inputs (not saved)"
    assert "no targets chosen for Revenue" in panel.summary.text()
    window.close_plan()

    with PlanFile.open(demo_path) as plan:
        scenario_id = publish(plan, "sales", growth=0.07)
        stored = scenarios.load_scenario(plan, scenario_id)
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.shown is not None, timeout=15_000)
    # The published targets, with the inputs they were made with; no preview.
    assert panel.shown.id == scenario_id and panel.preview is None
    assert panel.scenario.currentData() == scenario_id
    assert panel.measure.currentData() == "sales"
    assert panel.growth.value() == 7 and panel.guard_low.value() == -50
    assert panel.settings().growth == pytest.approx(stored.settings.growth)
    text = panel.summary.text()
    assert "(published)" in text and "Preview" not in text
    assert {r.code: r.target for r in panel.model.rows} == {t.code: t.target for t in stored.targets}
    # The warning is the published targets' own, never a preview's.
    assert panel.warning.text() == (stored.summary.get("band_warning") or "")
    screenshot(window, "panel-targets-in-force")

    # Changing an input makes a preview of the changed inputs, beside the published.
    panel.growth.setValue(10)
    qtbot.waitUntil(lambda: panel.preview is not None and panel.shown is None,
                    timeout=15_000)
    assert panel.scenario.currentText() == "Preview of changed inputs (not saved)"
    assert "Preview of changed inputs" in panel.summary.text()
    assert "chosen targets" in panel.summary.text()


def test_backtest_summary_points_to_the_backtest_window(window, qtbot) -> None:
    from salesplanner.targets.backtest import QuarterCheck

    panel = _panel(window)
    panel._show_backtest([QuarterCheck("2026-Q3", 2, 100.0, 0.5, 0.5, 0.5, [0.9, 0.2],
                                       [True, False])])
    assert panel.summary.text() == ("Back-test: worst gap 0 points over 1 quarter; Brier "
                                    "0.025 vs 0.250 naive \u2014 details in the Back-test "
                                    "window.")
    dialog = panel.backtest_dialog
    assert dialog is not None and dialog.isVisible() and dialog.model.rowCount() == 1
    assert "0.250 for giving everyone the same 50% chance" in dialog.brier.text()
    dialog.close()


def test_the_team_target_can_start_from_the_outlook(window, qtbot, demo_path: Path) -> None:
    """Starting point: the outlook, the figure Forecast, Performance and
    Overview give; kept with the scenario's inputs."""
    from salesplanner.analysis.forecast import outlook
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(demo_path, read_only=True) as plan:
        seen = outlook(plan, "sales")
    assert seen is not None
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    panel.measure.setCurrentIndex(panel.measure.findData("sales"))
    panel.measure.activated.emit(panel.measure.currentIndex())
    start = panel.inputs.team_start
    start.setCurrentIndex(start.findData("outlook"))
    start.activated.emit(start.currentIndex())
    qtbot.waitUntil(lambda: panel.preview is not None
                    and panel.preview.target_source == f"{seen.quarter} outlook", timeout=15_000)
    assert panel.preview.team_target == pytest.approx(seen.total, abs=0.5)
    assert f"({seen.quarter} outlook)" in panel.summary.text()
    assert panel.inputs.settings().team_start == "outlook"
