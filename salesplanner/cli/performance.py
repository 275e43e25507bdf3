"""``salesplanner performance``: the team and agents against target, warnings, where to coach."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from salesplanner.cli.common import EXIT_OK, add_actor


def add_performance(sub: argparse._SubParsersAction) -> None:
    """``salesplanner performance`` and its options."""
    p = sub.add_parser(
        "performance", help="actual against target for the team and every agent",
        description="For a period and a measure: actual, target to date (phased by the "
        "chosen targets' milestones), attainment, variance, projection to the "
        "quarter's end (for the centre, the outlook: the actual so far and the forecast for "
        "the rest; for a team or an agent, the run rate) and red/amber/green, for the "
        "centre, each team and each agent (a league table, best first); then early "
        "warnings and, for agents behind target, the likely reasons with their evidence "
        "and the coaching notes kept for them.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--period", default="qtd", metavar="qtd|mtd|wtd|QUARTER|FROM:TO",
                   help="quarter, month or week to date (to the last day with data), "
                   "last_quarter, last_month, last_week, a quarter (2027-Q1) or a range of "
                   "days, e.g. 01/01/2027:28/02/2027 (default qtd)")
    p.add_argument("--measure", default="revenue", help="a measure (default revenue)")
    p.add_argument("--level", choices=["team", "agent"], default="agent",
                   help="the table's rows (default agent)")
    p.add_argument("--team", metavar="NAME",
                   help="one team only: its figures in the centre's place, its agents and "
                   "its warnings")
    p.add_argument("--note", metavar="AGENT=TEXT",
                   help="record a coaching note about an agent (with --peer OBSERVER for a "
                   "peer's observation, --follow-up TEXT)")
    p.add_argument("--peer", metavar="OBSERVER", help="with --note: a peer's observation")
    p.add_argument("--follow-up", help="with --note: the follow-up agreed")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_actor(p)
    p.set_defaults(func=run_performance)


def run_performance(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner performance``."""
    from salesplanner.analysis.coaching import add_note, notes_for, opportunities
    from salesplanner.errors import UserError
    from salesplanner.metrics import format_value
    from salesplanner.analysis.early_warnings import early_warnings
    from salesplanner.analysis.performance import league, performance, projection_words
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(args.plan, read_only=args.note is None) as plan:
        if args.note is not None:
            agent, sep, text = args.note.partition("=")
            if not sep:
                raise UserError(f"--note {args.note!r} is not AGENT=TEXT")
            print(add_note(plan, agent.strip(), text, source="peer" if args.peer else "own",
                           observer=args.peer, follow_up=args.follow_up).message)
            return EXIT_OK
        result = performance(plan, args.measure, args.period).of_team(args.team)
        warnings = early_warnings(result)
        behind = result.behind()
        reasons = opportunities(plan, result, behind)
        notes = {a: notes_for(plan, a) for a in behind}
    if args.json:
        print(json.dumps({**result.as_json(args.level),
                          "warnings": [w.as_json() for w in warnings],
                          "opportunities": [o.as_json() for o in reasons],
                          "coaching_notes": {a: [n.as_json() for n in ns]
                                             for a, ns in notes.items() if ns}}, indent=2))
        return EXIT_OK
    unit = result.measure.unit

    def fmt(value: float | None) -> str:
        return "" if value is None or value != value else format_value(value, unit)

    print(f"{result.measure.name}, {result.start:%d %b} to {result.end:%d %b %Y} "
          f"({args.period}); targets: {result.scenario or 'none chosen'}")
    rows = league(result.rows(args.level), result.measure)
    # (rank, row): the centre unranked first, then the league; one team's own row
    # is its centre, so not printed twice.
    shown = [(str(k), r) for k, r in enumerate(rows, start=1)]
    if not (args.team and args.level == "team"):
        shown.insert(0, ("", result.centre))
    names = [r.name if r.level != "agent" else f"{r.key} ({r.team})" for _k, r in shown]
    wide = min(max(20, *map(len, names)), 40)
    print(f"{'#':>3} {args.level:<{wide}} {'actual':>12} {'target':>12} {'attain':>7} "
          f"{'variance':>12} {'projection':>12} {'RAG':<6} {'last weeks':<9} "
          f"{'team avg':>10} {'top 25%':>10} {'last qtr':>10} {'last year':>10}")
    for (rank, r), name in zip(shown, names):
        spark = _spark(r.sparkline)
        print(f"{rank:>3} {name[:wide]:<{wide}} {fmt(r.actual):>12} {fmt(r.target_to_date):>12} "
              f"{'' if r.attainment is None else f'{r.attainment:.0%}':>7} "
              f"{fmt(r.variance):>12} {fmt(r.projection):>12} {r.rag or '':<6} {spark:<9} "
              + " ".join(f"{fmt(r.benchmarks.get(k)):>10}" for k in (
                  "team_average", "top_quartile", "last_quarter", "last_year")))
    if warnings:
        print("\nearly warnings:")
        for w in warnings:
            print(f"  {w.text}")
    if reasons:
        print("\nwhere to coach (agents behind target):")
        for agent in behind:
            mine = [o for o in reasons if o.agent == agent]
            if mine:
                print(f"  {agent}: " + "; ".join(o.text for o in mine))
            for n in notes.get(agent, [])[:3]:
                who = f"{n.observer} (peer)" if n.source == "peer" else "own"
                print(f"      note {n.day:%d %b} [{who}]: {n.note}"
                      + (f" -> {n.follow_up}" if n.follow_up else ""))
    for note in result.notes:
        print(f"note: {note}")
    print(f"note: projection: {projection_words(result, fmt)}")
    return EXIT_OK


def _spark(values: list[float]) -> str:
    """The last weeks as a line of bars."""
    bars = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
    finite = [v for v in values if v == v]
    if not finite:
        return ""
    low, high = min(finite), max(finite)
    span = (high - low) or 1.0
    return "".join(" " if v != v else bars[int((v - low) / span * (len(bars) - 1))]
                   for v in values)
