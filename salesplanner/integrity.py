"""``salesplanner check``: is this plan file sound?

Each check returns a :class:`CheckResult`; the plan passes only when all do.
The checks go from the file up: SQLite's own integrity check, foreign keys,
the schema against what this program expects, then the plan's own rules
(one plan row, a valid quarter and currency, derived columns that agree with
their timestamps, daily totals that agree with the rows they sum). The checks
that read SQLite's own structures are in :mod:`salesplanner.storage.file_checks`;
this module holds the plan's rules and runs them all in order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from salesplanner.currency import CURRENCIES
from salesplanner.errors import UserError
from salesplanner.periods import Quarter
from salesplanner.storage import file_checks
from salesplanner.storage.file_checks import CheckResult, one, result
from salesplanner.storage.plan_file import PlanFile

__all__ = ["CheckResult", "check_plan"]















def _plan_row(conn: sqlite3.Connection) -> CheckResult:
    rows = conn.execute("SELECT quarter, quarter_start, quarter_end, currency FROM plan").fetchall()
    if len(rows) != 1:
        return result("plan record", [f"expected one plan record, found {len(rows)}"])
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
    return result("plan record", problems)




def _daily_totals(conn: sqlite3.Connection) -> CheckResult:
    """The daily totals table must sum to exactly what the fact tables hold."""
    from salesplanner.daily_figures import table_totals

    calls_facts = one(conn, "SELECT count(*) FROM call")
    revenue_facts = one(
        conn, "SELECT coalesce(sum(revenue_minor), 0) FROM sale WHERE outcome <> 'cancelled'")
    calls_daily, revenue_daily = table_totals(conn)
    problems = []
    if calls_facts != calls_daily:
        problems.append(f"daily totals count {calls_daily:,} calls, the call table {calls_facts:,}")
    if revenue_facts != revenue_daily:
        problems.append("daily revenue totals do not match the sale table")
    return result("daily totals", problems)




#: Checks that read the plan's rows: run only when the schema is the program's.
DATA_CHECKS = (file_checks.foreign_keys, file_checks.stored_value_kinds, _plan_row,
               file_checks.derived_keys, _daily_totals)


def check_plan(plan: PlanFile) -> list[CheckResult]:
    """Run every check in one read transaction.

    A plan whose schema differs from the program's (opened with
    ``PlanFile.open(..., inspect=True)``) gets the file checks only: the
    data checks would query tables that may be views or planted objects, and
    say they were skipped.
    """
    with plan.connect() as conn:
        results = [_run(check, conn) for check in file_checks.FILE_CHECKS]
        if plan.schema_problems:
            results += [CheckResult(
                "data checks", False,
                ("skipped: the schema is not the program's, so its tables were not read",))]
        else:
            results += [_run(check, conn) for check in DATA_CHECKS]
        results.append(file_checks.defences(conn))
    return results


def _run(check: Callable[[sqlite3.Connection], CheckResult],
         conn: sqlite3.Connection) -> CheckResult:
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
    "identity": "file identity and version", "sqlite_integrity": "SQLite integrity",
    "schema": "schema against what Sales Planner writes",
    "foreign_keys": "references between records",
    "stored_value_kinds": "values of their columns' kinds", "_plan_row": "plan record",
    "derived_keys": "derived time keys", "_daily_totals": "daily totals",
}
