"""The overview: what the open plan is and what it holds."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget,
)

from salesplanner.changes import OpResult
from salesplanner.currency import currency
from salesplanner.summary import PlanInfo
from salesplanner.ui.formatting import user_locale
from salesplanner.ui.panels.base import Panel
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

    def __init__(self, context, parent=None) -> None:  # noqa: ANN001
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        self.heading = emphasise(QLabel(), SUBHEADING)
        self.heading.setAccessibleName("Plan name")
        layout.addWidget(self.heading)
        about = QGroupBox("Plan")
        form = QFormLayout(about)
        self._fields: dict[str, QLabel] = {}
        for key, caption in (("quarter", "Quarter"), ("status", "Status"),
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
        grid_box = QGroupBox("Records")
        grid = QGridLayout(grid_box)
        self._tiles: dict[str, _Tile] = {}
        for i, (table, caption) in enumerate(TILES):
            tile = _Tile(caption)
            self._tiles[table] = tile
            grid.addWidget(tile, i // 4, i % 4)
        layout.addWidget(grid_box)
        layout.addStretch(1)

    def on_plan_opened(self) -> None:
        """Fill in the plan's figures."""
        self._show(self.document.info)

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Any change can move a count: show the new figures."""
        self._show(self.document.info)

    def _show(self, info: PlanInfo | None) -> None:
        if info is None:
            return
        loc = user_locale()
        cur = currency(info.currency)
        self.heading.setText(info.name)
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
