"""The team's chance of its target comes from the outlook's distribution,
a team target outside the band gets one that would land inside it, and a
growing centre's growth is measured (issue 19 items 1-3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from salesplanner.analysis.forecast import QuarterOutlook, outlook
from salesplanner.demo import DemoOptions, generate_demo
from salesplanner.metrics import format_total, registry
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.history import load_history
from salesplanner.targets.likelihood import team_target_for_band
from salesplanner.targets.proposal import TargetSettings, propose
from salesplanner.targets.team import yearly_growth


def _seen() -> QuarterOutlook:
    return QuarterOutlook(Quarter(2027, 1), actual=1000.0, through=date(2027, 2, 11),
                          ahead=1000.0, ahead_low=800.0, ahead_high=1300.0)


def test_the_chance_follows_the_outlooks_range() -> None:
    seen = _seen()
    assert seen.chance_of(seen.total) == pytest.approx(0.5)
    assert seen.chance_of(seen.low) == pytest.approx(0.9, abs=1e-6)
    assert seen.chance_of(seen.high) == pytest.approx(0.1, abs=1e-6)
    assert seen.chance_of(0.0) == pytest.approx(1.0)
    draws = seen.draws(2000, np.random.default_rng(1))
    assert draws is not None and draws.min() >= seen.actual
    for target in (1700.0, 2000.0, 2150.0, 2400.0):
        assert np.mean(draws >= target) == pytest.approx(seen.chance_of(target), abs=1e-3)
    flat = QuarterOutlook(Quarter(2027, 1), 1000.0, None, 1000.0)
    assert flat.chance_of(1500.0) is None and flat.draws(10, np.random.default_rng(1)) is None


def test_the_planners_team_chance_is_the_outlooks(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        seen = outlook(plan, "revenue")
        assert seen is not None
        for growth in (-0.05, 0.0, 0.03):
            proposal = propose(plan, TargetSettings(quarter=str(seen.quarter),
                                                    team_start="outlook", growth=growth))
            assert proposal.team_chance == pytest.approx(seen.chance_of(proposal.team_target))
        assert proposal.team_chance < 0.5  # above the outlook: less than even


def test_a_team_target_outside_the_band_is_told_one_inside(demo_path: Path) -> None:
    """The figure the warning gives, typed as the team target, lands inside."""
    with PlanFile.open(demo_path, read_only=True) as plan:
        quarter = str(outlook(plan, "revenue").quarter)  # type: ignore[union-attr]
        for typed in (0.6, 1.1):  # too easy, too hard
            start = propose(plan, TargetSettings(quarter=quarter, team_start="outlook"))
            settings = TargetSettings(quarter=quarter, team_target=start.team_target * typed,
                                      guardrails=(-0.5, 0.6))
            proposal = propose(plan, settings)
            warning = proposal.band_warning()
            suggested = team_target_for_band(proposal)
            assert warning is not None and suggested is not None
            assert format_total(float(f"{suggested:.3g}"), "money") in warning
            better = propose(plan, TargetSettings(quarter=quarter, team_target=suggested,
                                                  guardrails=(-0.5, 0.6)))
            low, high = better.settings.band
            assert better.expected_share is not None
            assert low <= better.expected_share <= high, (typed, suggested,
                                                          better.expected_share)
            assert better.band_warning() is None


def test_format_total_drops_pence_on_large_sums() -> None:
    assert format_total(3772769.27, "money") == "£3,772,769"
    assert format_total(-1234.5, "money", "EUR") == "-€1,234"
    assert format_total(12.5, "money") == "£12.50"
    assert format_total(0.283, "percent") == "28.3%"


@pytest.fixture(scope="module")
def growing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same small centre over 20 months, flat and growing 15% a year."""
    folder = tmp_path_factory.mktemp("growth")
    paths = (folder / "flat.salesplan", folder / "growing.salesplan")
    for path, growth in zip(paths, (0.0, 0.15)):
        generate_demo(path, DemoOptions(agents=24, months=20, seed=7, growth=growth))
    return paths


def test_growth_is_measured_a_year_apart(growing: tuple[Path, Path]) -> None:
    measured = []
    for path in growing:
        with PlanFile.open(path, read_only=True) as plan:
            history, measures = load_history(plan), registry(plan)
            window = np.arange(len(history.weeks) - 32, len(history.weeks) - 6)
            measured.append(yearly_growth(history, measures, measures["calls_handled"], None, window))
            proposal = propose(plan, TargetSettings(measure="calls_handled"))
            assert any("a year" in note for note in proposal.notes)
    flat, grown = measured
    assert flat is not None and grown is not None
    # Calls per productive hour: the demo's growth, give or take who is in the team.
    assert grown - flat == pytest.approx(0.15, abs=0.06)


def test_lower_is_better_turns_the_chance_round() -> None:
    seen = _seen()
    seen.higher_is_better = False  # e.g. a count of call-backs: making it is staying under
    assert seen.chance_of(seen.low) == pytest.approx(0.1, abs=1e-6)
    assert seen.chance_of(seen.high) == pytest.approx(0.9, abs=1e-6)


def test_handle_time_outside_the_band_is_told_one_inside(demo_path: Path) -> None:
    """A lower-is-better ratio: too hard and too easy both get a figure that,
    typed back, lands inside the band."""
    with PlanFile.open(demo_path, read_only=True) as plan:
        start = propose(plan, TargetSettings(measure="average_handle_time"))
        for typed in (0.93, 1.08):
            settings = TargetSettings(measure="average_handle_time", guardrails=(-0.5, 0.6),
                                      team_target=start.team_target * typed)
            suggested = team_target_for_band(propose(plan, settings))
            assert suggested is not None, typed
            better = propose(plan, TargetSettings(measure="average_handle_time",
                                                  guardrails=(-0.5, 0.6),
                                                  team_target=round(suggested, 1)))
            low, high = better.settings.band
            assert low <= better.expected_share <= high, (typed, suggested)  # type: ignore[operator]


def test_no_suggestion_the_planner_would_refuse(demo_path: Path) -> None:
    """Every target the manager's own, or a band the guardrails cannot reach:
    no figure is offered."""
    with PlanFile.open(demo_path, read_only=True) as plan:
        start = propose(plan, TargetSettings())
        overrides = {a.code: [round(a.target * 1.6), "stretch"] for a in start.agents}
        fixed = propose(plan, TargetSettings(overrides=overrides, team_target=sum(
            value for value, _why in overrides.values())))
        assert fixed.band_warning() is not None
        assert team_target_for_band(fixed) is None
        narrow = propose(plan, TargetSettings(band=(0.0, 0.02)))
        assert narrow.band_warning() is not None
        assert team_target_for_band(narrow) is None


def test_a_team_target_held_at_the_guardrails_is_a_warning(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        held = propose(plan, TargetSettings(growth=-0.4))
    assert "held at the guardrails" in held.target_source
    warning = held.band_warning()
    assert warning is not None and "beyond what the guardrails allow" in warning


def test_new_starters_come_on_top_of_the_outlook(demo_path: Path) -> None:
    """The starters' expected results come on top of the team's quarter: with
    the team target raised by as much, the existing agents' chances barely
    move; with it kept, the team's chance rises."""
    from salesplanner.targets.settings import NewStarter

    with PlanFile.open(demo_path, read_only=True) as plan:
        quarter = outlook(plan, "revenue").quarter  # type: ignore[union-attr]
        settings = TargetSettings(quarter=str(quarter), team_start="outlook")
        before = propose(plan, settings)
        starters = tuple(NewStarter(code=f"NEW{i}", start=quarter.start, weekly_hours=37.5,
                                    team=before.agents[0].team) for i in range(6))
        kept = propose(plan, TargetSettings(quarter=str(quarter), team_target=before.team_target,
                                            new_starters=starters))
        added = sum(a.baseline + a.skill_adjustment for a in kept.agents[-len(starters):])
        raised = propose(plan, TargetSettings(quarter=str(quarter), new_starters=starters,
                                              team_target=before.team_target + added))
    assert kept.team_chance is not None and before.team_chance is not None
    assert kept.team_chance > before.team_chance + 0.1
    old = [a.likelihood for a in raised.agents[:len(before.agents)]]
    assert np.mean(old) == pytest.approx(np.mean([a.likelihood for a in before.agents]),
                                         abs=0.06)


def test_targets_set_as_of_an_earlier_day_ignore_the_outlook(demo_path: Path) -> None:
    from salesplanner.errors import UserError

    with PlanFile.open(demo_path, read_only=True) as plan:
        seen = outlook(plan, "revenue")
        assert seen is not None and seen.through is not None
        early = TargetSettings(quarter=str(seen.quarter), as_of=seen.quarter.start)
        assert "outlook" not in propose(plan, early).target_source
        with pytest.raises(UserError, match="uses the data after"):
            propose(plan, TargetSettings(quarter=str(seen.quarter), as_of=seen.quarter.start,
                                         team_start="outlook"))
