"""The entry point: builds the parser from the command modules, runs one command.

``main`` is what the ``salesplanner`` script and ``python -m salesplanner``
call. It turns the errors a person can cause into one line on stderr and an
exit code (see :mod:`salesplanner.cli`); anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from salesplanner import APP_NAME, __version__
from salesplanner.cli import analysis, export, importing, performance, plan, reports, targets
from salesplanner.cli.common import EXIT_CANCELLED, EXIT_OK, EXIT_USAGE, PROG, Parser
from salesplanner.errors import UserError
from salesplanner.card_numbers import mask_text

#: Every command, in the order ``salesplanner --help`` lists them.
COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    plan.add_new, plan.add_demo, plan.add_info, plan.add_check, plan.add_repair,
    importing.add_import, analysis.add_metrics, analysis.add_trend, analysis.add_peaks,
    analysis.add_forecast, targets.add_targets, performance.add_performance,
    reports.add_reports, export.add_export, importing.add_imports,
)


def build_parser() -> Parser:
    """The full command-line grammar (also used to generate the README's list)."""
    parser = Parser(
        prog=PROG, description=f"{APP_NAME}: plan, target and monitor contact-centre sales. "
        "Run with no command (or with a plan file) to open the window.",
        epilog=f"'{PROG} COMMAND --help' explains each command.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for add in COMMANDS:
        add(sub)
    parser.commands = dict(sub.choices)
    return parser


def _run_window(argv: Sequence[str]) -> int:
    parser = Parser(prog=PROG, usage=f"{PROG} [PLAN] | {PROG} COMMAND ...",
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


def _set_actor(args: argparse.Namespace) -> None:
    """``--by NAME``: the person this run's changes are recorded for in the audit
    trail. Without it, :func:`salesplanner.identity.actor` decides (a name from
    an earlier ``main`` in the same process is forgotten)."""
    from salesplanner.audit import set_actor

    set_actor(getattr(args, "actor", None))


#: Control characters other than line end and tab, shown escaped on a terminal.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7f, *range(0x80, 0xa0)]
             if c not in (0x09, 0x0a)}


class _PlainText:
    """A text stream that never passes a control character through.

    Plans and imports are untrusted: an agent or plan name holding an escape
    sequence would otherwise retitle the terminal, clear it or forge lines.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(text.translate(_CONTROLS))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, encoding ...
        return getattr(self._stream, name)


def _damaged(argv: Sequence[str], exc: sqlite3.DatabaseError) -> int:
    """A page SQLite cannot read, met after opening (plans over 32 MB are not checked whole)."""
    where = next((a for a in argv[1:] if not a.startswith("-")), "the plan")
    text = str(exc)
    if any(word in text for word in ("malformed", "corrupt", "not a database")):
        print(f"{PROG}: {where}: SQLite could not read part of the plan ({text}); nothing was "
              f"changed; run 'salesplanner check {where}' to see what is damaged, and restore "
              "it from a backup", file=sys.stderr)
    else:
        print(f"{PROG}: {where}: SQLite stopped: {text}; nothing was changed; try again, and "
              f"run 'salesplanner check {where}' if it happens again", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``salesplanner`` script and ``python -m salesplanner``."""
    streams = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, _PlainText):
        sys.stdout, sys.stderr = _PlainText(sys.stdout), _PlainText(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str] | None) -> int:
    argv = _join_negative_values(list(sys.argv[1:] if argv is None else argv))
    _listen_for_notices()
    from salesplanner.storage.scratch import remove_stale

    remove_stale()  # working copies left in the temporary folder by killed runs
    parser = build_parser()
    try:
        if argv and (argv[0] in parser.commands or argv[0] in ("-h", "--help", "--version")):
            args = parser.parse_args(argv)
            _set_actor(args)
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
            return _damaged(argv, exc)
        print(f"{PROG}: cancelled; nothing was changed", file=sys.stderr)
        return EXIT_CANCELLED
    except sqlite3.DatabaseError as exc:
        return _damaged(argv, exc)
    except BrokenPipeError:  # output piped into head, less ... that stopped reading
        sys.stderr.close()
        return EXIT_OK
