"""Reading a delimited text export into rows of text, whatever wrote it.

Telephony platforms, CRMs and colleagues' spreadsheets write CSV in many
dialects. :func:`read_delimited` works out:

- the encoding: a byte-order mark (UTF-8, UTF-16 LE/BE) if there is one,
  else UTF-8 if the bytes are valid UTF-8, else Windows-1252 (what Excel on
  Windows writes), which maps every byte;
- line ends: CR, LF or CRLF;
- the delimiter: comma, semicolon, tab, pipe, or columns aligned with runs
  of spaces, whichever splits the lines into the most consistent number of
  columns;
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

from salesplanner.errors import UserError

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


def decode(data: bytes, path: Path | str = "") -> tuple[str, str]:
    """The file's text and the encoding it was read with."""
    if not data:
        raise UserError(f"{path}: the file is empty (0 bytes); there is nothing to import")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UserError(f"{path}: the file says it is UTF-16 but is damaged") from None
    if b"\x00" in data[:4096]:
        raise UserError(f"{path}: this is not a text table (it contains binary data); "
                        "save it as CSV or choose the Excel workbook instead")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == WHITESPACE:
        return [cell for cell in _SPACES.split(line.strip())]
    return next(csv.reader([line], delimiter=delimiter))


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
    """Index of the header among ``rows``: the first full-width row followed
    by rows of the same width (titles and notes above it are narrower)."""
    filled = [sum(1 for c in row if c.strip()) for row in rows[:SNIFF_LINES]]
    width = Counter(w for w in filled if w > 1).most_common(1)
    if not width:
        return 0
    full = width[0][0]
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
    text, encoding = decode(data, path)
    lines = text.splitlines()
    delimiter = delimiter or sniff_delimiter(lines)
    if delimiter == WHITESPACE:
        parsed = [(n, _split(line, WHITESPACE)) for n, line in enumerate(lines, 1) if line.strip()]
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        parsed = []
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    parsed.append((reader.line_num, row))
        except csv.Error as exc:
            raise UserError(f"{path}: line {reader.line_num}: {exc}") from None
    if not parsed:
        raise UserError(f"{path}: the file has no rows")
    if header_line is None:
        index = find_header_line([row for _n, row in parsed])
    else:
        index = next((i for i, (n, _r) in enumerate(parsed) if n >= header_line), None)
        if index is None:
            raise UserError(f"{path}: there is no line {header_line}; the file has "
                            f"{parsed[-1][0]} lines")
    header_number, headers = parsed[index]
    headers = [h.strip() for h in headers]
    body = parsed[index + 1:]
    return DelimitedTable(
        headers=headers, rows=[row for _n, row in body], line_numbers=[n for n, _r in body],
        encoding=encoding, delimiter=delimiter, header_line=header_number)
