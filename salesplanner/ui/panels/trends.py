"""The Trends panel: any measure by day, week, month or quarter, split or not.

The manager picks a measure from the registry, a period and a split; the
figures come from :func:`salesplanner.analysis.trends.trend` in a worker (the first
time reads the plan's daily sums; after that a change of measure, period or
split takes milliseconds). A chart with a hover read-out and the same
figures as a table sit side by side.

Three views: one measure (values, or each split value's share of the
period: the mix); the product mix (revenue shares of the top products,
stacked); call-back and information request rates together. Competitors'
moves are drawn on the timeline in every view, coloured by expected impact,
and named in the read-out for the period under the mouse.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.competitors import CompetitorMove, competitor_moves
from salesplanner.errors import UserError
from salesplanner.currency import currency as currency_of
from salesplanner.metrics import format_value
from salesplanner.periods import period_label
from salesplanner.analysis.trends import Trend, measures_trend, splits_for, trend
from salesplanner.jobs import JobToken
from salesplanner.ui.charts import Marker, TrendChart
from salesplanner.ui.columns import RIGHT, Column, Columns, number
from salesplanner.ui.panels.base import Panel, PanelContext, fill_measures
from salesplanner.ui.row_models import RowTableModel
from salesplanner.ui.typography import HEADING, emphasise, widest

_Index = QModelIndex | QPersistentModelIndex
SPLIT_NAMES = {None: "Whole centre", "team": "Team", "agent": "Agent", "product": "Product",
               "category": "Product category", "channel": "Channel", "campaign": "Campaign",
               "segment": "Customer segment"}
PERIOD_NAMES = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter"}
PERIOD_DAYS = {"day": 1, "week": 7, "month": 31, "quarter": 92}
SHOWN = 8
#: The views: (key, name). "measure" is any measure; the others are set up for a question.
VIEWS = (("measure", "One measure"), ("mix", "Product mix"),
         ("requests", "Customer requests"))
REQUEST_MEASURES = ["callback_rate", "info_request_rate"]
#: The record of the table's whole-range row.
TOTAL = "total"


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class TrendTableModel(RowTableModel):
    """Periods down, split values across, as the chart shows them; a total row last.

    Records are period positions, then :data:`TOTAL`; a column's key is its
    split value's label.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.trend: Trend | None = None
        self.currency = "GBP"
        self.labels: list[str] = []
        self.values: np.ndarray | None = None
        self.totals: np.ndarray | None = None
        self.unit = "count"
        self._periods: list[str] = []
        self._bold = _bold()

    def set_trend(self, result: Trend | None, currency: str, *, shares: bool = False) -> None:
        """Show ``result``: its values, or with ``shares`` each label's share of the period."""
        self.trend, self.currency = result, currency
        self.labels = result.labels if result else []
        self.values = result.values if result else None
        self.totals = result.totals if result else None
        self.unit = result.metric.unit if result else "count"
        if result is not None and shares and result.periods:
            self.labels, self.values = result.shares()
            self.totals = np.full(len(self.labels), np.nan)
            whole = np.nansum(result.overall if result.overall is not None else result.totals)
            if whole:
                self.totals[:len(result.totals)] = result.totals / whole
                self.totals[len(result.totals):] = 1 - np.nansum(self.totals[:len(result.totals)])
            self.unit = "percent"
        self._periods = [period_label(p, result.by) for p in result.periods] \
            if result is not None else []
        if result is None or not result.periods:
            self.set_columns(Columns(*self._describe()))
            return
        self.set_columns(Columns(*self._describe()), range(len(result.periods)), [TOTAL])

    def _describe(self) -> list[Column]:
        def split(j: int, key: str) -> Column:
            def value(row: int | str) -> float:
                return float(self.totals[j] if row == TOTAL else self.values[j][row])

            return Column(key, self.labels[j], value,
                          lambda v: format_value(v, self.unit, self.currency), number, RIGHT)

        keys: list[str] = []
        for j, label in enumerate(self.labels):
            keys.append(label if label not in keys else f"{label}#{j}")
        return [split(j, key) for j, key in enumerate(keys)]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' roles; the whole range in bold."""
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if index.isValid() and self.is_footer(index.row()) else None
        return super().data(index, role)

    def row_title(self, row: int) -> str | None:
        """The period, or the whole range."""
        return "Whole range" if self.is_footer(row) else self._periods[self.rows[row]]


class TrendsPanel(Panel):
    """Measures over time, for the centre or split by team, agent, product ..."""

    title = "Trends"
    #: The measure chosen (its name hides QWidget.metric(), which nothing here calls).
    metric: QComboBox  # type: ignore[assignment]  # see above
    icon = "trends"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        heading = emphasise(QLabel("Trends"), HEADING)
        self.view = QComboBox()
        self.view.setAccessibleName("View")
        for key, name in VIEWS:
            self.view.addItem(name, key)
        self.view.setItemData(2, "Call-back and information request rates together",
                              Qt.ItemDataRole.ToolTipRole)
        self.metric = QComboBox()
        self.metric.setAccessibleName("Measure")
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        for key, name in PERIOD_NAMES.items():
            self.period.addItem(name, key)
        self.period.setCurrentIndex(self.period.findData("month"))
        self.split = QComboBox()
        self.split.setAccessibleName("Split")
        for key, name in SPLIT_NAMES.items():
            self.split.addItem(name, key)
        self.show_as = QComboBox()
        self.show_as.setAccessibleName("Show as")
        self.show_as.addItem("Values", "values")
        self.show_as.addItem("Share of each period", "shares")
        self.moves = QCheckBox("Competitor &moves")
        self.moves.setChecked(True)
        self.moves.setToolTip("Mark competitors' moves on the timeline, coloured by the impact "
                              "expected: red high, amber medium, blue low")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Trend notes")
        # A fixed height: a note that wraps differently must not re-lay out the
        # chart (a full repaint of the plot) on every change. Three lines; the
        # tooltip holds every note, one a line, should they run longer.
        self.status.setFixedHeight(self.status.fontMetrics().lineSpacing() * 3 + 4)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Two rows: what to show, then how to cut it; one row would make the
        # window too wide for a laptop screen.
        what, how = QHBoxLayout(), QHBoxLayout()
        self._captions: dict[QWidget, QLabel] = {}
        for row, pairs in ((what, (("&View:", self.view), ("M&easure:", self.metric))),
                           (how, (("&By:", self.period), ("&Split by:", self.split),
                                  ("S&how:", self.show_as)))):
            for label, widget in pairs:
                caption = QLabel(label)
                caption.setBuddy(widget)
                row.addWidget(caption)
                row.addWidget(widget)
                self._captions[widget] = caption
        what.addWidget(self.moves)
        for row in (what, how):
            row.addStretch(1)
        controls = QVBoxLayout()
        controls.addLayout(what)
        controls.addLayout(how)
        # Measures can have long names (managers' own): shown in full up to
        # 20 characters, so the window is never widened by one.
        self.metric.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.metric.setMinimumContentsLength(20)
        self.chart = TrendChart()
        self.model = TrendTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Trend figures")
        self.table.setModel(self.model)
        # Widths from the first rows, once per new trend (not on every paint,
        # and not from every day of a year: measuring 365 x 9 cells stalled
        # the window).
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(40)
        header.setStretchLastSection(True)  # no empty half of a pane beside one column
        self.table.verticalHeader().setResizeContentsPrecision(40)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        splitter = QSplitter()
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.view.activated.connect(lambda _i: self._apply_view())
        for combo in (self.metric, self.period, self.split, self.show_as):
            combo.activated.connect(lambda _i: self.refresh())
        self.moves.toggled.connect(lambda _on: self._draw_moves())
        self.result: Trend | None = None
        self.competitor_moves: list[CompetitorMove] = []
        #: The open plan's measures, to know which splits each allows.
        self._measures: dict = {}
        self._sync_controls()

    def _apply_view(self) -> None:
        """Set the controls up for the chosen view's question, then draw it."""
        view = self.view.currentData()
        if view == "mix":
            self.metric.setCurrentIndex(max(0, self.metric.findData("revenue")))
            self.split.setCurrentIndex(self.split.findData("product"))
            self.show_as.setCurrentIndex(self.show_as.findData("shares"))
        elif view == "measure":
            self.show_as.setCurrentIndex(self.show_as.findData("values"))
        self._sync_controls()
        self.refresh()

    def _sync_controls(self) -> None:
        requests = self.view.currentData() == "requests"
        # The requests view is two fixed rates for the centre: no measure,
        # split or share to choose, so those controls are not shown at all.
        for widget in (self.metric, self.split, self.show_as):
            widget.setVisible(not requests)
            self._captions[widget].setVisible(not requests)
        self.metric.setEnabled(not requests)
        self.split.setEnabled(not requests)
        # A measure of calls or hours cannot be split by what only sales record.
        allowed = splits_for(self._measures, self.metric.currentData())
        for i in range(self.split.count()):
            key = self.split.itemData(i)
            self.split.model().item(i).setEnabled(  # type: ignore[attr-defined]  # a combo's items
                key is None or key in allowed)
        if self.split.currentData() not in (None, *allowed):
            self.split.setCurrentIndex(0)
        self.show_as.setEnabled(not requests and self.split.currentData() is not None)

    def on_plan_opened(self) -> None:
        """Fill the measures; draw the first trend when the panel is shown."""
        self._fill_measures()
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's figures."""
        self.metric.clear()
        self._measures = {}
        self.result = None
        self.competitor_moves = []
        self.model.set_trend(None, "GBP")
        self.chart.set_series([], {})
        self.chart.set_markers([])

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Redraw when the data or the measures change."""
        if result.touches(changes.METRICS):
            self._fill_measures()
        if result.touches(changes.SALES, changes.CALLS, changes.AGENTS, changes.TEAMS,
                          changes.PRODUCTS, changes.METRICS, changes.IMPORTS):
            self.refresh_when_shown()

    def _fill_measures(self) -> None:
        plan = self.document.plan
        if plan is None:
            return
        self._measures = fill_measures(self.metric, plan, self.metric.currentData() or "revenue")
        self._sync_controls()

    def refresh(self) -> None:
        """Compute the chosen trend in a worker and show it."""
        plan = self.document.plan
        if plan is None or self.metric.currentData() is None:
            return
        self._sync_controls()
        metric, by, split = (self.metric.currentData(), self.period.currentData(),
                             self.split.currentData())
        requests = self.view.currentData() == "requests"
        currency = self.document.info.currency if self.document.info else "GBP"
        shares = self.show_as.isEnabled() and self.show_as.currentData() == "shares"
        self.status.setText("Working out the figures\u2026")

        def work(_token: JobToken) -> tuple[Trend, list[CompetitorMove]]:
            result = (measures_trend(plan, REQUEST_MEASURES, by) if requests
                      else trend(plan, metric, by, split, top=SHOWN))
            if shares:
                result.shares()  # refuses a ratio here, in the worker, with its reason
            return result, competitor_moves(plan)

        self.context.runner.start(
            "trend", work,
            on_done=lambda done: self.show_trend(*done, currency=currency, shares=shares),
            on_error=self._on_trend_failed)

    def show_trend(self, result: Trend, moves: list[CompetitorMove] | None = None, *,
                   currency: str = "GBP", shares: bool = False) -> None:
        """Draw ``result`` in the chart and the table, and ``moves`` on the timeline."""
        self.result = result
        self.competitor_moves = list(moves or [])
        self.model.set_trend(result, currency, shares=shares)
        self._size_columns()
        unit = self.model.unit
        self.chart.format_value = lambda v: format_value(v, unit, currency)
        self.chart.period_days = PERIOD_DAYS[result.by]
        self.chart.currency_symbol = currency_of(currency).symbol
        if self.model.values is not None:
            self.chart.set_series(result.periods, dict(zip(self.model.labels, self.model.values)),
                                  unit, stacked=shares, part=result.part)
        # Markers in the next turn of the event loop: the lines and the
        # markers then paint as two short pieces of work, not one long one.
        QTimer.singleShot(0, self._draw_moves)
        notes = list(result.notes)
        formula = f"{result.metric.name} = {result.metric.formula}"
        if result.metric.formula.strip() != result.metric.code and formula not in notes:
            notes.insert(0, formula)
        if shares:
            notes.insert(0, "each colour is a share of the period's whole; the top of the pile "
                         "is 100%")
        if self.competitor_moves and self.moves.isChecked():
            shown = self._moves_in_range()
            notes.append(f"{len(shown)} competitor moves marked (hover a period to read them)")
        self.status.setText(" \u00b7 ".join(notes))
        self.status.setToolTip("\n".join(notes))

    def _size_columns(self) -> None:
        """Column widths from the texts themselves (the first rows, the total and
        the title): asking the view to measure its cells stalled the window."""
        last = self.model.rowCount() - 1
        if last < 0:  # no periods: nothing to measure
            return
        for column, described in enumerate(self.model.columns):
            texts = self.model.column_texts(described.key)
            bold = [self.model.texts(last)[column], described.title]  # the total and the title
            self.table.setColumnWidth(column, widest(self.table, texts, bold) + 18)

    def _moves_in_range(self) -> list[CompetitorMove]:
        if self.result is None or not self.result.periods:
            return []
        first = self.result.periods[0]
        return [m for m in self.competitor_moves if m.day >= first]

    def _draw_moves(self) -> None:
        if not self.moves.isChecked():
            self.chart.set_markers([])
            return
        self.chart.set_markers([Marker(m.day, m.competitor, str(m), m.impact_level)
                                for m in self._moves_in_range()])

    def _on_trend_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.status.setText(str(error))
        else:
            raise error
