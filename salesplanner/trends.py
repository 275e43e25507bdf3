"""Trends: any measure by day, week, month or quarter, for the centre or split.

The base aggregates are summed per period (and per split value) first, and
the measure's formula is applied to those sums, through the metrics
registry, so a trend agrees with every other figure in the program.

Where the sums come from depends on the split:

- none, ``agent`` or ``team``: ``daily_agent_stats`` (calls and sales), plus
  contracted hours from the agents' weekly hours and employment dates;
- ``product``, ``category``, ``channel``, ``campaign``, ``segment``: the
  sale lines themselves, which carry those fields. Calls have no product,
  so call-based fields (``calls``, ``handle_seconds`` ...) have no value
  there and a measure built on them shows none.

Daily sums are read once per plan state and kept (:data:`_CACHE`), so
changing the period, the measure or the dates afterwards is a pandas
group-by over a few thousand rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from salesplanner.errors import UserError
from salesplanner.metrics import BASE_AGGREGATES, MetricDefinition, measure_values, registry
from salesplanner.storage.plan_file import PlanFile

PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q"}
AGENT_SPLITS = ("agent", "team")
SALE_SPLITS = {"product": "p.name", "category": "p.category", "channel": "s.channel",
               "campaign": "s.campaign", "segment": "s.segment"}
SPLITS = (*AGENT_SPLITS, *SALE_SPLITS)
NO_VALUE = "(none)"


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

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        def clean(x: float) -> float | None:
            return None if x != x else float(x)

        return {"metric": self.metric.code, "unit": self.metric.unit, "by": self.by,
                "split": self.split, "periods": [p.isoformat() for p in self.periods],
                "series": [{"label": label, "total": clean(total),
                            "values": [clean(v) for v in row]}
                           for label, row, total in zip(self.labels, self.values, self.totals)],
                "notes": self.notes}


_CACHE: dict[tuple, pd.DataFrame] = {}
_CACHE_LIMIT = 8


def _state(plan: PlanFile) -> tuple:
    with plan.connect() as conn:
        stamp = conn.execute("SELECT modified_at FROM plan").fetchone()[0]
        rows = conn.execute("SELECT count(*), max(rowid) FROM daily_agent_stats").fetchone()
    return (str(plan.source_path), stamp, *rows)


def _daily_agent_frame(plan: PlanFile) -> pd.DataFrame:
    """Daily sums per agent, with the agent's code and team name."""
    columns = [(b.name, b.column) for b in BASE_AGGREGATES.values() if b.column]
    select = ", ".join(f"{column} AS {name}" for name, column in columns)
    with plan.connect() as conn:
        rows = conn.execute(
            f"SELECT d.day, d.agent_id, coalesce(a.code, '{NO_VALUE}'),"
            f" coalesce(t.name, '{NO_VALUE}'), {select} FROM daily_agent_stats d"
            " LEFT JOIN agent a ON a.id = d.agent_id LEFT JOIN team t ON t.id = a.team_id"
        ).fetchall()
    frame = pd.DataFrame(rows, columns=["day", "agent_id", "agent", "team",
                                        *(n for n, _c in columns)])
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


def _daily_sale_frame(plan: PlanFile, split: str) -> pd.DataFrame:
    """Daily sums of the sale-based fields per value of a sale line's field."""
    key = SALE_SPLITS[split]
    with plan.connect() as conn:
        rows = conn.execute(
            f"SELECT substr(s.ts, 1, 10) AS day, coalesce({key}, '{NO_VALUE}') AS k,"
            " count(DISTINCT coalesce(s.order_ref, 'line:' || s.id)), count(*),"
            " sum(s.quantity), sum(s.revenue_minor), sum(s.line_type = 'upsell'),"
            " sum(s.line_type = 'crosssell')"
            " FROM sale s LEFT JOIN product p ON p.id = s.product_id"
            " WHERE s.outcome <> 'cancelled' GROUP BY day, k").fetchall()
    frame = pd.DataFrame(rows, columns=["day", split, "orders", "sale_lines", "units", "revenue",
                                        "upsell_lines", "crosssell_lines"])
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


def _cached(plan: PlanFile, kind: str) -> pd.DataFrame:
    key = (*_state(plan), kind)
    frame = _CACHE.get(key)
    if frame is None:
        frame = _daily_agent_frame(plan) if kind == "agent" else _daily_sale_frame(plan, kind)
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = frame
    return frame


def _currency_digits(plan: PlanFile) -> int:
    from salesplanner.currency import currency

    with plan.connect() as conn:
        return currency(conn.execute("SELECT currency FROM plan").fetchone()[0]).digits


def _agents(plan: PlanFile) -> pd.DataFrame:
    with plan.connect() as conn:
        rows = conn.execute(
            f"SELECT a.code, coalesce(t.name, '{NO_VALUE}'), a.weekly_hours, a.start_date,"
            " a.leave_date FROM agent a LEFT JOIN team t ON t.id = a.team_id").fetchall()
    return pd.DataFrame(rows, columns=["agent", "team", "weekly", "start", "leave"])


def _hours(agents: pd.DataFrame, starts: pd.DatetimeIndex, ends: pd.DatetimeIndex,
           split: str | None) -> pd.DataFrame:
    """Contracted hours per period (and split value): weekly hours times the
    employed days in the period over seven."""
    never, always = np.datetime64("1900-01-01", "s"), np.datetime64("2199-12-31", "s")
    first = pd.to_datetime(agents["start"]).to_numpy(dtype="datetime64[s]")
    last = pd.to_datetime(agents["leave"]).to_numpy(dtype="datetime64[s]")
    first = np.where(np.isnat(first), never, first)
    last = np.where(np.isnat(last), always, last)
    lo = np.maximum(first[:, None], starts.to_numpy(dtype="datetime64[s]")[None, :])
    hi = np.minimum(last[:, None], ends.to_numpy(dtype="datetime64[s]")[None, :])
    days = np.clip((hi - lo) / np.timedelta64(1, "D") + 1, 0, None)
    hours = days * agents["weekly"].fillna(0).to_numpy()[:, None] / 7
    label = agents[split] if split else pd.Series(["All"] * len(agents))
    return pd.DataFrame(hours, columns=starts).groupby(label.to_numpy()).sum()


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
    frame = _cached(plan, split if by_sales else "agent")
    if start is not None:
        frame = frame[frame["day"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["day"] <= pd.Timestamp(end)]
    notes: list[str] = []
    if frame.empty:
        return Trend(measures[metric], by, split, [], [], np.zeros((0, 0)), np.zeros(0),
                     ["no data in this range"])
    period = frame["day"].dt.to_period(PERIODS[by])
    label = frame[split] if split else pd.Series("All", index=frame.index)
    fields = [n for n in BASE_AGGREGATES if n in frame.columns]
    sums = frame[fields].groupby([label.to_numpy(), period.to_numpy()]).sum()
    labels_index = sums.index.get_level_values(0).unique()
    periods = pd.period_range(period.min(), period.max(), freq=PERIODS[by])
    grid = {name: sums[name].unstack(fill_value=0).reindex(index=labels_index, columns=periods,
                                                            fill_value=0)
            for name in fields}
    first_day = pd.Timestamp(start) if start else frame["day"].min()
    last_day = pd.Timestamp(end) if end else frame["day"].max()
    starts = pd.DatetimeIndex([max(p.start_time, first_day) for p in periods])
    ends = pd.DatetimeIndex([min(p.end_time.normalize(), last_day) for p in periods])
    if by_sales:
        for name in BASE_AGGREGATES:
            if name not in grid:
                grid[name] = pd.DataFrame(np.nan, index=labels_index, columns=periods)
        notes.append(f"split by {split}: only sales fields have values (calls have no {split})")
    else:
        hours = _hours(_agents(plan), starts, ends, split)
        hours.columns = periods
        grid["contracted_hours"] = hours.reindex(index=labels_index, fill_value=0)
    scale = 10 ** _currency_digits(plan)  # money is stored in pence, shown in pounds
    grid["revenue"] = grid["revenue"] / scale
    values = measure_values(measures, [metric], {n: g.to_numpy(dtype=float)
                                                 for n, g in grid.items()})[metric]
    whole = {n: g.sum(axis=1, min_count=1).to_numpy(dtype=float) for n, g in grid.items()}
    totals = measure_values(measures, [metric], whole)[metric]
    order = np.argsort(-np.nan_to_num(whole.get("revenue" if by_sales else "calls",
                                                totals), nan=-np.inf), kind="stable")
    if top is not None and len(order) > top:
        notes.append(f"the {top} largest of {len(order)} {split} values shown")
        order = order[:top]
    return Trend(measures[metric], by, split, [p.start_time.date() for p in periods],
                 [str(labels_index[i]) for i in order], values[order], totals[order], notes)
