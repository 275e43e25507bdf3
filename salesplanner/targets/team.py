"""The team's figures the proposal starts from: its weekly results, its rate
over some weeks, the quarter's seasonality and the team target.

These look at the whole centre (or the team in scope), never one agent: the
per-agent steps are in :mod:`.proposal`.
"""

from __future__ import annotations

import numpy as np

from salesplanner.analysis.forecast import QuarterOutlook, outlook
from salesplanner.daily_figures import plan_currency
from salesplanner.errors import UserError
from salesplanner.formula import evaluate
from salesplanner.metrics import MetricDefinition, format_number, format_value, measure_values
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.capacity import DEFAULT_SHRINKAGE
from salesplanner.targets.history import History
from salesplanner.targets.settings import TargetSettings, team_target_text

#: Shrinkage assumed in the history (its hours are contracted, not productive).
HISTORY_SHRINKAGE = DEFAULT_SHRINKAGE


def team_weekly(history: History, measures: dict, measure: MetricDefinition,
                parts: tuple[object, object] | None,
                 weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """The centre's weekly numerator and denominator up to ``weeks`` (the
    history's end): the measure and productive hours, or the ratio's parts."""
    grid = {name: values[:, :weeks].sum(axis=0, keepdims=True)
            for name, values in history.sums.items()}
    grid["contracted_hours"] = history.hours[:, :weeks].sum(axis=0, keepdims=True)
    if parts is not None:
        resolve = lambda c: measure_values(measures, [c], grid)[c]  # noqa: E731 - a one-line function, named where it is used
        return (np.nan_to_num(evaluate(parts[0], grid, resolve)[0]),
                np.nan_to_num(evaluate(parts[1], grid, resolve)[0]))
    return (np.nan_to_num(measure_values(measures, [measure.code], grid)[measure.code][0]),
            grid["contracted_hours"][0] * (1 - HISTORY_SHRINKAGE))


def team_rate_over(history: History, measures: dict, measure: MetricDefinition,
                   parts: tuple[object, object] | None,
                    weeks: np.ndarray) -> float | None:
    """The centre's rate (per productive hour, or the ratio) over some weeks."""
    if len(weeks) < 4:
        return None
    grid = {name: values[:, weeks].sum(axis=1, keepdims=True).sum(axis=0, keepdims=True)
            for name, values in history.sums.items()}
    grid["contracted_hours"] = history.hours[:, weeks].sum().reshape(1, 1)
    if parts is not None:
        resolve = lambda c: measure_values(measures, [c], grid)[c]  # noqa: E731 - a one-line function, named where it is used
        value = evaluate(parts[0], grid, resolve) / evaluate(parts[1], grid, resolve)
    else:
        value = measure_values(measures, [measure.code], grid)[measure.code] / (
            grid["contracted_hours"] * (1 - HISTORY_SHRINKAGE))
    value = float(np.asarray(value).ravel()[0])
    return value if np.isfinite(value) and value > 0 else None


def seasonality(history: History, measures: dict, measure: MetricDefinition,
                parts: tuple[object, object] | None,
                 quarter: Quarter, window: np.ndarray, notes: list[str]) -> float:
    """How the same quarter last year ran against the same window a year
    before the history window: 1.0 when either is missing.

    When the data starts inside that year-earlier window, the quarter is
    measured against the part of it the data covers (at least half of it),
    and this year's window scaled by how that same part of it ran against the
    whole: last year's quarter / last year's weeks x this year's same weeks /
    this year's whole window."""
    last_year = Quarter(quarter.year - 1, quarter.number)
    same = history.weeks_between(last_year.start, last_year.end)
    # A first week the data only partly covers is not a whole week to compare.
    first_whole = int(bool(len(history.days)) and len(history.weeks) > 0
                      and history.days.min() > history.weeks[0])
    covered = window - 52 >= first_whole
    before = window[covered] - 52
    if len(same) < 8:
        notes.append(f"no seasonality or growth: the history does not cover {last_year}, so "
                     "the baselines are the history window's rates as they were")
        return 1.0
    if len(before) < max(4, len(window) // 2):
        # A few weeks at the very start of the data (a Christmas, agents still
        # ramping up) say too little: on the 14-month demo six such weeks gave
        # 1.31 where the quarter's lift is about 1.05. Last year's quarter
        # against the window itself is the measure left: it holds any change
        # of level since as well, so it leans toward last year's rate.
        now_rate = team_rate_over(history, measures, measure, parts, same)
        whole_rate = team_rate_over(history, measures, measure, parts, window)
        if now_rate is None or whole_rate is None:
            notes.append(f"no seasonality: no results in {last_year} or the history window")
            return 1.0
        growth = yearly_growth(history, measures, measure, parts, window)
        if growth is None:
            season = float(np.clip(now_rate / whole_rate, 0.5, 2.0))
            notes.append(f"seasonality {season:.2f}: {last_year}'s rate against the history "
                         "window's (the data does not reach far enough back to compare like "
                         "with like, or to measure the centre's growth: a centre growing "
                         "fast will beat these baselines)")
            return season
        # Last year's quarter is a year behind the quarter planned: the
        # centre's growth over that year goes on top.
        season = float(np.clip(now_rate / whole_rate * (1 + growth), 0.5, 2.0))
        notes.append(f"seasonality {season:.2f}: {last_year}'s rate against the history "
                     f"window's, and the centre's growth of {growth:+.0%} a year since "
                     "(its latest weeks against the same weeks a year before)")
        return season
    now_rate = team_rate_over(history, measures, measure, parts, same)
    then_rate = team_rate_over(history, measures, measure, parts, before)
    part_rate = team_rate_over(history, measures, measure, parts, window[covered])
    whole_rate = team_rate_over(history, measures, measure, parts, window)
    if None in (now_rate, then_rate, part_rate, whole_rate):
        notes.append(f"no seasonality: the history does not reach back to {last_year} and "
                     "the weeks before it")
        return 1.0
    season = now_rate / then_rate * part_rate / whole_rate  # type: ignore[operator]
    if len(before) < len(window):
        first = history.weeks[before[0]].item()
        notes.append(
            f"seasonality {season:.2f}: {last_year} against the {len(before)} weeks from "
            f"{first:%d %b %Y}, the only weeks a year before the history window with data")
    if not 0.5 <= season <= 2.0:
        notes.append(f"seasonality {season:.2f} looked implausible and was capped")
        season = float(np.clip(season, 0.5, 2.0))
    growth = yearly_growth(history, measures, measure, parts, window)
    if growth is not None and abs(growth) >= 0.01:
        notes.append(f"the centre grew {growth:+.0%} a year (its latest weeks against the "
                     "same weeks a year before): the seasonality holds it, as it compares "
                     "like with like a year apart")
    return float(season)


#: Growth a year beyond this is capped: a centre that changed that much
#: (a new queue, a merger) needs a typed team target, not an extrapolation.
GROWTH_LIMIT = 0.4
#: Weeks a year apart needed to measure growth.
GROWTH_MIN_WEEKS = 13


def yearly_growth(history: History, measures: dict, measure: MetricDefinition,
                  parts: tuple[object, object] | None, window: np.ndarray) -> float | None:
    """How much the centre's rate grew in a year: its latest weeks (up to the
    26 to the window's end that have data a year before) against those same
    weeks a year earlier, so the season cancels out. None with fewer than
    a quarter's such weeks: on the demo plans six weeks of a December a year
    apart said +19% where the centre grew 3% (a competitor's move, a late
    Christmas rush), too little to tell growth from a good month."""
    if not len(window):
        return None
    first_whole = int(bool(len(history.days)) and len(history.weeks) > 0
                      and history.days.min() > history.weeks[0])
    end = int(window[-1])
    weeks = np.arange(max(first_whole + 52, end - 25), end + 1)
    if len(weeks) < GROWTH_MIN_WEEKS:
        return None
    now = team_rate_over(history, measures, measure, parts, weeks)
    then = team_rate_over(history, measures, measure, parts, weeks - 52)
    if now is None or then is None:
        return None
    return float(np.clip(now / then - 1, -GROWTH_LIMIT, GROWTH_LIMIT))


def team_total(settings: TargetSettings, history: History, measures: dict,
                measure: MetricDefinition, window: np.ndarray, rows: np.ndarray,
                quarter: Quarter, baselines: float, notes: list[str],
                outlook: QuarterOutlook | None = None) -> tuple[str, float]:
    """Where the team target comes from and what it is: typed, else the
    quarter's ``outlook`` when the settings start from it, else a forecast,
    last year's quarter or the sum of baselines; with the growth."""
    if settings.team_target is not None:
        return "typed", float(settings.team_target)
    if settings.team_start == "outlook" and outlook is not None:
        notes.append(f"the team target starts from the outlook for {quarter}: "
                     f"{format_number(outlook.total)}, the actual so far and the forecast for "
                     "the rest (the Forecast panel's figure)")
        growth = f" {settings.growth * 100:+.3g}%" if settings.growth else ""
        return f"{quarter} outlook{growth}", outlook.total * (1 + settings.growth)
    from salesplanner.analysis.forecast import forecast_series

    grid = {name: values[rows].sum(axis=0, keepdims=True) for name, values in
            history.sums.items()}
    grid["contracted_hours"] = history.hours[rows].sum(axis=0, keepdims=True)
    weekly = np.nan_to_num(measure_values(measures, [measure.code], grid)[measure.code][0])
    last = int(window[-1]) if len(window) else -1
    series = weekly[:last + 1]
    weeks_in_quarter = (quarter.end - quarter.start).days / 7 + 1 / 7
    last_year = Quarter(quarter.year - 1, quarter.number)
    same = history.weeks_between(last_year.start, last_year.end)
    if len(series) >= 2 * 52 + 4:
        method, values, *_rest = forecast_series(series, int(np.ceil(weeks_in_quarter)), 52)
        forecast_total = float(values.sum() * weeks_in_quarter / np.ceil(weeks_in_quarter))
        source = "forecast"
        notes.append(f"the team target starts from the forecast for the quarter (the "
                     f"{method} method, chosen by how well it forecast the latest weeks)")
    elif len(same) >= 12 and len(history.days) and \
            history.days.min() <= np.datetime64(last_year.start, "D"):
        # Under two years a forecast can only repeat last year's weeks, and
        # for today's agents only (8,695 sales on the demo, where the centre
        # sold 9,966 in the same quarter with the agents since replaced): the
        # same quarter last year, for everyone who was in scope then, is the
        # starting point a manager would take, and the growth goes on top.
        scope = np.ones(len(history.agents), dtype=bool) if settings.team is None else (
            history.agents["team"].to_numpy() == settings.team)
        grid = {name: np.array([[values[scope][:, same].sum()]])
                for name, values in history.sums.items()}
        grid["contracted_hours"] = np.array([[history.hours[scope][:, same].sum()]])
        then = float(np.nan_to_num(
            measure_values(measures, [measure.code], grid)[measure.code].ravel()[0]))
        forecast_total = then * weeks_in_quarter / len(same)
        source = f"{last_year} actual"
        notes.append(f"under two years of history: the team target starts from the same "
                     f"quarter last year, {last_year}: {format_number(forecast_total)} (its "
                     f"{len(same)} whole weeks scaled to this quarter's days); a forecast "
                     "needs two years to learn the season and the trend")
    else:
        # Under a year: the agents' own rates times their planned hours.
        forecast_total = baselines
        source = "the sum of baselines"
        notes.append("under a year of history: no seasonal forecast, so the team target "
                     "starts from the sum of baselines (rates times planned hours)")
    total = forecast_total * (1 + settings.growth)
    return (f"{source}{f' {settings.growth * 100:+.3g}%' if settings.growth else ''}", total)


def team_ratio(settings: TargetSettings, seasonal_rate: float,
                good: float) -> tuple[str, float]:
    """The team's rate: typed, or the history's improved by ``growth`` in the
    good direction (a 5% growth in handle time is 5% shorter calls)."""
    if settings.team_target is not None:
        return "typed", float(settings.team_target)
    better = f" improved by {settings.growth:.0%}" if settings.growth else ""
    return f"the history's rate{better}", seasonal_rate * (1 + good * settings.growth)


def rate_without_history(measure: MetricDefinition, quarter: Quarter, settings: TargetSettings,
                         window_weeks: int, capacity: np.ndarray) -> tuple[float, str]:
    """The team's rate when no one has history for ``measure`` before
    ``quarter``, with the note that says so: a typed team target per planned
    hour (``capacity``: each agent's planned hours, ramped, with the season),
    or the typed rate itself. With no team target typed nothing can be
    planned: refused in one line that says what is missing and what to do,
    rather than share out a team target of nothing."""
    start = f"{quarter.start:%d %b %Y}"
    missing = (f"no full week of results before {quarter} starts ({start})" if not window_weeks
               else f"no {measure.name.lower()} in the {window_weeks} weeks before {quarter}")
    if settings.team_target is None:
        raise UserError(f"cannot propose targets for {measure.name}: {missing}; give a team "
                        "target (--team-target) to share by planned hours, or import results "
                        f"from before {start}")
    if not measure.additive:
        return float(settings.team_target), f"{missing}: every agent starts from the team's rate"
    rate = settings.team_target / capacity.sum() if capacity.sum() > 0 else 0.0
    return rate, (f"{missing}: the team target is shared by planned hours "
                  f"({format_value(rate, measure.unit)} per planned hour)")


def centre_outlook(plan: PlanFile, measure: MetricDefinition, quarter: Quarter,
                 settings: TargetSettings) -> QuarterOutlook | None:
    """The outlook for the whole centre in ``quarter``, when there is one (a
    sum, the quarter the data is in); refused in one line when the settings
    start from it and there is none."""
    seen = outlook(plan, measure.code) if measure.additive and settings.team is None else None
    if seen is not None and seen.quarter != quarter:
        seen = None
    # Targets set as of an earlier day see nothing after it; the outlook does.
    later = seen is not None and settings.as_of is not None and seen.through is not None \
        and seen.through >= settings.as_of
    if later:
        seen = None
    if seen is None and settings.team_start == "outlook" and settings.team_target is None:
        why = ("it is a ratio: targets for it start from the history's rate" if not
               measure.additive else "the outlook is for the whole centre" if settings.team
               else f"the outlook uses the data after {settings.as_of:%d %b %Y}, the day "
               "these targets are set as of" if later and settings.as_of
               else f"the outlook is for the quarter the data is in, not {quarter}")
        raise UserError(f"cannot start {measure.name} targets from the outlook: {why}")
    return seen


def beside_outlook(source: str, seen: QuarterOutlook | None, unit: str,
                   plan: PlanFile) -> str:
    """Where an untyped team target started, with the quarter's outlook beside
    it when it started elsewhere (last year's quarter, a forecast from before
    the quarter ...): ``2026-Q1 actual; the outlook for 2027-Q1 is £3,772,769``."""
    if seen is None or source == "typed" or source.startswith(f"{seen.quarter} outlook"):
        return source
    return f"{source}; the outlook for {seen.quarter} is " + team_target_text(
        seen.total, unit, "", plan_currency(plan).code)
