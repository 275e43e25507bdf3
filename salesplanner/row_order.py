"""Ordering a table's rows: the keys of every matching row, sorted.

The data browser (:func:`salesplanner.browse.ordered_ids`) turns a filter and
a sort into SQL and asks for this once per sort or filter (in a worker), then
pages rows by key; this module knows SQL text and keys, not tables. SQLite does
the sorting; codes (agent codes, SKUs, references) are ranked in natural order here, so AG2 comes before AG10.
numpy is only needed for this, so it is imported when the first sort runs,
not when the window starts.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

import numpy as np

from salesplanner.jobs import JobToken, SilentToken, check_cancel

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple:
    """Sort key that orders digit runs by value: AG2 < AG10 < AG100."""
    if text is None:
        return ((0, ""),)
    parts = _DIGITS.split(text.casefold())
    return tuple((1, int(p)) if i % 2 else (2, p) for i, p in enumerate(parts) if p != "" or i == 0)


#: Up to this many rows, natural ranks come from Python's sort of the
#: distinct values; above it, from :func:`_token_keys`.
_PYTHON_SORT_LIMIT = 20_000
#: Digit runs told apart by the vectorised path; the rest compares as text.
_MAX_RUNS = 4
_DIGITS_TEXT = "0123456789"


_HAS_DIGIT = re.compile(r"\d")


def _token_keys(values: Sequence[str | None]) -> list[np.ndarray] | None:
    """Natural-order sort keys for many codes, most significant first.

    Each code is cut into text, digit run, text, digit run ... (up to
    :data:`_MAX_RUNS` runs; the rest compares as text). Text parts become
    ranks ignoring case, digit runs their value; ``np.lexsort`` then orders
    the rows. The work is plain Python comprehensions and loops: being
    bytecode, they hand the interpreter lock back every millisecond, so the
    window stays responsive (numpy's string functions held it for half a
    second at a time). Returns None for a digit run too long for an integer;
    empty values get -1 in the first key.
    """
    n = len(values)
    levels = 2 * _MAX_RUNS + 1
    heads = [None if v is None else v.rstrip(_DIGITS_TEXT) for v in values]
    has_digit = _HAS_DIGIT.search
    if not any(h is not None and has_digit(h) for h in heads):
        # Every code is "text then digits" (CL100000159): two keys.
        runs = [None if v is None else v[len(h):]  # type: ignore[arg-type]  # h is None only where v is
                for v, h in zip(values, heads)]
        if any(r is not None and len(r) > 17 for r in runs):
            return None
        names: dict[str, int] = {}
        first = [-1 if h is None else names.setdefault(h.casefold(), len(names)) for h in heads]
        second = [int(r) if r else -1 for r in runs]
        keys = [_ranked(np.array(first, dtype=np.int64), names),
                np.array(second, dtype=np.int64)]
        return keys + [np.full(n, -1, dtype=np.int64) for _ in range(levels - 2)]
    texts: list[dict[str, int]] = [{} for _ in range(levels)]
    columns = [[-1] * n for _ in range(levels)]
    split = _DIGITS.split
    for i, value in enumerate(values):
        if value is None:
            continue
        for level, part in enumerate(split(value.casefold(), _MAX_RUNS)):
            if level % 2:
                if len(part) > 17:
                    return None
                columns[level][i] = int(part)
            else:
                columns[level][i] = texts[level].setdefault(part, len(texts[level]))
    return [_ranked(np.array(col, dtype=np.int64), texts[level]) if level % 2 == 0
            else np.array(col, dtype=np.int64) for level, col in enumerate(columns)]


def _ranked(ids: np.ndarray, names: dict[str, int]) -> np.ndarray:
    """Replace text ids by their alphabetical rank (-1 stays -1)."""
    ordered = sorted(names)
    rank = np.empty(len(ordered) + 1, dtype=np.int64)
    rank[[names[t] for t in ordered]] = np.arange(len(ordered))
    rank[-1] = -1
    return rank[ids]


def natural_ranks(values: Sequence[str | None]) -> np.ndarray:
    """For each value, its rank in natural order; -1 for an empty value.

    Distinct values are ranked once with :func:`natural_key`. For many
    distinct codes :func:`_token_keys` is faster and stays responsive.
    """
    positions: dict[str, int] = {}
    codes = np.fromiter((-1 if v is None else positions.setdefault(v, len(positions))
                         for v in values), dtype=np.int64, count=len(values))
    uniques = list(positions)
    n = len(uniques)
    order = np.array(sorted(range(n), key=lambda i: natural_key(uniques[i])), dtype=np.int64)
    rank = np.empty(n + 1, dtype=np.int64)
    rank[order] = np.arange(n)
    rank[n] = -1  # factorize's -1 for a missing value indexes this slot
    return rank[codes]


#: How a sort column's values are ordered: codes naturally (AG2 before AG10),
#: text ignoring case, anything else by value.
NATURAL, NOCASE, VALUE = "natural", "nocase", "value"


def ordered_keys(conn: sqlite3.Connection, key_sql: str, source_sql: str, params: Sequence,
                 sort_sql: str | None = None, order: str = VALUE, descending: bool = False,
                 token: JobToken | None = None) -> np.ndarray:
    """The keys (``key_sql``) of every row of ``source_sql`` (``FROM ... WHERE
    ...`` with ``params``), ordered by ``sort_sql`` as ``order`` says (by the
    key alone when None); empty values go last either way.

    SQLite sorts and returns the keys as one string (see :func:`_fetch_pairs`);
    codes are ordered naturally here. Ties keep the table's own order, so
    sorting is stable. A cancel through ``token`` stops the query.
    """
    token = token or SilentToken()
    if sort_sql is not None and order == NATURAL:
        keys, values = _fetch_pairs(conn, f"SELECT {key_sql}, {sort_sql} {source_sql} "
                                    f"ORDER BY {key_sql}", params, token)
        big = np.iinfo(np.int64).max
        # Many distinct codes (call ids): tokenise every row. Few (agent
        # codes on a million calls): rank the distinct values instead.
        sample = values[:10_000]
        many = len(values) > _PYTHON_SORT_LIMIT and len(set(sample)) > len(sample) // 5
        tokens = _token_keys(values) if many else None
        if tokens is not None:
            sign = -1 if descending else 1
            empty = tokens[0] < 0
            ordered = [np.where(empty, big, sign * tokens[0])] + [sign * k for k in tokens[1:]]
            # lexsort is stable: equal codes keep the table's own order.
            return keys[np.lexsort(ordered[::-1])]
        rank = natural_ranks(values)
        sort_key = np.where(rank < 0, big, -rank if descending else rank)
        return keys[np.argsort(sort_key, kind="stable")]
    by = key_sql
    if sort_sql is not None:
        direction = " DESC" if descending else ""
        expr = f"{sort_sql} COLLATE NOCASE" if order == NOCASE else sort_sql
        # Empty values go last whichever way the column is sorted.
        by = f"({sort_sql} IS NULL), {expr}{direction}, {key_sql}"
    keys, _ = _fetch_pairs(conn, f"SELECT {key_sql} {source_sql} ORDER BY {by}", params, token)
    return keys


_FIELD_SEP = "\x1f"  # ASCII unit separator: never in keys, codes or names
_NULL_MARK = "\x1e"


def _fetch_pairs(conn: sqlite3.Connection, sql: str, params: Sequence,
                 token: JobToken) -> tuple[np.ndarray, list]:
    """Keys (and a second column's values, if selected), in the query's order.

    The whole result comes back from SQLite as one concatenated string built
    in C, during which this thread does not hold the interpreter lock, so the
    interface thread keeps running freely; parsing it is one fast numpy call.
    A cancel is noticed through SQLite's progress handler, which aborts the
    query.
    """
    first_select = sql.index("SELECT ") + len("SELECT ")
    from_at = sql.index(" FROM ")
    selected = [c.strip() for c in _split_top_level(sql[first_select:from_at])]
    outer = f"group_concat(k, '{_FIELD_SEP}')"
    inner = f"{selected[0]} AS k"
    if len(selected) > 1:
        outer += f", group_concat(coalesce(v, '{_NULL_MARK}'), '{_FIELD_SEP}')"
        inner += f", {selected[1]} AS v"
    wrapped = f"SELECT {outer} FROM (SELECT {inner}{sql[from_at:]})"
    # Every few million steps (tens of ms): each call takes the interpreter lock
    # from the interface thread, so calling it often slows painting down.
    conn.set_progress_handler(lambda: 1 if token.cancelled() else 0, 5_000_000)
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


