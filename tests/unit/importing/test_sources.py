"""Reading delimited exports: encodings, line ends, delimiters, header rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesplanner.errors import UserError
from salesplanner.importing.sources import WHITESPACE, read_delimited

ROWS = [["Agent", "Date", "Revenue", "Campaign"],
        ["AG01", "31/03/2026", "£1,234.50", "None"],
        ["AG2", "01/04/2026", "12.00", "NA"],
        ["Zoë Brontë", "02/04/2026", "(3.00)", "Spring; \"Offer\""]]


def _csv(delimiter: str) -> str:
    def cell(value: str) -> str:
        if delimiter in value or '"' in value:
            return '"' + value.replace('"', '""') + '"'
        return value
    return "\n".join(delimiter.join(cell(v) for v in row) for row in ROWS) + "\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                            ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                            ("cp1252", b"")])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_dialect_reads_the_same_table(tmp_path: Path, delimiter: str, encoding: str,
                                            bom: bytes, newline: str) -> None:
    text = _csv(delimiter).replace("\n", newline)
    path = tmp_path / "export.csv"
    path.write_bytes(bom + text.encode(encoding))
    table = read_delimited(path)
    assert table.delimiter == delimiter
    assert table.headers == ROWS[0]
    assert table.rows == ROWS[1:]
    assert table.line_numbers == [2, 3, 4]


def test_title_and_comment_lines_above_the_header(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text("Daily sales report\nGenerated 01/04/2026 by CRM\n\n" + _csv(","))
    table = read_delimited(path)
    assert table.headers == ROWS[0]
    assert table.header_line == 4
    assert table.line_numbers[0] == 5  # row numbers as the user sees them in the file
    override = read_delimited(path, header_line=5)
    assert override.headers == ROWS[1]


def test_whitespace_aligned_columns(tmp_path: Path) -> None:
    path = tmp_path / "aligned.txt"
    path.write_text("Agent    Calls   Handled\n"
                    "AG1      120     118\n"
                    "AG10     95      90\n")
    table = read_delimited(path)
    assert table.delimiter == WHITESPACE
    assert table.headers == ["Agent", "Calls", "Handled"]
    assert table.rows[1] == ["AG10", "95", "90"]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"just one line of prose without any columns at all\n", "not a table"),
    (b"\n\n\n", "no table"),
])
def test_unreadable_inputs_say_why(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_delimited(path)


def test_text_that_must_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("Agent,Campaign\n007,None\n0042,NA\n")
    table = read_delimited(path)
    assert table.rows == [["007", "None"], ["0042", "NA"]]


def test_a_line_wider_than_any_export_is_refused_quickly(tmp_path) -> None:
    import time

    import pytest

    from salesplanner.errors import UserError
    from salesplanner.importing.sources import read_delimited

    path = tmp_path / "wide.csv"
    path.write_text("Agent,Revenue\n" + ",".join("1" for _ in range(300_000)) + "\n")
    started = time.monotonic()
    with pytest.raises(UserError, match="line 2 has 300,000 columns"):
        read_delimited(path)
    assert time.monotonic() - started < 10


def test_a_pipe_is_refused_not_read_for_ever(tmp_path) -> None:
    import os

    import pytest

    from salesplanner.errors import UserError
    from salesplanner.importing.reading import read_source
    from salesplanner.storage.plan_file import PlanFile

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="not an ordinary file"):
        read_source(fifo)
    with pytest.raises(UserError, match="not an ordinary file"):
        PlanFile.open(fifo)
