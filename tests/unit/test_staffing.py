"""Erlang C against published worked examples, and the peaks built on it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from salesplanner.errors import UserError
from salesplanner.importing.run import import_file
from salesplanner.analysis.peaks import peaks
from salesplanner.analysis.staffing import (
    agents_needed, average_speed_of_answer, erlang_c, service_level,
)
from salesplanner.storage.plan_file import PlanFile
from tests.unit.test_cli import run
from tests.unit.test_metrics import small_plan  # noqa: F401 - the shared fixture


def test_erlang_c_closed_form() -> None:
    assert erlang_c(2, 3) == pytest.approx(4 / 9)  # (8/6 * 3) / (1 + 2 + 2 + 4)
    assert erlang_c(0, 3) == 0.0 and erlang_c(5, 5) == 1.0


def test_call_centre_helper_worked_example() -> None:
    """100 calls in 30 minutes, AHT 180 s, 80% in 20 s: 10 Erlangs, 14 agents
    (Call Centre Helper, "Erlang C formula - made simple", P(wait) 68.21% at 11)."""
    assert erlang_c(10, 11) == pytest.approx(0.6821, abs=5e-5)
    assert erlang_c(10, 12) == pytest.approx(0.4494, abs=5e-5)
    assert service_level(10, 11, 180, 20) == pytest.approx(0.3897, abs=5e-4)
    staffing = agents_needed(100, 180, 1800, 0.8, 20)
    assert (staffing.traffic, staffing.agents) == (10.0, 14)
    assert service_level(10, 13, 180, 20) < 0.8 <= staffing.service_level


def test_erlang_c_formula_page_example() -> None:
    """360 calls per half hour, 4 minutes each, 55 agents, 15 s target:
    48 Erlangs, P(wait) 0.2387, ASA about 8.2 s, service level about 85%."""
    assert erlang_c(48, 55) == pytest.approx(0.2387, abs=5e-5)
    assert average_speed_of_answer(48, 55, 240) == pytest.approx(8.18, abs=0.01)
    assert service_level(48, 55, 240, 15) == pytest.approx(0.8459, abs=5e-4)


def test_large_centres_stay_exact() -> None:
    staffing = agents_needed(3000, 300, 1800, 0.9, 10)  # 500 Erlangs
    assert staffing.agents > 500 and 0.9 <= staffing.service_level < 0.95
    with pytest.raises(UserError, match="between 0 and 1"):
        agents_needed(10, 100, target=80)


def test_demo_peaks_and_outbound_windows(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        inbound = peaks(plan, "inbound")
        outbound = peaks(plan, "outbound")
    assert inbound.source == "calls"
    day, hour = inbound.peak
    assert day < 6 and 10 <= hour <= 15  # a weekday, late morning or early afternoon
    assert inbound.volume[6].sum() == 0  # the demo centre is closed on Sundays
    assert inbound.agents[inbound.peak] == inbound.agents.max()
    # Outbound dialling sits in the inbound troughs (a demo pattern the analysis must find).
    windows = np.zeros((7, 24), dtype=bool)
    for d, h in inbound.outbound_windows:
        windows[d, h] = True
    share = outbound.volume[windows].sum() / outbound.volume.sum()
    assert share > windows.sum() / (inbound.volume > 0).sum()
    out = run("peaks", demo_path, "--direction", "outbound").stdout
    assert "Average outbound calls per hour" in out and "to answer 80%" not in out
    assert "for calls that wait to be answered" in out


def test_interval_statistics_when_there_are_no_calls(empty_plan: PlanFile,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "iv.csv"
    path.write_text("Interval,Queue,Offered,Handled,AHT\n"
                    "2027-01-04 09:00,Sales,40,40,180\n2027-01-04 09:30,Sales,60,60,180\n"
                    "2027-01-04 10:00,Sales,10,10,180\n")
    import_file(empty_plan, path)
    result = peaks(empty_plan)
    assert result.source == "interval statistics"
    assert result.volume[0, 9] == 100 and result.peak == (0, 9)
    assert result.agents[0, 9] == agents_needed(100, 180, 3600).agents
    out = run("peaks", empty_plan.path, "--json", "--service-level", "90%")
    assert json.loads(out.stdout)["peak"] == {"weekday": "Mon", "hour": 9, "calls": 100.0}
    empty = PlanFile.create(tmp_path / "e.salesplan", name="E", quarter="2027-Q1")
    with pytest.raises(UserError, match="no calls or interval statistics"):
        peaks(empty)
    empty.close()


def test_agent_hours_count_each_agent_once_per_hour_of_each_week(
        small_plan: PlanFile) -> None:  # noqa: F811 - the fixture imported above
    from salesplanner.analysis.peaks import _agent_hours

    with small_plan.connect(write=True) as conn:
        # A second call by A1 in the same hour, and one a week later at the same time.
        conn.execute("INSERT INTO call (ts, iso_year, iso_week, weekday, hour, agent_id,"
                     " direction, duration_s, outcome) SELECT '2027-01-04 09:30', 2027, 1, 1, 9,"
                     " agent_id, 'inbound', 60, 'no_sale' FROM call WHERE call_ref = 'C1'")
        conn.execute("INSERT INTO call (ts, iso_year, iso_week, weekday, hour, agent_id,"
                     " direction, duration_s, outcome) SELECT '2027-01-11 09:10', 2027, 2, 1, 9,"
                     " agent_id, 'inbound', 60, 'no_sale' FROM call WHERE call_ref = 'C1'")
        hours = _agent_hours(conn)
    expected = np.zeros((7, 24))
    expected[0, 9] = 2  # Monday 9:00: A1 in week 1 (twice, counted once) and in week 2
    expected[0, 10] = 1
    expected[1, 11] = 1
    expected[3, 9] = 1  # Thursday: A2
    expected[4, 9] = 1
    assert hours.tolist() == expected.tolist()


@pytest.mark.parametrize("aht", [1e18, float("inf"), float("nan")])
def test_absurd_traffic_is_refused_at_once(aht: float) -> None:
    """A call of 10^18 seconds (a bad value in a plan) looped the recursion for ever."""
    import time

    started = time.monotonic()
    with pytest.raises(UserError, match="Erlangs of work"):
        agents_needed(30, aht, 3600)
    assert time.monotonic() - started < 1
