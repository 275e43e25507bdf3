"""Test configuration shared by the whole suite.

Qt runs on the offscreen platform, set here before anything imports Qt, so
the suite needs no display. Tests that use ``qtbot`` are marked ``gui``
automatically: ``pytest -m "not gui"`` is the fast headless run.

A small demo plan is generated once per session and copied for each test
that wants one (generating it is the slow part).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Keep test runs from reading or writing the developer's own settings.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="salesplanner-test-config-")
# The person the audit trail names (the window would otherwise ask on first start).
os.environ["SALESPLANNER_USER"] = "Test Manager"

from salesplanner.demo import DemoOptions, generate_demo
from salesplanner.storage.plan_file import PlanFile

#: Small enough to build in about a second, big enough to show the patterns.
SMALL_DEMO = DemoOptions(agents=24, months=6, seed=7)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses qtbot as a gui test."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo plan, built once per session. Do not modify: copy it."""
    path = tmp_path_factory.mktemp("template") / "demo.salesplan"
    generate_demo(path, SMALL_DEMO)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the small demo plan."""
    target = tmp_path / "demo.salesplan"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def empty_plan(tmp_path: Path):
    """A new, empty plan, open read-write."""
    plan = PlanFile.create(tmp_path / "empty.salesplan", name="Empty", quarter="2027-Q1")
    yield plan
    plan.close()
