"""The metrics registry: built-in measures on a small plan computed by hand, own measures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from salesplanner.errors import UserError
from salesplanner.formula import FormulaError
from salesplanner.importing.run import import_file
from salesplanner.metrics import BUILTIN, add_metric, base_totals, measure_values, registry, units_of
from salesplanner.storage.plan_file import PlanFile
from tests.unit.test_cli import run

# Two agents over one week (7 days): A1 works 35 h a week, A2 joined mid-week (21 h a week).
AGENTS = "Agent ID,Full Name,Start Date,Contracted Hours\nA1,Ann,2026-01-01,35\nA2,Bo,2027-01-07,21\n"
CALLS = ("Call ID,Call Start,Agent,Direction,Duration,Outcome\n"
         "C1,2027-01-04 09:00,A1,In,300,Sale\nC2,2027-01-04 10:00,A1,In,200,No sale\n"
         "C3,2027-01-05 11:00,A1,Out,100,Call back\nC4,2027-01-07 09:00,A2,In,400,Sale\n"
         "C5,2027-01-08 09:00,A2,In,200,Information\n")
SALES = ("Order ID,Date,Agent,SKU,Revenue,Status\n"
         "S1,2027-01-04 09:05,A1,BB-1,30.00,Completed\nS2,2027-01-07 09:05,A2,BB-1,50.00,Completed\n"
         "S3,2027-01-08 12:00,A2,TV-1,99.00,Cancelled\n")


@pytest.fixture
def small_plan(empty_plan: PlanFile, tmp_path: Path) -> PlanFile:
    for name, text in (("agents.csv", AGENTS), ("calls.csv", CALLS), ("sales.csv", SALES)):
        path = tmp_path / name
        path.write_text(text)
        import_file(empty_plan, path)
    return empty_plan


def test_every_builtin_measure_by_hand(small_plan: PlanFile) -> None:
    week = (date(2027, 1, 4), date(2027, 1, 10))
    totals = base_totals(small_plan, *week)
    values = {k: float(v[0]) for k, v in
              measure_values(registry(small_plan), [m.code for m in BUILTIN], totals).items()}
    hours = 35 + 21 * 4 / 7  # A2 from Thursday 7 January: 4 of the 7 days
    assert values == pytest.approx({
        "calls_handled": 5, "sales": 2, "revenue": 80.0,
        "conversion_rate": 2 / 5, "average_order_value": 40.0,
        "revenue_per_hour": 80.0 / hours, "upsell_rate": 0.0, "crosssell_rate": 0.0,
        "callback_rate": 1 / 5, "info_request_rate": 1 / 5,
        "average_handle_time": 1200 / 5})


def test_per_agent_ratios_come_from_their_own_sums(small_plan: PlanFile) -> None:
    totals = base_totals(small_plan, date(2027, 1, 4), date(2027, 1, 10), by_agent=True)
    values = measure_values(registry(small_plan), ["conversion_rate", "revenue"], totals)
    assert values["conversion_rate"].tolist() == pytest.approx([1 / 3, 1 / 2])
    assert values["revenue"].tolist() == [30.0, 50.0]


def test_builtin_units_match_their_formulas() -> None:
    units = units_of({m.code: m for m in BUILTIN})
    assert {m.code: units[m.code].kind for m in BUILTIN} == {m.code: m.unit for m in BUILTIN}


def test_own_measures_are_checked_stored_and_can_build_on_others(small_plan: PlanFile) -> None:
    add_metric(small_plan, "revenue_per_call", "revenue / calls_handled")
    add_metric(small_plan, "big_calls", "revenue_per_call * 2", unit="money",
               direction="higher")
    measures = registry(small_plan)
    assert measures["revenue_per_call"].unit == "money"
    assert measures["big_calls"].additive is False
    values = measure_values(measures, ["big_calls"], base_totals(small_plan))
    assert values["big_calls"][0] == pytest.approx(2 * 80.0 / 5)
    with pytest.raises(FormulaError, match="combines money with count"):
        add_metric(small_plan, "bad", "revenue + calls")
    with pytest.raises(FormulaError, match="gives money"):
        add_metric(small_plan, "wrong_unit", "revenue / orders", unit="percent")
    with pytest.raises(UserError, match="built-in"):
        add_metric(small_plan, "sales", "orders * 2")
    with pytest.raises(FormulaError, match="cannot be built on itself"):
        add_metric(small_plan, "loop", "loop + 1")


def test_metrics_command(small_plan: PlanFile) -> None:
    path = small_plan.path
    small_plan.close()
    listed = run("metrics", path, "--json")
    assert listed.returncode == 0, listed.stderr
    by_code = {m["code"]: m for m in json.loads(listed.stdout)}
    assert by_code["conversion_rate"]["value"] == pytest.approx(2 / 5)
    added = run("metrics", path, "--add", "revenue_per_call=revenue / calls")
    assert added.returncode == 0 and "saved revenue_per_call" in added.stdout
    refused = run("metrics", path, "--add", "oops=revenue +")
    assert refused.returncode == 2 and "found the end" in refused.stderr
    table = run("metrics", path).stdout
    assert "revenue_per_call" in table and "(own)" in table
    assert "40.0%" in table  # conversion rate, 2 sales in 5 calls


def test_removing_own_measures(small_plan: PlanFile) -> None:
    from salesplanner.metrics import remove_metric

    add_metric(small_plan, "per_call", "revenue / calls")
    add_metric(small_plan, "double", "per_call * 2")
    with pytest.raises(UserError, match="used by double"):
        remove_metric(small_plan, "per_call")
    remove_metric(small_plan, "double")
    result = remove_metric(small_plan, "per_call")
    assert result.detail["definition"].formula == "revenue / calls"
    assert "per_call" not in registry(small_plan)
    with pytest.raises(UserError, match="not one of the plan's own"):
        remove_metric(small_plan, "revenue")


def test_thresholds_rate_values_in_each_direction(small_plan: PlanFile) -> None:
    from salesplanner.metrics import parse_threshold, rag, set_thresholds

    assert parse_threshold("20%", "percent") == 0.2 == parse_threshold("0.2", "percent")
    assert parse_threshold("25", "percent") == 0.25 and parse_threshold("", "money") is None
    assert parse_threshold("£1,200", "money") == 1200.0
    with pytest.raises(UserError, match="not a number"):
        parse_threshold("lots", "count")
    set_thresholds(small_plan, "conversion_rate", 0.2, 0.3)
    set_thresholds(small_plan, "average_handle_time", 600, 300)
    measures = registry(small_plan)
    conversion, handle = measures["conversion_rate"], measures["average_handle_time"]
    assert [rag(conversion, v) for v in (0.19, 0.2, 0.29, 0.3)] == \
        ["red", "amber", "amber", "green"]
    assert [rag(handle, v) for v in (601, 600, 301, 300)] == ["red", "amber", "amber", "green"]
    assert rag(measures["revenue"], 10.0) is None and rag(conversion, float("nan")) is None
    with pytest.raises(UserError, match="lower is better"):
        set_thresholds(small_plan, "average_handle_time", 300, 600)
    set_thresholds(small_plan, "conversion_rate", None, 0.3)
    assert rag(registry(small_plan)["conversion_rate"], 0.01) == "amber"
    with small_plan.connect() as conn:
        assert conn.execute("SELECT count(*) FROM audit_event WHERE action = 'set_thresholds'"
                            ).fetchone()[0] == 3
    path = small_plan.path
    small_plan.close()
    out = run("metrics", path, "--thresholds", "callback_rate=30%:10%")
    assert out.returncode == 0, out.stderr
    assert "red 30.0%, green 10.0%" in out.stdout and "green " in out.stdout
    bad = run("metrics", path, "--thresholds", "callback_rate=10%")
    assert bad.returncode == 2 and "MEASURE=RED:GREEN" in bad.stderr
