"""The Trends panel on the demo plan: chart, table, read-out, model tester, screenshots."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from PySide6.QtCore import Qt

from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot


def _panel(window):
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
    assert cell(model, 0, "All").startswith("£")
    assert cell(model, model.rowCount() - 1, "All", Qt.ItemDataRole.FontRole).bold()
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

    # Calls carry no channel: conversion cannot be split by it, revenue can.
    channel = panel.split.findData("channel")
    panel.metric.setCurrentIndex(panel.metric.findData("revenue"))
    panel.split.setCurrentIndex(channel)
    panel._sync_controls()
    assert panel.split.model().item(channel).isEnabled()
    panel.metric.setCurrentIndex(panel.metric.findData("conversion_rate"))
    previous = panel.result
    panel.refresh()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.result.split is None and panel.split.currentData() is None
    assert not panel.split.model().item(channel).isEnabled()
    assert panel.split.model().item(panel.split.findData("team")).isEnabled()


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


def _redraw(panel, qtbot) -> None:
    previous = panel.result
    panel.refresh()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)


def test_product_mix_stacks_shares_that_add_up(window, qtbot, qtmodeltester,
                                               demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    previous = panel.result
    panel.view.setCurrentIndex(panel.view.findData("mix"))
    panel._apply_view()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.result.split == "product" and panel.model.unit == "percent"
    assert panel.model.labels[-1] == "Other"
    assert np.nansum(panel.model.values, axis=0) == pytest.approx(1.0)
    assert panel.model.data(panel.model.index(0, 0)).endswith("%")
    qtmodeltester.check(panel.model)
    panel.chart.show_readout(2)
    assert "Other:" in panel.chart.readout.text()
    screenshot(window, "panel-trends-mix")

    panel.metric.setCurrentIndex(panel.metric.findData("average_order_value"))
    panel.refresh()
    qtbot.waitUntil(lambda: "is a ratio" in panel.status.text(), timeout=15_000)
    # A measure of calls has no product mix: the whole centre, as values.
    previous = panel.result
    panel.metric.setCurrentIndex(panel.metric.findData("conversion_rate"))
    panel.refresh()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.result.split is None and not panel.show_as.isEnabled()


def test_requests_view_and_competitor_markers(window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    previous = panel.result
    panel.view.setCurrentIndex(panel.view.findData("requests"))
    panel._apply_view()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.model.labels == ["Call-back request rate", "Information request rate"]
    assert not panel.metric.isEnabled() and not panel.split.isEnabled()
    assert "callbacks / calls" in panel.status.text()
    moves = panel.competitor_moves
    qtbot.waitUntil(lambda: len(panel.chart._marker_lines) == len(moves), timeout=5_000)
    assert moves
    assert "competitor moves marked" in panel.status.text()
    # the read-out names the moves in the period under the mouse
    month = next(i for i, first in enumerate(panel.result.periods)
                 if any(first <= m.day and (m.day.year, m.day.month) == (first.year, first.month)
                        for m in moves))
    panel.chart.show_readout(month)
    named = [m for m in moves if (m.day.year, m.day.month) == (panel.result.periods[month].year,
                                                                panel.result.periods[month].month)]
    assert all(m.competitor in panel.chart.readout.text() for m in named)
    screenshot(window, "panel-trends-requests")
    panel.moves.setChecked(False)
    assert panel.chart._marker_lines == []
