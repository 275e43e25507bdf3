"""Milestones and the SMART check of every target.

**Milestones.** A quarter's target is phased into weeks and months by
when the agent will be working and when the team sells: each day of the
quarter gets the agent's planned productive hours that day (ramp included)
times the share of the team's results that fall on that weekday in the
history. Weekly and monthly milestones are the sums of those days, so
they add up to the target. A ratio target is the same rate every period.

**SMART**, each letter a pass or a reason:

- *Specific*: the measure and the agent are named, with the quarter.
- *Measurable*: a measure of the registry, with a number.
- *Achievable*: the likelihood of reaching it is inside the manager's band.
- *Realistic*: within the agent's capacity: planned hours at the team's
  top-quartile rate (for lower-is-better measures, the best quartile).
- *Time-bound*: the quarter's dates, with monthly and weekly milestones.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from salesplanner.metrics import format_value
from salesplanner.targets.history import History
from salesplanner.targets.settings import RATIO_STEPS, STEPS

if TYPE_CHECKING:
    from salesplanner.targets.proposal import AgentTarget, Proposal

LETTERS = ("S", "M", "A", "R", "T")
NAMES = {"S": "Specific", "M": "Measurable", "A": "Achievable", "R": "Realistic",
         "T": "Time-bound"}


def weekday_shares(history: History, proposal: Proposal) -> np.ndarray:
    """Share of the measure's results on each weekday (Monday first), mean 1
    over the weekdays the centre works; flat when there is no history."""
    names = ["orders", "revenue", "calls_inbound", "calls_outbound"]
    field = next((n for n in names if n in proposal.measure.formula), "orders")
    values = history.day_sums.get(field)
    if values is None or not len(history.days) or not np.nansum(values):
        return np.ones(7)
    days = history.days
    weekday = ((days - np.datetime64("1970-01-05", "D")).astype(int)) % 7
    totals = np.bincount(weekday, weights=np.nan_to_num(values), minlength=7)
    counts = np.bincount(weekday, minlength=7)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_day = np.where(counts > 0, totals / np.maximum(counts, 1), 0.0)
    return per_day / per_day.mean() if per_day.mean() else np.ones(7)


def add_milestones_and_smart(proposal: Proposal, history: History) -> None:
    """Fill every agent's weekly and monthly milestones and SMART flags."""
    time = proposal.internals["time"]
    quarter = proposal.quarter
    shares = weekday_shares(history, proposal)
    first = quarter.start
    n_days = (quarter.end - first).days + 1
    days = [first + timedelta(days=k) for k in range(n_days)]
    week_of_day = np.array([(d - (first - timedelta(days=first.weekday()))).days // 7
                            for d in days])
    month_of_day = np.array([d.month for d in days])
    weekday = np.array([d.weekday() for d in days])
    week_starts = [first - timedelta(days=first.weekday()) + timedelta(weeks=k)
                   for k in range(len(time.weeks))]
    months = quarter.months()
    for i, agent in enumerate(proposal.agents):
        hours = time.productive[i] * time.ramp[i]
        per_day = hours[week_of_day] / np.maximum(time.quarter_days[week_of_day], 1)
        # Days the agent works carry the team's weekday pattern.
        weight = per_day * shares[weekday]
        if proposal.ratio:
            agent.weekly = [(max(w, first), agent.target) for w, h in zip(week_starts, hours)
                            if h > 0]
            agent.monthly = [(m, agent.target) for m in months
                             if weight[month_of_day == m.month].sum() > 0]
        elif weight.sum() > 0:
            daily = agent.target * weight / weight.sum()
            weekly = np.bincount(week_of_day, weights=daily, minlength=len(week_starts))
            agent.weekly = [(max(w, first), float(v)) for w, v in zip(week_starts, weekly)]
            agent.monthly = [(m, float(daily[month_of_day == m.month].sum())) for m in months]
        else:
            agent.weekly, agent.monthly = [], []
        agent.smart = smart_flags(proposal, agent)


def smart_flags(proposal: Proposal, agent: AgentTarget) -> dict[str, tuple[bool, str]]:
    """Each SMART letter: (passes, why)."""
    measure = proposal.measure
    unit = measure.unit

    def fmt(value: float) -> str:
        return format_value(value, unit)

    quarter = proposal.quarter
    flags: dict[str, tuple[bool, str]] = {}
    flags["S"] = (bool(agent.code), f"{measure.name} for {agent.name} ({agent.code}), "
                  f"{quarter}")
    finite = agent.target == agent.target and np.isfinite(agent.target)
    flags["M"] = (finite, f"{measure.code} = {measure.formula}: {fmt(agent.target)}" if finite
                  else "no number could be set")
    lo, hi = proposal.settings.band
    p = agent.likelihood
    if p is None:
        flags["A"] = (False, "no history to judge the chance of reaching it")
    elif p < lo:
        flags["A"] = (False, f"a {p:.0%} chance of reaching it is below the {lo:.0%}-{hi:.0%} "
                      "band: too stretching")
    elif p > hi:
        flags["A"] = (False, f"a {p:.0%} chance of reaching it is above the {lo:.0%}-{hi:.0%} "
                      "band: not stretching")
    else:
        flags["A"] = (True, f"a {p:.0%} chance of reaching it, inside the {lo:.0%}-{hi:.0%} band")
    good = proposal.internals["good"]
    step = (RATIO_STEPS if proposal.ratio else STEPS).get(unit, 1.0)
    within = agent.target * good <= agent.capacity * good + step  # rounding is not a breach
    what = "top" if good > 0 else "best"
    flags["R"] = (bool(within), f"within capacity: {fmt(agent.capacity)} at the team's {what}-"
                  "quartile rate" if within else f"beyond capacity: {fmt(agent.capacity)} at "
                  f"the team's {what}-quartile rate for {agent.planned_hours:,.0f} planned hours")
    has_milestones = bool(agent.weekly) and bool(agent.monthly)
    flags["T"] = (has_milestones, f"{quarter.start:%d %b} to {quarter.end:%d %b %Y}, "
                  f"{len(agent.monthly)} monthly and {len(agent.weekly)} weekly milestones"
                  if has_milestones else "no planned hours in the quarter to phase it over")
    return {letter: (bool(ok), why) for letter, (ok, why) in flags.items()}


def smart_text(flags: dict[str, tuple[bool, str]]) -> str:
    """``SMART`` with a letter in lower case where it fails, e.g. ``SMaRT``."""
    return "".join(letter if flags.get(letter, (False,))[0] else letter.lower()
                   for letter in LETTERS)


def month_name(day: date) -> str:
    """``Jan 2027``."""
    return f"{day:%b %Y}"
