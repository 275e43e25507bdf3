"""Reading values as exports and people write them: money, numbers, dates.

Every parser takes text and returns a value or raises :class:`ValueError`
with a short reason (the importer adds the row and column). Nothing here
guesses silently: a date column whose day/month order cannot be told from
its values is reported as ambiguous, and the user decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

DAY_FIRST, MONTH_FIRST, YEAR_FIRST, AMBIGUOUS = "dayfirst", "monthfirst", "yearfirst", "ambiguous"

_CURRENCY = re.compile(r"[£$€¥]|\b(?:GBP|EUR|USD|CHF|SEK|NOK|DKK|PLN|ZAR)\b", re.IGNORECASE)


def parse_money(text: str, decimal: str | None = None) -> float:
    """A money amount: ``£1,234.50``, ``1.234,50``, ``(12.00)``, ``-12``, ``12-``.

    ``decimal`` is the decimal separator when known (``.`` or ``,``); if
    None it is worked out from the text: the last of ``.``/``,`` is the
    decimal mark when followed by one or two digits (``1.234`` with three
    digits after the dot is read as one thousand two hundred and thirty-four
    only when ``decimal`` says ``,``). Parentheses and a trailing minus mean
    negative.
    """
    raw = text
    s = _CURRENCY.sub("", text).strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not s:
        raise ValueError(f"{raw!r} is empty, not an amount")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.endswith("-"):
        negative, s = True, s[:-1]
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    s = _CURRENCY.sub("", s)
    if decimal is None:
        last = max(s.rfind("."), s.rfind(","))
        if last >= 0 and 1 <= len(s) - last - 1 <= 2:
            decimal = s[last]
        elif s.count(",") == 1 and s.count(".") == 0 and len(s) - s.rfind(",") - 1 != 3:
            decimal = ","
        else:
            decimal = "."
    thousands = "," if decimal == "." else "."
    if decimal in s and s.rfind(thousands) > s.find(decimal):
        raise ValueError(f"{raw!r} is not an amount (separators out of order)")
    whole, _, fraction = s.partition(decimal)
    groups = whole.split(thousands)
    if len(groups) > 1 and (not groups[0] or any(len(g) != 3 for g in groups[1:])):
        raise ValueError(f"{raw!r} is not an amount (thousands separators misplaced)")
    digits = "".join(groups)
    if not digits.isdigit() and not (digits == "" and fraction.isdigit()):
        raise ValueError(f"{raw!r} is not an amount")
    if fraction and not fraction.isdigit():
        raise ValueError(f"{raw!r} is not an amount")
    value = float(f"{digits or '0'}.{fraction or '0'}")
    return -value if negative else value


_DATE = re.compile(
    r"^\s*(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})"
    r"(?:[ T](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[AaPp][Mm])?)?\s*$")
_COMPACT = re.compile(r"^\s*(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"
                      r"(?:[ T]?(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?)?\s*$")


def _year(value: int) -> int:
    return value + 2000 if value < 70 else value + 1900 if value < 100 else value


def parse_datetime(text: str, order: str = DAY_FIRST) -> datetime:
    """A date or date-time: ``31/03/2026``, ``03/31/2026``, ``2026-03-31``,
    ``20260331``, each optionally with ``HH:MM[:SS]`` (and AM/PM).

    ``order`` says how to read ``a/b/c`` when the year is last: day first
    (the UK default) or month first. ISO (year first) is always recognised.
    """
    m = _COMPACT.match(text)
    if m:
        parts = (int(m["y"]), int(m["m"]), int(m["d"]))
        hour, minute, second = int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0)
    else:
        m = _DATE.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a date")
        a, b, c = int(m["a"]), int(m["b"]), int(m["c"])
        if len(m["a"]) == 4:
            parts = (a, b, c)
        elif order == MONTH_FIRST:
            parts = (_year(c), a, b)
        else:
            parts = (_year(c), b, a)
        hour, minute, second = int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0)
        if m["ampm"]:
            if not 1 <= hour <= 12:
                raise ValueError(f"{text!r} has an hour that does not fit AM/PM")
            hour = hour % 12 + (12 if m["ampm"].lower() == "pm" else 0)
    try:
        return datetime(parts[0], parts[1], parts[2], hour, minute, second)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date or time") from None


def parse_date(text: str, order: str = DAY_FIRST) -> date:
    """The date part of :func:`parse_datetime`."""
    return parse_datetime(text, order).date()


def infer_date_order(values: Iterable[str]) -> str:
    """How a column writes its dates: day first, month first, year first, or
    ambiguous when every value reads both ways (e.g. all days 12 or less).

    Raises ValueError if the values contradict each other (some can only be
    day first, others only month first).
    """
    can_day = can_month = False
    only_day = only_month = False
    year_first = seen = 0
    for text in values:
        text = (text or "").strip()
        if not text:
            continue
        m = _DATE.match(text)
        if not m:
            if _COMPACT.match(text):
                year_first += 1
                seen += 1
            continue
        seen += 1
        if len(m["a"]) == 4:
            year_first += 1
            continue
        a, b = int(m["a"]), int(m["b"])
        day_ok = 1 <= a <= 31 and 1 <= b <= 12
        month_ok = 1 <= a <= 12 and 1 <= b <= 31
        can_day |= day_ok
        can_month |= month_ok
        only_day |= day_ok and not month_ok
        only_month |= month_ok and not day_ok
    if seen and year_first == seen:
        return YEAR_FIRST
    if only_day and only_month:
        raise ValueError("the dates mix day-first and month-first orders")
    if only_day:
        return DAY_FIRST
    if only_month:
        return MONTH_FIRST
    if can_day or can_month:
        return AMBIGUOUS
    return YEAR_FIRST if year_first else AMBIGUOUS
