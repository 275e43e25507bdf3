"""What every command module shares: the parser class, exit codes, option types, ``--by``.

A user's mistake is a :class:`~salesplanner.errors.UserError` (one line on
stderr, exit 2); option types refuse a value with argparse's
``argument --option: ...`` message.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from salesplanner.errors import UserError
from salesplanner.periods import parse_day

if TYPE_CHECKING:
    from salesplanner.storage.plan_file import PlanFile

PROG = "salesplanner"
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130

T = TypeVar("T")


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line plus a hint."""

    #: The commands by name (filled in on the program's parser).
    commands: dict[str, argparse.ArgumentParser] = {}

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{message} (see '{self.prog} --help')")


def add_actor(parser: argparse.ArgumentParser) -> None:
    """``--by NAME`` on a command that changes a plan: who is recorded in its audit trail."""
    parser.add_argument("--by", dest="actor", metavar="NAME",
                        help="who is making the change, for the plan's audit trail (default: "
                        "SALESPLANNER_USER, else your system account)")


def argument(parse: Callable[[str], T]) -> Callable[[str], T]:
    """``parse`` (of :mod:`salesplanner.inputs`) as an argparse type: its
    refusal becomes argparse's ``argument --option: ...`` message."""
    def read(text: str) -> T:
        try:
            return parse(text)
        except UserError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return read


def positive(text: str) -> int:
    """A whole number above 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
    return value


def fraction(text: str) -> float:
    """A share between 0 and 1, as ``0.8`` or ``80%``."""
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share like 0.8 or 80%") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1 (e.g. 0.8)")
    return value


def day(text: str | None) -> date | None:
    """A ``--from``/``--to`` day as typed, or None when not given."""
    return None if text is None else parse_day(text)


def plan_currency(plan: PlanFile) -> str:
    """The plan's currency code."""
    from salesplanner.daily_figures import plan_currency as currency_of

    return currency_of(plan).code


def measure_text(value: float, unit: str, currency_code: str) -> str:
    """A measure's value as the command line prints it."""
    from salesplanner.metrics import format_value

    return format_value(value, unit, currency_code)
