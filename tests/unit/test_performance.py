"""Monitoring: figures on a small plan by hand, RAG edges, warnings, coaching, the command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from salesplanner.analysis.coaching import add_note, notes_for, opportunities
from salesplanner.errors import UserError
from salesplanner.metrics import BUILTIN, registry
from salesplanner.analysis.early_warnings import early_warnings
from salesplanner.analysis.performance import (
    Performance, Row, performance, period_bounds, rate,
)
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from tests.unit.test_cli import run
from tests.unit.test_metrics import small_plan  # noqa: F401 - the shared fixture


def _chosen_targets(plan: PlanFile, measure: str, weekly: dict[str, float]) -> None:
    """A chosen scenario with flat weekly milestones: 13 weeks of ``weekly[agent]``."""
    from salesplanner.targets.skills import _metric_id

    with plan.connect(write=True) as conn:
        metric_id = _metric_id(conn, registry(plan)[measure])
        cursor = conn.execute(
            "INSERT INTO target_scenario (name, metric_id, quarter, team_target, status,"
            " parameters_json, created_at) VALUES ('By hand', ?, '2027-Q1', ?, 'chosen', ?,"
            " '2027-01-01 00:00:00')", (metric_id, 13 * sum(weekly.values()),
                                        json.dumps({"settings": {"measure": measure},
                                                    "summary": {}})))
        scenario = cursor.lastrowid
        for code, value in weekly.items():
            agent = conn.execute("SELECT id FROM agent WHERE code = ?", (code,)).fetchone()[0]
            conn.execute("INSERT INTO target (scenario_id, agent_id, value) VALUES (?, ?, ?)",
                         (scenario, agent, 13 * value))
            # Weeks from Monday 28 Dec 2026 (the quarter's first week starts on 1 Jan).
            for k in range(14):
                start = date(2027, 1, 1) if k == 0 else date.fromordinal(
                    date(2026, 12, 28).toordinal() + 7 * k)
                share = 4 / 7 if k == 0 else (3 / 7 if k == 13 else 1.0)
                conn.execute(
                    "INSERT INTO target_milestone (scenario_id, agent_id, kind, period_start,"
                    " period_end, value) VALUES (?, ?, 'week', ?, ?, ?)",
                    (scenario, agent, start.isoformat(), start.isoformat(), value * share))


def test_attainment_run_rate_and_rag_by_hand(small_plan: PlanFile) -> None:  # noqa: F811 - the fixture imported above
    _chosen_targets(small_plan, "sales", {"A1": 1.0, "A2": 2.0})
    result = performance(small_plan, "sales", "2027-01-04:2027-01-10")
    # The data ends on Friday 8 January: the period is measured to then, so the
    # week's milestone counts for 5 of its 7 days.
    assert result.end == date(2027, 1, 8) and "data to 08 Jan 2027" in result.notes[-1]
    rows = {r.key: r for r in result.agents}
    # A1 sold once against 5/7 of a sale; A2 once (S3 was cancelled) against 10/7.
    assert rows["A1"].actual == 1 and rows["A1"].target_to_date == pytest.approx(5 / 7)
    assert rows["A1"].attainment == pytest.approx(1.4) and rows["A1"].rag == "green"
    assert rows["A2"].attainment == pytest.approx(0.7) and rows["A2"].rag == "red"
    assert rows["A2"].variance == pytest.approx(1 - 10 / 7)
    # Run rate: 1 sale in the 5/7 of a week that holds (5/7) / 13 of the quarter's target.
    assert rows["A1"].quarter_target == 13
    assert rows["A1"].projection == pytest.approx(1 / ((5 / 7) / 13))
    assert result.centre.actual == 2 and result.centre.target_to_date == pytest.approx(15 / 7)
    assert "By hand" in result.scenario


def test_target_to_date_is_phased_by_the_days_of_each_week(small_plan: PlanFile) -> None:  # noqa: F811 - the fixture imported above
    _chosen_targets(small_plan, "sales", {"A1": 7.0, "A2": 7.0})
    result = performance(small_plan, "sales", "2027-01-04:2027-01-06")  # Mon-Wed: 3/7
    assert {r.key: r.target_to_date for r in result.agents} == pytest.approx(
        {"A1": 3.0, "A2": 3.0})


def test_rag_edges() -> None:
    measures = {m.code: m for m in BUILTIN}

    def row(actual: float, target: float) -> Row:
        return Row("agent", "A", "A", "T", actual, target, target, None, None)

    sales, handle = measures["sales"], measures["average_handle_time"]
    assert [rate(sales, row(a, 100)) for a in (89.9, 90, 99.9, 100, 130)] == \
        ["red", "amber", "amber", "green", "green"]
    assert [rate(handle, row(a, 600)) for a in (600, 620, 700)] == ["green", "amber", "red"]
    assert rate(sales, row(5, None)) is None


def test_periods() -> None:
    last = date(2027, 2, 11)
    assert period_bounds("qtd", last) == (date(2027, 1, 1), last)
    assert period_bounds("mtd", last) == (date(2027, 2, 1), last)
    assert period_bounds("wtd", last) == (date(2027, 2, 8), last)
    assert period_bounds("2027-01-04:2027-01-10", last) == (date(2027, 1, 4), date(2027, 1, 10))
    assert period_bounds("last_week", last) == (date(2027, 2, 1), date(2027, 2, 7))
    assert period_bounds("last_month", last) == (date(2027, 1, 1), date(2027, 1, 31))
    assert period_bounds("last_quarter", last) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_bounds("last_week", date(2027, 2, 7)) == (date(2027, 1, 25),
                                                             date(2027, 1, 31))
    with pytest.raises(UserError, match="FROM:TO"):
        period_bounds("last week", last)
    # Days as people type them (day first), and quarters by name.
    for typed in ("04/01/2027:10/01/2027", "4 Jan 2027:10 January 2027", "20270104:20270110"):
        assert period_bounds(typed, last) == (date(2027, 1, 4), date(2027, 1, 10)), typed
    assert period_bounds("2026-Q4", last) == (date(2026, 10, 1), date(2026, 12, 31))
    with pytest.raises(UserError, match="31/01/2027"):
        period_bounds("01/31/2027:02/28/2027", last)  # month first is not read


def test_warnings_on_constructed_series() -> None:
    measure = {m.code: m for m in BUILTIN}["sales"]
    steady = Row("agent", "A1", "A1", "T", 60, 60, 130, 130, "green",
                 [10, 11, 9, 10, 11, 9, 10, 10])
    dip = Row("agent", "A2", "A2", "T", 50, 60, 130, 108, "amber", [10, 11, 9, 10, 11, 9, 10, 4])
    result = Performance(measure, date(2027, 1, 1), date(2027, 2, 11), Quarter(2027, 1), None,
                         steady, [], [steady, dip])
    found = early_warnings(result)
    assert [(w.key, w.kind) for w in found] == [("A2", "behind"), ("A2", "unusual_poor")]
    assert "needs" in found[0].text and "below their normal" in found[1].text
    assert "unusually poor" in found[1].text
    # Far above normal is good news for sales, bad news for handle time.
    high = Row("agent", "A3", "A3", "T", 60, 60, 130, 130, "green",
               [10, 11, 9, 10, 11, 9, 10, 20])
    result.agents = [high]
    assert [w.kind for w in early_warnings(result)] == ["unusual_good"]
    result.measure = {m.code: m for m in BUILTIN}["average_handle_time"]
    assert [w.kind for w in early_warnings(result)] == ["unusual_poor"]


def test_opportunities_by_hand(small_plan: PlanFile, tmp_path: Path) -> None:  # noqa: F811 - the fixture imported above
    from salesplanner.importing.run import import_file

    skills = tmp_path / "skills.csv"
    skills.write_text("Agent,Skill,Rating\nA1,Closing,2\nA1,Questioning,4\n"
                      "A2,Closing,4\nA2,Questioning,4\n")
    import_file(small_plan, skills)
    result = performance(small_plan, "sales", "2027-01-04:2027-01-10")
    found = opportunities(small_plan, result, ["A1", "A2"])
    # The data ends on Friday 8 January, so the week is measured to then: one
    # team (none) with 5 calls in 35 * 5/7 + 21 * 2/7 = 31 hours, 2 sales, 1
    # call-back. A1: 3 calls in 25 h (0.12 an hour against 0.16), 1 sale in 3 calls
    # (33% against 40%), 1 call-back in 3 calls (33% against 20%), closing
    # rated 2 against the team's (2 + 4) / 2. A2 is ahead on every count.
    assert [(o.agent, o.kind) for o in found] == [
        ("A1", "few calls"), ("A1", "low conversion"), ("A1", "call-backs left unconverted"),
        ("A1", "weak skill")]
    assert [v for o in found for v in (o.agent_value, o.team_value)] == pytest.approx([
        3 / 25, 5 / 31, 1 / 3, 2 / 5, 1 / 3, 1 / 5, 2, 3])
    assert found[1].text == "low conversion: 33% sales per call against the team's 40%"
    assert found[3].text == ("weak skill that matters: closing rated 2 (team 3.0), "
                             "weight 14%")


def test_the_league_ranks_with_or_without_targets() -> None:
    from salesplanner.analysis.performance import league

    def row(key: str, actual: float, attainment: float | None) -> Row:
        target = None if attainment is None else actual / attainment
        return Row("agent", key, key, "T", actual, target, None, None, None, [])

    measures = {m.code: m for m in BUILTIN}
    rows = [row("AG10", 5, None), row("AG2", 5, None), row("AG3", 9, 0.8),
            row("AG4", 1, 1.2), row("AG5", 7, None), row("AG6", float("nan"), None)]
    assert [r.key for r in league(rows, measures["sales"])] == [
        "AG4", "AG3", "AG5", "AG2", "AG10", "AG6"]
    # Handle time: lower is better, by attainment and by the actual.
    assert [r.key for r in league(rows, measures["average_handle_time"])] == [
        "AG3", "AG4", "AG2", "AG10", "AG5", "AG6"]


def test_demo_performance_opportunities_and_notes(demo_path: Path) -> None:
    from salesplanner.targets import scenarios
    from salesplanner.targets.proposal import TargetSettings, propose

    with PlanFile.open(demo_path) as plan:
        saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
            measure="sales", growth=0.1, guardrails=(-0.5, 1.0))))
        scenarios.set_status(plan, saved.detail["scenario_id"], "published")
        result = performance(plan, "sales", "qtd")
        assert result.scenario and result.agents and result.teams
        assert sum(r.target_to_date for r in result.agents if r.target_to_date is not None) \
            == pytest.approx(result.centre.target_to_date)
        behind = [r.key for r in result.agents if r.attainment and r.attainment < 1]
        reasons = opportunities(plan, result, behind)
        assert all(o.agent in behind and o.text for o in reasons)
        # No weights saved: a weak skill is weighed as the targets in force estimated.
        from salesplanner.skill_matrix import skill_matrix

        weights = scenarios.load_scenario(plan, saved.detail["scenario_id"]).summary[
            "skill_weights"]
        matrix = skill_matrix(plan)
        weak = [o for o in reasons if o.kind == "weak skill"]
        assert weak and len(set(weights.values())) > 1
        for o in weak:
            code = next(c for c, n in zip(matrix.skills, matrix.skill_names)
                        if f" {n.lower()} rated" in o.text)
            assert f"weight {weights[code] / sum(weights.values()):.0%}" in o.text
        add_note(plan, behind[0], "rushes the close", source="peer", observer="Sam",
                 follow_up="role-play")
        assert notes_for(plan, behind[0])[0].note == "rushes the close"
        with pytest.raises(UserError, match="needs some text"):
            add_note(plan, behind[0], " ")
    out = run("performance", demo_path, "--measure", "sales", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["agents"] and "warnings" in data and "opportunities" in data
    table = run("performance", demo_path, "--measure", "sales", "--level", "team").stdout
    assert "Whole centre" in table and "RAG" in table
    bad = run("performance", demo_path, "--period", "soon")
    assert bad.returncode == 2 and "qtd, mtd, wtd, last_quarter" in bad.stderr
    # One team: its figures where the centre's were, its agents, its warnings.
    team = json.loads(json.dumps(result.teams[0].as_json()))
    one = json.loads(run("performance", demo_path, "--measure", "sales", "--team",
                         team["name"], "--json").stdout)
    assert one["centre"] == team
    assert {a["team"] for a in one["agents"]} == {team["name"]}
    assert [w for w in data["warnings"] if w["team"] == team["name"]] == one["warnings"]
    assert len(one["agents"]) < len(data["agents"])
    table = run("performance", demo_path, "--measure", "sales", "--team", team["name"],
                "--level", "team").stdout.split("\n\n")[0]
    assert table.count(team["name"]) == 1  # the team's row once, ranked 1
    assert table.splitlines()[-1].lstrip().startswith(f"1 {team['name']}")
    unknown = run("performance", demo_path, "--team", "Nobody")
    assert unknown.returncode != 0 and "there is no team 'Nobody'" in unknown.stderr


def test_benchmarks_against_the_team_last_quarter_and_last_year(demo_path: Path) -> None:
    from salesplanner.metrics import base_totals, measure_values

    with PlanFile.open(demo_path, read_only=True) as plan:
        result = performance(plan, "sales", "2026-12-01:2026-12-31")
        row = next(r for r in result.agents if r.actual > 0)
        september = measure_values(registry(plan), ["sales"], base_totals(
            plan, date(2026, 9, 1), date(2026, 9, 30), by_agent=True))["sales"]
        with plan.connect() as conn:
            codes = [c for (c,) in conn.execute("SELECT code FROM agent ORDER BY id")]
        assert row.benchmarks["last_quarter"] == september[codes.index(row.key)]
        # The demo starts in August 2026: no last year to compare with, not £0.00.
        assert row.benchmarks["last_year"] is None
        team = next(t for t in result.teams if t.name == row.team)
        members = [r for r in result.agents if r.team == row.team]
        # Per agent who worked in the period: the team's sales over a whole number of them.
        agents = team.actual / row.benchmarks["team_average"]
        assert agents == pytest.approx(round(agents)) and 1 <= round(agents) <= len(members)
        assert row.benchmarks["top_quartile"] >= np.median([r.actual for r in result.agents])


def test_rephase_mid_quarter_is_recorded_and_undone(demo_path: Path) -> None:
    from salesplanner.targets import scenarios
    from salesplanner.targets.proposal import TargetSettings, propose

    with PlanFile.open(demo_path) as plan:
        saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
            measure="sales", growth=0.1, guardrails=(-0.5, 1.0))))
        scenario_id = saved.detail["scenario_id"]
        before = scenarios.load_scenario(plan, scenario_id)
        with pytest.raises(UserError, match="needs a reason"):
            scenarios.rephase(plan, scenario_id, "")
        scenarios.rephase(plan, scenario_id, "campaign moved to March")
        after = scenarios.load_scenario(plan, scenario_id)
        result = performance(plan, "sales", "qtd", scenario_id)
        done = {r.key: r.actual for r in result.agents}
        for old, new in zip(before.targets, after.targets):
            assert new.target == old.target  # the quarter's target holds
            left = [v for d, v in new.weekly if d > result.end]
            assert sum(left) == pytest.approx(max(old.target - done.get(old.code, 0), 0))
            past = [v for d, v in new.weekly if d <= result.end]
            assert past == [v for d, v in old.weekly if d <= result.end]
        assert scenarios.history_of(plan, scenario_id)[-1]["reason"] == "campaign moved to March"
        scenarios.undo_change(plan)
        assert [t.weekly for t in scenarios.load_scenario(plan, scenario_id).targets] == \
            [t.weekly for t in before.targets]


def test_an_agents_days_count_hours_only_while_employed(demo_path: Path) -> None:
    """The drill-down to days gives no contracted hours before an agent started
    or after they left, as the table does (it gave weekly/7 every day)."""
    import sqlite3

    from salesplanner.analysis.performance import daily_values
    from salesplanner.daily_figures import data_days

    with sqlite3.connect(demo_path) as conn:
        code, weekly = conn.execute(
            "SELECT code, weekly_hours FROM agent WHERE weekly_hours > 0 ORDER BY id").fetchone()
    with PlanFile.open(demo_path) as plan:
        _first, last = data_days(plan)
    start, end = date.fromordinal(last.toordinal() - 13), last
    joined, left = date.fromordinal(start.toordinal() + 3), date.fromordinal(end.toordinal() - 2)
    with sqlite3.connect(demo_path) as conn:
        conn.execute("UPDATE agent SET start_date = ?, leave_date = ? WHERE code = ?",
                     (joined.isoformat(), left.isoformat(), code))
    with PlanFile.open(demo_path) as plan:
        revenue = dict(daily_values(plan, "revenue", code, start, end))
        per_hour = dict(daily_values(plan, "revenue_per_hour", code, start, end))
    assert len(per_hour) == 14 and sum(revenue.values()) > 0
    for day, value in per_hour.items():
        if joined <= day <= left:
            assert value == pytest.approx(revenue[day] / (weekly / 7)), day
        else:  # no contracted hours: no rate (it was revenue over weekly/7)
            assert not np.isfinite(value) or (value == 0 and revenue[day] == 0), day


def test_leavers_no_team_and_benchmarks_before_the_data_are_blank(demo_path: Path) -> None:
    from salesplanner.analysis.performance import NO_TEAM

    with PlanFile.open(demo_path) as plan:
        with plan.connect(write=True) as conn:
            codes = [c for (c,) in conn.execute("SELECT code FROM agent ORDER BY id")]
            conn.execute("UPDATE agent SET team_id = NULL WHERE code = ?", (codes[0],))
    with PlanFile.open(demo_path, read_only=True) as plan:
        result = performance(plan, "revenue", "2026-12-01:2026-12-31")
    loner = next(r for r in result.agents if r.key == codes[0])
    assert loner.team == NO_TEAM and NO_TEAM in [t.name for t in result.teams]
    assert result.of_team(NO_TEAM).agents == [loner]
    # A leaver: no target, no record in the period; an agent who sold is not one.
    for row in result.agents:
        assert row.leaver == (row.target_to_date is None and row.actual == 0), row.key
    assert not loner.leaver
    # Last quarter (September) is inside the data; last year (December 2025) is not.
    assert all(r.benchmarks["last_year"] is None for r in [*result.agents, *result.teams,
                                                            result.centre])
    assert result.centre.benchmarks["last_quarter"] is not None
    printed = run("performance", demo_path, "--period", "2026-12-01:2026-12-31")
    assert printed.returncode == 0, printed.stderr
    assert f"{codes[0]} (no team)" in printed.stdout and "((none))" not in printed.stdout


def test_an_agent_without_any_record_in_the_period_is_a_leaver() -> None:
    gone = Row("agent", "AG9", "Gone", "A", 0.0, None, None, None, None, active=False)
    assert gone.leaver
    assert not Row("agent", "AG9", "Gone", "A", 0.0, 5.0, 10.0, None, None,
                   active=False).leaver  # a target still to meet: not gone
    assert not Row("team", "A", "A", "A", 0.0, None, None, None, None, active=False).leaver
