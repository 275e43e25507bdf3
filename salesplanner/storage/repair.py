"""Repairing a refused plan into a clean copy.

A plan whose schema is not the program's (a trigger or view planted in it,
an index or statistics another SQLite tool added, a table recreated with
other types) or whose values are not of their columns' kinds is refused on
opening. Its data may still be the user's own work, so ``salesplanner
repair PLAN COPY`` (and the window, when it refuses such a file) copies what
can be trusted into a new plan:

- a new plan is created with the program's own schema, and the source is
  attached read-only with every defence on (:mod:`.hardening`: triggers and
  views are off, so nothing in it can run);
- for each table the program knows, the rows of the source's *table* of
  that name (never a view) are copied column by column, only where every
  value is of its column's kind and no text is over
  :data:`~.stored_values.MAX_TEXT` characters; a row a constraint refuses is
  skipped too (``INSERT OR IGNORE``), and every skipped row is counted;
- rows whose references point at skipped rows are then removed, until every
  reference holds; daily totals are rebuilt from the copied calls and sales;
- triggers, views, unknown tables and indexes are left behind and named.

The source is never written; the copy is built under a temporary name and
moved into place only when complete (a cancel or failure leaves no copy).
The copy keeps the unique id (``plan.uid``) it was created with: it is a new
file, not the old one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from salesplanner.errors import PlanExists, UserError
from salesplanner.jobs import JobCancelled, JobToken, SilentToken
from salesplanner.storage.expected_schema import differences, expected
from salesplanner.storage.header import read_header
from salesplanner.storage.recovery import recover
from salesplanner.storage.stored_values import MAX_TEXT, allowed_kinds, quote


@dataclass
class RepairReport:
    """What the repair copied, skipped and left behind."""

    source: str
    target: str
    copied: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    orphans: dict[str, int] = field(default_factory=dict)
    left_behind: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as the command line prints it."""
        out = [f"repaired {self.source} into {self.target}"]
        total = sum(self.copied.values())
        out.append(f"copied {total:,} rows from {len(self.copied)} tables")
        out += [f"left out {n:,} {table} rows with values not of their columns' kinds or "
                "against the table's rules" for table, n in sorted(self.skipped.items())]
        out += [f"left out {n:,} {table} rows that referred to rows left out"
                for table, n in sorted(self.orphans.items())]
        out += [f"left behind: {what}" for what in self.left_behind]
        return out


def _table_order() -> list[str]:
    from salesplanner.storage.schema import Base

    return [t.name for t in Base.metadata.sorted_tables]


def _fits(column: str, declared: str, notnull: int) -> str:
    col = quote(column)
    kinds = ", ".join(f"'{k}'" for k in allowed_kinds(declared or "") + (() if notnull else ("null",)))
    return f"(typeof({col}) IN ({kinds}) AND (typeof({col}) <> 'text' OR length({col}) <= {MAX_TEXT}))"


def repair(source: str | os.PathLike[str], target: str | os.PathLike[str], *,
           token: JobToken | None = None, overwrite: bool = False) -> RepairReport:
    """Copy what can be trusted of the plan at ``source`` into a new plan at ``target``."""
    from salesplanner.storage.plan_file import SCHEMA_VERSION

    token = token or SilentToken()
    source, target = Path(source), Path(target)
    header = read_header(source)
    if not 1 <= header.user_version <= SCHEMA_VERSION:
        raise UserError(f"{source}: repair reads plans of format 1 to {SCHEMA_VERSION}; this "
                        f"one is format {header.user_version}")
    if target.exists() and not overwrite:
        raise PlanExists(target, "already exists; choose another name for the repaired copy")
    if target.resolve() == source.resolve():
        raise UserError(f"{target}: the repaired copy must be a new file, not the plan itself")
    # A leftover journal or WAL is dealt with as opening does: on a copy.
    recovered = recover(source, read_only=True, wal_mode=header.wal_mode)
    try:
        return _repair(source, recovered.path, target, token, header.user_version)
    except sqlite3.Error as exc:
        raise UserError(f"{source}: the repair could not read it ({exc}); nothing was "
                        "written") from exc
    finally:
        if recovered.scratch is not None:
            shutil.rmtree(recovered.scratch, ignore_errors=True)


def _repair(source: Path, readable: Path, target: Path, token: JobToken,
            version: int) -> RepairReport:
    from salesplanner.storage.hardening import harden
    from salesplanner.storage.plan_file import SCHEMA_VERSION, PlanFile

    src = harden(sqlite3.connect(f"{readable.resolve().as_uri()}?mode=ro", uri=True))
    try:
        problems = differences(src, version)
        tables_there = {n for (n,) in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        try:
            name, quarter, currency = src.execute(
                "SELECT substr(name, 1, 200), quarter, currency FROM plan WHERE id = 1").fetchone()
        except (sqlite3.Error, TypeError) as exc:
            raise UserError(f"{source}: its plan record cannot be read ({exc}); it cannot be "
                            "repaired") from exc
    finally:
        src.close()

    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.repairing")
    report = RepairReport(str(source), str(target))
    report.left_behind = [p for p in problems if not p.endswith("is missing")]
    try:
        PlanFile.create(tmp, name=str(name or source.stem).strip() or source.stem,
                        quarter=str(quarter), currency=str(currency)).close()
        conn = harden(sqlite3.connect(tmp.resolve().as_uri(), uri=True, isolation_level=None))
        conn.set_progress_handler(lambda: 1 if token.cancelled() else 0, 20_000)
        try:
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("ATTACH DATABASE ? AS src", (f"{readable.resolve().as_uri()}?mode=ro",))
            conn.execute("BEGIN IMMEDIATE")
            order = [t for t in _table_order() if ("table", t) in expected(SCHEMA_VERSION)]
            for i, table in enumerate(order):
                token.progress(i / len(order), f"copying {table}")
                if table not in tables_there:
                    continue
                _copy_table(conn, table, report)
            _drop_orphans(conn, report)
            from salesplanner.daily_stats import rebuild_daily_stats

            token.progress(0.95, "rebuilding daily totals")
            rebuild_daily_stats(conn)
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE src")
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise JobCancelled() from exc
            raise UserError(f"{source}: the repair failed ({exc}); nothing was written") from exc
        finally:
            conn.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)
    token.progress(1.0, "repaired")
    return report


def _copy_table(conn: sqlite3.Connection, table: str, report: RepairReport) -> None:
    mine = conn.execute(f"PRAGMA main.table_info({quote(table)})").fetchall()
    theirs = {r[1] for r in conn.execute(f"PRAGMA src.table_info({quote(table)})")}
    # The copy is a new plan: it keeps the unique id it was created with.
    fresh = {"uid": "main_plan.uid"} if table == "plan" else {}
    columns = [(name, declared, notnull) for _cid, name, declared, notnull, _d, _pk in mine
               if name in theirs and name not in fresh]
    if not columns:
        return
    names = ", ".join(quote(c) for c, _d, _n in columns)
    fits = " AND ".join(_fits(c, d, n) for c, d, n in columns)
    total = conn.execute(f"SELECT count(*) FROM src.{quote(table)}").fetchone()[0]
    if fresh:
        conn.execute("CREATE TEMP TABLE main_plan AS SELECT uid FROM main.plan")
    insert = (f"INSERT OR IGNORE INTO main.{quote(table)} "
              f"({', '.join([names, *map(quote, fresh)])}) "
              f"SELECT {', '.join([names, *fresh.values()])} "
              f"FROM src.{quote(table)}{', temp.main_plan' if fresh else ''} WHERE {fits}")
    if table in ("plan", "skill"):
        # The new plan's own rows give way to the source's, if any of those
        # go in; otherwise the new plan keeps its own (a plan needs its row).
        conn.execute("SAVEPOINT own_rows")
        conn.execute(f"DELETE FROM main.{quote(table)}")
        conn.execute(insert)
        copied = conn.execute(f"SELECT count(*) FROM main.{quote(table)}").fetchone()[0]
        conn.execute("ROLLBACK TO own_rows" if copied == 0 else "RELEASE own_rows")
        if copied == 0:
            conn.execute("RELEASE own_rows")
    else:
        before = conn.execute(f"SELECT count(*) FROM main.{quote(table)}").fetchone()[0]
        conn.execute(insert)
        after = conn.execute(f"SELECT count(*) FROM main.{quote(table)}").fetchone()[0]
        copied = after - before
    if fresh:
        conn.execute("DROP TABLE temp.main_plan")
    skipped = total - copied
    report.copied[table] = copied
    if skipped > 0:
        report.skipped[table] = skipped


def _drop_orphans(conn: sqlite3.Connection, report: RepairReport) -> None:
    """Remove rows whose references point at rows that were not copied."""
    for _round in range(20):
        broken = conn.execute("PRAGMA main.foreign_key_check").fetchall()
        if not broken:
            return
        by_table: dict[str, list[int]] = {}
        for table, rowid, _parent, _fk in broken:
            by_table.setdefault(table, []).append(rowid)
        for table, rowids in by_table.items():
            for start in range(0, len(rowids), 500):
                part = rowids[start:start + 500]
                conn.execute(f"DELETE FROM main.{quote(table)} WHERE rowid IN "
                             f"({', '.join('?' * len(part))})", part)
            report.orphans[table] = report.orphans.get(table, 0) + len(rowids)
    raise UserError("the repaired copy still has broken references after 20 rounds")
