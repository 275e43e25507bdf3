"""Forecasts of additive measures by week or month, for a plan.

The methods, the back-test that chooses among them and the interval are in
``forecast_methods`` (numpy only); this module picks the series out of the
plan, forecasts it to the end of the next quarter and says where the quarter
is heading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

from salesplanner.errors import UserError
from salesplanner.periods import Quarter, period_label
from salesplanner.state_cache import StateCache
from salesplanner.analysis.forecast_methods import (  # noqa: F401 - the public names
    METHODS, backtest_origins, drift, fit_series, forecast_series, holt, holt_winters, mape, mase,
    naive, seasonal_naive,
)

if TYPE_CHECKING:
    from salesplanner.storage.plan_file import PlanFile

SEASON = {"week": 52, "month": 12}
#: The 90th percentile of the standard normal: an 80% range is +-1.28 sd.
_Z80 = NormalDist().inv_cdf(0.9)


@dataclass
class Forecast:
    """A forecast with its interval, the method chosen and how it back-tested."""

    metric: str
    by: str
    history_periods: list[date]
    history: np.ndarray
    periods: list[date]
    values: np.ndarray
    low: np.ndarray
    high: np.ndarray
    method: str
    #: method -> (MASE, MAPE) on the held-out periods.
    backtest: dict[str, tuple[float, float]]
    holdout: int
    notes: list[str] = field(default_factory=list)
    #: How many back-tests each score is the mean of (their starting points
    #: a third of ``holdout`` apart, the latest ``holdout`` periods from the end).
    origins: int = 1
    #: How alike the errors of any two periods ahead were in the back-test
    #: (0: unrelated, 1: all off the same way; 1, the cautious answer, when
    #: there was too little to measure it): the quarter's range adds up the
    #: periods' ranges by it (:func:`combine_ranges`).
    correlation: float = 1.0

    def backtest_text(self) -> str:
        """How the back-test was run, in words: "the last 12 weeks held out",
        or "12 weeks held out from each of 4 starting points near the end"."""
        if self.origins == 1:
            return f"the last {self.holdout} {self.by}s held out"
        return (f"{self.holdout} {self.by}s held out from each of {self.origins} starting "
                "points near the end")

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        def num(x: float) -> float | None:
            return None if x != x else round(float(x), 4)

        return {"metric": self.metric, "by": self.by, "method": self.method,
                "holdout_periods": self.holdout, "backtest_origins": self.origins,
                "backtest": {m: {"mase": num(a), "mape": num(b)}
                             for m, (a, b) in self.backtest.items()},
                "history": [{"period": p.isoformat(), "actual": num(v)}
                            for p, v in zip(self.history_periods, self.history)],
                "forecast": [{"period": p.isoformat(), "value": num(v), "low": num(lo),
                              "high": num(hi)}
                             for p, v, lo, hi in zip(self.periods, self.values, self.low,
                                                     self.high)],
                "notes": self.notes}


def periods_to_next_quarter_end(last: date, by: str) -> int:
    """How many weeks or months follow the period starting ``last`` up to the
    end of the quarter after the one it is in: "the rest of the quarter and
    the next", the horizon a manager plans over."""
    quarter_month = (last.month - 1) // 3 * 3 + 1
    month = quarter_month + 6
    year = last.year + (month - 1) // 12
    end = date(year, (month - 1) % 12 + 1, 1)  # the first day after the next quarter
    count, current = 0, last
    while True:
        current = _next_periods(current, by, 1)[0]
        if current >= end:
            return count
        count += 1


def forecast(plan: PlanFile, metric: str, by: str = "week",
             horizon: int | None = None) -> Forecast:
    """Forecast an additive measure of ``plan`` ``horizon`` periods past its
    data; by default to the end of the quarter after the data's last."""
    from salesplanner.daily_figures import data_days
    from salesplanner.analysis.trends import trend

    if by not in SEASON:
        raise UserError(f"--by {by!r}: forecasts are by week or month")
    if horizon is not None and not 1 <= horizon <= 104:
        raise UserError(f"--horizon {horizon}: use 1 to 104 periods")
    series = trend(plan, metric, by)
    if not series.metric.additive:
        raise UserError(f"{metric} is a ratio, not a sum over periods; forecast the sums it is "
                        "built from (e.g. sales and calls handled) instead")
    if not series.periods:
        raise UserError("the plan has no data to forecast from")
    first_day, last_day = data_days(plan)
    return forecast_from(metric, by, list(series.periods), np.nan_to_num(series.values[0]),
                         first_day, last_day, horizon)


def forecast_from(metric: str, by: str, periods: list[date], values: np.ndarray,
                  first_day: date | None, last_day: date | None,
                  horizon: int | None = None) -> Forecast:
    """:func:`forecast` on a series already taken out of the plan: ``values``
    per period starting on ``periods``, from data running ``first_day`` to
    ``last_day`` (an incomplete first or last period is left out)."""
    notes = []
    if last_day is not None and _period_end(periods[-1], by) > last_day:
        notes.append(f"the last {by} ({period_label(periods[-1], by)}) is incomplete and was "
                     "left out")
        periods, values = periods[:-1], values[:-1]
    if first_day is not None and periods and periods[0] < first_day:
        notes.append(f"the first {by} ({period_label(periods[0], by)}) is incomplete and was "
                     "left out")
        periods, values = periods[1:], values[1:]
    season = SEASON[by]
    if horizon is None:
        horizon = max(1, periods_to_next_quarter_end(periods[-1], by)) if periods else 1
    fitted = fit_series(values, horizon, season)
    future, low, high = fitted.values, fitted.low, fitted.high
    if len(values) < 2 * season:
        notes.append(f"{len(values)} {by}s of history: under two seasons, so a season can "
                     "only be repeated from last year, not learnt")
    if (values >= 0).all():  # a sum that has never been negative will not turn negative
        future, low, high = (np.maximum(a, 0) for a in (future, low, high))
    future_periods = _next_periods(periods[-1], by, horizon)
    return Forecast(metric, by, periods, values, future_periods, future, low, high,
                    fitted.method, fitted.scores, fitted.holdout, notes,
                    len(backtest_origins(len(values), fitted.holdout, season)),
                    fitted.correlation)


def _period_end(first: date, by: str) -> date:
    """The last day of the period starting on ``first``."""
    return date.fromordinal(_next_periods(first, by, 1)[0].toordinal() - 1)


def _next_periods(first: date, by: str, count: int) -> list[date]:
    out = []
    current = first
    for _ in range(count):
        if by == "week":
            current = date.fromordinal(current.toordinal() + 7)
        else:
            month = current.month % 12 + 1
            current = date(current.year + (current.month == 12), month, 1)
        out.append(current)
    return out


@dataclass
class QuarterOutlook:
    """Where the quarter is heading: the actual so far and the forecast for the
    rest of it, against the team target of the scenario in force (if any)."""

    quarter: Quarter
    #: The measure from the quarter's first day to ``through`` (the last day
    #: with data); ``through`` is None when the quarter has not started.
    actual: float
    through: date | None
    #: The forecast for the quarter's remaining days.
    ahead: float
    #: Each forecast period counted and the share of it counted: the share of
    #: the period's usual volume that falls on the quarter's remaining days
    #: (by weekday, from the history: a Sunday with no sales counts nothing).
    parts: list[tuple[date, float]] = field(default_factory=list)
    target: float | None = None
    #: The scenario in force, e.g. ``#2 Sales 2027-Q1, published``.
    scenario: str | None = None
    #: Set when the scenario in force covers one team only (then no target).
    team_only: str | None = None
    #: The 80% range of the forecast for the rest: each period's range counted
    #: as ``parts`` says, the half-widths added up by how alike the weeks'
    #: errors were in the back-test (:func:`combine_ranges`): a forecast too
    #: high one week is often too high the next, but not always, so the range
    #: is narrower than the plain sum and wider than if each week's error
    #: were independent of the others'.
    ahead_low: float | None = None
    ahead_high: float | None = None
    #: The measure's direction: for a count of complaints or call-backs,
    #: "making" the target is staying under it.
    higher_is_better: bool = True

    @property
    def total(self) -> float:
        """Actual so far plus the forecast for the rest."""
        return self.actual + self.ahead

    @property
    def low(self) -> float:
        """The low end of the quarter's 80% range (the actual so far is known)."""
        return self.actual + (self.ahead if self.ahead_low is None else self.ahead_low)

    @property
    def high(self) -> float:
        """The high end of the quarter's 80% range."""
        return self.actual + (self.ahead if self.ahead_high is None else self.ahead_high)

    def _spreads(self) -> tuple[float, float] | None:
        """Standard deviations below and above the total (its 80% range is the
        10th to 90th percentile); None with no range."""
        if self.ahead_low is None or self.ahead_high is None:
            return None
        below, above = (self.total - self.low) / _Z80, (self.high - self.total) / _Z80
        return (below, above) if below >= 0 and above >= 0 and below + above > 0 else None

    def chance_of(self, target: float) -> float | None:
        """The chance the quarter reaches ``target`` (at or past it; at or
        under it for a measure where lower is better): the total's
        distribution is a normal on each side of it, as wide as its 80% range
        says (the forecast's errors are rarely symmetric). The target
        planner's likelihoods draw the team's quarter from the same
        distribution (:meth:`draws`). None without a range."""
        spreads = self._spreads()
        if spreads is None:
            return None
        gap = target - self.total
        spread = spreads[0] if gap < 0 else spreads[1]
        above = (1.0 if gap <= 0 else 0.0) if spread == 0 else \
            1.0 - NormalDist().cdf(gap / spread)
        return above if self.higher_is_better else 1.0 - above

    def draws(self, n: int, rng: np.random.Generator) -> np.ndarray | None:
        """``n`` quarter totals from the distribution :meth:`chance_of` uses,
        evenly spread over its percentiles (so the share at or past a target
        matches the chance to within 1/n) and shuffled with ``rng``."""
        spreads = self._spreads()
        if spreads is None:
            return None
        normal = NormalDist()
        z = np.array([normal.inv_cdf((k + 0.5) / n) for k in range(n)])
        values = self.total + np.where(z < 0, spreads[0], spreads[1]) * z
        return rng.permutation(np.maximum(values, self.actual))

    def range_text(self, fmt: Callable[[float], str]) -> str:
        """The 80% range in words, e.g. ``80% range £3.5m to £4.0m``."""
        return f"80% range {fmt(self.low)} to {fmt(self.high)}"

    def sentence(self, fmt: Callable[[float], str]) -> str:
        """Where the quarter is heading, in words, values shown by ``fmt``."""
        if self.through is None:
            text = f"{self.quarter} (not started yet) is forecast at {fmt(self.total)}"
        else:
            text = (f"{self.quarter} is heading for {fmt(self.total)} by the outlook "
                    f"({fmt(self.actual)} to {self.through:%d %b} and {fmt(self.ahead)} for "
                    f"the rest, by weekday; {self.range_text(fmt)})")
        if self.target:
            chance = self.chance_of(self.target)
            text += (f" against a target of {fmt(self.target)}: {self.total / self.target:.0%}"
                     + (f", a {chance:.0%} chance of making it" if chance is not None else "")
                     + f" ({self.scenario})")
        elif self.team_only:
            text += (f"; the targets in force ({self.scenario}) are for {self.team_only} only, "
                     "so there is no centre target to set it against")
        return text + "."

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {"quarter": str(self.quarter), "actual": round(self.actual, 4),
                "through": self.through.isoformat() if self.through else None,
                "ahead": round(self.ahead, 4), "total": round(self.total, 4),
                "low": round(self.low, 4), "high": round(self.high, 4),
                "parts": [{"period": p.isoformat(), "share": round(x, 6)}
                          for p, x in self.parts],
                "target": self.target, "scenario": self.scenario, "team_only": self.team_only}


def weekday_weights(plan: PlanFile, metric: str, weeks: int = 26) -> np.ndarray:
    """How much of ``metric`` each weekday (Monday first) usually brings, from
    the last ``weeks`` whole weeks of data: all ones when there is none."""
    from salesplanner.analysis.trends import trend

    daily = trend(plan, metric, "day")
    return weekday_weights_from(list(daily.periods), daily.values[0], weeks)


def weekday_weights_from(days: list[date], values: np.ndarray, weeks: int = 26) -> np.ndarray:
    """:func:`weekday_weights` from a daily series (``values`` on ``days``)."""
    if not days:
        return np.ones(7)
    last = days[-1]
    first = max(days[0], date.fromordinal(last.toordinal() - 7 * weeks + 1))
    sums, counts = np.zeros(7), np.zeros(7)
    for day, value in zip(days, values):
        if day >= first and value == value:
            sums[day.weekday()] += value
    for k in range((last - first).days + 1):  # days with no row count as none sold
        counts[date.fromordinal(first.toordinal() + k).weekday()] += 1
    weights = np.divide(sums, counts, out=np.zeros(7), where=counts > 0)
    return weights if weights.sum() > 0 else np.ones(7)


def combine_ranges(values: np.ndarray, low: np.ndarray, high: np.ndarray, shares: np.ndarray,
                   correlation: float) -> tuple[float, float, float]:
    """The forecast of a total of periods (each counted by its share) and its
    80% range, from each period's forecast and 80% range: the half-widths
    below and above add up as the errors of periods whose errors are
    ``correlation`` alike (one correlation between any two periods), i.e.
    the square root of ``(1 - r) * sum(w**2) + r * sum(w)**2``: the plain sum
    of half-widths when every period is off the same way (``r`` = 1), the
    root of the summed squares when they are unrelated (``r`` = 0)."""
    r = min(1.0, max(0.0, correlation))
    shares = np.asarray(shares, dtype=float)
    total = float(np.sum(np.asarray(values, dtype=float) * shares))

    def spread(half: np.ndarray) -> float:
        w = np.maximum(half, 0) * shares
        return float(np.sqrt((1 - r) * np.sum(w ** 2) + r * np.sum(w) ** 2))

    below = spread(np.asarray(values, dtype=float) - low)
    above = spread(np.asarray(high, dtype=float) - values)
    return total, total - below, total + above


def quarter_outlook(plan: PlanFile, result: Forecast) -> QuarterOutlook | None:
    """The quarter holding the day after the data's last, seen through
    ``result``: None when the forecast stops short of that quarter's end."""
    from salesplanner.daily_figures import data_days
    from salesplanner.targets.stored_scenarios import cached_scenario, scenario_in_force
    from salesplanner.analysis.trends import trend

    _first, last_day = data_days(plan)
    if last_day is None or not result.periods:
        return None
    quarter = Quarter.containing(date.fromordinal(last_day.toordinal() + 1))
    actual = 0.0
    if last_day >= quarter.start:
        actual = float(np.nansum(trend(plan, result.metric, "quarter", start=quarter.start,
                                       end=last_day).totals))
    outlook = outlook_from(result, last_day, actual, weekday_weights(plan, result.metric))
    if outlook is None:
        return None
    from salesplanner.metrics import registry

    measure = registry(plan).get(result.metric)
    outlook.higher_is_better = measure is None or measure.higher_is_better
    in_force = scenario_in_force(plan, result.metric, quarter)
    if in_force is not None:
        outlook.scenario = f"#{in_force['id']} {in_force['name']}, {in_force['status']}"
        team = cached_scenario(plan, in_force["id"]).settings.team
        if team is None:
            outlook.target = float(in_force["team_target"])
        else:
            outlook.team_only = team
    return outlook


def outlook_from(result: Forecast, last_day: date, actual: float,
                 weights: np.ndarray) -> QuarterOutlook | None:
    """:func:`quarter_outlook` without the plan (and so without a target):
    data to ``last_day``, ``actual`` the measure from the quarter's first day
    to it, ``weights`` the weekday weights (:func:`weekday_weights`)."""
    after = date.fromordinal(last_day.toordinal() + 1)
    quarter = Quarter.containing(after)
    if not result.periods or _period_end(result.periods[-1], result.by) < quarter.end:
        return None

    def weight(lo: date, hi: date) -> float:
        return float(sum(weights[date.fromordinal(k).weekday()]
                         for k in range(lo.toordinal(), hi.toordinal() + 1)))

    parts, counted = [], []
    for k, first in enumerate(result.periods):
        end = _period_end(first, result.by)
        lo, hi = max(first, quarter.start, after), min(end, quarter.end)
        if hi < lo:
            continue
        whole = weight(first, end)
        share = weight(lo, hi) / whole if whole else ((hi - lo).days + 1) / (
            (end - first).days + 1)
        parts.append((first, share))
        counted.append(k)
    shares = np.array([share for _first, share in parts])
    ahead, low, high = combine_ranges(result.values[counted], result.low[counted],
                                      result.high[counted], shares, result.correlation)
    return QuarterOutlook(quarter, actual, last_day if last_day >= quarter.start else None,
                          ahead, parts, ahead_low=low, ahead_high=high)


_OUTLOOKS = StateCache(limit=8)


def outlook(plan: PlanFile, metric: str) -> QuarterOutlook | None:
    """The outlook for ``metric``: where the quarter after the data's last
    day is heading, by the weekly forecast to the end of the next quarter
    (the Forecast panel's default). The one figure the Performance
    projection, the Overview and the target planner set beside theirs.
    None for a ratio (forecast its sums instead) or a plan with no data;
    kept per plan state, so every panel asking gets the same object."""
    def compute() -> QuarterOutlook | None:
        try:
            result = forecast(plan, metric, "week")
        except UserError:
            return None
        return quarter_outlook(plan, result)

    return _OUTLOOKS.get(plan, ("outlook", metric), compute)
