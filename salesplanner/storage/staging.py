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
file left by a killed import is removed at the next start. A staging file
that cannot be written (a full or missing temporary folder, a driver
failure) is a :class:`StagingFailed` saying where and what to do; the
caller's transaction then rolls back as for any error.

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
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from salesplanner.errors import UserError
from salesplanner.storage.disk import disk_trouble, free_space, megabytes
from salesplanner.storage.scratch import make_folder
from salesplanner.storage.stored_values import quote

#: Rows handed to the ADBC driver at a time, and copied per INSERT ... SELECT:
#: between slices a cancel is noticed and progress reported.
SLICE_ROWS = 200_000
#: Attached staging files stay attached until the caller's transaction ends
#: (SQLite refuses to detach inside one), so each gets a name of its own.
_NAMES = itertools.count(1)


class StagingFailed(UserError):
    """The staging copy of an import could not be written in the temporary folder."""

    def __init__(self, folder: Path, needed: int, why: BaseException) -> None:
        self.folder = folder
        free = free_space(folder)
        # The ADBC driver reports a full disk as a failed ROLLBACK: the space
        # left says what happened.
        full = disk_trouble(why) == "full" or (free is not None and free < (1 << 20))
        if full:
            reason = (f"the temporary folder {folder} is full (the import's working copy "
                      f"needs about {megabytes(needed)}"
                      + (f", {megabytes(free)} is free" if free is not None else "") + ")")
            advice = "free some space there, or set TMPDIR to a folder with room"
        else:
            detail = str(why).splitlines()[0] if str(why) else type(why).__name__
            reason = (f"the import's working copy could not be written in the temporary "
                      f"folder {folder} ({detail})")
            advice = ("check that the folder exists and can be written to, or set TMPDIR to "
                      "one that can")
        super().__init__(f"{reason}; {advice}, and import again; nothing was changed")


def available() -> bool:
    """Whether the ADBC SQLite driver is installed."""
    try:
        import adbc_driver_sqlite.dbapi  # noqa: F401 - imported only to see that it can be
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
    try:
        folder = make_folder("staging")
    except OSError as exc:
        raise StagingFailed(Path(tempfile.gettempdir()), rows.nbytes, exc) from exc
    stage = folder / "stage.sqlite"
    schema = f"stage_{next(_NAMES)}"
    try:
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
        except (adbc.Error, OSError, sqlite3.Error) as exc:
            raise StagingFailed(folder.parent, rows.nbytes, exc) from exc
        listed = ", ".join(quote(name) for name in names)
        for start in range(0, total, SLICE_ROWS):
            conn.execute(f"INSERT INTO {quote(table)} ({listed}) SELECT {listed} FROM "
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
