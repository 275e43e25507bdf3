"""Opening any source file as a table: the one entry point for readers.

The format is told by the file's first bytes where they are distinctive
(a zip archive, an OLE2 compound file) and by its suffix otherwise, so a
workbook saved with the wrong suffix is still read, and a text export
named ``.xls`` (some telephony platforms do that) is read as text.
"""

from __future__ import annotations

from pathlib import Path

from salesplanner.errors import UserError
from salesplanner.importing.convert import mask_table
from salesplanner.importing.rejects import REJECT_COLUMNS
from salesplanner.importing.source_table import SourceTable
from salesplanner.importing.sources import read_text_table
from salesplanner.importing.totals import skip_total_rows
from salesplanner.importing.workbooks import WORKBOOK_SUFFIXES, SheetInfo, list_sheets, read_workbook

#: Suffixes offered in file choosers.
SOURCE_SUFFIXES = (".csv", ".txt", ".tsv", ".dat", *WORKBOOK_SUFFIXES)


def is_workbook(path: str | Path) -> bool:
    """Whether the file is a workbook rather than delimited text."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise UserError(f"{path}: no such file; check the name and folder") from None
        raise UserError(f"{path}: cannot read the file ({exc.strerror})") from None
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return True
    if path.suffix.lower() in WORKBOOK_SUFFIXES and head and not _looks_like_text(path):
        return True
    return False


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as stream:
        sample = stream.read(4096)
    return b"\x00" not in sample or sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def sheets(path: str | Path) -> list[SheetInfo]:
    """The sheets of a workbook; a text file has none."""
    return list_sheets(path) if is_workbook(path) else []


def _unprotect(table: SourceTable) -> None:
    """Take off the quote a rejects file put before text a spreadsheet would run.

    The rejects file (:mod:`.rejects`) writes ``=SUM(...)`` as ``'=SUM(...)``
    so that opening it is safe; importing it again restores the text.
    """
    import pyarrow.compute as pc

    for i, column in enumerate(table.columns):
        protected = pc.match_substring_regex(column, r"^'[=+\-@\t\r]")
        if pc.any(protected).as_py():
            table.columns[i] = pc.if_else(protected, pc.utf8_slice_codeunits(column, 1),
                                          column)


def read_source(path: str | Path, sheet: str | int | None = None,
                header_line: int | None = None) -> SourceTable:
    """Read a CSV/text export or a workbook sheet as a :class:`SourceTable`."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path}: is a folder; choose a file")
    if path.exists() and not path.is_file():  # a pipe or a device would be read for ever
        raise UserError(f"{path}: is not an ordinary file (a pipe or a device); save the "
                        "export to a file and import that")
    if is_workbook(path):
        table = read_workbook(path, sheet, header_line)
    else:
        if sheet is not None:
            raise UserError(f"{path}: --sheet applies to workbooks; this is a text file")
        table = read_text_table(path, header_line=header_line)
    # Card numbers are masked before anything else sees the cells: previews,
    # messages, rejects files and the plan.
    mask_table(table)
    if all(h in table.headers for h in REJECT_COLUMNS):
        _unprotect(table)
    skip_total_rows(table)  # a sum of the rows above is no record, in any kind
    if not any(h for h in table.headers) or len(table.headers) < 2 and not table.num_rows:
        raise UserError(f"{path}: no table found (no header row with column names)")
    return table
