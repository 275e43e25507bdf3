"""How each proposed target was built, in a sentence a manager can check.

Each step's amount (baseline, skills, stretch, a guardrail met, an override)
and, for the skills and the stretch, why it went the way it did, worded from
what :mod:`.proposal` does: the skill adjustments are centred on the team, so
they say how an agent compares with the others (work moves between agents,
the team total is unchanged); the stretch is the gap between the baselines
and the team target, shared by size and headroom, or given back by everyone
when the team target is below the baselines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from salesplanner.metrics import MetricDefinition

if TYPE_CHECKING:
    from salesplanner.targets.proposal import AgentTarget


def explain(agent: AgentTarget, measure: MetricDefinition,
            fmt: Callable[[float], str]) -> str:
    """The agent's target, step by step, with the reasons."""
    history = f"{agent.history_weeks} weeks of history"
    if agent.team_rate_used is not None:
        history = (f"no history of their own, so the team's {fmt(agent.team_rate_used)}"
                   + (" per planned hour" if measure.additive else ""))
    parts = [f"baseline {fmt(agent.baseline)} ({history}"
             + (", new starter" if agent.new_starter else "")
             + f", {agent.planned_hours:,.0f} planned hours"
             + (f", season x{agent.seasonality:.2f}" if agent.seasonality != 1 else "") + ")"]
    if agent.skill_adjustment:
        parts.append(f"skills {_signed(agent.skill_adjustment, fmt)} (score "
                     f"{agent.skill_score:.1f}): {skills_why(agent)}")
    # Under one whole unit a sum's stretch is the rounding, not a share.
    if agent.stretch and not (measure.additive and abs(agent.stretch) < 1):
        why = stretch_why(agent)
        parts.append(f"stretch {_signed(agent.stretch, fmt)}" + (f": {why}" if why else ""))
    if agent.guardrail:
        parts.append(f"held at the {agent.guardrail}")
    if agent.override is not None:
        parts.append(f"overridden to {fmt(agent.override)}: {agent.override_reason}")
    return "; ".join(parts)


def skills_why(agent: AgentTarget) -> str:
    """Why the skill adjustment went the way it did (step 4 of the proposal: the
    adjustments are centred, so they say how this agent compares with the team)."""
    if agent.skill_adjustment > 0:
        return ("skills suggest more room to grow than the team's on average, so more "
                "of the work comes here")
    if agent.skill_gap <= 0:
        return ("results already at or above what these skills suggest, so work moves "
                "to agents whose skills run ahead of their results")
    return ("skills suggest less room to grow than the team's on average, so work moves "
            "to others")


def stretch_why(agent: AgentTarget) -> str:
    """Why the stretch went the way it did (step 5), when it went the team's way;
    empty when a guardrail, the ceiling or an override set it (said after)."""
    if agent.stretch_reason == "share":
        return ("its share of the gap between the baselines and the team target, by size, "
                "more where skills run ahead of results")
    if agent.stretch_reason == "give back":
        return ("the team target asks less than the baselines add up to, so every target "
                "gives back in proportion to its size")
    return ""


def _signed(value: float, fmt: Callable[[float], str]) -> str:
    return ("+" if value > 0 else "-") + fmt(abs(value))
