"""Forecast methods for one series, and the choice among them by back-test.

Methods (each fitted to a history, giving ``horizon`` future values and how
far off it may be at each step):

- **seasonal naive**: each period as the same period one season earlier
  (52 weeks or 12 months), the benchmark every method must beat;
- **seasonal naive with growth**: the same, plus the average change from
  one season to the next over the latest season (as a ratio when the series
  is positive);
- **Holt-Winters** (level, trend and season) and **Holt-Winters
  multiplicative** (the same on the logarithm of the series, so the yearly
  swings grow with the level and the trend is a growth rate); both with a
  damped trend, which flattens with the horizon instead of running a steep
  trend on for a year. Weights are chosen by the smallest one-step squared
  error over a grid: about a hundred lines of numpy, exact to test, far
  faster than fitting statsmodels' ETS (3-18 s a series on the benchmark,
  ``tests/benchmarks/bench_forecast_accuracy.py``) and no 200 MB of
  scientific libraries for the desktop install;
- **Holt** (level and damped trend, no season), **drift** (the last value
  plus the average change) and **naive**, for histories too short to learn a
  season from.

Back-test (rolling origin): each method forecasts the ``holdout`` periods
after each of up to four origins near the end of the history, from the
history before the origin; the lowest mean MASE (mean absolute error scaled
by the in-sample error of a one-season naive forecast, Hyndman & Koehler
2006; below 1 beats it) wins; MAPE is reported beside it. One origin alone
chose by luck too often.

The 80% interval comes from the chosen model: its one-step error, grown with
the horizon as exponential smoothing's errors compound (Hyndman et al. 2008,
class 1 variances), on the log scale for the multiplicative method, then
scaled so that it held 80% of the back-test errors at the same horizons.
The same back-test errors say how alike the errors of different periods ahead
are (:func:`error_correlation`): the quarter outlook adds up the weeks'
intervals by it (``forecast.combine_ranges``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from salesplanner.errors import UserError

_GRID = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9])
_PHI = np.array([0.9, 0.98])  # damping: 0.9 halves the trend's reach in about 7 periods
_Z80 = 1.2816  # the normal quantile for an 80% two-sided interval
_ORIGINS = 4


@dataclass
class _Fit:
    """A method's forecast on its working scale (logs or not), its one-step
    error and how that error grows with each step ahead (1 at the first)."""

    values: np.ndarray
    sigma: float
    growth: np.ndarray
    log: bool = False

    def actual(self) -> np.ndarray:
        """The forecast on the series' own scale."""
        return np.exp(self.values) if self.log else self.values


def _steps_into(horizon: int, season: int) -> np.ndarray:
    """For each step ahead, how many seasons it reaches into (1 for the first season)."""
    return np.arange(horizon) // season + 1


def _seasonal_naive_fit(y: np.ndarray, horizon: int, season: int) -> _Fit:
    if len(y) < season:
        return _naive_fit(y, horizon, season)
    last = y[-season:]
    values = last[np.arange(horizon) % season].astype(float)
    # Under two seasons there is no year-on-year change to measure: the
    # period-to-period change stands in for it.
    lag = season if len(y) > season else 1
    sigma = float(np.sqrt(np.mean((y[lag:] - y[:-lag]) ** 2)))
    return _Fit(values, sigma, np.sqrt(_steps_into(horizon, season)))


def _seasonal_growth_fit(y: np.ndarray, horizon: int, season: int) -> _Fit:
    log = bool((y > 0).all())
    w = np.log(y) if log else y.astype(float)
    change = w[season:] - w[:-season]
    recent = change[-season:]
    step = float(recent.mean())
    k = _steps_into(horizon, season)
    values = w[-season:][np.arange(horizon) % season] + step * k
    sigma = float(np.sqrt(np.mean((change - step) ** 2)))
    return _Fit(values, sigma, np.sqrt(k * (1 + k / len(recent))), log)


def _smooth(y: np.ndarray, season: int, alpha: np.ndarray, beta: np.ndarray,
            gamma: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, ...]:
    """Damped Holt-Winters (Holt when ``season`` is 0) for every weight set at
    once; returns the mean one-step squared error and the final states."""
    if season:
        # Start from the first two seasons: a straight line through their
        # means gives the trend and the level at the end of the first season,
        # and the average distance from that line, place by place, the pattern.
        first, second = y[:season].mean(), y[season:2 * season].mean()
        slope = (second - first) / season
        line = first + slope * (np.arange(2 * season) - (season - 1) / 2)
        pattern = (y[:2 * season] - line).reshape(2, season).mean(axis=0)
        level = np.full(alpha.shape, first + slope * (season - 1) / 2)
        trend = np.full(alpha.shape, slope)
        seasonal = np.tile(pattern - pattern.mean(), (alpha.size, 1)).reshape(
            *alpha.shape, season)
        start = season
    else:
        level, trend = np.full(alpha.shape, y[0]), np.full(alpha.shape, y[1] - y[0])
        seasonal, start = np.zeros((*alpha.shape, 1)), 1
    errors = np.zeros(alpha.shape)
    for t in range(start, len(y)):
        place = t % season if season else 0
        s = seasonal[..., place]
        damped = phi * trend
        errors += (y[t] - (level + damped + s)) ** 2
        new_level = alpha * (y[t] - s) + (1 - alpha) * (level + damped)
        trend = beta * (new_level - level) + (1 - beta) * damped
        if season:
            seasonal[..., place] = gamma * (y[t] - new_level) + (1 - gamma) * s
        level = new_level
    return errors / max(len(y) - start, 1), level, trend, seasonal


def _exponential_fit(y: np.ndarray, horizon: int, season: int, log: bool = False) -> _Fit:
    """Damped Holt-Winters (or Holt with ``season`` 0), on logs if ``log``."""
    w = np.log(y) if log else np.asarray(y, dtype=float)
    grids = [_GRID, _GRID[:4], _GRID if season else np.zeros(1), _PHI]
    a, b, g, p = np.meshgrid(*grids, indexing="ij")
    errors, level, trend, seasonal = _smooth(w, season, a, b, g, p)
    best = np.unravel_index(np.argmin(errors), errors.shape)
    alpha, beta, gamma, phi = a[best], b[best], g[best], p[best]
    steps = np.arange(1, horizon + 1)
    reach = np.cumsum(phi ** steps)  # phi + phi^2 + ... + phi^h
    values = level[best] + trend[best] * reach
    if season:
        values = values + seasonal[best][(len(w) + steps - 1) % season]
    # Error-correction weights of the same model: c_j = alpha(1 + beta phi_j)
    # + gamma(1 - alpha) where j is a whole number of seasons.
    c = alpha * (1 + beta * reach[:-1])
    if season:
        c = c + gamma * (1 - alpha) * (steps[:-1] % season == 0)
    growth = np.sqrt(1 + np.r_[0.0, np.cumsum(c ** 2)])
    return _Fit(values, float(np.sqrt(errors[best])), growth, log)


def _holt_winters_fit(y: np.ndarray, horizon: int, season: int) -> _Fit:
    if len(y) < 2 * season:
        return _drift_fit(y, horizon, season)
    return _exponential_fit(y, horizon, season)


def _multiplicative_fit(y: np.ndarray, horizon: int, season: int) -> _Fit:
    if len(y) < 2 * season or not (y > 0).all():
        return _holt_winters_fit(y, horizon, season)
    return _exponential_fit(y, horizon, season, log=True)


def _holt_fit(y: np.ndarray, horizon: int, season: int) -> _Fit:
    del season
    if len(y) < 3:
        return _drift_fit(y, horizon, 0)
    return _exponential_fit(y, horizon, 0)


def _drift_fit(y: np.ndarray, horizon: int, season: int) -> _Fit:
    del season
    changes = np.diff(y)
    step = float(changes.mean()) if len(changes) else 0.0
    steps = np.arange(1, horizon + 1)
    sigma = float(np.sqrt(np.mean((changes - step) ** 2))) if len(changes) else 0.0
    return _Fit(y[-1] + step * steps, sigma, np.sqrt(steps * (1 + steps / max(len(y), 1))))


def _naive_fit(y: np.ndarray, horizon: int, season: int) -> _Fit:
    del season
    changes = np.diff(y)
    sigma = float(np.sqrt(np.mean(changes ** 2))) if len(changes) else 0.0
    steps = np.arange(1, horizon + 1)
    return _Fit(np.full(horizon, float(y[-1])), sigma, np.sqrt(steps))


_FITS: dict[str, Callable[[np.ndarray, int, int], _Fit]] = {
    "seasonal naive": _seasonal_naive_fit,
    "seasonal naive with growth": _seasonal_growth_fit,
    "Holt-Winters": _holt_winters_fit,
    "Holt-Winters multiplicative": _multiplicative_fit,
    "Holt": _holt_fit, "drift": _drift_fit, "naive": _naive_fit,
}
#: How much history each method needs to mean what its name says, in seasons.
_SEASONS_NEEDED = {"seasonal naive": 1, "seasonal naive with growth": 1.5,
                   "Holt-Winters": 2, "Holt-Winters multiplicative": 2}


def _public(name: str) -> Callable[[np.ndarray, int, int], np.ndarray]:
    def method(history: np.ndarray, horizon: int, season: int) -> np.ndarray:
        return _FITS[name](np.asarray(history, dtype=float), horizon, season).actual()
    method.__name__ = name.replace(" ", "_").replace("-", "_").lower()
    method.__doc__ = f"The {name} forecast of ``horizon`` periods (see the module)."
    return method


seasonal_naive = _public("seasonal naive")
holt_winters = _public("Holt-Winters")
holt = _public("Holt")
drift = _public("drift")
naive = _public("naive")
METHODS: dict[str, Callable[[np.ndarray, int, int], np.ndarray]] = {
    name: _public(name) for name in _FITS}


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


def _mean(values: Iterable[float]) -> float:
    """The mean of the numbers that are not NaN (NaN if none is)."""
    kept = [v for v in values if v == v]
    return float(np.mean(kept)) if kept else np.nan


def _holdout(n: int, season: int) -> int:
    holdout = max(2, min(season, n // 4))
    if n - holdout < season <= n - 2:
        # Hold out a little less so a whole season stays to train on:
        # otherwise the seasonal methods could not be tried at all.
        holdout = n - season
    return holdout


def backtest_origins(n: int, holdout: int, season: int) -> list[int]:
    """Where the back-tests start, latest first: up to four, a third of the
    holdout apart, as many as leave two seasons to train on (at least one)."""
    step = max(1, holdout // 3)
    origins = [n - holdout - k * step for k in range(_ORIGINS)]
    keep = [o for o in origins if o >= 2 * season]
    return keep or origins[:1]


@dataclass
class Fitted:
    """The chosen method's forecast, its 80% interval and how it back-tested."""

    method: str
    values: np.ndarray
    low: np.ndarray
    high: np.ndarray
    #: method -> mean (MASE, MAPE) over the origins.
    scores: dict
    holdout: int
    #: How alike the chosen method's back-test errors were from one period
    #: ahead to another from the same origin (:func:`error_correlation`).
    correlation: float = 1.0


def error_correlation(errors: np.ndarray) -> float:
    """One correlation between the errors of any two periods ahead, from
    back-test errors (a row per origin, a column per period ahead, NaN for
    none; each already divided by its expected size): the pooled mean of the
    products of two different periods' errors over the mean square, clipped
    to 0..1. A bias shared by every period counts as alike. 1 (every period
    off the same way, the cautious answer) when there is too little to tell."""
    products, squares = 0.0, 0.0
    for row in np.asarray(errors, dtype=float):
        z = row[~np.isnan(row)]
        if len(z) < 2:
            continue
        products += float(z.sum() ** 2 - (z ** 2).sum())
        squares += float((len(z) - 1) * (z ** 2).sum())
    if squares <= 0:
        return 1.0
    return min(1.0, max(0.0, products / squares))


def forecast_series(history: np.ndarray, horizon: int, season: int,
                    holdout: int | None = None) -> tuple[str, np.ndarray, np.ndarray,
                                                         np.ndarray, dict, int]:
    """Choose a method by rolling-origin back-test and forecast ``horizon`` periods.

    Returns (method, values, low, high, back-test scores, holdout): the
    scores are each method's mean (MASE, MAPE) over the origins.
    """
    fitted = fit_series(history, horizon, season, holdout)
    return (fitted.method, fitted.values, fitted.low, fitted.high, fitted.scores,
            fitted.holdout)


def fit_series(history: np.ndarray, horizon: int, season: int,
               holdout: int | None = None) -> Fitted:
    """:func:`forecast_series`, with how alike the chosen method's back-test
    errors were between periods ahead."""
    y = np.asarray(history, dtype=float)
    if len(y) < 4:
        raise UserError(f"{len(y)} periods of history are too few to forecast; "
                        "at least 4 are needed")
    holdout = holdout or _holdout(len(y), season)
    origins = backtest_origins(len(y), holdout, season)
    scores: dict[str, tuple[float, float]] = {}
    scaled: dict[str, np.ndarray] = {}
    for name, fit in _FITS.items():
        if min(origins) < _SEASONS_NEEDED.get(name, 0) * season:
            continue  # too short: it would only repeat another method
        runs, z = [], np.full((len(origins), holdout), np.nan)
        for k, origin in enumerate(origins):
            train, test = y[:origin], y[origin:origin + holdout]
            result = fit(train, holdout, season)
            predicted = result.actual()[:len(test)]
            runs.append((mase(test, predicted, train, season), mape(test, predicted)))
            if result.sigma > 0:
                actual = np.log(np.maximum(test, 1e-9)) if result.log else test
                z[k, :len(test)] = (actual - result.values[:len(test)]) / (
                    result.sigma * result.growth[:len(test)])
        scores[name] = (_mean(r[0] for r in runs), _mean(r[1] for r in runs))
        scaled[name] = z
    chosen = min(scores, key=lambda m: (np.nan_to_num(scores[m][0], nan=np.inf), m))
    result = _FITS[chosen](y, horizon, season)
    # How many model errors wide the interval must be to have held 80% of the
    # back-test's actuals; never narrower than the model itself says.
    held = np.abs(scaled[chosen][~np.isnan(scaled[chosen])])
    width = max(_Z80, float(np.quantile(held, 0.8))) if held.size else _Z80
    half = width * result.sigma * result.growth
    low, high = result.values - half, result.values + half
    if result.log:
        low, high = np.exp(low), np.exp(high)
    return Fitted(chosen, result.actual(), low, high, scores, holdout,
                  error_correlation(scaled[chosen]))
