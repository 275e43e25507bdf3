"""The workmanship every exported sheet shares.

A :class:`Book` wraps an openpyxl workbook and writes cells the way a
careful analyst would by hand:

- **Number formats by unit**: money in the plan's currency, percentages,
  counts, seconds, hours, real dates (``d mmm yyyy``, the same in every
  locale, never ambiguous between day and month).
- **Text stays text.** Every string is written as a string cell; one that
  begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's
  CSV-injection list) also gets Excel's *quote prefix*, so it shows exactly as
  it was imported, is never evaluated, and stays text if someone edits the
  cell. Characters XML cannot hold are dropped. Only :meth:`Book.formula`
  writes formulas, and only formulas the program built.
- **Live formulas with their expected figure.** Each formula cell records the
  figure the program computed for it (:attr:`Book.expected`), so a test can
  recalculate the workbook in LibreOffice and compare every one.
- **Tables** with filter buttons and banded rows, frozen header rows, column
  widths from the contents, print setup (landscape, fit to one page wide,
  header rows repeated, plan name, sheet and page in the header and footer)
  and workbook properties.
- **Atomic save**: written to a temporary file beside the target and moved
  into place; a failure or a cancel leaves no file under the chosen name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from salesplanner.currency import currency
from salesplanner.errors import UserError
from salesplanner.jobs import JobToken, SilentToken, check_cancel
from salesplanner.spreadsheet_safety import FORMULA_TRIGGERS
from salesplanner.user_files import temporary_beside

#: Excel's limit of rows on one sheet (the header included).
EXCEL_MAX_ROWS = 1_048_576
#: Rows of default height an A4 landscape page prints at full size (a sheet fitted
#: to the page's width prints at most this scale, so at least this many fit).
PAGE_ROWS = 30
#: Widest column written, in characters.
MAX_WIDTH = 60

#: The workbook's font: Excel's default; LibreOffice shows its metric twin (Carlito)
#: or a sans serif. Every font names it, or LibreOffice falls back to a serif.
FONT = "Calibri"
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
TITLE_FONT = Font(name=FONT, size=16, bold=True, color="1F4E78")
SUBTITLE_FONT = Font(name=FONT, size=10, italic=True, color="595959")
HEADING_FONT = Font(name=FONT, size=12, bold=True, color="1F4E78")
BOLD = Font(name=FONT, bold=True)
TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
#: Fills for red/amber/green, as the window shows them.
RAG_FILLS = {"Red": PatternFill("solid", fgColor="F8CBAD"),
             "Amber": PatternFill("solid", fgColor="FFE699"),
             "Green": PatternFill("solid", fgColor="C6EFCE")}
RAG_FONTS = {"Red": Font(name=FONT, color="9C0006"), "Amber": Font(name=FONT, color="7F6000"),
             "Green": Font(name=FONT, color="006100")}


def number_formats(currency_code: str) -> dict[str, str]:
    """The Excel number format of each kind of value, in the plan's currency."""
    cur = currency(currency_code)
    decimals = "." + "0" * cur.digits if cur.digits else ""
    money = f'"{cur.symbol}"#,##0{decimals}'
    return {
        "money": f"{money};-{money}", "money/hour": f'{money}"/h";-{money}"/h"',
        "count": "#,##0", "number1": "#,##0.0", "number": "#,##0.00", "percent": "0.0%",
        "seconds": '#,##0" s"', "hours": '#,##0.0" h"', "date": "d mmm yyyy",
        "datetime": "d mmm yyyy hh:mm", "month": "mmm yyyy", "week": "d mmm yyyy",
        "text": "@", "ratio": "0.00", "count/hour": '#,##0.0"/h"',
    }


def unit_label(unit: str, currency_code: str) -> str:
    """A measure's unit as a reader writes it: ``£``, ``count``, ``%``, ``£/h`` ..."""
    symbol = currency(currency_code).symbol
    return {"money": symbol, "money/hour": f"{symbol}/h", "percent": "%", "seconds": "s",
            "hours": "h", "count/hour": "count/h"}.get(unit, unit)


@dataclass(frozen=True)
class Column:
    """One column of a table: its header and the kind of value it holds."""

    header: str
    #: ``text``, ``date``, ``month``, ``money``, ``count``, ``percent`` ... (see
    #: :func:`number_formats`); a measure's unit works as a kind.
    kind: str = "text"


def safe_text(value: str) -> str:
    """Text with the characters an XML cell cannot hold removed, and line ends
    as line feeds (XML reads a carriage return back as a line feed anyway)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def needs_quote_prefix(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula if typed in."""
    return text.startswith(FORMULA_TRIGGERS)


class Book:
    """A workbook being built; :meth:`save` writes it."""

    def __init__(self, *, title: str, plan_name: str, currency_code: str, author: str,
                 subject: str = "") -> None:
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.plan_name = plan_name
        self.currency = currency_code
        self.formats = number_formats(currency_code)
        #: ``(sheet, cell) -> figure``: what each formula must come to.
        self.expected: dict[tuple[str, str], float | str | None] = {}
        self._widths: dict[str, dict[int, float]] = {}
        #: Lines under sheet titles, wrapped across the sheet's columns when longer.
        self._notes: list[Cell] = []
        self._table_names: set[str] = set()
        #: Callbacks run on the saved file before it is moved into place.
        self.finishers: list[Callable[[Path, JobToken], None]] = []
        #: Data sheets streamed in after the save (see :mod:`.data_sheet`).
        self.data_streams: list = []
        props = self.wb.properties
        props.title, props.creator, props.subject = title, author, subject
        props.lastModifiedBy = author
        props.created = props.modified = datetime.now().replace(microsecond=0)
        # No cached values are written: ask every spreadsheet to calculate on open.
        self.wb.calculation.fullCalcOnLoad = True

    # -- sheets ----------------------------------------------------------------------------

    def sheet(self, title: str) -> Worksheet:
        """A new sheet, set up to print landscape, one page wide."""
        ws = self.wb.create_sheet(safe_sheet_title(title, self.wb.sheetnames))
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.oddHeader.left.text = safe_text(self.plan_name).replace("&", "&&")
        ws.oddHeader.right.text = "&A"
        ws.oddFooter.left.text = "Sales Planner"
        ws.oddFooter.right.text = "Page &P of &N"
        ws.sheet_view.showGridLines = False
        self._widths[ws.title] = {}
        return ws

    def title_block(self, ws: Worksheet, title: str, lines: Sequence[str] = ()) -> int:
        """A sheet title and lines under it; returns the next free row (after a gap)."""
        self.text_cell(ws, 1, 1, title).font = TITLE_FONT
        for i, line in enumerate(lines):
            self.note(ws, 2 + i, 1, line).font = SUBTITLE_FONT
        return 3 + len(lines)

    def note(self, ws: Worksheet, row: int, col: int, text: str) -> Cell:
        """A line of text, wrapped across the sheet's columns when longer than they
        are wide (rather than running off the printed page)."""
        cell = self.text_cell(ws, row, col, text)
        self._notes.append(cell)
        return cell

    def heading(self, ws: Worksheet, row: int, text: str, col: int = 1) -> int:
        """A section heading; returns the row under it."""
        self.text_cell(ws, row, col, text).font = HEADING_FONT
        return row + 1

    # -- cells -----------------------------------------------------------------------------

    def text_cell(self, ws: Worksheet, row: int, col: int, text: str) -> Cell:
        """Write text that can never run as a formula (see the module notes)."""
        prefix = needs_quote_prefix(text)
        text = safe_text(text)
        cell = ws.cell(row, col)
        cell.value = text
        cell.data_type = "s"
        if prefix:
            cell.quotePrefix = True
        return cell

    def put(self, ws: Worksheet, row: int, col: int, value: object, kind: str = "text",
            *, track: bool = True) -> Cell:
        """Write a value formatted as ``kind``; text is always kept as text."""
        if isinstance(value, float) and value != value:
            value = None
        if isinstance(value, str):
            cell = self.text_cell(ws, row, col, value)
        else:
            cell = ws.cell(row, col, value)
            if value is not None and kind in self.formats and kind != "text":
                cell.number_format = self.formats[kind]
        if track:
            self._track(ws, col, value, kind)
        return cell

    def formula(self, ws: Worksheet, row: int, col: int, formula: str,
                expected: float | str | None, kind: str) -> Cell:
        """Write a live formula the program built, recording the figure it must give."""
        if not formula.startswith("="):
            raise ValueError(f"not a formula: {formula!r}")
        cell = ws.cell(row, col)
        cell.value = formula
        if kind in self.formats and kind != "text":
            cell.number_format = self.formats[kind]
        if isinstance(expected, float) and expected != expected:
            expected = None
        self.expected[(ws.title, cell.coordinate)] = expected
        self._track(ws, col, expected, kind)
        return cell

    def _track(self, ws: Worksheet, col: int, value: object, kind: str) -> None:
        widths = self._widths.setdefault(ws.title, {})
        widths[col] = max(widths.get(col, 0.0), display_width(value, kind))

    # -- tables ----------------------------------------------------------------------------

    def table(self, ws: Worksheet, top: int, name: str, columns: Sequence[Column],
              rows: Sequence[Sequence[object]], *, left: int = 1,
              style: str = "TableStyleMedium2", two_line_headers: bool = False) -> TableArea:
        """Write a header and rows as an Excel table with filter buttons.

        A cell value that is a :class:`Formula` is written with :meth:`formula`.
        With ``two_line_headers`` long headers wrap onto a second line (the
        header row is made two lines high) instead of widening their column.
        Returns where it went, for totals and formulas that refer to it."""
        for j, column in enumerate(columns):
            cell = self.text_cell(ws, top, left + j, column.header)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            shown = _two_lines(column.header) if two_line_headers else column.header
            self._track(ws, left + j, shown + "  ", "header")
        if two_line_headers:
            ws.row_dimensions[top].height = 30
        for i, values in enumerate(rows, start=top + 1):
            for j, (column, value) in enumerate(zip(columns, values)):
                if isinstance(value, Formula):
                    self.formula(ws, i, left + j, value.text, value.expected,
                                 value.kind or column.kind)
                else:
                    self.put(ws, i, left + j, value, column.kind)
        last = top + max(len(rows), 1)
        area = TableArea(ws.title, top, last, left, [c.header for c in columns])
        ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(columns) - 1)}{last}"
        table = Table(displayName=self._table_name(name), ref=ref)
        table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
        ws.add_table(table)
        return area

    def _table_name(self, name: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "", name.title()) or "Table"
        base = "t" + base if not base[0].isalpha() else base
        candidate, n = base, 1
        while candidate.lower() in self._table_names:
            n += 1
            candidate = f"{base}{n}"
        self._table_names.add(candidate.lower())
        return candidate

    def total_label(self, ws: Worksheet, row: int, col: int, text: str = "Total") -> None:
        """The label of a totals row."""
        cell = self.text_cell(ws, row, col, text)
        cell.font = BOLD

    def style_total_row(self, ws: Worksheet, row: int, first: int, last: int) -> None:
        """Bold with a rule above and a double rule below, as totals are drawn."""
        for col in range(first, last + 1):
            cell = ws.cell(row, col)
            cell.font = BOLD
            cell.border = TOTAL_BORDER

    def centre(self, ws: Worksheet, col: int, first_row: int, last_row: int) -> None:
        """Centre column ``col``'s cells (a RAG word, kept clear of the amount beside it)."""
        for row in range(first_row, last_row + 1):
            ws.cell(row, col).alignment = Alignment(horizontal="center")
        widths = self._widths.setdefault(ws.title, {})
        widths[col] = max(widths.get(col, 0.0), 8.0)

    def one_page(self, ws: Worksheet) -> None:
        """Print ``ws`` on a single page (a front sheet that must not spill)."""
        ws.page_setup.fitToHeight = 1

    def freeze(self, ws: Worksheet, row: int, col: int = 1, *, repeat: bool = True) -> None:
        """Freeze the rows above ``row`` (and columns left of ``col``); repeat them on
        every printed page unless ``repeat`` is False (a table that fits on the first
        page, with charts under it that must not print under its header)."""
        ws.freeze_panes = ws.cell(row, col)
        if repeat:
            ws.print_title_rows = f"1:{row - 1}"

    # -- finishing -------------------------------------------------------------------------

    def fit_columns(self) -> None:
        """Set every tracked column's width from its widest value."""
        for title, widths in self._widths.items():
            ws = self.wb[title]
            for col, width in widths.items():
                ws.column_dimensions[get_column_letter(col)].width = min(
                    MAX_WIDTH, max(8.0, width + 2))
        for cell in self._notes:
            self._wrap_note(cell)

    def _wrap_note(self, cell: Cell) -> None:
        """A line under a title longer than the sheet's columns: wrapped across
        them, so it neither runs off the printed page nor shrinks it to fit."""
        ws = cell.parent
        widths = self._widths.get(ws.title, {})
        last = max((c for c in widths if c >= cell.column), default=cell.column)
        across = sum(ws.column_dimensions[get_column_letter(c)].width or 8.0
                     for c in range(cell.column, last + 1))
        text = str(cell.value or "")
        if len(text) <= across or last == cell.column:
            return
        ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row,
                       end_column=last)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = -(-len(text) * 1.1 // across)  # italic text runs a little wider
        ws.row_dimensions[cell.row].height = 14 * lines

    def save(self, path: str | os.PathLike[str], token: JobToken | None = None) -> Path:
        """Write the workbook to ``path`` atomically (see the module notes)."""
        token = token or SilentToken()
        path = check_destination(path)
        self.fit_columns()
        check_cancel(token)
        tmp = temporary_beside(path, ".xlsx.tmp")
        try:
            token.progress(0.9 if not self.finishers else 0.5, "writing the workbook")
            self.wb.save(tmp)
            for finish in self.finishers:
                finish(tmp, token)
            check_cancel(token)
            os.replace(tmp, path)
        except PermissionError as exc:
            raise UserError(f"{path} cannot be written ({exc.strerror}); if it is open in "
                            "Excel, close it there and export again") from exc
        finally:
            if tmp.exists():
                tmp.unlink()
        return path


def keep_together(ws: Worksheet, first: int, last: int, page_top: int) -> int:
    """Start a new printed page before row ``first`` when rows ``first``..``last``
    (a chart's rows, a short table) would not fit on the page that began at
    ``page_top``; returns the row the page holding them begins at."""
    if last - page_top + 1 > PAGE_ROWS and first - 1 > page_top:
        # A row early: a chart's frame drawn on its anchor row's edge would show
        # as a stray line at the foot of the page before.
        ws.row_breaks.append(Break(id=first - 2))
        return first - 1
    return page_top


def check_destination(path: str | os.PathLike[str]) -> Path:
    """``path`` if a workbook can be saved there, else a message saying why."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path.name}: an Excel workbook's name ends in .xlsx; "
                        "choose a name like plan.xlsx")
    if not path.parent.is_dir():
        raise UserError(f"the folder {path.parent} does not exist; choose another place "
                        "to save")
    if path.is_dir():
        raise UserError(f"{path} is a folder; choose a file name ending in .xlsx")
    return path


@dataclass(frozen=True)
class Formula:
    """A cell value that is a formula, with the figure the program expects."""

    text: str
    expected: float | str | None
    kind: str | None = None


@dataclass(frozen=True)
class TableArea:
    """Where a table went: its header row, last data row and columns."""

    sheet: str
    header_row: int
    last_row: int
    left: int
    headers: list[str]

    @property
    def first_row(self) -> int:
        """The first data row."""
        return self.header_row + 1

    def col(self, header: str) -> int:
        """The column number of ``header``."""
        return self.left + self.headers.index(header)

    def letter(self, header: str) -> str:
        """The column letter of ``header``."""
        return get_column_letter(self.col(header))

    def range(self, header: str) -> str:
        """``G5:G28``: the data cells of a column."""
        letter = self.letter(header)
        return f"{letter}{self.first_row}:{letter}{self.last_row}"


def _two_lines(header: str) -> str:
    """The longer line of ``header`` wrapped at the word that best balances two lines."""
    words = header.split()
    if len(words) < 2:
        return header
    splits: list[tuple[str, str]] = [(" ".join(words[:k]), " ".join(words[k:]))
                                     for k in range(1, len(words))]
    return max(min(splits, key=lambda pair: max(len(pair[0]), len(pair[1]))), key=len)  # type: ignore[index]  # pairs of str


def safe_sheet_title(title: str, taken: Sequence[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of ``[]:*?/\\``), unique."""
    clean = " ".join(re.sub(r"[\[\]:*?/\\]", " ", safe_text(title)).split()).strip("'")[:31] \
        .strip() or "Sheet"
    candidate, n = clean, 1
    lowered = {t.lower() for t in taken}
    while candidate.lower() in lowered:
        n += 1
        suffix = f" ({n})"
        candidate = clean[:31 - len(suffix)] + suffix
    return candidate


def display_width(value: object, kind: str) -> float:
    """About how many characters ``value`` takes when shown as ``kind``."""
    if value is None:
        return 0.0
    if isinstance(value, str):
        longest = max((len(part) for part in value.split("\n")), default=0)
        return longest * (1.15 if kind == "header" else 1.0)
    if isinstance(value, (date, datetime)):
        return 16.0 if isinstance(value, datetime) and kind == "datetime" else 11.0
    if isinstance(value, bool):
        return 5.0
    number = float(value)  # type: ignore[arg-type]
    if kind == "percent":
        return len(f"{number:.1%}")
    if kind in ("money", "money/hour"):
        return len(f"{number:,.2f}") + 3 + (2 if kind == "money/hour" else 0)
    if kind in ("count", "seconds"):
        return len(f"{number:,.0f}") + (2 if kind == "seconds" else 0)
    return len(f"{number:,.2f}")
