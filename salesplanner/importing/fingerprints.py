"""Row fingerprints: telling a row already imported from a new one.

When a source has no natural key (a sale or call id), a row is recognised
by a 64-bit hash of its typed values. Rows that are identical within one
file are separate records (two identical £10 sales by one agent in one
second can both be real), so the hash also takes the row's occurrence
number among its identical rows: importing the same file again, or an
extract that overlaps it, reproduces the same fingerprints and adds nothing
twice, while genuine repeats inside one file are all kept.

The hash is pandas' SipHash with its fixed key, so it is the same in every
run, process and machine; it is stored as a signed 64-bit SQLite INTEGER.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

_MIX = np.uint64(0x9E3779B97F4A7C15)


def _column_hash(values: object) -> np.ndarray:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = np.asarray(values.to_pandas(types_mapper=None).astype(object), dtype=object)
    array = np.asarray(values)
    if array.dtype.kind == "M":
        array = array.astype("datetime64[s]").astype(np.int64)
    elif array.dtype.kind == "f":
        array = np.where(np.isnan(array), -(2**62), np.round(array)).astype(np.int64)
    elif array.dtype.kind == "O":
        array = np.array(["\x00" if v is None else str(v) for v in array], dtype=object)
    return pd.util.hash_array(array, categorize=True)


def row_fingerprints(columns: list[object], occurrence: bool = True) -> np.ndarray:
    """One stable signed 64-bit fingerprint per row of ``columns`` (same lengths).

    With ``occurrence`` (the default) identical rows get different
    fingerprints (first, second ... of their kind); without, the same one.
    """
    if not columns:
        return np.zeros(0, dtype=np.int64)
    combined = np.zeros(len(columns[0]), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for values in columns:
            combined = (combined * _MIX) ^ _column_hash(values)
        if occurrence:
            nth = pd.Series(combined).groupby(combined).cumcount().to_numpy(np.uint64)
            combined = combined ^ (nth * _MIX)
        combined = pd.util.hash_array(combined)
    return combined.view(np.int64)
