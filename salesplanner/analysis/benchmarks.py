"""The benchmarks a performance row is compared with, and when there are none.

Last quarter's and last year's figures are the same stretch of days moved
back three or twelve months (:func:`shifted`). A benchmark is only a figure
when the plan's data covers that stretch and the row (agent, team, centre)
worked in it: before the data starts a sum reads 0, which is no benchmark
(it showed as £0.00 against every agent). Those are None, shown blank.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np


def shifted(day: date, months: int) -> date:
    """``day`` moved by whole months (the last day of a shorter month if need be)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return min(day.replace(year=year, month=month, day=1) + timedelta(days=day.day - 1),
               following - timedelta(days=1))


def known_or_nan(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """``values`` where ``known``, NaN (no figure) elsewhere."""
    return np.where(known, np.asarray(values, dtype=float), np.nan)


def benchmarks(team_average: float | None, top_quartile: float | None,
               last_quarter: float | None, last_year: float | None) -> dict[str, float | None]:
    """The row's benchmarks by name; NaN and None are both None (no figure)."""
    def clean(x: float | None) -> float | None:
        return None if x is None or x != x else float(x)

    return {"team_average": clean(team_average), "top_quartile": clean(top_quartile),
            "last_quarter": clean(last_quarter), "last_year": clean(last_year)}
