"""Files written for the user get the user's normal permissions (umask-based),
not the owner-only mode of a temporary file."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesplanner.export.book import Book, Column
from salesplanner.importing.rejects import write_rejects
from salesplanner.importing.run import ImportOptions, convert_prepared, prepare
from salesplanner.storage.plan_file import PlanFile
from salesplanner.user_files import current_umask, temporary_beside, user_mode

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture(params=[0o022, 0o027, 0o077])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_umask_is_read_and_gives_the_mode(umask: int) -> None:
    assert current_umask() == umask
    assert user_mode() == 0o666 & ~umask


def test_a_temporary_file_has_the_users_mode(umask: int, tmp_path: Path) -> None:
    tmp = temporary_beside(tmp_path / "plan.xlsx", ".xlsx.tmp")
    assert tmp.parent == tmp_path and tmp.name.startswith(".plan.xlsx.")
    assert mode(tmp) == 0o666 & ~umask


def test_a_saved_workbook_has_the_users_mode(umask: int, tmp_path: Path) -> None:
    book = Book(title="t", plan_name="p", currency_code="GBP", author="me")
    ws = book.sheet("Sheet")
    book.table(ws, 1, "T", [Column("A"), Column("B", "money")], [["x", 1.0]])
    out = book.save(tmp_path / "out.xlsx")
    assert mode(out) == 0o666 & ~umask
    if umask == 0o022:
        assert stat.filemode(out.stat().st_mode) == "-rw-r--r--"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_a_rejects_list_has_the_users_mode(umask: int, empty_plan: PlanFile,
                                           tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("Date,Agent,Revenue\n2026-02-01,A1,abc\n", encoding="utf-8")
    prepared = prepare(source, plan=empty_plan)
    rejects = tmp_path / "rejects.csv"
    assert write_rejects(rejects, prepared.table,
                         convert_prepared(prepared, ImportOptions())) == 1
    assert mode(rejects) == 0o666 & ~umask
