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


_P = np.uint64(1099511628211)  # the FNV prime: any odd multiplier mixes bytes well
_STRING_CHUNK = 200_000


def _string_hash(values: pa.Array) -> np.ndarray:
    """A 64-bit hash of each string, computed from Arrow's buffers in NumPy.

    No Python object is made per value: a million strings hash in a tenth
    of a second without holding the interpreter (and so the window).
    Missing values hash alike, apart from every string.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    values = values.cast(pa.large_string())
    out = np.empty(len(values), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for start in range(0, len(values), _STRING_CHUNK):
            part = values.slice(start, _STRING_CHUNK)
            n = len(part)
            validity, offsets_buf, data_buf = part.buffers()
            offsets = np.frombuffer(offsets_buf, dtype=np.int64)[part.offset:part.offset + n + 1]
            data = (np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None
                    else np.zeros(0, np.uint8))[offsets[0]:offsets[-1]].astype(np.uint64)
            lengths = np.diff(offsets)
            longest = int(lengths.max()) if n else 0
            powers = np.cumprod(np.full(longest + 1, _P, dtype=np.uint64)) if longest else \
                np.ones(1, np.uint64)
            position = np.arange(len(data)) - np.repeat(offsets[:-1] - offsets[0], lengths)
            weighted = data * powers[position]
            hashed = np.zeros(n, dtype=np.uint64)
            filled = lengths > 0
            if filled.any():
                starts = (offsets[:-1] - offsets[0])[filled]
                hashed[filled] = np.add.reduceat(weighted, starts)
            hashed = hashed * _MIX + lengths.astype(np.uint64)
            if part.null_count:
                hashed[~part.is_valid().to_numpy(zero_copy_only=False)] = np.uint64(0x5A17)
            out[start:start + n] = hashed
    return out


def _column_hash(values: object) -> np.ndarray:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return pd.util.hash_array(_string_hash(values.cast(pa.string())))
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
    combined = np.zeros(len(columns[0]), dtype=np.uint64)  # type: ignore[arg-type]  # an array
    with np.errstate(over="ignore"):
        for values in columns:
            combined = (combined * _MIX) ^ _column_hash(values)
        if occurrence:
            nth = pd.Series(combined).groupby(combined).cumcount().to_numpy(np.uint64)
            combined = combined ^ (nth * _MIX)
        combined = pd.util.hash_array(combined)
    return combined.view(np.int64)
