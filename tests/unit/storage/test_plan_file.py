"""The plan file: creating, opening, transactions, and what it refuses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from salesplanner.errors import (
    CorruptPlan, ForeignDatabase, NotSQLiteFile, PlanExists, PlanNotFound, PlanTooNew,
    ReadOnlyPlan, UserError,
)
from salesplanner.storage.plan_file import APPLICATION_ID, SCHEMA_VERSION, PlanFile
from salesplanner.storage.schema.people import Agent, Skill, Team
from salesplanner.storage.schema.planning import Plan
from tests.helpers.files import digest, siblings


def _pragma(path: Path, name: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_create_writes_identity_version_and_plan_row(tmp_path: Path) -> None:
    path = tmp_path / "q1.salesplan"
    with PlanFile.create(path, name="  North Q1 ", quarter="2027-q1", currency="eur") as plan:
        with plan.read() as s:
            row = s.get(Plan, 1)
            skills = s.scalars(select(Skill.code).order_by(Skill.sort_order)).all()
    assert (row.name, row.quarter, row.currency, row.status) == ("North Q1", "2027-Q1", "EUR", "draft")
    assert (row.quarter_start.isoformat(), row.quarter_end.isoformat()) == ("2027-01-01", "2027-03-31")
    assert skills[0] == "product_knowledge" and "closing" in skills and len(skills) == 7
    assert _pragma(path, "application_id") == APPLICATION_ID
    assert _pragma(path, "user_version") == SCHEMA_VERSION
    assert _pragma(path, "journal_mode") == "delete"
    assert siblings(path) == []  # one file: nothing beside it once closed


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "", "quarter": "2027-Q1"}, "needs a name"),
    ({"name": "x", "quarter": "Q1 2027"}, "YEAR-QN"),
    ({"name": "x", "quarter": "2027-Q1", "currency": "XYZ"}, "not supported"),
])
def test_create_refuses_bad_input_and_leaves_nothing(tmp_path: Path, kwargs, message) -> None:
    with pytest.raises(UserError, match=message):
        PlanFile.create(tmp_path / "p.salesplan", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "p.salesplan"
    path.write_text("precious")
    with pytest.raises(PlanExists):
        PlanFile.create(path, name="x", quarter="2027-Q1")
    assert path.read_text() == "precious"


def test_write_commits_at_once_and_foreign_keys_are_enforced(empty_plan: PlanFile) -> None:
    with empty_plan.write() as s:
        s.add(Team(code="T1", name="One"))
    # A second, independent connection sees the change: it is on disk.
    conn = sqlite3.connect(empty_plan.path)
    assert conn.execute("SELECT name FROM team").fetchall() == [("One",)]
    conn.close()
    with pytest.raises(Exception, match="FOREIGN KEY"):
        with empty_plan.write() as s:
            s.add(Agent(code="A1", name="Ann", team_id=999))
    with empty_plan.read() as s:
        assert s.scalars(select(Agent)).all() == []


def test_failed_write_rolls_back_everything(empty_plan: PlanFile) -> None:
    with pytest.raises(RuntimeError):
        with empty_plan.write() as s:
            s.add(Team(code="T1", name="One"))
            s.flush()
            raise RuntimeError("boom")
    with empty_plan.read() as s:
        assert s.scalars(select(Team)).all() == []


def test_check_constraints_refuse_bad_values(empty_plan: PlanFile) -> None:
    with pytest.raises(Exception, match="CHECK"):
        with empty_plan.write() as s:
            s.add(Agent(code="A1", name="Ann", weekly_hours=-1))


def test_read_only_refuses_writes_and_leaves_bytes(tmp_path: Path) -> None:
    path = tmp_path / "p.salesplan"
    PlanFile.create(path, name="x", quarter="2027-Q1").close()
    before = digest(path)
    with PlanFile.open(path, read_only=True) as plan:
        with pytest.raises(ReadOnlyPlan):
            with plan.write():
                pass
        with plan.read() as s:
            assert s.get(Plan, 1).name == "x"
    assert digest(path) == before


# -- files that are not plans ---------------------------------------------------

def _other_app_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('hello')")
    conn.commit()
    conn.close()


def _other_app_with_id(path: Path) -> None:
    _other_app_db(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()


def _plan(path: Path) -> None:
    PlanFile.create(path, name="x", quarter="2027-Q1").close()


def _truncated(path: Path) -> None:
    _plan(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _truncated_header(path: Path) -> None:
    _plan(path)
    path.write_bytes(path.read_bytes()[:60])


def _too_new(path: Path) -> None:
    _plan(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()


def _corrupt_pages(path: Path) -> None:
    """Noise over the schema's cells and the next two pages (the header stays valid)."""
    _plan(path)
    data = bytearray(path.read_bytes())
    data[4000:12288] = bytes((i * 37 + 11) % 256 for i in range(8288))
    path.write_bytes(bytes(data))


def _unfinished(path: Path) -> None:
    _plan(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make, error, message", [
    (lambda p: p.write_bytes(b""), NotSQLiteFile, "empty"),
    (lambda p: p.write_text("Agent,Revenue\nAG1,100\n"), NotSQLiteFile, "not an SQLite database"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(2000)), NotSQLiteFile, "not an SQLite database"),
    (_other_app_db, ForeignDatabase, "another application"),
    (_other_app_with_id, ForeignDatabase, "another application"),
    (_truncated, CorruptPlan, "truncated"),
    (_truncated_header, CorruptPlan, "truncated"),
    (_too_new, PlanTooNew, f"format {SCHEMA_VERSION + 5}.*format {SCHEMA_VERSION}"),
    (_corrupt_pages, CorruptPlan, "damaged|restore"),
    (_unfinished, CorruptPlan, "never finished"),
], ids=["empty", "csv", "zip", "other-app", "other-app-id", "truncated", "header-cut",
        "too-new", "corrupt", "unfinished"])
@pytest.mark.parametrize("read_only", [False, True], ids=["rw", "ro"])
def test_refused_files_are_left_byte_for_byte(tmp_path: Path, make, error, message,
                                              read_only: bool) -> None:
    path = tmp_path / "bad.salesplan"
    make(path)
    before, beside = digest(path), siblings(path)
    with pytest.raises(error, match=message) as info:
        PlanFile.open(path, read_only=read_only)
    assert "\n" not in str(info.value)  # one line
    assert str(path) in str(info.value)
    assert digest(path) == before
    assert siblings(path) == beside


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(PlanNotFound, match="no such file"):
        PlanFile.open(tmp_path / "nope.salesplan")
    with pytest.raises(PlanNotFound, match="folder"):
        PlanFile.open(tmp_path)
