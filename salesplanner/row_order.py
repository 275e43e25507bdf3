"""Ordering a table's rows: the keys of every matching row, sorted.

The data browser asks for this once per sort or filter (in a worker) and
then pages rows by key. SQLite does the sorting; codes (agent codes, SKUs,
references) are ranked in natural order here, so AG2 comes before AG10.
numpy is only needed for this, so it is imported when the first sort runs,
not when the window starts.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

import numpy as np

from salesplanner.browse import CODE, TEXT, Query, TableSpec, _columns_used, where_clause
from salesplanner.jobs import JobToken, SilentToken, check_cancel

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple:
    """Sort key that orders digit runs by value: AG2 < AG10 < AG100."""
    if text is None:
        return ((0, ""),)
    parts = _DIGITS.split(text.casefold())
    return tuple((1, int(p)) if i % 2 else (2, p) for i, p in enumerate(parts) if p != "" or i == 0)


#: Up to this many distinct values, natural ranks come from Python's sort.
_PYTHON_SORT_LIMIT = 20_000
#: Digit runs told apart by the vectorised path; the rest compares as text.
_MAX_RUNS = 4
_DIGITS_TEXT = "0123456789"
_DIGIT_TABLE = str.maketrans(_DIGITS_TEXT, "#" * 10)


def _text_rank(parts: np.ndarray) -> np.ndarray:
    """Integer ranks of text parts, ignoring case (few distinct values: fast)."""
    import pandas as pd  # noqa: PLC0415

    return pd.factorize(np.strings.lower(parts), sort=True)[0]


def _vector_keys(text: np.ndarray) -> list[np.ndarray]:
    """Integer sort keys (most significant first) for a StringDType array.

    Each code is cut into: text, digit run, text, digit run ... up to
    :data:`_MAX_RUNS` runs. Text parts rank ignoring case; digit runs by
    value (as integers up to 17 digits, else by length and then digits).
    """
    S = np.strings
    keys: list[np.ndarray] = []
    rest = text
    for _ in range(_MAX_RUNS):
        pos = S.find(S.translate(rest, _DIGIT_TABLE), "#")
        pos = np.where(pos < 0, S.str_len(rest), pos)
        keys.append(_text_rank(S.slice(rest, 0, pos)))
        tail = S.slice(rest, pos, None)
        after = S.lstrip(tail, _DIGITS_TEXT)
        present = S.str_len(tail) > S.str_len(after)  # a digit run here at all
        run = S.lstrip(S.slice(tail, 0, S.str_len(tail) - S.str_len(after)), "0")
        length = S.str_len(run)
        if length.max(initial=0) <= 17:  # 17 digits and the appended 0 fit int64
            # "0" strips to "": it is the number 0, not a missing run (-1).
            number = S.add(run, "0").astype(np.int64) // 10
            keys.append(np.where(present, number, -1))
        else:
            length = np.where(present, length, -1)
            keys += [length, _text_rank(run)]
        rest = after
        if not np.any(S.str_len(rest)):
            break
    keys.append(_text_rank(rest))
    return keys


def natural_ranks(values: Sequence[str | None]) -> np.ndarray:
    """For each value, its rank in natural order; -1 for an empty value.

    Distinct values are ranked once: a few thousand with :func:`natural_key`
    in Python, more with numpy string operations (a million distinct codes
    in about a second).
    """
    positions: dict[str, int] = {}
    codes = np.fromiter((-1 if v is None else positions.setdefault(v, len(positions))
                         for v in values), dtype=np.int64, count=len(values))
    uniques = list(positions)
    n = len(uniques)
    if n > _PYTHON_SORT_LIMIT:
        keys = _vector_keys(np.array(uniques, dtype=np.dtypes.StringDType()))
        order = np.lexsort(keys[::-1])
    else:
        order = np.array(sorted(range(n), key=lambda i: natural_key(uniques[i])), dtype=np.int64)
    rank = np.empty(n + 1, dtype=np.int64)
    rank[order] = np.arange(n)
    rank[n] = -1  # factorize's -1 for a missing value indexes this slot
    return rank[codes]


def ordered_ids(conn: sqlite3.Connection, spec: TableSpec, query: Query,
                token: JobToken | None = None, chunk: int = 50_000) -> np.ndarray:
    """The keys of every matching row, in the query's order.

    Fetched in chunks so a cancel is noticed and no single step holds the
    interpreter for long (the window stays responsive while this runs in a
    worker). Ties keep the table's own order, so sorting is stable.
    """
    token = token or SilentToken()
    where = where_clause(spec, query)
    sql = f"FROM {spec.from_for(_columns_used(spec, query))} WHERE {where.sql}"
    if query.sort_key and spec.column(query.sort_key).kind == CODE:
        column = spec.column(query.sort_key)
        keys, values = _fetch_pairs(conn, f"SELECT {spec.key_sql}, {column.sql} {sql} "
                                    f"ORDER BY {spec.key_sql}", where.params, token, chunk)
        rank = natural_ranks(values)
        sort_key = np.where(rank < 0, np.iinfo(np.int64).max,  # empty values last
                            -rank if query.descending else rank)
        return keys[np.argsort(sort_key, kind="stable")]
    order = spec.key_sql
    if query.sort_key:
        column = spec.column(query.sort_key)
        direction = " DESC" if query.descending else ""
        expr = f"{column.sql} COLLATE NOCASE" if column.kind == TEXT else column.sql
        # Empty values go last whichever way the column is sorted.
        order = f"({column.sql} IS NULL), {expr}{direction}, {spec.key_sql}"
    keys, _ = _fetch_pairs(conn, f"SELECT {spec.key_sql} {sql} ORDER BY {order}",
                           where.params, token, chunk)
    return keys


_FIELD_SEP = "\x1f"  # ASCII unit separator: never in keys, codes or names
_NULL_MARK = "\x1e"


def _fetch_pairs(conn: sqlite3.Connection, sql: str, params: list, token: JobToken,
                 chunk: int) -> tuple[np.ndarray, list]:
    """Keys (and a second column's values, if selected), in the query's order.

    The whole result comes back from SQLite as one concatenated string built
    in C, during which this thread does not hold the interpreter lock, so the
    interface thread keeps running freely; parsing it is one fast numpy call.
    A cancel is noticed through SQLite's progress handler, which aborts the
    query.
    """
    del chunk
    first_select = sql.index("SELECT ") + len("SELECT ")
    from_at = sql.index(" FROM ")
    selected = [c.strip() for c in _split_top_level(sql[first_select:from_at])]
    outer = f"group_concat(k, '{_FIELD_SEP}')"
    inner = f"{selected[0]} AS k"
    if len(selected) > 1:
        outer += f", group_concat(coalesce(v, '{_NULL_MARK}'), '{_FIELD_SEP}')"
        inner += f", {selected[1]} AS v"
    wrapped = f"SELECT {outer} FROM (SELECT {inner}{sql[from_at:]})"
    conn.set_progress_handler(lambda: 1 if token.cancelled() else 0, 200_000)
    try:
        row = conn.execute(wrapped, tuple(params)).fetchone()
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc).lower():
            check_cancel(token)
        raise
    finally:
        conn.set_progress_handler(None, 0)
    check_cancel(token)
    if row[0] is None:
        return np.empty(0, dtype=np.int64), []
    keys = np.fromstring(row[0], dtype=np.int64, sep=_FIELD_SEP)
    values: list = []
    if len(selected) > 1:
        values = [None if v == _NULL_MARK else v for v in row[1].split(_FIELD_SEP)]
    return keys, values


def _split_top_level(text: str) -> list[str]:
    """Split a select list on commas that are not inside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


