"""Two small charts of a back-test's calibration, coloured from the palette.

:class:`SharesChart` draws, per quarter, the share of agents predicted to
make target beside the share who did (paired bars). :class:`ReliabilityChart`
draws each group of chances (0-10%, 10-20%, ...) at its average chance
across and the share of its agents who reached target up, the point's size
and label giving the number of agents, over a dashed diagonal: the points
of perfectly calibrated chances lie on it.

The owner supplies the figures ready to draw (shares as fractions 0-1); the
charts do no aggregation and redraw their items in place.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from salesplanner.ui.charts import PALETTE

#: The share axes' ticks: 0% to 100% in steps of 20.
PERCENT_TICKS = [[(i / 5, f"{i * 20}%") for i in range(6)], []]
#: The shown range of a share axis: a little room beyond 0% and 100% for the
#: points and their labels.
SHARE_RANGE = (-0.04, 1.1)
#: Bars are labelled with their share up to this many quarters (more would crowd).
LABELLED_QUARTERS = 8
#: Predicted and actual, in the colours the trend charts give their first two lines.
PREDICTED, ACTUAL = PALETTE[0], PALETTE[1]
#: The bars' width, in quarters (a pair of bars fills most of its slot).
BAR = 0.36


class _PercentPlot(QWidget):
    """A title, a key and a plot with 0-100% axes that follows light and dark."""

    def __init__(self, title: str, key: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.y_axis = pg.AxisItem(orientation="left")
        self.y_axis.setTicks(PERCENT_TICKS)
        self.bottom_axis = pg.AxisItem(orientation="bottom")
        self.plot = pg.PlotWidget(axisItems={"left": self.y_axis, "bottom": self.bottom_axis})
        self.plot.setAccessibleName(name)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.plot.setYRange(*SHARE_RANGE, padding=0)
        self.title = QLabel(f"<b>{title}</b>")
        self.key = QLabel(key)
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        self.key.setAccessibleName(f"{name} key")
        self._labels: list[pg.TextItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.key)
        layout.addWidget(self.plot, 1)
        self.apply_palette()

    def changeEvent(self, event: QEvent) -> None:
        """Follow a switch between light and dark."""
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)

    def text_colour(self) -> QColor:
        """The palette's text colour (for axes and labels)."""
        return self.palette().color(QPalette.ColorRole.Text)

    def _label(self, text: str, x: float, y: float, anchor: tuple[float, float]) -> None:
        """Write ``text`` at (x, y) in the palette's text colour (kept until the next draw)."""
        label = pg.TextItem(text, color=self.text_colour(), anchor=anchor)
        label.setFont(self.font())
        label.setPos(float(x), float(y))
        self.plot.addItem(label)
        self._labels.append(label)

    def apply_palette(self) -> None:
        """Take background, axis and text colours from the widget's palette."""
        self.plot.setBackground(self.palette().color(QPalette.ColorRole.Base))
        text = self.text_colour()
        for axis in ("left", "bottom"):
            item = self.plot.getAxis(axis)
            item.setPen(pg.mkPen(text))
            item.setTextPen(pg.mkPen(text))
            item.setStyle(tickFont=self.font())
            item.label.setDefaultTextColor(text)
        for label in self._labels:
            label.setColor(text)


class SharesChart(_PercentPlot):
    """Per quarter, the share predicted to make target beside the share who did."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Predicted vs actual share per quarter",
            f"<span style='color:{PREDICTED}'>\u25a0</span>&nbsp;Predicted to make target"
            f"&nbsp;&nbsp;&nbsp; <span style='color:{ACTUAL}'>\u25a0</span>&nbsp;"
            "Actually made it", "Predicted and actual shares", parent)
        self.plot.setLabel("left", "Share of agents")
        self.predicted = pg.BarGraphItem(x=[], height=[], width=BAR, brush=PREDICTED,
                                         pen=pg.mkPen(None))
        self.actual = pg.BarGraphItem(x=[], height=[], width=BAR, brush=ACTUAL,
                                      pen=pg.mkPen(None))
        self.plot.addItem(self.predicted)
        self.plot.addItem(self.actual)

    def set_shares(self, quarters: Sequence[str], predicted: np.ndarray,
                   actual: np.ndarray) -> None:
        """One pair of bars per quarter; NaN leaves a bar out."""
        x = np.arange(len(quarters), dtype=float)
        for label in self._labels:
            self.plot.removeItem(label)
        self._labels = []
        for item, values, offset in ((self.predicted, predicted, -BAR / 2),
                                     (self.actual, actual, BAR / 2)):
            values = np.asarray(values, dtype=float)
            shown = ~np.isnan(values)
            item.setOpts(x=x[shown] + offset, height=values[shown], width=BAR)
            if len(quarters) <= LABELLED_QUARTERS:
                for at, value in zip(x[shown] + offset, values[shown]):
                    self._label(f"{value:.0%}", at, value, (0.5, 1.0))
        self.bottom_axis.setTicks([[(float(i), q) for i, q in enumerate(quarters)]])
        self.plot.setXRange(-0.6, max(len(quarters) - 0.4, 0.6), padding=0)
        self.plot.setYRange(*SHARE_RANGE, padding=0)


class ReliabilityChart(_PercentPlot):
    """Chance given against how often it came true, with the diagonal of perfect calibration."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Reliability: were the chances right?",
            f"<span style='color:{PREDICTED}'>\u25cf</span>&nbsp;agents given similar "
            "chances (the number: how many)&nbsp;&nbsp;&nbsp; \u2504&nbsp;perfectly "
            "calibrated", "Reliability chart", parent)
        self.bottom_axis.setTicks(PERCENT_TICKS)
        self.plot.setLabel("left", "Share who reached target")
        self.plot.setLabel("bottom", "Chance given (group average)")
        self.plot.setXRange(-0.04, 1.07, padding=0)
        self.diagonal = pg.PlotDataItem([0.0, 1.0], [0.0, 1.0])
        self.plot.addItem(self.diagonal)
        self.points = pg.ScatterPlotItem(hoverable=True, tip=lambda x, y, data: data,
                                         brush=PREDICTED, pen=pg.mkPen(None))
        self.plot.addItem(self.points)
        self.apply_palette()

    def apply_palette(self) -> None:
        """Axes, labels and the diagonal in the palette's text colour."""
        super().apply_palette()
        text = self.text_colour()
        if hasattr(self, "diagonal"):
            self.diagonal.setPen(pg.mkPen(text, width=1, style=Qt.PenStyle.DashLine))

    def set_groups(self, chances: np.ndarray, reached: np.ndarray, agents: np.ndarray,
                   tips: Sequence[str]) -> None:
        """One point per group: its average chance, the share who reached target and
        its number of agents (the point's size and label); ``tips`` for hovering."""
        agents = np.asarray(agents, dtype=float)
        most = agents.max() if len(agents) else 1.0
        sizes = 8 + 16 * np.sqrt(agents / most)
        self.points.setData(x=np.asarray(chances, dtype=float), y=np.asarray(reached, dtype=float),
                            size=sizes, data=list(tips))
        for label in self._labels:
            self.plot.removeItem(label)
        self._labels = []
        for x, y, count in zip(chances, reached, agents):
            self._label(f"{count:.0f}", x, y, (-0.35, 1.0))
        self.plot.setXRange(-0.04, 1.07, padding=0)
        self.plot.setYRange(*SHARE_RANGE, padding=0)
