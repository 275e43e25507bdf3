"""What targets are built from: every agent's weekly results, hours and skills.

:func:`load_history` reads the plan once per plan state (cached on the
plan's change stamp) into NumPy arrays: the base aggregates summed per agent
and ISO week, the contracted hours of each agent in each week (weekly hours
times the days employed), the team's daily totals (for the weekday pattern
of milestones) and the skill matrix. Proposing, back-testing and scenario
comparisons then run on these arrays in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesplanner.metrics import BASE_AGGREGATES
from salesplanner.state_cache import StateCache
from salesplanner.storage.bulk import read_columns
from salesplanner.storage.plan_file import PlanFile

#: Base aggregates summed per agent and week (contracted hours are worked out, not stored).
FIELDS = [b.name for b in BASE_AGGREGATES.values() if b.column]
_EPOCH = np.datetime64("1970-01-05", "D")  # a Monday: week keys count from it


@dataclass
class History:
    """A plan's results by agent and week, with the agents and their skills."""

    #: One row per agent: id, code, name, team, weekly_hours, start, leave, active.
    agents: pd.DataFrame
    #: Monday of each week, consecutive, datetime64[D].
    weeks: np.ndarray
    #: Base aggregate -> (agents x weeks) sums.
    sums: dict[str, np.ndarray]
    #: Contracted hours, (agents x weeks).
    hours: np.ndarray
    #: Every day with data (datetime64[D]) and the team's base sums that day.
    days: np.ndarray
    day_sums: dict[str, np.ndarray]
    #: Skill codes and names; ratings (agents x skills), NaN where unrated.
    skills: list[str]
    skill_names: list[str]
    ratings: np.ndarray
    currency_digits: int = 2

    def week_index(self, day: date) -> int:
        """The index of the week holding ``day`` (may be outside the data)."""
        return int((np.datetime64(day, "D") - self.weeks[0]).astype(int) // 7) if len(
            self.weeks) else 0

    def weeks_between(self, first: date, last: date) -> np.ndarray:
        """Indexes of the data's weeks that start on or after ``first`` and
        end on or before ``last``."""
        if not len(self.weeks):
            return np.zeros(0, dtype=int)
        starts = self.weeks
        ends = starts + np.timedelta64(6, "D")
        keep = (starts >= np.datetime64(first, "D")) & (ends <= np.datetime64(last, "D"))
        return np.flatnonzero(keep)


#: One plan state is enough: targets work on the open plan.
_HISTORY = StateCache(limit=1)


def load_history(plan: PlanFile) -> History:
    """The plan's history as arrays, read once per plan state."""
    return _HISTORY.get(plan, (), lambda: _read(plan))


def _read(plan: PlanFile) -> History:
    from salesplanner.currency import currency

    sums_sql = ", ".join(f"sum({BASE_AGGREGATES[f].column})" for f in FIELDS)
    with plan.connect() as conn:
        agents = pd.DataFrame(conn.execute(
            "SELECT a.id, a.code, a.name, coalesce(t.name, '(no team)'), a.weekly_hours,"
            " a.start_date, a.leave_date, a.active FROM agent a"
            " LEFT JOIN team t ON t.id = a.team_id ORDER BY a.code").fetchall(),
            columns=["id", "code", "name", "team", "weekly_hours", "start", "leave", "active"])
        weekly = read_columns(conn.execute(
            "SELECT agent_id,"
            " CAST((julianday(min(day)) - julianday('1970-01-05')) / 7 AS INTEGER),"
            f" {sums_sql} FROM daily_agent_stats WHERE agent_id > 0"
            " GROUP BY agent_id, iso_year, iso_week"),
            [np.int64, np.int64, *([float] * len(FIELDS))])
        daily = read_columns(conn.execute(
            f"SELECT day, {sums_sql} FROM daily_agent_stats GROUP BY day ORDER BY day"),
            ["datetime64[D]", *([float] * len(FIELDS))])
        skills = conn.execute("SELECT id, code, name FROM skill ORDER BY sort_order, id").fetchall()
        ratings = conn.execute("SELECT agent_id, skill_id, rating FROM skill_rating").fetchall()
        digits = currency(conn.execute("SELECT currency FROM plan").fetchone()[0]).digits
    agents["weekly_hours"] = agents["weekly_hours"].fillna(0.0).astype(float)
    for column in ("start", "leave"):
        agents[column] = pd.to_datetime(agents[column]).to_numpy(dtype="datetime64[D]")
    position = {int(a): i for i, a in enumerate(agents["id"])}
    agent_ids, week_keys = weekly[0], weekly[1]
    # Week keys from the first day present in the ISO week, brought to its Monday.
    if len(week_keys):
        first_key, last_key = int(week_keys.min()), int(week_keys.max())
    else:
        first_key = last_key = 0
    n_weeks = last_key - first_key + 1 if len(week_keys) else 0
    rows = np.array([position.get(int(a), -1) for a in agent_ids], dtype=np.int64)
    keep = rows >= 0
    sums = {}
    for f, values in zip(FIELDS, weekly[2:]):
        grid = np.zeros((len(agents), n_weeks))
        np.add.at(grid, (rows[keep], week_keys[keep] - first_key), values[keep])
        sums[f] = grid
    sums["revenue"] = sums["revenue"] / 10 ** digits
    weeks = _EPOCH + (np.arange(n_weeks) + first_key) * np.timedelta64(7, "D")
    hours = contracted_hours(agents, weeks)
    day_sums = dict(zip(FIELDS, daily[1:]))
    day_sums["revenue"] = day_sums["revenue"] / 10 ** digits
    skill_ids = {sid: j for j, (sid, _c, _n) in enumerate(skills)}
    matrix = np.full((len(agents), len(skills)), np.nan)
    for agent_id, skill_id, rating in ratings:
        if agent_id in position and skill_id in skill_ids:
            matrix[position[agent_id], skill_ids[skill_id]] = rating
    return History(agents, weeks, sums, hours, daily[0], day_sums,
                   [c for _i, c, _n in skills], [n for _i, _c, n in skills], matrix, digits)


def contracted_hours(agents: pd.DataFrame, weeks: np.ndarray) -> np.ndarray:
    """Hours each agent was contracted for in each week starting on ``weeks``:
    weekly hours times the share of the week they were employed."""
    never, always = np.datetime64("1900-01-01", "D"), np.datetime64("2199-12-31", "D")
    first = np.where(pd.isna(agents["start"]), never, agents["start"].to_numpy("datetime64[D]"))
    last = np.where(pd.isna(agents["leave"]), always, agents["leave"].to_numpy("datetime64[D]"))
    lo = np.maximum(first[:, None], weeks[None, :])
    hi = np.minimum(last[:, None], weeks[None, :] + np.timedelta64(6, "D"))
    days = np.clip((hi - lo).astype(np.int64) + 1, 0, 7)
    return days * agents["weekly_hours"].to_numpy(float)[:, None] / 7


def mondays(first: date, last: date) -> np.ndarray:
    """The Monday of every week touching ``first`` .. ``last``."""
    start = first - timedelta(days=first.weekday())
    count = (last - start).days // 7 + 1
    return np.datetime64(start, "D") + np.arange(count) * np.timedelta64(7, "D")
