"""``salesplanner check``: is this plan file sound?

Each check returns a :class:`CheckResult`; the plan passes only when all do.
The checks go from the file up: SQLite's own integrity check, foreign keys,
the schema against what this program expects, then the plan's own rules
(one plan row, a valid quarter and currency, derived columns that agree with
their timestamps, daily totals that agree with the rows they sum).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, inspect

from salesplanner.currency import CURRENCIES
from salesplanner.errors import UserError
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import APPLICATION_ID, SCHEMA_VERSION, PlanFile
from salesplanner.storage.schema import Base

#: Problems listed per check before "... and N more".
MAX_DETAILS = 10


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, whether it passed, and what was wrong."""

    name: str
    ok: bool
    problems: tuple[str, ...] = ()


def _result(name: str, problems: list[str]) -> CheckResult:
    if len(problems) > MAX_DETAILS:
        problems = problems[:MAX_DETAILS] + [f"... and {len(problems) - MAX_DETAILS} more"]
    return CheckResult(name, not problems, tuple(problems))


def _sqlite_integrity(conn: Connection) -> CheckResult:
    rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    return _result("SQLite integrity", [] if rows == ["ok"] else rows)


def _foreign_keys(conn: Connection) -> CheckResult:
    rows = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    return _result("references between records", [
        f"{table} row {rowid} points at a missing {parent} record" for table, rowid, parent, _ in rows])


def _identity(conn: Connection) -> CheckResult:
    problems = []
    app = conn.exec_driver_sql("PRAGMA application_id").scalar_one()
    version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
    if app != APPLICATION_ID:
        problems.append(f"application id is {app:#x}, expected {APPLICATION_ID:#x}")
    if version != SCHEMA_VERSION:
        problems.append(f"format version is {version}, expected {SCHEMA_VERSION}")
    return _result("file identity and version", problems)


def _schema(conn: Connection) -> CheckResult:
    insp = inspect(conn)
    problems = []
    present = set(insp.get_table_names())
    for name, table in Base.metadata.tables.items():
        if name not in present:
            problems.append(f"table {name} is missing")
            continue
        columns = {c["name"] for c in insp.get_columns(name)}
        problems += [f"column {name}.{c.name} is missing" for c in table.columns if c.name not in columns]
        indexes = {i["name"] for i in insp.get_indexes(name)}
        problems += [f"index {ix.name} is missing" for ix in table.indexes if ix.name not in indexes]
    return _result("schema", problems)


def _plan_row(conn: Connection) -> CheckResult:
    rows = conn.exec_driver_sql(
        "SELECT quarter, quarter_start, quarter_end, currency FROM plan").fetchall()
    if len(rows) != 1:
        return _result("plan record", [f"expected one plan record, found {len(rows)}"])
    quarter, start, end, cur = rows[0]
    problems = []
    try:
        q = Quarter.parse(quarter)
        if (start, end) != (q.start.isoformat(), q.end.isoformat()):
            problems.append(f"quarter {quarter} does not match its dates {start} to {end}")
    except UserError as exc:
        problems.append(str(exc))
    if cur not in CURRENCIES:
        problems.append(f"currency {cur!r} is not supported")
    return _result("plan record", problems)


def _derived_keys(conn: Connection) -> CheckResult:
    """Weekday and hour columns must agree with the timestamps they came from."""
    problems = []
    for table, column in (("call", "ts"), ("sale", "ts"), ("interval_stat", "interval_start")):
        bad = conn.exec_driver_sql(
            f"SELECT count(*) FROM {table} WHERE hour <> CAST(strftime('%H', {column}) AS INTEGER) "
            f"OR weekday <> ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7) + 1 "
            f"OR {column} IS NULL OR strftime('%Y', {column}) IS NULL").scalar_one()
        if bad:
            problems.append(f"{bad:,} {table} rows have a weekday or hour that does not "
                            "match their time")
    return _result("derived time keys", problems)


def _daily_totals(conn: Connection) -> CheckResult:
    """The daily totals table must sum to exactly what the fact tables hold."""
    calls_facts = conn.exec_driver_sql("SELECT count(*) FROM call").scalar_one()
    revenue_facts = conn.exec_driver_sql(
        "SELECT coalesce(sum(revenue_minor), 0) FROM sale WHERE outcome <> 'cancelled'").scalar_one()
    calls_daily, revenue_daily = conn.exec_driver_sql(
        "SELECT coalesce(sum(calls_inbound + calls_outbound), 0), coalesce(sum(revenue_minor), 0) "
        "FROM daily_agent_stats").one()
    problems = []
    if calls_facts != calls_daily:
        problems.append(f"daily totals count {calls_daily:,} calls, the call table {calls_facts:,}")
    if revenue_facts != revenue_daily:
        problems.append("daily revenue totals do not match the sale table")
    return _result("daily totals", problems)


CHECKS = (_identity, _sqlite_integrity, _foreign_keys, _schema, _plan_row, _derived_keys,
          _daily_totals)


def check_plan(plan: PlanFile) -> list[CheckResult]:
    """Run every check in one read transaction."""
    with plan.engine.connect() as conn, conn.begin():
        return [check(conn) for check in CHECKS]
