"""Reading every source format into a table: workbooks, big CSVs, unreadable files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from salesplanner.errors import UserError
from salesplanner.importing.reading import read_source, sheets
from tests.helpers.workbooks import write_encrypted_xlsx, write_ods, write_xls, write_xlsx

ROWS = [["Agent", "Date", "Revenue", "Campaign"],
        ["007", datetime(2026, 3, 31, 10, 0), 1234.5, "None"],
        ["AG2", datetime(2026, 4, 1), 12, "NA"]]


def test_xlsx_title_rows_hidden_sheets_and_merged_header(tmp_path: Path) -> None:
    rows = [["Monthly sales report", None, None, None], [None, None, None, None],
            ["Agent", "Date", "Value", None], ["007", datetime(2026, 3, 31, 10), 1234.5, 3]]
    path = write_xlsx(tmp_path / "r.xlsx", {"Notes": [["Note", "By"], ["hidden", "me"]], "Data": rows},
                      hidden=("Notes",), merged={"Data": ["A1:D1", "C3:D3"]})
    assert [str(s) for s in sheets(path)] == ["Notes (hidden)", "Data"]
    table = read_source(path)  # the first visible sheet
    assert table.sheet == "Data"
    assert table.header_line == 3
    assert table.headers == ["Agent", "Date", "Value", "Value (2)"]  # merged across C:D
    assert table.preview() == [["007", "2026-03-31 10:00:00", "1234.5", "3"]]
    assert table.line_numbers.tolist() == [4]
    hidden = read_source(path, sheet="notes")
    assert hidden.warnings and "hidden" in hidden.warnings[0]
    with pytest.raises(UserError, match="no sheet 'Sales'.*Notes \\(hidden\\), Data"):
        read_source(path, sheet="Sales")


@pytest.mark.parametrize("date1904", [False, True])
def test_xlsx_dates_in_both_date_systems(tmp_path: Path, date1904: bool) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", {"S": [["Agent", "Date"], ["A", datetime(2026, 3, 31)],
                                                   ["B", 46112]]}, date1904=date1904)
    table = read_source(path)
    assert table.date1904 is date1904
    assert table.preview()[0] == ["A", "2026-03-31"]
    assert table.preview()[1] == ["B", "46112"]  # a bare serial: typed by the converter


def test_xls_and_ods(tmp_path: Path) -> None:
    xls = read_source(write_xls(tmp_path / "a.xls", ROWS))
    assert xls.format == "xls"
    assert xls.preview() == [["007", "2026-03-31 10:00:00", "1234.5", "None"],
                             ["AG2", "2026-04-01 00:00:00", "12", "NA"]]
    ods = read_source(write_ods(tmp_path / "a.ods", [["Agent", "Revenue"], ["007", 12.5],
                                                      ["NA", 3]]))
    assert ods.preview() == [["007", "12.5"], ["NA", "3"]]


def test_unreadable_inputs_are_refused_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UserError, match="empty"):
        read_source(empty)
    locked = write_encrypted_xlsx(tmp_path / "locked.xlsx", [["Agent", "Revenue"], ["A", 1]])
    with pytest.raises(UserError, match="password"):
        read_source(locked)
    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["Agent", "Revenue"], ["A", 1]] * 50})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:1500])
    with pytest.raises(UserError, match="cannot be read"):
        read_source(cut)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(UserError, match="not a text table"):
        read_source(binary)
    with pytest.raises(UserError, match="no such file"):
        read_source(tmp_path / "missing.csv")


def test_big_csv_keeps_line_numbers_and_text(tmp_path: Path) -> None:
    lines = ["Export of sales", "", "Agent,Revenue,Campaign"]
    lines += [f"{i:03d},{i}.50,{'None' if i % 2 else 'NA'}" for i in range(20000)]
    path = tmp_path / "big.csv"
    path.write_text("\r\n".join(lines) + "\r\n")
    table = read_source(path)
    assert table.num_rows == 20000
    assert table.line_numbers[:2].tolist() == [4, 5]
    assert table.column("Agent")[:2].to_pylist() == ["000", "001"]
    assert table.column("Campaign")[:2].to_pylist() == ["NA", "None"]


def test_blank_lines_and_quoted_line_breaks_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('Agent,Notes\nA1,"two\nlines"\n\nA2,plain\n')
    table = read_source(path)
    assert table.preview() == [["A1", "two\nlines"], ["A2", "plain"]]
    assert table.line_numbers.tolist() == [2, 5]  # a record is numbered by its first line


def test_xlsm_reads_like_xlsx(tmp_path: Path) -> None:
    import shutil

    book = write_xlsx(tmp_path / "book.xlsx", {"Macro data": ROWS})
    macro = tmp_path / "book.xlsm"
    shutil.copyfile(book, macro)
    table = read_source(macro)
    assert (table.format, table.sheet) == ("xlsm", "Macro data")
    assert table.preview()[0] == ["007", "2026-03-31 10:00:00", "1234.5", "None"]


def test_workbook_cells_beyond_the_header_are_reported(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", {"S": [["Agent", "Revenue", None, None],
                                                   ["A1", 5, None, None], ["A2", 6, None, "x"]]})
    table = read_source(path)
    assert table.headers == ["Agent", "Revenue"]
    assert table.ragged == {3: 4}
