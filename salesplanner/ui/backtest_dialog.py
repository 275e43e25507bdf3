"""The Back-test window: were the targets' chances right about earlier quarters?

It shows a :class:`~salesplanner.targets.backtest.Calibration` in a
manager's words: what was done, a one-line verdict, the Brier score against
the naive rule, a table per quarter, the predicted against the actual share
per quarter and a reliability chart. Every figure comes from the
calibration; this module only words and draws it.

The window is not modal: the manager can keep it beside the Targets panel,
and running the back-test again shows the new result in the same window.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
    QTableView, QVBoxLayout, QWidget,
)

from salesplanner.targets.backtest import (
    Calibration, QuarterCheck, brier_line, points, reliability, share_text, verdict,
)
from salesplanner.ui.calibration_charts import ReliabilityChart, SharesChart
from salesplanner.ui.columns import RIGHT, Column, Columns, natural, number
from salesplanner.ui.row_models import RowTableModel
from salesplanner.ui.typography import EMPHASIS, emphasise

EXPLAINED = ("Targets were set as if at the start of each earlier quarter, with the team "
             "target what the team really did, and each agent's chance compared with "
             "whether they made it. This tests how the team target is shared and how "
             "likely each agent is judged to make theirs; the team's own chance comes from "
             "the outlook's range, tested with the forecasts.")
NOTHING_TO_TEST = "No earlier quarter is covered in full with 8 weeks of history before it."


def _signed_points(value: float | None) -> str:
    if value is None:
        return "\u2014"
    points = round(value)
    return "0" if points == 0 else f"{points:+d}"


class QuarterChecksModel(RowTableModel):
    """One row per back-tested quarter (a :class:`QuarterCheck`)."""

    columns = Columns(
        Column("quarter", "Quarter", lambda c: c.quarter, sort=natural),
        Column("agents", "Agents", lambda c: c.agents, str, number, RIGHT,
               tooltip="Agents with a target and a result in the quarter"),
        Column("predicted", "Predicted to make target", lambda c: c.predicted_share, share_text,
               number, RIGHT, tooltip="The average of the agents' chances of making target"),
        Column("actual", "Actually made it", lambda c: c.actual_share, share_text, number, RIGHT,
               tooltip="The share of agents whose result reached their target"),
        Column("gap", "Gap (points)", points,
               _signed_points, number, RIGHT,
               tooltip="Actually made it minus predicted, in percentage points: "
                       "above zero, more agents made it than predicted"),
        Column("brier", "Brier", lambda c: c.brier,
               lambda v: "\u2014" if v != v else f"{v:.3f}", number, RIGHT,
               tooltip="The average squared gap between each agent's chance and what "
                       "happened (1 made it, 0 not); lower is better"),
    )


def summary_line(calibration: Calibration) -> str:
    """A short line for the Targets panel, pointing to the window."""
    c = calibration
    if not c.checks:
        return "Back-test: " + NOTHING_TO_TEST[0].lower() + NOTHING_TO_TEST[1:]
    quarters = f"{len(c.checks)} quarter{'s' if len(c.checks) != 1 else ''}"
    gap = "no predicted shares" if c.worst_gap != c.worst_gap else \
        f"worst gap {round(c.worst_gap * 100)} points"
    brier = "" if c.brier != c.brier else f"; Brier {c.brier:.3f} vs {c.naive_brier:.3f} naive"
    return f"Back-test: {gap} over {quarters}{brier} \u2014 details in the Back-test window."


class BacktestDialog(QDialog):
    """The back-test's result: the verdict, a table per quarter and two charts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Back-test")
        self.setModal(False)
        self.explained = QLabel(EXPLAINED)
        self.explained.setWordWrap(True)
        self.verdict = emphasise(QLabel(), EMPHASIS)
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Verdict")
        self.brier = QLabel()
        self.brier.setWordWrap(True)
        self.brier.setAccessibleName("Brier score")
        self.model = QuarterChecksModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Quarters tested")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.shares = SharesChart()
        self.reliability = ReliabilityChart()
        self.charts = QWidget()
        charts = QHBoxLayout(self.charts)
        charts.setContentsMargins(0, 0, 0, 0)
        charts.addWidget(self.shares)
        charts.addWidget(self.reliability)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explained)
        layout.addWidget(self.verdict)
        layout.addWidget(self.brier)
        layout.addWidget(self.table)
        layout.addWidget(self.charts, 1)
        layout.addWidget(buttons)
        self.calibration: Calibration | None = None

    def show_checks(self, checks: list[QuarterCheck], measure: str = "") -> Calibration:
        """Score ``checks`` and show them; return the calibration."""
        calibration = reliability(checks)
        self.show_calibration(calibration, measure)
        return calibration

    def show_calibration(self, calibration: Calibration, measure: str = "") -> None:
        """Show ``calibration`` (the measure's name in the title)."""
        self.calibration = calibration
        self.setWindowTitle(f"Back-test: {measure}" if measure else "Back-test")
        checks = calibration.checks
        self.model.set_rows(checks)
        empty = not checks
        self.verdict.setText(NOTHING_TO_TEST if empty else verdict(calibration))
        self.explained.setVisible(not empty)
        self.brier.setText(brier_line(calibration))
        self.brier.setVisible(bool(self.brier.text()))
        self.table.setVisible(not empty)
        self.charts.setVisible(not empty)
        # Tall enough for every quarter without a scroll bar, up to ten.
        rows = min(max(len(checks), 1), 10)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + rows * self.table.verticalHeader().defaultSectionSize()
                                  + 2 * self.table.frameWidth() + 2)
        if empty:
            self.resize(680, self.sizeHint().height())
            return
        self.resize(1040, 720)
        nan = float("nan")
        self.shares.set_shares(
            [c.quarter for c in checks],
            np.array([nan if c.predicted_share is None else c.predicted_share
                      for c in checks]),
            np.array([c.actual_share for c in checks]))
        bins = calibration.bins
        self.reliability.set_groups(
            np.array([b[3] for b in bins]), np.array([b[4] for b in bins]),
            np.array([b[2] for b in bins]),
            [f"Chances {lo:.0%}\u2013{hi:.0%}: {k} agent{'s' if k != 1 else ''}, "
             f"{avg:.0%} on average; {made:.0%} reached target"
             for lo, hi, k, avg, made in bins])
