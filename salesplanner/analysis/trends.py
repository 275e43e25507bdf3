"""Trends: any measure by day, week, month or quarter, for the centre or split.

The base aggregates are summed per period (and per split value) first, and
the measure's formula is applied to those sums, through the metrics
registry, so a trend agrees with every other figure in the program.

Where the sums come from depends on the split:

- none, ``agent`` or ``team``: ``daily_agent_stats`` (calls and sales), plus
  contracted hours from the agents' weekly hours and employment dates;
- ``product``, ``category``, ``channel``, ``campaign``, ``segment``: the
  sale lines themselves, which carry those fields. Calls have no product,
  so a measure built on call-based fields (``calls``, ``handle_seconds``
  ...) or hours is not split by them (:func:`splits_for`).

Daily sums come from :mod:`salesplanner.daily_figures`, read once per plan
state as NumPy columns with integer codes for every split value; changing the
period, the measure or the dates afterwards is one ``bincount`` per field (a
few milliseconds on a year of 400 agents).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from salesplanner.daily_figures import (
    AGENT_SPLITS, BASE_AGGREGATES, SALE_BASES, SALE_SPLITS, DailySums, daily_sums,
    hours_by_label, in_major_units, money_scale,
)
from salesplanner.errors import UserError
from salesplanner.metrics import MetricDefinition, bases_of, measure_values, registry
from salesplanner.storage.plan_file import PlanFile

PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q"}
SPLITS = (*AGENT_SPLITS, *SALE_SPLITS)


@dataclass
class Trend:
    """A measure over time: one row per split value (one row when not split)."""

    metric: MetricDefinition
    by: str
    split: str | None
    #: First day of each period.
    periods: list[date]
    #: The split values (``["All"]`` when not split), largest first.
    labels: list[str]
    #: ``values[i, j]``: label i in period j (NaN: no value).
    values: np.ndarray
    #: The measure over the whole range, per label.
    totals: np.ndarray
    notes: list[str] = field(default_factory=list)
    #: The measure per period over every split value (the shown and the rest).
    overall: np.ndarray | None = None
    #: Per period: only partly covered by the data or the range asked for (the
    #: first or last week, month or quarter), so its sum is not comparable with
    #: a whole period's. Empty when none is.
    part: list[bool] = field(default_factory=list)

    def shares(self) -> tuple[list[str], np.ndarray]:
        """The mix: each label's share of the period's whole, with the values
        not shown gathered as "Other". Only for additive measures (a share of
        a conversion rate means nothing)."""
        if not self.metric.additive:
            raise UserError(f"{self.metric.name} is a ratio: its mix (share of the whole) means "
                            "nothing; choose revenue, sales, calls or another sum")
        whole = self.overall if self.overall is not None else np.nansum(self.values, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(whole > 0, np.nan_to_num(self.values) / whole, np.nan)
            rest = 1 - np.nansum(shares, axis=0)
        labels = list(self.labels)
        if (rest > 1e-9).any():
            labels.append("Other")
            shares = np.vstack([shares, np.where(whole > 0, np.clip(rest, 0, 1), np.nan)])
        return labels, shares

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        def clean(x: float) -> float | None:
            return None if x != x else float(x)

        return {"metric": self.metric.code, "unit": self.metric.unit, "by": self.by,
                "split": self.split, "periods": [p.isoformat() for p in self.periods],
                "series": [{"label": label, "total": clean(total),
                            "values": [clean(v) for v in row]}
                           for label, row, total in zip(self.labels, self.values, self.totals)],
                "overall": None if self.overall is None else [clean(v) for v in self.overall],
                "notes": self.notes,
                **({"part_periods": [p.isoformat() for p, cut in zip(self.periods, self.part)
                                     if cut]} if self.part else {})}


def _period_keys(daily: DailySums, by: str, rows: np.ndarray) -> np.ndarray:
    """An integer per row naming its period: consecutive periods, consecutive keys."""
    if by == "day":
        return daily.day[rows]
    if by == "week":  # ISO weeks start on Monday; 1970-01-01 was a Thursday
        return (daily.day[rows] + 3) // 7
    if by == "month":
        return daily.year[rows] * 12 + daily.month[rows] - 1
    return daily.year[rows] * 4 + (daily.month[rows] - 1) // 3


def _period_bounds(by: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last day (datetime64[D]) of each period key."""
    epoch = np.datetime64("1970-01-01", "D")
    if by == "day":
        first = epoch + keys.astype("timedelta64[D]")
        return first, first
    if by == "week":
        first = epoch + (keys * 7 - 3).astype("timedelta64[D]")
        return first, first + np.timedelta64(6, "D")
    months = keys if by == "month" else keys * 3
    step = 1 if by == "month" else 3
    first = (np.datetime64("0000-01", "M") + months.astype("timedelta64[M]")).astype(
        "datetime64[D]")
    after = (np.datetime64("0000-01", "M") + (months + step).astype("timedelta64[M]")).astype(
        "datetime64[D]")
    return first, after - np.timedelta64(1, "D")


def _shown_day(day: np.datetime64) -> str:
    return f"{day.item():%d %b %Y}"


def _not_on_sales(measures: dict[str, MetricDefinition], metric: str) -> list[str]:
    """The base aggregates ``metric`` uses that sale lines do not record."""
    return sorted(bases_of(measures, metric) - SALE_BASES) if metric in measures else []


def splits_for(measures: dict[str, MetricDefinition], metric: str) -> tuple[str, ...]:
    """The splits ``metric`` can be shown by: a measure of calls or hours only
    by agent and team (calls carry no product, channel or campaign)."""
    return AGENT_SPLITS if _not_on_sales(measures, metric) else SPLITS


def trend(plan: PlanFile, metric: str, by: str = "month", split: str | None = None,
          start: date | None = None, end: date | None = None, top: int | None = None) -> Trend:
    """``metric`` per period of ``by``, optionally per value of ``split``."""
    measures = registry(plan)
    if metric not in measures:
        raise UserError(f"there is no measure {metric!r}; 'salesplanner metrics PLAN' lists them")
    if by not in PERIODS:
        raise UserError(f"--by {by!r}: use {', '.join(PERIODS)}")
    if split is not None and split not in SPLITS:
        raise UserError(f"--split {split!r}: use {', '.join(SPLITS)}")
    by_sales = split in SALE_SPLITS
    if by_sales:
        others = _not_on_sales(measures, metric)
        if others:
            raise UserError(
                f"{measures[metric].name} uses "
                f"{' and '.join(o.replace('_', ' ') for o in others)}, which are not recorded "
                f"by {split} (only sales are): split it by agent or team, or choose a sales "
                "measure (sales, revenue, average order value ...)")
    daily = daily_sums(plan, split if by_sales else "agent")  # type: ignore[arg-type]  # a split
    rows = np.ones(len(daily.day), dtype=bool)
    if start is not None:
        rows &= daily.day >= (np.datetime64(start, "D") - np.datetime64("1970-01-01", "D")) \
            .astype(np.int64)
    if end is not None:
        rows &= daily.day <= (np.datetime64(end, "D") - np.datetime64("1970-01-01", "D")) \
            .astype(np.int64)
    rows = np.flatnonzero(rows)
    notes: list[str] = []
    if not len(rows):
        return Trend(measures[metric], by, split, [], [], np.zeros((0, 0)), np.zeros(0),
                     ["no data in this range"])
    keys = _period_keys(daily, by, rows)
    low = int(keys.min())
    n_periods = int(keys.max()) - low + 1
    if split:
        codes, names = daily.labels[split]
        codes = codes[rows]
    else:
        codes, names = np.zeros(len(rows), dtype=np.int64), ["All"]
    n_labels = len(names)
    slot = codes * n_periods + (keys - low)
    grid = {name: np.bincount(slot, weights=values[rows], minlength=n_labels * n_periods)
            .reshape(n_labels, n_periods) for name, values in daily.fields.items()}
    starts, ends = _period_bounds(by, np.arange(low, low + n_periods))
    epoch = np.datetime64("1970-01-01", "D")
    first_day = max(starts[0], epoch + int(daily.day[rows].min()) if start is None
                    else np.datetime64(start, "D"))
    last_day = min(ends[-1], epoch + int(daily.day[rows].max()) if end is None
                   else np.datetime64(end, "D"))
    part = [False] * n_periods
    if by != "day":
        part[0] = bool(starts[0] < first_day)
        part[-1] = part[-1] or bool(ends[-1] > last_day)
        if starts[0] < first_day:
            notes.append(f"the first {by} has data from {_shown_day(first_day)} only")
        if ends[-1] > last_day:
            notes.append(f"the last {by} has data to {_shown_day(last_day)} only: "
                         "its sums are not comparable with whole periods")
    if by_sales:
        for name in BASE_AGGREGATES:
            if name not in grid:
                grid[name] = np.full((n_labels, n_periods), np.nan)
        notes.append(f"split by {split}: only sales fields have values (calls have no {split})")
    else:
        grid["contracted_hours"] = hours_by_label(daily.agents, np.maximum(starts, first_day),
                                                  np.minimum(ends, last_day), split, names)
    in_major_units(grid, money_scale(plan))
    values = measure_values(measures, [metric], grid)[metric]
    overall = measure_values(measures, [metric], {
        n: np.nansum(g, axis=0, keepdims=True) if not np.isnan(g).all()
        else np.full((1, n_periods), np.nan) for n, g in grid.items()})[metric][0]
    whole = {n: np.nansum(g, axis=1) if not np.isnan(g).all() else np.full(n_labels, np.nan)
             for n, g in grid.items()}
    totals = measure_values(measures, [metric], whole)[metric]
    size = whole["revenue" if by_sales else "calls"]
    present = np.flatnonzero(np.bincount(codes, minlength=n_labels) > 0)
    order = present[np.argsort(-np.nan_to_num(size[present], nan=-np.inf), kind="stable")]
    if top is not None and len(order) > top:
        notes.append(f"the {top} largest of {len(order)} {split} values shown")
        order = order[:top]
    return Trend(measures[metric], by, split, [d.item() for d in starts],
                 [names[i] for i in order], values[order], totals[order], notes, overall,
                 part if any(part) else [])


def measures_trend(plan: PlanFile, metrics: list[str], by: str = "month",
                   start: date | None = None, end: date | None = None) -> Trend:
    """Several measures of one unit side by side for the whole centre, one
    series each (e.g. call-back and information request rates)."""
    parts = [trend(plan, metric, by, None, start, end) for metric in metrics]
    units = {part.metric.unit for part in parts}
    if len(units) > 1:
        raise UserError("measures shown together must share a unit; "
                        f"these are {', '.join(sorted(units))}")
    first = parts[0]
    if not first.periods:
        return first
    return Trend(first.metric, by, None, first.periods, [p.metric.name for p in parts],
                 np.vstack([p.values[0] for p in parts]),
                 np.array([p.totals[0] for p in parts]),
                 [f"{p.metric.name} = {p.metric.formula}" for p in parts], part=first.part)
