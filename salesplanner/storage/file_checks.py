"""The checks of a plan that read SQLite's own structures: the storage half of ``check``.

SQLite's integrity check, the file's identity, foreign keys, the schema
against the program's, every stored value against its column's kind, the
time keys derived from timestamps (with SQLite's ``strftime``), and whether
this machine reads plans in defensive mode. They live in ``storage/`` because
each one is SQLite's own (PRAGMA, ``sqlite_master``, ``strftime``); the plan's
rules, which any store would check the same way, are in
:mod:`salesplanner.integrity`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from salesplanner.storage import catalogue, stored_values
from salesplanner.storage.expected_schema import differences
from salesplanner.storage.hardening import defensive_available
from salesplanner.storage.plan_file import APPLICATION_ID, SCHEMA_VERSION
from salesplanner.storage.stored_values import quote

#: Problems listed per check before "... and N more" (the schema's are all listed).
MAX_DETAILS = 10


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, whether it passed, and what was wrong."""

    name: str
    ok: bool
    problems: tuple[str, ...] = ()


def result(name: str, problems: list[str], limit: int | None = MAX_DETAILS) -> CheckResult:
    """A check's result, its problems cut to ``limit`` with "... and N more"."""
    if limit is not None and len(problems) > limit:
        problems = problems[:limit] + [f"... and {len(problems) - limit} more"]
    return CheckResult(name, not problems, tuple(problems))


def one(conn: sqlite3.Connection, sql: str) -> Any:
    """The first column of the first row of ``sql``."""
    return conn.execute(sql).fetchone()[0]


def sqlite_integrity(conn: sqlite3.Connection) -> CheckResult:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    return result("SQLite integrity", [] if rows == ["ok"] else rows)


def foreign_keys(conn: sqlite3.Connection) -> CheckResult:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    return result("references between records", [
        f"{table} row {rowid} points at a missing {parent} record" for table, rowid, parent, _ in rows])


def identity(conn: sqlite3.Connection) -> CheckResult:
    problems = []
    app = one(conn, "PRAGMA application_id")
    version = one(conn, "PRAGMA user_version")
    if app != APPLICATION_ID:
        problems.append(f"application id is {app:#x}, expected {APPLICATION_ID:#x}")
    if version != SCHEMA_VERSION:
        problems.append(f"format version is {version}, expected {SCHEMA_VERSION}")
    return result("file identity and version", problems)


def schema(conn: sqlite3.Connection) -> CheckResult:
    """Every table, index, trigger and view against what the program writes."""
    return result("schema against what Sales Planner writes", differences(conn, SCHEMA_VERSION),
                   limit=None)


def stored_value_kinds(conn: sqlite3.Connection) -> CheckResult:
    """Every value of every table of the kind and length its column declares."""
    tables = catalogue.tables(conn)
    return result("values of their columns' kinds",
                   stored_values.problems(conn, tables, declared_lengths=True), limit=None)


def derived_keys(conn: sqlite3.Connection) -> CheckResult:
    """Weekday and hour columns must agree with the timestamps they came from."""
    problems = []
    for table, column in (("call", "ts"), ("sale", "ts"), ("interval_stat", "interval_start")):
        t, c = quote(table), quote(column)
        bad = one(conn, (
            f"SELECT count(*) FROM {t} WHERE hour <> CAST(strftime('%H', {c}) AS INTEGER) "
            f"OR weekday <> ((CAST(strftime('%w', {c}) AS INTEGER) + 6) % 7) + 1 "
            f"OR {c} IS NULL OR strftime('%Y', {c}) IS NULL"))
        if bad:
            problems.append(f"{bad:,} {table} rows have a weekday or hour that does not "
                            "match their time")
    return result("derived time keys", problems)


def defences(_conn: sqlite3.Connection) -> CheckResult:
    """Whether this machine's SQLite runs plans in defensive mode (see hardening)."""
    if defensive_available():
        return result("defensive reading", [])
    return CheckResult("defensive reading", True, (
        "note: this Python cannot turn on SQLite's defensive mode; plans are still read "
        "with trusted_schema off and their schema checked",))


#: Checks that read only SQLite's own structures and the schema: safe on any file.
FILE_CHECKS = (identity, sqlite_integrity, schema)
