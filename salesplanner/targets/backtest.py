"""Back-testing the likelihoods: were they right about earlier quarters?

For each earlier quarter the plan's data covers in full (with at least 8
weeks of history before it), targets are proposed as if on its first day:
history only up to the day before, the team target set to what the team
really did in that quarter (so the test is of how targets are shared and
how likely each is judged, not of the forecast), inside wide guardrails. Each agent's real result
in the quarter is then compared with their target: the predicted share of
agents reaching target (the average likelihood) against the share who
actually did. A well-calibrated model has them close.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplanner.daily_figures import base_totals
from salesplanner.metrics import MetricDefinition, measure_values, registry
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.history import History, load_history
from salesplanner.targets.proposal import TargetSettings, agents_in_scope, propose


#: Wide limits: a real quarter's total can sit far from the baselines, and
#: the test is of the likelihoods, not of the manager's guardrails.
BACKTEST_GUARDRAILS = (-0.6, 1.5)


@dataclass
class QuarterCheck:
    """One back-tested quarter."""

    quarter: str
    agents: int
    team_target: float
    predicted_share: float | None
    actual_share: float
    #: Agents predicted likely (>= 50%) who made it, and unlikely who did not.
    calibration: float

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {"quarter": self.quarter, "agents": self.agents, "team_target": self.team_target,
                "predicted_share": self.predicted_share, "actual_share": self.actual_share,
                "agents_called_right": self.calibration}


def backtest(plan: PlanFile, settings: TargetSettings | None = None) -> list[QuarterCheck]:
    """Each fully covered earlier quarter: predicted against actual share reaching target."""
    settings = settings or TargetSettings()
    history = load_history(plan)
    if not len(history.days):
        return []
    first_day, last_day = history.days.min().item(), history.days.max().item()
    measures = registry(plan)
    measure = measures[settings.measure]
    quarter = Quarter.containing(first_day)
    out = []
    while quarter.end <= last_day:
        enough = (quarter.start - first_day).days >= 8 * 7
        if quarter.start >= first_day and enough:
            out.append(_check(plan, history, measures, measure, quarter, settings))
        quarter = quarter.next()
    return out


def _check(plan: PlanFile, history: History, measures: dict[str, MetricDefinition],
           measure: MetricDefinition, quarter: Quarter,
           settings: TargetSettings) -> QuarterCheck:
    totals = base_totals(plan, quarter.start, quarter.end, by_agent=True)
    actual = measure_values(measures, [measure.code], totals)[measure.code]
    with plan.connect() as conn:
        codes = [c for (c,) in conn.execute("SELECT code FROM agent ORDER BY id")]
    by_code = dict(zip(codes, actual))
    # The team target: what the agents in scope really did (a ratio from their sums).
    scope = set(history.agents["code"].iloc[agents_in_scope(history.agents, quarter,
                                                             settings.team)])
    keep = np.array([c in scope for c in codes])
    team = measure_values(measures, [measure.code], {
        k: v[keep].sum(keepdims=True) if isinstance(v, np.ndarray) and v.ndim else v
        for k, v in totals.items()})[measure.code][0]
    trial = TargetSettings.from_json({**settings.as_json(), "quarter": str(quarter),
                                      "team_target": float(team), "as_of": None,
                                      "new_starters": [], "overrides": {},
                                      "guardrails": BACKTEST_GUARDRAILS})
    proposal = propose(plan, trial, history)
    good = 1.0 if measure.higher_is_better else -1.0
    made, right, counted = [], [], 0
    for agent in proposal.agents:
        result = by_code.get(agent.code)
        if result is None or result != result or agent.likelihood is None:
            continue
        counted += 1
        reached = result * good >= agent.target * good
        made.append(reached)
        right.append(reached == (agent.likelihood >= 0.5))
    actual_share = float(np.mean(made)) if made else float("nan")
    return QuarterCheck(str(quarter), counted, float(proposal.team_target),
                        proposal.expected_share, actual_share,
                        float(np.mean(right)) if right else float("nan"))
