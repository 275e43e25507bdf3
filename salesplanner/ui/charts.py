"""Charts drawn with pyqtgraph, coloured from the window's palette.

:class:`TrendChart` draws one line per series over dates. Its owner supplies
the data ready to draw (period start dates and one NumPy array of values per
series); the chart does no aggregation. Lines are updated in place when new
data arrives. A vertical cursor follows the mouse and a read-out names the
period and every series' value there.

Extras a caller may ask for: series stacked as areas (a mix that adds up
to the whole), dashed series (a forecast beside the actuals), a shaded band
(a prediction interval) and dated markers (competitors' moves), whose
descriptions the read-out adds for the period under the mouse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

#: Distinguishable line colours (Okabe-Ito, readable for colour-blind users).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000", "#999999")
#: The value axis's title by unit ("money" takes the plan's currency symbol).
UNIT_TITLES = {"percent": "%", "seconds": "seconds", "hours": "hours", "count": "number"}
#: What an empty chart says instead of drawing bare axes.
EMPTY_TEXT = ("Nothing to draw yet: the plan has no sales or calls for this. "
              "Import them with File > Import.")
#: Marker colours by a move's expected impact.
IMPACT_COLOURS = {"high": "#D55E00", "medium": "#E69F00", "low": "#56B4E9", "other": "#999999"}


@dataclass(frozen=True)
class Marker:
    """A dated event drawn as a vertical line: ``label`` on the chart,
    ``text`` in the read-out, ``level`` choosing the colour."""

    day: date
    label: str
    text: str
    level: str = "other"


class ValueAxis(pg.AxisItem):
    """A value axis whose tick labels use the measure's own format (28%, £1.2k)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.unit = "count"

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
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

    #: The hover line (its name hides QWidget.cursor(), which nothing here calls).
    cursor: pg.InfiniteLine

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value_axis = ValueAxis(orientation="left")
        # The ticks carry their own scale (1.2M, 28%): no "(x0.001)" after the title.
        self.value_axis.enableAutoSIPrefix(False)
        dates = pg.DateAxisItem(orientation="bottom")
        # pyqtgraph drops a level of labels once they would fill 60% of the axis:
        # a year of months ("Jan" ... "Dec") under the years then showed years
        # only. Months take up to 85% (they do not overlap: each is drawn at its
        # own tick), days and hours the defaults.
        dates.setStyle(textFillLimits=[(0, 0.9), (2, 0.85), (4, 0.4), (6, 0.2)])
        self.plot = pg.PlotWidget(axisItems={"bottom": dates, "left": self.value_axis})
        self.plot.setAccessibleName("Trend chart")
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.plot.setMenuEnabled(False)
        self.plot.getPlotItem().setClipToView(True)
        self.cursor = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen((128, 128, 128), width=1))
        self.plot.addItem(self.cursor, ignoreBounds=True)
        #: The key: which colour is which series. Above the plot, not on it,
        #: so it never hides a line however many there are.
        self.key = QLabel()
        self.key.setAccessibleName("Chart key")
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        # Fixed heights (two lines of key, four of read-out): what they say
        # changes with every redraw and mouse move, the plot's size must not.
        self.key.setFixedHeight(self.key.fontMetrics().lineSpacing() * 2 + 2)
        self.key.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.readout = QLabel(" ")
        self.readout.setAccessibleName("Value under the mouse")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setWordWrap(True)
        # Room for a wrapped line of values and two moves, so the plot does
        # not jump as the mouse moves from period to period.
        self.readout.setFixedHeight(self.readout.fontMetrics().lineSpacing() * 4)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key)
        layout.addWidget(self.plot, 1)
        #: Said in the plot's place when there is nothing to draw (an empty
        #: plan drew bare axes ticked 0.25, 0.50 ...).
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setAccessibleName("Empty chart")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setVisible(False)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.readout)
        #: The currency symbol of the value axis's title for money.
        self.currency_symbol = "\u00a3"
        self._curves: list[pg.PlotDataItem] = []
        self._extras: list[pg.GraphicsObject] = []
        self._markers: list[Marker] = []
        self._marker_lines: list[pg.InfiniteLine] = []
        self._band: tuple | None = None
        self._x = np.zeros(0)
        self._days: list[date] = []
        self._series: dict[str, np.ndarray] = {}
        #: The length of the last period in days, to find the markers inside it.
        self.period_days = 1
        self.format_value: Callable[[float], str] = lambda v: f"{v:,.2f}"
        self._proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30,
                                     slot=self._on_scene_mouse_moved)
        self.apply_palette()

    def changeEvent(self, event: QEvent) -> None:
        """Follow a switch between light and dark."""
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
        for extra in self._extras:  # part periods' hollow points are filled as the paper
            if isinstance(extra, pg.PlotDataItem) and extra.opts.get("symbol") == "o":
                extra.setSymbolBrush(background)

    def set_series(self, days: list[date], series: dict[str, np.ndarray],
                   unit: str = "count", *, stacked: bool = False,
                   dashed: tuple[str, ...] = (),
                   band: tuple[str, list[date], np.ndarray, np.ndarray] | None = None,
                   part: Sequence[bool] = ()) -> None:
        """Draw ``series`` (label -> values, one per day in ``days``) in ``unit``.

        ``stacked`` draws them as areas piled on one another (shares that
        add up to the whole); labels in ``dashed`` are drawn dashed; ``band``
        (label, days, low, high) shades the range between two lines; ``part``
        (one flag per day) marks periods the data covers only partly: drawn
        as a hollow point joined by a dotted line, not as a fall. With no
        finite value at all the chart says :data:`EMPTY_TEXT` instead.
        """
        drawn = any(np.isfinite(np.asarray(v, dtype=float)).any() for v in series.values())
        self.plot.setVisible(drawn)
        self.empty.setVisible(not drawn)
        self.value_axis.unit = unit
        money = {"money": self.currency_symbol, "money/hour": f"{self.currency_symbol}/hour"}
        self.plot.setLabel("left", money.get(unit) or UNIT_TITLES.get(unit, unit))
        self.value_axis.picture = None  # redraw the labels in the new unit
        self._days = list(days)
        self._x = np.array([_stamp(d) for d in days], dtype=float)
        self._series = dict(series)
        for item in self._extras:
            self.plot.removeItem(item)
        self._extras = []
        self._band = None
        while len(self._curves) > len(series):
            curve = self._curves.pop()
            self.plot.removeItem(curve)
        heights = np.cumsum([np.nan_to_num(v) for v in series.values()], axis=0) if stacked \
            else list(series.values())
        def _key_symbol(label: str) -> str:
            return "\u25a0" if stacked else "\u2505" if label in dashed else "\u2501"

        cut = np.zeros(len(days), dtype=bool) if stacked or len(part) != len(days) \
            else np.asarray(part, dtype=bool)
        for i, label in enumerate(series):
            colour = PALETTE[i % len(PALETTE)]
            style = Qt.PenStyle.DashLine if label in dashed else Qt.PenStyle.SolidLine
            pen = pg.mkPen(colour, width=1 if stacked else 2, style=style)
            values = heights[i]
            if i >= len(self._curves):
                curve = self.plot.plot(name=label)
                self._curves.append(curve)
            curve = self._curves[i]
            curve.opts["name"] = label
            small = len(values) < 40 and not stacked
            curve.setData(self._x, np.where(cut, np.nan, values), connect="finite",
                          symbol="o" if small else None, symbolSize=5, symbolBrush=colour,
                          symbolPen=colour)
            self._draw_parts(cut, np.asarray(values, dtype=float), colour)
            curve.setPen(pen)
            curve.setZValue(-i if stacked else i)  # lower layers over the taller ones
            if stacked:
                fill = pg.mkColor(colour)
                fill.setAlpha(200)
                curve.setFillLevel(0)
                curve.setBrush(fill)
            else:
                curve.setFillLevel(None)
                curve.setBrush(None)
        keys = [f"<span style='color:{PALETTE[i % len(PALETTE)]}'>{_key_symbol(label)}</span>"
                f"&nbsp;{escape(label)}" for i, label in enumerate(series)]
        if band is not None:
            self._draw_band(*band)
            keys.append(f"<span style='color:{PALETTE[1]}'>\u2592</span>&nbsp;"
                        f"{escape(band[0])}")
        self.key.setText("&nbsp;&nbsp;&nbsp; ".join(keys))
        if not (len(series) > 1 or band is not None):
            self.key.setText(" ")  # kept in place (hiding it would resize the plot)
        self.plot.enableAutoRange()
        self.readout.setText(" ")

    def _draw_parts(self, cut: np.ndarray, values: np.ndarray, colour: str) -> None:
        """Each part period: a hollow point, dotted to its whole neighbour."""
        for found in np.flatnonzero(cut):
            at = int(found)
            near = [k for k in (at - 1, at + 1) if 0 <= k < len(values) and not cut[k]]
            pick = sorted([at, *near])
            line = pg.PlotDataItem(self._x[pick], values[pick], connect="finite",
                                   pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DotLine))
            point = pg.PlotDataItem(self._x[[at]], values[[at]], pen=None, symbol="o",
                                    symbolSize=8, symbolPen=pg.mkPen(colour, width=2),
                                    symbolBrush=self.palette().color(QPalette.ColorRole.Base))
            point.setToolTip("a part period: the data covers only some of its days")
            for item in (line, point):
                self.plot.addItem(item)
                self._extras.append(item)

    def _draw_band(self, label: str, days: list[date], low: np.ndarray,
                   high: np.ndarray) -> None:
        x = np.array([_stamp(d) for d in days], dtype=float)
        edge = pg.mkPen((128, 128, 128, 0))
        lower = pg.PlotDataItem(x, low, pen=edge)
        upper = pg.PlotDataItem(x, high, pen=edge)
        shade = pg.mkColor(PALETTE[1])
        shade.setAlpha(60)
        fill = pg.FillBetweenItem(lower, upper, brush=shade)
        fill.setZValue(-10)
        for item in (lower, upper, fill):
            self.plot.addItem(item)
            self._extras.append(item)
        self._band = (x, np.asarray(low), np.asarray(high), label)

    def set_markers(self, markers: list[Marker]) -> None:
        """Draw a dashed vertical line, labelled, for each of ``markers``."""
        if list(markers) == self._markers and len(self._marker_lines) == len(markers):
            return  # the same moves: keep the lines (making them is the slow part)
        for line in self._marker_lines:
            self.plot.removeItem(line)
        self._marker_lines = []
        self._markers = list(markers)
        # Names on the chart only where they can be read: all of a few, or
        # the high-impact ones of many; the read-out names every one.
        crowded = len(markers) > 12
        # A name takes about a line's height across the axis (it is written
        # upwards): closer names than that would be drawn over each other.
        stamps = [_stamp(m.day) for m in markers]
        span = (max([*stamps, *self._x]) - min([*stamps, *self._x])) if stamps else 0.0
        gap = span * (self.fontMetrics().lineSpacing() + 4) / max(self.plot.width() - 60, 200)
        last_named = -np.inf
        for marker, stamp in sorted(zip(markers, stamps), key=lambda pair: pair[1]):
            colour = IMPACT_COLOURS.get(marker.level, IMPACT_COLOURS["other"])
            named = (not crowded or marker.level == "high") and stamp - last_named >= gap
            if named:
                last_named = stamp
            line = pg.InfiniteLine(
                pos=stamp, angle=90, movable=False,
                pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine),
                label=marker.label if named else None,
                labelOpts={"position": 0.96, "color": colour, "rotateAxis": (1, 0),
                           "anchors": [(1, 1), (1, 1)]})
            line.setZValue(-5)
            self.plot.addItem(line, ignoreBounds=True)
            self._marker_lines.append(line)

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
            if value != value:
                continue  # a series with nothing here (a forecast over history)
            parts.append(f"<span style='color:{PALETTE[i % len(PALETTE)]}'>\u25cf</span> "
                         f"{label}: {self.format_value(float(value))}")
        band = self._band
        if band is not None and self._x[index] in band[0]:
            at = int(np.searchsorted(band[0], self._x[index]))
            parts.append(f"{band[3]}: {self.format_value(float(band[1][at]))} to "
                         f"{self.format_value(float(band[2][at]))}")
        first = self._days[index]
        after = self._days[index + 1] if index + 1 < len(self._days) else \
            date.fromordinal(first.toordinal() + self.period_days)
        moves = [m for m in self._markers if first <= m.day < after]
        text = "&nbsp;&nbsp; ".join(parts)
        if moves:
            text += "<br>" + "<br>".join(
                f"<span style='color:{IMPACT_COLOURS.get(m.level, '#999999')}'>\u25b2</span> "
                f"{escape(m.text)}" for m in moves)
        self.readout.setText(text)
