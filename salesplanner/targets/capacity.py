"""Planned hours: how much time each agent has for the phones in the quarter.

For each agent and each week of the quarter: contracted weekly hours times
the share of the week that is inside the quarter and inside their
employment (start and leave dates, or the planned first and last day),
less shrinkage (training, breaks, sickness: the share of paid time not on
the phones), less planned leave spread over the weeks they work. A new
starter's output is scaled by the ramp curve for their tenure in each week.

Planned hours in the plan (``agent_planned_hours`` for the quarter) take
precedence over the agent's contracted hours and the scenario's shrinkage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile

#: Default share of a new starter's full productivity in their 1st, 2nd,
#: 3rd ... month; full from the month after the last.
DEFAULT_RAMP = (0.5, 0.7, 0.85)
DEFAULT_SHRINKAGE = 0.30


@dataclass(frozen=True)
class NewStarter:
    """An agent who joins during (or just before) the quarter, for a scenario."""

    code: str
    start: date
    weekly_hours: float = 37.5
    team: str = "(no team)"
    name: str = ""


@dataclass
class PlannedTime:
    """Per agent (rows) and week of the quarter (columns)."""

    weeks: np.ndarray  # Monday of each week, datetime64[D]
    #: Days of each week inside the quarter (1-7).
    quarter_days: np.ndarray
    contracted: np.ndarray
    productive: np.ndarray
    ramp: np.ndarray
    #: Per agent: where their figures came from, for the explanation.
    sources: list[str] = field(default_factory=list)


def ramp_factor(tenure_days: np.ndarray, ramp: tuple[float, ...]) -> np.ndarray:
    """Share of full productivity at ``tenure_days`` (30-day months)."""
    if not ramp:
        return np.ones_like(tenure_days, dtype=float)
    month = np.clip(np.floor(np.asarray(tenure_days, float) / 30.4), 0, None).astype(int)
    curve = np.array([*ramp, 1.0])
    return np.where(np.asarray(tenure_days) < 0, 0.0, curve[np.minimum(month, len(ramp))])


def stored_plans(plan: PlanFile, quarter: Quarter) -> pd.DataFrame:
    """The plan's planned hours for ``quarter`` by agent code."""
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT a.code, p.weekly_hours, p.shrinkage, p.leave_hours, p.available_from,"
            " p.available_to FROM agent_planned_hours p JOIN agent a ON a.id = p.agent_id"
            " WHERE p.quarter = ?", (str(quarter),)).fetchall()
    return pd.DataFrame(rows, columns=["code", "weekly_hours", "shrinkage", "leave_hours",
                                       "available_from", "available_to"]).set_index("code")


def planned_time(agents: pd.DataFrame, quarter: Quarter, shrinkage: float,
                 ramp: tuple[float, ...], stored: pd.DataFrame | None = None,
                 leave_hours: dict[str, float] | None = None) -> PlannedTime:
    """Contracted and productive hours and the ramp per agent and week of ``quarter``.

    ``agents`` has code, weekly_hours, start and leave (datetime64[D] or NaT).
    """
    from salesplanner.targets.history import mondays

    weeks = mondays(quarter.start, quarter.end)
    q_start, q_end = np.datetime64(quarter.start, "D"), np.datetime64(quarter.end, "D")
    week_end = weeks + np.timedelta64(6, "D")
    in_quarter = (np.minimum(week_end, q_end) - np.maximum(weeks, q_start)).astype(int) + 1
    n = len(agents)
    weekly = agents["weekly_hours"].to_numpy(float).copy()
    shrink = np.full(n, shrinkage)
    leave = np.zeros(n)
    never, always = np.datetime64("1900-01-01", "D"), np.datetime64("2199-12-31", "D")
    first = np.where(pd.isna(agents["start"]), never, agents["start"].to_numpy("datetime64[D]"))
    last = np.where(pd.isna(agents["leave"]), always, agents["leave"].to_numpy("datetime64[D]"))
    sources = ["contracted hours"] * n
    codes = list(agents["code"])
    for i, code in enumerate(codes):
        if stored is not None and code in stored.index:
            row = stored.loc[code]
            weekly[i], shrink[i], leave[i] = row.weekly_hours, row.shrinkage, row.leave_hours
            if row.available_from:
                first[i] = max(first[i], np.datetime64(str(row.available_from)[:10], "D"))
            if row.available_to:
                last[i] = min(last[i], np.datetime64(str(row.available_to)[:10], "D"))
            sources[i] = "planned hours"
        if leave_hours and code in leave_hours:
            leave[i] = leave_hours[code]
    lo = np.maximum(np.maximum(first[:, None], weeks[None, :]), q_start)
    hi = np.minimum(np.minimum(last[:, None], week_end[None, :]), q_end)
    days = np.clip((hi - lo).astype(np.int64) + 1, 0, 7)
    contracted = days * weekly[:, None] / 7
    productive = contracted * (1 - shrink[:, None])
    working = productive.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        leave_share = np.where(working > 0, leave / working, 0.0)
    productive = np.clip(productive * (1 - leave_share[:, None]), 0, None)
    mid_week = weeks + np.timedelta64(3, "D")
    tenure = (mid_week[None, :] - np.where(first == never, mid_week[0] - 10_000,
                                           first)[:, None]).astype(np.int64)
    return PlannedTime(weeks, in_quarter, contracted, productive, ramp_factor(tenure, ramp),
                       sources)
