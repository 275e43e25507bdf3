"""Stored target scenarios, as read: a scenario with its targets, and the scenario in force.

Monitoring, the quarter's forecast, coaching and the exports all need the
targets in force for a measure and quarter; they read them here, below the
proposal and the operations that change scenarios (:mod:`.scenarios`), so
none of them has to import the machinery that computes targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from salesplanner.errors import UserError
from salesplanner.periods import Quarter
from salesplanner.state_cache import StateCache
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.settings import TargetSettings


@dataclass
class StoredTarget:
    """One agent's stored target."""

    code: str
    name: str
    team: str
    target: float
    baseline: float | None
    seasonality: float | None
    skill_adjustment: float | None
    stretch: float | None
    guardrail: str | None
    override: float | None
    override_reason: str | None
    likelihood: float | None
    smart: dict
    explanation: str
    monthly: list[tuple[date, float]] = field(default_factory=list)
    weekly: list[tuple[date, float]] = field(default_factory=list)


@dataclass
class Scenario:
    """A stored scenario with its targets."""

    id: int
    name: str
    measure: str
    quarter: str
    team_target: float
    status: str
    settings: TargetSettings
    created_at: str
    targets: list[StoredTarget]
    summary: dict

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {"id": self.id, "name": self.name, "measure": self.measure,
                "quarter": self.quarter, "team_target": self.team_target,
                "status": self.status, "created_at": self.created_at, **self.summary,
                "settings": self.settings.as_json(),
                "targets": [{
                    "agent": t.code, "name": t.name, "team": t.team, "target": t.target,
                    "baseline": t.baseline, "seasonality": t.seasonality,
                    "skill_adjustment": t.skill_adjustment, "stretch": t.stretch,
                    "guardrail": t.guardrail, "override": t.override,
                    "override_reason": t.override_reason, "likelihood": t.likelihood,
                    "smart": {k: {"pass": v[0], "why": v[1]} for k, v in t.smart.items()},
                    "explanation": t.explanation,
                    "monthly": [{"month": d.isoformat(), "value": v} for d, v in t.monthly],
                    "weekly": [{"week": d.isoformat(), "value": v} for d, v in t.weekly]}
                    for t in self.targets]}


def list_scenarios(plan: PlanFile) -> list[dict]:
    """Every scenario: id, name, measure, quarter, team target, status, created."""
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT s.id, s.name, m.code, s.quarter, s.team_target, s.status, s.created_at,"
            " (SELECT count(*) FROM target t WHERE t.scenario_id = s.id) FROM target_scenario s"
            " JOIN metric m ON m.id = s.metric_id ORDER BY s.id").fetchall()
    return [dict(zip(("id", "name", "measure", "quarter", "team_target", "status",
                      "created_at", "agents"), r)) for r in rows]


def in_force(plan: PlanFile, quarter: Quarter | str) -> list[dict]:
    """The scenarios whose targets count in ``quarter`` (as :func:`list_scenarios`
    lists them), one a measure: the newest published, else the newest chosen;
    the measures in that order (published before chosen, newest first)."""
    listed = [s for s in list_scenarios(plan)
              if s["quarter"] == str(quarter) and s["status"] in ("chosen", "published")]
    ordered = sorted(reversed(listed), key=lambda s: s["status"] != "published")
    out: dict[str, dict] = {}
    for s in ordered:
        out.setdefault(s["measure"], s)
    return list(out.values())


def scenario_in_force(plan: PlanFile, measure: str, quarter: Quarter | str) -> dict | None:
    """The scenario whose targets count for ``measure`` in ``quarter``: the newest
    published, else the newest chosen; None when there is neither. Monitoring
    and forecasts both use it."""
    return next((s for s in in_force(plan, quarter) if s["measure"] == measure), None)


def measure_in_force(plan: PlanFile, quarter: Quarter | str) -> str | None:
    """The measure the quarter's targets are set in (that of the newest published,
    else the newest chosen scenario): what the manager will want to look at first."""
    scenarios = in_force(plan, quarter)
    return scenarios[0]["measure"] if scenarios else None


def current_scenario_id(plan: PlanFile, measure: str | None = None) -> int:
    """The scenario to show: the published or chosen one, else the newest."""
    scenarios = [s for s in list_scenarios(plan) if measure in (None, s["measure"])]
    if not scenarios:
        raise UserError("the plan has no targets yet; propose some with "
                        "'salesplanner targets PLAN --measure M --team-target X'")
    for status in ("published", "chosen"):
        chosen = [s for s in scenarios if s["status"] == status]
        if chosen:
            return chosen[-1]["id"]
    return scenarios[-1]["id"]


def load_scenario(plan: PlanFile, scenario_id: int) -> Scenario:
    """A stored scenario with its targets and milestones."""
    with plan.connect() as conn:
        row = conn.execute(
            "SELECT s.id, s.name, m.code, s.quarter, s.team_target, s.status,"
            " s.parameters_json, s.created_at FROM target_scenario s"
            " JOIN metric m ON m.id = s.metric_id WHERE s.id = ?", (scenario_id,)).fetchone()
        if row is None:
            raise UserError(f"there is no scenario {scenario_id}; 'salesplanner targets PLAN "
                            "--scenarios' lists them")
        targets = conn.execute(
            "SELECT a.code, a.name, coalesce(tm.name, '(no team)'), t.value, t.baseline,"
            " t.seasonality, t.skill_adjustment, t.stretch, t.guardrail, t.override_value,"
            " t.override_reason, t.likelihood, t.smart_json, a.id FROM target t"
            " JOIN agent a ON a.id = t.agent_id LEFT JOIN team tm ON tm.id = a.team_id"
            " WHERE t.scenario_id = ? ORDER BY a.code", (scenario_id,)).fetchall()
        milestones: dict[int, dict[str, list]] = {}
        for agent_id, kind, start, value in conn.execute(
                "SELECT agent_id, kind, period_start, value FROM target_milestone"
                " WHERE scenario_id = ? ORDER BY period_start", (scenario_id,)):
            milestones.setdefault(agent_id, {}).setdefault(kind, []).append(
                (date.fromisoformat(str(start)[:10]), value))
    parameters = json.loads(row[6])
    stored = []
    for (code, name, team, value, baseline, season, skill, stretch, guard, override, reason,
         likelihood, smart_json, agent_id) in targets:
        smart = json.loads(smart_json or "{}")
        phases = milestones.get(agent_id, {})
        stored.append(StoredTarget(
            code, name, team, value, baseline, season, skill, stretch, guard, override, reason,
            likelihood, {k: tuple(v) for k, v in smart.get("flags", {}).items()},
            smart.get("explanation", ""), phases.get("month", []), phases.get("week", [])))
    return Scenario(row[0], row[1], row[2], row[3], row[4], row[5],
                    TargetSettings.from_json(parameters["settings"]), str(row[7]), stored,
                    parameters.get("summary", {}))


#: Scenarios as last read, by plan state: the Performance panel asks for the
#: same one on every change of period or measure, and reading 400 targets with
#: their milestones costs more than the rest of the table.
_SCENARIOS = StateCache(limit=8)


def cached_scenario(plan: PlanFile, scenario_id: int) -> Scenario:
    """A stored scenario, read once per plan state (monitoring reads it often)."""
    return _SCENARIOS.get(plan, (scenario_id,), lambda: load_scenario(plan, scenario_id))

