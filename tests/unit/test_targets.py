"""The target planner: allocation properties, a plan computed by hand, scenarios, the command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplanner.errors import UserError
from salesplanner.metrics import BUILTIN, registry
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets import scenarios
from salesplanner.targets.allocation import allocate, round_to_total
from salesplanner.targets.capacity import NewStarter, ramp_factor
from salesplanner.targets.history import FIELDS, History
from salesplanner.targets.proposal import TargetSettings, compute, propose
from tests.unit.test_cli import run

# -- allocation ---------------------------------------------------------------------------

amounts = st.floats(min_value=0.0, max_value=1e5, allow_nan=False)


@st.composite
def shares(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    base = np.array(draw(st.lists(amounts, min_size=n, max_size=n)))
    weight = np.array(draw(st.lists(st.floats(0.0, 10.0), min_size=n, max_size=n)))
    lo = draw(st.floats(-0.9, 0.0))
    hi = draw(st.floats(0.0, 2.0))
    lower, upper = base * (1 + lo), base * (1 + hi)
    total = draw(st.floats(float(lower.sum()), float(upper.sum())))
    return total, base, weight, lower, upper


@settings(max_examples=200, deadline=None)
@given(shares())
def test_allocation_adds_up_and_keeps_to_the_limits(case) -> None:
    total, base, weight, lower, upper = case
    out = allocate(total, base, weight, lower, upper)
    assert out.sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert (out >= lower - 1e-6).all() and (out <= upper + 1e-6).all()
    assert np.array_equal(out, allocate(total, base, weight, lower, upper))  # deterministic


@settings(max_examples=100, deadline=None)
@given(shares(), st.integers(0, 11), st.floats(0.01, 5.0))
def test_more_weight_never_gets_less(case, pick: int, extra: float) -> None:
    total, base, weight, lower, upper = case
    i = pick % len(base)
    if not (weight > 0).any():
        return  # the proportional fallback: weights play no part
    before = allocate(total, base, weight, lower, upper)
    more = weight.copy()
    more[i] += extra
    after = allocate(total, base, more, lower, upper)
    if total >= base.sum():  # sharing out stretch: more headroom, at least as much
        assert after[i] >= before[i] - 1e-6 * max(1.0, abs(total))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1e5), min_size=1, max_size=30), st.sampled_from([1.0, 0.01]))
def test_rounding_keeps_the_total_exactly(values: list[float], step: float) -> None:
    values = np.array(values)
    total = round(values.sum() / step) * step
    out = round_to_total(values, total, step)
    assert round(out.sum() / step) == round(total / step)
    assert np.allclose(out / step, np.round(out / step))
    assert (np.abs(out - values) <= step * 1.0001 + 1e-9).all()


def test_limits_that_cannot_hold_the_total_are_refused_with_the_range() -> None:
    with pytest.raises(UserError, match="allow 90.00 to 130.00"):
        allocate(200.0, np.array([100.0]), np.array([1.0]), np.array([90.0]),
                 np.array([130.0]))


def test_ramp_curve() -> None:
    assert ramp_factor(np.array([0, 40, 70, 100, 400]), (0.5, 0.7, 0.85)).tolist() == \
        [0.5, 0.7, 0.85, 1.0, 1.0]
    assert ramp_factor(np.array([-3]), (0.5,)).tolist() == [0.0]  # not started yet


# -- a plan computed by hand ----------------------------------------------------------------

def _history(weekly_revenue: tuple[float, ...], weeks: int = 10,
             ratings: list[list[float]] | None = None) -> History:
    """Agents with the same revenue every week for ``weeks`` weeks before 2027."""
    n = len(weekly_revenue)
    agents = pd.DataFrame({
        "id": range(1, n + 1), "code": [f"A{i + 1}" for i in range(n)],
        "name": [f"Agent {i + 1}" for i in range(n)], "team": ["Sales"] * n,
        "weekly_hours": [35.0] * n,
        "start": np.array(["2020-01-01"] * n, dtype="datetime64[D]"),
        "leave": np.array(["NaT"] * n, dtype="datetime64[D]"), "active": [1] * n})
    monday = np.datetime64("2026-12-28", "D") - np.timedelta64(7 * weeks, "D")
    week_starts = monday + np.arange(weeks) * np.timedelta64(7, "D")
    sums = {f: np.zeros((n, weeks)) for f in FIELDS}
    sums["revenue"] = np.array(weekly_revenue, float)[:, None] * np.ones(weeks)
    sums["orders"] = sums["revenue"] / 100
    days = week_starts[0] + np.arange(weeks * 7) * np.timedelta64(1, "D")
    day_sums = {f: np.ones(len(days)) for f in FIELDS}
    skills = ["closing", "questioning"]
    matrix = np.array(ratings, float) if ratings else np.full((n, 2), 3.0)
    return History(agents, week_starts, sums, np.full((n, weeks), 35.0), days, day_sums,
                   skills, ["Closing", "Questioning"], matrix)


def _compute(history: History, **overrides) -> object:
    plan_measures = {m.code: m for m in BUILTIN}
    chosen = TargetSettings(**{"measure": "revenue", "team_target": 42_000.0,
                               "prior_weeks": 0.0, "skill_influence": 0.0, **overrides})
    result = compute(history, plan_measures, plan_measures[chosen.measure], Quarter(2027, 1),
                     chosen, None, pd.DataFrame(columns=["weekly_hours"]), None, None)
    from salesplanner.targets.likelihood import add_likelihood
    from salesplanner.targets.smart import add_milestones_and_smart

    add_likelihood(result, history)
    add_milestones_and_smart(result, history)
    return result


def test_baselines_and_stretch_by_hand() -> None:
    result = _compute(_history((1000.0, 2000.0)))
    # Rate per productive hour: 1000 / (35 h x 0.7); Q1 2027 has 90 days: 35 x 90/7 x 0.7 h.
    hours = 35 * 90 / 7 * 0.7
    assert [a.planned_hours for a in result.agents] == pytest.approx([hours, hours])
    expected = [1000 / 24.5 * hours, 2000 / 24.5 * hours]
    assert [a.baseline for a in result.agents] == pytest.approx(expected)
    # Too few agents for a top quartile: the ceiling is the team rate + 20% (1,800 a week),
    # which A2 (2,000) is past already, so A2 keeps their baseline and A1 takes the whole
    # stretch: 42,000 - 38,571.43 = 3,428.57; rounded by largest remainder.
    assert [a.target for a in result.agents] == [16_286.0, 25_714.0]
    assert result.total == 42_000.0
    assert result.agents[1].stretch == pytest.approx(25_714 - expected[1])
    first = result.agents[0]
    assert first.smart["S"][0] and first.smart["M"][0] and first.smart["T"][0]
    assert sum(v for _d, v in first.monthly) == pytest.approx(16_286.0)
    assert sum(v for _d, v in first.weekly) == pytest.approx(16_286.0)
    assert [d for d, _v in first.monthly] == [date(2027, 1, 1), date(2027, 2, 1),
                                              date(2027, 3, 1)]
    assert first.weekly[0][0] == date(2027, 1, 1)  # the first week starts with the quarter
    # Every week alike: no chance to miss or beat by more than the stretch.
    assert first.likelihood == 0.0


def _seasonal_history(weeks: int) -> object:
    """One agent, £1,000 a week; 1.5x in 2026-Q1's weeks; 1.2x from mid-November
    to Christmas in both years; the last week is the one of 21 Dec 2026."""
    history = _history((1000.0,), weeks=weeks)
    starts = history.weeks
    busy = (starts >= np.datetime64("2026-01-05")) & (starts <= np.datetime64("2026-03-23"))
    festive = ((starts >= np.datetime64("2025-11-17")) & (starts <= np.datetime64("2025-12-22"))
               | (starts >= np.datetime64("2026-11-16")) & (starts <= np.datetime64("2026-12-21")))
    history.sums["revenue"][0] *= np.where(busy, 1.5, np.where(festive, 1.2, 1.0))
    return history


def test_seasonality_from_a_year_earlier_window_the_data_only_partly_covers() -> None:
    # The 26-week window before 2027-Q1 (from 29 Jun 2026) a year earlier: the data
    # (66 weeks, from 22 Sep 2025) covers its last 14 weeks, over half of it.
    history = _seasonal_history(66)
    result = _compute(history, team_target=None, guardrails=(-0.9, 3.0))
    # Last Q1 at 1.5 against those 14 weeks (six festive at 1.2); this year's same
    # 14 weeks against the whole window (twenty plain and six festive): 1.5 / 1.046.
    whole = (20 + 6 * 1.2) / 26
    assert result.seasonality == pytest.approx(1.5 / whole)
    assert any("14 weeks from 22 Sep 2025" in n for n in result.notes)
    # Data from a Wednesday: that first week is not a whole week to compare with.
    history.days = history.days[2:]
    history.day_sums = {name: values[2:] for name, values in history.day_sums.items()}
    later = _compute(history, team_target=None, guardrails=(-0.9, 3.0))
    assert later.seasonality == pytest.approx(1.5 / whole)
    assert any("13 weeks from 29 Sep 2025" in n for n in later.notes)


def test_short_histories_take_last_years_quarter_and_say_so() -> None:
    # 58 weeks (from 17 Nov 2025): only six weeks a year before the window, too few
    # to compare like with like; last year's Q1 against the window is what is left.
    result = _compute(_seasonal_history(58), team_target=None, guardrails=(-0.9, 3.0))
    assert result.seasonality == pytest.approx(1.5 / ((20 + 6 * 1.2) / 26))
    assert any("2026-Q1's rate against the history window's" in n for n in result.notes)
    # Under two years the team target is last year's quarter: twelve whole weeks at
    # £1,500, scaled to the 90 days of 2027-Q1.
    assert result.target_source == "2026-Q1 actual"
    assert result.team_target == round(1500 * 12 * (90 / 7) / 12)
    grown = _compute(_seasonal_history(58), team_target=None, growth=0.025,
                     guardrails=(-0.9, 3.0))
    assert grown.target_source == "2026-Q1 actual +2.5%"
    assert grown.team_target == round(1500 * 90 / 7 * 1.025)
    # Data from March 2026 on: last year's Q1 is not there, no seasonality, and the
    # team target is the sum of the agents' baselines.
    short = _compute(_history((1000.0,), weeks=40), team_target=None, guardrails=(-0.9, 3.0))
    assert short.seasonality == 1.0 and any("no seasonality" in n for n in short.notes)
    assert short.target_source == "the sum of baselines"


def test_short_history_is_pulled_toward_the_team() -> None:
    lone = _compute(_history((1000.0, 3000.0), weeks=2), prior_weeks=8.0,
                    guardrails=(-0.9, 3.0))
    team_rate = 4000 / (2 * 24.5)
    own = 1000 / 24.5
    blended = (2 * own + 8 * team_rate) / 10
    assert lone.agents[0].blended_rate == pytest.approx(blended)


def test_skills_ahead_of_results_take_more_stretch() -> None:
    ratings = [[5, 5], [1, 1], [3, 3], [2, 4], [4, 2], [3, 4]]
    history = _history((1000.0,) * 6, ratings=ratings)
    result = _compute(history, team_target=6 * 14_000.0, skill_influence=0.5,
                      weights={"closing": 0.5, "questioning": 0.5})
    # Same results, so no slope can be measured: no adjustment, equal shares.
    assert {a.target for a in result.agents} == {14_000.0}


def test_explanations_say_why_skills_and_stretch_go_either_way() -> None:
    # Skills mostly go with results; A5 is rated ahead of their results, A6 behind.
    ratings = [[1, 1], [2, 2], [3, 3], [4, 4], [4, 4], [2, 2]]
    history = _history((1000.0, 2000.0, 3000.0, 4000.0, 1500.0, 3500.0), ratings=ratings)
    settings = {"skill_influence": 0.5, "weights": {"closing": 0.5, "questioning": 0.5},
                "guardrails": (-0.9, 3.0)}
    low = _compute(history, team_target=100_000.0, **settings)
    by_code = {a.code: a for a in low.agents}
    ahead, behind = by_code["A5"], by_code["A6"]
    assert ahead.skill_adjustment > 0 > behind.skill_adjustment
    explain = {a.code: a.explanation(low.measure, lambda v: f"{v:,.0f}") for a in low.agents}
    assert "more room to grow than the team's on average" in explain["A5"]
    assert "results already at or above what these skills suggest" in explain["A6"]
    # Skills move work between agents: the adjustments cancel over the team.
    assert sum(a.skill_adjustment for a in low.agents) == pytest.approx(0, abs=1e-6)
    # A team target below the baselines: everyone gives back, and says why.
    assert all(a.stretch < 0 for a in low.agents)
    assert "every target gives back in proportion to its size" in explain["A1"]
    high = _compute(history, team_target=250_000.0, **settings)
    sharing = [a for a in high.agents if a.stretch >= 1 and not a.guardrail]
    assert sharing and all("its share of the gap between the baselines and the team target"
                           in a.explanation(high.measure, str) for a in sharing)


def test_guardrails_hold_and_refuse_what_they_cannot_hold() -> None:
    result = _compute(_history((1000.0, 2000.0)), team_target=55_000.0, guardrails=(-0.1, 0.5))
    for agent in result.agents:
        assert agent.target <= agent.baseline * 1.5 + 1
    with pytest.raises(UserError, match="cannot be shared inside the limits"):
        _compute(_history((1000.0, 2000.0)), team_target=80_000.0, guardrails=(-0.1, 0.3))


def test_new_starter_ramps_and_overrides_keep_the_total() -> None:
    history = _history((1000.0, 2000.0))
    starter = NewStarter("NEW1", date(2027, 1, 4), 35.0, "Sales")
    result = _compute(history, team_target=50_000.0,
                      new_starters=(starter,), guardrails=(-0.5, 1.0))
    new = result.agents[-1]
    assert new.new_starter and new.history_weeks == 0
    # The team rate (1500 / 24.5 an hour) at 50%, 70%, 85% of it over the first months.
    assert new.baseline < 1500 / 24.5 * new.planned_hours * 0.8
    assert result.total == 50_000.0
    fixed = _compute(history, team_target=50_000.0, new_starters=(starter,),
                     guardrails=(-0.5, 1.0), overrides={"A1": [20_000.0, "top of the league"]})
    assert fixed.agents[0].target == 20_000.0 and fixed.agents[0].override == 20_000.0
    assert fixed.total == 50_000.0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(200, 5000), min_size=2, max_size=8), st.floats(0.9, 1.25))
def test_any_team_gets_targets_that_add_up_and_repeat(revenues: list[float],
                                                      growth: float) -> None:
    history = _history(tuple(revenues))
    hours = 35 * 90 / 7 * 0.7
    total = round(sum(revenues) / 24.5 * hours * growth)
    first = _compute(history, team_target=float(total), guardrails=(-0.5, 0.5))
    again = _compute(history, team_target=float(total), guardrails=(-0.5, 0.5))
    assert first.total == total
    assert [a.target for a in first.agents] == [a.target for a in again.agents]
    assert [a.likelihood for a in first.agents] == [a.likelihood for a in again.agents]
    for a in first.agents:
        assert a.baseline * 0.5 - 1 <= a.target <= a.baseline * 1.5 + 1


# -- on the demo plan -----------------------------------------------------------------------

#: A quarter's sales for the small demo plan, inside wide guardrails of its baselines.
SALES = 2000

def test_demo_proposal_for_additive_and_ratio_measures(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        forecast = propose(plan, TargetSettings(measure="revenue", guardrails=(-0.9, 2.0)))
        # Six months of history: no seasonal forecast, the team target starts from baselines.
        # ... with the quarter's outlook beside it (the small demo's data is in 2027-Q1).
        assert forecast.target_source.startswith("the sum of baselines; the outlook for 2027-Q1 is ")
        assert forecast.total == forecast.team_target
        stretch = round(sum(a.baseline for a in forecast.agents) * 1.1)
        revenue = propose(plan, TargetSettings(measure="revenue", team_target=stretch))
        assert revenue.total == stretch and len(revenue.agents) > 10
        for a in revenue.agents:
            assert a.baseline * 0.9 - 1 <= a.target <= a.baseline * 1.3 + 1
        assert all(set(a.smart) == set("SMART") for a in revenue.agents)
        assert 0 <= revenue.expected_share <= 1
        conversion = propose(plan, TargetSettings(measure="conversion_rate", growth=0.02))
        assert conversion.ratio and conversion.total == pytest.approx(
            conversion.team_target, abs=0.001)
        handle = propose(plan, TargetSettings(measure="average_handle_time", growth=0.05))
        assert handle.team_target < handle.team_rate  # improving handle time means shorter
        with pytest.raises(UserError, match="no measure 'profit'"):
            propose(plan, TargetSettings(measure="profit"))
        with pytest.raises(UserError, match="band"):
            propose(plan, TargetSettings(band=(0.9, 0.5)))


def test_scenarios_override_undo_choose_publish(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        proposal = propose(plan, TargetSettings(measure="sales", team_target=SALES,
                                                guardrails=(-0.5, 1.0)))
        first = scenarios.save_scenario(plan, proposal, "Base").detail["scenario_id"]
        stored = scenarios.load_scenario(plan, first)
        assert sum(t.target for t in stored.targets) == SALES
        agent = stored.targets[0]
        assert agent.monthly and agent.weekly and agent.explanation
        with pytest.raises(UserError, match="needs a reason"):
            scenarios.override_target(plan, first, agent.code, agent.target + 10, "")
        scenarios.override_target(plan, first, agent.code, agent.target + 10, "new campaign")
        changed = scenarios.load_scenario(plan, first)
        assert sum(t.target for t in changed.targets) == SALES
        mine = next(t for t in changed.targets if t.code == agent.code)
        assert mine.target == agent.target + 10 and mine.override_reason == "new campaign"
        scenarios.override_target(plan, first, agent.code, agent.target + 20, "more",
                                  unlock_total=True)
        assert scenarios.load_scenario(plan, first).team_target == SALES + 10
        scenarios.undo_change(plan)
        assert scenarios.load_scenario(plan, first).team_target == SALES
        scenarios.undo_change(plan)
        restored = scenarios.load_scenario(plan, first)
        assert [t.target for t in restored.targets] == [t.target for t in stored.targets]
        changes = scenarios.history_of(plan, first)
        assert [c["action"] for c in changes][:3] == ["propose_targets", "override_target",
                                                       "override_target"]
        assert changes[1]["reason"] == "new campaign" and changes[1]["undone"]
        second = scenarios.save_scenario(plan, propose(plan, TargetSettings(
            measure="sales", team_target=SALES * 1.05, guardrails=(-0.5, 1.0))), "Plus 5%")
        second_id = second.detail["scenario_id"]
        scenarios.set_status(plan, first, "chosen")
        scenarios.set_status(plan, second_id, "published")
        statuses = {s["id"]: s["status"] for s in scenarios.list_scenarios(plan)}
        assert statuses == {first: "draft", second_id: "published"}
        assert scenarios.current_scenario_id(plan) == second_id
        assert "sales" in registry(plan)


def test_targets_command(demo_path: Path) -> None:
    out = run("targets", demo_path, "--measure", "sales", "--team-target", str(SALES),
              "--guardrails", "-0.5:1.0")  # as the issue writes it, with a space
    assert out.returncode == 0, out.stderr
    assert "scenario 1" in out.stdout and "SMART" in out.stdout
    shown = json.loads(run("targets", demo_path, "--show", "--json").stdout)
    assert sum(t["target"] for t in shown["targets"]) == SALES
    agent = shown["targets"][0]["agent"]
    bad = run("targets", demo_path, "--override", f"{agent}=500")
    assert bad.returncode == 2 and "needs a reason" in bad.stderr
    changed = run("targets", demo_path, "--override", f"{agent}=100", "--reason", "coaching",
                  "--json")
    assert changed.returncode == 0, changed.stderr
    data = json.loads(changed.stdout.split("\n", 1)[1])
    assert next(t for t in data["targets"] if t["agent"] == agent)["target"] == 100
    assert sum(t["target"] for t in data["targets"]) == SALES
    backtest = json.loads(run("targets", demo_path, "--measure", "sales", "--backtest",
                              "--json").stdout)
    assert all(0 <= q["actual_share"] <= 1 for q in backtest["quarters"])
    assert backtest["brier"] is None or backtest["brier"] >= 0  # six months: no quarter
    listed = run("targets", demo_path, "--scenarios").stdout
    assert "draft" in listed
    assert "e+" not in listed  # team targets as numbers, never 1.153e+04
    # Growth as a percentage or a share; a bare 10 is refused, not read as 1000%.
    ambiguous = run("targets", demo_path, "--measure", "sales", "--growth", "10")
    assert ambiguous.returncode == 2 and "write 10% for 10 per cent, or 0.1" in ambiguous.stderr
    for bad in ("1", "nan", "inf%"):
        refused = run("targets", demo_path, "--measure", "sales", "--growth", bad)
        assert refused.returncode == 2 and "argument --growth" in refused.stderr, bad
    for growth in ("10%", "0.1"):
        grown = run("targets", demo_path, "--measure", "sales", "--growth", growth,
                    "--guardrails", "-0.5:1.0", "--json")
        assert grown.returncode == 0, grown.stderr
        assert "+10%" in json.loads(grown.stdout.split("\n", 1)[1])["target_source"]


def test_skill_matrix_ratings_and_skills(demo_path: Path) -> None:
    from salesplanner.skill_matrix import add_skill, set_rating, skill_matrix
    from salesplanner.targets.skills import save_weights, stored_weights

    with PlanFile.open(demo_path) as plan:
        matrix = skill_matrix(plan)
        agent, skill = matrix.agents[0], matrix.skills[0]
        result = set_rating(plan, agent, skill, 5)
        assert result.detail["new"] == 5 and skill_matrix(plan).ratings[0, 0] == 5
        set_rating(plan, agent, skill, None)
        assert np.isnan(skill_matrix(plan).ratings[0, 0])
        with pytest.raises(UserError, match="not from 1 to 5"):
            set_rating(plan, agent, skill, 6)
        with pytest.raises(UserError, match="no agent NOBODY"):
            set_rating(plan, "NOBODY", skill, 3)
        add_skill(plan, "Retention offers")
        assert "retention_offers" in skill_matrix(plan).skills
        with pytest.raises(UserError, match="already has"):
            add_skill(plan, "retention offers")
        save_weights(plan, "conversion_rate", {"closing": 2.0, "questioning": 1.0})
        assert stored_weights(plan, "conversion_rate") == (
            {"closing": 2.0, "questioning": 1.0}, "manual")
        with pytest.raises(UserError, match="negative"):
            save_weights(plan, "conversion_rate", {"closing": -1.0})


def test_planned_hours_leave_and_what_ifs(demo_path: Path) -> None:
    from salesplanner.targets.capacity import (
        hours_table, restore_planned_hours, set_planned_hours,
    )

    with PlanFile.open(demo_path) as plan:
        quarter = Quarter(2027, 1)
        agent = hours_table(plan, quarter).iloc[0]
        full = agent["productive_hours"]
        result = set_planned_hours(plan, quarter, agent["code"], leave_hours=37.5)
        table = hours_table(plan, quarter).set_index("code")
        # A week of paid leave costs its productive share: 37.5 h x (1 - 30% shrinkage).
        assert table.at[agent["code"], "productive_hours"] == pytest.approx(full - 37.5 * 0.7)
        with pytest.raises(UserError, match="0 to 80"):
            set_planned_hours(plan, quarter, agent["code"], weekly_hours=90)
        restore_planned_hours(plan, quarter, agent["code"], result.detail["old"])
        assert hours_table(plan, quarter).iloc[0]["productive_hours"] == pytest.approx(full)
    out = run("targets", demo_path, "--measure", "sales", "--team-target", str(SALES),
              "--guardrails=-0.5:1.0", "--hours", f"{agent['code']}=20:0.35",
              "--new-starter", "NEW1@2027-02-01:30", "--ramp", "0.4,0.6,0.8", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout.split("\n", 2)[2])
    assert [h["agent"] for h in data["hypothetical"]] == ["NEW1"]
    assert data["settings"]["ramp"] == [0.4, 0.6, 0.8]
    bad = run("targets", demo_path, "--new-starter", "NEW1 in February")
    assert bad.returncode == 2 and "CODE@YYYY-MM-DD" in bad.stderr
