"""The plan workbook on paper: print titles, page breaks, units and alignment
(issue 20 item 13). The figures themselves are tested in test_export.py."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from salesplanner.export.book import unit_label
from tests.helpers import libreoffice
from tests.unit.test_export import exported, needs_libreoffice  # noqa: F401  (a fixture)


def header_rows(ws: Worksheet) -> dict[int, list[str]]:
    """The top row of each table on the sheet and its headers."""
    out = {}
    for table in ws.tables.values():
        first = ws[table.ref.split(":")[0]]
        row = first.row
        out[row] = [c.value for c in ws[row][first.column - 1:] if c.value is not None]
    return out


def title_end(ws: Worksheet) -> int | None:
    """The last row printed at the top of every page, or None."""
    if not ws.print_title_rows:
        return None
    return int(re.search(r"(\d+)$", ws.print_title_rows).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def book(exported) -> openpyxl.Workbook:  # noqa: F811
    return openpyxl.load_workbook(exported[1].path)


def test_each_long_table_repeats_its_own_header(book: openpyxl.Workbook) -> None:
    names = book.sheetnames
    assert names.index("Agents Revenue") == names.index("Performance Revenue") + 1
    teams, agents = book["Performance Revenue"], book["Agents Revenue"]
    # One table per sheet: page 2 of the agents can only repeat the agents' header.
    assert len(teams.tables) == 1 and len(agents.tables) == 1
    (agent_row, agent_headers), = header_rows(agents).items()
    assert agent_headers[:4] == ["#", "Agent", "Name", "Team"] and len(agent_headers) == 11
    assert title_end(agents) == agent_row
    for ws in book.worksheets:
        end = title_end(ws)
        if end is not None:
            assert end in header_rows(ws), f"{ws.title} repeats row {end}, not a header"
            # No table starting lower down with fewer columns sits under that header
            # on a later page alone: anything below the long table is its continuation
            # (totals) or comes after it on the same run of pages.
            assert len(header_rows(ws)[end]) == max(len(h) for h in header_rows(ws).values())


def test_charts_print_on_their_own_page_not_under_a_table_header(
        book: openpyxl.Workbook) -> None:
    for name in ("Trends", "Product mix"):
        ws = book[name]
        (header, _), = header_rows(ws).items()
        last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None)
        assert last < 30 and ws.print_title_rows is None, name  # short: nothing repeats
        chart_rows = [c.anchor._from.row + 1 for c in ws._charts]
        breaks = [b.id for b in ws.row_breaks.brk]
        assert breaks and all(any(b < r for b in breaks) for r in chart_rows), name
    forecast = book["Forecast"]
    rows = header_rows(forecast)
    long_row = title_end(forecast)
    # The back-test sits beside the long weekly table, never under its repeated header.
    backtest = next(r for r, h in rows.items() if h[0] == "Method")
    assert forecast.cell(backtest, 7).value == "Method" and forecast.cell(backtest, 1).value
    assert long_row is not None and long_row < backtest


def test_product_mix_rows_all_print(book: openpyxl.Workbook) -> None:
    ws = book["Product mix"]
    assert not any(d.hidden for d in ws.row_dimensions.values())
    assert not any(d.outlineLevel for d in ws.row_dimensions.values())
    assert not any(d.hidden for d in ws.column_dimensions.values())
    assert not ws.print_area  # the whole used range prints
    (header, names), = header_rows(ws).items()
    assert names[0] == "Month" and names[-1] == "Total"
    last = int(re.search(r"(\d+)$", next(iter(ws.tables.values())).ref).group(1))  # type: ignore[union-attr]
    months = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).is_date]
    assert months == list(range(header + 1, last + 1)) and len(months) >= 6


def test_units_are_written_as_a_reader_writes_them(book: openpyxl.Workbook) -> None:
    summary = book["Summary"]
    header = next(r for r in range(1, 60) if summary.cell(r, 1).value == "Measure")
    units = {summary.cell(r, 1).value: summary.cell(r, 5).value
             for r in range(header + 1, header + 20) if summary.cell(r, 1).value}
    units = {k: v for k, v in units.items() if v is not None}
    assert units["Revenue"] == "£" and units["Sales"] == "count"
    assert units["Conversion rate"] == "%"
    measures = book["Measures"]
    col = next(c.column for c in measures[4] if c.value == "Unit")
    written = {measures.cell(r, col).value for r in range(5, measures.max_row + 1)} - {None}
    assert "£" in written and "%" in written
    assert not written & {"money", "percent", "money/hour"}
    assert "(£, higher is better)" in book["Targets Revenue"]["C3"].value
    assert unit_label("money/hour", "EUR") == "€/h" and unit_label("seconds", "GBP") == "s"


def test_rag_words_stand_clear_of_the_amounts(book: openpyxl.Workbook) -> None:
    for name in ("Performance Revenue", "Agents Revenue"):
        ws = book[name]
        (header, names), = header_rows(ws).items()
        col = names.index("RAG") + 1
        words = [ws.cell(r, col) for r in range(header + 1, header + 6)]
        assert all(c.alignment.horizontal == "center" for c in words), name
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width >= 8


def test_the_summary_is_one_page(book: openpyxl.Workbook) -> None:
    ws = book["Summary"]
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_long_lines_under_a_title_wrap_within_the_page(book: openpyxl.Workbook) -> None:
    ws = book["Performance Revenue"]
    merged = [m for m in ws.merged_cells.ranges if m.min_row in (2, 3)]
    assert merged, "the long RAG/projection line is not wrapped"
    for m in merged:
        cell = ws.cell(m.min_row, m.min_col)
        assert cell.alignment.wrap_text and ws.row_dimensions[m.min_row].height >= 28


@needs_libreoffice
def test_libreoffice_prints_the_summary_on_one_page(exported, tmp_path: Path) -> None:  # noqa: F811
    wb = openpyxl.load_workbook(exported[1].path)
    for name in wb.sheetnames[1:]:
        del wb[name]
    only = tmp_path / "summary.xlsx"
    wb.save(only)
    pdf = libreoffice.convert(only, tmp_path, "pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
