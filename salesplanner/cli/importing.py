"""Commands that bring data in and take it out again: ``import`` and ``imports``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from salesplanner.cli.common import EXIT_OK, EXIT_PROBLEMS, PROG, add_actor, positive
from salesplanner.errors import UserError

if TYPE_CHECKING:
    from salesplanner.importing.run import ImportSummary


def add_import(sub: argparse._SubParsersAction) -> None:
    """``salesplanner import``."""
    from salesplanner.importing.kinds import KINDS

    p = sub.add_parser(
        "import", help="import sales, calls, agents ... from CSV or Excel",
        description="Import a CSV/text export or an Excel/OpenDocument sheet into a plan. "
        "The kind, the header row and the columns are worked out from the file; the options "
        "override them. Bad rows are reported by row and column and the rest imported (all or "
        "nothing with --strict); rows already in the plan are skipped; card numbers are masked. "
        "The last line is 'imported N, duplicates D, rejected R, masked M'. Exit 0 when the "
        "import completed, 1 when nothing could be imported.")
    p.add_argument("plan", metavar="PLAN", type=Path, nargs="?")
    p.add_argument("source", metavar="SOURCE", type=Path, nargs="?",
                   help="the .csv/.txt export or .xlsx/.xlsm/.xls/.ods workbook")
    p.add_argument("--kind", choices=list(KINDS), help="what the file holds")
    p.add_argument("--sheet", help="workbook sheet, by name or number (default the first "
                   "visible one)")
    p.add_argument("--header-row", type=positive, metavar="N",
                   help="line or row number of the header (default: found)")
    p.add_argument("--map", action="append", metavar="FIELD=HEADER",
                   help="map a field to a column; repeat for several (see --fields KIND)")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="date_order", action="store_const", const="dayfirst",
                       help="read ambiguous dates as day/month (31/12/2026)")
    order.add_argument("--monthfirst", dest="date_order", action="store_const",
                       const="monthfirst", help="read ambiguous dates as month/day (12/31/2026)")
    p.add_argument("--rejects", type=Path, metavar="FILE",
                   help="save the rejected rows to this CSV, to fix and import again")
    p.add_argument("--strict", action="store_true", help="import nothing if any row is bad")
    p.add_argument("--fields", choices=list(KINDS), metavar="KIND",
                   help="list the fields of KIND and the headers they match, and stop")
    p.add_argument("--show-problems", type=int, default=20, metavar="N",
                   help="problems printed (default 20)")
    add_actor(p)
    p.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner import``: exit 1 when no row could go in."""
    from salesplanner.importing.fields import fields_of
    from salesplanner.importing.run import ImportOptions, ImportRefused, import_file
    from salesplanner.jobs import ConsoleToken
    from salesplanner.storage.plan_file import PlanFile

    if args.fields:
        for f in fields_of(args.fields):
            print(f"{f.name:<14} {f.label:<22} {', '.join(f.synonyms)}")
        return EXIT_OK
    if args.plan is None or args.source is None:
        raise UserError("give the plan and the file to import: salesplanner import PLAN SOURCE")
    options = ImportOptions(kind=args.kind, sheet=args.sheet, header_line=args.header_row,
                            mapping=_mapping(args.map or []), date_order=args.date_order,
                            strict=args.strict, rejects=args.rejects)
    try:
        with PlanFile.open(args.plan) as plan:
            summary, _result = import_file(plan, args.source, options, ConsoleToken())
    except ImportRefused as exc:  # read and checked, but no row could go in
        _print_problems(exc.summary, args)
        if exc.summary.rejects_file:
            print(f"rejected rows saved to {exc.summary.rejects_file}")
        print(exc.summary.counts_line)
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    mapped = ", ".join(f"{f}={h!r}" for f, h in summary.mapping.items())
    print(f"{summary.file}: {summary.kind}, {summary.rows_read:,} rows; columns {mapped}")
    for kind_created, names in summary.created.items():
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        print(f"new {kind_created}: {shown}")
    if summary.updated:
        print(f"updated {summary.updated} existing record(s)")
    for warning in summary.warnings:
        print(f"note: {warning}")
    _print_problems(summary, args)
    if summary.rejects_file:
        print(f"rejected rows saved to {summary.rejects_file}")
    print(summary.counts_line)
    return EXIT_OK


def _mapping(items: list[str]) -> dict[str, str]:
    """``--map FIELD=HEADER ...`` as a mapping of field to header."""
    mapping = {}
    for item in items:
        field_name, sep, header = item.partition("=")
        if not sep or not field_name.strip() or not header.strip():
            raise UserError(f"--map {item!r} is not FIELD=HEADER, e.g. --map revenue='Net Value'")
        mapping[field_name.strip()] = header.strip()
    return mapping


def _print_problems(summary: ImportSummary, args: argparse.Namespace) -> None:
    for problem in summary.problems[:args.show_problems]:
        print(f"row {problem.line}, column {problem.column!r}: {problem.reason}")
    if len(summary.problems) > args.show_problems:
        print(f"... and {len(summary.problems) - args.show_problems} more problems"
              + ("" if args.rejects else "; save them all with --rejects FILE"))


def add_imports(sub: argparse._SubParsersAction) -> None:
    """``salesplanner imports``."""
    p = sub.add_parser("imports", help="list imports, or remove one",
                       description="List the plan's imports (time, file, kind, counts), or "
                       "remove one: exactly its rows are taken out.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--remove", type=positive, metavar="ID", help="remove import ID")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_actor(p)
    p.set_defaults(func=run_imports)


def run_imports(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner imports``."""
    from salesplanner.importing.history import list_imports, remove_import
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(args.plan, read_only=args.remove is None) as plan:
        if args.remove is not None:
            result = remove_import(plan, args.remove)
            print(result.message)
            return EXIT_OK
        entries = list_imports(plan)
    if args.json:
        print(json.dumps([e.as_json() for e in entries], indent=2))
        return EXIT_OK
    print(f"{'id':>4}  {'when':<19}  {'kind':<11} {'imported':>9} {'dupl.':>7} {'rejected':>8}"
          f" {'masked':>6}  status    file")
    for e in entries:
        print(f"{e.id:>4}  {e.imported_at:<19}  {e.kind:<11} {e.imported:>9,} {e.duplicates:>7,}"
              f" {e.rejected:>8,} {e.masked:>6,}  {e.status:<8}  {e.file_name}")
    return EXIT_OK
