"""``salesplanner reports``: list, define, show and remove the plan's reports.

``salesplanner export PLAN OUT.xlsx --report NAME`` writes one to Excel.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from salesplanner.cli.common import EXIT_OK, add_actor

if TYPE_CHECKING:
    from salesplanner.reports import ReportResult


def add_reports(sub: argparse._SubParsersAction) -> None:
    """``salesplanner reports`` and its options."""
    from salesplanner.inputs import PERIOD_NAMES
    from salesplanner.reports import FREQUENCIES, GROUPINGS

    p = sub.add_parser(
        "reports", help="list, define, show or remove the plan's reports",
        description="A report is a named choice of measures, grouped by team, agent, "
        "product ... or by day, week or month, for a period, with who it is for and how "
        "often it goes out. Without options: the list. 'salesplanner export PLAN OUT.xlsx "
        "--report NAME' writes one to Excel.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--save", metavar="NAME",
                   help="define report NAME (or change it) from the options below")
    p.add_argument("--measure", action="append", metavar="M",
                   help="with --save: a measure (repeat, in the order wanted; "
                   "'salesplanner metrics PLAN' lists them)")
    p.add_argument("--grouping", choices=list(GROUPINGS), help="with --save: the rows "
                   "(default team)")
    p.add_argument("--period", metavar="|".join([*PERIOD_NAMES, "FROM:TO"]),
                   help="with --save: the period (default qtd)")
    p.add_argument("--audience", metavar="TEXT", help="with --save: who it is for")
    p.add_argument("--frequency", choices=list(FREQUENCIES),
                   help="with --save: how often it goes out (default weekly)")
    p.add_argument("--rename", metavar="NEW", help="with --save: give the report a new name")
    p.add_argument("--show", metavar="NAME", help="work out report NAME and print it")
    p.add_argument("--remove", metavar="NAME", help="remove report NAME")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_actor(p)
    p.set_defaults(func=run_reports)


def run_reports(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner reports``."""
    from dataclasses import replace

    from salesplanner.errors import UserError
    from salesplanner.reports import (
        Report, get_report, list_reports, remove_report, run_report, save_report,
    )
    from salesplanner.storage.plan_file import PlanFile

    chosen = [o for o in ("save", "show", "remove") if getattr(args, o) is not None]
    if len(chosen) > 1:
        raise UserError(f"use one of --{', --'.join(chosen)} at a time")
    extras = [o for o in ("measure", "grouping", "period", "audience", "frequency", "rename")
              if getattr(args, o) is not None]
    if extras and args.save is None:
        raise UserError(f"--{extras[0]} goes with --save NAME")
    writes = args.save is not None or args.remove is not None
    with PlanFile.open(args.plan, read_only=not writes) as plan:
        if args.save is not None:
            try:
                old = get_report(plan, args.save)
            except UserError:
                if args.rename is not None:
                    raise  # renaming a report that is not there
                old = None
            base = old or Report(args.save, ())
            report = replace(
                base, name=args.rename or (old.name if old else args.save),
                measures=tuple(args.measure) if args.measure else base.measures,
                **{k: getattr(args, k) for k in ("grouping", "period", "audience",
                                                   "frequency") if getattr(args, k) is not None})
            result = save_report(plan, report, replacing=old.name if old else None)
            print(result.message)
            return EXIT_OK
        if args.remove is not None:
            print(remove_report(plan, args.remove).message)
            return EXIT_OK
        if args.show is not None:
            shown = run_report(plan, args.show)
            if args.json:
                print(json.dumps(shown.as_json(), indent=2))
            else:
                _print(shown)
            return EXIT_OK
        reports = list_reports(plan)
    if args.json:
        print(json.dumps([r.as_json() for r in reports], indent=2))
        return EXIT_OK
    if not reports:
        print("no reports yet; define one with: salesplanner reports PLAN --save NAME "
              "--measure revenue --measure sales --grouping team")
        return EXIT_OK
    width = max(len(r.name) for r in reports)
    for r in reports:
        print(f"{r.name:<{width}}  {', '.join(r.measures)}: {r.describe()}")
    return EXIT_OK


def _print(result: ReportResult) -> None:
    """The report as a table: one line per row, a column per figure, the total last."""
    from salesplanner.metrics import format_value

    def fmt(value: object, unit: str) -> str:
        if value is None:
            return ""
        if unit == "text":
            return str(value).capitalize()
        return format_value(float(value), unit)  # type: ignore[arg-type]  # a number in a number unit

    report = result.report
    print(f"{report.name}: {report.describe()}")
    print(f"{result.start:%d %b %Y} to {result.end:%d %b %Y}")
    columns = result.columns()
    labels = [result.label(i) if not result.names else
              f"{result.keys[i]} {result.names[i]} ({result.teams[i]})"
              for i in range(len(result.keys))]
    first = max([len(result.group_header), len(result.total_label), *map(len, labels)])
    cells = [[fmt(f.value(part, i), unit) for _h, part, f, unit in columns]
             for i in range(len(labels))]
    totals = [fmt(f.total(part), unit) for _h, part, f, unit in columns]
    widths = [max(len(h), *(len(row[k]) for row in [*cells, totals]))
              for k, (h, _p, _f, _u) in enumerate(columns)]
    print(f"{result.group_header:<{first}}  " + "  ".join(
        f"{h:>{w}}" for (h, _p, _f, _u), w in zip(columns, widths)))
    for label, row in zip(labels, cells):
        print(f"{label:<{first}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(row, widths)))
    print(f"{result.total_label:<{first}}  " + "  ".join(
        f"{c:>{w}}" for c, w in zip(totals, widths)))
    for note in result.notes:
        print(f"note: {note}")

