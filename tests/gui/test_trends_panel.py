"""The Trends panel on the demo plan: chart, table, read-out, model tester, screenshots."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.gui.conftest import open_in, screenshot


def _panel(window):  # noqa: ANN001, ANN202
    panel = next(p for p in window.panels if p.title == "Trends")
    window.show_panel(window.panels.index(panel))
    return panel


def test_trends_panel_draws_measures_and_splits(window, qtbot, qtmodeltester,
                                                demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    assert panel.result.metric.code == "revenue" and panel.result.labels == ["All"]
    model = panel.model
    assert model.rowCount() == len(panel.result.periods) + 1
    assert model.headerData(model.rowCount() - 1, Qt.Orientation.Vertical) == "Whole range"
    assert model.data(model.index(0, 0)).startswith("£")
    qtmodeltester.check(model, force_py=True)
    panel.chart.show_readout(1)
    assert "Revenue" not in panel.chart.readout.text() and "All: £" in panel.chart.readout.text()
    screenshot(window, "panel-trends")

    panel.metric.setCurrentIndex(panel.metric.findData("conversion_rate"))
    panel.split.setCurrentIndex(panel.split.findData("team"))
    panel.period.setCurrentIndex(panel.period.findData("week"))
    previous = panel.result
    panel.refresh()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.result.split == "team" and len(panel.result.labels) > 1
    assert model.data(model.index(0, 0)).endswith("%")
    qtmodeltester.check(model)
    assert "orders / calls" in panel.status.text()
    screenshot(window, "panel-trends-teams")


def test_trend_chart_follows_dark_mode(window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    window.set_colour_scheme("dark")
    qtbot.wait(50)
    background = panel.chart.plot.backgroundBrush().color()
    assert background.lightness() < 100
    screenshot(window, "panel-trends-dark")
    window.set_colour_scheme("light")
    qtbot.wait(50)
    assert panel.chart.plot.backgroundBrush().color().lightness() > 200
