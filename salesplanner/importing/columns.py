"""Typing a whole column of source text at once, and saying which cells fail.

Each converter takes an Arrow string array and returns the typed values as
a NumPy array plus ``{row index: reason}`` for the cells it refused. Clean,
common forms go through a vectorised fast path in Arrow's C kernels (a
million dates in a tenth of a second); every other non-empty cell goes
through the exact parsers of :mod:`.values`, once per distinct text, which
also writes the reason. Empty cells are missing values, never errors: the
caller decides which fields a row must have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, tzinfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from salesplanner.errors import ChoiceNeeded, UserError
from salesplanner.importing.values import (
    AMBIGUOUS, DAY_FIRST, MONTH_FIRST, YEAR_FIRST, infer_date_order, parse_datetime, parse_money,
)

Errors = dict[int, str]
_NAT = np.datetime64("NaT", "s")
_EARLIEST, _LATEST = np.datetime64("1900-01-01", "s"), np.datetime64("2199-12-31T23:59:59", "s")
#: Excel's day 0: 1899-12-30 in the 1900 system (which counts a false
#: 29 February 1900), 1904-01-01 in the 1904 system.
_EXCEL_EPOCH = {False: datetime(1899, 12, 30), True: datetime(1904, 1, 1)}


class AmbiguousDates(ChoiceNeeded):
    """A date column reads both day-first and month-first: the user must say."""

    def __init__(self, header: str, examples: list[str]) -> None:
        self.header = header
        self.examples = examples
        super().__init__(
            f"the dates in column {header!r} read both ways (e.g. {', '.join(examples[:3])}): "
            "day first (31/12) or month first (12/31)", "say --dayfirst or --monthfirst",
            "choose the date order")


class MixedDates(ChoiceNeeded):
    """A date column written both ways: the user says which order is right."""

    def __init__(self, header: str, day_only: str, month_only: str) -> None:
        self.header = header
        self.examples = [day_only, month_only]
        problem = (f"the dates in column {header!r} are written both ways ({day_only} is day "
                   f"first, {month_only} month first)")
        rest = "and the dates that do not fit are refused row by row"
        super().__init__(problem, f"say --dayfirst or --monthfirst {rest}",
                         f"choose the date order {rest}")


def stripped(column: pa.Array) -> pa.Array:
    """The column with surrounding spaces (and non-breaking spaces) removed."""
    return pc.utf8_trim(column, " \t\u00a0\r\n")


def _fallback(text: pa.Array, handled: np.ndarray, parse: Callable[[str], object],
              out: np.ndarray, errors: Errors) -> None:
    """Parse the cells the fast path left, in Python, once per distinct text."""
    todo = np.flatnonzero(~handled)
    if not len(todo):
        return
    values = pc.take(text, pa.array(todo)).to_pylist()
    cache: dict[str, object] = {}
    for index, value in zip(todo.tolist(), values):
        if value not in cache:
            try:
                cache[value] = parse(value)
            except ValueError as exc:
                cache[value] = exc
        result = cache[value]
        if isinstance(result, ValueError):
            errors[index] = str(result)
        else:
            out[index] = result


def _empty(text: pa.Array) -> np.ndarray:
    return pc.equal(text, "").to_numpy(zero_copy_only=False)


def date_order(column: pa.Array, header: str, order: str | None) -> str:
    """The day/month order to read a column with: the user's, or the data's own.

    Raises :class:`AmbiguousDates` if the values read both ways and the
    user has not said, and :class:`UserError` if they contradict each other.
    """
    dates = pc.unique(pc.extract_regex(
        stripped(column), r"^(?P<d>\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4})").field("d")
        if len(column) else pa.array([], pa.string()))
    values = [v for v in dates.to_pylist() if v]
    if not values:  # no d/m/y dates at all: ISO, compact or not dates; rows say which
        return order or DAY_FIRST
    try:
        found = infer_date_order(values)
    except ValueError:
        if order in (DAY_FIRST, MONTH_FIRST):
            return order  # the user said: dates that do not fit are refused row by row
        day_only = next(v for v in values if int(re.split(r"[/.\-]", v)[0]) > 12)
        month_only = next(v for v in values if int(re.split(r"[/.\-]", v)[1]) > 12)
        raise MixedDates(header, day_only, month_only) from None
    if found == AMBIGUOUS:
        if order in (DAY_FIRST, MONTH_FIRST):
            return order
        raise AmbiguousDates(header, sorted(values)[:3])
    if order in (DAY_FIRST, MONTH_FIRST) and found in (DAY_FIRST, MONTH_FIRST) and found != order:
        raise UserError(f"column {header!r} cannot be read {order.replace('first', ' first')}: "
                        f"some dates only make sense the other way; leave the option out")
    return found if found != YEAR_FIRST else (order or DAY_FIRST)


def _formats(order: str) -> list[str]:
    first = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y") if order == DAY_FIRST else \
        ("%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y")
    dated = (*first, "%Y-%m-%d", "%Y/%m/%d")
    times = (" %H:%M:%S", " %H:%M", "T%H:%M:%S", "")
    return [d + t for d in dated for t in times] + ["%Y%m%d"]


def to_datetimes(column: pa.Array, order: str, workbook_serials: bool | None = None) -> tuple[
        np.ndarray, Errors]:
    """A column of dates or date-times as ``datetime64[s]`` (NaT where empty).

    ``workbook_serials`` is the workbook's date system (False for 1900, True
    for 1904) when bare numbers should be read as Excel serial dates; None
    for text sources, where a bare number is not a date.
    """
    text = stripped(column)
    out = np.full(len(text), _NAT, dtype="datetime64[s]")
    handled = _empty(text)
    zoned = pc.match_substring_regex(text, _ZONED).to_numpy(zero_copy_only=False)
    if zoned.any():  # ISO 8601 with Z or an offset: to this computer's local time
        _local_times(text, zoned, out)
        handled |= zoned & ~np.isnat(out)
    for fmt in _formats(order):
        remaining = np.flatnonzero(~handled)
        if not len(remaining):
            break
        part = text if len(remaining) == len(text) else pc.take(text, pa.array(remaining))
        parsed = pc.strptime(part, format=fmt, unit="s", error_is_null=True)
        ok = pc.is_valid(parsed).to_numpy(zero_copy_only=False)
        if ok.any():
            values = parsed.to_numpy(zero_copy_only=False).astype("datetime64[s]")
            ok &= values >= _EARLIEST  # "26" read by %Y as the year 26: the slow path knows
            # strptime rolls 31/02 over to 3 March: keep only days that are as written.
            ok &= _day_as_written(part, parsed, fmt)
            out[remaining[ok]] = values[ok]
            handled[remaining[ok]] = True

    def slow(value: str) -> np.datetime64:
        if workbook_serials is not None and re.fullmatch(r"\d+(\.\d+)?", value):
            serial = float(value)
            if not 1 <= serial < 2958466:
                raise ValueError(f"{value!r} is not a date")
            day = _EXCEL_EPOCH[workbook_serials] + timedelta(days=serial)
            return np.datetime64(day.replace(microsecond=0), "s")
        return np.datetime64(parse_datetime(value, order), "s")

    errors: Errors = {}
    _fallback(text, handled, slow, out, errors)
    wild = np.flatnonzero((out < _EARLIEST) | (out > _LATEST))
    for index in wild.tolist():
        errors[index] = f"{text[index].as_py()!r} is outside the years 1900-2199"
        out[index] = _NAT
    return out, errors


_ZONED = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"


def _local_times(text: pa.Array, zoned: np.ndarray, out: np.ndarray) -> None:
    """Read zoned ISO timestamps into ``out`` as local wall-clock times.

    The plan keeps the contact centre's local time; a telephony platform that
    exports UTC (``2027-01-05T09:00:00Z``) is converted with this computer's
    time zone, which is the centre's when the manager works there.
    """
    import pandas as pd

    rows = np.flatnonzero(zoned)
    stamps = pd.to_datetime(pd.Series(text.take(pa.array(rows)).to_pylist()), utc=True,
                            format="ISO8601", errors="coerce")
    local = stamps.dt.tz_convert(_local_zone()).dt.tz_localize(None)
    out[rows] = local.to_numpy(dtype="datetime64[s]")


def _local_zone() -> tzinfo | None:
    from datetime import datetime as _dt

    return _dt.now().astimezone().tzinfo


def _day_as_written(text: pa.Array, parsed: pa.Array, fmt: str) -> np.ndarray:
    """Whether each parsed date has the day of the month the text gave.

    Arrow's (and C's) strptime accepts 31/02/2027 and rolls it over to
    3 March; such a date must be refused, not moved.
    """
    if fmt.startswith("%Y%m%d"):
        pattern, group = r"^(?P<a>\d{4})(?P<b>\d{2})(?P<c>\d{2})", "c"
    else:
        pattern = r"^(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})"
        group = {"%d": "a", "%m": "b", "%Y": "c"}[fmt[:2]]
    written = pc.extract_regex(text, pattern).field(group)
    written = pc.if_else(pc.equal(pc.fill_null(written, ""), ""), "0", written)
    day = pc.cast(written, pa.int64())
    same = pc.equal(day, pc.day(parsed))
    return pc.fill_null(same, False).to_numpy(zero_copy_only=False)


_PLAIN_NUMBER = r"^[+-]?\d+(\.\d+)?$"


def to_money(column: pa.Array, decimal: str | None = None) -> tuple[np.ndarray, Errors]:
    """Amounts (``£1,234.50``, ``1.234,50``, ``(12.00)``, ``-12``) as floats (NaN if empty).

    The decimal mark is the column's, found before any value is read: in a
    column that writes ``12,50`` and ``1.234,50``, ``1.234`` is one thousand
    two hundred and thirty-four, not one point two three. The fast path then
    strips currency signs and thousands separators in Arrow and casts plain
    numbers in C; anything else goes to
    :func:`~salesplanner.importing.values.parse_money`.
    """
    text = stripped(column)
    out = np.full(len(text), np.nan)
    empty = _empty(text)
    plain = _plain_amounts(text, empty, out) if decimal is None else None
    if plain is None:
        decimal = decimal or _column_decimal(text)
        plain = _separated_amounts(text, decimal, out)
    errors: Errors = {}
    _fallback(text, plain | empty, lambda v: parse_money(v, decimal), out, errors)
    for index in np.flatnonzero(np.abs(np.nan_to_num(out)) >= MAX_AMOUNT).tolist():
        errors[index] = f"{text[index].as_py()!r} is too large for an amount"
        out[index] = np.nan
    return out, errors


def _separated_amounts(text: pa.Array, decimal: str | None, out: np.ndarray) -> np.ndarray:
    """Amounts with currency signs and thousands separators read in Arrow into
    ``out``; returns the cells read (the rest go to the exact parser)."""
    if not len(text):
        return np.zeros(0, dtype=bool)
    cleaned = pc.replace_substring_regex(text, _CURRENCY_SIGNS, "")
    if decimal == ",":
        grouped = pc.match_substring_regex(cleaned, r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
        cleaned = pc.if_else(grouped, pc.replace_substring(cleaned, ".", ""), cleaned)
        plain_comma = pc.match_substring_regex(cleaned, r"^[+-]?\d+(,\d+)?$")
        cleaned = pc.if_else(plain_comma, pc.replace_substring(cleaned, ",", "."), "x")
    else:
        grouped = pc.match_substring_regex(cleaned, r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
        cleaned = pc.if_else(grouped, pc.replace_substring(cleaned, ",", ""), cleaned)
    plain = pc.match_substring_regex(cleaned, _PLAIN_NUMBER).to_numpy(zero_copy_only=False)
    if plain.any():
        numbers = pc.cast(pc.if_else(pa.array(plain), cleaned, "0"), pa.float64())
        out[plain] = numbers.to_numpy(zero_copy_only=False)[plain]
    return plain


def _plain_amounts(text: pa.Array, empty: np.ndarray, out: np.ndarray) -> np.ndarray | None:
    """The usual export (``£51.45``, ``-12``, ``3``): every filled cell a plain
    number after a leading currency sign. Then three passes in C fill ``out``
    (:func:`_separated_amounts` takes seven) and the cells read are returned;
    None where any cell needs that path (thousands separators, a decimal
    comma, a trailing sign, brackets ...), which also settles what those mean.
    """
    if not len(text):
        return None
    cleaned = pc.utf8_ltrim(text, "£$€¥ \u00a0")
    ok = pc.or_(pc.match_substring_regex(cleaned, _PLAIN_NUMBER), pa.array(empty))
    if not pc.all(ok).as_py():
        return None
    filled = ~empty
    out[filled] = pc.cast(pc.if_else(pa.array(empty), "0", cleaned), pa.float64()).to_numpy(
        zero_copy_only=False)[filled]
    return filled


#: Amounts this large (in major units) are mistakes, and would overflow pence.
MAX_AMOUNT = 1e12
_CURRENCY_SIGNS = r"[£$€¥\s\x{00a0}]|\b(?:GBP|EUR|USD)\b"


def _column_decimal(text: pa.Array) -> str | None:
    """The decimal mark a column agrees on: ``,`` if some values end in a comma
    and one or two digits and none in a dot and one or two digits, ``.`` in the
    opposite case, None if the values do not say."""
    if not len(text):
        return None
    comma = pc.any(pc.match_substring_regex(text, r",\d{1,2}\)?-?$")).as_py()
    dot = pc.any(pc.match_substring_regex(text, r"\.\d{1,2}\)?-?$")).as_py()
    if comma and not dot:
        return ","
    if dot and not comma:
        return "."
    return None


def to_numbers(column: pa.Array, whole: bool = False) -> tuple[np.ndarray, Errors]:
    """Plain numbers (thousands separators allowed) as floats; ``whole`` refuses fractions."""
    out, errors = to_money(column)
    kind = "a whole number" if whole else "a number"
    text = None
    for index in list(errors):
        text = text if text is not None else stripped(column)
        errors[index] = f"{text[index].as_py()!r} is not {kind}"
    if whole:
        bad = np.flatnonzero(~np.isnan(out) & (out != np.round(out)))
        if len(bad):
            text = text if text is not None else stripped(column)
            for index in bad.tolist():
                errors[index] = f"{text[index].as_py()!r} is not a whole number"
                out[index] = np.nan
    return out, errors


_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.\d+)?$")


def to_seconds(column: pa.Array) -> tuple[np.ndarray, Errors]:
    """Durations as seconds: ``754``, ``754.2``, ``12:34`` or ``1:02:03`` (NaN if empty)."""
    text = stripped(column)
    out = np.full(len(text), np.nan)
    empty = _empty(text)
    plain = pc.match_substring_regex(text, r"^\d+(\.\d+)?$").to_numpy(zero_copy_only=False)
    if plain.any():
        numbers = pc.cast(pc.if_else(pa.array(plain), text, "0"), pa.float64())
        out[plain] = numbers.to_numpy(zero_copy_only=False)[plain]

    def slow(value: str) -> float:
        m = _DURATION.match(value)
        if not m:
            raise ValueError(f"{value!r} is not a duration (seconds, mm:ss or hh:mm:ss)")
        hours, minutes, seconds = int(m[1] or 0), int(m[2]), int(m[3])
        if seconds > 59 or (m[1] and minutes > 59):
            raise ValueError(f"{value!r} is not a duration (minutes or seconds over 59)")
        return float(hours * 3600 + minutes * 60 + seconds)

    errors: Errors = {}
    _fallback(text, plain | empty, slow, out, errors)
    return out, errors


_CLOCK = r"(?:^|[ T])(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?\s*(?P<ap>[AaPp][Mm])?$"


def to_time_of_day(column: pa.Array) -> tuple[np.ndarray, Errors]:
    """Times of day as seconds after midnight: ``09:30``, ``9:30:15``, ``9:30 pm``,
    or the time part of ``1899-12-30 09:30:00`` (how a spreadsheet keeps a time)."""
    text = stripped(column)
    out = np.full(len(text), np.nan)
    # An interval written as a range (09:00-09:30) starts at its first time.
    text = pc.replace_substring_regex(
        text, r"^(\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?)\s*[-\x{2013}].*$", r"\1")
    parts = pc.extract_regex(text, _CLOCK)
    found = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    errors: Errors = {}
    if found.any():
        def number(name: str) -> np.ndarray:
            values = pc.fill_null(parts.field(name), "")
            values = pc.if_else(pc.equal(values, ""), "0", values)
            return pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False)

        hours, minutes, seconds = number("h"), number("m"), number("s")
        ampm = pc.utf8_lower(pc.fill_null(parts.field("ap"), "")).to_numpy(zero_copy_only=False)
        twelve = ampm != ""
        bad = (minutes > 59) | (seconds > 59) | np.where(twelve, (hours < 1) | (hours > 12),
                                                         hours > 23)
        hours = np.where(twelve, hours % 12 + np.where(ampm == "pm", 12, 0), hours)
        ok = found & ~bad
        out[ok] = (hours * 3600 + minutes * 60 + seconds)[ok]
        for index in np.flatnonzero(found & bad).tolist():
            errors[index] = f"{text[index].as_py()!r} is not a time of day"
    for index in np.flatnonzero(~found & ~_empty(text)).tolist():
        errors[index] = f"{text[index].as_py()!r} is not a time of day (hh:mm)"
    return out, errors


def to_choice(column: pa.Array, choices: Mapping[str, tuple[str, ...]], label: str,
              default: str | None = None) -> tuple[pa.Array, Errors, dict[str, int]]:
    """Words mapped onto fixed values (``In`` -> ``inbound``).

    Returns the values (an Arrow string array, null where empty), errors for
    words not recognised, and when ``default`` is given, unknown words take
    it instead and are counted in the third result for a warning. Each
    distinct word is looked up once; the rows are mapped in Arrow.
    """
    lookup = {_token(word): value for value, words in choices.items()
              for word in (value, *words)}
    text = stripped(column)
    uniques = pc.unique(text).to_pylist()
    mapped = {u: _choose(lookup, u) for u in uniques}
    errors: Errors = {}
    unknown: dict[str, int] = {}
    bad_words = [u for u in uniques if u and mapped[u] is None]
    encoded = pc.index_in(text, pa.array(uniques, pa.string()))
    if bad_words:
        accepted = ", ".join(choices)
        codes = encoded.to_numpy(zero_copy_only=False)
        for word in bad_words:
            rows = np.flatnonzero(codes == uniques.index(word))
            if default is not None:
                mapped[word] = default
                unknown[word] = len(rows)
            else:
                for index in rows.tolist():
                    errors[index] = f"{word!r} is not a {label} ({accepted})"
    values = pa.array([mapped[u] if u else None for u in uniques], pa.string())
    out = values.take(encoded) if len(text) else pa.array([], pa.string())
    return out, errors, unknown


def _choose(lookup: dict[str, str], word: str | None) -> str | None:
    """The value ``word`` names: as written, else its head before a qualifier
    ("Cancelled - cooling off", "Complete (paid)", "Sale: broadband")."""
    if not word:
        return None
    found = lookup.get(_token(word))
    if found is None:
        head = re.split(r"\s[-\u2013:(/]|[(:]", word, maxsplit=1)[0]
        if head.strip() and head != word:
            found = lookup.get(_token(head))
    return found


def _token(word: str) -> str:
    return re.sub(r"[\s_\-/]+", " ", word.strip().lower())


def to_text(column: pa.Array, limit: int) -> tuple[pa.Array, Errors]:
    """Text trimmed, empty as missing, refused when longer than ``limit``."""
    text = stripped(column)
    errors: Errors = {}
    lengths = pc.utf8_length(text).to_numpy(zero_copy_only=False)
    for index in np.flatnonzero(lengths > limit).tolist():
        errors[index] = f"is longer than {limit} characters ({int(lengths[index])})"
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text), errors
