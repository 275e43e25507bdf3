"""Where to coach: the likely reasons an agent is behind, with evidence, and coaching notes.

For each agent behind target (attainment under 100%, or under their rate
target), the period's figures are compared with the team's (their own
team's sums, so a team's mix of work is the yardstick):

- **few calls for their hours**: calls per contracted hour under 85% of the team's;
- **low conversion**: sales per call under 90% of the team's;
- **low up-sell / cross-sell**: under 85% of the team's rate;
- **many call-back requests left unconverted**: call-back requests per call
  over 115% of the team's;
- **weak skills that matter**: a skill with a weight of 15% or more for the
  measure, rated 2 or less, or a point or more under the team's average.
  The weights are those saved for the measure (Skills panel); else those the
  target planner estimated for the targets in force; else all skills alike.

Each reason carries the figures that raised it. Coaching notes (the
manager's own observation or a peer's, with a follow-up and its date) are
kept in the plan and listed beside the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from salesplanner import audit, changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.card_numbers import mask_text
from salesplanner.storage.plan_file import PlanFile

if TYPE_CHECKING:
    from salesplanner.analysis.performance import Performance
    from salesplanner.skill_matrix import SkillMatrix

NOTE_SOURCES = ("own", "peer")


@dataclass
class Opportunity:
    """One likely reason an agent is behind, with its evidence."""

    agent: str
    kind: str
    text: str
    agent_value: float
    team_value: float

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {"agent": self.agent, "kind": self.kind, "text": self.text,
                "agent_value": self.agent_value, "team_value": self.team_value}


#: (kind, numerator, denominator, unit word, ratio that triggers, higher is better)
CHECKS = (
    ("few calls", "calls", "contracted_hours", "calls an hour", 0.85, True),
    ("low conversion", "orders", "calls", "sales per call", 0.90, True),
    ("low up-sell", "upsell_lines", "orders", "up-sells per sale", 0.85, True),
    ("low cross-sell", "crosssell_lines", "orders", "cross-sells per sale", 0.85, True),
    ("call-backs left unconverted", "callbacks", "calls", "call-back requests per call",
     1.15, False),
)


def opportunities(plan: PlanFile, result: Performance, behind: list[str]) -> list[Opportunity]:
    """Likely reasons for each agent in ``behind``, from the period's sums and skills."""
    from salesplanner.daily_figures import base_totals
    from salesplanner.skill_matrix import skill_matrix
    from salesplanner.targets.skills import stored_weights

    totals = base_totals(plan, result.start, result.end, by_agent=True)
    with plan.connect() as conn:
        rows = conn.execute("SELECT a.id, a.code, coalesce(t.name, '') FROM agent a"
                            " LEFT JOIN team t ON t.id = a.team_id ORDER BY a.id").fetchall()
    code_at = {code: i for i, (_id, code, _t) in enumerate(rows)}
    team_of = [team for _id, _code, team in rows]
    # Team sums and skill averages are worked out once per team, not once per
    # agent behind: a hundred agents behind would repeat them a hundred times.
    teams = np.array(team_of, dtype=object)
    names = {n for check in CHECKS for n in check[1:3]}
    team_sums = {team: {n: float(totals[n][teams == team].sum()) for n in names}
                 for team in set(team_of)}
    weights = stored_weights(plan, result.measure.code)[0]
    if not weights and result.scenario_id is not None:
        # None saved: the weights the target planner estimated for the targets in
        # force (from how skills went with results), not every skill alike.
        from salesplanner.targets.stored_scenarios import cached_scenario

        weights = cached_scenario(plan, result.scenario_id).summary.get("skill_weights") or {}
    skills = _SkillCheck(skill_matrix(plan, active_only=False), weights, team_of, code_at)
    out: list[Opportunity] = []
    for agent in behind:
        i = code_at.get(agent)
        if i is None:
            continue
        sums = team_sums[team_of[i]]
        for kind, num, den, word, trigger, higher in CHECKS:
            mine_den, team_den = totals[den][i], sums[den]
            if mine_den <= 0 or team_den <= 0:
                continue
            mine = totals[num][i] / mine_den
            team = sums[num] / team_den
            if team <= 0:
                continue
            if (higher and mine < team * trigger) or (not higher and mine > team * trigger):
                shown = (lambda v: f"{v:.1f}") if den == "contracted_hours" else \
                    (lambda v: f"{v:.0%}")
                out.append(Opportunity(agent, kind, f"{kind}: {shown(mine)} {word} against "
                                       f"the team's {shown(team)}", float(mine), float(team)))
        out.extend(skills.weak(agent, team_of[i]))
    return out


class _SkillCheck:
    """Weak skills that matter for the measure, against the agent's team."""

    def __init__(self, matrix: SkillMatrix, weights: dict[str, float], team_of: list[str],
                 code_at: dict[str, int]) -> None:
        self.matrix = matrix
        self.row_of = {code: k for k, code in enumerate(matrix.agents)}
        total = sum(weights.values()) or 0.0
        count = len(matrix.skills)
        self.shares = {s: (weights.get(s, 0.0) / total if total else 1 / count)
                       for s in matrix.skills}
        #: Team -> each skill's average rating (NaN where nobody is rated).
        self.team_avg: dict[str, np.ndarray] = {}
        teams = np.array([team_of[code_at[code]] if code in code_at else None
                          for code in matrix.agents], dtype=object)
        for team in set(team_of):
            rated = matrix.ratings[teams == team] if count else np.zeros((0, 0))
            seen = (~np.isnan(rated)).sum(axis=0)
            self.team_avg[team] = np.where(seen > 0, np.nansum(rated, axis=0)
                                           / np.maximum(seen, 1), np.nan)

    def weak(self, agent: str, team: str) -> list[Opportunity]:
        matrix = self.matrix
        row = self.row_of.get(agent)
        if row is None or not matrix.skills:
            return []
        out = []
        for j, skill in enumerate(matrix.skills):
            rating = matrix.ratings[row, j]
            share = self.shares[skill]
            # A skill "matters" with 15% of the weight, or its equal share when unweighted.
            if rating != rating or share < min(0.15, 1 / len(matrix.skills)) - 1e-9:
                continue
            team_avg = float(self.team_avg[team][j])
            if rating <= 2 or (team_avg == team_avg and rating <= team_avg - 1):
                out.append(Opportunity(agent, "weak skill", (
                    f"weak skill that matters: {matrix.skill_names[j].lower()} rated "
                    f"{rating:.0f} (team {team_avg:.1f}), weight {share:.0%}"),
                    float(rating), team_avg))
        return out


@dataclass
class CoachingNote:
    """An observation about an agent and the follow-up agreed."""

    id: int
    agent: str
    day: date
    source: str
    observer: str | None
    note: str
    follow_up: str | None
    follow_up_day: date | None
    done: bool

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {"id": self.id, "agent": self.agent, "day": self.day.isoformat(),
                "source": self.source, "observer": self.observer, "note": self.note,
                "follow_up": self.follow_up,
                "follow_up_day": self.follow_up_day.isoformat() if self.follow_up_day else None,
                "done": self.done}


def add_note(plan: PlanFile, agent: str, note: str, *, source: str = "own",
             observer: str | None = None, day: date | None = None,
             follow_up: str | None = None, follow_up_day: date | None = None,
             who: str = "user") -> OpResult:
    """Record a coaching note about ``agent``."""
    if not note or not note.strip():
        raise UserError("a coaching note needs some text; nothing was saved")
    if source not in NOTE_SOURCES:
        raise UserError(f"source {source!r}: use 'own' (the manager's) or 'peer'")
    day = day or date.today()
    # Notes are free text: a card number read out on a call is not kept.
    note, follow_up, observer = (None if text is None else mask_text(text)  # type: ignore[assignment]  # None stays None
                                 for text in (note, follow_up, observer))
    with plan.connect(write=True) as conn:
        row = conn.execute("SELECT id FROM agent WHERE code = ?", (agent,)).fetchone()
        if row is None:
            raise UserError(f"no agent {agent} in the plan; nothing was saved")
        cursor = conn.execute(
            "INSERT INTO coaching_note (agent_id, day, source, observer, note, follow_up,"
            " follow_up_day, done) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            (row[0], day.isoformat(), source, observer, note.strip(), follow_up,
             follow_up_day.isoformat() if follow_up_day else None))
        audit.record(conn, who, "add_coaching_note", "coaching_note", cursor.lastrowid,
                     new={"agent": agent, "note": note.strip()})
    return OpResult(frozenset({changes.AGENTS}), f"coaching note for {agent} saved",
                    {"note_id": int(cursor.lastrowid)})  # type: ignore[arg-type]  # after an INSERT


def notes_for(plan: PlanFile, agent: str | None = None) -> list[CoachingNote]:
    """Coaching notes, newest first (of one agent if given)."""
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT n.id, a.code, n.day, n.source, n.observer, n.note, n.follow_up,"
            " n.follow_up_day, n.done FROM coaching_note n JOIN agent a ON a.id = n.agent_id"
            + (" WHERE a.code = ?" if agent else "") + " ORDER BY n.day DESC, n.id DESC",
            (agent,) if agent else ()).fetchall()
    return [CoachingNote(i, code, date.fromisoformat(str(day)[:10]), source, observer, note,
                         follow_up, date.fromisoformat(str(fday)[:10]) if fday else None,
                         bool(done))
            for i, code, day, source, observer, note, follow_up, fday, done in rows]
