"""A plan opens on the Overview unless it is the plan the last panel was used on."""

from __future__ import annotations

import shutil
from pathlib import Path

from salesplanner.ui.main_window import MainWindow
from tests.gui.conftest import open_in


def _titled(window: MainWindow, title: str) -> int:
    return [p.title for p in window.panels].index(title)


def test_new_and_other_plans_open_on_the_overview(window: MainWindow, demo_path: Path,
                                                  qtbot, tmp_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    window.show_panel(_titled(window, "Peaks"))
    assert window.current_panel().title == "Peaks"
    # File > New (after its dialogs): the new plan shows its Overview.
    with qtbot.waitSignal(window.plan_opened, timeout=15_000):
        window.create_plan(tmp_path / "fresh.salesplan", "Fresh", "2027-Q1", "GBP")
    assert window.current_panel().title == "Overview"
    assert window.sidebar.currentRow() == 0 and window.panel_actions[0].isChecked()
    # Opening another plan while one is open: the Overview, not the panel used before.
    window.show_panel(_titled(window, "Targets"))
    other = tmp_path / "other.salesplan"
    shutil.copyfile(demo_path, other)
    open_in(window, qtbot, other)
    assert window.current_panel().title == "Overview"


def test_the_same_plan_reopens_on_its_last_panel(window: MainWindow, demo_path: Path,
                                                 qtbot) -> None:
    open_in(window, qtbot, demo_path)
    window.show_panel(_titled(window, "Peaks"))
    window.close_plan()
    open_in(window, qtbot, demo_path)
    assert window.current_panel().title == "Peaks"
