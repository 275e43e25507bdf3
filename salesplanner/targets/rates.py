"""Steps 1-2 of the proposal: each agent's productivity over the history
window, and how far it is pulled toward the team's.

The pull is Empirical-Bayes (credibility) shrinkage: each agent's rate is
blended with the team's as if they had ``prior`` more weeks at the team
rate. How many is estimated from the data unless the settings fix it
(``prior_weeks``): the more agents really differ, against how much an
agent's own four-week stretches vary, the less a rate is pulled. A fixed
8 weeks pulled the weakest agents' baselines up by a sixth on the demo
plans, where their differences are real and lasting, and the back-test saw
it: a third of them fell short of targets set from those baselines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesplanner.formula import evaluate
from salesplanner.metrics import MetricDefinition, measure_values
from salesplanner.targets.capacity import ramp_factor, tenure_days
from salesplanner.targets.history import History
from salesplanner.targets.settings import TargetSettings
from salesplanner.targets.team import HISTORY_SHRINKAGE

#: Stretches of this many weeks measure how much an agent's rate varies
#: (single weeks understate it: results run in streaks).
BLOCK_WEEKS = 4
#: The estimated pull, in weeks at the team rate, is kept within these.
PRIOR_WEEKS_RANGE = (0.5, 26.0)
#: With fixed settings or too few agents to estimate from.
DEFAULT_PRIOR_WEEKS = 8.0


@dataclass
class Rates:
    """Step 1-2: each agent's weekly numerator and denominator over the
    window, their own rate, the team's and the rate pulled toward it."""

    num: np.ndarray
    den: np.ndarray
    ramped: np.ndarray
    active_weeks: np.ndarray
    sum_den: np.ndarray
    own: np.ndarray
    team_rate: float
    blended: np.ndarray
    #: The pull toward the team, in weeks at the team rate.
    prior_weeks: float = DEFAULT_PRIOR_WEEKS


def history_rates(history: History, measures: dict, measure: MetricDefinition,
                   parts: tuple[object, object] | None,
                   settings: TargetSettings, rows: np.ndarray, scoped: pd.DataFrame,
                   window: np.ndarray, notes: list[str]) -> Rates:
    """Productivity over the window, and the pull toward the team."""
    n, n_hist = len(scoped), len(rows)

    # Weekly history of the agents in scope (new starters have none).
    def weekly(name: str, of_rows: np.ndarray = rows) -> np.ndarray:
        grid = np.zeros((n, len(window)))
        grid[:len(of_rows)] = history.sums[name][of_rows][:, window] if len(window) else 0
        return grid

    grid = {name: weekly(name) for name in history.sums}
    hours = np.zeros((n, len(window)))
    if len(window):
        hours[:n_hist] = history.hours[rows][:, window]
    grid["contracted_hours"] = hours
    productive = hours * (1 - HISTORY_SHRINKAGE)
    tenure = tenure_days(scoped, history.weeks[window] if len(window) else np.zeros(0, "M8[D]"))
    ramped = productive * ramp_factor(tenure, settings.ramp)
    if parts is not None:
        num = evaluate(parts[0], grid, lambda c: measure_values(measures, [c], grid)[c])
        den = evaluate(parts[1], grid, lambda c: measure_values(measures, [c], grid)[c])
        num, den = np.nan_to_num(num), np.nan_to_num(den)
    else:
        num = np.nan_to_num(measure_values(measures, [measure.code], grid)[measure.code])
        den = ramped
    active_weeks = ((hours > 0) & ((num != 0) | (den > 0))).sum(axis=1)
    sum_num, sum_den = num.sum(axis=1), den.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(sum_den > 0, sum_num / sum_den, np.nan)
    team_rate = float(sum_num.sum() / sum_den.sum()) if sum_den.sum() > 0 else float("nan")
    if not np.isfinite(team_rate):
        team_rate = 0.0  # no history at all: see team.rate_without_history
    typical = float(np.median(den[den > 0])) if (den > 0).any() else 0.0
    weeks = settings.prior_weeks
    if weeks is None:
        weeks = estimated_prior_weeks(num, den)
        if weeks is None:
            weeks = DEFAULT_PRIOR_WEEKS
            notes.append(f"each rate pulled toward the team's as if {weeks:g} more weeks at "
                         "it (too few agents with history to estimate how far)")
        else:
            notes.append(f"each rate pulled toward the team's as if {weeks:.1f} more weeks at "
                         "it (estimated: how far agents differ against how much their own "
                         "four-week stretches vary)")
    prior = weeks * typical
    blended = (sum_num + prior * team_rate) / np.maximum(sum_den + prior, 1e-12)
    blended = np.where(sum_den + prior > 0, blended, team_rate)
    return Rates(num, den, ramped, active_weeks, sum_den, own, team_rate, blended,
                 float(weeks))


def estimated_prior_weeks(num: np.ndarray, den: np.ndarray) -> float | None:
    """How many weeks at the team rate each agent's rate should be blended
    with (Buhlmann credibility): the variance of an agent's rate per unit of
    ``den`` over their four-week stretches, against the variance of the
    agents' true rates (their rates' spread less what that noise explains).
    None with fewer than five agents with three stretches."""
    n_blocks = num.shape[1] // BLOCK_WEEKS
    if n_blocks < 3:
        return None
    cut = n_blocks * BLOCK_WEEKS
    num = num[:, -cut:].reshape(len(num), n_blocks, BLOCK_WEEKS).sum(axis=2)
    den = den[:, -cut:].reshape(len(den), n_blocks, BLOCK_WEEKS).sum(axis=2)
    worked = den > 0
    keep = worked.sum(axis=1) >= 3
    if keep.sum() < 5:
        return None
    num, den, worked = num[keep], den[keep], worked[keep]
    totals = den.sum(axis=1)
    rate = num.sum(axis=1) / totals
    with np.errstate(invalid="ignore", divide="ignore"):
        block_rate = np.where(worked, num / np.where(worked, den, 1), 0.0)
    # Variance per unit of den: a block with twice the hours varies half as much.
    per_unit = float(np.where(worked, den * np.square(block_rate - rate[:, None]), 0).sum()
                     / (worked.sum(axis=1) - 1).sum())
    team = num.sum() / totals.sum()
    share = totals / totals.sum()
    spread = float(np.sum(share * np.square(rate - team)))
    noise = float(np.sum(share * per_unit / totals))
    typical = float(np.median(den[worked])) / BLOCK_WEEKS
    if not typical > 0 or not per_unit > 0:
        return None
    low, high = PRIOR_WEEKS_RANGE
    if spread <= noise:
        return high  # agents differ no more than chance says: all but the team's rate
    return float(np.clip(per_unit / (spread - noise) / typical, low, high))
