"""Forecasts of additive measures, with the method chosen by back-testing.

Methods (each a function from history to ``horizon`` future values):

- **seasonal naive**: each period as the same period one season earlier
  (52 weeks or 12 months), the benchmark every method must beat;
- **Holt-Winters** (additive level, trend and season): exponential
  smoothing whose three weights are chosen by the smallest one-step-ahead
  squared error over a grid. Written here rather than taken from
  statsmodels: about sixty lines, exact to test, and no 60 MB of scientific
  libraries for the desktop install;
- **Holt** (level and trend, no season) and **drift** (the last value plus
  the average change), for histories shorter than two seasons, where
  nothing seasonal can be learnt.

Back-testing: each method forecasts the last ``holdout`` periods from the
history before them; the one with the lowest MASE (mean absolute error
scaled by the in-sample error of a one-season naive forecast, Hyndman &
Koehler 2006; below 1 beats naive) wins; MAPE is reported beside it. The
prediction interval is the forecast plus and minus the 80th percentile of
the chosen method's absolute back-test errors (an 80% interval), widened
with the square root of the horizon beyond the horizons tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from salesplanner.errors import UserError
from salesplanner.periods import Quarter, period_label

if TYPE_CHECKING:
    from salesplanner.storage.plan_file import PlanFile

SEASON = {"week": 52, "month": 12}
_GRID = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9])


def seasonal_naive(history: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """Each future period as the same period a season before (the last value if too short)."""
    if len(history) < season:
        return np.full(horizon, history[-1])
    last = history[-season:]
    return np.array([last[i % season] for i in range(horizon)], dtype=float)


def drift(history: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """The last value plus the average change per period."""
    del season
    step = (history[-1] - history[0]) / max(len(history) - 1, 1)
    return history[-1] + step * np.arange(1, horizon + 1)


def _holt_winters_run(y: np.ndarray, season: int, alpha: np.ndarray, beta: np.ndarray,
                      gamma: np.ndarray) -> tuple[np.ndarray, ...]:
    """Smooth ``y`` for every (alpha, beta, gamma) at once; return the
    one-step squared errors and the final level, trend and seasonal states."""
    # Start from the first two seasons: a straight line through their means
    # gives the trend and the level at the end of the first season, and the
    # average distance from that line, place by place, the seasonal pattern.
    first, second = y[:season].mean(), y[season:2 * season].mean()
    slope = (second - first) / season
    line = first + slope * (np.arange(2 * season) - (season - 1) / 2)
    pattern = (y[:2 * season] - line).reshape(2, season).mean(axis=0)
    level = np.full(alpha.shape, first + slope * (season - 1) / 2)
    trend = np.full(alpha.shape, slope)
    seasonal = np.tile(pattern - pattern.mean(), (alpha.size, 1)).reshape(*alpha.shape, season)
    errors = np.zeros(alpha.shape)
    for t in range(season, len(y)):
        s = seasonal[..., t % season]
        predicted = level + trend + s
        errors += (y[t] - predicted) ** 2
        new_level = alpha * (y[t] - s) + (1 - alpha) * (level + trend)
        trend = beta * (new_level - level) + (1 - beta) * trend
        seasonal[..., t % season] = gamma * (y[t] - new_level) + (1 - gamma) * s
        level = new_level
    return errors, level, trend, seasonal


def holt_winters(history: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """Additive Holt-Winters with weights chosen on the history (drift if under two seasons)."""
    y = np.asarray(history, dtype=float)
    if len(y) < 2 * season:
        return drift(y, horizon, season)
    a, b, g = np.meshgrid(_GRID, _GRID[:4], _GRID, indexing="ij")
    errors, level, trend, seasonal = _holt_winters_run(y, season, a, b, g)
    best = np.unravel_index(np.argmin(errors), errors.shape)
    n = len(y)
    steps = np.arange(1, horizon + 1)
    return level[best] + trend[best] * steps + seasonal[best][(n + steps - 1) % season]


def holt(history: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """Holt's linear exponential smoothing (level and trend, no season), for
    histories too short to learn a season from; weights chosen on the history."""
    del season
    y = np.asarray(history, dtype=float)
    a, b = np.meshgrid(_GRID, _GRID[:4], indexing="ij")
    level = np.full(a.shape, y[0])
    trend = np.full(a.shape, y[1] - y[0] if len(y) > 1 else 0.0)
    errors = np.zeros(a.shape)
    for value in y[1:]:
        errors += (value - (level + trend)) ** 2
        new_level = a * value + (1 - a) * (level + trend)
        trend = b * (new_level - level) + (1 - b) * trend
        level = new_level
    best = np.unravel_index(np.argmin(errors), errors.shape)
    return level[best] + trend[best] * np.arange(1, horizon + 1)


def naive(history: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """Every future period as the last one."""
    del season
    return np.full(horizon, float(history[-1]))


METHODS: dict[str, Callable[[np.ndarray, int, int], np.ndarray]] = {
    "seasonal naive": seasonal_naive, "Holt-Winters": holt_winters, "Holt": holt,
    "drift": drift, "naive": naive,
}
#: How many seasons of history each method needs to mean what its name says.
_SEASONS_NEEDED = {"seasonal naive": 1, "Holt-Winters": 2}


def mase(actual: np.ndarray, predicted: np.ndarray, history: np.ndarray, season: int) -> float:
    """Mean absolute scaled error: the forecast's mean absolute error over the
    in-sample mean absolute error of the seasonal naive forecast (one step)."""
    lag = season if len(history) > season else 1
    scale = np.mean(np.abs(history[lag:] - history[:-lag])) if len(history) > lag else np.nan
    if not scale:
        return np.nan
    return float(np.mean(np.abs(actual - predicted)) / scale)


def mape(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Mean absolute percentage error over the periods with a non-zero actual."""
    keep = actual != 0
    if not keep.any():
        return np.nan
    return float(np.mean(np.abs((actual[keep] - predicted[keep]) / actual[keep])))


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

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        def num(x: float) -> float | None:
            return None if x != x else round(float(x), 4)

        return {"metric": self.metric, "by": self.by, "method": self.method,
                "holdout_periods": self.holdout,
                "backtest": {m: {"mase": num(a), "mape": num(b)}
                             for m, (a, b) in self.backtest.items()},
                "history": [{"period": p.isoformat(), "actual": num(v)}
                            for p, v in zip(self.history_periods, self.history)],
                "forecast": [{"period": p.isoformat(), "value": num(v), "low": num(lo),
                              "high": num(hi)}
                             for p, v, lo, hi in zip(self.periods, self.values, self.low,
                                                     self.high)],
                "notes": self.notes}


def forecast_series(history: np.ndarray, horizon: int, season: int,
                    holdout: int | None = None) -> tuple[str, np.ndarray, np.ndarray,
                                                         np.ndarray, dict, int]:
    """Choose a method by back-test and forecast ``horizon`` periods.

    Returns (method, values, low, high, back-test scores, holdout).
    """
    y = np.asarray(history, dtype=float)
    if len(y) < 4:
        raise UserError(f"{len(y)} periods of history are too few to forecast; "
                        "at least 4 are needed")
    if not holdout:
        holdout = max(2, min(season, len(y) // 4))
        if len(y) - holdout < season <= len(y) - 2:
            # Hold out a little less so a whole season stays to train on:
            # otherwise the seasonal methods could not be tried at all.
            holdout = len(y) - season
    train, test = y[:-holdout], y[-holdout:]
    scores: dict[str, tuple[float, float]] = {}
    errors: dict[str, np.ndarray] = {}
    for name, method in METHODS.items():
        if len(train) < _SEASONS_NEEDED.get(name, 0) * season:
            continue  # too short: it would only repeat another method
        predicted = method(train, holdout, season)
        scores[name] = (mase(test, predicted, train, season), mape(test, predicted))
        errors[name] = test - predicted
    chosen = min(scores, key=lambda m: (np.nan_to_num(scores[m][0], nan=np.inf), m))
    values = METHODS[chosen](y, horizon, season)
    spread = np.quantile(np.abs(errors[chosen]), 0.8)
    widen = np.sqrt(np.maximum(1, np.arange(1, horizon + 1) / holdout))
    low, high = values - spread * widen, values + spread * widen
    return chosen, values, low, high, scores, holdout


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
    periods, values = list(series.periods), np.nan_to_num(series.values[0])
    notes = []
    first_day, last_day = data_days(plan)
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
    method, future, low, high, scores, holdout = forecast_series(values, horizon, season)
    if len(values) < 2 * season:
        notes.append(f"{len(values)} {by}s of history: under two seasons, so a season can "
                     "only be repeated from last year, not learnt")
    if (values >= 0).all():  # a sum that has never been negative will not turn negative
        future, low, high = (np.maximum(a, 0) for a in (future, low, high))
    future_periods = _next_periods(periods[-1], by, horizon)
    return Forecast(metric, by, periods, values, future_periods, future, low, high, method,
                    scores, holdout, notes)


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

    @property
    def total(self) -> float:
        """Actual so far plus the forecast for the rest."""
        return self.actual + self.ahead

    def sentence(self, fmt: Callable[[float], str]) -> str:
        """Where the quarter is heading, in words, values shown by ``fmt``."""
        if self.through is None:
            text = f"{self.quarter} (not started yet) is forecast at {fmt(self.total)}"
        else:
            text = (f"{self.quarter} is heading for {fmt(self.total)} by the forecast "
                    f"({fmt(self.actual)} to {self.through:%d %b} and {fmt(self.ahead)} for "
                    "the rest, by weekday)")
        if self.target:
            text += (f" against a target of {fmt(self.target)}: {self.total / self.target:.0%}"
                     f" ({self.scenario})")
        elif self.team_only:
            text += (f"; the targets in force ({self.scenario}) are for {self.team_only} only, "
                     "so there is no centre target to set it against")
        return text + "."

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {"quarter": str(self.quarter), "actual": round(self.actual, 4),
                "through": self.through.isoformat() if self.through else None,
                "ahead": round(self.ahead, 4), "total": round(self.total, 4),
                "parts": [{"period": p.isoformat(), "share": round(x, 6)}
                          for p, x in self.parts],
                "target": self.target, "scenario": self.scenario, "team_only": self.team_only}


def weekday_weights(plan: PlanFile, metric: str, weeks: int = 26) -> np.ndarray:
    """How much of ``metric`` each weekday (Monday first) usually brings, from
    the last ``weeks`` whole weeks of data: all ones when there is none."""
    from salesplanner.analysis.trends import trend

    daily = trend(plan, metric, "day")
    if not daily.periods:
        return np.ones(7)
    last = daily.periods[-1]
    first = max(daily.periods[0], date.fromordinal(last.toordinal() - 7 * weeks + 1))
    sums, counts = np.zeros(7), np.zeros(7)
    for day, value in zip(daily.periods, daily.values[0]):
        if day >= first and value == value:
            sums[day.weekday()] += value
    for k in range((last - first).days + 1):  # days with no row count as none sold
        counts[date.fromordinal(first.toordinal() + k).weekday()] += 1
    weights = np.divide(sums, counts, out=np.zeros(7), where=counts > 0)
    return weights if weights.sum() > 0 else np.ones(7)


def quarter_outlook(plan: PlanFile, result: Forecast) -> QuarterOutlook | None:
    """The quarter holding the day after the data's last, seen through
    ``result``: None when the forecast stops short of that quarter's end."""
    from salesplanner.daily_figures import data_days
    from salesplanner.targets.stored_scenarios import cached_scenario, scenario_in_force
    from salesplanner.analysis.trends import trend

    _first, last_day = data_days(plan)
    if last_day is None or not result.periods:
        return None
    after = date.fromordinal(last_day.toordinal() + 1)
    quarter = Quarter.containing(after)
    if _period_end(result.periods[-1], result.by) < quarter.end:
        return None
    actual = 0.0
    if last_day >= quarter.start:
        actual = float(np.nansum(trend(plan, result.metric, "quarter", start=quarter.start,
                                       end=last_day).totals))
    weights = weekday_weights(plan, result.metric)

    def weight(lo: date, hi: date) -> float:
        return float(sum(weights[date.fromordinal(k).weekday()]
                         for k in range(lo.toordinal(), hi.toordinal() + 1)))

    ahead, parts = 0.0, []
    for first, value in zip(result.periods, result.values):
        end = _period_end(first, result.by)
        lo, hi = max(first, quarter.start, after), min(end, quarter.end)
        if hi < lo:
            continue
        whole = weight(first, end)
        share = weight(lo, hi) / whole if whole else ((hi - lo).days + 1) / (
            (end - first).days + 1)
        parts.append((first, share))
        ahead += float(value) * share
    outlook = QuarterOutlook(quarter, actual, last_day if last_day >= quarter.start else None,
                             ahead, parts)
    in_force = scenario_in_force(plan, result.metric, quarter)
    if in_force is not None:
        outlook.scenario = f"#{in_force['id']} {in_force['name']}, {in_force['status']}"
        team = cached_scenario(plan, in_force["id"]).settings.team
        if team is None:
            outlook.target = float(in_force["team_target"])
        else:
            outlook.team_only = team
    return outlook
