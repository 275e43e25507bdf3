"""Upgrading plan files written by earlier versions of Sales Planner.

Each released schema version N that is older than the current one has a step
in :data:`STEPS` that turns a version-N file into version N+1. Upgrading runs
every step from the file's version up, **in one exclusive transaction**
(``BEGIN IMMEDIATE`` on a connection whose driver-level transaction handling
is off, so SQLite's transactional DDL rolls a failed step back whole; Python's
default handling would commit a half-migrated file), and sets
``PRAGMA user_version`` inside the same transaction. Before anything runs, a
consistent copy of the original is written beside it through SQLite's backup
API, named ``<plan>.v<N>-backup``.

Steps use plain SQL: ``ALTER TABLE ... ADD COLUMN`` where SQLite allows it,
otherwise create-copy-drop-rename ("move and copy"). A step never imports the
current ORM models, which describe the newest schema, not the one it upgrades.

Version history:

- 1: the first released format (Sales Planner 0.1).
- 2: ``plan.uid``, a random id given when a plan is created, kept in the row
  every write stamps, so a journal or log left beside a plan shows whose it
  is (see :mod:`.recovery`). Upgraded plans get a new one.
- 3: unknown is not zero: ``product.unit_price_minor`` (a blank price in a
  products export), ``interval_stat.handled`` and ``interval_stat.aht_s``
  (an arrivals feed gives only offered calls) may be NULL.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from salesplanner.errors import MigrationFailed
from salesplanner.storage.hardening import harden
from salesplanner.storage.snapshot import save_copy

#: ``STEPS[n]`` upgrades a version-n file to version n+1.
MigrationStep = Callable[[sqlite3.Connection], None]


def _recreate(conn: sqlite3.Connection, table: str, version: int, select: str,
              params: tuple = ()) -> None:
    """Move and copy: ``table`` recreated with format ``version``'s own ``CREATE``.

    The old rows are kept in a temporary table, the table is dropped and
    created again from the snapshot's text (so the file's schema is exactly
    that format's), and ``select`` (over ``temp.old``) fills it.
    """
    from salesplanner.storage.expected_schema import statements

    conn.execute(f"CREATE TEMP TABLE old AS SELECT * FROM main.{table}")
    conn.execute(f"DROP TABLE main.{table}")
    for wanted in ("table", "index"):  # the snapshot lists indexes before their table
        for kind, _name, owner, sql in statements(version):
            if owner == table and sql and kind == wanted:
                conn.execute(sql)
    conn.execute(f"INSERT INTO main.{table} {select}", params)
    conn.execute("DROP TABLE temp.old")


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    columns = ("id, name, quarter, quarter_start, quarter_end, currency, status, description, "
               "owner, created_at, modified_at, created_by_version")
    _recreate(conn, "plan", 2, f"({columns}, uid) SELECT {columns}, ? FROM temp.old",
              (uuid.uuid4().hex,))


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    for table in ("product", "interval_stat"):
        columns = ", ".join(f'"{row[1]}"' for row in
                            conn.execute(f"PRAGMA main.table_info({table})"))
        _recreate(conn, table, 3, f"({columns}) SELECT {columns} FROM temp.old")


STEPS: dict[int, MigrationStep] = {1: _v1_to_v2, 2: _v2_to_v3}


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a version-``version`` plan is kept before upgrading."""
    return path.with_name(f"{path.name}.v{version}-backup")


def migrate(path: Path, from_version: int, to_version: int,
            steps: dict[int, MigrationStep] | None = None) -> Path:
    """Upgrade the plan at ``path`` in place; return the backup's path.

    On any failure the plan is left exactly as it was (the transaction rolls
    back) and :class:`MigrationFailed` says which step failed.
    """
    steps = STEPS if steps is None else steps
    missing = [v for v in range(from_version, to_version) if v not in steps]
    if missing:
        raise MigrationFailed(
            path, f"no upgrade from plan file format {missing[0]}; this file cannot be opened")
    backup = backup_path(path, from_version)
    save_copy(path, backup)
    conn = harden(sqlite3.connect(path, isolation_level=None))
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # move-and-copy steps need it off
        conn.execute("BEGIN IMMEDIATE")
        try:
            for version in range(from_version, to_version):
                try:
                    steps[version](conn)
                except Exception as exc:
                    raise MigrationFailed(
                        path,
                        f"upgrading from format {version} to {version + 1} failed ({exc}); "
                        f"the file is unchanged and a copy is kept as {backup.name}",
                    ) from exc
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise MigrationFailed(
                    path, f"the upgraded file would break {len(problems)} references; "
                    "the file is unchanged")
            conn.execute(f"PRAGMA user_version = {int(to_version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return backup
