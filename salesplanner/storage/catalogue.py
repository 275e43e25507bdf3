"""What tables a plan holds, their columns and the references between them.

These read SQLite's own catalogue (``sqlite_master`` and the ``table_info``
and ``foreign_key_list`` pragmas), so they live here in ``storage/``; code
above storage asks these functions and holds no SQLite-only SQL. On a server
the same questions go to ``information_schema``.

Reading the catalogue runs nothing stored in the plan (see
:mod:`salesplanner.storage.expected_schema`), and is also the cheapest read
that makes SQLite roll back a journal a failed write left behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from salesplanner.storage.stored_values import quote


def tables(conn: sqlite3.Connection) -> list[str]:
    """The plan's own tables, by name (SQLite's internal ``sqlite_*`` ones left out)."""
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table``, in their order."""
    return [row[1] for row in conn.execute(f"PRAGMA table_info({quote(table)})")]


def references_to(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """Every (table, column) whose foreign key points at ``table``, in table order."""
    found = []
    for (child,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for fk in conn.execute(f"PRAGMA foreign_key_list({quote(child)})"):
            if fk[2] == table:
                found.append((child, fk[3]))
    return found


def put_rows(conn: sqlite3.Connection, table: str, names: Sequence[str],
             rows: Iterable[Sequence[object]]) -> None:
    """Insert ``rows``; a row whose key is taken replaces the one there.

    (SQLite's ``INSERT OR REPLACE``; on a server, ``ON CONFLICT`` on the
    table's key.)
    """
    conn.executemany(
        f"INSERT OR REPLACE INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' * len(names))})", rows)


def settle(conn: sqlite3.Connection) -> None:
    """A read that makes SQLite roll back what a failed write left in the journal."""
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
