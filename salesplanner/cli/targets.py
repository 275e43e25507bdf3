"""``salesplanner targets``: propose, show, override, compare, choose and back-test targets."""

from __future__ import annotations

import argparse
import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from salesplanner import inputs
from salesplanner.cli.common import EXIT_OK, add_actor, argument
from salesplanner.errors import UserError

if TYPE_CHECKING:
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.targets.capacity import NewStarter


def format_number(value: float) -> str:
    """:func:`salesplanner.metrics.format_number`, imported when a command runs.

    Importing the measures loads pandas (about 0.6 s): every command and the
    window start through this package, so nothing heavy is imported here.
    """
    from salesplanner.metrics import format_number as formatted

    return formatted(value)


def _team_target(text: str) -> float:
    """``--team-target``: read as the window reads it, refused as argparse refuses a float."""
    try:
        value = inputs.parse_team_target(text)
    except UserError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"invalid float value: {text!r}")
    return value


def add_targets(sub: argparse._SubParsersAction) -> None:
    """``salesplanner targets`` and its options."""
    p = sub.add_parser(
        "targets", help="propose stretch targets per agent, show, override, back-test",
        description="Propose a target for every agent for a measure and quarter (baseline from "
        "their history and planned hours, skill adjustment, a share of the stretch inside "
        "guardrails, likelihood and SMART check), and store it as a scenario; show, override, "
        "compare, choose and publish scenarios; back-test the likelihoods.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--measure", default=None, help="the measure (default revenue)")
    p.add_argument("--team-target", type=_team_target, help="the team's quarterly target: a "
                   "total, or a rate for a ratio measure (0.33 for 33%%)")
    p.add_argument("--growth", type=argument(inputs.parse_growth), default=0.0,
                   metavar="SHARE",
                   help="without --team-target: the starting point (see --start; for a "
                   "rate, the history's rate) plus this much, as 5%% or 0.05")
    p.add_argument("--start", choices=("history", "outlook"), default="history",  # TEAM_STARTS
                   help="without --team-target, a sum's team target starts from: history "
                   "(the forecast with two years of history, last year's quarter with one, "
                   "else the sum of the agents' baselines) or outlook (where this quarter is "
                   "heading now: the actual so far and the forecast for the rest, the figure "
                   "'forecast' and 'performance' give; the whole centre only) (default history)")
    p.add_argument("--band", type=argument(partial(inputs.parse_range, what="--band")),
                   default=(0.5, 0.8),
                   metavar="LOW:HIGH", help="the expected share of agents reaching target "
                   "the manager wants (default 0.5:0.8)")
    p.add_argument("--guardrails",
                   type=argument(partial(inputs.parse_range, what="--guardrails")),
                   default=(-0.1, 0.3), metavar="MIN:MAX",
                   help="the change against baseline allowed (default -0.1:0.3)")
    p.add_argument("--shrinkage", type=float, default=0.3,
                   help="share of paid time not on the phones (default 0.3)")
    p.add_argument("--history-weeks", type=int, default=26,
                   help="weeks of history the baselines come from (default 26)")
    p.add_argument("--quarter", help="the quarter (default: the plan's)")
    p.add_argument("--team", help="one team only (default: the whole centre)")
    p.add_argument("--ramp", metavar="SHARES", help="a new starter's share of full "
                   "productivity in their 1st, 2nd ... month, e.g. 0.5,0.7,0.85 (the default)")
    p.add_argument("--new-starter", action="append", metavar="CODE@YYYY-MM-DD[:HOURS]",
                   help="what-if: an agent joining on that day (37.5 hours a week unless "
                   "given); repeat for more")
    p.add_argument("--hours", action="append", metavar="AGENT=WEEKLY[:SHRINKAGE[:LEAVE]]",
                   help="plan an agent's time in the quarter and store it (weekly hours, "
                   "shrinkage as a share, planned leave in hours), e.g. AG7=30:0.35:37.5")
    p.add_argument("--name", help="the new scenario's name")
    p.add_argument("--show", action="store_true",
                   help="print the targets of the chosen (or newest) scenario")
    p.add_argument("--scenario", type=int, metavar="ID", help="the scenario to show or change")
    p.add_argument("--scenarios", action="store_true", help="list the scenarios")
    p.add_argument("--override", metavar="AGENT=VALUE",
                   help="set one agent's target; the others rebalance (needs --reason)")
    p.add_argument("--reason", help="why (for --override, --rephase, --from-excel)")
    p.add_argument("--from-excel", metavar="FILE.xlsx", type=Path,
                   help="targets edited on the Targets sheet of an exported workbook: checked "
                   "and shown as a difference against the plan; applied with --reason")
    p.add_argument("--unlock-total", action="store_true",
                   help="with --override: let the team total change instead of rebalancing")
    p.add_argument("--undo", action="store_true", help="undo the last change of targets")
    p.add_argument("--rephase", action="store_true",
                   help="mid-quarter: spread what each agent still needs over the remaining "
                   "weeks by the latest forecast (needs --reason)")
    p.add_argument("--choose", type=int, metavar="ID",
                   help="make a scenario the plan's targets")
    p.add_argument("--publish", type=int, metavar="ID", help="publish a scenario")
    p.add_argument("--compare", type=int, nargs="+", metavar="ID",
                   help="scenarios side by side")
    p.add_argument("--backtest", action="store_true",
                   help="set targets as if at the start of each earlier quarter and compare "
                   "the predicted with the actual share of agents who made it")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_actor(p)
    p.set_defaults(func=run_targets)


def _from_excel(plan: PlanFile, args: argparse.Namespace) -> int:
    from salesplanner.targets import from_excel

    edits = from_excel.read_edits(plan, args.from_excel)
    lines = from_excel.describe(edits)
    applied = None
    if args.reason is not None and lines:
        applied = from_excel.apply_edits(plan, edits, args.reason)
    if args.json:
        print(json.dumps({"sheets": from_excel.as_json(edits),
                          "applied": applied is not None}, indent=2, default=str))
        return EXIT_OK
    print("\n".join(lines) if lines else "No changes: the workbook's targets are the plan's.")
    if applied is not None:
        print(applied.message)
    elif lines:
        print("Not applied yet: run again with --reason TEXT to apply these changes.")
    return EXIT_OK


def run_targets(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner targets``."""
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.targets import scenarios
    from salesplanner.targets.proposal import TargetSettings

    reading = args.show or args.scenarios or args.compare or args.backtest or (
        args.from_excel and args.reason is None)
    with PlanFile.open(args.plan, read_only=bool(reading)) as plan:
        if args.scenarios:
            return _print_list(scenarios.list_scenarios(plan), args.json)
        if args.backtest:
            return _backtest(plan, args)
        if args.compare:
            return _compare(plan, args.compare, args.json)
        if args.from_excel:
            return _from_excel(plan, args)
        if args.rephase:
            scenario_id = args.scenario or scenarios.current_scenario_id(plan, args.measure)
            print(scenarios.rephase(plan, scenario_id, args.reason or "").message)
            return _show(plan, scenario_id, args.json)
        if args.undo:
            print(scenarios.undo_change(plan).message)
            return EXIT_OK
        if args.choose is not None or args.publish is not None:
            status = "chosen" if args.choose is not None else "published"
            print(scenarios.set_status(plan, args.choose if args.choose is not None
                                       else args.publish, status).message)
            return EXIT_OK
        if args.override:
            agent, sep, value = args.override.partition("=")
            if not sep:
                raise UserError(f"--override {args.override!r} is not AGENT=VALUE")
            try:
                number = float(value.strip().rstrip("%")) / (100 if value.endswith("%") else 1)
            except ValueError:
                raise UserError(f"--override {args.override!r}: {value!r} is not a number") \
                    from None
            scenario_id = args.scenario or scenarios.current_scenario_id(plan, args.measure)
            result = scenarios.override_target(plan, scenario_id, agent.strip(), number,
                                               args.reason or "", args.unlock_total)
            print(result.message)
            return _show(plan, scenario_id, args.json)
        if args.show:
            return _show(plan, args.scenario or scenarios.current_scenario_id(plan, args.measure),
                         args.json)
        if args.hours:
            _plan_hours(plan, args)
        settings = TargetSettings(
            measure=args.measure or "revenue", quarter=args.quarter,
            team_target=args.team_target, growth=args.growth, team_start=args.start,
            band=args.band,
            guardrails=args.guardrails, shrinkage=args.shrinkage,
            history_weeks=args.history_weeks, team=args.team,
            ramp=inputs.parse_ramp(args.ramp) if args.ramp else TargetSettings().ramp,
            new_starters=tuple(_starter(text) for text in args.new_starter or ()))
        from salesplanner.targets.proposal import propose

        proposal = propose(plan, settings)
        result = scenarios.save_scenario(plan, proposal, args.name)
        print(result.message)
        return _show(plan, result.detail["scenario_id"], args.json)


def _starter(text: str) -> NewStarter:
    from datetime import date

    from salesplanner.targets.capacity import NewStarter

    code, at, rest = text.partition("@")
    day, _colon, hours = rest.partition(":")
    try:
        return NewStarter(code.strip(), date.fromisoformat(day.strip()),
                          float(hours) if hours else 37.5)
    except ValueError:
        raise UserError(f"--new-starter {text!r} is not CODE@YYYY-MM-DD[:HOURS], e.g. "
                        "NEW1@2027-02-01:30") from None


def _plan_hours(plan: PlanFile, args: argparse.Namespace) -> None:
    from salesplanner.periods import Quarter
    from salesplanner.targets.capacity import set_planned_hours
    from salesplanner.targets.proposal import plan_quarter

    quarter = Quarter.parse(args.quarter) if args.quarter else plan_quarter(plan)
    for text in args.hours:
        agent, sep, values = text.partition("=")
        parts = values.split(":")
        try:
            numbers = [float(p) if p else None for p in parts] + [None] * (3 - len(parts))
        except ValueError:
            numbers = []
        if not sep or not numbers or len(parts) > 3:
            raise UserError(f"--hours {text!r} is not AGENT=WEEKLY[:SHRINKAGE[:LEAVE]], e.g. "
                            "AG7=30:0.35:37.5")
        print(set_planned_hours(plan, quarter, agent.strip(), weekly_hours=numbers[0],
                                shrinkage=numbers[1], leave_hours=numbers[2]).message)


def _print_list(rows: list[dict], as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, indent=2, default=str))
        return EXIT_OK
    if not rows:
        print("no scenarios yet")
        return EXIT_OK
    print(f"{'id':>4} {'status':<10} {'measure':<18} {'quarter':<8} {'team target':>14} "
          f"{'agents':>6}  name")
    for r in rows:
        print(f"{r['id']:>4} {r['status']:<10} {r['measure']:<18} {r['quarter']:<8} "
              f"{format_number(r['team_target']):>14} {r['agents']:>6}  {r['name']}")
    return EXIT_OK


def _show(plan: PlanFile, scenario_id: int, as_json: bool) -> int:
    from salesplanner.metrics import format_value, registry
    from salesplanner.targets.scenarios import load_scenario
    from salesplanner.targets.settings import team_target_text
    from salesplanner.targets.smart import smart_text

    scenario = load_scenario(plan, scenario_id)
    if as_json:
        print(json.dumps(scenario.as_json(), indent=2, default=str))
        return EXIT_OK
    measure = registry(plan)[scenario.measure]

    def fmt(value: float | None) -> str:
        return "" if value is None else format_value(value, measure.unit)

    summary = scenario.summary
    print(f"scenario {scenario.id} '{scenario.name}' ({scenario.status}): {measure.name}, "
          f"{scenario.quarter}, team target "
          + team_target_text(scenario.team_target, measure.unit,
                             summary.get("target_source", "")))
    share = summary.get("expected_share")
    if share is not None:
        print(f"expected share of agents reaching target: {share:.0%} "
              f"(band {scenario.settings.band[0]:.0%}-{scenario.settings.band[1]:.0%})")
    if summary.get("team_chance") is not None:
        print(f"chance the team reaches its target: {summary['team_chance']:.0%}")
    if summary.get("band_warning"):
        print(f"warning: {summary['band_warning']}")
    first, last = summary.get("history", ["", ""])
    print((f"history {first} to {last}" if first not in ("", "None", None)
           else "history: none before the quarter")
          + f"; {summary.get('skill_fit', '')}")
    months = [d for d, _v in scenario.targets[0].monthly] if scenario.targets else []
    # Team names whole (two 'Acquisition ...' teams read alike when cut); months
    # as 'Jan 2027' ('Jan 27' reads as a day).
    wide = min(max([4, *(len(t.team) for t in scenario.targets)]), 24)
    header = (f"{'agent':<8} {'team':<{wide}} {'target':>12} {'baseline':>12} {'chance':>6} "
              f"{'SMART':<6}" + "".join(f" {m:%b %Y}".rjust(11) for m in months))
    print(header)
    for t in scenario.targets:
        values = dict(t.monthly)
        print(f"{t.code:<8} {t.team[:wide]:<{wide}} {fmt(t.target):>12} {fmt(t.baseline):>12} "
              f"{'' if t.likelihood is None else f'{t.likelihood:.0%}':>6} "
              f"{smart_text(t.smart):<6}"
              + "".join(f" {fmt(values.get(m)):>10}" for m in months))
    for h in summary.get("hypothetical", []):
        print(f"{h['agent']:<8} {'(new)':<{wide}} {fmt(h['target']):>12}  {h['explanation']}")
    print("\nhow each target was built (a SMART letter in lower case fails: the reason follows):")
    for t in scenario.targets:
        failing = [f"{k}: {why}" for k, (ok, why) in t.smart.items() if not ok]
        print(f"  {t.code}: {t.explanation}" + (f" [{'; '.join(failing)}]" if failing else ""))
    for note in summary.get("notes", []):
        print(f"note: {note}")
    return EXIT_OK


def _compare(plan: PlanFile, ids: list[int], as_json: bool) -> int:
    from salesplanner.targets.scenarios import load_scenario

    loaded = [load_scenario(plan, i) for i in ids]
    agents = sorted({t.code for s in loaded for t in s.targets})
    table = {s.id: {t.code: t.target for t in s.targets} for s in loaded}
    if as_json:
        print(json.dumps({"scenarios": [{"id": s.id, "name": s.name,
                                          "team_target": s.team_target,
                                          "expected_share": s.summary.get("expected_share")}
                                         for s in loaded],
                          "targets": {a: {s.id: table[s.id].get(a) for s in loaded}
                                      for a in agents}}, indent=2))
        return EXIT_OK
    print(f"{'':<10}" + "".join(f" {('#' + str(s.id) + ' ' + s.name)[:16]:>16}" for s in loaded))
    print(f"{'team':<10}" + "".join(f" {format_number(s.team_target):>16}" for s in loaded))
    print(f"{'share':<10}" + "".join(
        f" {s.summary.get('expected_share') or 0:>16.0%}" for s in loaded))
    for a in agents:
        print(f"{a:<10}" + "".join(
            f" {format_number(table[s.id].get(a, float('nan'))):>16}" for s in loaded))
    return EXIT_OK


def _backtest(plan: PlanFile, args: argparse.Namespace) -> int:
    from salesplanner.targets.backtest import backtest, reliability
    from salesplanner.targets.proposal import TargetSettings

    checks = backtest(plan, TargetSettings(measure=args.measure or "revenue",
                                           band=args.band, shrinkage=args.shrinkage,
                                           history_weeks=args.history_weeks, team=args.team))
    scored = reliability(checks)
    if args.json:
        print(json.dumps(scored.as_json(), indent=2))
        return EXIT_OK
    if not checks:
        print("no earlier quarter is covered in full with 8 weeks of history before it")
        return EXIT_OK
    print(f"{'quarter':<8} {'agents':>6} {'predicted':>10} {'actual':>8} {'called right':>13} "
          f"{'Brier':>7} {'naive':>7}")
    for c, row in zip(checks, scored.as_json()["quarters"]):
        predicted = "n/a" if c.predicted_share is None else f"{c.predicted_share:.0%}"
        print(f"{c.quarter:<8} {c.agents:>6} {predicted:>10} {c.actual_share:>8.0%} "
              f"{c.calibration:>13.0%} {c.brier:>7.3f} {row['naive_brier']:>7.3f}")
    print(f"all quarters: Brier {scored.brier:.3f} against {scored.naive_brier:.3f} for giving "
          f"everyone the hit rate ({scored.hit_rate:.0%}); widest gap between predicted and "
          f"actual share {scored.worst_gap:.0%}")
    print("chance given   agents   average   came true")
    for lo, hi, k, p, a in scored.bins:
        print(f"{lo:>5.0%}-{hi:<5.0%} {k:>8} {p:>9.0%} {a:>11.0%}")
    print("predicted: the average likelihood of the agents' targets; actual: the share who "
          "reached them; called right: agents judged likely (50% or more) who made it, and "
          "unlikely who did not; Brier: the average squared gap between each chance and what "
          "happened (lower is better), naive: the same for giving every agent the hit rate. "
          "Targets shared as if at the start of each quarter, with the team target what the "
          "team really did.")
    return EXIT_OK
    if not checks:
        print("no earlier quarter is covered in full with 8 weeks of history before it")
        return EXIT_OK
    print(f"{'quarter':<8} {'agents':>6} {'predicted':>10} {'actual':>8} {'called right':>13}")
    for c in checks:
        predicted = "n/a" if c.predicted_share is None else f"{c.predicted_share:.0%}"
        print(f"{c.quarter:<8} {c.agents:>6} {predicted:>10} {c.actual_share:>8.0%} "
              f"{c.calibration:>13.0%}")
    print("predicted: the average likelihood of the agents' targets; actual: the share who "
          "reached them; called right: agents judged likely (50% or more) who made it, and "
          "unlikely who did not. Targets shared as if at the start of each quarter, with the "
          "team target what the team really did.")
    return EXIT_OK
