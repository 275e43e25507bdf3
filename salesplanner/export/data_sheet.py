"""Raw data sheets, streamed straight into the workbook file.

Writing a hundred thousand rows cell by cell through openpyxl costs about a
third of a millisecond a cell. Instead openpyxl writes a small placeholder
sheet (the header, an Excel table over the full range, frozen header, widths
and one row of styled empty cells to learn each column's style number), and
after the workbook is saved its ``sheetData`` is replaced by rows built a
column at a time with pandas string operations: inline strings, numbers and
date serials. Text keeps the same guarantees as every other cell: characters
XML cannot hold are dropped, and text beginning with a formula trigger gets
the quote prefix. Past Excel's 1,048,576 rows the data continues on
``Sales (2)``, ``Sales (3)`` ...
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from salesplanner.export.book import EXCEL_MAX_ROWS, Book, Column, display_width
from salesplanner.jobs import JobToken, check_cancel
from salesplanner.spreadsheet_safety import FORMULA_TRIGGERS
from salesplanner.storage.plan_file import PlanFile
from salesplanner.user_files import temporary_beside

#: Rows built at a time (memory, progress and cancel).
CHUNK = 50_000
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PLACEHOLDER_ROW = re.compile(r'<row r="2"[^>]*>(.*?)</row>', re.S)
_STYLE = re.compile(r'<c r="([A-Z]+)2" s="(\d+)"')

SALES_SQL = """
SELECT s.ts, s.sale_ref, s.order_ref, a.code, a.name, t.name, p.sku, p.name, p.category,
       s.quantity, s.revenue_minor, s.line_type, s.channel, s.outcome, s.segment, s.campaign,
       s.customer_ref
FROM sale s LEFT JOIN agent a ON a.id = s.agent_id LEFT JOIN team t ON t.id = a.team_id
LEFT JOIN product p ON p.id = s.product_id ORDER BY s.ts, s.id"""
SALES_COLUMNS = [
    Column("Date and time", "datetime"), Column("Sale ref"), Column("Order ref"),
    Column("Agent"), Column("Agent name"), Column("Team"), Column("SKU"), Column("Product"),
    Column("Category"), Column("Quantity", "count"), Column("Revenue", "money"),
    Column("Line type"), Column("Channel"), Column("Outcome"), Column("Segment"),
    Column("Campaign"), Column("Customer")]
CALLS_SQL = """
SELECT c.ts, c.call_ref, a.code, a.name, t.name, c.direction, c.duration_s, c.outcome, c.queue,
       c.campaign, c.customer_ref
FROM call c LEFT JOIN agent a ON a.id = c.agent_id LEFT JOIN team t ON t.id = a.team_id
ORDER BY c.ts, c.id"""
CALLS_COLUMNS = [
    Column("Date and time", "datetime"), Column("Call ref"), Column("Agent"),
    Column("Agent name"), Column("Team"), Column("Direction"), Column("Duration", "seconds"),
    Column("Outcome"), Column("Queue"), Column("Campaign"), Column("Customer")]


def steps(book: Book, plan: PlanFile) -> list[tuple[str, Callable[[], object]]]:
    """The raw Sales and Calls sheets as (what, write) steps."""
    return [("sales rows", lambda: add_data(book, "Sales", SALES_COLUMNS,
                                            read_rows(plan, SALES_SQL, SALES_COLUMNS))),
            ("call rows", lambda: add_data(book, "Calls", CALLS_COLUMNS,
                                           read_rows(plan, CALLS_SQL, CALLS_COLUMNS)))]


def read_rows(plan: PlanFile, sql: str, columns: list[Column]) -> pd.DataFrame:
    """The query's rows as a frame with the columns' headers, money in major units."""
    from salesplanner.daily_figures import money_scale

    with plan.connect() as conn:
        frame = pd.DataFrame(conn.execute(sql).fetchall(),
                             columns=[c.header for c in columns])
    for c in columns:
        if c.kind == "money":
            frame[c.header] = frame[c.header] / money_scale(plan)
    return frame


@dataclass
class _Stream:
    title: str
    columns: list[Column]
    frame: pd.DataFrame


def add_data(book: Book, title: str, columns: list[Column], frame: pd.DataFrame) -> list[str]:
    """Sheets for ``frame`` (split past Excel's row limit); returns their titles."""
    per_sheet = EXCEL_MAX_ROWS - 1
    parts = [frame.iloc[i:i + per_sheet] for i in range(0, max(len(frame), 1), per_sheet)]
    titles = []
    for part in parts:
        ws = book.sheet(title)
        titles.append(ws.title)
        for j, column in enumerate(columns, start=1):
            book.text_cell(ws, 1, j, column.header)
            sample = ws.cell(2, j)
            sample.number_format = book.formats.get(column.kind, "General")
            width = max([display_width(column.header, "header"),
                         *[display_width(v, column.kind) for v in part[column.header].head(200)
                           if v is not None and v == v]])
            ws.column_dimensions[get_column_letter(j)].width = min(50.0, width + 2)
        quoted = ws.cell(3, 1)
        quoted.quotePrefix = True
        last = get_column_letter(len(columns))
        table = Table(displayName=book._table_name(f"Data {ws.title}"),
                      ref=f"A1:{last}{max(len(part), 1) + 1}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        if not book.data_streams:  # the first: stream them all once the book is saved
            book.finishers.append(lambda path, token: write_streams(book, path, token))
        book.data_streams.append(_Stream(ws.title, columns, part))
    return titles


def write_streams(book: Book, path: Path, token: JobToken) -> None:
    """Replace each placeholder data sheet in the saved file ``path`` by its rows."""
    if not book.data_streams:
        return
    sheet_files = {title: f"xl/worksheets/sheet{i}.xml"
                   for i, title in enumerate(book.wb.sheetnames, start=1)}
    streams = {sheet_files[s.title]: s for s in book.data_streams}
    total = sum(len(s.frame) for s in book.data_streams) or 1
    done = 0
    tmp_name = str(temporary_beside(path, ".xlsx.tmp"))
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(
                tmp_name, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
            for item in src.infolist():
                if item.filename not in streams:
                    dst.writestr(item, src.read(item.filename))
                    continue
                stream = streams[item.filename]
                xml = src.read(item.filename).decode("utf-8")
                head, _, rest = xml.partition("<sheetData>")
                rows_xml, _, tail = rest.partition("</sheetData>")
                header = rows_xml[:rows_xml.index('<row r="2"')]
                placeholder = _PLACEHOLDER_ROW.search(rows_xml).group(1)  # type: ignore[union-attr]  # openpyxl writes this row
                styles = dict(_STYLE.findall(placeholder))
                quoted = re.search(r'<row r="3"[^>]*><c r="A3" s="(\d+)"', rows_xml).group(1)  # type: ignore[union-attr]  # openpyxl writes this row
                last = get_column_letter(len(stream.columns))
                head = re.sub(r'<dimension ref="[^"]*"/>',
                              f'<dimension ref="A1:{last}{len(stream.frame) + 1}"/>', head)
                with dst.open(item.filename, "w", force_zip64=True) as out:
                    out.write(head.encode("utf-8"))
                    out.write(b"<sheetData>" + header.encode("utf-8"))
                    for start in range(0, len(stream.frame), CHUNK):
                        check_cancel(token)
                        chunk = stream.frame.iloc[start:start + CHUNK]
                        out.write(rows_xml_of(chunk, stream.columns, styles, quoted,
                                              first_row=start + 2).encode("utf-8"))
                        done += len(chunk)
                        token.progress(0.5 + 0.45 * done / total, f"writing {stream.title}: "
                                       f"{start + len(chunk):,} of {len(stream.frame):,} rows")
                    out.write(("</sheetData>" + tail).encode("utf-8"))
        shutil.move(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def rows_xml_of(frame: pd.DataFrame, columns: list[Column], styles: dict[str, str],
                quoted_style: str, first_row: int) -> str:
    """``<row>`` elements for ``frame``, built a column at a time."""
    n = len(frame)
    if not n:
        return ""
    numbers = pd.Series(np.arange(first_row, first_row + n).astype(str), index=frame.index)
    cells = pd.Series([""] * n, index=frame.index, dtype=object)
    for j, column in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ref = f'<c r="{letter}' + numbers
        style = styles.get(letter, "0")
        values = frame[column.header]
        if column.kind in ("date", "datetime"):
            stamps = pd.to_datetime(values, errors="coerce")
            serial = (stamps.to_numpy(dtype="datetime64[ns]") - _EXCEL_EPOCH) / np.timedelta64(
                1, "D")
            present = ~np.isnan(serial)
            text = pd.Series(np.round(serial, 9).astype(str), index=frame.index)
            cell = ref + f'" s="{style}"><v>' + text + "</v></c>"
        elif column.kind == "text":
            raw = values.astype(object)
            present = raw.notna().to_numpy() & (raw.astype(str) != "").to_numpy()
            text = raw.where(present, "").astype(str)
            prefixed = text.str.startswith(FORMULA_TRIGGERS).to_numpy()
            text = text.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n",
                                                                            regex=False)
            if text.str.contains(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", regex=True).any():
                text = text.str.replace(_ILLEGAL, "", regex=True)
            text = (text.str.replace("&", "&amp;", regex=False)
                    .str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False))
            style_of = pd.Series(np.where(prefixed, quoted_style, style), index=frame.index)
            cell = (ref + '" s="' + style_of + '" t="inlineStr"><is><t xml:space="preserve">'
                    + text + "</t></is></c>")
        else:
            numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
            present = ~np.isnan(numeric)
            filled = np.where(present, numeric, 0.0)
            whole = (filled == np.round(filled)) & (np.abs(filled) < 1e15)
            text = pd.Series(np.where(whole, np.where(whole, filled, 0).astype(np.int64)
                                      .astype(str), filled.astype(str)), index=frame.index)
            cell = ref + f'" s="{style}"><v>' + text + "</v></c>"
        cells = cells + cell.where(present, "")
    rows = '<row r="' + numbers + '">' + cells + "</row>"
    return "".join(rows.tolist())

