"""One outlook: the Forecast panel, the Performance projection for the centre,
the Overview and the target planner give the same figure for where the quarter
is heading, or say plainly how theirs differs (issue 19, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesplanner.analysis.forecast import forecast, outlook, quarter_outlook
from salesplanner.analysis.glance import at_a_glance
from salesplanner.analysis.performance import performance, projection_words
from salesplanner.metrics import registry
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.stored_scenarios import cached_scenario, in_force
from tests.unit.test_cli import run


def _sums(plan: PlanFile) -> list[str]:
    return [code for code, m in registry(plan).items() if m.additive]


def test_every_sum_has_one_outlook(demo_path: Path) -> None:
    """For every additive measure the Forecast panel's default (weekly, to the
    end of the next quarter), the outlook and the Performance centre's
    projection are the same figure, and the range holds it."""
    with PlanFile.open(demo_path, read_only=True) as plan:
        checked = 0
        for code in _sums(plan):
            seen = outlook(plan, code)
            if seen is None:
                continue  # a measure with no data in the plan
            panel = quarter_outlook(plan, forecast(plan, code, "week"))
            assert panel is not None and panel.total == pytest.approx(seen.total)
            result = performance(plan, code, "qtd")
            assert result.centre.projection_basis == "outlook"
            assert result.centre.projection == pytest.approx(seen.total)
            assert seen.low <= seen.total <= seen.high
            assert seen.actual == pytest.approx(result.centre.actual)
            checked += 1
        assert checked >= 3


def test_teams_and_agents_keep_their_run_rate_and_it_is_named(demo_path: Path) -> None:
    run("targets", demo_path, "--measure", "sales")
    run("targets", demo_path, "--choose", "1")
    with PlanFile.open(demo_path, read_only=True) as plan:
        result = performance(plan, "sales", "qtd")
        seen = outlook(plan, "sales")
        assert seen is not None and seen.target is not None
        assert {r.projection_basis for r in [*result.teams, *result.agents]
                if r.projection is not None} == {"run rate"}
        words = projection_words(result, lambda v: f"{v:,.0f}")
        assert f"the centre's is the outlook, {seen.total:,.0f}" in words
        assert "each team's and agent's is the run rate" in words
        # The Overview says the same figure.
        glance = next(g for g in at_a_glance(plan, seen.quarter) if g.measure.code == "sales")
        assert glance.outlook is not None and glance.outlook.total == pytest.approx(seen.total)
        assert f"heading for {seen.total:,.0f} by the outlook" in glance.sentence(
            lambda v: f"{v:,.0f}")
        # One chance of making the team target: the Overview's, the Forecast's
        # sentence and the planner's that saved the targets.
        chance = seen.chance_of(seen.target)
        assert chance is not None and 0 < chance < 1
        words = f"a {chance:.0%} chance of making it"
        assert words in glance.sentence(str) and words in seen.sentence(str)
        chosen = in_force(plan, seen.quarter)[0]
        assert cached_scenario(plan, chosen["id"]).summary["team_chance"] == pytest.approx(
            chance)
        # A team's own view has no centre outlook: its projection is its run rate.
        team = result.of_team(result.teams[0].name)
        assert team.outlook is None and team.centre.projection_basis == "run rate"


def test_a_past_period_keeps_the_run_rate(demo_path: Path) -> None:
    """The outlook knows where the quarter is heading now, not where an earlier
    quarter stood: a past period's centre is not given it."""
    with PlanFile.open(demo_path, read_only=True) as plan:
        result = performance(plan, "sales", "last_quarter")
        assert result.outlook is None and result.centre.projection_basis != "outlook"


@pytest.mark.parametrize("measure", ["sales", "revenue"])
def test_the_planner_starting_from_the_outlook_starts_from_the_same_figure(
        demo_path: Path, measure: str) -> None:
    """Started from the outlook with no growth, the planner's team target is the
    outlook the Performance centre projects; started from history it names
    where it started and gives the outlook beside it."""
    from salesplanner.targets.proposal import propose
    from salesplanner.targets.settings import TargetSettings, team_target_text

    with PlanFile.open(demo_path, read_only=True) as plan:
        seen = outlook(plan, measure)
        assert seen is not None
        projection = performance(plan, measure, "qtd").centre.projection
        assert projection == pytest.approx(seen.total)
        quarter = str(seen.quarter)
        started = propose(plan, TargetSettings(measure=measure, quarter=quarter,
                                               team_start="outlook"))
        # The team target is rounded as its targets are (whole units for a sum).
        assert started.team_target == pytest.approx(projection, abs=0.5)
        assert started.target_source == f"{quarter} outlook"
        # 3%: on six months of history (no season to lift the baselines to
        # January's peak) the +30% guardrails hold up to about +5%.
        grown = propose(plan, TargetSettings(measure=measure, quarter=quarter,
                                             team_start="outlook", growth=0.03))
        assert grown.team_target == pytest.approx(projection * 1.03, abs=0.5)
        history = propose(plan, TargetSettings(measure=measure, quarter=quarter))
        unit = registry(plan)[measure].unit
        assert history.target_source.endswith(
            f"; the outlook for {quarter} is {team_target_text(seen.total, unit, '')}")


def test_the_outlook_start_is_refused_where_there_is_none(demo_path: Path) -> None:
    from salesplanner.errors import UserError
    from salesplanner.targets.proposal import propose
    from salesplanner.targets.settings import TargetSettings

    with PlanFile.open(demo_path, read_only=True) as plan:
        seen = outlook(plan, "sales")
        assert seen is not None
        team = performance(plan, "sales", "qtd").teams[0].name
        for settings, words in (
                (TargetSettings(measure="conversion_rate", team_start="outlook"), "a ratio"),
                (TargetSettings(measure="sales", team=team, team_start="outlook"),
                 "for the whole centre"),
                (TargetSettings(measure="sales", quarter=str(seen.quarter.next()),
                                team_start="outlook"), "the quarter the data is in")):
            with pytest.raises(UserError, match=words):
                propose(plan, settings)
    with pytest.raises(UserError, match="team target start"):
        TargetSettings(team_start="guess").check()
