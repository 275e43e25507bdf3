"""The Targets panel's inputs: measure, team, team target or growth, the band
of agents expected to make it, guardrails, shrinkage, history, ramp and the
what-if's new starters, read as :class:`TargetSettings`.

Part of :mod:`salesplanner.ui.panels.targets`.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QGridLayout,
    QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget,
)

from salesplanner.inputs import from_percent, parse_ramp, parse_team_target
from salesplanner.targets.capacity import NewStarter
from salesplanner.targets.settings import TargetSettings


class TargetInputsBox(QGroupBox):
    """The "Inputs" group of the Targets panel, two inputs to a row.

    Signals: ``inputs_changed()`` when any input is changed by the user, or
    the new starters are set.
    """

    inputs_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Inputs", parent)
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measure")
        self.team = QComboBox()
        self.team.setAccessibleName("Team")
        self.team_target = QLineEdit()
        self.team_target.setAccessibleName("Team target")
        self.team_target.setPlaceholderText("from the starting point and the growth")
        self.growth = _spin(-50, 100, 0, "%", "Growth on the starting point")
        self.growth.setToolTip("Added to the starting point: this quarter's outlook, or from "
                               "history the forecast (with two years of it), last year's "
                               "quarter (with one) or the sum of the agents' baselines")
        self.team_start = QComboBox()
        self.team_start.setAccessibleName("Starting point")
        self.team_start.addItem("History", "history")
        self.team_start.addItem("This quarter's outlook", "outlook")
        self.team_start.setToolTip(
            "What the team target starts from when none is typed. History: last year's "
            "quarter (with a year of it), a forecast from before the quarter (with two) or "
            "the sum of the agents' baselines. The outlook is the actual so far and the "
            "forecast for the rest: where the "
            "quarter is heading now, the figure the Forecast, Performance and Overview panels "
            "give: for a sum, the whole centre and the quarter the data is in.")
        self.band_low = _spin(0, 100, 50, "%", "Band low")
        self.band_high = _spin(0, 100, 80, "%", "Band high")
        self.guard_low = _spin(-90, 0, -10, "%", "Minimum change")
        self.guard_high = _spin(0, 300, 30, "%", "Maximum change")
        self.shrinkage = _spin(0, 90, 30, "%", "Shrinkage")
        self.history = QSpinBox()
        self.history.setRange(4, 156)
        self.history.setValue(26)
        self.history.setSuffix(" weeks")
        self.history.setAccessibleName("History window")
        self.ramp = QLineEdit("50, 70, 85")
        self.ramp.setAccessibleName("Ramp for new starters")
        self.ramp.setToolTip("A new starter's share of full productivity (%) in their 1st, "
                             "2nd, 3rd ... month; full after that")
        self.starters: list[NewStarter] = []
        self.starters_label = QLabel("none")
        self.add_starter = QPushButton("Add &new starter\u2026")
        self.clear_starters = QPushButton("Clear")
        self._lay_out()
        for spin in (self.growth, self.band_low, self.band_high, self.guard_low,
                     self.guard_high, self.shrinkage, self.history):
            spin.valueChanged.connect(self._changed)
        self.team_target.textChanged.connect(self._changed)
        self.ramp.textChanged.connect(self._changed)
        self.add_starter.clicked.connect(self.new_starter)
        self.clear_starters.clicked.connect(lambda: self.set_starters([]))
        for combo in (self.measure, self.team, self.team_start):
            combo.activated.connect(self._changed)

    def _lay_out(self) -> None:
        grid = QGridLayout()
        cells = (("&Measure:", self.measure), ("T&eam:", self.team),
                 ("Team &target:", self.team_target), ("&Growth:", self.growth),
                 ("Starting &point:", self.team_start),
                 ("&Band:", _pair(self.band_low, self.band_high)),
                 ("G&uardrails:", _pair(self.guard_low, self.guard_high)),
                 ("&Shrinkage:", self.shrinkage), ("&History:", self.history),
                 ("&Ramp (%):", self.ramp),
                 ("What-if:", _row(self.starters_label, self.add_starter,
                                   self.clear_starters)))
        buddies = {"&Band:": self.band_low, "G&uardrails:": self.guard_low,
                   "What-if:": self.add_starter}
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for i, (text, widget) in enumerate(cells):
            label = QLabel(text)
            label.setBuddy(buddies.get(text, widget))
            # Two to a row: the window must fit an 800-pixel-wide screen.
            grid.addWidget(label, i // 2, (i % 2) * 2)
            grid.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        for combo in (self.measure, self.team, self.team_start):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.setLayout(grid)

    def _changed(self, *_args: object) -> None:
        self.inputs_changed.emit()

    def settings(self) -> TargetSettings:
        """The inputs as settings (read by :mod:`salesplanner.inputs`, as the
        command line reads them); refuses a team target that is not a number."""
        return TargetSettings(
            measure=self.measure.currentData() or "revenue",
            team_target=parse_team_target(self.team_target.text()),
            growth=from_percent(self.growth.value()),
            team_start=self.team_start.currentData() or "history",
            band=(from_percent(self.band_low.value()), from_percent(self.band_high.value())),
            guardrails=(from_percent(self.guard_low.value()),
                        from_percent(self.guard_high.value())),
            shrinkage=from_percent(self.shrinkage.value()), history_weeks=self.history.value(),
            team=self.team.currentData(), ramp=self.ramp_shares(),
            new_starters=tuple(self.starters))

    def set_settings(self, settings: TargetSettings) -> None:
        """Show ``settings`` (a stored scenario's, or the defaults) in the inputs;
        ``inputs_changed`` is not emitted: nobody typed anything."""
        widgets = (self.measure, self.team, self.team_target, self.growth, self.team_start,
                   self.band_low,
                   self.band_high, self.guard_low, self.guard_high, self.shrinkage,
                   self.history, self.ramp)
        was = [w.blockSignals(True) for w in widgets]
        try:
            measure = self.measure.findData(settings.measure)
            if measure >= 0:
                self.measure.setCurrentIndex(measure)
            team = next((i for i in range(self.team.count())
                         if self.team.itemData(i) == settings.team), 0)
            self.team.setCurrentIndex(team)
            self.team_target.setText("" if settings.team_target is None
                                     else _plain(settings.team_target))
            self.growth.setValue(settings.growth * 100)
            self.team_start.setCurrentIndex(max(self.team_start.findData(settings.team_start),
                                                0))
            self.band_low.setValue(settings.band[0] * 100)
            self.band_high.setValue(settings.band[1] * 100)
            self.guard_low.setValue(settings.guardrails[0] * 100)
            self.guard_high.setValue(settings.guardrails[1] * 100)
            self.shrinkage.setValue(settings.shrinkage * 100)
            self.history.setValue(settings.history_weeks)
            self.ramp.setText(", ".join(_plain(r * 100) for r in settings.ramp))
            self.starters = list(settings.new_starters)
            self._show_starters()
        finally:
            for widget, blocked in zip(widgets, was):
                widget.blockSignals(blocked)

    def ramp_shares(self) -> tuple[float, ...]:
        """The ramp as typed (refused with a UserError if it does not read)."""
        return parse_ramp(self.ramp.text(), percent=True)

    def set_starters(self, starters: list[NewStarter]) -> None:
        """The what-if's new starters."""
        self.starters = list(starters)
        self._show_starters()
        self.inputs_changed.emit()

    def _show_starters(self) -> None:
        self.starters_label.setText(", ".join(f"{s.code} from {s.start:%d %b}"
                                              for s in self.starters) or "none")

    def new_starter(self) -> None:
        """Ask for a new starter to add to the what-if."""
        dialog = NewStarterDialog(self, len(self.starters) + 1)
        if dialog.exec():
            self.set_starters([*self.starters, dialog.starter()])


def _plain(value: float) -> str:
    """A number as a manager would type it: ``3,744,863``, ``0.33``, ``50``."""
    if value == round(value):
        return f"{value:,.0f}"
    return f"{value:.6g}"


def _spin(low: float, high: float, value: float, suffix: str, name: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setDecimals(0)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    return spin


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return box


def _pair(first: QWidget, second: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(first)
    row.addWidget(QLabel("to"))
    row.addWidget(second)
    return box


class NewStarterDialog(QDialog):
    """Code, first day and weekly hours of a new starter for a what-if."""

    def __init__(self, parent: QWidget, number: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("New starter")
        self.code = QLineEdit(f"NEW{number}")
        self.code.setAccessibleName("Code")
        self.start = QDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd MMM yyyy")
        self.start.setDate(QDate.currentDate())
        self.start.setAccessibleName("First day")
        self.weekly = QDoubleSpinBox()
        self.weekly.setRange(1, 80)
        self.weekly.setValue(37.5)
        self.weekly.setSuffix(" h a week")
        self.weekly.setAccessibleName("Weekly hours")
        form = QFormLayout(self)
        form.addRow("&Code:", self.code)
        form.addRow("&First day:", self.start)
        form.addRow("&Hours:", self.weekly)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def starter(self) -> NewStarter:
        """The new starter as typed."""
        return NewStarter(self.code.text().strip() or "NEW", self.start.date().toPython(),  # type: ignore[arg-type]  # QDate.toPython() is a date
                          self.weekly.value())
