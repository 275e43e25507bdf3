"""Calendar periods a plan works in: quarters, ISO weeks and their parsing.

A plan covers one calendar quarter, written ``2027-Q1`` (January to March).
Quarters are calendar quarters; a business whose financial year starts in
April still names quarters by calendar (its Q1 is ``YYYY-Q2``), which keeps
every date unambiguous in the file and in exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from salesplanner.errors import UserError

if TYPE_CHECKING:
    import numpy as np  # here, to keep start-up light for the window
    import pandas as pd
    import pyarrow as pa

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, e.g. ``Quarter(2027, 1)`` is January-March 2027."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"quarter number must be 1-4, not {self.number}")
        if not 1900 <= self.year <= 9998:
            raise ValueError(f"quarter year out of range: {self.year}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2027-Q1`` (also ``2027Q1``, ``2027-q1``).

        Raises :class:`UserError` with an example of the expected form.
        """
        match = _QUARTER_RE.match(text or "")
        if not match:
            raise UserError(
                f"quarter {text!r} is not a quarter; write it as YEAR-QN, e.g. 2027-Q1"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The quarter a day falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        """First day of the quarter."""
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter (inclusive)."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        """The following quarter."""
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The quarter before."""
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def months(self) -> list[date]:
        """First day of each of the quarter's three months."""
        return [date(self.year, 3 * (self.number - 1) + m, 1) for m in (1, 2, 3)]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


#: How a day may be typed on the command line or in a report's period: ISO,
#: the UK's day-first forms (the program's default order), written months.
DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y",
               "%Y%m%d")


def parse_day(text: str) -> date:
    """A day as people type it: ``2027-01-31``, ``31/01/2027`` (day first, as in
    the UK), ``31 Jan 2027``, ``20270131``. Raises :class:`UserError` with the
    forms it reads."""
    from datetime import datetime

    cleaned = " ".join((text or "").split())
    for form in DAY_FORMATS:
        try:
            return datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    raise UserError(f"{text!r} is not a date: write it as 2027-01-31, 31/01/2027 or "
                    "31 Jan 2027 (day before month)")


def period_label(first: date, by: str) -> str:
    """A period of ``by`` (day, week, month, quarter) named as people say it,
    from its first day: ``Mon 05 Jan 2026``, ``w/c 05 Jan 2026``,
    ``Jan 2026``, ``2026-Q1``."""
    if by == "month":
        return f"{first:%b %Y}"
    if by == "quarter":
        return str(Quarter.containing(first))
    if by == "week":
        return f"w/c {first:%d %b %Y}"
    return f"{first:%a %d %b %Y}"


def arrow_time_keys(stamps: np.ndarray | pd.Series | pd.DatetimeIndex) -> dict[str, pa.Array]:
    """The derived keys stored beside every timestamp in a fact table, as Arrow arrays.

    For datetime64 values (a NumPy array, a pandas Series or index, without
    missing values) returns int64 arrays ``iso_year``, ``iso_week``,
    ``weekday`` (1 = Monday .. 7 = Sunday, ISO) and ``hour`` (0-23). This is
    the program's one implementation (Arrow's ISO calendar, which imports use
    for a million rows in milliseconds); SQLite cannot work out ISO weeks
    itself (``strftime('%V')`` is NULL in 3.40), so the keys are stored.
    """
    import numpy as np  # here, to keep start-up light for the window
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.array(np.asarray(stamps, dtype="datetime64[s]"))
    iso = pc.iso_calendar(arrow)
    return {"iso_year": iso.field("iso_year"), "iso_week": iso.field("iso_week"),
            "weekday": iso.field("iso_day_of_week"), "hour": pc.hour(arrow)}


def time_keys(stamps: np.ndarray | pd.Series | pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """:func:`arrow_time_keys` as NumPy int64 arrays."""
    import numpy as np  # here, to keep start-up light for the window

    return {name: keys.to_numpy(zero_copy_only=False).astype(np.int64)
            for name, keys in arrow_time_keys(stamps).items()}
