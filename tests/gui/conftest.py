"""Fixtures for window tests: a main window with inline jobs, screenshots.

Window tests run with the write guard on: a write to the plan open in a
window that does not go through the serial write queue raises
``WriteOutsideQueue`` (see :mod:`salesplanner.ui.jobs`) and fails the test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from salesplanner.ui.app import make_application
from salesplanner.ui.jobs import CHECK_WRITES_ENV, JobRunner

os.environ[CHECK_WRITES_ENV] = "1"

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.fixture(autouse=True)
def clean_settings(qapp):
    """Every window test starts from default settings."""
    make_application()
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def window(qtbot):
    """The main window (real worker threads), shown, closed after the test."""
    from salesplanner.ui.main_window import MainWindow

    win = MainWindow(JobRunner())
    qtbot.addWidget(win)
    win.resize(1280, 760)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.wait(5000)
    win.close_plan()


def open_in(window, qtbot, path: Path) -> None:
    """Open ``path`` in ``window`` and wait until it is shown."""
    with qtbot.waitSignal(window.plan_opened, timeout=15_000):
        window.open_plan(path)


def writes_done(window, qtbot) -> None:
    """Wait until every change asked of the window's write queue has been made
    and its result delivered (writes run off the interface thread), and the
    reads it set off have been shown."""
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=15_000)


def screenshot(widget, name: str) -> Path:
    """Save a picture of ``widget`` for people to look at (never compared)."""
    from PySide6.QtWidgets import QApplication

    for _ in range(3):  # let pending layout and paint events run first
        QApplication.processEvents()
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    widget.grab().save(str(path))
    return path
