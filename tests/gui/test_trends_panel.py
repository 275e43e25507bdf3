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
    # Only the controls that apply: no measure, split or share to choose.
    for widget in (panel.metric, panel.split, panel.show_as):
        assert widget.isHidden() and panel._captions[widget].isHidden()
    assert not panel.period.isHidden() and not panel.moves.isHidden()
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
    panel.view.setCurrentIndex(panel.view.findData("measure"))
    panel._apply_view()
    assert not panel.metric.isHidden() and not panel.split.isHidden()


def test_part_periods_are_drawn_hollow_and_dotted_and_axes_carry_the_unit(
        window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    result, chart = panel.result, panel.chart
    # The demo starts and ends mid-month: both ends are part months.
    assert result.part[0] and result.part[-1] and not any(result.part[1:-1])
    assert chart.plot.getAxis("left").labelText == "\u00a3"
    line = chart._curves[0]
    y = line.getData()[1]
    # The whole months' line stops short of the part months ...
    assert np.isnan(y[0]) and np.isnan(y[-1]) and np.isfinite(y[1:-1]).all()
    # ... which are hollow points, dotted to their neighbours.
    dotted = [i for i in chart._extras if i.opts["pen"] is not None
              and i.opts["pen"].style() == Qt.PenStyle.DotLine]
    hollow = [i for i in chart._extras if i.opts["symbol"] == "o"]
    assert len(dotted) == 2 and len(hollow) == 2
    assert {float(i.getData()[1][0]) for i in hollow} == {result.values[0][0],
                                                           result.values[0][-1]}
    import pyqtgraph as pg

    base = chart.palette().color(chart.palette().ColorRole.Base)
    assert all(pg.mkBrush(i.opts["symbolBrush"]).color() == base for i in hollow)  # hollow: filled as paper
    screenshot(window, "panel-trends-part-periods")
    window.set_colour_scheme("dark")  # hollow on the dark paper too
    qtbot.wait(50)
    dark = chart.palette().color(chart.palette().ColorRole.Base)
    assert all(pg.mkBrush(i.opts["symbolBrush"]).color() == dark for i in hollow)
    screenshot(window, "panel-trends-part-periods-dark")
    window.set_colour_scheme("light")
    # By day nothing is a part period: one solid line, no extras.
    previous = panel.result
    panel.period.setCurrentIndex(panel.period.findData("day"))
    panel.refresh()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.result.part == [] and chart._extras == []
    assert np.isfinite(chart._curves[0].getData()[1]).any()
    # Percent measures are titled "%".
    previous = panel.result
    panel.metric.setCurrentIndex(panel.metric.findData("conversion_rate"))
    panel.refresh()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    axis = chart.plot.getAxis("left")
    assert axis.labelText == "%" and "x0" not in axis.labelString()


def test_an_empty_plan_says_so_instead_of_bare_axes(window, qtbot, tmp_path: Path) -> None:
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.ui.charts import EMPTY_TEXT

    PlanFile.create(tmp_path / "empty.salesplan", name="Empty", quarter="2027-Q1").close()
    open_in(window, qtbot, tmp_path / "empty.salesplan")
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.result is not None or "no" in panel.status.text().lower(),
                    timeout=15_000)
    chart = panel.chart
    qtbot.waitUntil(lambda: chart.empty.isVisible(), timeout=5_000)
    assert chart.empty.text() == EMPTY_TEXT and chart.plot.isHidden()
    screenshot(window, "panel-trends-empty")
    forecast = next(p for p in window.panels if p.title == "Forecast")
    window.show_panel(window.panels.index(forecast))
    qtbot.waitUntil(lambda: forecast.chart.empty.isVisible(), timeout=15_000)
    assert forecast.chart.plot.isHidden()
    screenshot(window, "panel-forecast-empty")
