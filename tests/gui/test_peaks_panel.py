"""The Peaks panel on the demo plan: the heat map, its notes, model tester, screenshots."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot


def test_peaks_panel_shows_each_view(window, qtbot, qtmodeltester, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Peaks")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    model = panel.model
    assert model.rowCount() == 7 and model.columnCount() == len(panel.result.open_hours())
    assert model.headerData(0, Qt.Orientation.Vertical) == "Mon"
    qtmodeltester.check(model, force_py=True)
    d, h = panel.result.peak
    column = model.column_of(f"{h:02d}")
    assert column == panel.result.open_hours().index(h)
    assert cell(model, d, f"{h:02d}", Qt.ItemDataRole.ToolTipRole) == "The peak"
    assert model.headerData(column, Qt.Orientation.Horizontal) == f"{h:02d}:00"
    assert "Peak:" in panel.summary.text() and "Erlang C" in panel.summary.text()
    screenshot(window, "panel-peaks")
    for key in ("conversion", "agents"):
        previous = panel.result
        panel.view_choice.setCurrentIndex(panel.view_choice.findData(key))
        panel.refresh()
        qtbot.waitUntil(lambda p=previous: panel.result is not p, timeout=15_000)
        text = model.data(model.index(d, column))
        assert text.endswith("%") if key == "conversion" else text.isdigit()
    qtmodeltester.check(model)
    screenshot(window, "panel-peaks-agents")
