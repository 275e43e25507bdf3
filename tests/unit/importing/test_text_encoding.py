"""Text exports decoded honestly: UTF-8, Windows-1252, or line by line when mixed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplanner.importing.reading import read_source
from salesplanner.importing.run import import_file
from salesplanner.importing.text_encoding import MIXED, decode_bytes, survey_file
from salesplanner.storage.plan_file import PlanFile
from tests.unit.test_cli import run

HEADER = "Date,Agent,Revenue,Notes\n"


def _sale(n: int, note: str) -> str:
    return f"2027-01-04 10:{n % 60:02d},A{n},10,{note} {n}\n"


def _notes(plan: PlanFile) -> list[str]:
    with plan.connect() as conn:
        return [row[0] for row in conn.execute("SELECT notes FROM sale ORDER BY id")]


def _copies() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("salesplanner-text-*"))


def test_a_mixed_file_stores_cafe_from_both_kinds_of_line_and_names_the_other_line(
        tmp_path: Path, empty_plan: PlanFile) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(HEADER.encode() + _sale(1, "café").encode("utf-8")
                     + _sale(2, "café").encode("cp1252") + _sale(3, "crème").encode("utf-8"))
    summary, _result = import_file(empty_plan, path)
    assert _notes(empty_plan) == ["café 1", "café 2", "crème 3"]
    assert ("line 3 is not UTF-8 like the rest of the file and was read as Windows-1252; "
            "check the accented letters there") in summary.warnings
    cli = run("import", empty_plan.path, path)  # the same file again: nothing new, same note
    assert "note: line 3 is not UTF-8 like the rest of the file" in cli.stdout


def test_a_big_mixed_file_is_read_by_arrow_from_a_utf8_copy(tmp_path: Path) -> None:
    lines = [_sale(n, "café").encode() for n in range(30_000)]  # about 1 MB: past the head
    lines[5] = _sale(5, "naïve").encode("cp1252")
    lines[20_000] = _sale(20_000, "crème brûlée").encode("cp1252")
    path = tmp_path / "big.csv"
    path.write_bytes(b"Weekly export\n" + HEADER.encode() + b"".join(lines))
    before = _copies()
    assert survey_file(path) == MIXED
    table = read_source(path)
    assert table.encoding == MIXED and table.num_rows == 30_000
    notes = table.column("Notes").to_pylist()
    assert (notes[0], notes[5], notes[20_000]) == ("café 0", "naïve 5", "crème brûlée 20000")
    assert table.line_numbers[20_000] == 20_003
    assert table.warnings == ["lines 8 and 20003 are not UTF-8 like the rest of the file and "
                              "were read as Windows-1252; check the accented letters there"]
    assert _copies() == before


@pytest.mark.parametrize("rows", [3, 30_000])
def test_a_windows_1252_file_stays_windows_1252_without_a_warning(tmp_path: Path,
                                                                 rows: int) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes((HEADER + "".join(_sale(n, "café £5 – ok") for n in range(rows)))
                     .encode("cp1252"))
    table = read_source(path)
    assert table.encoding == "cp1252" and table.warnings == []
    assert table.column("Notes")[rows - 1].as_py() == f"café £5 – ok {rows - 1}"


def test_a_bom_says_utf8_so_a_windows_line_under_it_is_mixed(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + _sale(1, "plain").encode()
                     + _sale(2, "café").encode("cp1252"))
    table = read_source(path)
    assert table.headers[0] == "Date"
    assert table.column("Notes").to_pylist() == ["plain 1", "café 2"]
    assert table.warnings and table.warnings[0].startswith("line 3 is not UTF-8")


def test_a_utf8_file_whose_head_ends_inside_a_character_stays_utf8(tmp_path: Path) -> None:
    # 256 kB into the file falls in the middle of a two-byte "é": the head
    # must not be taken for Windows-1252 (it once was, and so was the file).
    line = _sale(0, "é" * 40)
    text = HEADER + line * (300_000 // len(line.encode()))
    data = text.encode()
    assert data[256 * 1024 - 1] in b"\xc3\xa9" and data[256 * 1024 - 1:256 * 1024 + 1] != b"\n"
    for shift in range(2):  # one of the two shifts cuts "é" in half
        path = tmp_path / f"utf8-{shift}.csv"
        path.write_bytes(b" " * shift + data)
        table = read_source(path)
        assert (table.encoding, table.warnings) == ("utf-8", [])
        assert table.column("Notes")[0].as_py() == "é" * 40 + " 0"


def test_many_windows_lines_are_counted_and_the_first_named() -> None:
    body = "".join(_sale(n, "café") for n in range(200))
    data = (HEADER + body).encode()
    lines = data.split(b"\n")
    for n in range(2, 202, 2):
        lines[n - 1] = lines[n - 1].decode().encode("cp1252")
    decoded = decode_bytes(b"\r\n".join(lines))
    assert decoded.encoding == MIXED and "Ã" not in decoded.text and decoded.text.count("café") == 200
    assert decoded.warnings == ["lines 2, 4, 6, 8, 10 and 95 more (100 lines) are not UTF-8 like "
                                "the rest of the file and were read as Windows-1252; check the "
                                "accented letters there"]


def test_bytes_windows_1252_does_not_define_are_named(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(HEADER.encode("cp1252") + _sale(1, "café").encode("cp1252")
                     + b"2027-01-04 10:02,A2,10,odd \x81 byte\n")
    table = read_source(path)
    assert table.column("Notes").to_pylist() == ["café 1", "odd \ufffd byte"]
    assert table.warnings == ["line 3 has bytes that are not text in Windows-1252, shown as \ufffd"]


# Letters whose Windows-1252 bytes (0xE0 and up) can never start valid UTF-8
# followed by ASCII, so every Windows-1252 line with one of them is invalid UTF-8.
LETTERS = "abc XYZ,;0123456789éèàçüöñ"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(LETTERS, max_size=12), st.booleans()), min_size=1,
                max_size=12),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_every_line_reads_back_as_written_whichever_encoding_it_was_in(
        lines: list[tuple[str, bool]], end: str) -> None:
    data = b"".join((text + end).encode("cp1252" if windows else "utf-8")
                    for text, windows in lines)
    decoded = decode_bytes(data)
    assert decoded.text == "".join(text + end for text, _windows in lines)
    utf8 = any(not windows and not text.isascii() for text, windows in lines)
    windows = [n for n, (text, cp) in enumerate(lines, 1) if cp and not text.isascii()]
    if utf8 and windows:
        assert decoded.encoding == MIXED
        assert (decoded.cp1252_lines, decoded.cp1252_count) == (windows[:5], len(windows))
    else:
        assert decoded.warnings == []
        assert decoded.encoding == ("cp1252" if windows else "utf-8")


def test_a_line_longer_than_any_table_row_is_refused(tmp_path, monkeypatch) -> None:
    import pytest

    from salesplanner.errors import UserError
    from salesplanner.importing import text_encoding

    monkeypatch.setattr(text_encoding, "MAX_LINE_BYTES", 3 * 2**20)
    monkeypatch.setattr(text_encoding, "_CHUNK", 2**20)
    path = tmp_path / "one-line.csv"
    with path.open("wb") as out:
        out.write("Agent,Note\nA1,caf\u00e9 ".encode())
        out.write(b"\xe9" + b"x" * (6 * 2**20))  # cp1252 and no line end: the slow path
    with pytest.raises(UserError, match="a line is longer than 3 MB"):
        list(text_encoding._line_chunks(path, 0))
