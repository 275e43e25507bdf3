"""The Peaks panel: a weekday x hour heat map of calls, conversion or staff needed.

The figures come from :func:`salesplanner.analysis.peaks.peaks` in a worker; the
panel shows the chosen grid as a table whose cells are shaded from light to
dark by value (a heat map that can still be read and copied), names the
peak and the trough, and lists the hours where outbound calling fits.
Weekdays the data never covers are blank. The staffing uses each hour's own
handle time, or the one the user gives (the data may have none).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QSpinBox, QTableView,
    QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.analysis.peaks import WEEKDAYS, Peaks, peaks
from salesplanner.ui.columns import CENTRE, RAW_ROLE, Column, Columns, number
from salesplanner.ui.panels.base import Panel, PanelContext
from salesplanner.ui.row_models import RowTableModel
from salesplanner.ui.theme import heat_colours, readable_text
from salesplanner.ui.typography import HEADING, emphasise

_Index = QModelIndex | QPersistentModelIndex
#: What the grid shows: key -> (label, direction, field of Peaks).
VIEWS = {
    "inbound": ("Inbound calls per hour", "inbound", "volume"),
    "outbound": ("Outbound calls per hour", "outbound", "volume"),
    "conversion": ("Conversion (sales per call)", None, "conversion"),
    "agents": ("Inbound agents needed", "inbound", "agents"),
}
#: Light to dark blue: readable text on every shade (dark text on light, light on dark).


class HeatMapModel(RowTableModel):
    """Weekdays down, open hours across; each cell shaded by its value.

    Records are weekdays (0 Monday); a column's key is its hour, ``"09"``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.values = np.zeros((7, 0))
        self.hours: list[int] = []
        self.kind = "volume"
        self.marks: dict[tuple[int, int], str] = {}

    def set_grid(self, values: np.ndarray, hours: list[int], kind: str,
                 marks: dict[tuple[int, int], str]) -> None:
        """Show ``values`` (7 x 24) at ``hours``; ``marks`` add a note to cells."""
        self.values, self.hours, self.kind, self.marks = values, hours, kind, marks
        self.set_columns(Columns(*(self._hour(h) for h in hours)), range(7) if hours else ())

    def _hour(self, hour: int) -> Column:
        return Column(f"{hour:02d}", f"{hour:02d}:00", lambda day: float(self.values[day, hour]),
                      self._text, number, CENTRE, lambda day: self.marks.get((day, hour)))

    def _empty(self, value: float) -> bool:
        return value != value or (self.kind != "conversion" and value == 0)

    def _text(self, value: float) -> str:
        if self._empty(value):
            return ""
        if self.kind == "conversion":
            return f"{value:.0%}"
        return f"{value:.0f}" if self.kind == "agents" else f"{value:.1f}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' roles; each cell shaded light to dark by its value."""
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if not index.isValid():
                return None
            value: Any = self.data(index, RAW_ROLE)  # a figure or NaN
            if self._empty(value):
                return None
            share = self._share(value)
            low, high = (np.array(c) for c in heat_colours())
            back = QColor(*(int(c) for c in low + (high - low) * share))
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(back)
            return QBrush(readable_text(back))
        return super().data(index, role)

    def _share(self, value: float) -> float:
        finite = self.values[np.isfinite(self.values) & (self.values > 0)]
        if not len(finite) or finite.max() == finite.min():
            return 0.5
        return float((value - finite.min()) / (finite.max() - finite.min()))

    def row_title(self, row: int) -> str | None:
        """The weekday."""
        return WEEKDAYS[self.rows[row]]


class PeaksPanel(Panel):
    """When calls peak and trough, how they convert, and the staff each hour needs."""

    title = "Peaks"
    icon = "peaks"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        heading = emphasise(QLabel("Peaks and troughs"), HEADING)
        self.view_choice = QComboBox()
        self.view_choice.setAccessibleName("Show")
        for key, (label, _direction, _field) in VIEWS.items():
            self.view_choice.addItem(label, key)
        self.target = QSpinBox()
        self.target.setAccessibleName("Service level")
        self.target.setRange(50, 99)
        self.target.setValue(80)
        self.target.setSuffix("% answered")
        self.within = QDoubleSpinBox()
        self.within.setAccessibleName("Answer within")
        self.within.setRange(1, 600)
        self.within.setValue(20)
        self.within.setDecimals(0)
        self.within.setPrefix("within ")
        self.within.setSuffix(" s")
        self.aht = QSpinBox()
        self.aht.setAccessibleName("Handle time")
        self.aht.setToolTip("The average handle time to work out the agents needed with; "
                            "'from the data' uses each hour's own")
        self.aht.setRange(0, 7200)
        self.aht.setSingleStep(10)
        self.aht.setSpecialValueText("from the data")
        self.aht.setSuffix(" s a call")
        # The view beside the heading and the staffing's settings under it: one
        # row of all of them would make the panel the widest of the window.
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        show = QLabel("&Show:")
        show.setBuddy(self.view_choice)
        top.addWidget(show)
        top.addWidget(self.view_choice)
        controls = QHBoxLayout()
        level = QLabel("Service &level:")
        level.setBuddy(self.target)
        controls.addWidget(level)
        controls.addWidget(self.target)
        controls.addWidget(self.within)
        handle = QLabel("&Handle time:")
        handle.setBuddy(self.aht)
        controls.addWidget(handle)
        controls.addWidget(self.aht)
        controls.addStretch(1)
        self.model = HeatMapModel(self)
        self.grid = QTableView()
        self.grid.setAccessibleName("Weekday by hour")
        self.grid.setModel(self.model)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        #: Why there is no staffing grid (no handle time), in place of the grid.
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notice.setAccessibleName("Why no agents are shown")
        self.notice.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Peak, trough and outbound windows")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(controls)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.notice, 1)
        layout.addWidget(self.summary)
        self.view_choice.activated.connect(lambda _i: self.refresh())
        self.target.editingFinished.connect(self.refresh)
        self.within.editingFinished.connect(self.refresh)
        self.aht.editingFinished.connect(self.refresh)
        self.result: Peaks | None = None

    def on_plan_opened(self) -> None:
        """Draw the first view when the panel is shown."""
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's figures."""
        self.result = None
        self.model.set_grid(np.zeros((7, 24)), [], "volume", {})
        self.summary.setText("")
        self.notice.hide()
        self.grid.show()

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Redraw when calls change."""
        if result.touches(changes.CALLS, changes.IMPORTS):
            self.refresh_when_shown()

    def refresh(self) -> None:
        """Compute the chosen view in a worker and show it."""
        plan = self.document.plan
        if plan is None:
            return
        key = self.view_choice.currentData()
        _label, direction, _field = VIEWS[key]
        target, within = self.target.value() / 100, self.within.value()
        aht = float(self.aht.value()) or None  # 0 is "from the data"
        self.summary.setText("Working out the figures\u2026")
        self.context.runner.start(
            "peaks", lambda _token: peaks(plan, direction, target, within, aht),
            on_done=lambda result: self.show_peaks(result, key),
            on_error=self._on_peaks_failed)

    def show_peaks(self, result: Peaks, key: str) -> None:
        """Show ``result`` as the ``key`` view."""
        self.result = result
        _label, _direction, field = VIEWS[key]
        marks: dict[tuple[int, int], str] = {}
        for d, h in result.outbound_windows:
            marks[(d, h)] = "Agents to spare from inbound: a window for outbound calling"
        if result.peak:
            marks[result.peak] = "The peak"
        if result.trough:
            marks[result.trough] = "The trough"
        self.model.set_grid(result.shown(getattr(result, field)), result.open_hours(), field,
                            marks)
        lines = []
        missing = field == "agents" and result.handle_time_missing
        self.notice.setText(f"{result.staffing_note} Give the average handle time a call "
                            "takes under Handle time above (e.g. 300 s for five minutes)."
                            if missing else "")
        self.notice.setVisible(missing)
        self.grid.setVisible(not missing)
        if result.peak:
            d, h = result.peak
            agents = result.agents[d, h]
            lines.append(f"Peak: {WEEKDAYS[d]} {h:02d}:00, {result.volume[d, h]:.1f} calls an "
                         "hour" + ("." if agents != agents else
                                   f", {int(agents)} agents needed."))
            d, h = result.trough
            lines.append(f"Trough: {WEEKDAYS[d]} {h:02d}:00, {result.volume[d, h]:.1f} calls an "
                         "hour.")
        if result.outbound_windows:
            lines.append("Windows for outbound calling (most agents to spare from inbound): "
                         + ", ".join(f"{WEEKDAYS[d]} {h:02d}:00"
                                     for d, h in result.outbound_windows) + ".")
        if result.staffing_note and not result.handle_time_missing:
            lines.append(result.staffing_note)
        aht = "" if result.aht_given is None else f" with calls of {result.aht_given:g} s"
        lines.append(f"Agents are those needed on the phones to answer "
                     f"{result.target:.0%} within {result.within:g} s, by Erlang C{aht}, "
                     f"before shrinkage. From {result.source}.")
        self.summary.setText("\n".join(lines))

    def _on_peaks_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.notice.hide()
            self.grid.show()
            self.summary.setText(str(error))
            self.model.set_grid(np.zeros((7, 24)), [], "volume", {})
        else:
            raise error
