"""Thin or missing history (issue 19, items 5 and 7): targets that cannot be
planned are refused, an agent without history starts from the team's rate,
and likelihoods, early warnings and forecasts say how little history they
rest on instead of printing confident figures from two weeks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from salesplanner.analysis.early_warnings import early_warnings
from salesplanner.analysis.performance import Row, performance
from salesplanner.analysis.thin_data import MIN_WEEKS_TO_JUDGE, forecast_warning
from salesplanner.errors import UserError
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets import scenarios
from salesplanner.targets.capacity import NewStarter
from salesplanner.targets.proposal import TargetSettings, propose
from tests.unit.test_cli import _one_line_error, run

#: The small demo's data starts in August 2026: nothing before this quarter.
BEFORE_THE_DATA = "2026-Q3"
#: Its first day of data (a Wednesday).
DATA_START = "12/08/2026"


def test_no_history_and_no_team_target_is_refused_in_one_line(demo_path: Path) -> None:
    line = _one_line_error(run("targets", demo_path, "--growth", "5%", "--quarter",
                               BEFORE_THE_DATA))
    assert "no full week of results before 2026-Q3" in line
    assert "--team-target" in line and "import results from before 01 Jul 2026" in line
    with PlanFile.open(demo_path, read_only=True) as plan:
        assert scenarios.list_scenarios(plan) == []
        with pytest.raises(UserError, match="no full week of results"):
            propose(plan, TargetSettings(measure="conversion_rate", quarter=BEFORE_THE_DATA))


def test_a_typed_team_target_without_history_is_shared_by_planned_hours(
        demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        proposal = propose(plan, TargetSettings(quarter=BEFORE_THE_DATA,
                                                team_target=600_000.0))
        hours = proposal.internals["time"]
        planned = (hours.productive * hours.ramp).sum(axis=1)
        baselines = np.array([a.baseline for a in proposal.agents])
        assert proposal.total == pytest.approx(600_000.0)
        assert baselines.sum() == pytest.approx(600_000.0, rel=1e-6)
        # Everyone at the same rate per planned hour: baselines in proportion to hours.
        assert np.allclose(baselines / baselines.sum(), planned / planned.sum())
        text = proposal.agents[0].explanation(proposal.measure, lambda v: f"{v:.2f}")
        assert "no history of their own, so the team's" in text and "per planned hour" in text
        assert any("shared by planned hours" in n for n in proposal.notes)
        assert all(a.likelihood is None for a in proposal.agents)
        rate = propose(plan, TargetSettings(measure="conversion_rate",
                                            quarter=BEFORE_THE_DATA, team_target=0.3))
        assert {round(a.target, 3) for a in rate.agents} == {0.3}


def test_an_agent_without_history_starts_from_the_teams_rate_per_planned_hour(
        demo_path: Path) -> None:
    starter = NewStarter("NEW1", date(2027, 1, 4), 37.5, name="New One")
    with PlanFile.open(demo_path, read_only=True) as plan:
        proposal = propose(plan, TargetSettings(new_starters=(starter,)))
    new = next(a for a in proposal.agents if a.code == "NEW1")
    others = [a for a in proposal.agents if a.code != "NEW1"]
    hours = proposal.internals["time"]
    i = proposal.agents.index(new)
    planned = float((hours.productive[i] * hours.ramp[i]).sum())
    assert new.team_rate_used == pytest.approx(proposal.team_rate)
    assert new.baseline == pytest.approx(proposal.team_rate * planned * proposal.seasonality)
    text = new.explanation(proposal.measure, lambda v: f"{v:.2f}")
    assert f"the team's {proposal.team_rate:.2f} per planned hour" in text
    assert all(a.team_rate_used is None for a in others)


def test_a_scenario_of_zeros_is_never_saved(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        proposal = propose(plan, TargetSettings(quarter=BEFORE_THE_DATA,
                                                team_target=600_000.0))
        for agent in proposal.agents:
            agent.target = 0.0
        with pytest.raises(UserError, match="would be zero or blank.*Nothing was saved"):
            scenarios.save_scenario(plan, proposal)
        assert scenarios.list_scenarios(plan) == []


def test_likelihoods_say_how_little_history_they_rest_on(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        none = propose(plan, TargetSettings(history_weeks=4))
        rough = propose(plan, TargetSettings(history_weeks=9))
    assert none.expected_share is None and all(a.likelihood is None for a in none.agents)
    # Four weeks back from the quarter's start hold three whole weeks (Monday to Sunday).
    assert any("not enough history to judge (from 3 weeks of history; 6 are needed)" in n
               for n in none.notes)
    assert rough.expected_share is not None
    assert any("from 8 weeks of history" in n and "rough" in n for n in rough.notes)


def _row(key: str, spark: list[float], known: list[bool]) -> Row:
    return Row("agent", key, key, "T", 1.0, None, None, None, None, spark,
               sparkline_known=known)


def test_an_unusual_week_is_judged_only_from_enough_weeks_of_data(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        result = performance(plan, "revenue", "qtd")
    # Two weeks of an agent's data after five weeks before they joined (zeros, not history).
    thin = _row("NEW", [0, 0, 0, 0, 0, 0, 30.0, 500.0], [False] * 6 + [True, True])
    steady = _row("OLD", [100, 102, 98, 101, 99, 100, 103, 200.0], [True] * 8)
    warnings = early_warnings(type(result)(result.measure, result.start, result.end,
                                           result.quarter, None, result.centre, [],
                                           [thin, steady]))
    texts = {w.key: w.text for w in warnings}
    assert "standard deviations" not in texts["NEW"]
    assert "not enough history to judge" in texts["NEW"] and "from 1 week of history" \
        in texts["NEW"] and f"{MIN_WEEKS_TO_JUDGE} are needed" in texts["NEW"]
    assert "standard deviations above their normal" in texts["OLD"]


def test_early_warnings_on_two_weeks_of_data_say_so_once(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        result = performance(plan, "revenue", DATA_START + ":2026-08-30")
    warnings = early_warnings(result)
    assert not any("standard deviations" in w.text for w in warnings)
    thin = [w for w in warnings if w.kind == "thin_history"]
    assert len(thin) == 1 and thin[0].level == "centre"
    assert "not enough history to judge (from 1 week of history" in thin[0].text


def test_a_forecast_from_a_few_weeks_says_so() -> None:
    text = forecast_warning("week", 8, 2, "naive", 0.527)
    assert text is not None
    assert "from 8 weeks of history" in text and "back-test of 2 weeks" in text
    assert "53%" in text and "rough" in text
    assert forecast_warning("week", 64, 16, "Holt", 0.05) is None
    assert forecast_warning("month", 14, 3, "Holt", 0.05) is None
    assert forecast_warning("month", 6, 2, "naive", None) is not None
