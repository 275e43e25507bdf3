"""What targets are built from: every agent's weekly results, hours and skills.

:func:`load_history` reads the plan once per plan state (cached on the
plan's change stamp) into NumPy arrays: the base aggregates summed per agent
and ISO week, the contracted hours of each agent in each week (weekly hours
times the days employed), the team's daily totals (for the weekday pattern
of milestones), all from :mod:`salesplanner.daily_figures`, and the skill
matrix. Proposing, back-testing and scenario comparisons then run on these
arrays in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesplanner.daily_figures import STORED, plan_currency, roster, weekly_figures
from salesplanner.state_cache import StateCache
from salesplanner.storage.plan_file import PlanFile

#: Base aggregates summed per agent and week (contracted hours are worked out, not stored).
FIELDS = [b.name for b in STORED]


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
    agents = roster(plan).frame().sort_values("code", kind="stable").reset_index(drop=True)
    agents["team"] = agents["team"].fillna("(no team)")
    agents["weekly_hours"] = agents["weekly_hours"].fillna(0.0)
    figures = weekly_figures(plan, agents)
    with plan.connect() as conn:
        skills = conn.execute("SELECT id, code, name FROM skill ORDER BY sort_order, id").fetchall()
        ratings = conn.execute("SELECT agent_id, skill_id, rating FROM skill_rating").fetchall()
    position = {int(a): i for i, a in enumerate(agents["id"])}
    skill_ids = {sid: j for j, (sid, _c, _n) in enumerate(skills)}
    matrix = np.full((len(agents), len(skills)), np.nan)
    for agent_id, skill_id, rating in ratings:
        if agent_id in position and skill_id in skill_ids:
            matrix[position[agent_id], skill_ids[skill_id]] = rating
    return History(agents, figures.weeks, figures.sums, figures.hours, figures.days,
                   figures.day_sums, [c for _i, c, _n in skills], [n for _i, _c, n in skills],
                   matrix, plan_currency(plan).digits)


def mondays(first: date, last: date) -> np.ndarray:
    """The Monday of every week touching ``first`` .. ``last``."""
    start = first - timedelta(days=first.weekday())
    count = (last - start).days // 7 + 1
    return np.datetime64(start, "D") + np.arange(count) * np.timedelta64(7, "D")
