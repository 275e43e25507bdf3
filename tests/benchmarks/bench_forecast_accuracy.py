"""Forecast accuracy on real published sales series (issue 19 item 8).

Prints figures; never passes or fails. Each series in
``tests/data/forecast_series/`` (see its README) has its last season held
out (12 months or 52 weeks); the program's ``forecast_series`` and
statsmodels' ETS chosen by AIC forecast it from the rest. Each monthly
series is also tried as a 24-month history (the 36 months before its end:
24 to learn from, 12 held out), the short case a new plan has.

Per case: the program's method, its MASE (scaled by the in-sample seasonal
naive error), the seasonal naive's and ETS(AIC)'s MASE, the share of the
held-out points inside each 80% interval, and the seconds each took. Then
the geometric means of MASE, the pooled coverage, and the ratio of the
program's geometric mean to ETS's (below 1: the program is more accurate).

    .venv/bin/pip install statsmodels   # for the ETS reference only
    .venv/bin/python tests/benchmarks/bench_forecast_accuracy.py [--no-ets] [NAME ...]
"""

from __future__ import annotations

import csv
import sys
import time
import warnings
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "data" / "forecast_series"


def load(path: Path) -> tuple[np.ndarray, int]:
    """The series' values and its season (52 for weekly files, 12 for monthly)."""
    with path.open(newline="") as handle:
        values = np.array([float(row["value"]) for row in csv.DictReader(handle)])
    return values, 52 if path.name.startswith("weekly") else 12


def cases(names: list[str]) -> list[tuple[str, np.ndarray, int]]:
    """(label, series, season) for every stored series and each monthly one's 24-month cut."""
    out = []
    for path in sorted(DATA.glob("*.csv")):
        if names and not any(name in path.stem for name in names):
            continue
        values, season = load(path)
        label = path.stem.split("_", 1)[1]
        out.append((label, values, season))
        if season == 12 and len(values) > 36:
            out.append((label + " (24m)", values[-36:], season))
    return out


def ets_aic(train: np.ndarray, horizon: int, season: int) -> tuple[np.ndarray, np.ndarray,
                                                                     np.ndarray, str]:
    """statsmodels ETS over error x trend (none, additive, damped) x season
    (none, additive, multiplicative), the lowest AIC chosen; multiplicative
    forms only for positive data. Returns forecast, 80% low and high, and the form."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    data = pd.Series(train)  # get_prediction needs an index
    positive = bool((train > 0).all())
    best = None
    for error in ("add", "mul") if positive else ("add",):
        for trend, damped in ((None, False), ("add", False), ("add", True)):
            for seasonal in (None, "add", "mul") if positive else (None, "add"):
                if seasonal and len(train) < 2 * season:
                    continue
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        model = ETSModel(data, error=error, trend=trend, damped_trend=damped,
                                         seasonal=seasonal,
                                         seasonal_periods=season if seasonal else None)
                        fit = model.fit(disp=False, maxiter=200)
                except Exception:  # noqa: BLE001 - a form that does not fit is skipped
                    continue
                if np.isfinite(fit.aic) and (best is None or fit.aic < best[0]):
                    form = f"{error[0].upper()},{'N' if not trend else 'Ad' if damped else 'A'}," \
                           f"{'N' if not seasonal else seasonal[0].upper()}"
                    best = (fit.aic, fit, form)
    _aic, fit, form = best
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = fit.get_prediction(start=len(train), end=len(train) + horizon - 1)\
            .summary_frame(alpha=0.2)
    return (frame["mean"].to_numpy(), frame["pi_lower"].to_numpy(),
            frame["pi_upper"].to_numpy(), form)


def gmean(values: list[float]) -> float:
    """Geometric mean of the positive finite values."""
    kept = [v for v in values if v > 0 and np.isfinite(v)]
    return float(np.exp(np.mean(np.log(kept)))) if kept else float("nan")


def main() -> None:
    from salesplanner.analysis.forecast import forecast_series, mase, seasonal_naive

    args = sys.argv[1:]
    with_ets = "--no-ets" not in args
    names = [a for a in args if not a.startswith("--")]
    rows = []
    print(f"{'series':44} {'n':>4} {'method':22} {'MASE':>6} {'cover':>5} {'s':>5} "
          f"{'snaive':>6} {'ETS':>6} {'cover':>5} {'s':>5} form")
    for label, series, season in cases(names):
        train, test = series[:-season], series[-season:]
        start = time.perf_counter()
        method, values, low, high, _scores, _holdout = forecast_series(train, season, season)
        if (train >= 0).all():  # as forecast() does for sums that never went negative
            values, low, high = (np.maximum(a, 0) for a in (values, low, high))
        seconds = time.perf_counter() - start
        ours = mase(test, values, train, season)
        cover = np.mean((low <= test) & (test <= high))
        naive = mase(test, seasonal_naive(train, season, season), train, season)
        row = {"label": label, "ours": ours, "cover": cover, "n_test": len(test),
               "seconds": seconds, "naive": naive}
        line = (f"{label[:44]:44} {len(train):4d} {method[:22]:22} {ours:6.2f} {cover:5.0%} "
                f"{seconds:5.2f} {naive:6.2f}")
        if with_ets:
            start = time.perf_counter()
            e_values, e_low, e_high, form = ets_aic(train, season, season)
            row["ets_seconds"] = time.perf_counter() - start
            row["ets"] = mase(test, e_values, train, season)
            row["ets_cover"] = np.mean((e_low <= test) & (test <= e_high))
            line += (f" {row['ets']:6.2f} {row['ets_cover']:5.0%} {row['ets_seconds']:5.2f} "
                     f"{form}")
        print(line, flush=True)
        rows.append(row)

    print()
    for title, keep in (("all cases", lambda r: True),
                        ("full series", lambda r: "(24m)" not in r["label"]),
                        ("24-month histories", lambda r: "(24m)" in r["label"])):
        chosen = [r for r in rows if keep(r)]
        if not chosen:
            continue
        ours, naive = gmean([r["ours"] for r in chosen]), gmean([r["naive"] for r in chosen])
        text = (f"{title} ({len(chosen)}): geometric-mean MASE program {ours:.3f}, seasonal "
                f"naive {naive:.3f}")
        cover = sum(r["cover"] * r["n_test"] for r in chosen) / sum(r["n_test"] for r in chosen)
        text += f"; program 80% interval covers {cover:.1%}"
        if with_ets:
            ets = gmean([r["ets"] for r in chosen])
            ets_cover = (sum(r["ets_cover"] * r["n_test"] for r in chosen)
                         / sum(r["n_test"] for r in chosen))
            text += f"; ETS(AIC) {ets:.3f} (ratio {ours / ets:.2f}), covers {ets_cover:.1%}"
        print(text)
    seconds = [r["seconds"] for r in rows]
    print(f"program seconds per series: median {np.median(seconds):.3f}, max {max(seconds):.3f}")
    if with_ets:
        ets_s = [r["ets_seconds"] for r in rows]
        print(f"ETS(AIC) seconds per series: median {np.median(ets_s):.3f}, max {max(ets_s):.3f}")


if __name__ == "__main__":
    main()
