"""The command line: ``salesplanner [PLAN]`` and ``salesplanner COMMAND ...``.

With no command, or with a plan file, the window opens. Every batch-like
capability is a command that calls the same domain functions the window
does. A user's mistake prints one line on stderr (``salesplanner: ...``) and
exits non-zero; a traceback means a bug.

Exit codes: 0 success; 1 the command ran and found a problem (``check``
failed); 2 the command could not run (bad option, bad file); 130 cancelled.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from salesplanner import APP_NAME, __version__
from salesplanner.errors import UserError
from salesplanner.importing.card_numbers import mask_text
from salesplanner.periods import parse_day, period_label

PROG = "salesplanner"
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line plus a hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{message} (see '{self.prog} --help')")


def _cmd_new(args: argparse.Namespace) -> int:
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.create(args.plan, name=args.name, quarter=args.quarter,
                         currency=args.currency) as plan:
        print(f"created {plan.path} ({args.name}, {args.quarter}, {args.currency.upper()})")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from salesplanner.demo import DemoOptions, generate_demo
    from salesplanner.jobs import ConsoleToken, SilentToken
    from salesplanner.periods import Quarter

    options = DemoOptions(agents=args.agents, months=args.months, seed=args.seed,
                          quarter=Quarter.parse(args.quarter), name=args.name)
    token = SilentToken() if args.quiet else ConsoleToken()
    summary = generate_demo(args.plan, options, token, overwrite=args.force)
    print(f"wrote {summary.path}: {summary.teams} teams, {summary.agents} agents, "
          f"{summary.products} products, {summary.calls:,} calls, {summary.sales:,} sale lines, "
          f"{summary.first_day} to {summary.last_day}")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.summary import format_info, plan_info

    with PlanFile.open(args.plan, read_only=True) as plan:
        info = plan_info(plan)
    if args.json:
        print(json.dumps(info.as_json(), indent=2))
    else:
        print(format_info(info))
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from salesplanner.integrity import check_plan
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(args.plan, read_only=True, inspect=True) as plan:
        results = check_plan(plan)
    for result in results:
        print(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}")
        for problem in result.problems:
            print(f"        {problem}")
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(f"{args.plan}: {len(failed)} of {len(results)} checks failed", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"all {len(results)} checks passed")
    return EXIT_OK


def _cmd_repair(args: argparse.Namespace) -> int:
    from salesplanner.jobs import ConsoleToken
    from salesplanner.storage.repair import repair

    report = repair(args.plan, args.copy, token=ConsoleToken(), overwrite=args.force)
    for line in report.lines():
        print(line)
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
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
    mapping = {}
    for item in args.map or []:
        field_name, sep, header = item.partition("=")
        if not sep or not field_name.strip() or not header.strip():
            raise UserError(f"--map {item!r} is not FIELD=HEADER, e.g. --map revenue='Net Value'")
        mapping[field_name.strip()] = header.strip()
    options = ImportOptions(kind=args.kind, sheet=args.sheet, header_line=args.header_row,
                            mapping=mapping, date_order=args.date_order, strict=args.strict,
                            rejects=args.rejects)
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


def _print_problems(summary, args: argparse.Namespace) -> None:  # noqa: ANN001
    for problem in summary.problems[:args.show_problems]:
        print(f"row {problem.line}, column {problem.column!r}: {problem.reason}")
    if len(summary.problems) > args.show_problems:
        print(f"... and {len(summary.problems) - args.show_problems} more problems"
              + ("" if args.rejects else "; save them all with --rejects FILE"))


def _cmd_imports(args: argparse.Namespace) -> int:
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


def _cmd_metrics(args: argparse.Namespace) -> int:
    from salesplanner.metrics import base_totals, measure_values, registry
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(args.plan, read_only=args.add is None and not args.thresholds) as plan:
        for spec in args.thresholds or ():
            from salesplanner.metrics import parse_threshold, set_thresholds

            code, sep, edges = spec.partition("=")
            red, colon, green = edges.partition(":")
            measure = registry(plan).get(code.strip())
            if not sep or not colon or measure is None:
                raise UserError(f"--thresholds {spec!r} is not MEASURE=RED:GREEN with a measure "
                                "of the plan, e.g. --thresholds conversion_rate=20%:30%")
            result = set_thresholds(plan, measure.code, parse_threshold(red, measure.unit),
                                    parse_threshold(green, measure.unit))
            print(result.message)
        if args.add is not None:
            from salesplanner.metrics import add_metric

            code, sep, formula = args.add.partition("=")
            if not sep or not formula.strip():
                raise UserError(f"--add {args.add!r} is not NAME=FORMULA, e.g. "
                                "--add revenue_per_call='revenue / calls'")
            add_metric(plan, code, formula, unit=args.unit, name=args.name,
                       direction="lower" if args.lower_is_better else "higher")
        measures = registry(plan)
        totals = base_totals(plan, _day(args.date_from), _day(args.date_to))
        values = measure_values(measures, list(measures), totals)
        currency = plan_currency(plan)
    if args.add is not None:
        code = args.add.partition("=")[0].strip().lower()
        m = measures[code]
        print(f"saved {m.code}: {m.formula} ({m.unit}, {m.direction} is better); "
              f"whole period: {_shown(values[code][0], m.unit, currency)}")
        return EXIT_OK
    if args.json:
        print(json.dumps([{**m.as_json(), "value": None if values[c][0] != values[c][0]
                           else float(values[c][0])} for c, m in measures.items()], indent=2))
        return EXIT_OK
    from salesplanner.metrics import rag

    print(f"{'measure':<22} {'unit':<10} {'better':<7} {'value':>14} {'RAG':<6} formula")
    for code, m in measures.items():
        edges = ", ".join(f"{colour} {_shown(edge, m.unit, currency)}" for colour, edge in
                          (("red", m.red_below), ("green", m.green_from)) if edge is not None)
        print(f"{code:<22} {m.unit:<10} {m.direction:<7} "
              f"{_shown(values[code][0], m.unit, currency):>14} "
              f"{rag(m, float(values[code][0])) or '':<6} {m.formula}"
              + ("" if m.builtin else "   (own)") + (f"   ({edges})" if edges else ""))
    return EXIT_OK


def _cmd_trend(args: argparse.Namespace) -> int:
    from salesplanner.competitors import competitor_moves
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.trends import trend

    with PlanFile.open(args.plan, read_only=True) as plan:
        result = trend(plan, args.metric, args.by, args.split, _day(args.date_from),
                       _day(args.date_to), top=None if args.json else args.top)
        currency = plan_currency(plan)
        moves = competitor_moves(plan, result.periods[0] if result.periods else None,
                                 _day(args.date_to))
    labels, rows, unit = result.labels, result.values, result.metric.unit
    if args.share:
        labels, rows = result.shares()
        unit = "percent"
    if args.json:
        data = result.as_json()
        if args.share:
            data["shares"] = [{"label": label, "values": [None if v != v else float(v)
                                                          for v in row]}
                              for label, row in zip(labels, rows)]
        data["competitor_moves"] = [m.as_json() for m in moves]
        print(json.dumps(data, indent=2))
        return EXIT_OK
    print(f"{result.metric.name} by {args.by}" + (f", per {args.split}" if args.split else "")
          + (" (share of each period's whole)" if args.share else ""))
    width = max([len(label) for label in labels] + [8])
    print(f"{'period':<16}" + "".join(f" {label[:width]:>{width}}" for label in labels))
    for j, first in enumerate(result.periods):
        print(f"{period_label(first, args.by):<16}" + "".join(
            f" {_shown(rows[i, j], unit, currency):>{width}}" for i in range(len(labels))))
    if not args.share:
        print(f"{'whole':<16}" + "".join(f" {_shown(t, unit, currency):>{width}}"
                                         for t in result.totals))
    for note in result.notes:
        print(f"note: {note}")
    if moves:
        shown = moves[-10:]  # the latest; --json lists them all
        earlier = len(moves) - len(shown)
        print("\ncompetitor moves in this range" + (
            f" (the latest {len(shown)} of {len(moves)}; --json lists them all)"
            if earlier else "") + ":")
        for move in shown:
            print(f"  {move}")
    return EXIT_OK


def _cmd_peaks(args: argparse.Namespace) -> int:
    from salesplanner.peaks import WEEKDAYS, peaks
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(args.plan, read_only=True) as plan:
        result = peaks(plan, args.direction, args.service_level, args.answer_within)
    if args.json:
        print(json.dumps(result.as_json(), indent=2))
        return EXIT_OK
    hours = result.open_hours()
    what = f"{args.direction or 'all'} calls"
    _print_grid(f"Average {what} per hour, by weekday (from {result.source})", hours,
                lambda d, h: f"{result.volume[d, h]:.1f}")
    if result.peak:
        print(f"peak: {WEEKDAYS[result.peak[0]]} {result.peak[1]:02d}:00, "
              f"{result.volume[result.peak]:.1f} calls an hour")
        print(f"trough: {WEEKDAYS[result.trough[0]]} {result.trough[1]:02d}:00, "
              f"{result.volume[result.trough]:.1f} calls an hour")
    if not np_all_nan(result.conversion):
        _print_grid("\nConversion (sales per call)", hours,
                    lambda d, h: "" if result.conversion[d, h] != result.conversion[d, h]
                    else f"{result.conversion[d, h]:.0%}")
    if args.direction == "outbound":  # nobody waits to be answered on an outbound call
        print("\nAgents needed: staffing to a service level is for calls that wait to be "
              "answered; leave out --direction (or say inbound) to see it")
    else:
        _print_grid(f"\nAgents needed on the phones to answer {result.target:.0%} within "
                    f"{result.within:g} s (Erlang C, before shrinkage)", hours,
                    lambda d, h: f"{int(result.agents[d, h])}" if result.agents[d, h] else "")
    if result.outbound_windows:
        shown = ", ".join(f"{WEEKDAYS[d]} {h:02d}:00" for d, h in result.outbound_windows[:12])
        more = len(result.outbound_windows) - 12
        print(f"\nmost agents spare from inbound, windows for outbound calling: {shown}"
              + (f" and {more} more" if more > 0 else ""))
    return EXIT_OK


def _cmd_forecast(args: argparse.Namespace) -> int:
    from salesplanner.forecast import forecast, quarter_outlook
    from salesplanner.metrics import registry
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(args.plan, read_only=True) as plan:
        result = forecast(plan, args.metric, args.by, args.horizon)
        outlook = quarter_outlook(plan, result)
        unit = registry(plan)[args.metric].unit
        currency = plan_currency(plan)
    if args.json:
        print(json.dumps({**result.as_json(),
                          "quarter_outlook": outlook.as_json() if outlook else None}, indent=2))
        return EXIT_OK
    print(f"{args.metric} by {args.by}: {result.method} chosen by back-test on the last "
          f"{result.holdout} {args.by}s")
    for method, (error, percent) in result.backtest.items():
        mark = "*" if method == result.method else " "
        print(f" {mark} {method:<15} MASE {error:.2f}   MAPE "
              + ("n/a" if percent != percent else f"{percent:.1%}"))
    print(f"\n{'period':<16} {'forecast':>14} {'low (10%)':>14} {'high (90%)':>14}")
    for period, value, low, high in zip(result.periods, result.values, result.low, result.high):
        print(f"{period_label(period, args.by):<16} {_shown(value, unit, currency):>14} "
              f"{_shown(low, unit, currency):>14} {_shown(high, unit, currency):>14}")
    if outlook is not None:
        print("\n" + outlook.sentence(lambda v: _shown(v, unit, currency)))
    for note in result.notes:
        print(f"note: {note}")
    return EXIT_OK


def _print_grid(title: str, hours: list[int], cell) -> None:  # noqa: ANN001
    """A weekday x hour table: ``cell(weekday index, hour)`` gives each cell's text."""
    from salesplanner.peaks import WEEKDAYS

    print(title)
    print("     " + "".join(f"{h:>6}" for h in hours))
    for d, name in enumerate(WEEKDAYS):
        print(f"{name:<5}" + "".join(f"{cell(d, h):>6}" for h in hours))


def np_all_nan(values) -> bool:  # noqa: ANN001
    """Whether an array holds no value at all."""
    import numpy as np

    return bool(np.isnan(values).all())


def _fraction(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share like 0.8 or 80%") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1 (e.g. 0.8)")
    return value


def _day(text: str | None):  # noqa: ANN202 - date | None
    return None if text is None else parse_day(text)


def plan_currency(plan) -> str:  # noqa: ANN001
    """The plan's currency code."""
    with plan.connect() as conn:
        return conn.execute("SELECT currency FROM plan").fetchone()[0]


def _shown(value: float, unit: str, currency_code: str) -> str:
    """A measure's value as the command line prints it."""
    from salesplanner.metrics import format_value

    return format_value(value, unit, currency_code)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar (also used to generate the README's list)."""
    parser = _Parser(
        prog=PROG, description=f"{APP_NAME}: plan, target and monitor contact-centre sales. "
        "Run with no command (or with a plan file) to open the window.",
        epilog=f"'{PROG} COMMAND --help' explains each command.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("new", help="create an empty plan file",
                       description="Create an empty plan file for one quarter.")
    p.add_argument("plan", metavar="PLAN", type=Path, help="the new file, e.g. q1.salesplan")
    p.add_argument("--name", required=True, help="the plan's name")
    p.add_argument("--quarter", required=True, help="calendar quarter, e.g. 2027-Q1")
    p.add_argument("--currency", default="GBP", help="ISO currency code (default GBP)")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("demo", help="write a realistic demo plan",
                       description="Write a complete, reproducible demo plan: a UK contact "
                       "centre with teams, agents, skills, products, calls and sales.")
    p.add_argument("plan", metavar="PLAN", type=Path, help="the file to write")
    p.add_argument("--agents", type=_positive, default=60, help="number of agents (default 60)")
    p.add_argument("--months", type=_positive, default=15,
                   help="months of history (default 15)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--quarter", default="2027-Q1", help="the plan's quarter (default 2027-Q1)")
    p.add_argument("--name", help="plan name (default 'Demo contact centre QUARTER')")
    p.add_argument("--force", action="store_true", help="replace PLAN if it exists")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("info", help="what a plan holds",
                       description="Print a plan's name, quarter, format version and the "
                       "number of records of every kind.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON (keys in the README)")
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("check", help="check a plan file is sound",
                       description="Check integrity, references, schema and the plan's own "
                       "rules. Exit 0 only when every check passes.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser(
        "repair", help="copy what can be trusted of a refused plan into a new plan",
        description="For a plan that opening refuses (something planted in it, or values "
        "not of their columns' kinds): copy every table the program knows, row by row where "
        "the values fit, into a new plan at COPY. Triggers, views and unknown tables are left "
        "behind; nothing in PLAN runs and PLAN is not changed.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("copy", metavar="COPY", type=Path, help="the new plan to write")
    p.add_argument("--force", action="store_true", help="replace COPY if it exists")
    p.set_defaults(func=_cmd_repair)

    from salesplanner.importing.fields import KINDS

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
    p.add_argument("--header-row", type=_positive, metavar="N",
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
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser(
        "metrics", help="list the measures, or add your own",
        description="List every measure (built-in and the plan's own) with its formula, unit, "
        "direction and value over the plan's data, or add a measure with --add. Formulas use "
        "the base fields (calls, calls_inbound, calls_outbound, handle_seconds, sale_calls, "
        "callbacks, info_requests, orders, sale_lines, units, revenue, upsell_lines, "
        "crosssell_lines, contracted_hours) and other measures, with + - * / ( ) and min, "
        "max, abs, round, ratio.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--add", metavar="NAME=FORMULA", help="add or change your own measure, e.g. "
                   "--add revenue_per_call='revenue / calls'")
    p.add_argument("--name", help="with --add: the measure's display name")
    p.add_argument("--unit", help="with --add: the unit the formula must give (count, money, "
                   "percent, seconds, hours, money/hour)")
    p.add_argument("--lower-is-better", action="store_true",
                   help="with --add: smaller values are better (e.g. handle time)")
    p.add_argument("--thresholds", action="append", metavar="MEASURE=RED:GREEN",
                   help="red and green edges of any measure, in its unit, e.g. "
                   "conversion_rate=20%%:30%% (higher is better: red below 20%%, green from "
                   "30%%) or average_handle_time=600:480; leave a side empty to clear it")
    p.add_argument("--from", dest="date_from", metavar="DAY",
                   help="values from this day (2027-01-31, 31/01/2027 or 31 Jan 2027)")
    p.add_argument("--to", dest="date_to", metavar="DAY", help="values up to this day")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_metrics)

    p = sub.add_parser(
        "trend", help="a measure over time, optionally split",
        description="A measure by day, week, month or quarter, for the whole centre or split "
        "by agent, team, product, category, channel, campaign or customer segment.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--metric", required=True, help="a measure (see 'salesplanner metrics PLAN')")
    p.add_argument("--by", default="month", choices=["day", "week", "month", "quarter"])
    p.add_argument("--split", choices=["agent", "team", "product", "category", "channel",
                                       "campaign", "segment"])
    p.add_argument("--from", dest="date_from", metavar="DAY")
    p.add_argument("--to", dest="date_to", metavar="DAY")
    p.add_argument("--top", type=_positive, default=8,
                   help="split values shown in the table, largest first (default 8)")
    p.add_argument("--share", action="store_true",
                   help="each split value's share of the period (the mix, e.g. of products)")
    p.add_argument("--json", action="store_true", help="print JSON (every split value)")
    p.set_defaults(func=_cmd_trend)

    p = sub.add_parser(
        "peaks", help="calls and conversion by weekday and hour, and the staff needed",
        description="The weekday x hour table of average calls per hour and of conversion, "
        "the peak and the trough, the agents needed per hour to meet a service level by "
        "Erlang C, and the inbound troughs where outbound calling fits.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--direction", choices=["inbound", "outbound"])
    p.add_argument("--service-level", type=_fraction, default=0.8,
                   help="share of calls to answer in time (default 0.8)")
    p.add_argument("--answer-within", type=float, default=20, metavar="SECONDS",
                   help="the answer time for the service level (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_peaks)

    p = sub.add_parser(
        "forecast", help="forecast a measure, with its interval and accuracy",
        description="Forecast an additive measure (revenue, sales, calls handled ...) by week "
        "or month past the plan's data: seasonal naive, Holt-Winters or drift, whichever "
        "back-tests best on the latest history (MASE and MAPE shown), with an 80% interval.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--metric", required=True)
    p.add_argument("--by", default="week", choices=["week", "month"])
    p.add_argument("--horizon", type=_positive, default=None,
                   help="periods ahead (default: the rest of the quarter and the next)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_forecast)

    from salesplanner.export_cli import add_parser as add_export
    from salesplanner.performance_cli import add_parser as add_performance
    from salesplanner.reports_cli import add_parser as add_reports
    from salesplanner.targets.command import add_parser as add_targets

    add_targets(sub)
    add_performance(sub)
    add_reports(sub)
    add_export(sub)

    p = sub.add_parser("imports", help="list imports, or remove one",
                       description="List the plan's imports (time, file, kind, counts), or "
                       "remove one: exactly its rows are taken out.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--remove", type=_positive, metavar="ID", help="remove import ID")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_imports)
    return parser


def _run_window(argv: Sequence[str]) -> int:
    parser = _Parser(prog=PROG, usage=f"{PROG} [PLAN] | {PROG} COMMAND ...",
                     description="Open the Sales Planner window, optionally on PLAN.")
    parser.add_argument("plan", nargs="?", type=Path, help="a .salesplan file to open")
    args = parser.parse_args(argv)
    from salesplanner.ui.app import run  # Qt is loaded only for the window

    return run(args.plan)


#: Options whose value may start with '-' (a range such as -0.1:0.3).
_SIGNED_OPTIONS = ("--guardrails", "--band", "--growth", "--override")


def _join_negative_values(argv: list[str]) -> list[str]:
    """``--guardrails -0.1:0.3`` as ``--guardrails=-0.1:0.3``: argparse would
    otherwise take the value for an unknown option."""
    out: list[str] = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        following = argv[i + 1] if i + 1 < len(argv) else ""
        if arg in _SIGNED_OPTIONS and following[:1] == "-" and following[1:2].isdigit():
            out.append(f"{arg}={following}")
            skip = True
        else:
            out.append(arg)
    return out


def _print_notice(path: Path, notice: str) -> None:
    print(f"{PROG}: note: {path}: {notice}", file=sys.stderr)


def _listen_for_notices() -> None:
    """Say on stderr what opening a plan did to its files (a journal set aside ...)."""
    from salesplanner.storage import plan_file

    if _print_notice not in plan_file.notice_listeners:
        plan_file.notice_listeners.append(_print_notice)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``salesplanner`` script and ``python -m salesplanner``."""
    argv = _join_negative_values(list(sys.argv[1:] if argv is None else argv))
    _listen_for_notices()
    from salesplanner.storage.scratch import remove_stale

    remove_stale()  # working copies left in the temporary folder by killed runs
    parser = build_parser()
    commands: dict[str, Callable] = {
        name: sp for name, sp in parser._subparsers._group_actions[0].choices.items()  # type: ignore[union-attr]
    }
    try:
        if argv and (argv[0] in commands or argv[0] in ("-h", "--help", "--version")):
            args = parser.parse_args(argv)
            return args.func(args)
        if argv and argv[0].startswith("-"):
            parser.parse_args(argv)  # reports the unknown option
        return _run_window(argv)
    except UserError as exc:
        print(f"{PROG}: {mask_text(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: cancelled; nothing was changed", file=sys.stderr)
        return EXIT_CANCELLED
    except sqlite3.OperationalError as exc:
        # Ctrl+C reaches a running query through the plan connection's
        # progress handler, which stops the statement (see plan_file).
        if "interrupted" not in str(exc):
            raise
        print(f"{PROG}: cancelled; nothing was changed", file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:  # output piped into head, less ... that stopped reading
        sys.stderr.close()
        return EXIT_OK
