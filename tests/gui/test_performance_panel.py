"""The Performance panel: league table, sorting, drill-down, where to coach, notes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets import scenarios
from salesplanner.targets.proposal import TargetSettings, propose
from salesplanner.ui.columns import SORT_ROLE
from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot, writes_done


def test_performance_league_drill_down_and_coaching(window, qtbot, qtmodeltester,
                                                     demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
            measure="sales", growth=0.1, guardrails=(-0.5, 1.0))))
        scenarios.set_status(plan, saved.detail["scenario_id"], "published")
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Performance")
    # Both panels open on the measure the quarter's targets are set in.
    assert panel.measure.currentData() == "sales"
    targets = next(p for p in window.panels if p.title == "Targets")
    assert targets.measure.currentData() == "sales"
    panel.measure.setCurrentIndex(panel.measure.findData("sales"))
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.measure.code == "sales",
                    timeout=15_000)
    model = panel.model
    # Leavers (no target, no record in the period) are hidden until asked for.
    assert model.rowCount() == sum(not r.leaver for r in panel.result.agents) > 10
    assert cell(model, 0, "rank") == "1"  # the league opens at its head
    assert "against" in panel.headline.text() and "Targets: #" in panel.headline.text()
    seen = panel.result.outlook
    chance = seen.chance_of(panel.result.centre.quarter_target)
    assert f"a {chance:.0%} chance of making it" in panel.headline.text()
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    # Sorting on any column: by variance, lowest first.
    panel.table.sortByColumn(model.column_of("variance"), Qt.SortOrder.AscendingOrder)
    keys = [cell(model, r, "variance", SORT_ROLE) for r in range(model.rowCount())]
    present = [k for k in keys if k is not None]
    assert present == sorted(present) and keys[len(present):] == [None] * (len(keys) - len(present))
    assert cell(model, 0, "rank") != "1"
    # Agents by name: codes in natural order, AG2 before AG10.
    panel.table.sortByColumn(model.column_of("name"), Qt.SortOrder.AscendingOrder)
    codes = [r.key for r in model.rows]
    assert codes.index("AG2") < codes.index("AG10")
    panel.table.sortByColumn(model.column_of("rank"), Qt.SortOrder.AscendingOrder)
    # An agent behind target: reasons, notes, days.
    behind = next(i for i in range(model.rowCount()) if (model.rows[i].attainment or 1) < 1)
    panel.table.selectRow(behind)
    assert panel.reasons.count() >= 1
    qtbot.waitUntil(lambda: panel.days.count() >= 1, timeout=10_000)  # read in a worker
    agent = panel.selected().key
    panel.save_note(agent, "rushes the close", "Sam", "role-play")
    writes_done(window, qtbot)
    qtbot.waitUntil(lambda: any("rushes the close" in panel.notes.item(i).text()
                                for i in range(panel.notes.count())), timeout=10_000)
    screenshot(window, "panel-performance")
    # Teams, then down to one team's agents.
    panel.level.setCurrentIndex(panel.level.findData("team"))
    panel._show_rows()
    assert model.rows[0].level == "team"
    panel._drill(model.index(0, model.column_of("name")))
    assert panel.level.currentData() == "agent"
    assert {r.team for r in model.rows} == {panel.team_filter.currentData()}
    # The headline and the warnings follow the chosen team.
    team = panel.team_filter.currentData()
    row = next(t for t in panel.result.teams if t.name == team)
    assert f"team {team} has" in panel.headline.text()
    assert f"{row.attainment:.0%}" in panel.headline.text()
    mine = [w.text for w in panel.all_warnings if w.team == team]
    shown = [panel.warnings.item(i).text() for i in range(panel.warnings.count())]
    assert shown == (mine or [
        "Nothing to flag: everyone is on pace and no week stands out."])
    assert len(panel.all_warnings) > len(mine)
    assert panel.table.isColumnHidden(model.column_of("team"))  # every row is of that team
    panel.team_filter.setCurrentIndex(0)  # all teams again
    panel._show_rows()
    assert "the centre has" in panel.headline.text()
    assert panel.warnings.count() == len(panel.all_warnings)
    assert not panel.table.isColumnHidden(model.column_of("team"))

    # Adjust mid-quarter from the panel, then undo it.
    before = scenarios.load_scenario(window.document.plan, saved.detail["scenario_id"])
    panel.rephase_with("campaign moved")
    writes_done(window, qtbot)
    after = scenarios.load_scenario(window.document.plan, saved.detail["scenario_id"])
    assert [t.weekly for t in after.targets] != [t.weekly for t in before.targets]
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    undone = scenarios.load_scenario(window.document.plan, saved.detail["scenario_id"])
    assert [t.weekly for t in undone.targets] == [t.weekly for t in before.targets]

    # A measure without targets: nobody is called "behind".
    panel.measure.setCurrentIndex(panel.measure.findData("calls_handled"))
    panel.refresh()
    # (an undo above may still deliver figures for sales first)
    qtbot.waitUntil(lambda: panel.result.measure.code == "calls_handled", timeout=15_000)
    panel.level.setCurrentIndex(panel.level.findData("agent"))
    panel._show_rows()
    panel.table.selectRow(0)
    assert panel.selected().attainment is None
    assert [panel.reasons.item(i).text() for i in range(panel.reasons.count())] == [
        "No target for this period: nothing to measure them against."]


def test_league_hides_leavers_leaves_missing_benchmarks_blank_and_fits_1280(
        window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Performance")
    window.resize(1280, 800)
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.result is not None and panel.model.rowCount() > 0,
                    timeout=15_000)
    model, agents = panel.model, panel.result.agents
    leavers = [r.key for r in agents if r.leaver]
    assert leavers, "the demo has agents who left before the quarter"
    assert not set(leavers) & {r.key for r in model.rows}
    assert panel.show_leavers.text() == f"Show &leavers ({len(leavers)})"
    panel.show_leavers.setChecked(True)
    assert model.rowCount() == len(agents) and set(leavers) <= {r.key for r in model.rows}
    panel.show_leavers.setChecked(False)
    assert model.rowCount() == len(agents) - len(leavers)
    # No last year before the data starts: an empty cell, not £0.00.
    blank = next(i for i, r in enumerate(model.rows) if r.benchmarks["last_year"] is None)
    assert cell(model, blank, "last_year") == ""
    known = next(i for i, r in enumerate(model.rows) if r.benchmarks["last_quarter"])
    assert cell(model, known, "last_quarter").startswith("\u00a3")
    # At 1280 x 800 the figures, the sparkline and the benchmarks are all in view.
    qtbot.wait(50)
    viewport = panel.table.viewport().rect()
    for key in ("rank", "name", "team", "actual", "attainment", "rag", "trend",
                "last_quarter", "last_year"):
        rect = panel.table.visualRect(model.index(0, model.column_of(key)))
        assert viewport.contains(rect), key
    assert panel.table.horizontalScrollBar().maximum() == 0
    assert not panel.table.wordWrap()
    assert not panel.side.isVisible()
    screenshot(window, "performance-1280")
    panel.coaching_button.setChecked(True)
    assert panel.side.isVisible()
    panel.table.selectRow(0)
    window.set_colour_scheme("dark")
    qtbot.wait(50)
    screenshot(window, "performance-1280-coaching-dark")
    window.set_colour_scheme("light")
