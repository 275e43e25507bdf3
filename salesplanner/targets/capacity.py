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
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile

if TYPE_CHECKING:
    from salesplanner.changes import OpResult

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
    # Leave is paid time off: it takes its share of the contracted hours
    # (and so of the productive ones) evenly over the weeks worked.
    working = contracted.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        leave_share = np.where(working > 0, np.minimum(leave / working, 1.0), 0.0)
    productive = np.clip(productive * (1 - leave_share[:, None]), 0, None)
    mid_week = weeks + np.timedelta64(3, "D")
    tenure = (mid_week[None, :] - np.where(first == never, mid_week[0] - 10_000,
                                           first)[:, None]).astype(np.int64)
    return PlannedTime(weeks, in_quarter, contracted, productive, ramp_factor(tenure, ramp),
                       sources)


def set_planned_hours(plan: PlanFile, quarter: Quarter, agent: str, *,
                      weekly_hours: float | None = None, shrinkage: float | None = None,
                      leave_hours: float | None = None, available_from: date | None = None,
                      available_to: date | None = None, clear: bool = False,
                      who: str = "user") -> OpResult:
    """Plan one agent's time in ``quarter`` (what is not given keeps its value,
    starting from their contract); ``clear`` goes back to the contract.
    The result's detail holds the old row so the change can be undone."""
    from salesplanner import audit, changes
    from salesplanner.changes import OpResult
    from salesplanner.errors import UserError

    if weekly_hours is not None and not 0 <= weekly_hours <= 80:
        raise UserError(f"{weekly_hours:g} hours a week: use 0 to 80; nothing was changed")
    if shrinkage is not None and not 0 <= shrinkage < 1:
        raise UserError(f"shrinkage {shrinkage:g}: use a share from 0 to 0.99 (e.g. 0.3); "
                        "nothing was changed")
    if leave_hours is not None and leave_hours < 0:
        raise UserError("planned leave cannot be negative; nothing was changed")
    if available_from and available_to and available_to < available_from:
        raise UserError("the last day available is before the first; nothing was changed")
    columns = ("weekly_hours", "shrinkage", "leave_hours", "available_from", "available_to")
    with plan.connect(write=True) as conn:
        row = conn.execute("SELECT id, weekly_hours FROM agent WHERE code = ?",
                           (agent,)).fetchone()
        if row is None:
            raise UserError(f"no agent {agent} in the plan; nothing was changed")
        agent_id, contract = row
        old_row = conn.execute(
            f"SELECT {', '.join(columns)} FROM agent_planned_hours WHERE agent_id = ? AND"
            " quarter = ?", (agent_id, str(quarter))).fetchone()
        old = dict(zip(columns, old_row)) if old_row else None
        if clear:
            conn.execute("DELETE FROM agent_planned_hours WHERE agent_id = ? AND quarter = ?",
                         (agent_id, str(quarter)))
            new = None
        else:
            new = dict(old) if old else {"weekly_hours": contract,
                                          "shrinkage": DEFAULT_SHRINKAGE, "leave_hours": 0.0,
                                          "available_from": None, "available_to": None}
            given = {"weekly_hours": weekly_hours, "shrinkage": shrinkage,
                     "leave_hours": leave_hours,
                     "available_from": available_from.isoformat() if available_from else None,
                     "available_to": available_to.isoformat() if available_to else None}
            new.update({k: v for k, v in given.items() if v is not None})
            conn.execute(
                "INSERT INTO agent_planned_hours (agent_id, quarter, weekly_hours, shrinkage,"
                " leave_hours, available_from, available_to) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (agent_id, quarter) DO UPDATE SET"
                " weekly_hours = excluded.weekly_hours, shrinkage = excluded.shrinkage,"
                " leave_hours = excluded.leave_hours, available_from = excluded.available_from,"
                " available_to = excluded.available_to",
                (agent_id, str(quarter), *(new[c] for c in columns)))
        audit.record(conn, who, "plan_hours", "agent_planned_hours", f"{agent}/{quarter}",
                     old, new, default=str)
    return OpResult(frozenset({changes.TARGETS, changes.AGENTS}),
                    f"{agent}'s planned hours for {quarter} "
                    + ("back to the contract" if clear else "saved"),
                    {"agent": agent, "quarter": str(quarter), "old": old, "new": new})


def restore_planned_hours(plan: PlanFile, quarter: Quarter, agent: str, row: dict | None,
                          who: str = "user") -> OpResult:
    """Put back a planned-hours row as :func:`set_planned_hours` reported it (undo)."""
    if row is None:
        return set_planned_hours(plan, quarter, agent, clear=True, who=who)
    return set_planned_hours(
        plan, quarter, agent, weekly_hours=row["weekly_hours"], shrinkage=row["shrinkage"],
        leave_hours=row["leave_hours"],
        available_from=date.fromisoformat(str(row["available_from"])[:10])
        if row.get("available_from") else None,
        available_to=date.fromisoformat(str(row["available_to"])[:10])
        if row.get("available_to") else None, who=who)


def hours_table(plan: PlanFile, quarter: Quarter, shrinkage: float = DEFAULT_SHRINKAGE,
                ramp: tuple[float, ...] = DEFAULT_RAMP) -> pd.DataFrame:
    """Per active agent: contract, the quarter's plan, and the productive hours
    the targets will use (after shrinkage, leave and ramp)."""
    with plan.connect() as conn:
        agents = pd.DataFrame(conn.execute(
            "SELECT a.code, a.name, a.weekly_hours, a.start_date, a.leave_date FROM agent a"
            " WHERE a.active = 1 OR a.leave_date >= ? ORDER BY a.code",
            (quarter.start.isoformat(),)).fetchall(),
            columns=["code", "name", "weekly_hours", "start", "leave"])
    stored = stored_plans(plan, quarter)
    frame = agents.copy()
    for column in ("start", "leave"):
        frame[column] = pd.to_datetime(frame[column]).to_numpy(dtype="datetime64[D]")
    time = planned_time(frame, quarter, shrinkage, ramp, stored)
    out = agents[["code", "name", "weekly_hours", "start", "leave"]].copy()
    out = out.rename(columns={"weekly_hours": "contract_hours"})
    plans = stored.reindex(out["code"])
    out["planned_weekly"] = plans["weekly_hours"].to_numpy()
    out["shrinkage"] = plans["shrinkage"].to_numpy()
    out["leave_hours"] = plans["leave_hours"].to_numpy()
    out["available_from"] = plans["available_from"].to_numpy()
    out["available_to"] = plans["available_to"].to_numpy()
    out["productive_hours"] = (time.productive * time.ramp).sum(axis=1)
    return out
