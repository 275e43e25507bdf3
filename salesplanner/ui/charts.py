"""Charts drawn with pyqtgraph, coloured from the window's palette.

:class:`TrendChart` draws one line per series over dates. Its owner supplies
the data ready to draw (period start dates and one NumPy array of values per
series); the chart does no aggregation. Lines are updated in place when new
data arrives. A vertical cursor follows the mouse and a read-out names the
period and every series' value there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

#: Distinguishable line colours (Okabe-Ito, readable for colour-blind users).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")


class ValueAxis(pg.AxisItem):
    """A value axis whose tick labels use the measure's own format (28%, £1.2k)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.unit = "count"

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        """Tick labels in the unit's format, compact for big numbers."""
        out = []
        for value in values:
            if self.unit == "percent":
                out.append(f"{value:.0%}" if spacing >= 0.01 else f"{value:.1%}")
            elif abs(value) >= 1e6:
                out.append(f"{value / 1e6:,.1f}M")
            elif abs(value) >= 1e4:
                out.append(f"{value / 1e3:,.0f}k")
            else:
                out.append(f"{value:,.0f}" if spacing >= 1 else f"{value:,.2f}")
        return out


def _stamp(day: date) -> float:
    return datetime.combine(day, time()).timestamp()


class TrendChart(QWidget):
    """Lines over dates with a hover read-out.

    Call :meth:`set_series` with the periods' first days and
    ``{label: values}``; ``format_value`` turns a value into text for the
    read-out (money, percentages ...).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value_axis = ValueAxis(orientation="left")
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom"),
                                             "left": self.value_axis})
        self.plot.setAccessibleName("Trend chart")
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.plot.setMenuEnabled(False)
        self.plot.getPlotItem().setClipToView(True)
        self.legend = self.plot.addLegend(offset=(10, 10), brush=(128, 128, 128, 40))
        self.cursor = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen((128, 128, 128), width=1))
        self.plot.addItem(self.cursor, ignoreBounds=True)
        self.readout = QLabel(" ")
        self.readout.setAccessibleName("Value under the mouse")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self._curves: list[pg.PlotDataItem] = []
        self._x = np.zeros(0)
        self._days: list[date] = []
        self._series: dict[str, np.ndarray] = {}
        self.format_value: Callable[[float], str] = lambda v: f"{v:,.2f}"
        self._proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30,
                                     slot=self._on_scene_mouse_moved)
        self.apply_palette()

    def changeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        """Follow a switch between light and dark."""
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)

    def apply_palette(self) -> None:
        """Take background, axis and text colours from the widget's palette."""
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.plot.setBackground(background)
        for axis in ("left", "bottom"):
            item = self.plot.getAxis(axis)
            item.setPen(pg.mkPen(text))
            item.setTextPen(pg.mkPen(text))
        self.legend.setLabelTextColor(text)

    def set_series(self, days: list[date], series: dict[str, np.ndarray],
                   unit: str = "count") -> None:
        """Draw ``series`` (label -> values, one per day in ``days``) in ``unit``."""
        self.value_axis.unit = unit
        self.value_axis.picture = None  # redraw the labels in the new unit
        self._days = list(days)
        self._x = np.array([_stamp(d) for d in days], dtype=float)
        self._series = dict(series)
        while len(self._curves) > len(series):
            curve = self._curves.pop()
            self.plot.removeItem(curve)
            self.legend.removeItem(curve)
        for i, (label, values) in enumerate(series.items()):
            pen = pg.mkPen(PALETTE[i % len(PALETTE)], width=2)
            if i < len(self._curves):
                curve = self._curves[i]
                curve.setData(self._x, values, connect="finite")
                curve.setPen(pen)
                self.legend.removeItem(curve)
                self.legend.addItem(curve, label)
            else:
                curve = self.plot.plot(self._x, values, pen=pen, name=label, connect="finite",
                                       symbol="o" if len(values) < 40 else None, symbolSize=5,
                                       symbolBrush=PALETTE[i % len(PALETTE)])
                self._curves.append(curve)
        self.legend.setVisible(len(series) > 1)
        self.plot.enableAutoRange()
        self.readout.setText(" ")

    def _on_scene_mouse_moved(self, event: tuple) -> None:
        if not len(self._x):
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(event[0])
        index = int(np.clip(np.searchsorted(self._x, point.x()), 0, len(self._x) - 1))
        if index and abs(self._x[index - 1] - point.x()) < abs(self._x[index] - point.x()):
            index -= 1
        self.show_readout(index)

    def show_readout(self, index: int) -> None:
        """Put the cursor on period ``index`` and name every series' value there."""
        self.cursor.setValue(self._x[index])
        parts = [f"<b>{self._days[index]:%d %b %Y}</b>"]
        for i, (label, values) in enumerate(self._series.items()):
            value = values[index]
            shown = "no value" if value != value else self.format_value(float(value))
            parts.append(f"<span style='color:{PALETTE[i % len(PALETTE)]}'>\u25cf</span> "
                         f"{label}: {shown}")
        self.readout.setText("&nbsp;&nbsp; ".join(parts))
