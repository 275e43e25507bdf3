"""The panels' record models on small hand-made data: Qt's model tester and the exact grid."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from salesplanner.analysis.performance import Row
from salesplanner.skill_matrix import SkillMatrix
from salesplanner.ui.columns import RAW_ROLE
from salesplanner.ui.panels.performance import LeagueModel
from salesplanner.ui.panels.skills import SkillMatrixModel, skill_key
from salesplanner.ui.panels.targets import HoursModel, TargetRow, TargetsModel
from salesplanner.ui.row_models import RowTableModel, cell

SMART = {k: (True, "") for k in "SMART"} | {"A": (False, "a stretch")}


def _grid(model: RowTableModel) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def _titles(model: RowTableModel) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_skill_matrix_grid(qtmodeltester) -> None:
    model = SkillMatrixModel()
    model.set_matrix(SkillMatrix(
        ["AG10", "AG2", "AG1"], ["Omar Moore", "Niamh Hughes", "Ethan Turner"], ["A", "B", "A"],
        ["closing", "listening"], ["Closing", "Active listening"],
        np.array([[3.0, np.nan], [5.0, 4.0], [2.0, 2.0]])))
    model.sort(model.column_of("agent"))  # as the panel opens it
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    assert _titles(model) == ["Agent", "Closing", "Active\nlistening"]  # narrow columns
    assert _grid(model) == [["AG1 Ethan Turner", "2", "2"],
                            ["AG2 Niamh Hughes", "5", "4"],
                            ["AG10 Omar Moore", "3", ""],
                            ["Team average", "3.3", "3.0"]]
    listening = model.column_of(skill_key("listening"))
    assert model.index(2, listening).data(Qt.ItemDataRole.ToolTipRole) == \
        "Omar Moore \u2014 Active listening: not rated"
    model.sort(listening, Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in _grid(model)] == [
        "AG2 Niamh Hughes", "AG1 Ethan Turner", "AG10 Omar Moore", "Team average"]
    model.update_rating("AG10", "listening", 1)
    assert _grid(model)[2] == ["AG10 Omar Moore", "3", "1"]
    assert _grid(model)[3] == ["Team average", "3.3", "2.3"]


def test_targets_grid(qtmodeltester) -> None:
    model = TargetsModel()
    model.unit, model.currency = "money", "GBP"
    model.set_rows([
        TargetRow("AG10", "Omar Moore", "Upgrades", 1200.4, -16.0, 35.0, 1219.0, 0.62, SMART,
                  "baseline 1,200", None, 1219.0, 1100.0),
        TargetRow("AG2", "Niamh Hughes", "Retention", None, None, None, 900.0, None, SMART,
                  "new starter", None, None),
    ])
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    assert _titles(model) == ["Agent", "Team", "Baseline", "Skills", "Stretch", "Target",
                              "Chance", "SMART", "Chosen", "How it was built"]
    assert _grid(model) == [
        ["AG10 Omar Moore", "Upgrades", "£1,200", "-£16", "+£35", "£1,219 \u270e", "62%",
         "SMaRT", "£1,100", "baseline 1,200"],
        ["AG2 Niamh Hughes", "Retention", "", "", "", "£900", "", "SMaRT", "",
         "new starter"]]
    assert cell(model, 0, "smart", Qt.ItemDataRole.ToolTipRole).splitlines()[2] == \
        "\u2717 Achievable: a stretch"
    assert cell(model, 0, "target", RAW_ROLE) == 1219.0
    model.sort(model.column_of("agent"))
    assert [r.code for r in model.rows] == ["AG2", "AG10"]
    model.sort(model.column_of("baseline"))
    assert [r.code for r in model.rows] == ["AG10", "AG2"]  # no baseline: last
    model.sort(model.column_of("baseline"), Qt.SortOrder.DescendingOrder)
    assert [r.code for r in model.rows] == ["AG10", "AG2"]  # last either way


def test_hours_grid(qtmodeltester) -> None:
    model = HoursModel()
    edits = []
    model.edit = lambda agent, field, text: edits.append((agent, field, text)) or True
    plain = {"planned_weekly": None, "shrinkage": None, "leave_hours": None,
             "available_from": None, "available_to": None}
    model.set_rows([
        {"code": "AG10", "name": "Omar Moore", "contract_hours": 37.5, **plain,
         "planned_weekly": 30.0, "shrinkage": 0.25, "leave_hours": 37.5,
         "available_from": "2027-01-04", "productive_hours": 250.4},
        {"code": "AG2", "name": "Niamh Hughes", "contract_hours": 30.0, **plain,
         "productive_hours": 270.0},
    ])
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    assert _grid(model) == [
        ["AG10 Omar Moore", "37.5", "30", "25%", "37.5", "2027-01-04", "", "250"],
        ["AG2 Niamh Hughes", "30", "", "", "", "", "", "270"]]
    leave = model.index(1, model.column_of("leave_hours"))
    assert not model.flags(leave) & Qt.ItemFlag.ItemIsEditable  # the plan is read-only
    model.editable = True
    assert model.flags(leave) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(leave, "7.5") and edits == [("AG2", "leave_hours", "7.5")]
    assert not model.setData(model.index(1, model.column_of("productive_hours")), "1")


def test_league_grid(qtmodeltester) -> None:
    model = LeagueModel()
    model.unit = "count"
    model.set_rows([
        Row("agent", "AG10", "Omar Moore", "Upgrades", 12, 10, 40, 30, "green", [1, 2, 3],
            benchmarks={"last_quarter": 9.0, "last_year": 7.0}),
        # No last year (before the data): blank, not 0.
        Row("agent", "AG2", "Niamh Hughes", "Retention", 8, 10, 40, 28, "amber", [3, 2],
            benchmarks={"last_quarter": 11.0, "last_year": None}),
        Row("agent", "AG3", "Muhammad Shaw", "Retention", 3, None, None, None, None),
    ])
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    assert _grid(model) == [
        ["1", "AG10 Omar Moore", "Upgrades", "12", "10", "120%", "2", "30", "Green", "", "9",
         "7"],
        ["2", "AG2 Niamh Hughes", "Retention", "8", "10", "80%", "-2", "28", "Amber", "", "11",
         ""],
        ["3", "AG3 Muhammad Shaw", "Retention", "3", "", "", "", "", "", "", "", ""]]
    assert cell(model, 0, "trend", RAW_ROLE) == [1, 2, 3]
    assert cell(model, 0, "trend", Qt.ItemDataRole.ToolTipRole) == "Last 8 weeks: 1, 2, 3"
    model.sort(model.column_of("name"))
    assert [r.key for r in model.rows] == ["AG2", "AG3", "AG10"]
    model.sort(model.column_of("rag"))
    assert [r.key for r in model.rows] == ["AG2", "AG10", "AG3"]  # amber, green, none
    assert cell(model, 0, "rank") == "2"  # the rank stays the league's
