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
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from salesplanner import APP_NAME, __version__
from salesplanner.errors import UserError

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

    with PlanFile.open(args.plan, read_only=True) as plan:
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
    return parser


def _run_window(argv: Sequence[str]) -> int:
    parser = _Parser(prog=PROG, usage=f"{PROG} [PLAN] | {PROG} COMMAND ...",
                     description="Open the Sales Planner window, optionally on PLAN.")
    parser.add_argument("plan", nargs="?", type=Path, help="a .salesplan file to open")
    args = parser.parse_args(argv)
    from salesplanner.ui.app import run  # Qt is loaded only for the window

    return run(args.plan)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``salesplanner`` script and ``python -m salesplanner``."""
    argv = list(sys.argv[1:] if argv is None else argv)
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
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: cancelled; nothing was changed", file=sys.stderr)
        return EXIT_CANCELLED
