"""The Performance panel: who is on track, who is not, by how much, and why.

A team leader picks a measure and a period (quarter, month or week to date,
or dates of their own) and sees the centre against target at the top, then a
league table of teams or agents that sorts on any column, with red, amber or
green and a sparkline of the last eight weeks. Double-click a team to see
its agents; select an agent to see, beside the table, the likely reasons
they are behind (with the figures), the coaching notes kept for them (add
one there) and their results day by day. Early warnings are listed
underneath. Figures come from :mod:`salesplanner.analysis.performance` in a worker.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QPushButton, QSplitter,
    QStyledItemDelegate, QStyleOptionViewItem, QTableView, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.analysis.coaching import Opportunity, add_note, notes_for, opportunities
from salesplanner.analysis.glance import unattributed_words
from salesplanner.errors import UserError
from salesplanner.jobs import JobToken
from salesplanner.metrics import format_total, format_value
from salesplanner.analysis.early_warnings import Warning_, early_warnings
from salesplanner.analysis.performance import (
    Performance, Row, daily_values, league, performance,
)
from salesplanner.targets.scenarios import measure_in_force, rephase
from salesplanner.ui.formatting import RAG_COLOURS, agent_label
from salesplanner.ui.panels.base import Panel, PanelContext, fill_measures
from salesplanner.ui.columns import (
    RAW_ROLE, RIGHT, Column, Columns, natural, number, ranked, sort_by_header, unsorted,
)
from salesplanner.ui.row_models import Index, RowTableModel
from salesplanner.ui.typography import HEADING, emphasise, widest
from salesplanner.ui.undo import TargetChangeCommand

#: The widest a name or team column is drawn (longer ones are elided), so the
#: figures and benchmarks fit a 1280-pixel window.
NAME_WIDTHS = {"name": 190, "team": 140}
PERIODS = (("qtd", "Quarter to date"), ("mtd", "Month to date"), ("wtd", "Week to date"),
           ("custom", "Dates\u2026"))


class LeagueModel(RowTableModel):
    """Teams or agents: actual, target to date, attainment, variance, projection, RAG, trend.

    Records are :class:`~salesplanner.analysis.performance.Row` values in league
    order; the rank column keeps that order whatever the table is sorted by.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.unit, self.currency = "count", "GBP"
        self._rank: dict[int, int] = {}
        money = self._money
        self.columns = Columns(
            Column("rank", "#", lambda r: self._rank.get(id(r)), sort=number, align=RIGHT),
            Column("name", "Name", _name, sort=natural),
            Column("team", "Team", lambda r: r.team),
            Column("actual", "Actual", lambda r: r.actual, money, number, RIGHT),
            Column("target_to_date", "Target to date", lambda r: r.target_to_date, money,
                   number, RIGHT),
            Column("attainment", "Attainment", lambda r: r.attainment,
                   lambda v: "" if v is None else f"{v:.0%}", number, RIGHT),
            Column("variance", "Variance", lambda r: r.variance, money, number, RIGHT),
            Column("projection", "Projection", lambda r: r.projection, money, number, RIGHT),
            Column("rag", "RAG", lambda r: r.rag, lambda v: (v or "").capitalize(),
                   ranked("red", "amber", "green")),
            # The line is drawn by SparklineDelegate from the raw values.
            Column("trend", "8 weeks", lambda r: r.sparkline, lambda _v: "", unsorted,
                   tooltip=lambda r: "Last 8 weeks: "
                   + ", ".join(self._money(v) for v in r.sparkline)),
            # Benchmarks: blank (None) where the data does not reach back that far.
            Column("last_quarter", "Last qtr", lambda r: r.benchmarks.get("last_quarter"),
                   money, number, RIGHT),
            Column("last_year", "Last year", lambda r: r.benchmarks.get("last_year"),
                   money, number, RIGHT),
        )

    def _money(self, value: float | None) -> str:
        return "" if value is None else format_value(value, self.unit, self.currency)

    def set_rows(self, rows: Sequence, footer: Sequence = ()) -> None:
        """Show ``rows`` (in league order: their rank), in the current sort."""
        self._rank = {id(r): i + 1 for i, r in enumerate(rows)}
        super().set_rows(rows, footer)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' roles; attainment and RAG coloured by the row's RAG."""
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            if self.columns[index.column()].key in ("attainment", "rag"):
                rag = self.rows[index.row()].rag
                return _colour(rag) if rag else None
            return None
        return super().data(index, role)


def _name(row: Row) -> str:
    """A team's name; an agent's code and name."""
    return row.name if row.level != "agent" else agent_label(row.key, row.name)


@functools.cache
def _colour(rag: str) -> QColor:
    return QColor(RAG_COLOURS[rag])


class SparklineDelegate(QStyledItemDelegate):
    """Draws a cell's list of numbers as a small line, the last point marked."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """A line through the values, scaled to the cell."""
        super().paint(painter, option, index)
        values = [v for v in (index.data(RAW_ROLE) or []) if v == v]
        if len(values) < 2:
            return
        rect = QRectF(option.rect).adjusted(6, 5, -6, -5)
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = rect.width() / (len(values) - 1)
        path = QPainterPath()
        points = [(rect.left() + i * step, rect.bottom() - (v - low) / span * rect.height())
                  for i, v in enumerate(values)]
        path.moveTo(*points[0])
        for x, y in points[1:]:
            path.lineTo(x, y)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(option.palette.text().color(), 1.3))
        painter.drawPath(path)
        painter.setBrush(QColor("#0072B2"))
        painter.drawEllipse(QRectF(points[-1][0] - 2.5, points[-1][1] - 2.5, 5, 5))
        painter.restore()


class NoteDialog(QDialog):
    """A coaching note: the observation, whose, and the follow-up agreed."""

    def __init__(self, parent: QWidget, agent: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Coaching note for {agent}")
        self.note = QLineEdit()
        self.note.setAccessibleName("Observation")
        self.observer = QLineEdit()
        self.observer.setPlaceholderText("leave empty for your own observation")
        self.follow_up = QLineEdit()
        self.follow_up_day = QDateEdit(QDate.currentDate().addDays(14))
        self.follow_up_day.setCalendarPopup(True)
        form = QFormLayout(self)
        form.addRow("&Observation:", self.note)
        form.addRow("&Peer who observed:", self.observer)
        form.addRow("&Follow-up:", self.follow_up)
        form.addRow("Follow-up &by:", self.follow_up_day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 0)


class PerformancePanel(Panel):
    """The team and every agent against target, warnings and where to coach."""

    title = "Performance"
    icon = "performance"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        controls, second = self._build_controls()
        self._build_league()
        side = self._build_coaching()
        body = self._build_body(side)
        self._lay_out(controls, second, body)
        self._connect_controls()
        self.result: Performance | None = None
        self.reasons_by_agent: dict[str, list] = {}
        self.all_warnings: list[Warning_] = []

    def _build_controls(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        """Measure and period on one row; rows, team and Re-phase on the second."""
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measure")
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        for key, name in PERIODS:
            self.period.addItem(name, key)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setVisible(False)
        self.level = QComboBox()
        self.level.setAccessibleName("Rows")
        self.level.addItem("Agents", "agent")
        self.level.addItem("Teams", "team")
        self.team_filter = QComboBox()
        self.team_filter.setAccessibleName("Team")
        self.team_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_leavers = QCheckBox("Show &leavers")
        self.show_leavers.setToolTip("Agents with no target and no sale or call in the period "
                                     "(left, or not yet started) are hidden unless ticked")
        controls = QHBoxLayout()
        for text, widget in (("M&easure:", self.measure), ("&Period:", self.period)):
            label = QLabel(text)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addWidget(self.date_from)
        controls.addWidget(self.date_to)
        controls.addStretch(1)
        # On the first row, which has room: the second must fit a small window.
        controls.addWidget(self.show_leavers)
        # The coaching pane beside the table is shown on demand: with it, the
        # league's benchmark columns were off-screen at 1280 pixels.
        self.coaching_button = QPushButton("&Coaching pane")
        self.coaching_button.setCheckable(True)
        self.coaching_button.setToolTip("Show, beside the table, where to coach the selected "
                                        "agent, their coaching notes and their days")
        controls.addWidget(self.coaching_button)
        second = QHBoxLayout()  # two rows: the window must fit an 800-pixel screen
        for text, widget in (("&Rows:", self.level), ("&Team:", self.team_filter)):
            label = QLabel(text)
            label.setBuddy(widget)
            second.addWidget(label)
            second.addWidget(widget)
        second.addStretch(1)
        self.rephase_button = QPushButton("Re-phase the remaining &weeks\u2026")
        self.rephase_button.setToolTip("Spread what each agent still needs over the weeks left, "
                                       "by the latest forecast; recorded with your reason")
        second.addWidget(self.rephase_button)
        self.rephase_button.clicked.connect(self.rephase)
        return controls, second

    def _build_league(self) -> None:
        """The headline over the league table (its sparkline column drawn by a delegate)."""
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("Centre against target")
        # Fixed: a headline wrapping differently must not re-lay out the table.
        self.headline.setFixedHeight(self.headline.fontMetrics().lineSpacing() * 3 + 6)
        self.headline.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.model = LeagueModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("League table")
        # The model sorts itself from its raw values (a proxy sorting 400 rows
        # through Python on every refresh stalled the window).
        self.table.setModel(self.model)
        sort_by_header(self.table, "rank")  # the league opens at its head
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(self.model.column_of("trend"),
                                            SparklineDelegate(self.table))
        header = self.table.horizontalHeader()
        # Sized once per new table from its first rows, not on every paint.
        header.setResizeContentsPrecision(40)
        header.setStretchLastSection(False)
        self.table.setWordWrap(False)  # a team's name on one line, elided if it must be
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.doubleClicked.connect(self._drill)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_agent())

    def _build_coaching(self) -> QWidget:
        """The side pane: where to coach the chosen agent, their notes and their days."""
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        self.reasons = QListWidget()
        self.reasons.setAccessibleName("Where to coach")
        self.reasons.setWordWrap(True)
        self.notes = QListWidget()
        self.notes.setAccessibleName("Coaching notes")
        self.notes.setWordWrap(True)
        self.add_note_button = QPushButton("Add coaching &note\u2026")
        self.days = QListWidget()
        self.days.setAccessibleName("Day by day")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail_title)
        side_layout.addWidget(QLabel("<b>Where to coach</b> (from the period's figures)"))
        side_layout.addWidget(self.reasons, 2)
        side_layout.addWidget(QLabel("<b>Coaching notes</b>"))
        side_layout.addWidget(self.notes, 2)
        side_layout.addWidget(self.add_note_button)
        side_layout.addWidget(QLabel("<b>Day by day</b>"))
        side_layout.addWidget(self.days, 2)
        return side

    def _build_body(self, side: QWidget) -> QSplitter:
        """The league beside the side pane, above the early warnings."""
        self.warnings = QListWidget()
        self.warnings.setAccessibleName("Early warnings")
        self.warnings.setWordWrap(True)
        upper = QSplitter()
        upper.addWidget(self.table)
        upper.addWidget(side)
        # The league table gets the room: at 1280 wide its RAG and sparkline
        # columns were behind a scroll bar.
        upper.setStretchFactor(0, 4)
        upper.setStretchFactor(1, 1)
        upper.setSizes([840, 240])
        side.setVisible(False)
        self.coaching_button.toggled.connect(side.setVisible)
        self.side = side
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(QLabel("<b>Early warnings</b>"))
        lower_layout.addWidget(self.warnings)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(lower)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        # Six warnings in view, not four (there are often dozens).
        self.warnings.setMinimumHeight(self.warnings.fontMetrics().lineSpacing() * 6 + 8)
        return body

    def _lay_out(self, controls: QHBoxLayout, second: QHBoxLayout, body: QSplitter) -> None:
        """The heading, the two rows of controls, the headline and the body, top to bottom."""
        heading = emphasise(QLabel("Performance"), HEADING)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(controls)
        layout.addLayout(second)
        layout.addWidget(self.headline)
        layout.addWidget(body, 1)

    def _connect_controls(self) -> None:
        """A new measure or period recomputes; rows and team only re-show."""
        for combo in (self.measure, self.period):
            combo.activated.connect(lambda _i: self.refresh())
        self.level.activated.connect(lambda _i: self._show_rows())
        self.team_filter.activated.connect(lambda _i: self._show_rows())
        self.show_leavers.toggled.connect(lambda _on: self._show_rows())
        for edit in (self.date_from, self.date_to):
            edit.editingFinished.connect(self.refresh)
        self.add_note_button.clicked.connect(self.new_note)

    # -- plan events ------------------------------------------------------------------------

    def on_plan_opened(self) -> None:
        """Fill the measures; compute when shown."""
        plan, info = self.document.plan, self.document.info
        # The measure the quarter's targets are in, else revenue.
        fill_measures(self.measure, plan, (info and measure_in_force(plan, info.quarter))
                      or "revenue")
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's figures."""
        self.result = None
        self.all_warnings = []
        self.model.set_rows([])
        self.warnings.clear()
        self.headline.clear()

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Targets, data or notes changed: compute again."""
        if result.touches(changes.TARGETS, changes.SALES, changes.CALLS, changes.IMPORTS,
                          changes.METRICS, changes.AGENTS):
            self.refresh_when_shown()

    # -- computing ----------------------------------------------------------------------------

    def _period_text(self) -> str:
        key = self.period.currentData()
        custom = key == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        if custom:
            return (f"{self.date_from.date().toPython().isoformat()}:"  # type: ignore[attr-defined]  # QDate.toPython() is a date
                    f"{self.date_to.date().toPython().isoformat()}")  # type: ignore[attr-defined]  # as above
        return key

    def refresh(self) -> None:
        """Work out the table, warnings and opportunities in a worker."""
        plan = self.document.plan
        if plan is None or self.measure.currentData() is None:
            return
        measure, period = self.measure.currentData(), self._period_text()
        self.headline.setText("Working out the figures\u2026")

        def work(_token: JobToken) -> tuple[Performance, list[Warning_], list[Opportunity]]:
            result = performance(plan, measure, period)
            return result, early_warnings(result), opportunities(plan, result, result.behind())

        self.context.runner.start("performance", work, on_done=lambda done: self.show(*done),
                                  on_error=self._on_failed)

    def show(self, result: Performance, warnings: list, reasons: list) -> None:  # type: ignore[override]  # QWidget.show() is not virtual
        """Show freshly computed figures."""
        self.result = result
        self.reasons_by_agent = {}
        for reason in reasons:
            self.reasons_by_agent.setdefault(reason.agent, []).append(reason)
        self.model.unit = result.measure.unit
        self.model.currency = self.document.info.currency if self.document.info else "GBP"
        if self.period.currentData() != "custom":
            self.date_from.setDate(QDate(result.start))  # type: ignore[call-overload]  # PySide6 takes a date; its stubs omit it
            self.date_to.setDate(QDate(result.end))  # type: ignore[call-overload]  # as above
        current = self.team_filter.currentData()
        self.team_filter.clear()
        self.team_filter.addItem("All teams", None)
        for team in result.teams:
            self.team_filter.addItem(team.name, team.name)
        self.team_filter.setCurrentIndex(max(0, self.team_filter.findData(current)))
        self.all_warnings = list(warnings)
        self._show_rows()

    def _show_headline(self, result: Performance) -> None:
        """The centre's figures, or the team's when one is chosen."""
        c = result.centre

        def fmt(value: float | None) -> str:
            return "" if value is None else format_total(value, result.measure.unit,
                                                         self.model.currency)

        who = "the centre" if c.level != "team" else f"team {c.name}"
        text = (f"<b>{result.measure.name}</b>, {result.start:%d %b} to {result.end:%d %b %Y}: "
                f"{who} has <b>{fmt(c.actual)}</b>")
        if result.unattributed:  # the centre's total less the sum of its agents
            text += f" ({unattributed_words(result.unattributed, fmt)})"
        if c.target_to_date is not None:
            colour = RAG_COLOURS.get(c.rag or "", "")
            text += (f" against <b>{fmt(c.target_to_date)}</b> to date "
                     f"(<span style='color:{colour}'><b>{c.attainment:.0%}</b></span>)")
        seen = result.outlook if c.projection_basis == "outlook" else None
        if seen is not None:
            text += (f"; heading for <b>{fmt(seen.total)}</b> by the outlook ("
                     f"{fmt(seen.ahead)} forecast for the rest; {seen.range_text(fmt)})")
        elif c.projection is not None:
            text += f"; at the run rate so far {fmt(c.projection)}"
        if c.quarter_target is not None:
            chance = seen.chance_of(c.quarter_target) if seen is not None else None
            text += (f" against {fmt(c.quarter_target)} for the quarter"
                     + (f" (a {chance:.0%} chance of making it)" if chance is not None else "")
                     + f". Targets: {result.scenario}.")
        elif c.projection is not None or c.target_to_date is not None:
            text += "."
        # One short line: the headline has room for three (see _build).
        rule = ("the run rate (actual over the share of the phased target passed)"
                if result.measure.additive else "the rate so far")
        text += ("<br><small>Projection column: " + (
            f"the centre's is the outlook above, as in Forecast; teams' and agents' {rule}"
            if seen is not None else rule) + ".</small>")
        text += "".join(f"<br><small>{n}</small>" for n in result.notes)
        self.headline.setText(text)

    def _on_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.headline.setText(str(error))
            self.model.set_rows([])
        else:
            raise error

    # -- showing ------------------------------------------------------------------------------

    def _show_rows(self) -> None:
        if self.result is None:
            return
        level = self.level.currentData()
        team = self.team_filter.currentData()
        seen = self.result.of_team(team)
        self._show_headline(seen)
        self.warnings.clear()
        for warning in self.all_warnings:
            # The centre's own warnings (too little history for anyone) hold for every team.
            if team is None or warning.team == team or warning.level == "centre":
                self.warnings.addItem(warning.text)
        if not self.warnings.count():
            self.warnings.addItem("Nothing to flag: everyone is on pace and no week stands out.")
        rows = seen.rows(level)
        leavers = sum(r.leaver for r in rows)
        self.show_leavers.setText(f"Show &leavers ({leavers})" if leavers else "Show &leavers")
        if not self.show_leavers.isChecked():
            rows = [r for r in rows if not r.leaver]
        self.model.set_rows(league(rows, self.result.measure))
        self._size_columns()
        # The team column says nothing when the rows are teams or all of one team.
        self.table.setColumnHidden(self.model.column_of("team"),
                                   level == "team" or team is not None)
        self._show_agent()

    def _size_columns(self) -> None:
        """Widths from the texts of the first rows and the titles: asking the
        view to measure 400 rows of cells stalled the window."""
        for column, described in enumerate(self.model.columns):
            if described.key == "trend":
                self.table.setColumnWidth(column, 110)
                continue
            texts = [*self.model.column_texts(described.key), described.title]
            # Long names and teams are elided.
            cap = NAME_WIDTHS.get(described.key, 10_000)
            self.table.setColumnWidth(column, min(widest(self.table, texts) + 16, cap))

    def _drill(self, index: Index) -> None:
        """From a team down to its agents."""
        row: Row = self.model.rows[index.row()]
        if row.level == "team":
            self.level.setCurrentIndex(self.level.findData("agent"))
            self.team_filter.setCurrentIndex(self.team_filter.findData(row.name))
            self._show_rows()

    def selected(self) -> Row | None:
        """The selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.rows[rows[0].row()]

    def _show_agent(self) -> None:
        row = self.selected()
        self.reasons.clear()
        self.notes.clear()
        self.days.clear()
        is_agent = row is not None and row.level == "agent"
        self.add_note_button.setEnabled(is_agent and not self.document.read_only)
        if not is_agent or self.result is None:
            self.detail_title.setText("Select an agent to see where to coach them; "
                                      "double-click a team to see its agents.")
            return
        b = row.benchmarks

        def fmt(value: float | None) -> str:
            return "n/a" if value is None else format_value(value, self.model.unit,
                                                            self.model.currency)

        self.detail_title.setText(
            f"<b>{row.key} {row.name}</b> ({row.team}): {fmt(row.actual)}<br><small>team average "
            f"{fmt(b.get('team_average'))} \u00b7 top quartile {fmt(b.get('top_quartile'))} "
            f"\u00b7 last quarter {fmt(b.get('last_quarter'))} \u00b7 last year "
            f"{fmt(b.get('last_year'))}</small>")
        for reason in self.reasons_by_agent.get(row.key, []):
            self.reasons.addItem(reason.text)
        if not self.reasons.count():
            higher = self.result is None or self.result.measure.higher_is_better
            on_target = row.attainment is not None and (
                row.attainment >= 1 if higher else row.attainment <= 1)
            self.reasons.addItem(
                "No target for this period: nothing to measure them against."
                if row.attainment is None else
                "On target: nothing in the figures to work on." if on_target else
                "Behind, but no figure stands out against the team.")
        # The agent's notes and days are read in a worker (a read can take
        # longer than a frame on a big plan); a newer selection replaces it.
        plan, result, agent = self.document.plan, self.result, row.key

        def work(_token: object) -> tuple[list, list]:
            return (notes_for(plan, agent),
                    daily_values(plan, result.measure.code, agent, result.start, result.end))

        self.context.runner.start("performance-agent", work,
                                  on_done=lambda done: self._show_agent_detail(agent, *done),
                                  on_error=self._on_failed)

    def _show_agent_detail(self, agent: str, notes: list, days: list) -> None:
        """Fill the notes and days lists for ``agent`` (if it is still the one selected)."""
        row = self.selected()
        if row is None or row.key != agent:
            return
        self.notes.clear()
        self.days.clear()
        for note in notes:
            who = f"{note.observer} (peer)" if note.source == "peer" else "own"
            self.notes.addItem(f"{note.day:%d %b %Y} [{who}]: {note.note}"
                               + (f" \u2192 {note.follow_up}" if note.follow_up else ""))
        for day, value in days:
            if value == value:
                self.days.addItem(f"{day:%a %d %b}: "
                                  f"{format_value(value, self.model.unit, self.model.currency)}")

    def rephase(self) -> None:
        """Re-phase the targets in force (asks for the reason)."""
        from PySide6.QtWidgets import QInputDialog

        if self.result is None or self.result.scenario_id is None:
            self.context.show_message("No chosen targets to re-phase", error=True)
            return
        reason, ok = QInputDialog.getText(self, "Re-phase the remaining weeks",
                                          "Why (recorded with the change):")
        if ok:
            self.rephase_with(reason)

    def rephase_with(self, reason: str) -> None:
        """Re-phase with ``reason``; Edit > Undo puts the milestones back."""
        plan, scenario_id = self.document.plan, self.result.scenario_id

        def rephased(result: OpResult) -> None:
            self.apply(result)
            self.document.undo_stack.push(TargetChangeCommand(self, result.message))

        self.write("Re-phase", lambda _token: rephase(plan, scenario_id, reason),
                   on_done=rephased)

    def new_note(self) -> None:
        """Record a coaching note about the selected agent."""
        row = self.selected()
        if row is None:
            return
        dialog = NoteDialog(self, row.key)
        if not dialog.exec():
            return
        self.save_note(row.key, dialog.note.text(), dialog.observer.text().strip() or None,
                       dialog.follow_up.text().strip() or None,
                       dialog.follow_up_day.date().toPython())  # type: ignore[arg-type]  # QDate.toPython() is a date

    def save_note(self, agent: str, text: str, observer: str | None, follow_up: str | None,
                  follow_up_day: date | None = None) -> None:
        """Store a note (on the write queue) and show it."""
        plan = self.document.plan

        def added(result: OpResult) -> None:
            self.context.show_message(result.message)
            self._show_agent()

        self.write("Coaching note", lambda _token: add_note(
            plan, agent, text, source="peer" if observer else "own", observer=observer,
            follow_up=follow_up, follow_up_day=follow_up_day), on_done=added)
