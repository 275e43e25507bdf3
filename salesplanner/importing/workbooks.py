"""Reading Excel (.xlsx, .xlsm, .xls, .xlsb) and OpenDocument (.ods) workbooks.

python-calamine (Rust) reads every one of these formats, reads 100k rows
several times faster than openpyxl, and opens many real exports openpyxl
rejects. openpyxl is the fallback for .xlsx/.xlsm files calamine cannot
read. Sheets are listed with their visibility so a hidden sheet is never
chosen by surprise.

Merged header cells: a header cell covered by a merged range takes the
range's value (Excel keeps it only in the top-left cell), so a header
merged across two columns names both (then told apart by the mapping).

Before a reader touches a zip-based workbook, its parts are checked against
the limits in :mod:`.workbook_limits` (zip bombs, shared-string bombs).

Dates: cells formatted as dates arrive as date-times from the reader,
whichever date system the workbook uses. A date column holding bare serial
numbers is converted later with :attr:`SourceTable.date1904`, read here from
the workbook's own flag.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from salesplanner.errors import UserError
from salesplanner.importing.sources import find_header_line
from salesplanner.importing.source_table import SourceTable, cell_text
from salesplanner.importing.workbook_limits import check_archive, check_sheet, unpack_budget

if TYPE_CHECKING:
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of a workbook: its name and whether Excel hides it."""

    name: str
    hidden: bool

    def __str__(self) -> str:
        return f"{self.name} (hidden)" if self.hidden else self.name


def _refuse_unreadable(path: Path, head: bytes) -> None:
    """Refuse empty, encrypted and non-workbook files with one clear line."""
    if not head:
        raise UserError(f"{path}: the file is empty (0 bytes); there is nothing to import")
    if head.startswith(_OLE_MAGIC) and _encrypted(path):
        raise UserError(f"{path}: the workbook is protected with a password; open it in Excel, "
                        "remove the password (File > Info > Protect Workbook) or save a copy "
                        "without one, and import that")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xlsb", ".ods") and not head.startswith(b"PK"):
        raise UserError(f"{path}: this is not a {suffix} workbook (its contents are not a "
                        "workbook's); save it again from the spreadsheet program")
    if suffix == ".xls" and not head.startswith(_OLE_MAGIC):
        raise UserError(f"{path}: this is not an .xls workbook; if it is a text export, "
                        "rename it to .csv")


def _encrypted(path: Path) -> bool:
    with path.open("rb") as stream:
        return _ENCRYPTION_INFO in stream.read(1 << 20)


def _open(path: Path) -> CalamineWorkbook | Exception:
    import python_calamine

    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as exc:
        raise UserError(f"{path}: cannot read the file ({exc.strerror})") from None
    _refuse_unreadable(path, head)
    if head.startswith(b"PK"):
        check_archive(path)
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise UserError(f"{path}: the workbook is protected with a password; save a copy "
                        "without the password and import that") from None
    except Exception as exc:  # noqa: BLE001 - calamine raises many kinds; openpyxl may cope
        return exc


def list_sheets(path: str | Path) -> list[SheetInfo]:
    """The workbook's worksheets in order, hidden ones marked."""
    path = Path(path)
    book = _open(path)
    if isinstance(book, Exception):
        return [SheetInfo(ws.title, ws.sheet_state != "visible")
                for ws in _openpyxl_book(path, book).worksheets]
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    return [SheetInfo(m.name, m.visible != SheetVisibleEnum.Visible)
            for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]


def _openpyxl_book(path: Path, why: Exception) -> Workbook:
    """openpyxl's reading of a workbook calamine could not open."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(f"{path}: the workbook cannot be read ({why}); it may be damaged or "
                        "truncated: open it in the spreadsheet program and save it again")
    import openpyxl

    # openpyxl builds every cell of every sheet as an object: half the budget.
    check_archive(path, unpack_budget() // 2)
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means: not readable
        raise UserError(f"{path}: the workbook cannot be read ({exc}); it may be damaged or "
                        "truncated: open it in the spreadsheet program and save it again") from None


def _date1904(path: Path) -> bool:
    """Whether an .xlsx/.xlsm workbook counts serial dates from 1904."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("xl/workbook.xml")[:4096].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return bool(re.search(r"date1904\s*=\s*[\"'](1|true)[\"']", xml))


def _choose(sheets: list[SheetInfo], sheet: str | int | None, path: Path) -> str:
    names = [s.name for s in sheets]
    if not names:
        raise UserError(f"{path}: the workbook has no worksheets")
    if sheet is None:
        visible = [s.name for s in sheets if not s.hidden]
        return (visible or names)[0]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()
                                  and sheet not in names):
        index = int(sheet) - 1
        if not 0 <= index < len(names):
            raise UserError(f"{path}: there is no sheet {sheet}; it has {len(names)}")
        return names[index]
    for name in names:
        if name == sheet or name.casefold() == str(sheet).casefold():
            return name
    raise UserError(f"{path}: there is no sheet {sheet!r}; the sheets are "
                    + ", ".join(str(s) for s in sheets))


def read_workbook(path: str | Path, sheet: str | int | None = None,
                  header_line: int | None = None) -> SourceTable:
    """Read one sheet (by name or 1-based number; default the first visible)."""
    path = Path(path)
    book = _open(path)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
    if isinstance(book, Exception):
        wb = _openpyxl_book(path, book)
        sheets = [SheetInfo(ws.title, ws.sheet_state != "visible") for ws in wb.worksheets]
        name = _choose(sheets, sheet, path)
        check_sheet(path, name)
        ws = wb[name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        merged = [((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1))
                  for r in ws.merged_cells.ranges]
        first_row = 1
    else:
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        sheets = [SheetInfo(m.name, m.visible != SheetVisibleEnum.Visible)
                  for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        name = _choose(sheets, sheet, path)
        check_sheet(path, name)  # before the reader copies shared strings into cells
        data = book.get_sheet_by_name(name)
        try:
            rows = data.to_python(skip_empty_area=False)
        except Exception as exc:  # noqa: BLE001 - a damaged sheet raises many kinds
            raise UserError(f"{path}: sheet {name!r} cannot be read ({exc})") from None
        merged = list(data.merged_cell_ranges or [])
        first_row = 1
    # The header is looked for among the first non-blank rows only.
    head: list[tuple[int, list[object]]] = []
    for i, row in enumerate(rows):
        if any(not _blank_cell(c) for c in row):
            head.append((first_row + i, row))
            if len(head) >= 200:
                break
    if not head:
        raise UserError(f"{path}: sheet {name!r} is empty; choose the sheet that holds the data")
    if header_line is None:
        index = find_header_line([[cell_text(c) for c in row] for _n, row in head])
    else:
        index = next((i for i, (n, _r) in enumerate(head) if n >= header_line),  # type: ignore[assignment]  # see below
                     None)  # None is refused just below
        if index is None:
            raise UserError(f"{path}: sheet {name!r} has no row {header_line} in its first rows")
    header_number, header_row = head[index]
    header_row = _fill_merged(list(header_row), header_number - first_row, rows, merged)
    headers = [cell_text(c).strip() for c in header_row]
    while headers and not headers[-1]:
        headers.pop()
    start = header_number - first_row + 1
    table = SourceTable.from_rows(
        rows[start:], list(range(header_number + 1, header_number + 1 + len(rows) - start)),
        headers, file=str(path), format=path.suffix.lower().lstrip("."),
        header_line=header_number, sheet=name, date1904=_date1904(path))
    if any(s.name == name and s.hidden for s in sheets):
        table.warnings.append(f"sheet {name!r} is hidden in the workbook")
    return table


def _blank_cell(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fill_merged(header: list[object], row_index: int, rows: list[list[object]],
                 merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> list[object]:
    """Header cells inside a merged range take the range's top-left value."""
    for (r0, c0), (r1, c1) in merged:
        if r0 <= row_index <= r1:
            value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
            for c in range(c0, c1 + 1):
                while len(header) <= c:
                    header.append(None)
                if c != c0 or r0 != row_index:
                    if header[c] is None or not str(header[c]).strip():
                        header[c] = value
    return header
