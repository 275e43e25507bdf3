"""Peaks and troughs: calls and conversion by weekday and hour, and the staff they need.

From the call rows (their stored weekday and hour), or from the telephony
platform's interval statistics when the plan has no call rows:

- volume: the average number of calls in that hour of that weekday (calls
  over the number of such days in the data), inbound and outbound apart or
  together;
- conversion: sales over calls in each cell;
- the peak and the trough: the busiest and the quietest open hour (an hour
  with any calls);
- staffing: agents needed in each hour to answer a service level by Erlang C
  (:mod:`salesplanner.analysis.staffing`), from the cell's volume and its own average
  handle time (or one the user gives; when the data has none and none is
  given, the agents are unknown and ``staffing_note`` says why);
- outbound windows: the hours where the most agents are on the phones
  beyond what inbound needs (agents present, from the agents with calls in
  that hour, minus the inbound staffing): the quarter of open hours with
  the most spare agents, where they are free to dial.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np

from salesplanner.daily_figures import days_with_calls
from salesplanner.errors import UserError
from salesplanner.analysis.staffing import agents_needed, handle_times
from salesplanner.state_cache import StateCache
from salesplanner.storage.bulk import READ_CHUNK_ROWS
from salesplanner.storage.plan_file import PlanFile

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DIRECTIONS = ("inbound", "outbound")


@dataclass
class Peaks:
    """Weekday x hour tables (7 x 24; row 0 is Monday) and what they say."""

    direction: str | None
    source: str
    #: Average calls in each weekday and hour.
    volume: np.ndarray
    #: Sales over calls in each cell (NaN where there were no calls).
    conversion: np.ndarray
    #: Average handle time in seconds per cell (NaN where no calls).
    aht: np.ndarray
    #: Agents needed per cell (0 where there are no calls, NaN where the
    #: handle time is unknown).
    agents: np.ndarray
    target: float
    within: float
    peak: tuple[int, int] | None
    trough: tuple[int, int] | None
    #: (weekday, hour) cells with the most agents spare from inbound: outbound windows.
    outbound_windows: list[tuple[int, int]] = field(default_factory=list)
    #: Days in the data for each weekday (0 Monday); 0 where the data has none.
    days: np.ndarray = field(default_factory=lambda: np.ones(7))
    #: The average handle time the user gave for the staffing, or None (the data's).
    aht_given: float | None = None
    #: True when the calls have no handle time and none was given: no staffing.
    handle_time_missing: bool = False
    #: What the staffing lacked and what stands in for it, or None.
    staffing_note: str | None = None

    def open_hours(self) -> list[int]:
        """Hours of the day with any calls."""
        return [h for h in range(24) if self.volume[:, h].sum() > 0]

    def no_data_days(self) -> list[int]:
        """Weekdays (0 Monday) the data never covers, e.g. the weekend of a
        weekday-only centre: their cells are unknown, not zero."""
        return [d for d in range(7) if not self.days[d] > 0]

    def shown(self, values: np.ndarray) -> np.ndarray:
        """``values`` (a 7 x 24 grid of this result) with NaN on the weekdays
        the data never covers, so that they show blank rather than 0."""
        out = values.astype(float, copy=True)
        out[self.no_data_days(), :] = np.nan
        return out

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        def grid(values: np.ndarray) -> list[list[float | None]]:
            return [[None if v != v else round(float(v), 4) for v in row] for row in values]

        def cell(c: tuple[int, int] | None) -> dict | None:
            return None if c is None else {"weekday": WEEKDAYS[c[0]], "hour": c[1],
                                           "calls": round(float(self.volume[c]), 2)}

        return {"direction": self.direction or "all", "source": self.source,
                "weekdays": list(WEEKDAYS), "volume": grid(self.volume),
                "conversion": grid(self.conversion), "aht_seconds": grid(self.aht),
                "agents_needed": [[None if v != v else int(v) for v in row]
                                  for row in self.agents],
                "aht_given_seconds": self.aht_given, "staffing_note": self.staffing_note,
                "service_level": {"target": self.target, "within_seconds": self.within},
                "peak": cell(self.peak), "trough": cell(self.trough),
                "outbound_windows": [{"weekday": WEEKDAYS[d], "hour": h}
                                     for d, h in self.outbound_windows]}


@dataclass
class _CallCube:
    """Call sums by direction, weekday and hour, read once per plan state."""

    calls: dict[str, np.ndarray]
    sales: dict[str, np.ndarray]
    handle: dict[str, np.ndarray]
    #: Days with calls, per weekday (column vector).
    days: np.ndarray
    #: Average agents with calls in each weekday and hour.
    present: np.ndarray


_CUBES = StateCache(limit=8)


def _call_cube(plan: PlanFile) -> _CallCube | None:
    return _CUBES.get(plan, (), lambda: _read_cube(plan))


def _read_cube(plan: PlanFile) -> _CallCube | None:
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT direction, weekday, hour, count(*), sum(outcome = 'sale'), sum(duration_s)"
            " FROM call GROUP BY direction, weekday, hour").fetchall()
        present_slots = _agent_hours(conn)
    days = days_with_calls(plan)
    cube = None
    if rows:
        shape = (7, 24)
        calls = {d: np.zeros(shape) for d in DIRECTIONS}
        sales = {d: np.zeros(shape) for d in DIRECTIONS}
        handle = {d: np.zeros(shape) for d in DIRECTIONS}
        for direction, weekday, hour, count, sold, seconds in rows:
            calls[direction][weekday - 1, hour] += count
            sales[direction][weekday - 1, hour] += sold
            handle[direction][weekday - 1, hour] += seconds
        per_day = np.array([days.get(d, 0) for d in range(1, 8)], dtype=float)[:, None]
        present = present_slots / np.maximum(per_day, 1)
        cube = _CallCube(calls, sales, handle, per_day, present)
    return cube


def _agent_hours(conn: sqlite3.Connection) -> np.ndarray:
    """Agent-hours with calls per weekday and hour: for each hour of each
    week, how many distinct agents took or made a call in it.

    Made distinct in NumPy: SQLite's DISTINCT over a million rows takes
    several times longer than reading the integers. Read in pieces into a
    week x hour-of-week x agent bitmap, so no step holds the interpreter
    lock long enough to stall the window.
    """
    first, last, agents = conn.execute(
        "SELECT min(iso_year * 53 + iso_week), max(iso_year * 53 + iso_week), max(agent_id)"
        " FROM call WHERE agent_id IS NOT NULL").fetchone()
    out = np.zeros((7, 24))
    if first is None:
        return out
    # Agent ids compacted to 0..n-1 (ids can have gaps after imports are removed).
    ids = np.array([i for (i,) in conn.execute("SELECT id FROM agent")], dtype=np.int64)
    compact = np.full(max(agents, int(ids.max(initial=0))) + 1, -1, dtype=np.int64)
    compact[ids] = np.arange(len(ids))
    seen = np.zeros((last - first + 1, 7 * 24, len(ids)), dtype=bool)
    cursor = conn.execute(
        "SELECT iso_year * 53 + iso_week, (weekday - 1) * 24 + hour, agent_id"
        " FROM call WHERE agent_id IS NOT NULL")
    while rows := cursor.fetchmany(READ_CHUNK_ROWS):
        week, slot, agent = np.asarray(rows, dtype=np.int64).T
        seen[week - first, slot, compact[agent]] = True
    return seen.sum(axis=(0, 2)).reshape(7, 24).astype(float)


def _from_calls(plan: PlanFile, direction: str | None) -> tuple[np.ndarray, ...] | None:
    cube = _call_cube(plan)
    if cube is None:
        return None
    chosen = DIRECTIONS if direction is None else (direction,)
    return (sum(cube.calls[d] for d in chosen), sum(cube.sales[d] for d in chosen),  # type: ignore[return-value]  # sums of arrays are arrays
            sum(cube.handle[d] for d in chosen), cube.days)


def _from_intervals(plan: PlanFile) -> tuple[np.ndarray, ...] | None:
    """Calls and handle seconds per weekday and hour from interval statistics.

    Calls are the handled calls, or the offered calls where an arrivals feed
    gave only those (handled unknown). Handle time is what the intervals
    give: an hour's average over its timed intervals; an hour with none is
    left to :func:`salesplanner.analysis.staffing.handle_times`, which takes
    the other hours' average or, with no handle time at all, says so and
    takes the one the user gives.
    """
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT weekday, hour, sum(coalesce(handled, offered)),"
            " sum(CASE WHEN aht_s > 0 THEN coalesce(handled, offered) END),"
            " sum(CASE WHEN aht_s > 0 THEN coalesce(handled, offered) * aht_s END)"
            " FROM interval_stat"
            " GROUP BY weekday, hour").fetchall()
        days = dict(conn.execute(
            "SELECT weekday, count(DISTINCT substr(interval_start, 1, 10)) FROM interval_stat"
            " GROUP BY weekday"))
    if not rows:
        return None
    calls, handle = np.zeros((7, 24)), np.zeros((7, 24))
    for weekday, hour, count, timed, seconds in rows:
        calls[weekday - 1, hour] += count or 0
        # An interval without a handle time (stored as 0 or NULL) says nothing
        # of it: the hour's average is over the timed intervals only.
        handle[weekday - 1, hour] += (count or 0) * seconds / timed if timed else 0
    per_day = np.array([days.get(d, 0) for d in range(1, 8)], dtype=float)[:, None]
    return calls, np.full((7, 24), np.nan), handle, per_day


def _rates(calls: np.ndarray, sales: np.ndarray, handle: np.ndarray,
           per_day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Average calls per hour, conversion and handle time per cell."""
    with np.errstate(divide="ignore", invalid="ignore"):
        volume = np.where(per_day > 0, calls / per_day, 0.0)
        conversion = np.where(calls > 0, sales / calls, np.nan)
        aht = np.where(calls > 0, handle / calls, np.nan)
    return volume, conversion, aht


def _staff(volume: np.ndarray, aht: np.ndarray, target: float, within: float) -> np.ndarray:
    """Agents needed in every cell with calls (Erlang C over an hour); NaN
    where the cell's handle time is unknown."""
    agents = np.zeros((7, 24))
    for d, h in zip(*np.nonzero(volume)):
        agents[d, h] = np.nan if aht[d, h] != aht[d, h] else \
            agents_needed(volume[d, h], aht[d, h], 3600, target, within).agents
    return agents


def peaks(plan: PlanFile, direction: str | None = None, target: float = 0.8,
          within: float = 20, aht: float | None = None) -> Peaks:
    """The weekday x hour picture of ``direction`` (None: all calls).

    ``aht``: the average handle time in seconds to staff every hour with,
    in place of the data's own (needed when the data has none).
    """
    if direction is not None and direction not in DIRECTIONS:
        raise UserError(f"--direction {direction!r}: use inbound or outbound")
    source = "calls"
    found = _from_calls(plan, direction)
    if found is None:
        found = _from_intervals(plan) if direction in (None, "inbound") else None
        source = "interval statistics"
    if found is None:
        raise UserError("the plan has no calls or interval statistics to look at; import "
                        "a calls or intervals file first")
    volume, conversion, handle = _rates(*found)
    timing = handle_times(volume, handle, aht, source)
    agents = _staff(volume, timing.seconds, target, within)
    open_cells = list(zip(*np.nonzero(volume)))
    peak = max(open_cells, key=lambda c: volume[c]) if open_cells else None
    trough = min(open_cells, key=lambda c: volume[c]) if open_cells else None
    windows: list[tuple[int, int]] = []
    inbound = _from_calls(plan, "inbound") if source == "calls" else None
    if inbound is not None:
        needed = agents
        if direction != "inbound":
            in_volume, _conversion, in_aht = _rates(*inbound)
            needed = _staff(in_volume, handle_times(in_volume, in_aht, aht).seconds,
                            target, within)
        present = _call_cube(plan).present  # type: ignore[union-attr]  # built above
        # The share of the agents on shift that inbound does not need: at an
        # inbound peak many agents are on and most are needed, so a count of
        # spare agents alone would put outbound calling at the peak.
        spare = np.divide(present - needed, present, out=np.zeros_like(present, dtype=float),
                          where=present > 0)
        cells = [c for c in zip(*np.nonzero(present)) if spare[c] > 0]
        if cells:
            edge = np.quantile([spare[c] for c in cells], 0.75)
            windows = sorted((int(d), int(h)) for d, h in cells if spare[d, h] >= edge)
    as_int = lambda c: None if c is None else (int(c[0]), int(c[1]))  # noqa: E731 - a one-line function, named where it is used
    return Peaks(direction, source, volume, conversion, handle, agents, target, within,
                 as_int(peak), as_int(trough), windows, found[3][:, 0], aht, timing.missing,
                 timing.note)
