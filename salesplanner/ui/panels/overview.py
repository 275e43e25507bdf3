"""The overview: what the open plan is and what it holds."""

from __future__ import annotations

import html

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.currency import currency
from salesplanner.errors import UserError
from salesplanner.metrics import format_total
from salesplanner.analysis.glance import Glance, at_a_glance
from salesplanner.summary import PlanInfo
from salesplanner.ui.formatting import RAG_COLOURS, elide, user_locale
from salesplanner.ui.panels.base import Panel, PanelContext
from salesplanner.ui.typography import FIGURE, SUBHEADING, emphasise

#: Record counts shown as tiles: (table, label).
TILES = (
    ("team", "Teams"), ("agent", "Agents"), ("product", "Products"), ("call", "Calls"),
    ("sale", "Sale lines"), ("interval_stat", "Queue intervals"),
    ("competitor_activity", "Competitor moves"), ("customer_feedback", "Feedback responses"),
    ("qa_score", "Call evaluations"), ("complaint", "Complaints"), ("import_batch", "Imports"),
    ("audit_event", "Recorded changes"),
)


class _Tile(QFrame):
    """A big number with a caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("tile")
        layout = QVBoxLayout(self)
        self.value = emphasise(QLabel("0"), FIGURE)
        self.caption = QLabel(caption)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setAccessibleName(caption)


class OverviewPanel(Panel):
    """The plan's identity, period and the size of its data."""

    title = "Overview"
    icon = "overview"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        self.heading = emphasise(QLabel(), SUBHEADING)
        self.heading.setAccessibleName("Plan name")
        layout.addWidget(self.heading)
        about = QGroupBox("Plan")
        form = QFormLayout(about)
        self._fields: dict[str, QLabel] = {}
        for key, caption in (("quarter", "Quarter"), ("status", "Plan status"),
                             ("currency", "Currency"), ("period", "Sales data"),
                             ("revenue", "Sales revenue"), ("path", "File"),
                             ("modified", "Last changed")):
            label = QLabel()
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(caption)
            label.setWordWrap(True)
            self._fields[key] = label
            form.addRow(f"{caption}:", label)
        layout.addWidget(about)
        quarter_box = QGroupBox("This quarter against its targets")
        quarter_layout = QVBoxLayout(quarter_box)
        self.glance = QLabel()
        self.glance.setAccessibleName("This quarter against its targets")
        self.glance.setWordWrap(True)
        self.glance.setTextFormat(Qt.TextFormat.RichText)
        quarter_layout.addWidget(self.glance)
        layout.addWidget(quarter_box)
        grid_box = QGroupBox("Records")
        grid = QGridLayout(grid_box)
        self._tiles: dict[str, _Tile] = {}
        for i, (table, caption) in enumerate(TILES):
            tile = _Tile(caption)
            self._tiles[table] = tile
            grid.addWidget(tile, i // 4, i % 4)
        layout.addWidget(grid_box)
        layout.addStretch(1)

        self.glances: list[Glance] | None = None

    def on_plan_opened(self) -> None:
        """Fill in the plan's figures; the quarter's progress in a worker, when shown
        (a plan reopened on another panel does not work it out for nothing)."""
        self._show(self.document.info)
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's progress."""
        self.glances = None
        self.glance.clear()

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Any change can move a count: show the new figures."""
        self._show(self.document.info)
        if result.touches(changes.TARGETS, changes.SALES, changes.CALLS, changes.IMPORTS):
            self.refresh_when_shown()

    def refresh(self) -> None:
        """Work out the quarter against its targets in a worker."""
        plan, info = self.document.plan, self.document.info
        if plan is None or info is None:
            return
        self.glance.setText("Working out the quarter so far\u2026")
        quarter = info.quarter
        self.context.runner.start("overview-glance", lambda _t: at_a_glance(plan, quarter),
                                  on_done=self._show_glance, on_error=self._on_glance_failed)

    def _show_glance(self, glances: list[Glance]) -> None:
        self.glances = glances
        info = self.document.info
        if not glances:
            self.glance.setText("No targets chosen or published for this quarter yet, or no "
                                "data in it: set them in Targets.")
            return
        code = info.currency if info else "GBP"
        lines = []
        for g in glances:
            colour = RAG_COLOURS.get(g.rag or "", "")
            text = html.escape(g.sentence(lambda v, u=g.measure.unit: format_total(v, u, code)))  # type: ignore[misc]  # a lambda with a default
            lines.append(f"<span style='color:{colour}'>\u25cf</span> {text}" if colour
                         else text)
        self.glance.setText("<br>".join(lines) + "<br><small>Performance has every team and "
                            "agent; Forecast, where the quarter is heading.</small>")

    def _on_glance_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.glance.setText(str(error))
        else:
            raise error

    def _show(self, info: PlanInfo | None) -> None:
        if info is None:
            return
        loc = user_locale()
        cur = currency(info.currency)
        self.heading.setText(elide(info.name, 200))
        status = info.status.replace("_", " ").capitalize()
        self._fields["quarter"].setText(
            f"{info.quarter} ({_day(loc, info.quarter_start)} to {_day(loc, info.quarter_end)})")
        self._fields["status"].setText(status)
        self._fields["currency"].setText(f"{cur.name} ({cur.code}, {cur.symbol})")
        if info.first_sale:
            period = f"{_day(loc, info.first_sale)} to {_day(loc, info.last_sale)}"
        else:
            period = "No sales imported yet"
        self._fields["period"].setText(period)
        self._fields["revenue"].setText(loc.toCurrencyString(info.sales_revenue, cur.symbol,
                                                            cur.digits))
        self._fields["path"].setText(info.path)
        self._fields["modified"].setText(info.modified_at[:16])
        for table, tile in self._tiles.items():
            tile.value.setText(loc.toString(int(info.counts.get(table, 0))))


def _day(locale: QLocale, iso: str | None) -> str:
    """An ISO date (or timestamp) in the locale's short date format."""
    if not iso:
        return "-"
    day = QDate.fromString(iso[:10], Qt.DateFormat.ISODate)
    return locale.toString(day, QLocale.FormatType.ShortFormat)
