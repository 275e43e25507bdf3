"""Writing the big fact tables (sale lines, calls) a million rows at a time.

Columns stay Arrow/NumPy arrays end to end: agent and product codes are
dictionary-encoded and resolved once per distinct code; duplicates are
found with hash sets in C (the source's own id where it has one, a row
fingerprint only for rows without one); Python values are made only for
one chunk of rows at a time as it is handed to SQLite, which keeps the
peak memory of a million-row import well under a gigabyte.

Daily totals (``daily_agent_stats``) are updated by adding the new rows'
totals per agent and day rather than rebuilt from every row: imports only
ever add rows, and every total but ``orders`` is a sum (imported sale lines
carry no order reference, so each counts as its own order, as in the full
rebuild). Removing an import rebuilds them in full.

The writers run on a connection with foreign-key enforcement off (see
:func:`salesplanner.importing.run.import_file`): every id they write was
looked up or created in the same transaction, and :func:`verify_references`
checks the distinct ids before the commit, which costs nothing, where
SQLite's own check costs four index lookups on each of a million rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesplanner.daily_stats import rebuild_daily_stats
from salesplanner.errors import UserError
from salesplanner.importing.convert import Converted
from salesplanner.importing.fingerprints import row_fingerprints
from salesplanner.jobs import JobCancelled, JobToken
from salesplanner.periods import arrow_time_keys
from salesplanner.storage import staging
from salesplanner.storage.bulk import indexes_deferred

if TYPE_CHECKING:
    from salesplanner.importing.write import WriteResult, _Lookup

#: Above this many rows, a table's indexes are rebuilt once instead of being
#: updated row by row (several times faster for big imports).
DEFER_INDEXES_ROWS = 50_000
CHUNK_ROWS = 50_000
#: From this many rows, fact rows go through a staging file written from Arrow
#: in C (see :mod:`salesplanner.storage.staging`) instead of Python tuples.
STAGED_ROWS = 20_000


def arrow(values: object, n: int) -> pa.Array:
    """A typed column (NumPy or Arrow) as an Arrow array in storage form."""
    if values is None:
        return pa.nulls(n, pa.string())
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    array = np.asarray(values)
    if array.dtype.kind == "M":  # "YYYY-MM-DD HH:MM:SS", NaT as null
        return pc.cast(pa.array(array.astype("datetime64[s]")), pa.string())
    if array.dtype.kind == "f":
        return pa.array(array, mask=np.isnan(array))
    if array.dtype == object:
        return pa.array(array.tolist(), pa.string())
    return pa.array(array)


def resolve(values: pa.Array, lookup: Callable[[str], int | None]) -> pa.Array:
    """Ids for a column of codes (null where the code is), one lookup per distinct code."""
    encoded = pc.dictionary_encode(values)
    ids = np.array([lookup(code) or 0 for code in encoded.dictionary.to_pylist()] + [0],
                   dtype=np.int64)
    indices = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    out = ids[indices]
    return pa.array(out, mask=out == 0)


def fresh_rows(conn: sqlite3.Connection, table: str, ref_column: str, refs: pa.Array,
               good: np.ndarray, print_columns: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """Which good rows are new, and each row's fingerprint (0 where it has a key).

    A row with the source's own id is new if no earlier row (in the plan or
    above it in the file) has that id; a row without one if its fingerprint
    is not in the plan.
    """
    n = len(good)
    has_ref = pc.is_valid(refs).to_numpy(zero_copy_only=False)
    keep = good.copy()
    keyed = good & has_ref
    if keyed.any():
        existing = pa.array([r for (r,) in conn.execute(
            f"SELECT {ref_column} FROM {table} WHERE {ref_column} IS NOT NULL")], pa.string())
        known = pc.fill_null(pc.is_in(refs, value_set=existing), False).to_numpy(
            zero_copy_only=False)
        rows = np.flatnonzero(keyed)
        codes = pc.dictionary_encode(refs.take(pa.array(rows))).indices.to_numpy(
            zero_copy_only=False)
        first = np.zeros(len(codes), dtype=bool)
        first[np.unique(codes, return_index=True)[1]] = True
        keep[rows[~first]] = False  # a later line with the same id says nothing new
        keep &= ~(keyed & known)
    prints = np.zeros(n, dtype=np.int64)
    unkeyed = np.flatnonzero(good & ~has_ref)
    if len(unkeyed):
        subset = [_take(c, unkeyed) for c in print_columns]
        prints[unkeyed] = row_fingerprints(subset)
        existing_prints = np.array([f for (f,) in conn.execute(
            f"SELECT fingerprint FROM {table} WHERE fingerprint IS NOT NULL")], dtype=np.int64)
        keep[unkeyed[np.isin(prints[unkeyed], existing_prints)]] = False
    return keep, prints


def order_references(refs: pa.Array, good: np.ndarray,
                     print_columns: list[object]) -> tuple[pa.Array, pa.Array | None]:
    """Line references, and order references when the source's id names orders.

    Exports often give an order id on every line of the order ("SO-1" on
    the broadband line and on the TV line). When one id is found on lines
    that differ, the id is an order reference: each line is then known as
    ``SO-1/1``, ``SO-1/2`` ... in file order, so importing the file again
    still finds them, and the order reference is kept for counting orders.
    An id repeated on identical lines only says they are the same line.
    """
    keyed = np.flatnonzero(good & pc.is_valid(refs).to_numpy(zero_copy_only=False))
    if not len(keyed):
        return refs, None
    # Dictionary codes and counts in C: no Python object per row (a million
    # of them would hold the interpreter, and the window, for a second).
    codes = pc.dictionary_encode(refs.take(pa.array(keyed))).indices.to_numpy(
        zero_copy_only=False)
    repeated = np.bincount(codes)[codes] > 1
    if not repeated.any():
        return refs, None
    rows = keyed[repeated]
    prints = row_fingerprints([_take(c, rows) for c in print_columns], occurrence=False)
    variants = pd.DataFrame({"id": codes[repeated], "p": prints}).groupby("id")["p"]
    if variants.nunique().max() <= 1:
        return refs, None
    line = pd.Series(codes).groupby(codes).cumcount().to_numpy() + 1
    numbered = pc.binary_join_element_wise(
        refs.take(pa.array(keyed)), pc.cast(pa.array(line), pa.string()), "/")
    lines = pa.nulls(len(refs), pa.string())
    mask = np.zeros(len(refs), dtype=bool)
    mask[keyed] = True
    full = np.zeros(len(refs), dtype=np.int64)
    full[keyed] = np.arange(len(keyed))
    lines = pc.if_else(pa.array(mask), numbered.take(pa.array(full)), lines)
    orders = pc.if_else(pa.array(mask), refs, pa.scalar(None, pa.string()))
    return lines, orders


def _take(values: object, rows: np.ndarray) -> object:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.take(pa.array(rows))
    return np.asarray(values)[rows]


def insert_columns(conn: sqlite3.Connection, table: str, columns: dict[str, pa.Array],
                   token: JobToken, label: str, lo: float, hi: float) -> int:
    """Insert equal-length Arrow columns, a chunk at a time; return the row count.

    Columns with no value at all are left to their default (NULL): binding
    a million NULLs is not free.
    """
    total = len(next(iter(columns.values()))) if columns else 0
    names = [c for c, values in columns.items() if values.null_count < len(values)]
    if total >= STAGED_ROWS and staging.available():
        def step(share: float) -> None:
            if token.cancelled():
                raise JobCancelled()
            token.progress(lo + (hi - lo) * share, label)

        return staging.insert_arrow(conn, table, {c: columns[c] for c in names}, step)
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    for start in range(0, total, CHUNK_ROWS):
        if token.cancelled():
            raise JobCancelled()
        chunk = [columns[c].slice(start, CHUNK_ROWS).to_pylist() for c in names]
        conn.executemany(sql, zip(*chunk))
        token.progress(lo + (hi - lo) * min(1.0, (start + CHUNK_ROWS) / total), label)
    return total


def insert_facts(conn: sqlite3.Connection, table: str, columns: dict[str, pa.Array],
                 token: JobToken) -> int:
    """Insert fact rows, setting the table's indexes aside for a big load."""
    count = len(next(iter(columns.values())))
    if count >= DEFER_INDEXES_ROWS:
        with indexes_deferred(conn, [table]):
            insert_columns(conn, table, columns, token, f"writing {count:,} rows", 0.55, 0.85)
            token.progress(0.85, "indexing")
    else:
        insert_columns(conn, table, columns, token, f"writing {count:,} rows", 0.55, 0.9)
    return count


def verify_references(conn: sqlite3.Connection, columns: dict[str, pa.Array],
                      parents: dict[str, str]) -> None:
    """Every distinct id written in ``columns`` exists in its parent table."""
    for column, parent in parents.items():
        if column not in columns:
            continue
        ids = [i for i in pc.unique(columns[column]).to_pylist() if i is not None]
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            found = conn.execute(f"SELECT count(*) FROM {parent} WHERE id IN "
                                 f"({', '.join('?' * len(part))})", part).fetchone()[0]
            if found != len(part):
                raise UserError(f"internal error: {column} refers to missing {parent} "
                                "records; nothing was imported")


def add_daily_totals(conn: sqlite3.Connection, rows: pa.Table) -> None:
    """Add per agent and day totals to ``daily_agent_stats``.

    ``rows`` has ``day`` (ISO text), ``agent_id`` (0 if unknown),
    ``iso_year``, ``iso_week``, ``weekday`` and any of the table's total
    columns; rows of one agent and day are summed first (in Arrow, which
    needs no Python object per row).
    """
    if not rows.num_rows:
        return
    keys = ["day", "agent_id", "iso_year", "iso_week", "weekday"]
    measures = [c for c in rows.column_names if c not in keys]
    # Grouped by day and agent only: the ISO year, week and weekday follow
    # from the day (any of the group's values will do), and hashing two keys
    # instead of five halves the cost on a million rows.
    aggregates = [("order_key", "count_distinct") if m == "order_key" else (m, "sum")
                  for m in measures] + [(k, "min") for k in keys[2:]]
    grouped = rows.group_by(keys[:2]).aggregate(aggregates)
    grouped = grouped.rename_columns(
        [{"order_key_count_distinct": "orders"}.get(c, c.removesuffix("_sum").removesuffix(
            "_min")) for c in grouped.column_names])
    measures = ["orders" if m == "order_key" else m for m in measures]
    names = [*keys, *measures]
    updates = ", ".join(f"{m} = {m} + excluded.{m}" for m in measures)
    upsert = f"ON CONFLICT (day, agent_id) DO UPDATE SET {updates}"
    if grouped.num_rows >= STAGED_ROWS and staging.available():
        staging.insert_arrow(conn, "daily_agent_stats",
                             {c: grouped.column(c).combine_chunks() for c in names},
                             on_conflict=upsert)
        return
    sql = (f"INSERT INTO daily_agent_stats ({', '.join(names)}) VALUES "
           f"({', '.join('?' * len(names))}) {upsert}")
    for start in range(0, grouped.num_rows, CHUNK_ROWS):
        part = grouped.slice(start, CHUNK_ROWS)
        conn.executemany(sql, zip(*(part.column(c).to_pylist() for c in names)))


def write_sales(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                result: WriteResult, lookup: _Lookup) -> None:
    """Sale lines, with their agents and products."""
    v = data.values
    n = data.rows
    quantity = np.asarray(v["quantity"]) if "quantity" in v else np.ones(n)
    quantity = np.where(np.isnan(quantity), 1, quantity)
    revenue = np.asarray(v["revenue"]) if "revenue" in v else np.full(n, np.nan)
    price = np.asarray(v["unit_price"]) if "unit_price" in v else np.full(n, np.nan)
    revenue = np.where(np.isnan(revenue), np.round(quantity * price), revenue)
    stamps = np.asarray(v["date"])
    refs = arrow(v.get("sale_id"), n)
    agents = arrow(v.get("agent"), n)
    products = arrow(v.get("product") if "product" in v else v.get("product_name"), n)
    outcome = arrow(v.get("outcome"), n)
    # What makes a sale the same sale in two extracts: not optional columns
    # one export has and the other lacks, nor a status that moves on.
    core = [stamps, agents, products, quantity, revenue]
    token.progress(0.45, "looking for rows already in the plan")
    refs, orders = order_references(refs, data.good, core)
    keep, prints = fresh_rows(conn, "sale", "sale_ref", refs, data.good, core)
    rows = np.flatnonzero(keep)
    result.duplicates += int(data.good.sum()) - len(rows)
    pick = pa.array(rows)
    agent_info = _first_values(agents, [arrow(v.get("agent_name"), n), arrow(v.get("team"), n)],
                               rows)
    product_info = _product_info(v, n, rows)
    agent_ids = resolve(agents.take(pick),
                        lambda code: lookup.agent(code, *agent_info.get(code, (None, None))))
    if "product" in v:
        product_ids = resolve(products.take(pick), lambda code: lookup.product(
            code, *product_info.get(code, (None, None, None))))
    else:
        product_ids = resolve(products.take(pick), lambda name: lookup.product(
            None, name, *product_info.get(name, (None, None, None))[1:]))
    keys = arrow_time_keys(stamps[rows])
    m = len(rows)
    cancelled = pc.fill_null(pc.equal(outcome.take(pick), "cancelled"), False)
    line_types = pc.fill_null(arrow(v.get("sale_type"), n).take(pick), "primary")
    columns = {
        "sale_ref": refs.take(pick),
        "order_ref": orders.take(pick) if orders is not None else pa.nulls(m, pa.string()),
        "ts": arrow(stamps[rows], m), **keys,
        "agent_id": agent_ids, "product_id": product_ids,
        "quantity": pa.array(quantity[rows].astype(np.int64)),
        "revenue_minor": pa.array(revenue[rows].astype(np.int64)),
        "line_type": line_types,
        "channel": arrow(v.get("channel"), n).take(pick),
        "outcome": pc.fill_null(outcome.take(pick), "completed"),
        "segment": arrow(v.get("segment"), n).take(pick),
        "campaign": arrow(v.get("campaign"), n).take(pick),
        "customer_ref": arrow(v.get("customer"), n).take(pick),
        "notes": arrow(v.get("notes"), n).take(pick),
        "import_id": pa.array(np.full(m, batch, dtype=np.int64)),
        "fingerprint": pa.array(prints[rows], mask=prints[rows] == 0),
    }
    result.imported += insert_facts(conn, "sale", columns, token)
    verify_references(conn, columns, {"agent_id": "agent", "product_id": "product"})
    token.progress(0.93, "daily totals")
    live = pc.invert(cancelled)
    if orders is not None and _orders_seen_before(conn, columns["order_ref"], batch):
        rebuild_daily_stats(conn)  # an order continued from an earlier import: count exactly
        return
    add_daily_totals(conn, pa.table({
        "day": pc.utf8_slice_codeunits(columns["ts"], 0, 10),
        "agent_id": pc.fill_null(agent_ids, 0),
        **{k: a for k, a in keys.items() if k != "hour"},
        # Lines without an order reference are each their own order.
        **({"order_key": pc.fill_null(columns["order_ref"], pc.cast(
            pa.array(np.arange(m)), pa.string()))} if orders is not None
           else {"orders": pa.array(np.ones(m, dtype=np.int64))}),
        "sale_lines": pc.cast(live, pa.int64()),
        "upsell_lines": pc.cast(pc.equal(line_types, "upsell"), pa.int64()),
        "crosssell_lines": pc.cast(pc.equal(line_types, "crosssell"), pa.int64()),
        "units": pa.array(np.where(live.to_numpy(zero_copy_only=False), quantity[rows], 0)
                          .astype(np.int64)),
        "revenue_minor": pa.array(np.where(live.to_numpy(zero_copy_only=False), revenue[rows],
                                           0).astype(np.int64)),
    }).filter(live))


def _orders_seen_before(conn: sqlite3.Connection, orders: pa.Array, batch: int) -> bool:
    """Whether any of these order references already had lines in the plan."""
    earlier = pa.array([r for (r,) in conn.execute(
        "SELECT DISTINCT order_ref FROM sale WHERE order_ref IS NOT NULL AND import_id <> ?",
        (batch,))], pa.string())
    return bool(len(earlier)) and pc.any(pc.is_in(orders, value_set=earlier)).as_py() is True


def _first_values(keys: pa.Array, others: list[pa.Array], rows: np.ndarray) -> dict:
    """For each distinct key among ``rows``, the other columns' values on its first row."""
    if not len(rows):
        return {}
    frame = pd.DataFrame({"key": keys.take(pa.array(rows)).to_pandas(),
                          **{f"o{i}": o.take(pa.array(rows)).to_pandas()
                             for i, o in enumerate(others)}})
    first = frame.dropna(subset=["key"]).drop_duplicates("key")
    return {row[0]: tuple(None if pd.isna(x) else x for x in row[1:])
            for row in first.itertuples(index=False, name=None)}


def _product_info(v: dict, n: int, rows: np.ndarray) -> dict:
    key = arrow(v.get("product") if "product" in v else v.get("product_name"), n)
    price = v.get("unit_price")
    return _first_values(key, [arrow(v.get("product_name"), n), arrow(v.get("category"), n),
                               arrow(price, n) if price is not None else pa.nulls(n)], rows)


def write_calls(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                result: WriteResult, lookup: _Lookup) -> None:
    """Calls, with their agents."""
    v = data.values
    n = data.rows
    stamps = np.asarray(v["date"])
    duration = np.asarray(v["duration"]) if "duration" in v else np.zeros(n)
    duration = np.where(np.isnan(duration), 0, np.round(duration)).astype(np.int64)
    if "direction" not in v:
        result.warnings.append("no direction column: every call was read as inbound")
    if "outcome" not in v:
        result.warnings.append("no outcome column: every call was read as 'no sale'")
    direction = pc.fill_null(arrow(v.get("direction"), n), "inbound")
    outcome = pc.fill_null(arrow(v.get("outcome"), n), "no_sale")
    agents = arrow(v.get("agent"), n)
    refs = arrow(v.get("call_id"), n)
    queue = arrow(v.get("queue"), n)
    keep, prints = fresh_rows(conn, "call", "call_ref", refs, data.good,
                              [stamps, agents, duration])
    rows = np.flatnonzero(keep)
    result.duplicates += int(data.good.sum()) - len(rows)
    pick = pa.array(rows)
    agent_ids = resolve(agents.take(pick), lambda code: lookup.agent(code, None, None))
    keys = arrow_time_keys(stamps[rows])
    m = len(rows)
    columns = {
        "call_ref": refs.take(pick), "ts": arrow(stamps[rows], m), **keys,
        "agent_id": agent_ids, "direction": direction.take(pick),
        "duration_s": pa.array(duration[rows]), "outcome": outcome.take(pick),
        "queue": queue.take(pick), "import_id": pa.array(np.full(m, batch, dtype=np.int64)),
        "fingerprint": pa.array(prints[rows], mask=prints[rows] == 0),
    }
    result.imported += insert_facts(conn, "call", columns, token)
    verify_references(conn, columns, {"agent_id": "agent"})
    token.progress(0.93, "daily totals")
    outcome = columns["outcome"]
    inbound = pc.equal(columns["direction"], "inbound")

    def count(flags: pa.Array) -> pa.Array:
        return pc.cast(flags, pa.int64())

    add_daily_totals(conn, pa.table({
        "day": pc.utf8_slice_codeunits(columns["ts"], 0, 10),
        "agent_id": pc.fill_null(agent_ids, 0),
        **{k: a for k, a in keys.items() if k != "hour"},
        "calls_inbound": count(inbound), "calls_outbound": count(pc.invert(inbound)),
        "handle_s": pa.array(duration[rows]), "sale_calls": count(pc.equal(outcome, "sale")),
        "callbacks": count(pc.equal(outcome, "callback_requested")),
        "info_requests": count(pc.equal(outcome, "info_requested")),
    }))
