"""The outlook's 80% range: the weeks' ranges are added up by how alike
their errors were in the back-test, between the independent and the
perfectly correlated sums (tests/benchmarks/bench_outlook_range.py measures
its coverage)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from salesplanner.analysis.forecast import combine_ranges, forecast_from, outlook_from
from salesplanner.analysis.forecast_methods import error_correlation, fit_series


def test_combine_ranges_runs_from_the_root_of_squares_to_the_plain_sum() -> None:
    values, shares = np.full(9, 100.0), np.r_[np.ones(8), 0.5]
    low, high = values - 10, values + 20  # asymmetric: each side on its own
    w_low, w_high = 10 * shares, 20 * shares
    total, lo, hi = combine_ranges(values, low, high, shares, 1.0)
    assert total == pytest.approx(850)
    assert (total - lo, hi - total) == pytest.approx((w_low.sum(), w_high.sum()))
    total, lo, hi = combine_ranges(values, low, high, shares, 0.0)
    assert (total - lo, hi - total) == pytest.approx(
        (np.sqrt((w_low ** 2).sum()), np.sqrt((w_high ** 2).sum())))
    half = combine_ranges(values, low, high, shares, 0.3)
    assert np.sqrt((w_low ** 2).sum()) < total - half[1] < w_low.sum()
    assert combine_ranges(values, low, high, shares, 1.7) == combine_ranges(
        values, low, high, shares, 1.0)  # clipped to 0..1


def test_error_correlation_measures_how_alike_the_errors_are() -> None:
    rng = np.random.default_rng(1)
    shared = np.repeat(rng.normal(size=(6, 1)), 12, axis=1)  # each origin off one way
    assert error_correlation(shared) == pytest.approx(1.0)
    unrelated = rng.normal(size=(200, 12))
    assert abs(error_correlation(unrelated)) < 0.05
    half = shared + rng.normal(size=(6, 12))  # one part shared, one part each week's own
    assert 0.2 < error_correlation(np.vstack([half] * 20)) < 0.8
    alternating = np.tile([1.0, -1.0], (4, 6))
    assert error_correlation(alternating) == 0.0  # never below 0
    assert error_correlation(np.full((4, 12), np.nan)) == 1.0  # nothing to measure
    assert error_correlation(np.ones((4, 1))) == 1.0


def _weekly(seed: int, weeks: int = 156) -> tuple[list[date], np.ndarray]:
    """A positive seasonal weekly series with independent weekly noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    values = 1000 + 200 * np.sin(2 * np.pi * t / 52) + rng.normal(0, 60, weeks)
    start = date(2024, 1, 1)  # a Monday
    return [start + timedelta(days=7 * k) for k in range(weeks)], values


def test_fit_series_measures_a_low_correlation_for_independent_noise() -> None:
    correlations = [fit_series(_weekly(seed)[1], 13, 52).correlation for seed in range(5)]
    assert 0.0 <= np.median(correlations) < 0.6


def test_the_quarter_range_is_between_the_two_sums_and_widens_with_the_horizon() -> None:
    periods, values = _weekly(3)
    first_day = periods[0]
    quarter_start = date(2026, 7, 1)
    widths = []
    for weeks_in in (0, 9):
        cut = quarter_start + timedelta(days=7 * weeks_in - 1)
        keep = sum(1 for p in periods if p <= cut)
        result = forecast_from("sales", "week", periods[:keep], values[:keep], first_day, cut)
        assert 0.0 <= result.correlation < 1.0
        seen = outlook_from(result, cut, 0.0, np.ones(7))
        summed = outlook_from(replace(result, correlation=1.0), cut, 0.0, np.ones(7))
        apart = outlook_from(replace(result, correlation=0.0), cut, 0.0, np.ones(7))
        assert seen is not None and summed is not None and apart is not None
        assert seen.total == pytest.approx(summed.total)
        assert apart.low >= seen.low >= summed.low
        assert apart.high <= seen.high <= summed.high
        assert summed.high - summed.low > apart.high - apart.low
        widths.append(seen.high - seen.low)
    assert widths[0] > 1.5 * widths[1]  # 13 weeks ahead against 4
