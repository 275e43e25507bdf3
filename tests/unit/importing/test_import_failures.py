"""An import that cannot run says so in one line, exits 2 and changes nothing.

A damaged workbook, a full disk (beside the plan or in the temporary folder)
and a failing staging driver each end in ``salesplanner: <what>, <where>,
<what to do>`` on stderr with exit status 2, and the plan's bytes and row
counts are as before. The full disks are real where a small tmpfs can be
mounted (root on Linux) and simulated everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesplanner import cli
from tests.helpers.files import digest, siblings
from tests.helpers.workbooks import write_xlsx
from tests.unit.test_cli import run


def _plan(folder: Path) -> Path:
    """A new plan in a folder of its own."""
    (folder / "plan").mkdir()
    plan = folder / "plan" / "p.salesplan"
    assert run("new", plan, "--name", "P", "--quarter", "2027-Q1").returncode == 0
    return plan


def _state(plan: Path) -> tuple[str, dict, list[str]]:
    """The plan's bytes, its row counts and what lies beside it."""
    counts = json.loads(run("info", plan, "--json").stdout)["counts"]
    return digest(plan), counts, siblings(plan)


def _sales(path: Path, rows: int) -> Path:
    path.write_text("Date,Agent,Revenue,Notes\n" + "".join(
        f"{1 + i % 28:02d}/02/2026,A{i % 50},{10 + i % 90}.50,note {i} about the call\n"
        for i in range(rows)))
    return path


def _one_line(stderr: str) -> str:
    """The one line of the error (after any progress lines)."""
    *progress, line = stderr.strip().splitlines()
    assert line.startswith("salesplanner: "), stderr
    assert all(re.match(r"\s*\d+% ", p) for p in progress), stderr
    return line


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A file system of ``size`` at ``folder`` (skips the test where none can be mounted)."""
    folder.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("a small tmpfs needs root on Linux; the simulated tests cover this")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                              str(folder)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _damaged(path: Path) -> Path:
    """A workbook whose sheet XML is cut off in the middle."""
    good = write_xlsx(path.with_name("good.xlsx"), {"Sales": [["Date", "Agent", "Revenue"]] + [
        [f"{1 + i % 28:02d}/02/2026", f"A{i}", 10 + i] for i in range(50)]})
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[:len(data) // 2]
            out.writestr(item, data)
    return path


def test_a_damaged_workbook_is_refused_in_one_line(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    before = _state(plan)
    result = run("import", plan, _damaged(tmp_path / "cut.xlsx"), "--dayfirst")
    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert "cut.xlsx: the file is damaged or cut short" in line
    assert "save it again" in line and line.endswith("nothing was changed")
    assert _state(plan) == before


def test_a_full_disk_beside_the_plan(tmp_path: Path) -> None:
    source = _sales(tmp_path / "big.csv", 60_000)
    with _tmpfs(tmp_path / "small", "2m") as disk:
        plan = _plan(disk)
        before = _state(plan)
        result = run("import", plan, source, "--dayfirst")
        assert result.returncode == 2, result.stderr
        line = _one_line(result.stderr)
        assert f"{plan}: the disk is full, big.csv could not be imported" in line
        assert f"free in {disk}" in line and "free some space" in line
        assert line.endswith("nothing was changed")
        assert _state(plan) == before  # same bytes, same counts, no journal left


def test_a_full_temporary_folder(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    before = _state(plan)
    source = _sales(tmp_path / "big.csv", 60_000)
    with _tmpfs(tmp_path / "tmp", "1m") as temp:
        result = subprocess.run(
            [sys.executable, "-m", "salesplanner", "import", str(plan), str(source),
             "--dayfirst"], capture_output=True, text=True, timeout=120,
            env={**os.environ, "TMPDIR": str(temp)})
        assert result.returncode == 2, result.stderr
        line = _one_line(result.stderr)
        assert f"the temporary folder {temp} is full" in line and "TMPDIR" in line
        assert line.endswith("nothing was changed")
        assert not list(temp.iterdir())  # the staging copy went too
    assert _state(plan) == before


def _import_in_process(plan: Path, source: Path, capsys) -> tuple[int, str]:
    code = cli.main(["import", str(plan), str(source), "--dayfirst"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("error, words", [
    (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
    (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
    (sqlite3.OperationalError("disk I/O error"), "the disk failed"),
])
def test_disk_trouble_while_writing_is_said_plainly(tmp_path: Path, monkeypatch, capsys,
                                                    error: Exception, words: str) -> None:
    from salesplanner.importing import facts

    plan = _plan(tmp_path)
    before = _state(plan)
    real = facts.insert_facts

    def full(conn, table, columns, token):
        real(conn, table, columns, token)  # the rows are in, then the disk fills
        raise error

    monkeypatch.setattr(facts, "insert_facts", full)
    code, err = _import_in_process(plan, _sales(tmp_path / "s.csv", 30), capsys)
    assert code == 2
    line = _one_line(err)
    assert line.startswith(f"salesplanner: {plan}: {words}, s.csv could not be imported"
                           if words == "the disk is full" else f"salesplanner: {plan}: {words}")
    assert line.endswith("nothing was changed")
    assert _state(plan) == before


def test_a_failing_staging_driver_is_said_plainly(tmp_path: Path, monkeypatch, capsys) -> None:
    import adbc_driver_manager
    import adbc_driver_sqlite.dbapi

    from salesplanner.importing import facts

    plan = _plan(tmp_path)
    before = _state(plan)

    def broken(*_args, **_kwargs):
        raise adbc_driver_manager.OperationalError(
            "IO: unable to open database file", status_code=adbc_driver_manager.AdbcStatusCode.IO)

    monkeypatch.setattr(facts, "STAGED_ROWS", 1)  # stage even a small file
    monkeypatch.setattr(adbc_driver_sqlite.dbapi, "connect", broken)
    code, err = _import_in_process(plan, _sales(tmp_path / "s.csv", 30), capsys)
    assert code == 2
    line = _one_line(err)
    assert "the import's working copy could not be written in the temporary folder" in line
    assert "unable to open database file" in line and line.endswith("nothing was changed")
    assert _state(plan) == before


def test_a_card_number_in_the_file_name_is_not_in_the_message(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    result = run("import", plan, _damaged(tmp_path / "export_4111111111111111.xlsx"))
    assert result.returncode == 2
    assert "export_************1111.xlsx" in result.stderr
    assert "4111111111111111" not in result.stdout + result.stderr
