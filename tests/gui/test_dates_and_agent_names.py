"""Dates without a time show no "00:00"; an agent's code is never shown twice
(in one cell, or in a name column beside the code column)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale

from salesplanner.analysis.performance import Row
from salesplanner.browse import DATETIME, TABLES, TableBrowser
from salesplanner.storage.plan_file import PlanFile
from salesplanner.ui.formatting import Formatter, agent_label, name_without_code
from salesplanner.ui.jobs import InlineJobRunner
from salesplanner.ui.panels.performance import LeagueModel
from salesplanner.ui.panels.targets import TargetRow, TargetsModel
from salesplanner.ui.row_models import cell
from salesplanner.ui.table_model import PagedTableModel
from tests.gui.test_data_browser import tiny_plan  # noqa: F401 - the shared fixture

UK = QLocale("en_GB")


def test_a_moment_at_midnight_is_a_date_without_a_time() -> None:
    fmt = Formatter("GBP", UK)
    assert fmt.text("2027-01-04 00:00:00", DATETIME) == "04/01/2027"
    assert fmt.text("2027-01-04T00:00", DATETIME) == "04/01/2027"
    assert fmt.text("2027-01-04 09:05:00", DATETIME) == "04/01/2027 09:05"
    assert fmt.text("2027-01-04 00:00:30", DATETIME) == "04/01/2027 00:00"  # a time was given


@pytest.mark.parametrize(("code", "name", "alone", "label"), [
    ("AG1", "Daisy Ali", "Daisy Ali", "AG1 Daisy Ali"),
    ("AG1", "AG1 Daisy Ali", "Daisy Ali", "AG1 Daisy Ali"),
    ("AG1", "ag1 - Daisy Ali", "Daisy Ali", "AG1 Daisy Ali"),
    ("AG1", "AG1: Daisy Ali", "Daisy Ali", "AG1 Daisy Ali"),
    ("AG1", "AG10 Daisy Ali", "AG10 Daisy Ali", "AG1 AG10 Daisy Ali"),  # another code
    ("AG1", "AG1", "", "AG1"),
    ("AG1", None, "", "AG1"),
    ("AG1", "Agnes AG1", "Agnes AG1", "AG1 Agnes AG1"),
])
def test_an_agent_is_named_with_its_code_once(code: str, name: str | None, alone: str,
                                              label: str) -> None:
    assert name_without_code(code, name) == alone
    assert agent_label(code, name) == label


def test_league_and_targets_do_not_repeat_the_code() -> None:
    league = LeagueModel()
    league.set_rows([Row("agent", "AG1", "AG1 Daisy Ali", "Upgrades", 12, 10, 40, 30,
                         "green", [1, 2]),
                     Row("team", "Upgrades", "Upgrades", "", 12, 10, 40, 30, "green", [1])])
    assert cell(league, 0, "name") == "AG1 Daisy Ali"
    assert cell(league, 1, "name") == "Upgrades"
    targets = TargetsModel()
    targets.set_rows([TargetRow("AG1", "AG1 - Daisy Ali", "Upgrades", 1.0, 0.0, 0.0, 1.0,
                                None, {}, "", None, None)])
    assert cell(targets, 0, "agent") == "AG1 Daisy Ali"


def test_data_browser_shows_dates_alone_and_names_without_codes(
        tiny_plan: Path, tmp_path: Path) -> None:  # noqa: F811 - the fixture imported above
    path = tmp_path / "plan.salesplan"
    shutil.copyfile(tiny_plan, path)
    with sqlite3.connect(path) as conn:  # as a file that gave days and "code name" names
        conn.execute("UPDATE sale SET ts = substr(ts, 1, 10) || ' 00:00:00'")
        conn.execute("UPDATE agent SET name = code || ' ' || name")
        code, name = conn.execute("SELECT code, name FROM agent ORDER BY id").fetchone()
    conn.close()
    with PlanFile.open(path, read_only=True) as plan:
        model = PagedTableModel(TableBrowser(plan, TABLES["sales"]), InlineJobRunner(),
                                Formatter("GBP", UK))
        model.load()
        when, agent, agent_name = (model.column_of(k) for k in ("ts", "agent", "agent_name"))
        rows = range(min(model.rowCount(), 50))
        days = [model.index(r, when).data() for r in rows]
        assert days and all("00:00" not in d for d in days)
        assert all(QDate.fromString(d, "dd/MM/yyyy").isValid() for d in days)
        for r in rows:
            shown_code = model.index(r, agent).data()
            shown_name = model.index(r, agent_name).data()
            assert shown_code and not shown_name.startswith(shown_code), shown_name
        agents = PagedTableModel(TableBrowser(plan, TABLES["agents"]), InlineJobRunner(),
                                 Formatter("GBP", UK))
        agents.load()
        names = [agents.index(r, agents.column_of("name")).data()
                 for r in range(agents.rowCount())]
        assert name in names  # the agents table itself shows the name as stored
    assert name.startswith(code)
