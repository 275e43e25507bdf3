"""Commands that analyse the plan's data: ``metrics``, ``trend``, ``peaks``, ``forecast``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from salesplanner.cli.common import (
    EXIT_OK, add_actor, day, fraction, measure_text, plan_currency, positive,
)
from salesplanner.errors import UserError
from salesplanner.periods import period_label

if TYPE_CHECKING:
    import numpy as np


def add_metrics(sub: argparse._SubParsersAction) -> None:
    """``salesplanner metrics``."""
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
    add_actor(p)
    p.set_defaults(func=run_metrics)


def run_metrics(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner metrics``."""
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
        totals = base_totals(plan, day(args.date_from), day(args.date_to))
        values = measure_values(measures, list(measures), totals)
        currency = plan_currency(plan)
    if args.add is not None:
        code = args.add.partition("=")[0].strip().lower()
        m = measures[code]
        print(f"saved {m.code}: {m.formula} ({m.unit}, {m.direction} is better); "
              f"whole period: {measure_text(values[code][0], m.unit, currency)}")
        return EXIT_OK
    if args.json:
        print(json.dumps([{**m.as_json(), "value": None if values[c][0] != values[c][0]
                           else float(values[c][0])} for c, m in measures.items()], indent=2))
        return EXIT_OK
    from salesplanner.metrics import rag

    print(f"{'measure':<22} {'unit':<10} {'better':<7} {'value':>14} {'RAG':<6} formula")
    for code, m in measures.items():
        edges = ", ".join(f"{colour} {measure_text(edge, m.unit, currency)}" for colour, edge in
                          (("red", m.red_below), ("green", m.green_from)) if edge is not None)
        print(f"{code:<22} {m.unit:<10} {m.direction:<7} "
              f"{measure_text(values[code][0], m.unit, currency):>14} "
              f"{rag(m, float(values[code][0])) or '':<6} {m.formula}"
              + ("" if m.builtin else "   (own)") + (f"   ({edges})" if edges else ""))
    return EXIT_OK


def add_trend(sub: argparse._SubParsersAction) -> None:
    """``salesplanner trend``."""
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
    p.add_argument("--top", type=positive, default=8,
                   help="split values shown in the table, largest first (default 8)")
    p.add_argument("--share", action="store_true",
                   help="each split value's share of the period (the mix, e.g. of products)")
    p.add_argument("--json", action="store_true", help="print JSON (every split value)")
    p.set_defaults(func=run_trend)


def run_trend(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner trend``."""
    from salesplanner.competitors import competitor_moves
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.analysis.trends import trend

    with PlanFile.open(args.plan, read_only=True) as plan:
        result = trend(plan, args.metric, args.by, args.split, day(args.date_from),
                       day(args.date_to), top=None if args.json else args.top)
        currency = plan_currency(plan)
        moves = competitor_moves(plan, result.periods[0] if result.periods else None,
                                 day(args.date_to))
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
            f" {measure_text(rows[i, j], unit, currency):>{width}}" for i in range(len(labels))))
    if not args.share:
        print(f"{'whole':<16}" + "".join(f" {measure_text(t, unit, currency):>{width}}"
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


def add_peaks(sub: argparse._SubParsersAction) -> None:
    """``salesplanner peaks``."""
    p = sub.add_parser(
        "peaks", help="calls and conversion by weekday and hour, and the staff needed",
        description="The weekday x hour table of average calls per hour and of conversion, "
        "the peak and the trough, the agents needed per hour to meet a service level by "
        "Erlang C, and the inbound troughs where outbound calling fits.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--direction", choices=["inbound", "outbound"])
    p.add_argument("--service-level", type=fraction, default=0.8,
                   help="share of calls to answer in time (default 0.8)")
    p.add_argument("--answer-within", type=float, default=20, metavar="SECONDS",
                   help="the answer time for the service level (default 20)")
    p.add_argument("--aht", type=float, metavar="SECONDS",
                   help="the average handle time to work out the agents needed with, in "
                   "seconds (e.g. 300), for every hour; the default is each hour's own from "
                   "the data, which an intervals file without handle times does not give")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_peaks)


def run_peaks(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner peaks``."""
    from salesplanner.analysis.peaks import WEEKDAYS, peaks
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(args.plan, read_only=True) as plan:
        result = peaks(plan, args.direction, args.service_level, args.answer_within, args.aht)
    if args.json:
        print(json.dumps(result.as_json(), indent=2))
        return EXIT_OK
    hours = result.open_hours()
    what = f"{args.direction or 'all'} calls"
    volume = result.shown(result.volume)
    _print_grid(f"Average {what} per hour, by weekday (from {result.source})", hours,
                lambda d, h: "" if volume[d, h] != volume[d, h] else f"{volume[d, h]:.1f}")
    if result.peak:
        print(f"peak: {WEEKDAYS[result.peak[0]]} {result.peak[1]:02d}:00, "
              f"{result.volume[result.peak]:.1f} calls an hour")
        print(f"trough: {WEEKDAYS[result.trough[0]]} {result.trough[1]:02d}:00, "  # type: ignore[index]  # set with the peak
              f"{result.volume[result.trough]:.1f} calls an hour")
    if not _all_nan(result.conversion):
        _print_grid("\nConversion (sales per call)", hours,
                    lambda d, h: "" if result.conversion[d, h] != result.conversion[d, h]
                    else f"{result.conversion[d, h]:.0%}")
    if args.direction == "outbound":  # nobody waits to be answered on an outbound call
        print("\nAgents needed: staffing to a service level is for calls that wait to be "
              "answered; leave out --direction (or say inbound) to see it")
    elif result.handle_time_missing:
        print(f"\n{result.staffing_note} Give the average handle time in seconds with "
              "--aht, e.g. --aht 300 for five minutes a call.")
    else:
        aht = "" if result.aht_given is None else f", {result.aht_given:g} s a call"
        _print_grid(f"\nAgents needed on the phones to answer {result.target:.0%} within "
                    f"{result.within:g} s (Erlang C{aht}, before shrinkage)", hours,
                    lambda d, h: f"{int(result.agents[d, h])}" if result.agents[d, h] else "")
        if result.staffing_note:
            print(f"note: {result.staffing_note}")
    if result.outbound_windows:
        shown = ", ".join(f"{WEEKDAYS[d]} {h:02d}:00" for d, h in result.outbound_windows[:12])
        more = len(result.outbound_windows) - 12
        print(f"\nmost agents spare from inbound, windows for outbound calling: {shown}"
              + (f" and {more} more" if more > 0 else ""))
    return EXIT_OK


def add_forecast(sub: argparse._SubParsersAction) -> None:
    """``salesplanner forecast``."""
    p = sub.add_parser(
        "forecast", help="forecast a measure, with its interval and accuracy",
        description="Forecast an additive measure (revenue, sales, calls handled ...) by week "
        "or month past the plan's data: seasonal naive (with or without growth), Holt-Winters "
        "(additive or multiplicative), Holt, drift or naive, whichever back-tests best from "
        "several starting points near the end of the history (MASE and MAPE shown), with the "
        "chosen model's 80% interval.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--metric", required=True)
    p.add_argument("--by", default="week", choices=["week", "month"])
    p.add_argument("--horizon", type=positive, default=None,
                   help="periods ahead (default: the rest of the quarter and the next)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_forecast)


def run_forecast(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner forecast``."""
    from salesplanner.analysis.forecast import forecast, quarter_outlook
    from salesplanner.analysis.thin_data import forecast_warning
    from salesplanner.metrics import format_total, registry
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(args.plan, read_only=True) as plan:
        result = forecast(plan, args.metric, args.by, args.horizon)
        outlook = quarter_outlook(plan, result)
        unit = registry(plan)[args.metric].unit
        currency = plan_currency(plan)
    thin = forecast_warning(result.by, len(result.history), result.holdout, result.method,
                            result.backtest.get(result.method, (None, None))[1])
    if args.json:
        shown = result.as_json()
        if thin:
            shown["notes"] = [thin, *shown["notes"]]
        print(json.dumps({**shown,
                          "quarter_outlook": outlook.as_json() if outlook else None}, indent=2))
        return EXIT_OK
    print(f"{args.metric} by {args.by}: {result.method} chosen by back-test on "
          f"{result.backtest_text()}")
    if thin:
        print(f"warning: {thin}")
    for method, (error, percent) in result.backtest.items():
        mark = "*" if method == result.method else " "
        print(f" {mark} {method:<27} MASE {error:.2f}   MAPE "
              + ("n/a" if percent != percent else f"{percent:.1%}"))
    print(f"\n{'period':<16} {'forecast':>14} {'low (10%)':>14} {'high (90%)':>14}")
    for period, value, low, high in zip(result.periods, result.values, result.low, result.high):
        print(f"{period_label(period, args.by):<16} {measure_text(value, unit, currency):>14} "
              f"{measure_text(low, unit, currency):>14} {measure_text(high, unit, currency):>14}")
    if outlook is not None:
        print("\n" + outlook.sentence(lambda v: format_total(v, unit, currency)))
    for note in result.notes:
        print(f"note: {note}")
    return EXIT_OK


def _print_grid(title: str, hours: list[int], cell: Callable[[int, int], str]) -> None:
    """A weekday x hour table: ``cell(weekday index, hour)`` gives each cell's text
    (empty for a blank). Every column is as wide as its widest figure and two
    spaces part the columns, so that figures never run together."""
    from salesplanner.analysis.peaks import WEEKDAYS

    texts = [[cell(d, h) for h in hours] for d in range(len(WEEKDAYS))]
    widths = [max([len(f"{h:02d}:00")] + [len(row[i]) for row in texts])
              for i, h in enumerate(hours)]
    print(title)
    print(f"{'':<4}" + "".join(f"  {f'{h:02d}:00':>{w}}" for h, w in zip(hours, widths)))
    for name, row in zip(WEEKDAYS, texts):
        print((f"{name:<4}" + "".join(f"  {text:>{w}}" for text, w in zip(row, widths))).rstrip())


def _all_nan(values: np.ndarray) -> bool:
    """Whether an array holds no value at all."""
    import numpy as np

    return bool(np.isnan(values).all())
