"""Back-testing the likelihoods: were they right about earlier quarters?

For each earlier quarter the plan's data covers in full (with at least 8
weeks of history before it), targets are proposed as if on its first day:
history only up to the day before, the team target set to what the team
really did in that quarter (so the test is of how targets are shared and
how likely each is judged, not of the forecast), inside wide guardrails. Each agent's real result
in the quarter is then compared with their target: the predicted share of
agents reaching target (the average likelihood) against the share who
actually did. A well-calibrated model has them close.

Each agent's chance is also scored on its own (the Brier score: the average
squared gap between the chance given and what happened, 1 or 0; lower is
better) against a naive rule that gives every agent the same chance, the
share of agents who reached target across all the quarters tested. That
rule knows the hit rate in hindsight, so beating it means the chances tell
agents apart, not only that the average is right. :func:`reliability`
groups the chances (0-10%, 10-20%, ...) against how often they came true.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from salesplanner.daily_figures import base_totals
from salesplanner.metrics import MetricDefinition, measure_values, registry
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.history import History, load_history
from salesplanner.targets.proposal import TargetSettings, agents_in_scope, propose


#: Predicted and actual shares this close (in points) are said to agree.
AGREE_POINTS = 10

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
    #: Each counted agent's chance and whether they reached target.
    chances: list[float] = field(default_factory=list)
    reached: list[bool] = field(default_factory=list)

    @property
    def brier(self) -> float:
        """The average squared gap between chance and outcome (lower is better)."""
        return _brier(np.asarray(self.chances), np.asarray(self.reached, dtype=float))

    def as_json(self, naive_rate: float | None = None) -> dict:
        """Plain values for ``--json``; the naive rule's score with its rate."""
        out = {"quarter": self.quarter, "agents": self.agents, "team_target": self.team_target,
               "predicted_share": self.predicted_share, "actual_share": self.actual_share,
               "agents_called_right": self.calibration, "brier": self.brier}
        if naive_rate is not None:
            out["naive_brier"] = _brier(np.full(len(self.reached), naive_rate),
                                        np.asarray(self.reached, dtype=float))
        return out


@dataclass
class Calibration:
    """The back-test as a whole: the per-agent scores and the reliability table."""

    checks: list[QuarterCheck]
    #: The share of agents who reached target across all quarters tested.
    hit_rate: float
    brier: float
    #: Brier score of giving every agent ``hit_rate``.
    naive_brier: float
    #: (lowest chance, highest, agents, average chance, share who reached target).
    bins: list[tuple[float, float, int, float, float]]
    #: The largest gap between predicted and actual share in any quarter.
    worst_gap: float

    def as_json(self) -> dict:
        """Plain values for ``targets --backtest --json``."""
        return {"quarters": [c.as_json(self.hit_rate) for c in self.checks],
                "verdict": verdict(self), "brier_line": brier_line(self),
                "hit_rate": _plain(self.hit_rate), "brier": _plain(self.brier),
                "naive_brier": _plain(self.naive_brier), "worst_gap": _plain(self.worst_gap),
                "reliability": [{"from": lo, "to": hi, "agents": k, "predicted": p,
                                 "actual": a} for lo, hi, k, p, a in self.bins]}


def share_text(value: float | None) -> str:
    return "\u2014" if value is None or value != value else f"{value:.0%}"


def points(check: QuarterCheck) -> float | None:
    """Actual minus predicted share, in percentage points (None: nothing predicted)."""
    if check.predicted_share is None or check.actual_share != check.actual_share:
        return None
    return (check.actual_share - check.predicted_share) * 100


def verdict(calibration: Calibration) -> str:
    """Whether predicted and actual shares agree, in one line."""
    gaps = [(c, abs(p)) for c in calibration.checks if (p := points(c)) is not None]
    if not gaps:
        return "No quarter had chances to compare with its results."
    off = [(c, gap) for c, gap in gaps if round(gap) > AGREE_POINTS]
    worst = round(calibration.worst_gap * 100)
    if not off:
        where = "in the one quarter tested" if len(gaps) == 1 else "in every quarter"
        return (f"Predicted and actual shares agree within {AGREE_POINTS} points {where} "
                f"(worst gap {worst} point{'s' if worst != 1 else ''}).")
    listed = ", ".join(f"{c.quarter} (predicted {share_text(c.predicted_share)}, "
                       f"{share_text(c.actual_share)} made it)" for c, _gap in off)
    return (f"Predicted and actual shares are more than {AGREE_POINTS} points apart in "
            f"{len(off)} of {len(gaps)} quarters: {listed}; worst gap {worst} points.")


def brier_line(calibration: Calibration) -> str:
    """The agents' chances scored against giving everyone the same chance, in words."""
    c = calibration
    if c.brier != c.brier:
        return ""
    head = (f"Each agent's chance scored {c.brier:.3f} (Brier score: the average squared "
            "gap between the chance given and what happened; lower is better) against "
            f"{c.naive_brier:.3f} for giving everyone the same {c.hit_rate:.0%} chance (the "
            "share who made it)")
    if not c.brier < c.naive_brier:
        return head + ": no better than that rule, so the chances do not tell the agents apart."
    apart = [q.quarter for q in c.checks if q.brier == q.brier and q.reached
             and q.brier < _brier(np.full(len(q.reached), c.hit_rate),
                                  np.asarray(q.reached, dtype=float)) - 0.005]
    if len(apart) == len(c.checks):
        return head + ": better than that rule in every quarter, so the chances tell the agents apart."
    return (head + f": better overall, so the chances tell the agents apart, but only in "
            f"{', '.join(apart) or 'no single quarter'} clearly; in the others everyone's "
            "chance was close to even.")


def _plain(value: float) -> float | None:
    """None for a figure there is nothing to compute from (JSON has no NaN)."""
    return None if value != value else value


def _brier(chances: np.ndarray, outcomes: np.ndarray) -> float:
    return float(np.mean(np.square(chances - outcomes))) if len(chances) else float("nan")


def reliability(checks: list[QuarterCheck], bins: int = 10) -> Calibration:
    """Score the chances across every quarter tested (see the module's notes)."""
    chances = np.array([p for c in checks for p in c.chances], dtype=float)
    outcomes = np.array([r for c in checks for r in c.reached], dtype=float)
    hit_rate = float(outcomes.mean()) if len(outcomes) else float("nan")
    rows = []
    which = np.clip(np.floor(chances * bins).astype(int), 0, bins - 1)
    for b in range(bins):
        inside = which == b
        if inside.any():
            rows.append((b / bins, (b + 1) / bins, int(inside.sum()),
                         float(chances[inside].mean()), float(outcomes[inside].mean())))
    gaps = [abs(c.predicted_share - c.actual_share) for c in checks
            if c.predicted_share is not None and c.actual_share == c.actual_share]
    return Calibration(checks, hit_rate, _brier(chances, outcomes),
                       _brier(np.full(len(outcomes), hit_rate), outcomes), rows,
                       float(max(gaps)) if gaps else float("nan"))


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
    proposal = propose(plan, trial, history, team_known=True)
    good = 1.0 if measure.higher_is_better else -1.0
    made, right, chances, counted = [], [], [], 0
    for agent in proposal.agents:
        result = by_code.get(agent.code)
        if result is None or result != result or agent.likelihood is None:
            continue
        counted += 1
        reached = bool(result * good >= agent.target * good)
        made.append(reached)
        chances.append(agent.likelihood)
        right.append(reached == (agent.likelihood >= 0.5))
    actual_share = float(np.mean(made)) if made else float("nan")
    return QuarterCheck(str(quarter), counted, float(proposal.team_target),
                        proposal.expected_share, actual_share,
                        float(np.mean(right)) if right else float("nan"), chances, made)
