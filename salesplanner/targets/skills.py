"""Skill weights: how much each skill matters for the measure being planned.

A manager sets weights by hand, or asks the program to estimate them from
the plan's history: each agent's productivity relative to the team (the log
of their rate over the team's, so a 10% edge counts the same at any level)
is regressed on their skill ratings, with a small ridge penalty so a dozen
agents cannot produce wild weights. Negative coefficients become 0 (a skill
does not make anyone worse at selling); the rest are scaled to add up to 1.
The fit (R squared) and the number of agents behind it are reported so the
manager can judge whether to trust it.

The estimate for a plan (:func:`salesplanner.targets.proposal.estimate_for`)
runs the proposal's own reading of the history, so it lives with the
proposal; this module holds the arithmetic and the stored weights.

The weighted skill score of an agent (1-5) and how strongly the score goes
with productivity (the slope of the same regression on the score alone) are
what the proposal's skill adjustment uses.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from salesplanner import audit, changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.storage.plan_file import PlanFile

if TYPE_CHECKING:
    from salesplanner.metrics import MetricDefinition

#: Agents need this many weeks of history to count in an estimate.
MIN_WEEKS = 8
#: How a scenario's skill weights were set, in words (by the stored source).
WEIGHT_SOURCES = {"manual": "typed by the manager",
                  "estimated": "estimated from history and saved",
                  "set for this scenario": "set for this scenario"}
_RIDGE = 0.5


@dataclass
class SkillFit:
    """Estimated weights and how well skills explain productivity."""

    weights: dict[str, float]
    r_squared: float
    agents: int
    #: Change in log productivity per point of weighted skill score.
    slope: float
    note: str = ""


def stored_weights(plan: PlanFile, measure: str) -> tuple[dict[str, float], str | None]:
    """The plan's weights for ``measure`` by skill code, and how they were set."""
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT s.code, w.weight, w.source FROM skill_weight w"
            " JOIN skill s ON s.id = w.skill_id"
            " JOIN metric m ON m.id = w.metric_id WHERE m.code = ?", (measure,)).fetchall()
    return {code: weight for code, weight, _s in rows}, (rows[0][2] if rows else None)


def save_weights(plan: PlanFile, measure: str, weights: dict[str, float],
                 source: str = "manual", who: str = "user") -> OpResult:
    """Store the weights of ``measure`` (by skill code); refuse negative ones."""
    if any(w < 0 for w in weights.values()):
        raise UserError("skill weights cannot be negative; use 0 for a skill that does not "
                        "matter")
    if weights and not sum(weights.values()) > 0:
        raise UserError("at least one skill needs a weight above 0")
    from salesplanner.metrics import registry

    definition = registry(plan).get(measure)
    if definition is None:
        raise UserError(f"there is no measure {measure!r}")
    with plan.connect(write=True) as conn:
        metric_id = _metric_id(conn, definition)
        ids = dict(conn.execute("SELECT code, id FROM skill"))
        unknown = sorted(set(weights) - set(ids))
        if unknown:
            raise UserError(f"no skill {', '.join(unknown)} in the plan")
        old = dict(conn.execute(
            "SELECT s.code, w.weight FROM skill_weight w JOIN skill s ON s.id = w.skill_id"
            " WHERE w.metric_id = ?", (metric_id,)))
        conn.execute("DELETE FROM skill_weight WHERE metric_id = ?", (metric_id,))
        conn.executemany(
            "INSERT INTO skill_weight (metric_id, skill_id, weight, source) VALUES (?, ?, ?, ?)",
            [(metric_id, ids[code], float(w), source) for code, w in weights.items()])
        audit.record(conn, who, "set_skill_weights", "metric", measure, old, weights)
    return OpResult(frozenset({changes.TARGETS, changes.SKILLS}),
                    f"skill weights for {definition.name} saved", {"old": old, "new": weights})


def _metric_id(conn: sqlite3.Connection, definition: MetricDefinition) -> int:
    """The measure's row id, storing a built-in measure first if need be."""
    row = conn.execute("SELECT id FROM metric WHERE code = ?", (definition.code,)).fetchone()
    if row:
        return row[0]
    cursor = conn.execute(
        "INSERT INTO metric (code, name, formula, unit, direction, additive, description,"
        " builtin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (definition.code, definition.name, definition.formula, definition.unit,
         definition.direction, int(definition.additive), definition.description,
         int(definition.builtin)))
    return int(cursor.lastrowid)  # type: ignore[arg-type]  # set after an INSERT


def weighted_score(ratings: np.ndarray, skills: list[str],
                   weights: dict[str, float]) -> np.ndarray:
    """Each agent's weighted skill score on the 1-5 scale (unrated skills
    take the agent's own average; an agent with no ratings takes 3)."""
    if not skills:
        return np.full(len(ratings), 3.0)
    w = np.array([max(weights.get(s, 0.0), 0.0) for s in skills])
    if not w.sum():
        w = np.ones(len(skills))
    filled = _fill(ratings)
    return filled @ (w / w.sum())


def _fill(ratings: np.ndarray) -> np.ndarray:
    rated = (~np.isnan(ratings)).sum(axis=1)
    total = np.nansum(ratings, axis=1) if ratings.size else np.zeros(len(ratings))
    own = np.where(rated > 0, total / np.maximum(rated, 1), 3.0)
    return np.where(np.isnan(ratings), own[:, None], ratings)


def estimate_weights(ratings: np.ndarray, skills: list[str], log_relative: np.ndarray,
                     usable: np.ndarray) -> SkillFit:
    """Fit weights from ``log_relative`` (log of each agent's rate over the
    team's) on ``ratings``, for the agents where ``usable`` is true."""
    keep = usable & np.isfinite(log_relative) & ~np.isnan(ratings).all(axis=1)
    n = int(keep.sum())
    if not skills or n < max(5, len(skills) + 2):
        equal = {s: 1 / len(skills) for s in skills} if skills else {}
        return SkillFit(equal, float("nan"), n, 0.0,
                        f"only {n} agents have ratings and {MIN_WEEKS} weeks of history: "
                        "too few to estimate; equal weights used")
    x = _fill(ratings)[keep]
    y = log_relative[keep]
    xc, yc = x - x.mean(axis=0), y - y.mean()
    beta = np.linalg.solve(xc.T @ xc + _RIDGE * np.eye(len(skills)), xc.T @ yc)
    fitted = xc @ beta
    total = float(yc @ yc)
    r2 = 1 - float((yc - fitted) @ (yc - fitted)) / total if total else 0.0
    positive = np.clip(beta, 0, None)
    if not positive.sum():
        equal = {s: 1 / len(skills) for s in skills}
        return SkillFit(equal, r2, n, 0.0, "no skill goes with higher results in this "
                        "history; equal weights used and no skill adjustment")
    weights = dict(zip(skills, (positive / positive.sum()).tolist()))
    score = x @ (positive / positive.sum())
    sc = score - score.mean()
    slope = float(sc @ yc / (sc @ sc)) if sc @ sc else 0.0
    return SkillFit(weights, r2, n, slope)


def score_slope(score: np.ndarray, log_relative: np.ndarray, usable: np.ndarray) -> float:
    """How much log productivity rises per point of weighted score (least
    squares over the usable agents; 0 when it cannot be measured)."""
    keep = usable & np.isfinite(log_relative)
    if keep.sum() < 5:
        return 0.0
    s, y = score[keep] - score[keep].mean(), log_relative[keep] - log_relative[keep].mean()
    return max(0.0, float(s @ y / (s @ s))) if s @ s else 0.0
