"""The inputs a person types, read one way for the window and the command line.

A team target, a growth, a band, guardrails, a new starter's ramp and a
period are typed in the Targets panel, the Performance and Reports panels
and on the command line (``salesplanner targets``, ``performance``,
``reports``, ``export``). Each is read here, once, and refused with a
:class:`~salesplanner.errors.UserError` that shows the forms it reads; the
callers only say which form they offer (the window's ramp is in per cent,
the command's in shares) and, on the command line, which option it was.

Shares are fractions (``0.05`` is five per cent); ``5%`` reads as ``0.05``
wherever a share is read.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from salesplanner.errors import UserError
from salesplanner.periods import Quarter, parse_day

#: The named periods, as :func:`period_bounds` reads them.
PERIOD_NAMES = {"qtd": "Quarter to date", "mtd": "Month to date", "wtd": "Week to date",
                "last_quarter": "Last quarter", "last_month": "Last month",
                "last_week": "Last week"}


def _number(text: str) -> float:
    """``text`` as a number, ``5%`` as ``0.05``; raises ValueError."""
    return float(text.rstrip("%")) / (100 if text.endswith("%") else 1)


def from_percent(value: float) -> float:
    """A value shown in per cent (a spin box's ``5``) as a share (``0.05``)."""
    return value / 100


def parse_team_target(text: str) -> float | None:
    """A team target as typed: ``250000``, ``250,000``, ``£250000``, ``33%``
    (a rate, 0.33) or ``0.33``; empty text is no team target (None)."""
    cleaned = text.strip().replace(",", "").lstrip("£$€")
    if not cleaned:
        return None
    try:
        return _number(cleaned)
    except ValueError:
        raise UserError(f"team target {text!r} is not a number") from None


def parse_growth(text: str) -> float:
    """A growth as a share: ``5%`` or ``0.05``. A bare number of 1 or more is
    refused, not guessed (``10`` could be meant as 10% or as 1000%, ``1`` as
    1% or 100%), and so are ``nan`` and ``inf``."""
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    try:
        value = float(cleaned.rstrip("%")) / (100 if percent else 1)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value):
        raise UserError(f"{text!r} is not a share: write 5% or 0.05")
    if not percent and abs(value) >= 1:
        raise UserError(f"{text} is ambiguous: write {cleaned}% for {cleaned} per cent, or "
                        f"{value / 100:g} as a share")
    return value


def parse_range(text: str, what: str) -> tuple[float, float]:
    """``LOW:HIGH`` as two shares, each ``0.5`` or ``50%``: the band of agents
    expected to reach target, or the guardrails on the change against
    baseline. ``what`` names the input in the message (``--band``)."""
    try:
        low, high = (_number(part) for part in text.split(":"))
    except ValueError:
        raise UserError(f"{what} {text!r} is not LOW:HIGH, e.g. 0.5:0.8") from None
    return low, high


def parse_ramp(text: str, *, percent: bool = False) -> tuple[float, ...]:
    """A new starter's share of full productivity in their 1st, 2nd ... month.

    The command line reads shares (``0.5,0.7,0.85``); the window per cent
    (``50, 70, 85``, a ``%`` sign, ``;`` or empty parts allowed). Each share is
    above 0 and at most 1."""
    if percent:
        cleaned = text.replace("%", "").strip().replace(";", ",")
        parts = [p for p in cleaned.split(",") if p.strip()]
        example = "ramp {text!r}: type the monthly shares in per cent, e.g. 50, 70, 85"
        bounds = "ramp: each month's share is above 0% and at most 100%"
    else:
        parts = text.split(",")
        example = "--ramp {text!r} is not shares like 0.5,0.7,0.85"
        bounds = "--ramp {text!r}: each month's share is above 0 and at most 1"
    try:
        shares = tuple(float(p) / (100 if percent else 1) for p in parts)
    except ValueError:
        raise UserError(example.format(text=text)) from None
    if not all(0 < s <= 1 for s in shares):
        raise UserError(bounds.format(text=text))
    return shares


def period_bounds(text: str, last_day: date) -> tuple[date, date]:
    """``qtd``, ``mtd``, ``wtd`` (to the last day with data), ``last_quarter``,
    ``last_month``, ``last_week`` (the whole one before the one with the last
    day with data; weeks run Monday to Sunday), a quarter (``2027-Q1``) or
    ``FROM:TO`` (days as :func:`~salesplanner.periods.parse_day` reads them)."""
    text = (text or "qtd").strip().lower()
    if text == "qtd":
        return Quarter.containing(last_day).start, last_day
    if text == "mtd":
        return last_day.replace(day=1), last_day
    if text == "wtd":
        return last_day - timedelta(days=last_day.weekday()), last_day
    if text == "last_quarter":
        previous = Quarter.containing(Quarter.containing(last_day).start - timedelta(days=1))
        return previous.start, previous.end
    if text == "last_month":
        end = last_day.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if text == "last_week":
        end = last_day - timedelta(days=last_day.weekday() + 1)
        return end - timedelta(days=6), end
    if re.fullmatch(r"\d{4}-?q[1-4]", text):
        quarter = Quarter.parse(text)
        return quarter.start, quarter.end
    first, sep, last = text.partition(":")
    try:
        start, end = parse_day(first), parse_day(last)
    except UserError:
        raise UserError(f"--period {text!r}: use {', '.join(PERIOD_NAMES)}, a quarter "
                        "(2027-Q1) or FROM:TO with days as 2027-01-31, 31/01/2027 or "
                        "31 Jan 2027, e.g. 01/01/2027:28/02/2027") from None
    if not sep or end < start:
        raise UserError(f"--period {text!r}: FROM:TO with FROM on or before TO")
    return start, end
