"""The Forecast panel: where an additive measure is heading, and how far to trust it.

The manager picks a measure that adds up over time (revenue, sales, calls
or their own sums), weekly or monthly, and how far ahead (by default the
rest of the quarter and the next). :func:`salesplanner.analysis.forecast.forecast`
runs in a worker: every method is back-tested on the last periods of
history and the best by MASE is used. The chart shows the actuals, the
forecast dashed and its 80% interval shaded; beside it the back-test
scores (so the manager sees why a method was chosen and how wrong it has
been) and the forecast figures.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QSpinBox, QSplitter, QTableView, QVBoxLayout,
    QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.analysis.forecast import (
    Forecast, QuarterOutlook, forecast, outlook, quarter_outlook,
)
from salesplanner.analysis.thin_data import forecast_warning
from salesplanner.jobs import JobToken
from salesplanner.currency import currency as currency_of
from salesplanner.metrics import format_total, format_value, registry
from salesplanner.periods import period_label
from salesplanner.ui.charts import TrendChart
from salesplanner.ui.panels.base import Panel, PanelContext, fill_measures
from salesplanner.ui.columns import RIGHT, Column, Columns, date, number
from salesplanner.ui.row_models import Index, RowTableModel
from salesplanner.ui.typography import HEADING, emphasise

METHOD_HELP = {
    "seasonal naive": "each period as the same period a year before",
    "seasonal naive with growth": "the same period a year before, plus last year's growth",
    "Holt-Winters": "exponential smoothing of level, damped trend and the yearly pattern",
    "Holt-Winters multiplicative": "the same, with yearly swings and trend in proportion to "
                                   "the level",
    "Holt": "exponential smoothing of level and damped trend",
    "drift": "the last value plus the average change",
    "naive": "every period as the last one",
}


def _number(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"


class BacktestModel(RowTableModel):
    """One row per method tried, as (method, (MASE, MAPE)): its held-out errors;
    the chosen one in bold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chosen = ""
        self.columns = Columns(
            Column("method", "Method", lambda r: r[0],
                   text=lambda r: f"{r[0]} \u2713" if r[0] == self.chosen else r[0]),
            Column("mase", "MASE", lambda r: r[1][0], _number, number, RIGHT),
            Column("mape", "MAPE", lambda r: r[1][1],
                   lambda v: "n/a" if v != v else f"{v:.1%}", number, RIGHT),
            Column("help", "How it forecasts", lambda r: METHOD_HELP.get(r[0], "")),
        )
        self._bold = QFont()
        self._bold.setBold(True)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' roles; the chosen method's row in bold."""
        if role == Qt.ItemDataRole.FontRole:
            chosen = index.isValid() and self.rows[index.row()][0] == self.chosen
            return self._bold if chosen else None
        return super().data(index, role)


class ForecastTableModel(RowTableModel):
    """One row per future period, as (period, forecast, low, high)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.unit, self.currency, self.by = "count", "GBP", "week"
        figure: dict[str, Any] = {"show": self._figure, "sort": number, "align": RIGHT}
        self.columns = Columns(
            Column("period", "Period", lambda r: r[0], lambda p: period_label(p, self.by),
                   date),
            Column("forecast", "Forecast", lambda r: r[1], **figure),
            Column("low", "Low (10%)", lambda r: r[2], **figure),
            Column("high", "High (90%)", lambda r: r[3], **figure),
        )

    def _figure(self, value: float) -> str:
        return format_value(float(value), self.unit, self.currency)


class ForecastPanel(Panel):
    """Forecasts with their interval and back-tested accuracy."""

    title = "Forecast"
    #: The measure chosen (its name hides QWidget.metric(), which nothing here calls).
    metric: QComboBox  # type: ignore[assignment]  # see above
    icon = "forecast"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        heading = emphasise(QLabel("Forecast"), HEADING)
        self.metric = QComboBox()
        self.metric.setAccessibleName("Measure")
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        self.period.addItem("Week", "week")
        self.period.addItem("Month", "month")
        self.horizon = QSpinBox()
        self.horizon.setAccessibleName("Periods ahead")
        self.horizon.setRange(0, 104)
        self.horizon.setSpecialValueText("Rest of quarter and next")
        self.horizon.setSuffix(" periods")
        self.horizon.setToolTip("How far ahead to forecast; 0 means to the end of the quarter "
                                "after the one the data ends in")
        controls = QHBoxLayout()
        for label, widget in (("M&easure:", self.metric), ("&By:", self.period),
                              ("&Ahead:", self.horizon)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            controls.addWidget(caption)
            controls.addWidget(widget)
        controls.addStretch(1)
        self.chart = TrendChart()
        self.chart.plot.setAccessibleName("Forecast chart")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Method chosen")
        self.backtest = BacktestModel(self)
        self.backtest_view = QTableView()
        self.backtest_view.setAccessibleName("Back-test accuracy")
        self.backtest_view.setModel(self.backtest)
        self.backtest_view.verticalHeader().hide()
        self.backtest_view.horizontalHeader().setStretchLastSection(True)
        self.table = ForecastTableModel(self)
        self.table_view = QTableView()
        self.table_view.setAccessibleName("Forecast figures")
        self.table_view.setModel(self.table)
        self.table_view.verticalHeader().hide()
        for view in (self.backtest_view, self.table_view):
            view.horizontalHeader().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.summary)
        accuracy = QLabel("<b>Accuracy on held-out history</b> (lower is better; MASE "
                          "is the error over the history's usual change from a season "
                          "before, so under 1 is closer than that)")
        accuracy.setWordWrap(True)
        side_layout.addWidget(accuracy)
        # The four methods in view without scrolling (their descriptions wrap to
        # two lines).
        spacing = self.backtest_view.fontMetrics().lineSpacing()
        self.backtest_view.setMinimumHeight(spacing + 12 + 4 * (2 * spacing + 10))
        side_layout.addWidget(self.backtest_view, 2)
        side_layout.addWidget(QLabel("<b>Forecast</b>"))
        side_layout.addWidget(self.table_view, 5)
        splitter = QSplitter()
        splitter.addWidget(self.chart)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Forecast notes")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        for combo in (self.metric, self.period):
            combo.activated.connect(lambda _i: self.refresh())
        self.horizon.editingFinished.connect(self.refresh)
        self.result: Forecast | None = None
        self.outlook: QuarterOutlook | None = None

    def on_plan_opened(self) -> None:
        """Fill the measures; forecast when the panel is shown."""
        self._fill_measures()
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's forecast."""
        self.metric.clear()
        self.result = None
        self.backtest.set_rows([])
        self.table.set_rows([])
        self.chart.set_series([], {})
        self.summary.clear()
        self.status.clear()

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Forecast again when the data or the measures change."""
        if result.touches(changes.METRICS):
            self._fill_measures()
        if result.touches(changes.SALES, changes.CALLS, changes.AGENTS, changes.METRICS,
                          changes.IMPORTS):
            self.refresh_when_shown()

    def _fill_measures(self) -> None:
        """Only measures that add up over time can be forecast as totals."""
        plan = self.document.plan
        if plan is None:
            return
        fill_measures(self.metric, plan, self.metric.currentData() or "revenue",
                      additive_only=True)

    def refresh(self) -> None:
        """Forecast the chosen measure in a worker and show it."""
        plan = self.document.plan
        if plan is None or self.metric.currentData() is None:
            return
        metric, by = self.metric.currentData(), self.period.currentData()
        horizon = self.horizon.value() or None
        measure = registry(plan)[metric]
        currency = self.document.info.currency if self.document.info else "GBP"
        self.status.setText("Back-testing the methods\u2026")
        def work(_token: JobToken) -> tuple[Forecast, QuarterOutlook | None,
                                            QuarterOutlook | None]:
            result = forecast(plan, metric, by, horizon)
            return result, outlook(plan, metric), quarter_outlook(plan, result)

        self.context.runner.start(
            "forecast", work,
            on_done=lambda done: self.show_forecast(done[0], measure.name, measure.unit,
                                                    currency, outlook=done[1],
                                                    this_view=done[2]),
            on_error=self._on_failed)

    def show_forecast(self, result: Forecast, name: str, unit: str, currency: str, *,
                      outlook: QuarterOutlook | None = None,
                      this_view: QuarterOutlook | None = None) -> None:
        """Draw ``result``: actuals, the forecast dashed, the interval shaded; say
        where the quarter is heading (``outlook``: the weekly outlook every
        panel uses) and, when this view's own forecast (``this_view``: by
        month, or another horizon) puts the quarter elsewhere, say so."""
        self.result = result
        self.outlook = outlook
        days = [*result.history_periods, *result.periods]
        gap = np.full(len(result.periods), np.nan)
        actual = np.concatenate([result.history, gap])
        # The forecast line starts at the last actual so the two join.
        ahead = np.concatenate([np.full(len(result.history) - 1, np.nan),
                                result.history[-1:], result.values])
        self.chart.format_value = lambda v: format_value(v, unit, currency)
        self.chart.currency_symbol = currency_of(currency).symbol
        self.chart.set_series(days, {"Actual": actual, "Forecast": ahead}, unit,
                              dashed=("Forecast",),
                              band=("80% interval", result.periods, result.low, result.high))
        self.backtest.chosen = result.method
        self.backtest.set_rows(list(result.backtest.items()))
        self.table.unit, self.table.currency, self.table.by = unit, currency, result.by
        self.table.set_rows(list(zip(result.periods, result.values, result.low, result.high)))
        error, percent = result.backtest[result.method]
        thin = forecast_warning(result.by, len(result.history), result.holdout, result.method,
                                percent)
        total = float(np.sum(result.values))
        self.summary.setText(
            f"<b>{name}</b>, {len(result.periods)} {result.by}s ahead: "
            f"{format_total(total, unit, currency)} in all. "
            f"<b>{result.method}</b> was chosen: back-tested on {result.backtest_text()}, it "
            f"was off by MASE {_number(error)}"
            + ("" if percent != percent else f", {percent:.1%} on average") + "."
            + ("" if thin is None else f"<br><b>Rough:</b> {html.escape(thin)}")
            + ("" if outlook is None else "<br>" + html.escape(outlook.sentence(
                lambda v: format_total(v, unit, currency))))
            + _differs(outlook, this_view, result.by, lambda v: format_total(v, unit, currency)))
        self.status.setText(" \u00b7 ".join(result.notes))

    def _on_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.result = None
            self.backtest.set_rows([])
            self.table.set_rows([])
            self.chart.set_series([], {})
            self.summary.clear()
            self.status.setText(f"No forecast: {error}")
        else:
            raise error


def _differs(outlook: QuarterOutlook | None, this_view: QuarterOutlook | None, by: str,
             fmt: Callable[[float], str]) -> str:
    """A line when this view's forecast puts the quarter more than 0.5% away
    from the outlook: which figure the other panels use and why they differ."""
    if outlook is None or this_view is None or this_view.quarter != outlook.quarter:
        return ""
    if abs(this_view.total - outlook.total) <= 0.005 * max(abs(outlook.total), 1e-9):
        return ""
    return html.escape(
        f"<br>This view's forecast by {by} puts {this_view.quarter} at {fmt(this_view.total)}; "
        "the figure above is the outlook by week, the one Targets, Performance and the "
        "Overview use (a different series, method and back-test give a different figure)."
    ).replace("&lt;br&gt;", "<br>")
