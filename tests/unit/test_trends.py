"""Trends: measures over periods and splits agree with the registry's totals."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from salesplanner.errors import UserError
from salesplanner.metrics import base_totals, measure_values, registry
from salesplanner.storage.plan_file import PlanFile
from salesplanner.analysis.trends import trend
from tests.unit.test_cli import run
from tests.unit.test_metrics import small_plan  # noqa: F401 - the shared fixture


def test_daily_revenue_and_conversion_by_hand(small_plan: PlanFile) -> None:  # noqa: F811 - the fixture imported above
    result = trend(small_plan, "revenue", by="day")
    assert result.periods[0] == date(2027, 1, 4)
    by_day = dict(zip(result.periods, result.values[0]))
    assert by_day[date(2027, 1, 4)] == 30.0 and by_day[date(2027, 1, 7)] == 50.0
    assert by_day[date(2027, 1, 8)] == 0.0  # the cancelled order
    agents = trend(small_plan, "conversion_rate", by="week", split="agent")
    assert dict(zip(agents.labels, agents.totals.tolist())) == pytest.approx(
        {"A1": 1 / 3, "A2": 1 / 2})


def test_trends_agree_with_the_registry(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        totals = measure_values(registry(plan), ["revenue", "conversion_rate", "revenue_per_hour"],
                                base_totals(plan))
        monthly = trend(plan, "revenue", by="month")
        assert np.nansum(monthly.values) == pytest.approx(totals["revenue"][0])
        assert monthly.totals[0] == pytest.approx(totals["revenue"][0])
        for split in ("team", "category", "channel"):
            parts = trend(plan, "revenue", by="quarter", split=split)
            assert parts.totals.sum() == pytest.approx(totals["revenue"][0])
        conversion = trend(plan, "conversion_rate", by="quarter")
        assert conversion.totals[0] == pytest.approx(totals["conversion_rate"][0])
        hours = trend(plan, "revenue_per_hour", by="month")
        assert hours.totals[0] == pytest.approx(totals["revenue_per_hour"][0])
        # Calls carry no product or channel: a measure of calls cannot be split so.
        with pytest.raises(UserError, match="uses calls, which are not recorded by product"):
            trend(plan, "conversion_rate", by="month", split="product")
        with pytest.raises(UserError, match="uses contracted hours, which"):
            trend(plan, "revenue_per_hour", by="month", split="channel")
        by_product = trend(plan, "average_order_value", by="month", split="product")
        assert not np.isnan(by_product.values).all()
    table = run("trend", demo_path, "--metric", "revenue", "--by", "month").stdout
    moves = table.split("competitor moves in this range")[1].splitlines()
    assert "(the latest 10 of" in moves[0] and len([m for m in moves[1:] if m.strip()]) == 10
    listed = json.loads(run("trend", demo_path, "--metric", "revenue", "--json").stdout)
    assert len(listed["competitor_moves"]) > 10


def test_trend_refusals_and_command(small_plan: PlanFile) -> None:  # noqa: F811 - the fixture imported above
    with pytest.raises(UserError, match="no measure 'profit'"):
        trend(small_plan, "profit")
    with pytest.raises(UserError, match="--by 'year'"):
        trend(small_plan, "revenue", by="year")
    path = small_plan.path
    small_plan.close()
    out = run("trend", path, "--metric", "revenue", "--by", "day", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["series"][0]["total"] == 80.0
    table = run("trend", path, "--metric", "sales", "--by", "week", "--split", "agent").stdout
    assert "A1" in table and "A2" in table
    # Periods as people name them, not as the ISO date of their first day.
    lines = run("trend", path, "--metric", "sales", "--by", "week").stdout.splitlines()
    assert lines[2].startswith("w/c 04 Jan 2027 ")
    lines = run("trend", path, "--metric", "sales", "--by", "quarter").stdout.splitlines()
    assert lines[2].startswith("2027-Q1 ")


def test_period_labels() -> None:
    from datetime import date

    from salesplanner.periods import period_label

    assert [period_label(date(2026, 1, 5), by) for by in ("day", "week", "month", "quarter")] \
        == ["Mon 05 Jan 2026", "w/c 05 Jan 2026", "Jan 2026", "2026-Q1"]
    assert period_label(date(2026, 10, 1), "quarter") == "2026-Q4"


def test_cached_figures_follow_every_change(small_plan: PlanFile, tmp_path: Path) -> None:  # noqa: F811 - the fixture imported above
    from salesplanner.importing.history import remove_import, restore_import
    from salesplanner.importing.run import import_file

    assert trend(small_plan, "revenue", by="day").totals[0] == 80.0
    more = tmp_path / "more.csv"
    more.write_text("Order ID,Date,Agent,SKU,Revenue\nS9,2027-01-05 10:00,A1,BB-1,20\n")
    batch = import_file(small_plan, more)[0].batch_id
    assert trend(small_plan, "revenue", by="day").totals[0] == 100.0
    removal = remove_import(small_plan, batch)  # within the same second
    assert trend(small_plan, "revenue", by="day").totals[0] == 80.0
    restore_import(small_plan, removal.detail)
    assert trend(small_plan, "revenue", by="day").totals[0] == 100.0


def test_mix_shares_add_up_and_other_gathers_the_rest(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        full = trend(plan, "revenue", by="month", split="product")
        top = trend(plan, "revenue", by="month", split="product", top=3)
        labels, shares = top.shares()
        assert labels == [*full.labels[:3], "Other"]
        assert np.nansum(shares, axis=0) == pytest.approx(1.0)
        assert shares[0] == pytest.approx(full.values[0] / np.nansum(full.values, axis=0))
        assert top.overall == pytest.approx(np.nansum(full.values, axis=0))
        with pytest.raises(UserError, match="is a ratio"):
            trend(plan, "conversion_rate", split="team").shares()


def test_measures_side_by_side_and_competitor_moves(small_plan: PlanFile,  # noqa: F811 - the fixture imported above
                                                    tmp_path: Path) -> None:
    from salesplanner.competitors import competitor_moves
    from salesplanner.importing.run import import_file
    from salesplanner.analysis.trends import measures_trend

    both = measures_trend(small_plan, ["callback_rate", "info_request_rate"], by="week")
    assert both.labels == ["Call-back request rate", "Information request rate"]
    assert both.totals.tolist() == pytest.approx([1 / 5, 1 / 5])
    with pytest.raises(UserError, match="share a unit"):
        measures_trend(small_plan, ["revenue", "sales"])
    source = tmp_path / "moves.csv"
    source.write_text("Date,Competitor,Activity,Impact\n"
                      "05/01/2027,Sky,cut broadband prices by 20%,High\n"
                      "20/01/2027,BT,new TV bundle,med\n"
                      "02/12/2026,EE,free roaming,\n")
    import_file(small_plan, source)
    moves = competitor_moves(small_plan, date(2027, 1, 1))
    assert [(m.competitor, m.impact_level) for m in moves] == [("Sky", "high"), ("BT", "medium")]
    assert str(moves[0]) == "05 Jan 2027 Sky: cut broadband prices by 20% (High impact)"
    path = small_plan.path
    small_plan.close()
    out = run("trend", path, "--metric", "revenue", "--by", "week", "--json")
    assert [m["competitor"] for m in json.loads(out.stdout)["competitor_moves"]] == ["Sky", "BT"]
    text = run("trend", path, "--metric", "sales", "--by", "week", "--split", "agent",
               "--share").stdout
    assert "share of each period" in text and "50.0%" in text and "Sky: cut" in text


def test_the_first_and_last_periods_partly_covered_are_flagged(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        cut = trend(plan, "revenue", "month", start=date(2026, 9, 10), end=date(2026, 12, 20))
        whole = trend(plan, "revenue", "month", start=date(2026, 9, 1), end=date(2026, 12, 31))
        days = trend(plan, "revenue", "day", start=date(2026, 9, 10), end=date(2026, 9, 20))
        head = trend(plan, "revenue", "week", start=date(2026, 9, 10), end=date(2026, 9, 27))
    assert cut.periods[0] == date(2026, 9, 1) and cut.part == [True, False, False, True]
    assert cut.as_json()["part_periods"] == ["2026-09-01", "2026-12-01"]
    assert whole.part == [] and "part_periods" not in whole.as_json()
    assert days.part == []  # a day is always whole
    # 10 Sep 2026 is a Thursday; the 27th a Sunday: only the first week is cut.
    assert head.part == [True, False, False]
