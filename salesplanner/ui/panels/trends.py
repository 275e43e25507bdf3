"""The Trends panel: any measure by day, week, month or quarter, split or not.

The manager picks a measure from the registry, a period and a split; the
figures come from :func:`salesplanner.trends.trend` in a worker (the first
time reads the plan's daily sums; after that a change of measure, period or
split takes milliseconds). A chart with a hover read-out and the same
figures as a table sit side by side.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.metrics import format_value, registry
from salesplanner.trends import Trend, trend
from salesplanner.ui.charts import TrendChart
from salesplanner.ui.panels.base import Panel
from salesplanner.ui.typography import HEADING, emphasise

_Index = QModelIndex | QPersistentModelIndex
SPLIT_NAMES = {None: "Whole centre", "team": "Team", "agent": "Agent", "product": "Product",
               "category": "Product category", "channel": "Channel", "campaign": "Campaign",
               "segment": "Customer segment"}
PERIOD_NAMES = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter"}
SHOWN = 8


class TrendTableModel(QAbstractTableModel):
    """Periods down, split values across, as the chart shows them; a total row last."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.trend: Trend | None = None
        self.currency = "GBP"

    def set_trend(self, result: Trend | None, currency: str) -> None:
        """Show ``result``."""
        self.beginResetModel()
        self.trend, self.currency = result, currency
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        """One row per period, and the whole range."""
        if parent.isValid() or self.trend is None or not self.trend.periods:
            return 0
        return len(self.trend.periods) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        """One column per split value."""
        return 0 if parent.isValid() or self.trend is None else len(self.trend.labels)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value, formatted by the measure's unit."""
        if not index.isValid() or self.trend is None:
            return None
        row, col = index.row(), index.column()
        total = row == len(self.trend.periods)
        value = self.trend.totals[col] if total else self.trend.values[col, row]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(float(value), self.trend.metric.unit, self.currency)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and total:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Split values across; period start dates down."""
        if role != Qt.ItemDataRole.DisplayRole or self.trend is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.trend.labels[section] if 0 <= section < len(self.trend.labels) else None
        if section == len(self.trend.periods):
            return "Whole range"
        if 0 <= section < len(self.trend.periods):
            return _period_label(self.trend.periods[section], self.trend.by)
        return None


def _period_label(first, by: str) -> str:  # noqa: ANN001 - a date
    if by == "month":
        return f"{first:%b %Y}"
    if by == "quarter":
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    if by == "week":
        return f"w/c {first:%d %b %Y}"
    return f"{first:%a %d %b %Y}"


class TrendsPanel(Panel):
    """Measures over time, for the centre or split by team, agent, product ..."""

    title = "Trends"
    icon = "trends"

    def __init__(self, context, parent=None) -> None:  # noqa: ANN001
        super().__init__(context, parent)
        heading = emphasise(QLabel("Trends"), HEADING)
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
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Trend notes")
        controls = QHBoxLayout()
        for label, widget in (("&Measure:", self.metric), ("&By:", self.period),
                              ("&Split by:", self.split)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            controls.addWidget(caption)
            controls.addWidget(widget)
        controls.addStretch(1)
        self.chart = TrendChart()
        self.model = TrendTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Trend figures")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        splitter = QSplitter()
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        for combo in (self.metric, self.period, self.split):
            combo.activated.connect(lambda _i: self.refresh())
        self.result: Trend | None = None

    def on_plan_opened(self) -> None:
        """Fill the measures; draw the first trend when the panel is shown."""
        self._fill_measures()
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's figures."""
        self.metric.clear()
        self.result = None
        self.model.set_trend(None, "GBP")
        self.chart.set_series([], {})

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
        current = self.metric.currentData() or "revenue"
        self.metric.clear()
        for code, measure in registry(plan).items():
            self.metric.addItem(measure.name, code)
        self.metric.setCurrentIndex(max(0, self.metric.findData(current)))

    def refresh(self) -> None:
        """Compute the chosen trend in a worker and show it."""
        plan = self.document.plan
        if plan is None or self.metric.currentData() is None:
            return
        metric, by, split = (self.metric.currentData(), self.period.currentData(),
                             self.split.currentData())
        currency = self.document.info.currency if self.document.info else "GBP"
        self.status.setText("Working out the figures\u2026")
        self.context.runner.start(
            "trend", lambda _token: trend(plan, metric, by, split, top=SHOWN),
            on_done=lambda result: self.show_trend(result, currency),
            on_error=self._on_trend_failed)

    def show_trend(self, result: Trend, currency: str) -> None:
        """Draw ``result`` in the chart and the table."""
        self.result = result
        self.chart.format_value = lambda v: format_value(v, result.metric.unit, currency)
        self.chart.set_series(result.periods, dict(zip(result.labels, result.values)),
                              result.metric.unit)
        self.model.set_trend(result, currency)
        notes = list(result.notes)
        if result.metric.formula.strip() != result.metric.code:
            notes.insert(0, f"{result.metric.name} = {result.metric.formula}")
        self.status.setText(" \u00b7 ".join(notes))

    def _on_trend_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.status.setText(str(error))
        else:
            raise error
