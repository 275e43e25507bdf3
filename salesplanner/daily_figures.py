"""The plan's daily figures: the one reader of the per-agent daily totals.

``daily_agent_stats`` (written by the importer and :mod:`.daily_stats`) holds
the base aggregates summed per agent and day. Every figure the program shows
is worked out from them, so this module is the only one that reads them, and
the only one that knows the plan's money scale and how contracted hours are
counted. It gives:

- :data:`BASE_AGGREGATES`: the sums formulas build on (:mod:`.metrics`);
- :func:`daily_sums`: the daily sums as NumPy columns, per agent (from the
  daily totals) or per value of a sale line's field (from the sale lines),
  read once per plan state and shared by trends, monitoring and reports;
- :func:`base_totals`: every base aggregate over a range of days, for the
  centre or per agent (the measures and their checks);
- :func:`weekly_figures`: the agent x ISO week grid the target planner uses,
  with the centre's sums per day;
- :func:`contracted_hours`: weekly hours times the days employed in a range,
  over seven: the one definition, whether for a day, a week or a quarter;
- :func:`plan_currency`, :func:`money_scale` and :func:`in_major_units`:
  money is stored in minor units (pence) and shown in major ones (pounds).

Its SQL is plain enough to run on PostgreSQL too (no ``julianday``, no
``rowid``): ISO weeks come from the stored ``iso_year``/``iso_week`` keys.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING
from datetime import date

import numpy as np

from salesplanner.currency import Currency, currency
from salesplanner.formula import COUNT, HOURS, MONEY, SECONDS, Unit
from salesplanner.state_cache import StateCache
from salesplanner.storage.bulk import read_columns
from salesplanner.storage.plan_file import PlanFile

if TYPE_CHECKING:  # pandas is imported by the functions that build frames:
    import pandas as pd  # importing this module must not cost its 0.6 s


@dataclass(frozen=True)
class BaseAggregate:
    """A sum kept per agent and day that formulas build on."""

    name: str
    unit: Unit
    description: str
    #: SQL over ``daily_agent_stats`` (None: computed apart, e.g. hours).
    column: str | None


BASE_AGGREGATES: dict[str, BaseAggregate] = {b.name: b for b in (
    BaseAggregate("calls", COUNT, "calls handled, inbound and outbound",
                  "calls_inbound + calls_outbound"),
    BaseAggregate("calls_inbound", COUNT, "inbound calls handled", "calls_inbound"),
    BaseAggregate("calls_outbound", COUNT, "outbound calls made", "calls_outbound"),
    BaseAggregate("handle_seconds", SECONDS, "talk, hold and wrap time", "handle_s"),
    BaseAggregate("sale_calls", COUNT, "calls that ended in a sale", "sale_calls"),
    BaseAggregate("callbacks", COUNT, "calls where the customer asked for a call back",
                  "callbacks"),
    BaseAggregate("info_requests", COUNT, "calls where the customer asked for information",
                  "info_requests"),
    BaseAggregate("orders", COUNT, "orders (sales), cancelled ones left out", "orders"),
    BaseAggregate("sale_lines", COUNT, "products sold, one per order line", "sale_lines"),
    BaseAggregate("units", COUNT, "units sold", "units"),
    BaseAggregate("revenue", MONEY, "revenue of orders not cancelled", "revenue_minor"),
    BaseAggregate("upsell_lines", COUNT, "order lines that were up-sells", "upsell_lines"),
    BaseAggregate("crosssell_lines", COUNT, "order lines that were cross-sells",
                  "crosssell_lines"),
    BaseAggregate("contracted_hours", HOURS, "agents' contracted hours in the period", None),
)}

#: The base aggregates stored per day (contracted hours are worked out, not stored).
STORED = [b for b in BASE_AGGREGATES.values() if b.column]
#: Base aggregates recorded on sale lines (the rest come from calls and hours).
SALE_BASES = frozenset({"orders", "sale_lines", "units", "revenue", "upsell_lines",
                        "crosssell_lines"})

#: The label of a missing agent code, team or sale field.
NO_VALUE = "(none)"
#: Splits of the daily totals (agents' own fields).
AGENT_SPLITS = ("agent", "team")
#: Splits of the sale lines: the field each reads.
SALE_SPLITS = {"product": "p.name", "category": "p.category", "channel": "s.channel",
               "campaign": "s.campaign", "segment": "s.segment"}

#: Everything read here, by plan state (a few daily frames, the roster, the currency).
_KEPT = StateCache(limit=12)


# -- money ------------------------------------------------------------------------------------

def plan_currency(plan: PlanFile) -> Currency:
    """The currency every ``*_minor`` column of the plan is in."""
    def read() -> Currency:
        with plan.connect() as conn:
            return currency(conn.execute("SELECT currency FROM plan").fetchone()[0])

    return _KEPT.get(plan, ("currency",), read)


def money_scale(plan: PlanFile) -> int:
    """What stored money (minor units) is divided by to give the currency's units."""
    return plan_currency(plan).minor_per_major


def in_major_units(sums: dict[str, np.ndarray], scale: int) -> dict[str, np.ndarray]:
    """``sums`` with every money aggregate turned from minor units (pence) into
    major ones (pounds); changed in place and returned."""
    for name, base in BASE_AGGREGATES.items():
        if base.unit == MONEY and name in sums:
            sums[name] = sums[name] / scale
    return sums


# -- agents and their hours --------------------------------------------------------------------

@dataclass(frozen=True)
class Roster:
    """Every agent of the plan in id order, one array per field. ``roster["start"]``
    reads like a frame's column, so :func:`contracted_hours` takes either."""

    id: np.ndarray  # int64
    code: np.ndarray
    name: np.ndarray
    #: Team names (None without a team).
    team: np.ndarray
    #: NaN when unknown.
    weekly_hours: np.ndarray
    #: datetime64[D]; NaT when not known (start) or still employed (leave).
    start: np.ndarray
    leave: np.ndarray
    active: np.ndarray

    def __len__(self) -> int:
        return len(self.id)

    def __getitem__(self, field: str) -> np.ndarray:
        return getattr(self, field)

    def frame(self) -> pd.DataFrame:
        """The roster as a new frame: ``id, code, name, team, weekly_hours,
        start, leave, active``."""
        import pandas as pd

        return pd.DataFrame({f: getattr(self, f) for f in (
            "id", "code", "name", "team", "weekly_hours", "start", "leave", "active")})


def roster(plan: PlanFile) -> Roster:
    """The plan's agents (:class:`Roster`), read once per plan state."""
    def read() -> Roster:
        with plan.connect() as conn:
            rows = conn.execute(
                "SELECT a.id, a.code, a.name, t.name, a.weekly_hours, a.start_date,"
                " a.leave_date, a.active FROM agent a LEFT JOIN team t ON t.id = a.team_id"
                " ORDER BY a.id").fetchall()
        columns = list(zip(*rows)) if rows else [()] * 8

        def days(values: tuple) -> np.ndarray:
            return np.array(["NaT" if v is None else str(v)[:10] for v in values],
                            dtype="datetime64[D]")

        return Roster(np.array(columns[0], dtype=np.int64),  # type: ignore[call-arg]  # 3 by position
                      *(np.array(c, dtype=object) for c in columns[1:4]),
                      np.array([np.nan if v is None else v for v in columns[4]], dtype=float),
                      days(columns[5]), days(columns[6]), np.array(columns[7], dtype=np.int64))

    return _KEPT.get(plan, ("roster",), read)


def contracted_hours(agents: Roster | pd.DataFrame, starts: np.ndarray,
                     ends: np.ndarray) -> np.ndarray:
    """Hours each agent (``weekly_hours``, ``start``, ``leave`` of a roster or
    a frame) was contracted for in each range ``starts[k]`` .. ``ends[k]``
    (datetime64[D], inclusive): weekly hours times the days employed in the
    range, over seven. Agents x ranges."""
    never, always = np.datetime64("1900-01-01", "D"), np.datetime64("2199-12-31", "D")
    first = np.asarray(agents["start"]).astype("datetime64[D]")
    last = np.asarray(agents["leave"]).astype("datetime64[D]")
    first = np.where(np.isnat(first), never, first)
    last = np.where(np.isnat(last), always, last)
    lo = np.maximum(first[:, None], starts[None, :])
    hi = np.minimum(last[:, None], ends[None, :])
    days = np.clip((hi - lo).astype(np.int64) + 1, 0, None)
    weekly = np.asarray(agents["weekly_hours"], dtype=float)
    return days * np.where(np.isnan(weekly), 0.0, weekly)[:, None] / 7


def hours_by_label(agents: pd.DataFrame, starts: np.ndarray, ends: np.ndarray,
                   split: str | None, labels: list[str]) -> np.ndarray:
    """:func:`contracted_hours` summed per label of ``split`` (a column of
    ``agents``, e.g. ``agent`` or ``team``) in ``labels``' order; one row
    for the whole centre when ``split`` is None."""
    hours = contracted_hours(agents, starts, ends)
    if not split:
        return hours.sum(axis=0, keepdims=True)
    index = {label: i for i, label in enumerate(labels)}
    out = np.zeros((len(labels), len(starts)))
    for row, label in zip(hours, agents[split].astype(str)):
        if label in index:
            out[index[label]] += row
    return out


# -- the daily sums ----------------------------------------------------------------------------

@dataclass
class DailySums:
    """Daily sums as NumPy columns, ready to be summed by any period and label."""

    day: np.ndarray  # days since 1970-01-01
    year: np.ndarray
    month: np.ndarray
    fields: dict[str, np.ndarray]
    #: split -> (code per row, label per code)
    labels: dict[str, tuple[np.ndarray, list[str]]]
    #: The agents (agent-based sums only): ``agent`` (code), ``team``,
    #: ``name``, ``weekly_hours``, ``start``, ``leave``, in the roster's order.
    agents: pd.DataFrame | None = None


def daily_sums(plan: PlanFile, kind: str = "agent") -> DailySums:
    """The plan's daily base sums as arrays, per agent (``agent``) or per value
    of a sale field (a key of :data:`SALE_SPLITS`), read once per plan state
    and shared by every analysis. Money stays in minor units."""
    return _KEPT.get(plan, ("daily", kind), lambda: _read_daily(plan, kind))


def _read_daily(plan: PlanFile, kind: str) -> DailySums:
    import pandas as pd

    if kind == "agent":
        daily = _columns(_daily_agent_frame(plan), AGENT_SPLITS)
        people = roster(plan)
        daily.agents = pd.DataFrame({
            "agent": people.code,
            "team": np.array([NO_VALUE if t is None else t for t in people.team], dtype=object),
            "weekly_hours": people.weekly_hours, "start": people.start, "leave": people.leave,
            "name": people.name})
        return daily
    return _columns(_daily_sale_frame(plan, kind), (kind,))


def _daily_agent_frame(plan: PlanFile) -> pd.DataFrame:
    """Daily sums per agent, with the agent's code and team name."""
    import pandas as pd

    select = ", ".join(f"{b.column} AS {b.name}" for b in STORED)
    with plan.connect() as conn:
        values = read_columns(conn.execute(
            f"SELECT d.day, d.agent_id, coalesce(a.code, '{NO_VALUE}'),"
            f" coalesce(t.name, '{NO_VALUE}'), {select} FROM daily_agent_stats d"
            " LEFT JOIN agent a ON a.id = d.agent_id LEFT JOIN team t ON t.id = a.team_id"
        ), ["datetime64[D]", np.int64, object, object, *([float] * len(STORED))])
    return pd.DataFrame(dict(zip(["day", "agent_id", "agent", "team", *(b.name for b in STORED)],
                                 values)), copy=False)


def _daily_sale_frame(plan: PlanFile, split: str) -> pd.DataFrame:
    """Daily sums of the sale-based fields per value of a sale line's field."""
    import pandas as pd

    key = SALE_SPLITS[split]
    with plan.connect() as conn:
        values = read_columns(conn.execute(
            f"SELECT substr(s.ts, 1, 10) AS day, coalesce({key}, '{NO_VALUE}') AS k,"
            " count(DISTINCT coalesce(s.order_ref, 'line:' || s.id)), count(*),"
            " sum(s.quantity), sum(s.revenue_minor), sum(s.line_type = 'upsell'),"
            " sum(s.line_type = 'crosssell')"
            " FROM sale s LEFT JOIN product p ON p.id = s.product_id"
            " WHERE s.outcome <> 'cancelled' GROUP BY day, k"),
            ["datetime64[D]", object, *([float] * 6)])
    return pd.DataFrame(dict(zip(["day", split, "orders", "sale_lines", "units", "revenue",
                                  "upsell_lines", "crosssell_lines"], values)), copy=False)


def _columns(frame: pd.DataFrame, splits: tuple[str, ...]) -> DailySums:
    import pandas as pd

    stamps = frame["day"].to_numpy(dtype="datetime64[D]")
    years = stamps.astype("datetime64[Y]").astype(np.int64) + 1970
    months = stamps.astype("datetime64[M]").astype(np.int64) % 12 + 1
    fields = {n: frame[n].to_numpy(dtype=float) for n in BASE_AGGREGATES if n in frame.columns}
    labels = {}
    for split in splits:
        codes, uniques = pd.factorize(frame[split])
        labels[split] = (codes, [str(u) for u in uniques])
    return DailySums(stamps.astype(np.int64), years, months, fields, labels)


def data_days(plan: PlanFile) -> tuple[date | None, date | None]:
    """The first and last day with figures (None, None for a plan without any)."""
    with plan.connect() as conn:
        first, last = conn.execute("SELECT min(day), max(day) FROM daily_agent_stats").fetchone()
    return (date.fromisoformat(str(first)[:10]) if first else None,
            date.fromisoformat(str(last)[:10]) if last else None)


# -- totals over a range -----------------------------------------------------------------------

def base_totals(plan: PlanFile, start: date | None = None, end: date | None = None,
                by_agent: bool = False) -> dict[str, np.ndarray]:
    """Every base aggregate summed over ``start``..``end`` (inclusive), for the
    whole centre (arrays of one element) or per agent (``agent_id`` gives the
    order). Money is in major units (pounds, not pence)."""
    start_text = (start or date(1900, 1, 1)).isoformat()
    end_text = (end or date(9999, 12, 31)).isoformat()
    sums = ", ".join(f"coalesce(sum({b.column}), 0)" for b in STORED)
    agents = roster(plan)
    with plan.connect() as conn:
        if by_agent:
            found = {row[0]: row[1:] for row in conn.execute(
                f"SELECT agent_id, {sums} FROM daily_agent_stats WHERE day BETWEEN ? AND ?"
                " GROUP BY agent_id", (start_text, end_text))}
            zero = (0,) * len(STORED)
            data = np.array([found.get(a, zero) for a in agents.id.tolist()],
                            dtype=float).reshape(len(agents), -1)
        else:
            data = np.array([conn.execute(
                f"SELECT {sums} FROM daily_agent_stats WHERE day BETWEEN ? AND ?",
                (start_text, end_text)).fetchone()], dtype=float)
        first, last = conn.execute(
            "SELECT min(day), max(day) FROM daily_agent_stats WHERE day BETWEEN ? AND ?",
            (start_text, end_text)).fetchone()
    out = {base.name: data[:, i] if len(data) else np.zeros(0) for i, base in enumerate(STORED)}
    in_major_units(out, money_scale(plan))
    period = (start or (date.fromisoformat(first) if first else None),
              end or (date.fromisoformat(last) if last else None))
    if period[0] is None or period[1] is None:
        hours = np.zeros(len(agents))
    else:
        hours = contracted_hours(agents, np.array([np.datetime64(period[0], "D")]),
                                 np.array([np.datetime64(period[1], "D")]))[:, 0]
    # The centre's hours added agent by agent, in the roster's order.
    out["contracted_hours"] = hours if by_agent else np.array([sum(hours.tolist())], dtype=float)
    if by_agent:
        out["agent_id"] = np.array(agents.id.tolist())
    return out


# -- the target planner's weeks ----------------------------------------------------------------

#: A Monday: week keys count from it.
_MONDAY = np.datetime64("1970-01-05", "D")


@dataclass
class WeeklyFigures:
    """Base sums by agent and ISO week, as the target planner reads them."""

    #: Monday of each week, consecutive, datetime64[D].
    weeks: np.ndarray
    #: Base aggregate -> (agents x weeks) sums, money in major units.
    sums: dict[str, np.ndarray]
    #: Contracted hours, (agents x weeks).
    hours: np.ndarray
    #: Every day with figures (datetime64[D]) and the centre's base sums that day.
    days: np.ndarray
    day_sums: dict[str, np.ndarray]


def weekly_figures(plan: PlanFile, agents: pd.DataFrame) -> WeeklyFigures:
    """Every agent's base sums per ISO week (rows in the order of ``agents``, a
    frame with ``id``, ``weekly_hours``, ``start`` and ``leave``), the weeks
    running from the first with figures to the last, and the centre's sums
    per day. Not kept: the target planner keeps what it builds from it."""
    sums_sql = ", ".join(f"sum({b.column})" for b in STORED)
    with plan.connect() as conn:
        weekly = read_columns(conn.execute(
            f"SELECT agent_id, min(day), {sums_sql} FROM daily_agent_stats WHERE agent_id > 0"
            " GROUP BY agent_id, iso_year, iso_week"),
            [np.int64, "datetime64[D]", *([float] * len(STORED))])
        daily = read_columns(conn.execute(
            f"SELECT day, {sums_sql} FROM daily_agent_stats GROUP BY day ORDER BY day"),
            ["datetime64[D]", *([float] * len(STORED))])
    position = {int(a): i for i, a in enumerate(agents["id"])}
    agent_ids = weekly[0]
    # Each ISO week keyed by the Monday-to-Sunday week of its first day with figures.
    week_keys = (weekly[1] - _MONDAY).astype(np.int64) // 7
    if len(week_keys):
        first_key, last_key = int(week_keys.min()), int(week_keys.max())
    else:
        first_key = last_key = 0
    n_weeks = last_key - first_key + 1 if len(week_keys) else 0
    rows = np.array([position.get(int(a), -1) for a in agent_ids], dtype=np.int64)
    keep = rows >= 0
    sums = {}
    for base, values in zip(STORED, weekly[2:]):
        grid = np.zeros((len(agents), n_weeks))
        np.add.at(grid, (rows[keep], week_keys[keep] - first_key), values[keep])
        sums[base.name] = grid
    scale = money_scale(plan)
    weeks = _MONDAY + (np.arange(n_weeks) + first_key) * np.timedelta64(7, "D")
    hours = contracted_hours(agents, weeks, weeks + np.timedelta64(6, "D"))
    day_sums = dict(zip((b.name for b in STORED), daily[1:]))
    return WeeklyFigures(weeks, in_major_units(sums, scale), hours, daily[0],
                         in_major_units(day_sums, scale))


# -- other readers -----------------------------------------------------------------------------

def days_with_calls(plan: PlanFile) -> dict[int, int]:
    """For each ISO weekday (1 = Monday), how many days had calls."""
    with plan.connect() as conn:
        return dict(conn.execute(
            "SELECT weekday, count(DISTINCT day) FROM daily_agent_stats"
            " WHERE calls_inbound + calls_outbound > 0 GROUP BY weekday"))


def table_totals(conn: sqlite3.Connection) -> tuple[int, int]:
    """Calls and revenue (minor units) over the whole table, exactly as stored:
    what ``salesplanner check`` compares with the fact tables."""
    return conn.execute(
        "SELECT coalesce(sum(calls_inbound + calls_outbound), 0), coalesce(sum(revenue_minor), 0) "
        "FROM daily_agent_stats").fetchone()
