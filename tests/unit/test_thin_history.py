"""Thin or missing history (issue 19, item 5): targets that cannot be
planned are refused, an agent without history starts from the team's rate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from salesplanner.errors import UserError
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets import scenarios
from salesplanner.targets.capacity import NewStarter
from salesplanner.targets.proposal import TargetSettings, propose
from tests.unit.test_cli import _one_line_error, run

#: The small demo's data starts in August 2026: nothing before this quarter.
BEFORE_THE_DATA = "2026-Q3"


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
