"""Upgrading older plan files.

Every released format has a fixture in tests/data/plans; each must open,
upgrade to the current format and check clean. The upgrade machinery itself
(backup first, one transaction, a failed step changes nothing) is exercised
with a synthetic next version, since format 1 is the only release so far.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from salesplanner.errors import MigrationFailed
from salesplanner.integrity import check_plan
from salesplanner.storage import migrations, plan_file
from salesplanner.storage.expected_schema import differences
from salesplanner.storage.plan_file import SCHEMA_VERSION, PlanFile
from tests.helpers.files import digest

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "plans"


def _fixture_versions() -> list[int]:
    return sorted(int(re.search(r"v(\d+)", p.name).group(1))
                  for p in FIXTURES.glob("schema-v*.salesplan"))


def test_there_is_a_fixture_for_every_released_version() -> None:
    assert _fixture_versions() == list(range(1, SCHEMA_VERSION + 1))


def test_every_version_has_an_upgrade_step_to_the_next() -> None:
    assert sorted(migrations.STEPS) == list(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", _fixture_versions())
def test_each_released_fixture_opens_upgraded_and_checks_clean(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.salesplan"
    shutil.copyfile(FIXTURES / f"schema-v{version}.salesplan", path)
    with PlanFile.open(path) as plan:
        assert all(r.ok for r in check_plan(plan)), [r for r in check_plan(plan) if not r.ok]
        with plan.read() as s:
            assert s.connection().exec_driver_sql("SELECT code FROM agent ORDER BY id").scalars().all() \
                == ["AG1", "AG10"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # Upgraded, the file has exactly the schema a new plan has, and its own id.
    assert differences(conn, SCHEMA_VERSION) == []
    assert len(conn.execute("SELECT uid FROM plan").fetchone()[0]) == 32
    conn.close()


# -- the machinery, on a synthetic format SCHEMA_VERSION + 1 ----------------------

def _add_column(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE team ADD COLUMN region TEXT")
    conn.execute("UPDATE team SET region = 'North'")


def _half_then_fail(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE team ADD COLUMN region TEXT")
    conn.execute("CREATE TABLE scratch (x)")
    raise RuntimeError("step exploded")


@pytest.fixture
def next_version(monkeypatch: pytest.MonkeyPatch):
    """Pretend this program writes format SCHEMA_VERSION + 1."""
    def install(step):
        monkeypatch.setattr(plan_file, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
        monkeypatch.setitem(migrations.STEPS, SCHEMA_VERSION, step)
    return install


def _current_fixture(tmp_path: Path) -> Path:
    path = tmp_path / "plan.salesplan"
    shutil.copyfile(FIXTURES / f"schema-v{SCHEMA_VERSION}.salesplan", path)
    return path


def test_upgrade_keeps_a_backup_and_runs_the_step(tmp_path: Path, next_version) -> None:
    path = _current_fixture(tmp_path)
    original = digest(path)
    next_version(_add_column)
    plan = PlanFile.open(path)
    plan.close()
    backup = tmp_path / f"plan.salesplan.v{SCHEMA_VERSION}-backup"
    assert plan.migrated_from == SCHEMA_VERSION and plan.backup_path == backup
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert conn.execute("SELECT region FROM team").fetchall() == [("North",)]
    conn.close()
    # The backup is a consistent copy of the original (same content, same version).
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM agent").fetchone()[0] == 2
    conn.close()
    assert digest(path) != original


def test_failed_step_leaves_the_file_exactly_as_it_was(tmp_path: Path, next_version) -> None:
    path = _current_fixture(tmp_path)
    original = digest(path)
    next_version(_half_then_fail)
    with pytest.raises(MigrationFailed, match="step exploded.*unchanged"):
        PlanFile.open(path)
    assert digest(path) == original
    assert not Path(f"{path}-journal").exists()


def test_read_only_open_upgrades_a_copy_not_the_file(tmp_path: Path, next_version) -> None:
    path = _current_fixture(tmp_path)
    original = digest(path)
    next_version(_add_column)
    with PlanFile.open(path, read_only=True) as plan:
        with plan.read() as s:
            assert s.connection().exec_driver_sql("SELECT region FROM team").scalar_one() == "North"
        scratch = plan.path
        assert scratch != path
    assert digest(path) == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.salesplan"]
    assert not scratch.exists()


def test_missing_step_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _current_fixture(tmp_path)
    original = digest(path)
    monkeypatch.setattr(plan_file, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(MigrationFailed, match="no upgrade"):
        PlanFile.open(path)
    assert digest(path) == original
