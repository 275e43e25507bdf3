"""The window opens a plan, shows it, and refuses a file that is not a plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from salesplanner.ui.main_window import MainWindow

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_plan()


def test_window_opens_a_plan(window: MainWindow, demo_path: Path, qtbot) -> None:
    with qtbot.waitSignal(window.plan_opened, timeout=5000) as opened:
        assert window.open_plan(demo_path)
    assert opened.args == [str(demo_path)]
    assert window.plan is not None and window.plan.path == demo_path
    assert "Demo contact centre 2027-Q1" in window.windowTitle()
    assert "demo.salesplan" in window.windowTitle()
    assert "24 agents" in window.statusBar().currentMessage()
    assert window.action_close.isEnabled()
    SCREENSHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "main_window_plan.png"))
    with qtbot.waitSignal(window.plan_closed):
        window.action_close.trigger()
    assert window.plan is None and not window.action_close.isEnabled()


def test_window_refuses_a_non_plan_with_a_message(window: MainWindow, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "sales.salesplan"
    bad.write_text("Agent,Revenue\n")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    assert not window.open_plan(bad)
    assert window.plan is None
    assert len(shown) == 1 and "not an SQLite database" in shown[0]
    assert bad.read_text() == "Agent,Revenue\n"
