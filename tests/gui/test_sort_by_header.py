"""Clicking a column title sorts agent codes naturally: AG2 before AG10, both ways."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView

from salesplanner.ui.row_models import RowTableModel
from tests.gui.conftest import open_in


def _click_title(qtbot, view: QTableView, key: str) -> None:
    header = view.horizontalHeader()
    section = view.model().column_of(key)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def _codes(model: RowTableModel) -> list[str]:
    return [model.index(r, model.column_of("agent")).data().split()[0]
            for r in range(model.rowCount()) if not model.is_footer(r)]


def _natural(codes: list[str]) -> list[str]:
    """Codes of letters then a number (AG7), in natural order."""
    def key(code: str) -> tuple[str, int]:
        letters = code.rstrip("0123456789")
        return letters, int(code[len(letters):] or 0)

    return sorted(codes, key=key)


def _check_clicks(qtbot, view: QTableView) -> None:
    model = view.model()
    codes = _codes(model)
    assert len(codes) > 10 and "AG10" in codes and "AG2" in codes
    assert codes == _natural(codes)  # opens sorted by agent
    _click_title(qtbot, view, "agent")
    assert view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _codes(model) == _natural(codes)[::-1]
    other = next(c.key for c in model.columns if c.key != "agent")
    _click_title(qtbot, view, other)
    assert view.horizontalHeader().sortIndicatorSection() == model.column_of(other)
    _click_title(qtbot, view, "agent")
    assert view.horizontalHeader().sortIndicatorSection() == model.column_of("agent")
    if view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder:
        _click_title(qtbot, view, "agent")
    shown = _codes(model)
    assert shown == _natural(shown) and shown.index("AG2") < shown.index("AG10")


def test_skill_matrix_sorts_agents_naturally(window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Skills")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.model.rowCount() > 10, timeout=15_000)
    _check_clicks(qtbot, panel.table)
    assert panel.model.index(panel.model.rowCount() - 1, 0).data() == "Team average"


def test_targets_and_hours_sort_agents_naturally(window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Targets")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.preview is not None and panel.model.rowCount() > 10,
                    timeout=15_000)
    _check_clicks(qtbot, panel.table)
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: panel.hours.rowCount() > 10, timeout=15_000)
    _check_clicks(qtbot, panel.hours_view)
