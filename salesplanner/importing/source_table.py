"""A table read from a source file, before any field is typed.

Every reader (delimited text, Excel and OpenDocument workbooks) produces a
:class:`SourceTable`: the header row as the file has it, one Arrow string
column per header, and for each row the line (or spreadsheet row) number the
user sees in the source, title lines counted, so every message can point at
the exact row. Cells are text, never missing: an empty cell is ``""``, and
``None``, ``NA`` or ``007`` stay exactly as written; the mapping step decides
what each column means.

Arrow keeps a million-row file in about a tenth of the memory Python lists
would take, and lets the conversion step work a column at a time in C.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class SourceTable:
    """A source file's table: headers, text columns and source row numbers."""

    #: The file it came from (shown in messages and the import history).
    file: str
    #: ``csv``, ``xlsx``, ``xlsm``, ``xls``, ``xlsb`` or ``ods``.
    format: str
    headers: list[str]
    #: One string array per header, all the same length.
    columns: list[pa.Array]
    #: For each row, its 1-based line or spreadsheet row number in the source.
    line_numbers: np.ndarray
    #: 1-based line or row number of the header.
    header_line: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    #: Workbooks only: serial dates count from 1904 (old Mac Excel) not 1900.
    date1904: bool = False
    #: Rows whose cell count differs from the header's: line -> cell count.
    ragged: dict[int, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Card numbers masked in the cells (None until the table has been scanned).
    masked: int | None = None
    #: Line numbers of the total and subtotal rows left out (see :mod:`.totals`).
    skipped_totals: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.headers = unique_headers(self.headers)

    @property
    def num_rows(self) -> int:
        """Rows below the header."""
        return len(self.line_numbers)

    def column(self, header: str) -> pa.Array:
        """The column under ``header`` (the first, if a header repeats)."""
        return self.columns[self.headers.index(header)]

    def preview(self, rows: int = 50) -> list[list[str]]:
        """The first ``rows`` rows as lists of text, for showing the user."""
        count = min(rows, self.num_rows)
        cols = [c.slice(0, count).to_pylist() for c in self.columns]
        return [list(r) for r in zip(*cols)] if cols else [[] for _ in range(count)]

    def head(self, rows: int) -> SourceTable:
        """The first ``rows`` rows as a table of their own (for a live preview)."""
        from dataclasses import replace

        return replace(self, columns=[c.slice(0, rows) for c in self.columns],
                       line_numbers=self.line_numbers[:rows], headers=list(self.headers),
                       warnings=list(self.warnings))

    @classmethod
    def from_rows(cls, rows: list[list[object]], line_numbers: list[int], headers: list[str],
                  **meta: object) -> SourceTable:
        """Build a table from Python rows: short rows padded, long ones noted as
        ragged, rows with nothing in them dropped.

        Work is done a column at a time (a workbook's columns hold one type
        each), so 100k rows of cells become text in a fraction of a second.
        """
        width = len(headers)
        ragged: dict[int, int] = {}
        lengths = {len(row) for row in rows}
        if len(lengths) == 1 and min(lengths) >= width:  # a sheet's rectangle: by column
            transposed = list(zip(*rows)) if rows else []
            for position in range(width, len(transposed)):  # beyond the header's last column
                for i, value in enumerate(transposed[position]):
                    if not _blank(value):
                        ragged[line_numbers[i]] = position + 1  # cells up to this one
            columns = [_texts(values) for values in transposed[:width]]
        else:
            padded = []
            for line, row in zip(line_numbers, rows):
                if len(row) != width:
                    filled = len(row)
                    while filled and _blank(row[filled - 1]):
                        filled -= 1
                    if filled > width:
                        ragged[line] = filled
                    row = list(row[:width]) + [None] * (width - len(row))
                padded.append(row)
            columns = [_texts(values) for values in zip(*padded)] if padded else []
        if not columns:
            columns = [pa.array([], pa.string()) for _ in range(width)]
        numbers = np.asarray(line_numbers, dtype=np.int64)
        if columns and len(numbers):
            blank = np.ones(len(numbers), dtype=bool)
            for column in columns:
                blank &= pc.equal(pc.utf8_trim_whitespace(column), "").to_numpy(
                    zero_copy_only=False)
            if blank.any():
                keep = pa.array(~blank)
                columns = [c.filter(keep) for c in columns]
                numbers = numbers[~blank]
        return cls(headers=headers, columns=columns, line_numbers=numbers, ragged=ragged,
                   **meta)  # type: ignore[arg-type]


def _texts(values: tuple) -> pa.Array:
    """One column of cells as text (see :func:`cell_text`)."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return pa.array(values, pa.string())
    if kinds == {float}:
        numbers = np.asarray(values, dtype=np.float64)
        # Whole numbers as digits, however long (a card or account number
        # typed into a number cell must not become 4.111111111111111e+15).
        whole = (numbers == np.floor(numbers)) & (np.abs(numbers) < 9.2e18)
        as_int = pc.cast(pa.array(np.where(whole, numbers, 0).astype(np.int64)), pa.string())
        return pc.if_else(pa.array(whole), as_int, pc.cast(pa.array(numbers), pa.string()))
    if kinds <= {datetime, date}:
        if kinds == {date}:
            return pc.cast(pa.array(values, pa.date32()), pa.string())
        moments = values if kinds == {datetime} else [
            v if type(v) is datetime else datetime(v.year, v.month, v.day) for v in values]
        stamps = pa.array(moments, pa.timestamp("s"))  # Arrow converts in C
        days = pc.cast(stamps, pa.date32())
        if pc.all(pc.equal(pc.cast(days, pa.timestamp("s")), stamps)).as_py():  # dates only
            return pc.cast(days, pa.string())
        return pc.cast(stamps, pa.string())
    return pa.array([v if type(v) is str else cell_text(v) for v in values], pa.string())


def unique_headers(headers: list[str]) -> list[str]:
    """Headers made unique and non-empty, so every column can be chosen by name:
    a second ``Revenue`` becomes ``Revenue (2)``, an empty one ``Column 5``."""
    seen: dict[str, int] = {}
    out = []
    for i, header in enumerate(headers, 1):
        name = header.strip() or f"Column {i}"
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        out.append(name)
    return out


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell from any reader as the text the user would see.

    Whole numbers lose the ``.0`` a workbook reader adds; dates and times
    become ISO text (``2026-03-31 10:00:00``), which no later step can read
    the wrong way round.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 9.2e18:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat(" ") if hasattr(value, "hour") and hasattr(value, "day") \
            else value.isoformat()
        return text
    return str(value)
