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


def test_days_without_data_are_blank(window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Peaks")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    model = panel.model
    sunday = 6  # the demo centre is closed on Sundays
    assert panel.result.no_data_days() == [sunday]
    assert {model.data(model.index(sunday, c)) for c in range(model.columnCount())} == {""}
    assert all(model.data(model.index(0, c)) for c in range(model.columnCount()))


def test_staffing_without_handle_time_says_so_and_takes_one(window, qtbot,
                                                            tmp_path: Path) -> None:
    from salesplanner.analysis.staffing import agents_needed
    from salesplanner.importing.run import import_file
    from salesplanner.storage.plan_file import PlanFile
    from tests.unit.test_peaks_output import INTERVALS

    source = tmp_path / "iv.csv"
    source.write_text(INTERVALS)
    plan = PlanFile.create(tmp_path / "iv.salesplan", name="Intervals", quarter="2027-Q1")
    import_file(plan, source)
    plan.close()
    open_in(window, qtbot, tmp_path / "iv.salesplan")
    panel = next(p for p in window.panels if p.title == "Peaks")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    previous = panel.result
    panel.view_choice.setCurrentIndex(panel.view_choice.findData("agents"))
    panel.refresh()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.grid.isHidden() and not panel.notice.isHidden()
    assert "no handle time" in panel.notice.text() and "Handle time" in panel.notice.text()
    assert panel.aht.text() == "from the data"
    screenshot(window, "panel-peaks-no-handle-time")
    previous = panel.result
    panel.aht.setValue(240)
    panel.aht.editingFinished.emit()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.notice.isHidden() and not panel.grid.isHidden()
    tuesday_ten = panel.model.index(1, panel.model.column_of("10"))
    assert panel.model.data(tuesday_ten) == str(agents_needed(2000, 240, 3600).agents)
    assert "calls of 240 s" in panel.summary.text()
    screenshot(window, "panel-peaks-given-handle-time")
