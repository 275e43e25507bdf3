"""Targets exported, edited in a workbook and brought back."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from salesplanner.errors import UserError
from salesplanner.export.plan_workbook import ExportOptions, export_plan
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets import from_excel, scenarios
from tests.unit.test_cli import run
from tests.unit.test_export import publish


@pytest.fixture
def exported(demo_path: Path, tmp_path: Path):
    with PlanFile.open(demo_path) as plan:
        scenario_id = publish(plan, "sales")
        export_plan(plan, tmp_path / "plan.xlsx", ExportOptions(analysis=False))
    return demo_path, tmp_path / "plan.xlsx", scenario_id


def test_unchanged_workbook_has_no_changes(exported) -> None:
    plan_path, book_path, scenario_id = exported
    with PlanFile.open(plan_path, read_only=True) as plan:
        edits = from_excel.read_edits(plan, book_path)
    assert [(e.sheet, e.scenario_id, e.changes) for e in edits] == [
        ("Targets Sales", scenario_id, [])]


def test_edits_are_shown_applied_with_a_reason_and_undone(exported, tmp_path: Path) -> None:
    plan_path, book_path, scenario_id = exported
    book = openpyxl.load_workbook(book_path)
    ws = book["Targets Sales"]
    agent = ws["A7"].value
    ws["E7"] = 50          # February for the first agent
    ws["D8"] = 0           # January for the second
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    with PlanFile.open(plan_path) as plan:
        before = scenarios.load_scenario(plan, scenario_id)
        edits = from_excel.read_edits(plan, edited)
        lines = from_excel.describe(edits)
        assert len(lines) == 2 and f"sales {agent}" in lines[0] and "Feb 2027" in lines[0]
        assert "-> 50.00" in lines[0] and "E7" in lines[0]
        with pytest.raises(UserError, match="need a reason"):
            from_excel.apply_edits(plan, edits, " ")
        result = from_excel.apply_edits(plan, edits, "agreed at the team meeting")
        assert result.message == "2 target figures changed from Excel"
        after = scenarios.load_scenario(plan, scenario_id)
        first_after = after.targets[0]
        months_after = dict(first_after.monthly)
        feb = sorted(months_after)[1]
        assert months_after[feb] == 50
        assert first_after.target == pytest.approx(sum(months_after.values()))
        assert first_after.override_reason == "agreed at the team meeting"
        assert sum(v for _d, v in first_after.weekly) == pytest.approx(first_after.target,
                                                                        rel=0.02)
        second = dict(after.targets[1].monthly)
        assert second[sorted(second)[0]] == 0
        untouched = [t for t in after.targets[2:]]
        assert [t.target for t in untouched] == [t.target for t in before.targets[2:]]
        assert after.team_target == pytest.approx(sum(t.target for t in after.targets))
        history = scenarios.history_of(plan, scenario_id)
        assert history[-1]["reason"] == "agreed at the team meeting"
        scenarios.undo_change(plan)
        restored = scenarios.load_scenario(plan, scenario_id)
        assert [t.target for t in restored.targets] == [t.target for t in before.targets]
        assert restored.targets[0].monthly == before.targets[0].monthly


def test_bad_edits_are_refused_by_cell_and_change_nothing(exported, tmp_path: Path) -> None:
    plan_path, book_path, scenario_id = exported
    book = openpyxl.load_workbook(book_path)
    ws = book["Targets Sales"]
    ws["D9"] = "lots"
    ws["F10"] = -3
    ws["E11"] = None
    ws["A12"] = "AG999"
    ws["E6"] = "February"
    edited = tmp_path / "bad.xlsx"
    book.save(edited)
    with PlanFile.open(plan_path) as plan:
        before = scenarios.load_scenario(plan, scenario_id)
        with pytest.raises(UserError) as caught:
            from_excel.read_edits(plan, edited)
        assert "'Targets Sales'!E6: 'February', expected 'Feb 2027'" in str(caught.value)
        ws["E6"] = "Feb 2027"
        book.save(edited)
        with pytest.raises(UserError) as caught:
            from_excel.read_edits(plan, edited)
        message = str(caught.value)
        for expected in ("'Targets Sales'!D9: 'lots' is not a number",
                         "'Targets Sales'!F10: -3 cannot be a target",
                         "'Targets Sales'!E11: empty",
                         "'Targets Sales'!A12: 'AG999' has no target",
                         "is missing (rows cannot be removed"):
            assert expected in message
        assert "nothing was changed" in message
        assert scenarios.load_scenario(plan, scenario_id).targets == before.targets
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with PlanFile.open(plan_path, read_only=True) as plan:
        with pytest.raises(UserError, match="has no targets sheet"):
            from_excel.read_edits(plan, other)
        (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
        with pytest.raises(UserError, match="cannot be read as an Excel workbook"):
            from_excel.read_edits(plan, tmp_path / "junk.xlsx")


def test_from_excel_command(exported, tmp_path: Path) -> None:
    plan_path, book_path, scenario_id = exported
    book = openpyxl.load_workbook(book_path)
    book["Targets Sales"]["D7"] = 12.5
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    shown = run("targets", plan_path, "--from-excel", edited)
    assert shown.returncode == 0, shown.stderr
    assert "Jan 2027" in shown.stdout and "Not applied yet" in shown.stdout
    done = run("targets", plan_path, "--from-excel", edited, "--reason", "typo", "--json")
    data = json.loads(done.stdout)
    assert data["applied"] and data["sheets"][0]["changes"][0]["new"] == 12.5
    again = run("targets", plan_path, "--from-excel", edited)
    assert "No changes" in again.stdout
