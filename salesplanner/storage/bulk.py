"""Writing many rows at once: a DataFrame into a table, in the caller's transaction.

Plain ``executemany`` of tuples inside one transaction is the fastest path the
standard ``sqlite3`` driver offers (``DataFrame.to_sql`` is several times
slower on a million rows). Values are converted to the plan file's storage
forms first: timestamps to ``YYYY-MM-DD HH:MM:SS``, dates to ``YYYY-MM-DD``,
missing values to NULL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING

from salesplanner.jobs import JobToken, SilentToken, check_cancel
from salesplanner.storage.stored_values import quote

if TYPE_CHECKING:
    import pandas as pd

CHUNK_ROWS = 100_000


def _storage_column(series: pd.Series) -> list:
    """One column as a list of SQLite-ready Python values."""
    import pandas as pd  # imported when frames are written: reading does not pay for it

    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d %H:%M:%S")
        return text.where(series.notna(), None).tolist()
    first = series.dropna().iloc[0] if series.notna().any() else None
    if isinstance(first, datetime):
        return [v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime) else None
                for v in series.tolist()]
    if isinstance(first, date):
        return [v.isoformat() if isinstance(v, date) else None for v in series.tolist()]
    if pd.api.types.is_bool_dtype(series):
        return series.astype(int).tolist()
    if pd.api.types.is_float_dtype(series):
        return [None if v != v else v for v in series.tolist()]  # NaN -> NULL
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        if not series.isna().any():
            return series.tolist()
        return series.astype(object).where(series.notna(), None).tolist()
    values = series.tolist()
    return values


def insert_frame(conn: sqlite3.Connection, table: str, frame: pd.DataFrame,
                 columns: Iterable[str] | None = None,
                 token: JobToken | None = None, label: str = "") -> int:
    """Insert ``frame``'s ``columns`` into ``table``; return the row count.

    Runs in chunks so progress is reported and a cancel is noticed between
    chunks (the caller's transaction then rolls everything back).
    """
    token = token or SilentToken()
    cols = list(columns if columns is not None else frame.columns)
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    total = len(frame)
    for start in range(0, total, CHUNK_ROWS):
        check_cancel(token)
        chunk = frame.iloc[start:start + CHUNK_ROWS]
        data = [_storage_column(chunk[c]) for c in cols]
        conn.executemany(sql, zip(*data))
        token.progress(min(1.0, (start + len(chunk)) / max(total, 1)), label or f"writing {table}")
    return total



@contextmanager
def indexes_deferred(conn: sqlite3.Connection, tables: Iterable[str]) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` for a bulk load, then rebuild them.

    Building an index once over sorted data is several times faster than
    updating it row by row. Runs inside the caller's transaction, so a
    failure restores the indexes with everything else.
    """
    names = list(tables)
    marks = ", ".join("?" * len(names))
    rows = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})", tuple(names)).fetchall()
    for name, _sql in rows:
        conn.execute(f"DROP INDEX {quote(name)}")
    yield
    for _name, sql in rows:
        conn.execute(sql)


#: Rows turned into arrays at a time when reading: small enough that each
#: piece holds the interpreter lock for a few milliseconds only.
READ_CHUNK_ROWS = 20_000


def read_columns(cursor: sqlite3.Cursor, dtypes: list[object]) -> list:
    """A query's result as one NumPy array per column (``dtypes`` in order).

    Read in pieces: building arrays from a few hundred thousand rows in one
    go holds Python's interpreter lock for hundreds of milliseconds, and a
    worker doing that freezes the window (which needs the lock to paint).
    Between pieces other threads get their turn.
    """
    import numpy as np

    parts: list[list] = [[] for _ in dtypes]
    while True:
        rows = cursor.fetchmany(READ_CHUNK_ROWS)
        if not rows:
            break
        for i, column in enumerate(zip(*rows)):
            parts[i].append(np.asarray(column, dtype=dtypes[i]))  # type: ignore[call-overload]  # a dtype
    return [np.concatenate(p) if p else np.zeros(0, dtype=d) for p, d in zip(parts, dtypes)]
