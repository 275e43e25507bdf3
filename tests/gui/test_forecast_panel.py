"""The Forecast panel on the demo plan: actuals, forecast, interval, back-test, screenshots."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from salesplanner.analysis.forecast import forecast, outlook, quarter_outlook
from salesplanner.metrics import format_total
from salesplanner.storage.plan_file import PlanFile
from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot


def _panel(window):
    panel = next(p for p in window.panels if p.title == "Forecast")
    window.show_panel(window.panels.index(panel))
    return panel


def test_forecast_panel_shows_the_chosen_method_and_interval(window, qtbot, qtmodeltester,
                                                             demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = _panel(window)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=15_000)
    measures = [panel.metric.itemData(i) for i in range(panel.metric.count())]
    assert "revenue" in measures and "conversion_rate" not in measures  # ratios can't be summed
    result = panel.result
    with PlanFile.open(demo_path, read_only=True) as plan:
        expected = forecast(plan, "revenue", "week")
    assert result.method == expected.method
    np.testing.assert_allclose(result.values, expected.values)
    assert panel.table.rowCount() == len(result.periods) > 0
    assert cell(panel.table, 0, "forecast").startswith("£")
    assert panel.backtest.rowCount() == len(result.backtest)
    assert result.method in panel.summary.text()
    assert f"{panel.outlook.quarter} is heading for" in panel.summary.text()
    qtmodeltester.check(panel.table, force_py=True)
    qtmodeltester.check(panel.table)
    qtmodeltester.check(panel.backtest, force_py=True)
    qtmodeltester.check(panel.backtest)
    # hovering a future week names the forecast and its interval, not an actual
    panel.chart.show_readout(len(result.history) + 1)
    text = panel.chart.readout.text()
    assert "Forecast: £" in text and "80% interval: £" in text and "Actual" not in text
    panel.chart.show_readout(0)
    assert "Actual: £" in panel.chart.readout.text()
    screenshot(window, "panel-forecast")

    panel.period.setCurrentIndex(panel.period.findData("month"))
    panel.horizon.setValue(3)
    previous = panel.result
    panel.refresh()
    qtbot.waitUntil(lambda: panel.result is not previous, timeout=15_000)
    assert panel.result.by == "month" and len(panel.result.periods) == 3
    # The summary still gives the outlook every panel uses (by week), and
    # says where this monthly view puts the quarter if that differs.
    with PlanFile.open(demo_path, read_only=True) as plan:
        seen, monthly = outlook(plan, "revenue"), quarter_outlook(plan, panel.result)
    text = panel.summary.text()
    assert panel.outlook is seen and f"is heading for {format_total(seen.total, 'money')}" in text
    if monthly is not None and abs(monthly.total - seen.total) > 0.005 * seen.total:
        assert (f"forecast by month puts {seen.quarter} at "
                f"{format_total(monthly.total, 'money')}") in text
    assert cell(panel.table, 0, "period")[-4:].isdigit()  # "Feb 2027"
