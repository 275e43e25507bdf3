"""The daily figures: one reader of the daily totals, one definition of hours, ISO keys and money."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplanner import daily_figures
from salesplanner.daily_figures import (
    STORED, base_totals, contracted_hours, daily_sums, data_days, in_major_units, money_scale,
    plan_currency, roster, weekly_figures,
)
from salesplanner.edits import set_field
from salesplanner.periods import time_keys
from salesplanner.storage.plan_file import PlanFile


@settings(max_examples=60, deadline=None)
@given(st.lists(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)),
                min_size=1, max_size=40))
def test_time_keys_are_the_iso_calendar(stamps: list[datetime]) -> None:
    keys = time_keys(np.array(stamps, dtype="datetime64[s]"))
    want = [(*s.isocalendar(), s.hour) for s in stamps]
    got = list(zip(*(keys[k].tolist() for k in ("iso_year", "iso_week", "weekday", "hour"))))
    assert got == want
    series = time_keys(pd.Series(pd.to_datetime(stamps)))
    assert all((series[k] == keys[k]).all() for k in keys)


def _agents(*rows: tuple[float | None, str | None, str | None]) -> pd.DataFrame:
    return pd.DataFrame({
        "weekly_hours": [np.nan if w is None else w for w, _s, _l in rows],
        "start": np.array([s or "NaT" for _w, s, _l in rows], dtype="datetime64[D]"),
        "leave": np.array([lv or "NaT" for _w, _s, lv in rows], dtype="datetime64[D]")})


def test_contracted_hours_count_the_days_employed_in_each_range() -> None:
    agents = _agents((35.0, None, None), (21.0, "2027-01-07", None),
                     (28.0, "2026-01-01", "2027-01-05"), (None, None, None))
    starts = np.array(["2027-01-04", "2027-01-11", "2027-01-04"], dtype="datetime64[D]")
    ends = np.array(["2027-01-10", "2027-01-17", "2027-01-04"], dtype="datetime64[D]")
    hours = contracted_hours(agents, starts, ends)
    assert hours == pytest.approx(np.array([
        [35.0, 35.0, 5.0],     # the whole week, and one day of it
        [12.0, 21.0, 0.0],     # from Thursday: 4 of 7 days; not yet employed on Monday
        [8.0, 0.0, 4.0],       # left on Tuesday: 2 days
        [0.0, 0.0, 0.0]]))     # no weekly hours known


@pytest.fixture
def demo(demo_path: Path):
    with PlanFile.open(demo_path) as plan:
        yield plan


def test_base_totals_agree_with_the_cached_daily_sums(demo: PlanFile) -> None:
    first, last = data_days(demo)
    start, end = first + timedelta(days=40), last - timedelta(days=20)
    totals = base_totals(demo, start, end, by_agent=True)
    daily = daily_sums(demo)
    epoch = date(1970, 1, 1)
    rows = (daily.day >= (start - epoch).days) & (daily.day <= (end - epoch).days)
    scale = money_scale(demo)
    for base in STORED:
        whole = daily.fields[base.name][rows].sum()
        if base.name == "revenue":
            whole /= scale
        centre = base_totals(demo, start, end)[base.name][0]
        assert centre == pytest.approx(whole)
        # Per agent the same sums (agent 0, calls nobody took, is only in the centre's).
        assert totals[base.name].sum() <= centre + 1e-9
    people = roster(demo)
    assert totals["agent_id"].tolist() == people.id.tolist()
    hours = contracted_hours(people, np.array([np.datetime64(start)]), np.array([np.datetime64(end)]))
    assert totals["contracted_hours"].tolist() == hours[:, 0].tolist()


def test_weekly_figures_add_up_to_the_totals_of_whole_weeks(demo: PlanFile) -> None:
    agents = roster(demo).frame()
    weekly = weekly_figures(demo, agents)
    assert len(weekly.weeks) and (weekly.weeks.astype("datetime64[D]").view("int64") % 7 == 4).all()
    inner = slice(1, len(weekly.weeks) - 1)  # whole weeks only
    start = weekly.weeks[inner][0].item()
    end = weekly.weeks[inner][-1].item() + timedelta(days=6)
    totals = base_totals(demo, start, end, by_agent=True)
    for name in ("calls", "orders", "revenue"):
        assert weekly.sums[name][:, inner].sum(axis=1) == pytest.approx(totals[name])
    assert weekly.hours[:, inner].sum(axis=1) == pytest.approx(totals["contracted_hours"])
    assert weekly.day_sums["revenue"].sum() == pytest.approx(base_totals(demo)["revenue"][0])


def test_money_is_shown_in_the_plans_currency(demo: PlanFile) -> None:
    assert plan_currency(demo).code == "GBP" and money_scale(demo) == 100
    sums = {"revenue": np.array([1234.0]), "orders": np.array([3.0])}
    assert in_major_units(sums, 100) == {"revenue": pytest.approx([12.34]), "orders": [3.0]}


def test_figures_are_read_once_per_plan_state(demo: PlanFile) -> None:
    first = daily_sums(demo)
    assert daily_sums(demo) is first and roster(demo) is roster(demo)
    set_field(demo, "agent", int(roster(demo).id[0]), "weekly_hours", 10)
    assert daily_sums(demo) is not first
    assert roster(demo).weekly_hours[0] == 10


def test_no_other_module_reads_the_daily_totals() -> None:
    """Writers (the importer, the rebuild) aside, only daily_figures reads the table."""
    package = Path(daily_figures.__file__).parent
    writers = {"daily_figures.py", "daily_stats.py", "importing/facts.py"}
    readers = sorted(
        str(p.relative_to(package)) for p in package.rglob("*.py")
        if "FROM daily_agent_stats" in p.read_text(encoding="utf-8")
        and str(p.relative_to(package)) not in writers)
    assert readers == []
