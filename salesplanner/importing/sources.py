"""Reading a delimited text export into rows of text, whatever wrote it.

Telephony platforms, CRMs and colleagues' spreadsheets write CSV in many
dialects. :func:`read_delimited` works out:

- the encoding: a byte-order mark (UTF-8, UTF-16 LE/BE) if there is one,
  else UTF-8 if the bytes are valid UTF-8, else Windows-1252 (what Excel on
  Windows writes); a file that mixes UTF-8 lines and Windows-1252 lines is
  read line by line, with a warning naming the Windows-1252 lines (see
  :mod:`.text_encoding`);
- line ends: CR, LF or CRLF;
- the delimiter: comma, semicolon, tab, pipe, or columns aligned with runs
  of spaces, whichever splits the lines into the most consistent number of
  columns (aligned columns win only when no delimiter splits the lines as
  consistently);
- for an aligned (whitespace or fixed-width) export, as mainframe reports
  and legacy systems write them: the header is found on the lines split at
  runs of two or more spaces; then, from the header down, a column boundary
  is a run of character positions that is blank on *every* line of the
  table (lines of one cell, such as "END OF REPORT", aside). A run two or
  more wide is always a boundary; a run one wide is one unless some line has
  a letter on both sides of it, so a single space inside a value or header
  ("Acquisition South", "Product code") never splits it while
  ``0001234 20270201`` does. Every line is then cut at the boundaries, so an
  empty cell stays in its column; title lines above the header, and lines
  with text in a gap, are split at runs of spaces instead, and a single
  piece of text in a gap below the header ("*** END OF REPORT ***") is a
  note, not a row, and is left out.
  Zero-padded ids stay text and ``YYYYMMDD`` dates are read as dates by
  the mapping step;
- the header row: title, comment and blank lines above it are skipped (the
  first row that has the table's full width and is followed by rows of the
  same width); the caller can override it.

Cells stay text (``None``, ``NA`` and leading zeros are kept exactly);
typing them is the mapping step's job. Every row keeps the line number the
user sees in the file, for error messages.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from salesplanner.errors import UserError
from salesplanner.importing.source_table import SourceTable
from salesplanner.importing.text_encoding import (
    MIXED, UTF16_BOMS, decode_bytes, survey_file, utf8_copy,
)

DELIMITERS = (",", ";", "\t", "|")
WHITESPACE = "whitespace"
#: Lines looked at to decide the dialect.
SNIFF_LINES = 200
_SPACES = re.compile(r"\s{2,}|\t")


@dataclass
class DelimitedTable:
    """A text table: its headers, rows, and how the file was read."""

    headers: list[str]
    rows: list[list[str]]
    #: For each row, its line number in the file (1-based, title lines counted).
    line_numbers: list[int]
    encoding: str
    delimiter: str
    #: 1-based line number of the header row.
    header_line: int
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, path: Path | str = "") -> tuple[str, str, list[str]]:
    """The file's text, the encoding it was read with, and what to warn about it."""
    if not data:
        raise UserError(f"{path}: the file is empty (0 bytes); there is nothing to import")
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise UserError(f"{path}: the file says it is UTF-16 but is damaged") from None
    if b"\x00" in data[:4096]:
        raise UserError(f"{path}: this is not a text table (it contains binary data); "
                        "save it as CSV or choose the Excel workbook instead")
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding, decoded.warnings


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == WHITESPACE:
        return [cell for cell in _SPACES.split(line.strip())]
    return next(csv.reader([line], delimiter=delimiter))


def _aligned_rows(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Rows of a table whose columns are aligned with spaces (see the module's rule).

    Cutting at the gaps all the table's lines share (rather than at every
    run of spaces) keeps an empty cell in its column instead of shifting the
    cells after it. Title lines above the header, and notes that cross a
    column boundary, are split on runs of two or more spaces instead.
    """
    numbered = [(n, line.expandtabs(8).rstrip()) for n, line in enumerate(lines, 1)
                if line.strip()]
    if not numbered:
        return []
    coarse = [(n, _split(line, WHITESPACE)) for n, line in numbered]
    head = find_header_line([row for _n, row in coarse[:SNIFF_LINES]])
    # The table: the header and every later line of two cells or more (a
    # closing "END OF REPORT" line or a page footer does not set the grid).
    table = [line for i, (_n, line) in enumerate(numbered)
             if i >= head and len(coarse[i][1]) > 1][:1000]
    if len(table) < 2:
        return coarse
    width = max(len(line) for line in table)
    blank = np.ones(width, dtype=bool)
    for line in table:
        blank[:len(line)] &= np.frombuffer(line.encode("utf-32-le"), dtype=np.uint32) == 32
    starts = [0]
    i = 0
    while i < width:
        if not blank[i]:
            i += 1
            continue
        j = i
        while j < width and blank[j]:
            j += 1
        if j < width and i > 0 and (j - i >= 2 or not _joins_words(table, i)):
            starts.append(j)
        i = j
    if len(starts) < 2:
        return coarse
    bounds = [*starts[1:], None]
    rows = []
    for index, (n, line) in enumerate(numbered):
        # Text in a gap every table line leaves blank: a title or a note, not a row.
        off_grid = any(ch != " " and blank[i] for i, ch in enumerate(line[:width]))
        if index > head and off_grid and len(coarse[index][1]) == 1:
            continue  # a note under the table ("*** END OF REPORT ***") holds no record
        if index < head or off_grid:
            rows.append(coarse[index])  # not on the grid: a title or a note
            continue
        rows.append((n, [line[a:b].strip() for a, b in zip(starts, bounds)]))
    return rows


def _joins_words(table: list[str], position: int) -> bool:
    """Whether a one-space gap at ``position`` has a letter on both sides on some line:
    a space inside a value ("Acquisition South", "Product code"), not a column boundary."""
    return any(position + 1 < len(line) and line[position - 1].isalpha()
               and line[position + 1].isalpha() for line in table)


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the lines into the most consistent columns."""
    sample = [line for line in lines[:SNIFF_LINES] if line.strip()]
    if not sample:
        raise UserError("the file has no table in it (only blank lines)")
    best, best_score = None, 0.0
    for delimiter in (*DELIMITERS, WHITESPACE):
        try:
            widths = [len(_split(line, delimiter)) for line in sample]
        except csv.Error:
            continue
        width, agreeing = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        # Consistency first; whitespace only wins when nothing else splits.
        score = agreeing / len(sample) * (0.9 if delimiter == WHITESPACE else 1.0)
        if score > best_score or (score == best_score and best is not None and width >
                                  len(_split(sample[-1], best))):
            best, best_score = delimiter, score
    if best is None:
        raise UserError("this is not a table: no delimiter (comma, semicolon, tab, pipe or "
                        "aligned columns) splits its lines into columns")
    return best


def find_header_line(rows: list[list[str]]) -> int:
    """Index of the header among ``rows``.

    The header is the first row that is filled in every cell up to its last
    one and is (nearly) as wide as the table's rows; titles, notes and blank
    lines above it are narrower. Data rows may have empty cells, a header
    rarely does. Failing that, the first full-width row followed by rows of
    the same width.
    """
    head = rows[:SNIFF_LINES]
    filled = [sum(1 for c in row if c.strip()) for row in head]
    extent = [next((i + 1 for i in range(len(row) - 1, -1, -1) if row[i].strip()), 0)
              for row in head]
    common = Counter(e for e in extent if e > 1).most_common(1)
    if not common:
        return 0
    modal = common[0][0]
    # As wide as the data first (a title such as "Report: Sales, January, 2027"
    # splits into a few cells too), then one narrower (a header whose last
    # cell is merged or blank).
    for least in (modal, modal - 1):
        for i, (count, width) in enumerate(zip(filled, extent)):
            if width >= max(2, least) and count == width:
                return i
    full = Counter(w for w in filled if w > 1).most_common(1)[0][0]
    for i, count in enumerate(filled):
        if count >= full and all(
                filled[j] >= full - 1 for j in range(i + 1, min(i + 4, len(filled)))
                if filled[j]):
            return i
    return 0


def read_delimited(path: str | Path, delimiter: str | None = None,
                   header_line: int | None = None) -> DelimitedTable:
    """Read a CSV or text export; ``header_line`` (1-based) overrides detection."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read the file ({exc.strerror})") from None
    text, encoding, warnings = decode(data, path)
    table = _parse(text, encoding, delimiter, header_line, path)
    table.warnings += warnings
    return table


#: The most columns a text table may have: Excel's own limit. A hostile file
#: of 3 million columns in one line took minutes and gigabytes to read.
MAX_COLUMNS = 16_384


def _parse(text: str, encoding: str, delimiter: str | None, header_line: int | None,
           path: Path) -> DelimitedTable:
    lines = text.splitlines()
    delimiter = delimiter or sniff_delimiter(lines)
    if delimiter == WHITESPACE:
        parsed = _aligned_rows(lines)
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        parsed = []
        last = 0
        try:
            for row in reader:
                start, last = last + 1, reader.line_num  # a quoted cell may span lines
                if any(cell.strip() for cell in row):
                    parsed.append((start, row))
        except csv.Error as exc:
            raise UserError(f"{path}: line {reader.line_num}: {exc}") from None
    if not parsed:
        raise UserError(f"{path}: the file has no rows")
    wide = next(((n, len(row)) for n, row in parsed if len(row) > MAX_COLUMNS), None)
    if wide is not None:
        raise UserError(f"{path}: line {wide[0]} has {wide[1]:,} columns, more than any "
                        f"export has (Excel stops at {MAX_COLUMNS:,}); check it is the file "
                        "you meant and that its delimiter is the one it uses")
    if header_line is None:
        index = find_header_line([row for _n, row in parsed])
    else:
        index = next((i for i, (n, _r) in enumerate(parsed) if n >= header_line),  # type: ignore[assignment]  # see below
                     None)  # None is refused just below
        if index is None:
            raise UserError(f"{path}: there is no line {header_line}; the file has "
                            f"{parsed[-1][0]} lines")
    header_number, headers = parsed[index]
    headers = [h.strip() for h in headers]
    body = parsed[index + 1:]
    return DelimitedTable(
        headers=headers, rows=[row for _n, row in body], line_numbers=[n for n, _r in body],
        encoding=encoding, delimiter=delimiter, header_line=header_number)


#: Lines of a text file parsed in Python to find the dialect and the header.
_HEAD_BYTES = 256 * 1024


def read_text_table(path: str | Path, delimiter: str | None = None,
                    header_line: int | None = None) -> SourceTable:
    """Read a delimited text export into a :class:`SourceTable`.

    The dialect and the header are found on the first lines in Python; the
    body is read by Arrow's multi-threaded CSV reader, all columns as text
    (a million rows in a fraction of a second, in a tenth of the memory of
    Python lists). Where Arrow cannot keep the user's line numbers (quoted
    cells spanning lines, blank lines inside the table) or a row has more
    cells than the header, the file is read again line by line in Python,
    which keeps them exactly.

    The head also says the encoding, but only of itself: a file whose head is
    UTF-8 is read as UTF-8, and Arrow's check of every byte proves the rest;
    any other file is surveyed whole first (:func:`.survey_file`), so a
    Windows-1252 line far down, or a UTF-8 one, is read as what it is.
    """
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(_HEAD_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{path}: cannot read the file ({exc.strerror})") from None
    big = len(data) > _HEAD_BYTES
    head_bytes = data[:_HEAD_BYTES] if big else data
    if big and not head_bytes.startswith(UTF16_BOMS):
        # Cut at the last line end, so that neither a line nor a character is split.
        head_bytes = head_bytes[:head_bytes.rfind(b"\n") + 1 or head_bytes.rfind(b"\r") + 1] \
            or head_bytes
    head_text, encoding, _notes = decode(head_bytes, path)  # the notes come from the whole file
    if big and encoding == "utf-16":
        head_text = head_text[:head_text.rfind("\n") + 1] or head_text
    head_lines = head_text.splitlines()
    delimiter = delimiter or sniff_delimiter(head_lines)
    if delimiter == WHITESPACE or encoding == "utf-16":
        return _python_table(path, delimiter, header_line)
    head = read_delimited_text(head_text, delimiter, header_line, path)
    if big:  # the head does not say how the rest of the file is written
        if encoding in ("utf-8", "utf-8-sig"):
            # Arrow checks that every byte is UTF-8 as it reads, so the common
            # case costs no pass of its own; the file is surveyed only if it fails.
            fast = _arrow_table(path, data, encoding, delimiter, head)
            if fast is not None:
                return fast
            surveyed = survey_file(path)
            if surveyed == encoding:  # UTF-8 after all: rows only Python can number
                return _python_table(path, delimiter, header_line)
            encoding = surveyed
        else:
            encoding = survey_file(path)
    fast = (_arrow_table(path, data, encoding, delimiter, head) if encoding != MIXED
            else _mixed_arrow_table(path, delimiter, head))
    return fast if fast is not None else _python_table(path, delimiter, header_line)


def _mixed_arrow_table(path: Path, delimiter: str, head: DelimitedTable) -> SourceTable | None:
    """A file of UTF-8 and Windows-1252 lines, read by Arrow from a UTF-8 copy."""
    try:
        with utf8_copy(path) as (copy, found):
            with copy.open("rb") as stream:
                data = stream.read(_HEAD_BYTES + 1)
            table = _arrow_table(copy, data, "utf-8", delimiter, head)
    except OSError:  # no room for the copy: the Python reader decodes in memory
        return None
    if table is not None:
        table.file, table.encoding = str(path), MIXED
        table.warnings += found.warnings
    return table


def _python_table(path: Path, delimiter: str, header_line: int | None) -> SourceTable:
    table = read_delimited(path, delimiter, header_line)
    return SourceTable.from_rows(
        table.rows, table.line_numbers, table.headers, file=str(path), format="csv",  # type: ignore[arg-type]  # rows of str, only read
        header_line=table.header_line, encoding=table.encoding, delimiter=table.delimiter,
        warnings=table.warnings)


def _arrow_table(path: Path, data: bytes, encoding: str, delimiter: str,
                 head: DelimitedTable) -> SourceTable | None:
    """The body read by Arrow, or None where only Python keeps line numbers.

    ``data`` is the head of the file; Arrow reads the body from the file
    itself, so a 100 MB export is never held twice.
    """
    import pyarrow.csv as pacsv

    start = 3 if encoding == "utf-8-sig" else 0
    # Byte offset of the line after the header: count line ends up to it.
    offset = start
    for _ in range(head.header_line):
        nl = _next_line_end(data, offset)
        if nl < 0:
            offset = len(data)
            break
        offset = nl
    size = path.stat().st_size
    if offset >= size or (size - offset < 65536 and not data[offset:].strip()):
        return SourceTable(file=str(path), format="csv", headers=head.headers,
                           columns=[pa.array([], pa.string()) for _ in head.headers],
                           line_numbers=np.zeros(0, dtype=np.int64),
                           header_line=head.header_line, encoding=encoding, delimiter=delimiter)
    width = len(head.headers)
    names = [f"c{i}" for i in range(width)]
    wrong_width: list[int] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        wrong_width.append(row.actual_columns)
        return "skip"

    try:
        source = pa.OSFile(str(path))
        source.seek(offset)
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True,
                                           block_size=8 << 20,
                                           encoding="utf8" if encoding != "cp1252" else "cp1252"),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             ignore_empty_lines=True,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if wrong_width:
        return None  # rows of another width: the Python reader pads or reports them
    lines = _line_count(path, offset)
    if lines == table.num_rows:
        numbers = np.arange(head.header_line + 1, head.header_line + 1 + table.num_rows,
                            dtype=np.int64)
    else:  # blank lines or quoted line breaks: count records as Python sees them
        numbers = _record_lines(path, offset, encoding, delimiter, head.header_line)
        if len(numbers) != table.num_rows:
            return None
    columns = list(table.columns)
    del table
    for i in range(width):  # one column at a time, so the chunks are freed as we go
        columns[i] = columns[i].combine_chunks()
    # Rows of empty cells (",,,," as Excel writes them) are not rows. Only the
    # rows still empty so far are looked at in the next column: one pass over
    # a million cells, not one per column.
    maybe = np.arange(len(numbers))
    for column in columns:
        if not len(maybe):
            break
        cells = column if len(maybe) == len(numbers) else column.take(pa.array(maybe))
        maybe = maybe[pc.equal(pc.utf8_trim_whitespace(cells), "").to_numpy(
            zero_copy_only=False)]
    blank = np.zeros(len(numbers), dtype=bool)
    blank[maybe] = True
    if blank.any():
        keep = pa.array(~blank)
        columns = [c.filter(keep) for c in columns]
        numbers = numbers[~blank]
    return SourceTable(file=str(path), format="csv", headers=head.headers, columns=columns,
                       line_numbers=numbers, header_line=head.header_line, encoding=encoding,
                       delimiter=delimiter)


def _record_lines(path: Path, offset: int, encoding: str, delimiter: str,
                  header_line: int) -> np.ndarray:
    """The first line of every non-empty record after byte ``offset``.

    A streaming pass of Python's csv reader that keeps only one number per
    record, so a million rows cost eight megabytes, not their cells.
    """
    starts = []
    with path.open("rb") as raw:
        raw.seek(offset)
        stream = io.TextIOWrapper(raw, encoding="utf-8" if encoding == "utf-8-sig" else encoding,
                                  errors="replace", newline="")
        reader = csv.reader(stream, delimiter=delimiter)
        last = 0
        try:
            for row in reader:
                start, last = last + 1, reader.line_num
                if row:
                    starts.append(header_line + start)
        except csv.Error:
            return np.zeros(0, dtype=np.int64)
    return np.asarray(starts, dtype=np.int64)


def _next_line_end(data: bytes, offset: int) -> int:
    """Offset just after the next CR, LF or CRLF at or after ``offset`` (-1 if none)."""
    lf = data.find(b"\n", offset)
    cr = data.find(b"\r", offset, lf if lf >= 0 else len(data))
    if cr >= 0:
        return cr + 2 if data[cr + 1:cr + 2] == b"\n" else cr + 1
    return lf + 1 if lf >= 0 else -1


def _line_count(path: Path, start: int) -> int:
    """Lines in the file from byte ``start``, or -1 if a blank line or CR-only
    line ends make Arrow's row count differ from the user's line numbers.

    Read a few megabytes at a time, so the count costs no memory. Blank
    lines at the very end do not matter.
    """
    lf = cr = 0
    first_blank = -1
    content_end = start  # just after the last byte that is not a line end
    trailing_lf = 0
    position = start
    carry = b""
    with path.open("rb") as stream:
        stream.seek(start)
        for block in iter(lambda: stream.read(8 << 20), b""):
            lf += block.count(b"\n")
            cr += block.count(b"\r")
            if first_blank < 0:
                joined = carry + block
                found = min((i for i in (joined.find(b"\n\n"), joined.find(b"\n\r\n"))
                             if i >= 0), default=-1)
                if found >= 0:
                    first_blank = position - len(carry) + found
            stripped = block.rstrip(b"\r\n")
            if stripped:
                content_end = position + len(stripped)
                trailing_lf = block.count(b"\n", len(stripped))
            else:
                trailing_lf += block.count(b"\n")
            carry = block[-2:]
            position += len(block)
    if cr and (not lf or cr != lf):
        return -1  # CR-only or mixed line ends: Python counts them
    if 0 <= first_blank < content_end:
        return -1
    if content_end == start:
        return 0
    return lf - trailing_lf + 1


def read_delimited_text(text: str, delimiter: str, header_line: int | None,
                        path: Path | str = "") -> DelimitedTable:
    """:func:`read_delimited` on text already decoded (the head of a big file)."""
    return _parse(text, "utf-8", delimiter, header_line, Path(path))
