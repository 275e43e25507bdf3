"""The skill matrix: every agent's rating, 1 (developing) to 5 (expert), on each skill.

Read as arrays for the matrix panel and changed one rating at a time by
:func:`set_rating`, an operation that records an audit event and returns the
old value so the interface can undo it. The plan's skills are its own list
(the demo's: product knowledge, questioning, active listening, objection
handling, closing, up-selling and cross-selling, compliance); a manager can
add one with :func:`add_skill`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from salesplanner import audit, changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.storage.plan_file import PlanFile


@dataclass
class SkillMatrix:
    """Agents (rows) by skills (columns); NaN where an agent is not rated."""

    agents: list[str]
    names: list[str]
    teams: list[str]
    skills: list[str]
    skill_names: list[str]
    ratings: np.ndarray

    def averages(self) -> np.ndarray:
        """Each skill's average rating over the agents rated on it."""
        rated = ~np.isnan(self.ratings)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(rated.any(axis=0), np.nansum(self.ratings, axis=0)
                            / np.maximum(rated.sum(axis=0), 1), np.nan)


def skill_matrix(plan: PlanFile, active_only: bool = True) -> SkillMatrix:
    """The plan's skill matrix (active agents only unless asked)."""
    with plan.connect() as conn:
        agents = conn.execute(
            "SELECT a.id, a.code, a.name, coalesce(t.name, '') FROM agent a"
            " LEFT JOIN team t ON t.id = a.team_id"
            + (" WHERE a.active = 1" if active_only else "") + " ORDER BY a.code").fetchall()
        skills = conn.execute("SELECT id, code, name FROM skill ORDER BY sort_order, id"
                              ).fetchall()
        rows = conn.execute("SELECT agent_id, skill_id, rating FROM skill_rating").fetchall()
    row_of = {a[0]: i for i, a in enumerate(agents)}
    col_of = {s[0]: j for j, s in enumerate(skills)}
    ratings = np.full((len(agents), len(skills)), np.nan)
    for agent_id, skill_id, rating in rows:
        if agent_id in row_of and skill_id in col_of:
            ratings[row_of[agent_id], col_of[skill_id]] = rating
    return SkillMatrix([a[1] for a in agents], [a[2] for a in agents], [a[3] for a in agents],
                       [s[1] for s in skills], [s[2] for s in skills], ratings)


def check_rating(rating: float | None) -> int | None:
    """The rating as stored; refuses anything but a whole number from 1 to 5 (or None)."""
    if rating is not None:
        if isinstance(rating, float) and not rating.is_integer():
            raise UserError(f"rating {rating:g} is not a whole number from 1 to 5; "
                            "nothing was changed")
        rating = int(rating)
        if not 1 <= rating <= 5:
            raise UserError(f"rating {rating} is not from 1 to 5; nothing was changed")
    return rating


def set_rating(plan: PlanFile, agent: str, skill: str, rating: int | None,
               who: str = "user") -> OpResult:
    """Set (or with None, clear) one agent's rating on one skill; refuse
    anything but a whole number from 1 to 5."""
    rating = check_rating(rating)
    with plan.connect(write=True) as conn:
        agent_row = conn.execute("SELECT id FROM agent WHERE code = ?", (agent,)).fetchone()
        skill_row = conn.execute("SELECT id, name FROM skill WHERE code = ?", (skill,)).fetchone()
        if agent_row is None or skill_row is None:
            raise UserError(f"no {'agent ' + agent if agent_row is None else 'skill ' + skill} "
                            "in the plan; nothing was changed")
        key = (agent_row[0], skill_row[0])
        old_row = conn.execute("SELECT rating FROM skill_rating WHERE agent_id = ? AND"
                               " skill_id = ?", key).fetchone()
        old = old_row[0] if old_row else None
        if rating is None:
            conn.execute("DELETE FROM skill_rating WHERE agent_id = ? AND skill_id = ?", key)
        else:
            conn.execute(
                "INSERT INTO skill_rating (agent_id, skill_id, rating, rated_on)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (agent_id, skill_id)"
                " DO UPDATE SET rating = excluded.rating, rated_on = excluded.rated_on",
                (*key, rating, datetime.now(UTC).date().isoformat()))
        audit.record(conn, who, "rate_skill", "skill_rating", f"{agent}/{skill}", old, rating)
    shown = "cleared" if rating is None else f"set to {rating}"
    return OpResult(frozenset({changes.SKILLS}), f"{agent}'s {skill_row[1].lower()} {shown}",
                    {"agent": agent, "skill": skill, "old": old, "new": rating})


def add_skill(plan: PlanFile, name: str, description: str = "",
              who: str = "user") -> OpResult:
    """Add a skill to the plan's list (its code made from the name)."""
    name = name.strip()
    code = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40]
    if not code:
        raise UserError("a skill needs a name with letters or digits")
    with plan.connect(write=True) as conn:
        if conn.execute("SELECT 1 FROM skill WHERE code = ? OR name = ? COLLATE NOCASE",
                        (code, name)).fetchone():
            raise UserError(f"the plan already has a skill {name!r}")
        order = conn.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM skill").fetchone()[0]
        conn.execute("INSERT INTO skill (code, name, description, sort_order) VALUES (?, ?, ?, ?)",
                     (code, name[:120], description or None, order))
        audit.record(conn, who, "add_skill", "skill", code, new=name)
    return OpResult(frozenset({changes.SKILLS}), f"skill {name} added", {"code": code})
