"""Peaks as a reader sees it: a command-line table whose columns never run
together, blank weekdays where the data has none (command line, workbook),
and staffing that says when the handle time is missing and takes one given."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from salesplanner.analysis.peaks import WEEKDAYS, peaks
from salesplanner.analysis.staffing import agents_needed, handle_times
from salesplanner.errors import UserError
from salesplanner.export.analysis_sheets import write_peaks
from salesplanner.export.book import Book
from salesplanner.importing.run import import_file
from salesplanner.storage.plan_file import PlanFile
from tests.unit.test_cli import run

#: Two weekdays of interval statistics without handle times; the Tuesday's
#: figures are four digits, which once ran together ("1000.02000.0").
INTERVALS = ("Interval,Queue,Offered,Handled\n"
             "2027-01-04 09:00,Sales,60,60\n2027-01-04 09:30,Sales,40,40\n"
             "2027-01-04 10:00,Sales,10,10\n"
             "2027-01-05 09:00,Sales,1000,1000\n2027-01-05 10:00,Sales,2000,2000\n")


@pytest.fixture
def intervals_plan(empty_plan: PlanFile, tmp_path: Path) -> PlanFile:
    path = tmp_path / "iv.csv"
    path.write_text(INTERVALS)
    import_file(empty_plan, path)
    return empty_plan


def parse_grid(lines: list[str], title: str) -> dict[str, dict[str, str]]:
    """The weekday x hour table under ``title`` read back by the columns'
    right edges (taken from the header): weekday -> hour -> cell text."""
    at = next(i for i, line in enumerate(lines) if line.startswith(title))
    header = lines[at + 1]
    edges = [(m_end - 5, m_end) for m_end in
             (i + 5 for i in range(len(header)) if header[i:i + 5].endswith(":00")
              and header[i + 2] == ":")]
    hours = [header[a:b] for a, b in edges]
    grid = {}
    for line in lines[at + 2:at + 9]:
        name = line[:4].strip()
        cells = {}
        previous = 4
        for hour, (_a, b) in zip(hours, edges):
            text = line[previous:b]
            assert text == "" or text.startswith("  ") or not text.strip(), \
                f"{name} {hour}: {text!r} touches the column before"
            cells[hour] = text.strip()
            previous = b
        grid[name] = cells
    assert list(grid) == list(WEEKDAYS)
    return grid


def test_cli_table_columns_are_apart_and_days_without_data_blank(
        intervals_plan: PlanFile) -> None:
    out = run("peaks", intervals_plan.path, "--aht", "180")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    volume = parse_grid(lines, "Average all calls per hour")
    assert volume["Mon"] == {"09:00": "100.0", "10:00": "10.0"}
    assert volume["Tue"] == {"09:00": "1000.0", "10:00": "2000.0"}
    for day in ("Wed", "Thu", "Fri", "Sat", "Sun"):  # no data: blank, not 0.0
        assert volume[day] == {"09:00": "", "10:00": ""}
    assert "1000.02000.0" not in out.stdout
    agents = parse_grid(lines, "Agents needed on the phones")
    assert agents["Tue"]["10:00"] == str(agents_needed(2000, 180, 3600).agents)
    assert agents["Sun"] == {"09:00": "", "10:00": ""}
    # Each data row's cells are the figures --json gives, column by column.
    data = json.loads(run("peaks", intervals_plan.path, "--json").stdout)
    assert [float(volume["Tue"][h]) for h in ("09:00", "10:00")] == data["volume"][1][9:11]


def test_cli_on_the_demo_leaves_sunday_blank_and_keeps_zero_hours(demo_path: Path) -> None:
    lines = run("peaks", demo_path).stdout.splitlines()
    volume = parse_grid(lines, "Average all calls per hour")
    assert set(volume["Sun"].values()) == {""}  # the demo centre is closed on Sundays
    assert all(float(v) > 0 for v in volume["Mon"].values())
    agents = parse_grid(lines, "Agents needed on the phones")
    assert all(v.isdigit() for v in agents["Tue"].values())


def test_cli_says_what_is_missing_without_handle_time(intervals_plan: PlanFile) -> None:
    out = run("peaks", intervals_plan.path)
    assert out.returncode == 0, out.stderr
    assert "The interval statistics have no handle time" in out.stdout
    assert "--aht" in out.stdout and "Agents needed on the phones" not in out.stdout
    data = json.loads(run("peaks", intervals_plan.path, "--json").stdout)
    assert data["agents_needed"][1][9] is None and "no handle time" in data["staffing_note"]
    given = json.loads(run("peaks", intervals_plan.path, "--json", "--aht", "300").stdout)
    assert given["aht_given_seconds"] == 300 and given["staffing_note"] is None
    assert given["agents_needed"][0][9] == agents_needed(100, 300, 3600).agents
    refused = run("peaks", intervals_plan.path, "--aht", "-5")
    assert refused.returncode != 0 and "seconds above 0" in refused.stderr


def test_a_given_handle_time_stands_for_the_data_s_own(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        own = peaks(plan, "inbound")
        given = peaks(plan, "inbound", aht=1200)
    d, h = own.peak
    assert own.aht_given is None and not own.handle_time_missing and own.staffing_note is None
    assert given.agents[d, h] == agents_needed(own.volume[d, h], 1200, 3600).agents
    assert given.agents[d, h] > own.agents[d, h]


def test_hours_without_handle_time_take_the_others_average() -> None:
    calls = np.array([[10.0, 30.0, 0.0, 5.0]])
    aht = np.array([[200.0, 100.0, np.nan, 0.0]])
    result = handle_times(calls, aht)
    assert not result.missing
    assert result.seconds[0, 3] == pytest.approx((200 * 10 + 100 * 30) / 40)
    assert math.isnan(result.seconds[0, 2]) and result.seconds[0, 0] == 200
    assert result.note is not None and result.note.startswith("1 of 3 hours")
    none = handle_times(calls, np.zeros_like(aht), what="calls")
    assert none.missing and none.note is not None and none.note.startswith("The calls have no")
    assert np.isnan(none.seconds).all()
    assert handle_times(calls, aht, 90).seconds[0, 1] == 90
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(UserError, match="seconds above 0"):
            handle_times(calls, aht, bad)


def _peaks_sheet(plan: PlanFile):
    book = Book(title="t", plan_name="p", currency_code="GBP", author="a")
    write_peaks(book, plan)
    ws = book.wb["Peaks"]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_workbook_leaves_days_without_data_blank(demo_path: Path,
                                                 intervals_plan: PlanFile) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        rows = _peaks_sheet(plan)
    sundays = [row for row in rows if row[0] == "Sun"]
    mondays = [row for row in rows if row[0] == "Mon"]
    assert len(sundays) == 3  # calls, conversion, agents
    assert all(v is None for row in sundays for v in row[1:])
    assert all(isinstance(v, float) for v in mondays[0][1:] if v is not None)
    assert any(v for v in mondays[2][1:])  # agents on a day with data
    rows = _peaks_sheet(intervals_plan)
    assert any("no handle time" in str(row[0]) for row in rows[:4])
    tuesdays = [row for row in rows if row[0] == "Tue"]
    assert tuesdays[0][1:3] == [1000.0, 2000.0]
    assert tuesdays[2][1:3] == [None, None]  # no handle time: no agents, not 0
    assert all(v is None for row in rows if row[0] == "Wed" for v in row[1:])
