"""``salesplanner check``: is this plan file sound?

Each check returns a :class:`CheckResult`; the plan passes only when all do.
The checks go from the file up: SQLite's own integrity check, foreign keys,
the schema against what this program expects, then the plan's own rules
(one plan row, a valid quarter and currency, derived columns that agree with
their timestamps, daily totals that agree with the rows they sum).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from salesplanner.currency import CURRENCIES
from salesplanner.errors import UserError
from salesplanner.periods import Quarter
from salesplanner.storage import stored_values
from salesplanner.storage.expected_schema import differences
from salesplanner.storage.hardening import defensive_available
from salesplanner.storage.plan_file import APPLICATION_ID, SCHEMA_VERSION, PlanFile
from salesplanner.storage.stored_values import quote

#: Problems listed per check before "... and N more" (the schema's are all listed).
MAX_DETAILS = 10


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, whether it passed, and what was wrong."""

    name: str
    ok: bool
    problems: tuple[str, ...] = ()


def _result(name: str, problems: list[str], limit: int | None = MAX_DETAILS) -> CheckResult:
    if limit is not None and len(problems) > limit:
        problems = problems[:limit] + [f"... and {len(problems) - limit} more"]
    return CheckResult(name, not problems, tuple(problems))


def _one(conn: sqlite3.Connection, sql: str) -> object:
    return conn.execute(sql).fetchone()[0]


def _sqlite_integrity(conn: sqlite3.Connection) -> CheckResult:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    return _result("SQLite integrity", [] if rows == ["ok"] else rows)


def _foreign_keys(conn: sqlite3.Connection) -> CheckResult:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    return _result("references between records", [
        f"{table} row {rowid} points at a missing {parent} record" for table, rowid, parent, _ in rows])


def _identity(conn: sqlite3.Connection) -> CheckResult:
    problems = []
    app = _one(conn, "PRAGMA application_id")
    version = _one(conn, "PRAGMA user_version")
    if app != APPLICATION_ID:
        problems.append(f"application id is {app:#x}, expected {APPLICATION_ID:#x}")
    if version != SCHEMA_VERSION:
        problems.append(f"format version is {version}, expected {SCHEMA_VERSION}")
    return _result("file identity and version", problems)


def _schema(conn: sqlite3.Connection) -> CheckResult:
    """Every table, index, trigger and view against what the program writes."""
    return _result("schema against what Sales Planner writes", differences(conn, SCHEMA_VERSION),
                   limit=None)


def _stored_values(conn: sqlite3.Connection) -> CheckResult:
    """Every value of every table of the kind and length its column declares."""
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
        "ORDER BY name")]
    return _result("values of their columns' kinds",
                   stored_values.problems(conn, tables, declared_lengths=True), limit=None)


def _plan_row(conn: sqlite3.Connection) -> CheckResult:
    rows = conn.execute("SELECT quarter, quarter_start, quarter_end, currency FROM plan").fetchall()
    if len(rows) != 1:
        return _result("plan record", [f"expected one plan record, found {len(rows)}"])
    quarter, start, end, cur = rows[0]
    problems = []
    try:
        q = Quarter.parse(str(quarter))
        if (start, end) != (q.start.isoformat(), q.end.isoformat()):
            problems.append(f"quarter {quarter} does not match its dates {start} to {end}")
    except UserError as exc:
        problems.append(str(exc))
    if cur not in CURRENCIES:
        problems.append(f"currency {str(cur)[:20]!r} is not supported")
    return _result("plan record", problems)


def _derived_keys(conn: sqlite3.Connection) -> CheckResult:
    """Weekday and hour columns must agree with the timestamps they came from."""
    problems = []
    for table, column in (("call", "ts"), ("sale", "ts"), ("interval_stat", "interval_start")):
        t, c = quote(table), quote(column)
        bad = _one(conn, (
            f"SELECT count(*) FROM {t} WHERE hour <> CAST(strftime('%H', {c}) AS INTEGER) "
            f"OR weekday <> ((CAST(strftime('%w', {c}) AS INTEGER) + 6) % 7) + 1 "
            f"OR {c} IS NULL OR strftime('%Y', {c}) IS NULL"))
        if bad:
            problems.append(f"{bad:,} {table} rows have a weekday or hour that does not "
                            "match their time")
    return _result("derived time keys", problems)


def _daily_totals(conn: sqlite3.Connection) -> CheckResult:
    """The daily totals table must sum to exactly what the fact tables hold."""
    from salesplanner.daily_figures import table_totals

    calls_facts = _one(conn, "SELECT count(*) FROM call")
    revenue_facts = _one(
        conn, "SELECT coalesce(sum(revenue_minor), 0) FROM sale WHERE outcome <> 'cancelled'")
    calls_daily, revenue_daily = table_totals(conn)
    problems = []
    if calls_facts != calls_daily:
        problems.append(f"daily totals count {calls_daily:,} calls, the call table {calls_facts:,}")
    if revenue_facts != revenue_daily:
        problems.append("daily revenue totals do not match the sale table")
    return _result("daily totals", problems)


def _defences(_conn: sqlite3.Connection) -> CheckResult:
    """Whether this machine's SQLite runs plans in defensive mode (see hardening)."""
    if defensive_available():
        return _result("defensive reading", [])
    return CheckResult("defensive reading", True, (
        "note: this Python cannot turn on SQLite's defensive mode; plans are still read "
        "with trusted_schema off and their schema checked",))


#: Checks that read only SQLite's own structures and the schema: safe on any file.
FILE_CHECKS = (_identity, _sqlite_integrity, _schema)
#: Checks that read the plan's rows: run only when the schema is the program's.
DATA_CHECKS = (_foreign_keys, _stored_values, _plan_row, _derived_keys, _daily_totals)


def check_plan(plan: PlanFile) -> list[CheckResult]:
    """Run every check in one read transaction.

    A plan whose schema differs from the program's (opened with
    ``PlanFile.open(..., inspect=True)``) gets the file checks only: the
    data checks would query tables that may be views or planted objects, and
    say they were skipped.
    """
    with plan.connect() as conn:
        results = [_run(check, conn) for check in FILE_CHECKS]
        if plan.schema_problems:
            results += [CheckResult(
                "data checks", False,
                ("skipped: the schema is not the program's, so its tables were not read",))]
        else:
            results += [_run(check, conn) for check in DATA_CHECKS]
        results.append(_defences(conn))
    return results


def _run(check: Callable[[sqlite3.Connection], CheckResult], conn: sqlite3.Connection) -> CheckResult:
    """One check; a page too damaged for SQLite to read fails it instead of stopping all."""
    try:
        return check(conn)
    except sqlite3.DatabaseError as exc:
        if "interrupted" in str(exc):
            raise
        return CheckResult(_NAMES.get(check.__name__, check.__name__.strip("_")), False,
                           (f"SQLite could not read the file here: {exc}",))


#: Each check's name, for the result of one that SQLite could not finish.
_NAMES = {
    "_identity": "file identity and version", "_sqlite_integrity": "SQLite integrity",
    "_schema": "schema against what Sales Planner writes",
    "_foreign_keys": "references between records",
    "_stored_values": "values of their columns' kinds", "_plan_row": "plan record",
    "_derived_keys": "derived time keys", "_daily_totals": "daily totals",
}
