"""Target scenarios in the plan file: proposed, compared, overridden, chosen, published.

A scenario is one proposal for one measure and quarter, stored with every
setting it was computed from (``parameters_json``), so it can be computed
again after an override. Every change is an operation that records an audit
event (who, when, old, new, reason) and returns an :class:`OpResult`; the
old state of the scenario's targets is kept in the event, so
:func:`undo_change` puts them back exactly.

Statuses: ``draft`` (any number), ``chosen`` (the plan's targets for that
measure and quarter: one at a time), ``published`` (chosen and sent to the
team; changes after that are still allowed, with a reason, as mid-quarter
adjustments) and ``archived``.

Reading scenarios (a scenario with its targets, the scenario in force) is
:mod:`.stored_scenarios`, below the proposal so that monitoring and forecasts
can read targets without it; its names are importable from here too.

Targets of a scenario's hypothetical new starters (not yet agents of the
plan) are kept in its parameters and shown, but only real agents get rows.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from salesplanner import audit, changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.card_numbers import mask_text
from salesplanner.metrics import format_number
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile, now
from salesplanner.targets.proposal import AgentTarget, Proposal, TargetSettings, propose
from salesplanner.targets.stored_scenarios import (  # noqa: F401 - read here by their callers
    Scenario, StoredTarget, cached_scenario, current_scenario_id, in_force, list_scenarios,
    load_scenario, measure_in_force, scenario_in_force,
)


def _explain(proposal: Proposal, agent: AgentTarget) -> str:
    from salesplanner.metrics import format_value

    return agent.explanation(proposal.measure,
                             lambda v: format_value(v, proposal.measure.unit))


def _summary(proposal: Proposal) -> dict:
    return {"expected_share": proposal.expected_share, "band_warning": proposal.band_warning(),
            "team_chance": proposal.team_chance,
            "target_source": proposal.target_source, "notes": proposal.notes,
            "skill_fit": proposal.skill_fit, "skill_weights": proposal.skill_weights,
            "team_rate": proposal.team_rate, "seasonality": proposal.seasonality,
            "history": [str(proposal.history_from), str(proposal.history_to)],
            # A ratio's planned volumes (e.g. calls), to combine agents' rates into a team's.
            "volumes": {a.code: float(v) for a, v in zip(proposal.agents, proposal.volumes)}
            if proposal.volumes is not None else None,
            "hypothetical": [{"agent": a.code, "name": a.name, "target": a.target,
                              "explanation": _explain(proposal, a)}
                             for a in proposal.agents if a.new_starter]}


def _write_rows(conn: sqlite3.Connection, scenario_id: int, proposal: Proposal) -> None:
    ids = dict(conn.execute("SELECT code, id FROM agent"))
    conn.execute("DELETE FROM target WHERE scenario_id = ?", (scenario_id,))
    rows, milestones = [], []
    for a in proposal.agents:
        if a.code not in ids or a.new_starter:
            continue
        smart = {"flags": {k: list(v) for k, v in a.smart.items()},
                 "explanation": _explain(proposal, a)}
        rows.append((scenario_id, ids[a.code], a.target, a.baseline, a.seasonality,
                     a.skill_adjustment, a.stretch, a.guardrail, a.override,
                     a.override_reason, a.likelihood, json.dumps(smart)))
        for kind, periods in (("month", a.monthly), ("week", a.weekly)):
            for start, value in periods:
                end = _period_end(start, kind, proposal)
                milestones.append((scenario_id, ids[a.code], kind, start.isoformat(),
                                   end.isoformat(), value))
    conn.executemany(
        "INSERT INTO target (scenario_id, agent_id, value, baseline, seasonality,"
        " skill_adjustment, stretch, guardrail, override_value, override_reason, likelihood,"
        " smart_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany(
        "INSERT INTO target_milestone (scenario_id, agent_id, kind, period_start, period_end,"
        " value) VALUES (?, ?, ?, ?, ?, ?)", milestones)


def _period_end(start: date, kind: str, proposal: Proposal) -> date:
    if kind == "week":
        end = start + timedelta(days=6 - start.weekday())
    else:
        month = start.month % 12 + 1
        end = date(start.year + (start.month == 12), month, 1) - timedelta(days=1)
    return min(end, proposal.quarter.end)


def _audit(conn: sqlite3.Connection, who: str, action: str, key: str, old: object,
           new: object, reason: str | None) -> int:
    return audit.record(conn, who, action, "target_scenario", key, old, new, reason,
                        default=str)


def _refuse_zeros(proposal: Proposal) -> None:
    """A scenario of zeros (or of no figures) plans nothing: refuse to store it,
    whoever asks (the window, the command line, a recompute or an override)."""
    values = [a.target for a in proposal.agents]
    if not any(v for v in values if v == v):
        raise UserError(f"every target for {proposal.measure.name} in {proposal.quarter} "
                        "would be zero or blank: there is nothing to plan from; type a team "
                        "target or import more history. Nothing was saved")


def save_scenario(plan: PlanFile, proposal: Proposal, name: str | None = None,
                  who: str = "user") -> OpResult:
    """Store ``proposal`` as a new draft scenario (never one of zeros)."""
    _refuse_zeros(proposal)
    settings = proposal.settings
    name = (name or f"{proposal.measure.name} {proposal.quarter}").strip()[:120]
    with plan.connect(write=True) as conn:
        from salesplanner.targets.skills import _metric_id

        metric_id = _metric_id(conn, proposal.measure)
        team_id = None
        if settings.team:
            row = conn.execute("SELECT id FROM team WHERE name = ?", (settings.team,)).fetchone()
            team_id = row[0] if row else None
        cursor = conn.execute(
            "INSERT INTO target_scenario (name, metric_id, quarter, team_id, team_target, status,"
            " parameters_json, created_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)",
            (name, metric_id, str(proposal.quarter), team_id, proposal.team_target,
             json.dumps({"settings": settings.as_json(), "summary": _summary(proposal)},
                        default=str), now().isoformat(" ")))
        scenario_id = int(cursor.lastrowid)  # type: ignore[arg-type]  # set after an INSERT
        _write_rows(conn, scenario_id, proposal)
        _audit(conn, who, "propose_targets", str(scenario_id), None,
               {"name": name, "team_target": proposal.team_target}, None)
    return OpResult(frozenset({changes.TARGETS}),
                    f"scenario {scenario_id} '{name}' saved: {len(proposal.agents)} targets",
                    {"scenario_id": scenario_id})


def _snapshot(conn: sqlite3.Connection, scenario_id: int) -> dict:
    """Everything :func:`undo_change` needs to put a scenario back."""
    head = conn.execute("SELECT team_target, status, parameters_json FROM target_scenario"
                        " WHERE id = ?", (scenario_id,)).fetchone()
    return {"team_target": head[0], "status": head[1], "parameters_json": head[2],
            "targets": [list(r) for r in conn.execute(
                "SELECT agent_id, value, baseline, seasonality, skill_adjustment, stretch,"
                " guardrail, override_value, override_reason, likelihood, smart_json"
                " FROM target WHERE scenario_id = ?", (scenario_id,))],
            "milestones": [list(r) for r in conn.execute(
                "SELECT agent_id, kind, period_start, period_end, value FROM target_milestone"
                " WHERE scenario_id = ?", (scenario_id,))]}


def _restore(conn: sqlite3.Connection, scenario_id: int, snap: dict) -> None:
    conn.execute("UPDATE target_scenario SET team_target = ?, status = ?, parameters_json = ?"
                 " WHERE id = ?", (snap["team_target"], snap["status"],
                                   snap["parameters_json"], scenario_id))
    conn.execute("DELETE FROM target WHERE scenario_id = ?", (scenario_id,))
    conn.executemany(
        "INSERT INTO target (scenario_id, agent_id, value, baseline, seasonality,"
        " skill_adjustment, stretch, guardrail, override_value, override_reason, likelihood,"
        " smart_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(scenario_id, *r) for r in snap["targets"]])
    conn.executemany(
        "INSERT INTO target_milestone (scenario_id, agent_id, kind, period_start, period_end,"
        " value) VALUES (?, ?, ?, ?, ?, ?)", [(scenario_id, *r) for r in snap["milestones"]])


def override_target(plan: PlanFile, scenario_id: int, agent: str, value: float, reason: str,
                    unlock_total: bool = False, who: str = "user") -> OpResult:
    """Set one agent's target by hand, with a reason; the others rebalance so
    the team total holds (or, with ``unlock_total``, the total moves by the change)."""
    if not reason or not reason.strip():
        raise UserError("an override needs a reason (--reason TEXT); nothing was changed")
    reason = mask_text(reason)  # kept in the targets and the trail: no card number in it
    scenario = load_scenario(plan, scenario_id)
    current = {t.code: t.target for t in scenario.targets}
    current.update({h["agent"]: h["target"] for h in scenario.summary.get("hypothetical", [])})
    if agent not in current:
        raise UserError(f"{agent} has no target in scenario {scenario_id}; nothing was changed")
    settings = scenario.settings
    settings.overrides = {**settings.overrides, agent: [float(value), reason.strip()]}
    if unlock_total:
        settings.team_target = scenario.team_target - current[agent] + float(value)
    elif settings.team_target is None:
        settings.team_target = scenario.team_target  # the total holds: fix it
    proposal = propose(plan, settings)
    return _replace(plan, scenario_id, proposal, who, "override_target",
                    {"agent": agent, "old": current[agent], "new": float(value)}, reason.strip(),
                    f"{agent}'s target set to {format_number(value)}; the others rebalanced"
                    + (" and the team total moved" if unlock_total else ""))


def recompute(plan: PlanFile, scenario_id: int, settings: TargetSettings, reason: str,
              who: str = "user") -> OpResult:
    """Compute a scenario again with changed settings (a what-if edited in place)."""
    proposal = propose(plan, settings)
    return _replace(plan, scenario_id, proposal, who, "recompute_targets",
                    {"settings": settings.as_json()}, reason, "targets computed again")


def _replace(plan: PlanFile, scenario_id: int, proposal: Proposal, who: str, action: str,
             new: dict, reason: str | None, message: str) -> OpResult:
    _refuse_zeros(proposal)
    with plan.connect(write=True) as conn:
        old = _snapshot(conn, scenario_id)
        conn.execute("UPDATE target_scenario SET team_target = ?, parameters_json = ?"
                     " WHERE id = ?", (proposal.team_target, json.dumps(
                         {"settings": proposal.settings.as_json(),
                          "summary": _summary(proposal)}, default=str), scenario_id))
        _write_rows(conn, scenario_id, proposal)
        event = _audit(conn, who, action, str(scenario_id), old, new, reason)
    return OpResult(frozenset({changes.TARGETS}), message,
                    {"scenario_id": scenario_id, "audit_id": event})


def set_status(plan: PlanFile, scenario_id: int, status: str, who: str = "user") -> OpResult:
    """Choose a scenario as the plan's targets for its measure and quarter, publish
    it, or archive it; a newly chosen one sends the one before it back to draft."""
    if status not in ("draft", "chosen", "published", "archived"):
        raise UserError(f"status {status!r}: use draft, chosen, published or archived")
    with plan.connect(write=True) as conn:
        row = conn.execute("SELECT metric_id, quarter, status FROM target_scenario"
                           " WHERE id = ?", (scenario_id,)).fetchone()
        if row is None:
            raise UserError(f"there is no scenario {scenario_id}")
        metric_id, quarter, old = row
        if status in ("chosen", "published"):
            conn.execute("UPDATE target_scenario SET status = 'draft' WHERE metric_id = ? AND"
                         " quarter = ? AND id <> ? AND status IN ('chosen', 'published')",
                         (metric_id, quarter, scenario_id))
        conn.execute("UPDATE target_scenario SET status = ? WHERE id = ?", (status, scenario_id))
        _audit(conn, who, f"scenario_{status}", str(scenario_id), old, status, None)
    return OpResult(frozenset({changes.TARGETS}), f"scenario {scenario_id} {status}",
                    {"scenario_id": scenario_id, "old": old})


def undo_change(plan: PlanFile, audit_id: int | None = None, who: str = "user") -> OpResult:
    """Put back the targets as they were before a recorded change (the last
    one not yet undone, unless ``audit_id`` names one)."""
    with plan.connect(write=True) as conn:
        if audit_id is None:
            row = conn.execute(
                "SELECT id, entity_key, old_json, action FROM audit_event WHERE entity ="
                " 'target_scenario' AND action IN ('override_target', 'recompute_targets',"
                " 'rephase_targets', 'edit_targets_in_excel')"
                " AND undone_by_id IS NULL ORDER BY id DESC LIMIT 1").fetchone()
        else:
            row = conn.execute("SELECT id, entity_key, old_json, action FROM audit_event"
                               " WHERE id = ?", (audit_id,)).fetchone()
        if row is None:
            raise UserError("there is no change of targets to undo")
        event, key, old_json, action = row
        scenario_id = int(key)
        current = _snapshot(conn, scenario_id)
        _restore(conn, scenario_id, json.loads(old_json))
        undo = _audit(conn, who, "undo_targets", key, current, {"undid": event},
                      f"undo of {action} {event}")
        conn.execute("UPDATE audit_event SET undone_by_id = ? WHERE id = ?", (undo, event))
    return OpResult(frozenset({changes.TARGETS}), f"{action.replace('_', ' ')} undone",
                    {"scenario_id": scenario_id, "audit_id": undo})


def history_of(plan: PlanFile, scenario_id: int) -> list[dict]:
    """Every recorded change of a scenario: when, who, what, old, new, why."""
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT id, at, who, action, new_json, reason, undone_by_id FROM audit_event"
            " WHERE entity = 'target_scenario' AND entity_key = ? ORDER BY id",
            (str(scenario_id),)).fetchall()
    return [{"id": r[0], "at": str(r[1]), "who": r[2], "action": r[3],
             "change": json.loads(r[4]) if r[4] else None, "reason": r[5],
             "undone": r[6] is not None} for r in rows]


def rephase(plan: PlanFile, scenario_id: int, reason: str, who: str = "user") -> OpResult:
    """Mid-quarter: spread what each agent still needs over the remaining weeks
    by the latest forecast's shape (a sum measure's weekly forecast from all the
    data so far), keeping their quarter target. Past weeks keep their
    milestones; monthly milestones follow the weeks. Recorded and undoable."""
    from salesplanner.daily_figures import base_totals, data_days
    from salesplanner.analysis.forecast import forecast
    from salesplanner.metrics import measure_values, registry

    if not reason or not reason.strip():
        raise UserError("re-phasing needs a reason; nothing was changed")
    scenario = load_scenario(plan, scenario_id)
    measure = registry(plan)[scenario.measure]
    if not measure.additive:
        raise UserError(f"{measure.name} is a rate: the same every week, nothing to re-phase")
    quarter_start = Quarter.parse(scenario.quarter).start
    as_of = data_days(plan)[1]
    if as_of is None:
        raise UserError("the plan has no data yet: nothing to re-phase from")
    weeks = sorted({d for t in scenario.targets for d, _v in t.weekly})
    remaining = [w for w in weeks if w > as_of]
    if not remaining:
        raise UserError("no weeks of the quarter are left to re-phase")
    outlook = forecast(plan, measure.code, "week", len(remaining) + 2)
    by_week = {p: v for p, v in zip(outlook.periods, outlook.values)}
    monday = [w - timedelta(days=w.weekday()) for w in remaining]
    shape = [max(by_week.get(m, float("nan")), 0.0) for m in monday]
    known = [s for s in shape if s == s]
    mean = sum(known) / len(known) if known else 1.0
    shape = [(s if s == s else mean) / (mean or 1.0) for s in shape]
    totals = base_totals(plan, quarter_start, as_of, by_agent=True)
    actual = measure_values(registry(plan), [measure.code], totals)[measure.code]
    with plan.connect(write=True) as conn:
        codes = [c for (c,) in conn.execute("SELECT code FROM agent ORDER BY id")]
        so_far = dict(zip(codes, actual))
        old = _snapshot(conn, scenario_id)
        ids = dict(conn.execute("SELECT code, id FROM agent"))
        for t in scenario.targets:
            needed = max(t.target - float(so_far.get(t.code, 0.0) or 0.0), 0.0)
            original = dict(t.weekly)
            weights = [original.get(w, 0.0) * f for w, f in zip(remaining, shape)]
            total = sum(weights) or float(len(remaining))
            new = {w: needed * (wt if sum(weights) else 1.0) / total
                   for w, wt in zip(remaining, weights)}
            for w, value in new.items():
                conn.execute("UPDATE target_milestone SET value = ? WHERE scenario_id = ? AND"
                             " agent_id = ? AND kind = 'week' AND period_start = ?",
                             (value, scenario_id, ids[t.code], w.isoformat()))
            weekly = {**original, **new}
            for month_start, _v in t.monthly:
                month_total = sum(v * _days_in_month(w, month_start) for w, v in weekly.items())
                conn.execute("UPDATE target_milestone SET value = ? WHERE scenario_id = ? AND"
                             " agent_id = ? AND kind = 'month' AND period_start = ?",
                             (month_total, scenario_id, ids[t.code], month_start.isoformat()))
        event = _audit(conn, who, "rephase_targets", str(scenario_id), old,
                       {"as_of": as_of.isoformat(), "weeks": len(remaining)}, reason.strip())
    return OpResult(frozenset({changes.TARGETS}),
                    f"the last {len(remaining)} weeks re-phased from the forecast",
                    {"scenario_id": scenario_id, "audit_id": event})


def _days_in_month(week_start: date, month_start: date) -> float:
    """Share of a weekly milestone's days that fall in the month starting ``month_start``."""
    last = week_start + timedelta(days=6 - week_start.weekday())
    days = (last - week_start).days + 1
    inside = sum(1 for k in range(days)
                 if (week_start + timedelta(days=k)).month == month_start.month
                 and (week_start + timedelta(days=k)).year == month_start.year)
    return inside / days
