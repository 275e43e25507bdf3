"""Browsing a plan's tables: column definitions, filters, sorting and paging.

The data browser never loads a whole table. For the current filter and sort
it asks :func:`ordered_ids` once for the ordered list of row keys (SQLite
sorts, :mod:`salesplanner.row_order` ranks codes; one integer per row comes
back), then fetches only
the rows on screen with :func:`fetch_rows`. Scrolling anywhere costs one
small indexed query.

Sorting follows the kind of column: numbers and dates numerically, text
alphabetically ignoring case, and codes (agent codes, SKUs, references)
"naturally", so that AG2 comes before AG10.

Filters are parsed here, never pasted into SQL: every value is a parameter.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from salesplanner.errors import UserError
from salesplanner.jobs import JobToken
from salesplanner.storage.stored_values import MAX_TEXT

if TYPE_CHECKING:
    import numpy as np

    from salesplanner.storage.plan_file import PlanFile

TEXT, CODE, INT, NUMBER, MONEY, DATE, DATETIME, BOOL, PERCENT = (
    "text", "code", "int", "number", "money", "date", "datetime", "bool", "percent")
NUMERIC_KINDS = {INT, NUMBER, MONEY, PERCENT}


@dataclass(frozen=True)
class Column:
    """One column of a browsable table."""

    key: str
    header: str
    sql: str
    kind: str = TEXT
    #: The field an edit of this column changes (see :mod:`salesplanner.edits`).
    edit_field: str | None = None
    width_chars: int = 12


@dataclass(frozen=True)
class TableSpec:
    """A browsable table: where its rows come from and its columns."""

    kind: str
    title: str
    from_sql: str
    key_sql: str
    columns: tuple[Column, ...]
    #: The record kind edits go to, or None for a read-only table.
    entity: str | None = None
    #: The main table alone (e.g. ``sale s``), used when a query needs no
    #: joined column: counting or ordering a million rows without the LEFT
    #: JOINs is several times faster. Only for joins that never add or drop
    #: rows (LEFT JOINs on primary keys).
    base_sql: str | None = None

    def from_for(self, columns: list[Column]) -> str:
        """The FROM clause a query over ``columns`` needs."""
        if self.base_sql is None:
            return self.from_sql
        alias = self.key_sql.split(".")[0] + "."
        if all(c.sql.startswith(alias) and "(" not in c.sql for c in columns):
            return self.base_sql
        return self.from_sql

    def column(self, key: str) -> Column:
        """The column called ``key``."""
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


_SALES = TableSpec(
    "sales", "Sales",
    "sale s LEFT JOIN agent a ON a.id = s.agent_id LEFT JOIN team t ON t.id = a.team_id "
    "LEFT JOIN product p ON p.id = s.product_id",
    "s.id",
    (
        Column("ts", "Date and time", "s.ts", DATETIME, width_chars=17),
        Column("sale_ref", "Reference", "s.sale_ref", CODE, width_chars=13),
        Column("agent", "Agent", "a.code", CODE, width_chars=7),
        Column("agent_name", "Agent name", "a.name", TEXT, width_chars=16),
        Column("team", "Team", "t.name", TEXT, width_chars=16),
        Column("sku", "SKU", "p.sku", CODE, width_chars=9),
        Column("product", "Product", "p.name", TEXT, width_chars=20),
        Column("category", "Category", "p.category", TEXT),
        Column("quantity", "Qty", "s.quantity", INT, width_chars=5),
        Column("revenue", "Revenue", "s.revenue_minor", MONEY, width_chars=10),
        Column("line_type", "Line", "s.line_type", TEXT, width_chars=9),
        Column("channel", "Channel", "s.channel", TEXT),
        Column("outcome", "Status", "s.outcome", TEXT, width_chars=10),
        Column("segment", "Segment", "s.segment", TEXT, width_chars=15),
        Column("campaign", "Campaign", "s.campaign", TEXT, width_chars=15),
        Column("customer", "Customer", "s.customer_ref", CODE, width_chars=10),
    ),
    base_sql="sale s",
)

_CALLS = TableSpec(
    "calls", "Calls",
    "call c LEFT JOIN agent a ON a.id = c.agent_id LEFT JOIN team t ON t.id = a.team_id",
    "c.id",
    (
        Column("ts", "Date and time", "c.ts", DATETIME, width_chars=17),
        Column("call_ref", "Call", "c.call_ref", CODE, width_chars=12),
        Column("agent", "Agent", "a.code", CODE, width_chars=7),
        Column("agent_name", "Agent name", "a.name", TEXT, width_chars=16),
        Column("team", "Team", "t.name", TEXT, width_chars=16),
        Column("direction", "Direction", "c.direction", TEXT, width_chars=9),
        Column("duration", "Handle time (s)", "c.duration_s", INT, width_chars=8),
        Column("outcome", "Outcome", "c.outcome", TEXT, width_chars=16),
        Column("queue", "Queue", "c.queue", TEXT, width_chars=10),
        Column("campaign", "Campaign", "c.campaign", TEXT, width_chars=15),
        Column("customer", "Customer", "c.customer_ref", CODE, width_chars=10),
    ),
    base_sql="call c",
)

_AGENTS = TableSpec(
    "agents", "Agents",
    "agent a LEFT JOIN team t ON t.id = a.team_id",
    "a.id",
    (
        Column("code", "Agent", "a.code", CODE, width_chars=7),
        Column("name", "Name", "a.name", TEXT, "name", 18),
        Column("team", "Team", "t.name", TEXT, "team", 18),
        Column("start_date", "Start date", "a.start_date", DATE, "start_date", 10),
        Column("leave_date", "Leave date", "a.leave_date", DATE, "leave_date", 10),
        Column("weekly_hours", "Hours/week", "a.weekly_hours", NUMBER, "weekly_hours", 8),
        Column("active", "Active", "a.active", BOOL, "active", 6),
    ),
    base_sql="agent a",
    entity="agent",
)

_TEAMS = TableSpec(
    "teams", "Teams",
    "team t",
    "t.id",
    (
        Column("code", "Team", "t.code", CODE, width_chars=8),
        Column("name", "Name", "t.name", TEXT, "name", 20),
        Column("leader", "Team leader", "t.leader", TEXT, "leader", 18),
        Column("queue", "Queue", "t.queue", TEXT, "queue", 12),
        Column("agents", "Agents", "(SELECT count(*) FROM agent x WHERE x.team_id = t.id)", INT,
               width_chars=6),
    ),
    base_sql="team t",
    entity="team",
)

_PRODUCTS = TableSpec(
    "products", "Products",
    "product p",
    "p.id",
    (
        Column("sku", "SKU", "p.sku", CODE, width_chars=9),
        Column("name", "Name", "p.name", TEXT, "name", 24),
        Column("category", "Category", "p.category", TEXT, "category", 12),
        Column("price", "Unit price", "p.unit_price_minor", MONEY, "price", 10),
        Column("margin", "Margin", "p.margin_rate", PERCENT, "margin", 7),
        Column("active", "Active", "p.active", BOOL, "active", 6),
    ),
    base_sql="product p",
    entity="product",
)

_SKILLS = TableSpec(
    "skills", "Skill ratings",
    "skill_rating r JOIN agent a ON a.id = r.agent_id JOIN skill k ON k.id = r.skill_id "
    "LEFT JOIN team t ON t.id = a.team_id",
    "r.rowid",
    (
        Column("agent", "Agent", "a.code", CODE, width_chars=7),
        Column("agent_name", "Agent name", "a.name", TEXT, width_chars=18),
        Column("team", "Team", "t.name", TEXT, width_chars=18),
        Column("skill", "Skill", "k.name", TEXT, width_chars=24),
        Column("rating", "Rating (1-5)", "r.rating", INT, "rating", 6),
        Column("rated_on", "Rated on", "r.rated_on", DATE, width_chars=10),
    ),
    entity="skill_rating",
)

#: Every browsable table, in the order the browser shows its tabs.
TABLES: dict[str, TableSpec] = {t.kind: t for t in (_SALES, _CALLS, _AGENTS, _TEAMS, _PRODUCTS,
                                                   _SKILLS)}


@dataclass(frozen=True)
class Query:
    """What the user asked to see: a search text, column filters, a sort."""

    text: str = ""
    column_filters: tuple[tuple[str, str], ...] = ()
    sort_key: str | None = None
    descending: bool = False

    def with_filter(self, key: str, value: str) -> Query:
        """A copy with column ``key``'s filter set (empty clears it)."""
        filters = {k: v for k, v in self.column_filters if k != key}
        if value.strip():
            filters[key] = value
        return Query(self.text, tuple(sorted(filters.items())), self.sort_key, self.descending)


@dataclass
class Condition:
    """An SQL condition with its parameters."""

    sql: str
    params: list = field(default_factory=list)


# -- filters ----------------------------------------------------------------------

_RANGE = re.compile(r"^\s*(.+?)\s*\.\.\s*(.+?)\s*$")
_COMPARE = re.compile(r"^\s*(>=|<=|<>|!=|>|<|=)\s*(.+?)\s*$")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def parse_number(text: str, kind: str, minor_per_major: int = 100) -> float:
    """A number typed in a filter or a cell: ``1,234.50``, ``£12``, ``15%``.

    Money comes back in minor units (``minor_per_major`` to the pound, dollar
    or yen: 100, 1 for yen); percentages as fractions.
    """
    cleaned = re.sub(r"[£$€\s,]", "", text)
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    try:
        value = float(cleaned)
    except ValueError:
        raise UserError(f"{text!r} is not a number") from None
    if negative:
        value = -value
    if kind == MONEY:
        return round(value * minor_per_major)
    if kind == PERCENT and (percent or value > 1):
        return value / 100
    return value


def parse_date(text: str) -> date:
    """A date typed by a person: ISO ``2026-03-31`` or UK ``31/03/2026``."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UserError(f"{text!r} is not a date; write it as 31/03/2026 or 2026-03-31")


def _value(text: str, column: Column, minor_per_major: int) -> object:
    if column.kind in NUMERIC_KINDS:
        return parse_number(text, column.kind, minor_per_major)
    if column.kind in (DATE, DATETIME):
        return parse_date(text).isoformat()
    return text


def column_condition(column: Column, text: str, minor_per_major: int = 100) -> Condition:
    """The SQL condition for a filter typed in ``column``'s filter box.

    Text and codes: contains (``=X`` for exactly X). Numbers, money and
    dates: ``>100``, ``<=50``, ``=7``, ``10..20``, or a bare value for
    "equals" (a date prefix such as ``2026-03`` matches the month).
    Raises :class:`UserError` naming the column for a filter it cannot read.
    """
    text = text.strip()
    try:
        if column.kind == BOOL:
            truth = text.lower()
            if truth not in ("yes", "no", "y", "n", "true", "false", "1", "0"):
                raise UserError(f"{text!r} is not yes or no")
            return Condition(f"{column.sql} = ?", [1 if truth in ("yes", "y", "true", "1") else 0])
        if column.kind in (TEXT, CODE):
            if text.startswith("="):
                return Condition(f"{column.sql} = ? COLLATE NOCASE", [text[1:].strip()])
            return Condition(f"{column.sql} LIKE ? ESCAPE '\\'", [_like(text)])
        upper = column.sql if column.kind != DATETIME else f"substr({column.sql}, 1, 10)"
        if (m := _RANGE.match(text)):
            return Condition(f"{upper} BETWEEN ? AND ?",
                             [_value(m.group(1), column, minor_per_major),
                              _value(m.group(2), column, minor_per_major)])
        if (m := _COMPARE.match(text)):
            op = "<>" if m.group(1) == "!=" else m.group(1)
            return Condition(f"{upper} {op} ?", [_value(m.group(2), column, minor_per_major)])
        if column.kind in (DATE, DATETIME) and re.fullmatch(r"\d{4}(-\d{2})?", text):
            return Condition(f"{column.sql} LIKE ?", [text + "%"])
        return Condition(f"{upper} = ?", [_value(text, column, minor_per_major)])
    except UserError as exc:
        raise UserError(f"filter on {column.header}: {exc}") from None


def where_clause(spec: TableSpec, query: Query, minor_per_major: int = 100) -> Condition:
    """All of a query's filters joined with AND (``1`` when there are none).

    Money typed in a filter is in the plan's currency: ``minor_per_major``
    stored units to one (100 for pounds, 1 for yen).
    """
    parts: list[Condition] = []
    if query.text.strip():
        searchable = [c for c in spec.columns if c.kind in (TEXT, CODE)]
        like = _like(query.text.strip())
        parts.append(Condition(
            "(" + " OR ".join(f"{c.sql} LIKE ? ESCAPE '\\'" for c in searchable) + ")",
            [like] * len(searchable)))
    for key, text in query.column_filters:
        parts.append(column_condition(spec.column(key), text, minor_per_major))
    if not parts:
        return Condition("1")
    return Condition(" AND ".join(p.sql for p in parts), [v for p in parts for v in p.params])


# -- queries -------------------------------------------------------------------------

def _columns_used(spec: TableSpec, query: Query) -> list[Column]:
    used = [spec.column(key) for key, _text in query.column_filters]
    if query.text.strip():
        used += [c for c in spec.columns if c.kind in (TEXT, CODE)]
    if query.sort_key:
        used.append(spec.column(query.sort_key))
    return used


def count_rows(conn: sqlite3.Connection, spec: TableSpec, query: Query | None = None,
               minor_per_major: int = 100) -> int:
    """How many rows match ``query`` (all rows when None)."""
    query = query or Query()
    where = where_clause(spec, query, minor_per_major)
    source = spec.from_for(_columns_used(spec, query))
    return conn.execute(
        f"SELECT count(*) FROM {source} WHERE {where.sql}", tuple(where.params)).fetchone()[0]


def ordered_ids(conn: sqlite3.Connection, spec: TableSpec, query: Query,
                token: JobToken | None = None, minor_per_major: int = 100) -> np.ndarray:
    """The keys of every row matching ``query``, in its order (a numpy array).

    Codes sort naturally (AG2 before AG10), text ignoring case; ties keep the
    table's own order. A cancel through ``token`` stops the query.
    """
    from salesplanner.row_order import NATURAL, NOCASE, VALUE, ordered_keys  # numpy loads here

    where = where_clause(spec, query, minor_per_major)
    source = f"FROM {spec.from_for(_columns_used(spec, query))} WHERE {where.sql}"
    if not query.sort_key:
        return ordered_keys(conn, spec.key_sql, source, where.params, token=token)
    column = spec.column(query.sort_key)
    order = {CODE: NATURAL, TEXT: NOCASE}.get(column.kind, VALUE)
    return ordered_keys(conn, spec.key_sql, source, where.params, column.sql, order,
                        query.descending, token)


#: The longest the window waits for a page of rows before it stops the read.
PAGE_DEADLINE_S = 5.0


def fetch_rows(conn: sqlite3.Connection, spec: TableSpec, ids: Sequence[int]) -> list[tuple]:
    """The rows with keys ``ids``, in that order: ``(key, value, value ...)``.

    Values are raw (money in minor units, dates as ISO text); texts are cut
    at :data:`~salesplanner.storage.stored_values.MAX_TEXT` characters, so a
    page never pulls megabytes of one planted text into the window.
    """
    if len(ids) == 0:
        return []
    wanted = [int(i) for i in ids]
    columns = ", ".join(
        f"CASE WHEN typeof({c.sql}) = 'text' THEN substr({c.sql}, 1, {MAX_TEXT}) ELSE {c.sql} END"
        if c.kind in (TEXT, CODE) else c.sql for c in spec.columns)
    found: dict[int, tuple] = {}
    for start in range(0, len(wanted), 500):  # SQLite's parameter limit
        part = wanted[start:start + 500]
        rows = conn.execute(
            f"SELECT {spec.key_sql}, {columns} FROM {spec.from_sql} "
            f"WHERE {spec.key_sql} IN ({', '.join('?' * len(part))})", tuple(part)).fetchall()
        found.update((r[0], tuple(r)) for r in rows)
    return [found[i] for i in wanted if i in found]


class TableBrowser:
    """The data browser's service for one table of one plan.

    Each call opens its own connection from the plan's pool, so the keys of
    a big sort can be computed in a worker thread while the interface thread
    keeps fetching pages.
    """

    def __init__(self, plan: PlanFile, spec: TableSpec) -> None:
        self.plan = plan
        self.spec = spec

    def minor_per_major(self) -> int:
        """Stored money units to one of the plan's currency (100; 1 for yen)."""
        from salesplanner.daily_figures import money_scale

        return money_scale(self.plan)

    def total(self) -> int:
        """Rows in the table, unfiltered."""
        with self.plan.connect() as conn:
            return count_rows(conn, self.spec)

    def first_ids(self, limit: int) -> list[int]:
        """The first ``limit`` keys in the table's own order (instant)."""
        with self.plan.connect() as conn:
            rows = conn.execute(
                f"SELECT {self.spec.key_sql} FROM {self.spec.from_for([])} "
                f"ORDER BY {self.spec.key_sql} LIMIT ?", (limit,)).fetchall()
        return [r[0] for r in rows]

    def ordered_ids(self, query: Query, token: JobToken | None = None) -> np.ndarray:
        """Keys of every row matching ``query``, in its order (a numpy array)."""
        scale = self.minor_per_major()
        with self.plan.connect() as conn:
            return ordered_ids(conn, self.spec, query, token, scale)

    def rows(self, ids: Sequence[int]) -> list[tuple]:
        """The rows for ``ids``, in order (a page the window waits for: at most
        :data:`PAGE_DEADLINE_S`, then :class:`~salesplanner.errors.PlanTooSlow`)."""
        with self.plan.connect(deadline=PAGE_DEADLINE_S, doing="reading a page of rows") as conn:
            return fetch_rows(conn, self.spec, ids)

    def choices(self, column_key: str) -> list[str]:
        """Distinct values of a column, for an editor's list (teams ...)."""
        column = self.spec.column(column_key)
        if column.key == "team":
            sql = "SELECT name FROM team ORDER BY name COLLATE NOCASE"
        else:
            sql = (f"SELECT DISTINCT {column.sql} FROM {self.spec.from_sql} "
                   f"WHERE {column.sql} IS NOT NULL ORDER BY 1 LIMIT 500")
        with self.plan.connect() as conn:
            return [r[0] for r in conn.execute(sql).fetchall()]
