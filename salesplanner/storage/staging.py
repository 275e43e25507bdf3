"""Loading a million Arrow rows into a plan table inside the caller's transaction.

The standard ``sqlite3`` driver can only take rows as Python tuples: for a
million sale lines of twenty columns that is twenty million Python objects
made, bound and thrown away, about eight seconds. The ADBC SQLite driver
binds Arrow columns to SQLite in C (about one and a half seconds), but it
opens its own connection and so cannot write into the caller's open
transaction. So the rows go through a staging file:

1. the ADBC driver writes the columns into a table of a new SQLite file in
   the system's temporary folder (no journal, no sync: it is thrown away);
2. the caller's connection attaches that file and copies the rows with one
   ``INSERT ... SELECT`` a slice at a time, in C, inside its own
   transaction, so a failure or a cancel still rolls everything back;
3. the staging file is deleted, whatever happened.

Its folder is named with this process's id (:mod:`.scratch`), so a staging
file left by a killed import is removed at the next start.

The staging file holds the rows as they will be stored (card numbers were
masked when the source was read). Without the ADBC driver (it is a
dependency, but a packaged build might lack it) :func:`available` is false
and callers bind tuples as before.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from salesplanner.storage.scratch import make_folder

#: Rows handed to the ADBC driver at a time, and copied per INSERT ... SELECT:
#: between slices a cancel is noticed and progress reported.
SLICE_ROWS = 200_000
#: Attached staging files stay attached until the caller's transaction ends
#: (SQLite refuses to detach inside one), so each gets a name of its own.
_NAMES = itertools.count(1)


def available() -> bool:
    """Whether the ADBC SQLite driver is installed."""
    try:
        import adbc_driver_sqlite.dbapi  # noqa: F401
    except ImportError:
        return False
    return True


def insert_arrow(conn: sqlite3.Connection, table: str, columns: dict[str, pa.Array],
                 step: Callable[[float], None] | None = None, on_conflict: str = "") -> int:
    """Insert equal-length Arrow ``columns`` into ``table`` on ``conn``; return the count.

    ``conn`` must be inside a transaction (the copy is part of it). ``step``
    is called with the share done (0..1) between slices; it may raise to
    cancel, and then nothing of the load stays. ``on_conflict`` is an
    upsert clause (``ON CONFLICT (...) DO UPDATE SET ...``) for the copy.
    """
    step = step or (lambda _share: None)
    import adbc_driver_sqlite.dbapi as adbc

    names = list(columns)
    rows = pa.table({name: columns[name] for name in names})
    total = rows.num_rows
    folder = make_folder("staging")
    stage = folder / "stage.sqlite"
    schema = f"stage_{next(_NAMES)}"
    try:
        with adbc.connect(str(stage), autocommit=True) as staging:
            with staging.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode = OFF")
                cursor.execute("PRAGMA synchronous = OFF")
                for start in range(0, total, SLICE_ROWS):
                    cursor.adbc_ingest("rows", rows.slice(start, SLICE_ROWS),
                                       mode="append" if start else "create")
                    step(0.6 * min(1.0, (start + SLICE_ROWS) / total))
        conn.execute("ATTACH DATABASE ? AS " + schema, (str(stage),))
        listed = ", ".join(f'"{name}"' for name in names)
        for start in range(0, total, SLICE_ROWS):
            conn.execute(f'INSERT INTO "{table}" ({listed}) SELECT {listed} FROM '
                         f"{schema}.rows WHERE rowid > ? AND rowid <= ? {on_conflict}",
                         (start, start + SLICE_ROWS))
            step(0.6 + 0.4 * min(1.0, (start + SLICE_ROWS) / total))
    finally:
        # The attachment ends with the caller's connection (SQLite refuses
        # to detach inside a transaction). The file can go now on POSIX;
        # where the system keeps an open file (Windows) it goes at exit.
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            atexit.register(shutil.rmtree, folder, True)
    return total
