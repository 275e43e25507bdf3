"""Commands on a plan file as a whole: ``new``, ``demo``, ``info``, ``check``, ``repair``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from salesplanner.cli.common import EXIT_OK, EXIT_PROBLEMS, add_actor, argument, positive
from salesplanner.inputs import parse_growth


def add_new(sub: argparse._SubParsersAction) -> None:
    """``salesplanner new``."""
    p = sub.add_parser("new", help="create an empty plan file",
                       description="Create an empty plan file for one quarter.")
    p.add_argument("plan", metavar="PLAN", type=Path, help="the new file, e.g. q1.salesplan")
    p.add_argument("--name", required=True, help="the plan's name")
    p.add_argument("--quarter", required=True, help="calendar quarter, e.g. 2027-Q1")
    p.add_argument("--currency", default="GBP", help="ISO currency code (default GBP)")
    add_actor(p)
    p.set_defaults(func=run_new)


def run_new(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner new``."""
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.create(args.plan, name=args.name, quarter=args.quarter,
                         currency=args.currency) as plan:
        print(f"created {plan.path} ({args.name}, {args.quarter}, {args.currency.upper()})")
    return EXIT_OK


def add_demo(sub: argparse._SubParsersAction) -> None:
    """``salesplanner demo``."""
    p = sub.add_parser("demo", help="write a realistic demo plan",
                       description="Write a complete, reproducible demo plan: a UK contact "
                       "centre with teams, agents, skills, products, calls and sales.")
    p.add_argument("plan", metavar="PLAN", type=Path, help="the file to write")
    p.add_argument("--agents", type=positive, default=60, help="number of agents (default 60)")
    p.add_argument("--months", type=positive, default=15,
                   help="months of history (default 15)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--growth", type=argument(parse_growth), default=None, metavar="PCT",
                   help="calls per agent hour grow this much a year, e.g. 15%% "
                   "(default: 6%% across the whole history)")
    p.add_argument("--quarter", default="2027-Q1", help="the plan's quarter (default 2027-Q1)")
    p.add_argument("--name", help="plan name (default 'Demo contact centre QUARTER')")
    p.add_argument("--force", action="store_true", help="replace PLAN if it exists")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    add_actor(p)
    p.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner demo``."""
    from salesplanner.demo import DemoOptions, generate_demo
    from salesplanner.jobs import ConsoleToken, SilentToken
    from salesplanner.periods import Quarter

    options = DemoOptions(agents=args.agents, months=args.months, seed=args.seed,
                          quarter=Quarter.parse(args.quarter), name=args.name,
                          growth=args.growth)
    token = SilentToken() if args.quiet else ConsoleToken()
    summary = generate_demo(args.plan, options, token, overwrite=args.force)
    print(f"wrote {summary.path}: {summary.teams} teams, {summary.agents} agents, "
          f"{summary.products} products, {summary.calls:,} calls, {summary.sales:,} sale lines, "
          f"{summary.first_day} to {summary.last_day}")
    return EXIT_OK


def add_info(sub: argparse._SubParsersAction) -> None:
    """``salesplanner info``."""
    p = sub.add_parser("info", help="what a plan holds",
                       description="Print a plan's name, quarter, format version and the "
                       "number of records of every kind.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON (keys in the README)")
    p.set_defaults(func=run_info)


def run_info(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner info``."""
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.summary import format_info, plan_info

    with PlanFile.open(args.plan, read_only=True) as plan:
        info = plan_info(plan)
    if args.json:
        print(json.dumps(info.as_json(), indent=2))
    else:
        print(format_info(info))
    return EXIT_OK


def add_check(sub: argparse._SubParsersAction) -> None:
    """``salesplanner check``."""
    p = sub.add_parser("check", help="check a plan file is sound",
                       description="Check integrity, references, schema and the plan's own "
                       "rules. Exit 0 only when every check passes.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner check``: exit 1 when a check fails."""
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


def add_repair(sub: argparse._SubParsersAction) -> None:
    """``salesplanner repair``."""
    p = sub.add_parser(
        "repair", help="copy what can be trusted of a refused plan into a new plan",
        description="For a plan that opening refuses (something planted in it, or values "
        "not of their columns' kinds): copy every table the program knows, row by row where "
        "the values fit, into a new plan at COPY. Triggers, views and unknown tables are left "
        "behind; nothing in PLAN runs and PLAN is not changed.")
    p.add_argument("plan", metavar="PLAN", type=Path)
    p.add_argument("copy", metavar="COPY", type=Path, help="the new plan to write")
    p.add_argument("--force", action="store_true", help="replace COPY if it exists")
    add_actor(p)
    p.set_defaults(func=run_repair)


def run_repair(args: argparse.Namespace) -> int:
    """Carry out ``salesplanner repair``."""
    from salesplanner.jobs import ConsoleToken
    from salesplanner.storage.repair import repair

    report = repair(args.plan, args.copy, token=ConsoleToken(), overwrite=args.force)
    for line in report.lines():
        print(line)
    return EXIT_OK
