"""A journal or WAL left beside a plan: recovered on a copy, or set aside.

The hostile case is a plan mailed with another plan's journal: SQLite would
roll the stranger's pages into it and destroy it. Each test builds its files
in the test and asserts the plan's bytes, its rows and the message.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from salesplanner.cli import main
from salesplanner.errors import CorruptPlan
from salesplanner.integrity import check_plan
from salesplanner.storage import recovery
from salesplanner.storage.plan_file import PlanFile
from tests.helpers.files import digest, siblings


def _plan(path: Path, teams: int) -> Path:
    PlanFile.create(path, name=path.stem, quarter="2027-Q1").close()
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO team (code, name) VALUES (?, ?)",
                         [(f"T{i}", f"{path.stem} team {i}") for i in range(teams)])
    conn.close()
    return path


def _with_hot_journal(source: Path, target: Path) -> Path:
    """A copy of ``source`` caught half way through a write, with its journal.

    A small page cache makes SQLite spill changed pages into the file before
    the commit, as it does in a long import: the copy is damaged without
    its journal.
    """
    conn = sqlite3.connect(source, isolation_level=None)
    conn.execute("PRAGMA cache_size = 2")
    conn.execute("BEGIN")
    conn.execute("UPDATE plan SET name = 'half written', modified_at = '2027-01-01 00:00:00'")
    conn.execute("UPDATE team SET name = 'half written ' || code")
    conn.executemany("INSERT INTO team (code, name) VALUES (?, ?)",
                     [(f"N{i}", "x" * 400) for i in range(400)])
    shutil.copyfile(source, target)
    shutil.copyfile(f"{source}-journal", f"{target}-journal")
    conn.execute("ROLLBACK")
    conn.close()
    return target


def _teams(plan: PlanFile) -> list[str]:
    with plan.connect() as conn:
        return [n for (n,) in conn.execute("SELECT name FROM team ORDER BY code LIMIT 3")]


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two different plans, the second with a hot journal beside a copy of it."""
    (tmp_path / "a").mkdir()
    a = _plan(tmp_path / "a" / "north.salesplan", 300)
    b = _plan(tmp_path / "b.salesplan", 900)
    (tmp_path / "hot").mkdir()
    return a, _with_hot_journal(b, tmp_path / "hot" / "b-hot.salesplan")


def test_own_hot_journal_read_only_recovers_a_copy_and_writes_nothing(pair) -> None:
    _a, hot = pair
    before = digest(hot)
    with PlanFile.open(hot, read_only=True) as plan:
        assert _teams(plan) == ["b team 0", "b team 1", "b team 10"]
        assert "interrupted while being saved" in plan.notice
        assert all(r.ok for r in check_plan(plan))
    assert digest(hot) == before
    assert siblings(hot) == ["b-hot.salesplan-journal"]


def test_own_hot_journal_read_write_is_rolled_back_in_place(pair) -> None:
    _a, hot = pair
    before = digest(hot)
    with PlanFile.open(hot) as plan:
        assert _teams(plan) == ["b team 0", "b team 1", "b team 10"]
        assert "unfinished change was undone" in plan.notice and "is kept as" in plan.notice
    [kept] = siblings(hot)  # the file as it stood, in case the journal was a copy's
    assert kept.startswith("b-hot.salesplan.before-recovery-")
    assert digest(hot.parent / kept) == before
    with PlanFile.open(hot, read_only=True) as plan:
        assert all(r.ok for r in check_plan(plan)) and plan.notice == ""


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "read-write"])
def test_foreign_journal_is_set_aside_and_the_plan_opens_as_saved(pair, read_only) -> None:
    a, hot = pair
    shutil.copyfile(f"{hot}-journal", f"{a}-journal")  # a mailed pair that do not match
    before = digest(a)
    with PlanFile.open(a, read_only=read_only) as plan:
        assert _teams(plan) == ["north team 0", "north team 1", "north team 10"]
        assert "did not belong to it" in plan.notice and "moved aside" in plan.notice
        assert all(r.ok for r in check_plan(plan))
    assert digest(a) == before
    [aside] = siblings(a)
    assert aside.startswith("north.salesplan-journal.set-aside-")
    assert (a.parent / aside).read_bytes() == Path(f"{hot}-journal").read_bytes()


def test_foreign_journal_in_a_read_only_folder_is_left_and_a_copy_read(pair, monkeypatch) -> None:
    a, hot = pair
    shutil.copyfile(f"{hot}-journal", f"{a}-journal")
    before = digest(a)

    def read_only_folder(*_args) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(recovery.os, "replace", read_only_folder)
    with PlanFile.open(a, read_only=True) as plan:
        assert _teams(plan)[0] == "north team 0"
        assert "shown as it was last saved" in plan.notice
    assert digest(a) == before and siblings(a) == ["north.salesplan-journal"]
    with pytest.raises(CorruptPlan, match="cannot be moved aside"):
        PlanFile.open(a)
    assert digest(a) == before and siblings(a) == ["north.salesplan-journal"]


def test_info_and_check_never_roll_a_foreign_journal_in(pair, capsys) -> None:
    a, hot = pair
    shutil.copyfile(f"{hot}-journal", f"{a}-journal")
    before = digest(a)
    assert main(["check", str(a)]) == 0
    assert main(["info", str(a)]) == 0
    err = capsys.readouterr().err
    assert "did not belong to it" in err
    assert digest(a) == before


def test_damaged_plan_with_a_foreign_journal_is_refused_untouched(pair) -> None:
    a, hot = pair
    foreign = _with_hot_journal(a, a.with_name("a-hot.salesplan"))
    Path(f"{foreign}-journal").unlink()
    shutil.copyfile(f"{hot}-journal", f"{foreign}-journal")
    # The half-written copy alone is sound only by chance: damage a page to be sure.
    data = bytearray(foreign.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 3: page * 3 + 64] = b"\xff" * 64
    foreign.write_bytes(bytes(data))
    before, journal = digest(foreign), digest(Path(f"{foreign}-journal"))
    with pytest.raises(CorruptPlan, match="cannot be recovered.*nothing was changed"):
        PlanFile.open(foreign, read_only=True)
    assert digest(foreign) == before and digest(Path(f"{foreign}-journal")) == journal


def _to_wal(path: Path, *, keep_log_from: Path | None = None) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE team SET name = 'in the log ' || code")
    if keep_log_from is None:  # leave the log beside the plan, as a crash would
        shutil.copyfile(f"{path}-wal", f"{path}.keep")
    conn.close()
    if keep_log_from is None:
        shutil.move(f"{path}.keep", f"{path}-wal")


def test_wal_plan_read_only_is_never_converted(tmp_path: Path) -> None:
    path = _plan(tmp_path / "w.salesplan", 50)
    _to_wal(path)
    before, log = digest(path), digest(Path(f"{path}-wal"))
    with PlanFile.open(path, read_only=True) as plan:
        assert _teams(plan)[0] == "in the log T0"
    assert digest(path) == before and digest(Path(f"{path}-wal")) == log
    assert sorted(siblings(path)) == ["w.salesplan-wal"]


def _wal_plan_with_a_foreign_log(tmp_path: Path) -> Path:
    """Plan a in WAL mode, with plan b's write-ahead log beside it."""
    a = _plan(tmp_path / "a.salesplan", 50)
    b = _plan(tmp_path / "b.salesplan", 60)
    _to_wal(b)
    conn = sqlite3.connect(a, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    shutil.copyfile(f"{b}-wal", f"{a}-wal")
    return a


def test_foreign_wal_is_set_aside(tmp_path: Path) -> None:
    a = _wal_plan_with_a_foreign_log(tmp_path)
    before = digest(a)
    with PlanFile.open(a, read_only=True) as plan:
        assert _teams(plan)[0] == "a team 0"
        assert "write-ahead log beside the plan did not belong" in plan.notice
    assert digest(a) == before


def test_foreign_wal_beside_a_rollback_plan_is_set_aside(tmp_path: Path) -> None:
    """SQLite applies any -wal it finds, whatever the header says: so it is checked too."""
    a = _plan(tmp_path / "a.salesplan", 50)
    b = _plan(tmp_path / "b.salesplan", 60)
    _to_wal(b)
    shutil.copyfile(f"{b}-wal", f"{a}-wal")
    before = digest(a)
    for read_only in (True, False):
        if not Path(f"{a}-wal").exists():
            shutil.copyfile(f"{b}-wal", f"{a}-wal")
        with PlanFile.open(a, read_only=read_only) as plan:
            assert _teams(plan)[0] == "a team 0"
            assert "did not belong" in plan.notice
        assert digest(a) == before
        assert not Path(f"{a}-wal").exists() and not Path(f"{a}-shm").exists()


def test_read_write_recovery_keeps_the_file_its_lock_and_its_links(pair, tmp_path: Path) -> None:
    from salesplanner.storage.lock import PlanLock

    _a, hot = pair
    inode = hot.stat().st_ino
    link = tmp_path / "link.salesplan"
    link.symlink_to(hot)
    lock = PlanLock.try_acquire(link)
    try:
        with PlanFile.open(link) as plan:
            assert "unfinished change was undone" in plan.notice
            assert _teams(plan)[0] == "b team 0"
        assert link.is_symlink() and hot.stat().st_ino == inode
        assert not Path(f"{hot}-journal").exists()
        assert PlanLock.try_acquire(hot) is None or os.name != "posix"  # still locked
    finally:
        lock.release()


def test_read_only_open_through_a_link_reads_the_real_journal(pair, tmp_path: Path) -> None:
    _a, hot = pair
    link = tmp_path / "link.salesplan"
    link.symlink_to(hot)
    before = digest(hot)
    with PlanFile.open(link, read_only=True) as plan:
        assert _teams(plan)[0] == "b team 0" and "interrupted" in plan.notice
    assert digest(hot) == before and Path(f"{hot}-journal").exists()


def test_read_only_wal_plan_with_a_foreign_log_leaves_nothing_beside_it(tmp_path: Path) -> None:
    a = _wal_plan_with_a_foreign_log(tmp_path)
    before = digest(a)
    with PlanFile.open(a, read_only=True) as plan:
        assert _teams(plan)[0] == "a team 0"
    assert digest(a) == before
    assert [n for n in siblings(a) if not n.startswith("b.")] == [
        next(n for n in siblings(a) if "set-aside" in n)]


def test_scratch_copies_are_removed_on_close(pair) -> None:
    _a, hot = pair
    plan = PlanFile.open(hot, read_only=True)
    scratch = plan.scratch
    assert scratch is not None and scratch.exists()
    plan.close()
    assert not scratch.exists() and hot.exists()


def test_a_copy_saved_as_has_its_own_identity(tmp_path: Path) -> None:
    """A journal of a plan's Save As copy must never be taken for the plan's own."""
    from salesplanner.storage.snapshot import save_copy

    a = _plan(tmp_path / "a.salesplan", 20)
    copy = tmp_path / "copy.salesplan"
    save_copy(a, copy, new_identity=True)
    backup = tmp_path / "backup.salesplan"
    save_copy(a, backup)
    uid = {p: sqlite3.connect(p).execute("SELECT uid FROM plan").fetchone()[0]
           for p in (a, copy, backup)}
    assert uid[a] == uid[backup] != uid[copy]
    hot = _with_hot_journal(copy, tmp_path / "copy-hot.salesplan")
    shutil.copyfile(f"{hot}-journal", f"{a}-journal")
    with PlanFile.open(a, read_only=True) as plan:
        assert "did not belong" in plan.notice


@pytest.mark.parametrize("kind", ["random bytes", "folder", "link to the plan", "dangling link"])
def test_a_journal_that_is_not_one_is_moved_aside(tmp_path: Path, kind: str) -> None:
    plan_path = _plan(tmp_path / "a.salesplan", 20)
    journal = Path(f"{plan_path}-journal")
    if kind == "random bytes":
        journal.write_bytes(b"\x17garbage" * 100)
    elif kind == "folder":
        journal.mkdir()
    elif kind == "link to the plan":
        journal.symlink_to(plan_path)
    else:
        journal.symlink_to(tmp_path / "nowhere")
    before = digest(plan_path)
    for read_only in (True, False):
        with PlanFile.open(plan_path, read_only=read_only) as plan:
            assert _teams(plan)[0] == "a team 0"
            if read_only:
                assert "was not a journal" in plan.notice
    assert digest(plan_path) == before
    assert [n for n in siblings(plan_path) if "set-aside" in n]
    assert not os.path.lexists(journal)
