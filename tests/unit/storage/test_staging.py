"""Arrow rows loaded through a staging file, inside the caller's transaction."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest

from salesplanner.storage import staging


class Stop(Exception):
    pass


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None)
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL, x REAL, note TEXT)")
    db.execute("INSERT INTO t VALUES ('a', 1, NULL, 'kept')")
    return db


def _staging_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("salesplanner-staging-*")}


def test_rows_land_in_slices_and_the_staging_file_goes(conn, monkeypatch) -> None:
    monkeypatch.setattr(staging, "SLICE_ROWS", 3)
    before = _staging_folders()
    shares: list[float] = []
    conn.execute("BEGIN IMMEDIATE")
    count = staging.insert_arrow(conn, "t", {
        "k": pa.array([f"k{i}" for i in range(7)]), "n": pa.array(range(7)),
        "x": pa.array([0.5, None, 2.25, None, None, None, 7.0]),
        "note": pa.array(["it's", None, "=A1", "£", "", "x", "y"])}, shares.append)
    conn.execute("COMMIT")
    assert count == 7
    assert conn.execute("SELECT * FROM t WHERE k IN ('k0', 'k1', 'k2', 'k6') ORDER BY k"
                        ).fetchall() == [("k0", 0, 0.5, "it's"), ("k1", 1, None, None),
                                         ("k2", 2, 2.25, "=A1"), ("k6", 6, 7.0, "y")]
    assert conn.execute("SELECT count(*), typeof(n) FROM t WHERE k LIKE 'k%'").fetchone() == (
        7, "integer")
    assert shares == sorted(shares) and shares[-1] == 1.0 and len(shares) == 6
    assert _staging_folders() == before


def test_an_upsert_adds_to_existing_rows(conn) -> None:
    conn.execute("BEGIN IMMEDIATE")
    for _load in range(2):  # two loads in one transaction, as an import does
        staging.insert_arrow(conn, "t", {"k": pa.array(["a", "b"]), "n": pa.array([10, 5])},
                             on_conflict="ON CONFLICT (k) DO UPDATE SET n = n + excluded.n")
    conn.execute("COMMIT")
    assert conn.execute("SELECT k, n, note FROM t ORDER BY k").fetchall() == [
        ("a", 21, "kept"), ("b", 10, None)]


@pytest.mark.parametrize("at", [0.3, 0.8])
def test_a_stop_or_a_refused_row_leaves_the_table_as_it_was(conn, monkeypatch, at) -> None:
    monkeypatch.setattr(staging, "SLICE_ROWS", 2)
    before = _staging_folders()

    def step(share: float) -> None:
        if share >= at:
            raise Stop

    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(Stop):
        staging.insert_arrow(conn, "t", {"k": pa.array([f"k{i}" for i in range(9)]),
                                         "n": pa.array(range(9))}, step)
    conn.execute("ROLLBACK")
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.IntegrityError):
        staging.insert_arrow(conn, "t", {"k": pa.array(["z", "a"]), "n": pa.array([1, 2])})
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT k, n FROM t").fetchall() == [("a", 1)]
    assert _staging_folders() == before


def test_the_staging_folder_names_its_process(conn, monkeypatch) -> None:
    import os

    monkeypatch.setattr(staging, "SLICE_ROWS", 2)
    seen: list[set[str]] = []
    conn.execute("BEGIN IMMEDIATE")
    staging.insert_arrow(conn, "t", {"k": pa.array(["x", "y", "z"]), "n": pa.array([1, 2, 3])},
                         lambda _share: seen.append(_staging_folders()))
    conn.execute("COMMIT")
    assert any(name.startswith(f"salesplanner-staging-p{os.getpid()}-") for name in seen[0])


def test_a_failing_driver_or_a_full_temporary_folder_is_said_plainly(
        conn, monkeypatch) -> None:
    import errno

    import adbc_driver_manager
    import adbc_driver_sqlite.dbapi

    before = _staging_folders()

    def broken(*_args, **_kwargs):
        raise adbc_driver_manager.InternalError(
            "INTERNAL: failed to execute: cannot rollback - no transaction is active",
            status_code=adbc_driver_manager.AdbcStatusCode.INTERNAL)

    rows = {"k": pa.array(["x", "y"]), "n": pa.array([1, 2])}
    with monkeypatch.context() as patch:
        patch.setattr(adbc_driver_sqlite.dbapi, "connect", broken)
        patch.setattr(staging, "free_space", lambda _folder: 10 ** 9)
        conn.execute("BEGIN IMMEDIATE")
        with pytest.raises(staging.StagingFailed, match=r"could not be written in the temporary "
                           r"folder .*cannot rollback.*; check that the folder exists"):
            staging.insert_arrow(conn, "t", rows)
        conn.execute("ROLLBACK")
    with monkeypatch.context() as patch:  # the driver says "rollback" when the disk is full
        patch.setattr(adbc_driver_sqlite.dbapi, "connect", broken)
        patch.setattr(staging, "free_space", lambda _folder: 4096)
        conn.execute("BEGIN IMMEDIATE")
        with pytest.raises(staging.StagingFailed, match=r"the temporary folder .* is full \(the "
                           r"import's working copy needs about 0.0 MB, 0.0 MB is free\)"):
            staging.insert_arrow(conn, "t", rows)
        conn.execute("ROLLBACK")

    def no_room(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(staging, "make_folder", no_room)
        conn.execute("BEGIN IMMEDIATE")
        with pytest.raises(staging.StagingFailed, match="is full.*set TMPDIR to a folder with "
                           "room, and import again; nothing was changed"):
            staging.insert_arrow(conn, "t", rows)
        conn.execute("ROLLBACK")
    assert conn.execute("SELECT k, n FROM t").fetchall() == [("a", 1)]
    assert _staging_folders() == before
