"""``salesplanner export``: the plan workbook (or one report) as an Excel file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from salesplanner.cli.common import EXIT_OK


def add_export(sub: argparse._SubParsersAction) -> None:
    """``salesplanner export`` and its options."""
    p = sub.add_parser(
        "export", help="write the plan (or a report) to an Excel workbook",
        description="Write the plan workbook: summary, targets (agent x month and week, team "
        "totals), performance against target with red/amber/green, trends and product mix "
        "with charts, the weekday x hour heat map, the forecast with its interval, and the "
        "measures; totals, variances and attainment are live formulas.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("out", metavar="OUT.xlsx", type=Path)
    p.add_argument("--period", default="qtd", metavar="qtd|mtd|wtd|QUARTER|FROM:TO",
                   help="the performance period: quarter, month or week to date, a "
                   "quarter such as 2027-Q1, or two dates (default qtd)")
    p.add_argument("--measure", action="append", metavar="M",
                   help="a measure with a performance sheet (repeat for more; default: "
                   "those with targets, else revenue)")
    p.add_argument("--data", action="store_true",
                   help="add the raw Sales and Calls rows (continued on further sheets past "
                   "Excel's 1,048,576 rows)")
    p.add_argument("--no-analysis", action="store_true",
                   help="leave out trends, product mix, peaks and forecast")
    p.add_argument("--report", metavar="NAME",
                   help="write the plan's report NAME instead of the plan workbook "
                   "('salesplanner reports PLAN' lists them)")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner export``."""
    from salesplanner.errors import UserError
    from salesplanner.export.plan_workbook import ExportOptions, export_plan
    from salesplanner.export.report_workbook import export_report
    from salesplanner.jobs import ConsoleToken
    from salesplanner.storage.plan_file import PlanFile

    if args.report is not None and (args.measure or args.data or args.no_analysis
                                    or args.period != "qtd"):
        raise UserError("--report writes the report as it is defined: leave out --period, "
                        "--measure, --data and --no-analysis (change the report with "
                        "'salesplanner reports PLAN --save NAME ...')")
    with PlanFile.open(args.plan, read_only=True) as plan:
        if args.report is not None:
            result = export_report(plan, args.report, args.out, ConsoleToken())
        else:
            result = export_plan(plan, args.out, ExportOptions(
                period=args.period, measures=args.measure, include_data=args.data,
                analysis=not args.no_analysis),
                ConsoleToken())
    if args.json:
        print(json.dumps({"path": str(result.path), "sheets": result.sheets,
                          "formulas": len(result.expected), "seconds": round(result.seconds, 3),
                          "notes": result.notes}, indent=2))
    else:
        print(result.message)
        for note in result.notes:
            print(f"  note: {note}" if args.report else f"  left out: {note}")
    return EXIT_OK
