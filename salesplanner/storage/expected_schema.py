"""The schema a plan file must have, and how a file's differs from it.

A plan file is untrusted input: it can arrive by mail holding a trigger that
deletes sales when a note is added, a view that replaces a table with a slow
recursive query, or a table recreated with other column types. None of those
can come from this program, so opening compares the file's schema with the
one the program writes for that format version **before any other query
runs** and refuses a file that differs (see :func:`differences`).

What the program writes is kept as a snapshot per released format version
(``schema/plan-vN.json``: every row of ``sqlite_master`` of a new plan,
type, name, table and SQL text), and new plans are *built* from the newest
snapshot (:func:`create_schema`), so the text in a file never depends on how
a SQLAlchemy release renders DDL. A test checks that the snapshot and the ORM
models describe the same tables, columns, types and indexes, and the
migration tests that an upgraded file ends with the newest snapshot; so a
migration step recreates a table with its new ``CREATE`` statement (move and
copy, taking the text from the snapshot) rather than leave ``ALTER TABLE``
text behind. After a schema change: bump the format version, write its
snapshot with ``python -m salesplanner.storage.expected_schema`` and add
the migration step.

The comparison covers every table, index, trigger and view: the same
objects, the same SQL (runs of the ASCII spaces SQLite skips between tokens
aside; any other character, a no-break space in a name included, counts),
nothing more. Columns, their
declared types, defaults, keys, foreign keys and checks all live in that
text, so this is also the comparison of columns and types. SQLite's own
``sqlite_stat*`` tables are refused too: the program never runs ``ANALYZE``,
and planted statistics can steer the query planner into pathological plans.
"""

from __future__ import annotations

import json
import re
import sqlite3
from functools import cache
from importlib import resources

#: Differences named in the one-line refusal before "and N more".
SHOWN = 3


#: What SQLite itself reads as space between tokens (sqlite3.c, sqlite3Isspace):
#: nothing else, so a no-break space inside a name is never folded away.
_SQL_SPACE = re.compile(r"[ \t\n\f\r]+")


def _normal(sql: str | None) -> str | None:
    return None if sql is None else _SQL_SPACE.sub(" ", sql).strip(" ")


@cache
def statements(version: int) -> tuple[tuple[str, str, str, str | None], ...]:
    """The snapshot of format ``version``: (type, name, table, SQL) of every object."""
    text = resources.files("salesplanner.storage.schema").joinpath(
        f"plan-v{version}.json").read_text(encoding="utf-8")
    return tuple(tuple(row) for row in json.loads(text))


@cache
def expected(version: int) -> dict[tuple[str, str], tuple[str, str | None]]:
    """``{(type, name): (table, sql)}`` of a new plan of format ``version``."""
    return {(kind, name): (table, _normal(sql)) for kind, name, table, sql in statements(version)}


def create_schema(conn: sqlite3.Connection, version: int) -> None:
    """Create every table and index of format ``version`` exactly as the snapshot has it.

    New plans are built from the snapshot rather than by SQLAlchemy, so the
    text in a file never depends on how a SQLAlchemy release renders DDL: a
    plan of format N always has the schema of format N, byte for byte.
    """
    rows = statements(version)
    for kind in ("table", "index"):
        for row_kind, _name, _table, sql in rows:
            if row_kind == kind and sql:
                conn.execute(sql)


def schema_rows(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    """Every row of the file's ``sqlite_master`` (plain, no query that runs its objects)."""
    return [tuple(r) for r in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")]


def _describe(kind: str, name: str, table: str) -> str:
    shown = name if len(name) <= 60 else name[:57] + "..."
    shown = shown.encode("unicode_escape").decode("ascii")
    if kind in ("trigger", "index") and table != name:
        return f"{kind} {shown!r} on {table[:60]!r}"
    return f"{kind} {shown!r}"


def differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """How the file on ``conn`` differs from a plan of format ``version``, worst first.

    Reading ``sqlite_master`` runs nothing in the file: SQLite parses the
    schema but evaluates no trigger or view until a statement uses it.
    """
    want = expected(version)
    have = {(kind, name): (table, _normal(sql)) for kind, name, table, sql in schema_rows(conn)}
    planted, missing, changed = [], [], []
    for key, (table, sql) in have.items():
        if key not in want:
            kind, name = key
            what = _describe(kind, name, table)
            planted.append(what if kind in ("trigger", "view") else f"unknown {what}")
        elif want[key][1] != sql:
            changed.append(f"{_describe(key[0], key[1], table)} is not defined as Sales Planner "
                           "defines it")
    missing = [f"{_describe(kind, name, table)} is missing"
               for (kind, name), (table, _sql) in want.items() if (kind, name) not in have]
    return sorted(planted) + sorted(changed) + sorted(missing)


def summary(problems: list[str]) -> str:
    """The differences in one line: the first few and how many more."""
    head = "; ".join(problems[:SHOWN])
    more = len(problems) - SHOWN
    return head + (f"; and {more} more" if more > 0 else "")


def schema_of_the_models() -> list[list[str | None]]:
    """``sqlite_master`` of an empty database the ORM models create (SQLAlchemy's DDL).

    What a new format version's snapshot is written from; and what the
    snapshot is compared with, structurally, by the tests.
    """
    from sqlalchemy import create_engine

    from salesplanner.storage.schema import Base

    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            Base.metadata.create_all(conn)
            raw = conn.connection.driver_connection
            return [list(r) for r in schema_rows(raw)]  # type: ignore[arg-type]  # a live connection
    finally:
        engine.dispose()


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    from pathlib import Path

    from salesplanner.storage.plan_format import SCHEMA_VERSION

    target = resources.files("salesplanner.storage.schema").joinpath(
        f"plan-v{SCHEMA_VERSION}.json")
    if Path(str(target)).exists():
        raise SystemExit(f"{target} exists: a released format's snapshot is never rewritten; "
                         "bump SCHEMA_VERSION first")
    rows = schema_of_the_models()
    with open(str(target), "w", encoding="utf-8") as handle:
        handle.write("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]\n")
    print(f"wrote {target}")
