"""What happened: imports, sales, calls, interval statistics, feedback, QA.

Fact tables carry the derived keys analysis groups by (ISO year and week,
weekday 1=Monday..7=Sunday, hour 0-23) as integer columns written at import
time: SQLite cannot compute ISO weeks itself, and grouping on stored
integers is what keeps trends and heat maps fast on a million rows.

Every fact row records the import it came from (``import_id``), so removing
an import removes exactly its rows. ``fingerprint`` is a 64-bit hash of a
row's content used to skip rows already imported when the source has no
natural key of its own.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from salesplanner.storage.schema.base import Base, Timestamp, one_of

IMPORT_KINDS = (
    "sales", "calls", "intervals", "agents", "products", "skills", "competitors",
    "feedback", "qa", "complaints", "targets", "demo",
)
IMPORT_STATUSES = ("complete", "removed")
CALL_DIRECTIONS = ("inbound", "outbound")
CALL_OUTCOMES = ("sale", "no_sale", "callback_requested", "info_requested")
SALE_LINE_TYPES = ("primary", "upsell", "crosssell")
SALE_OUTCOMES = ("completed", "cancelled", "pending")
IMPACT_LEVELS = ("low", "medium", "high")


class ImportBatch(Base):
    """One import of one source file (or the demo generator)."""

    __tablename__ = "import_batch"
    __table_args__ = (
        one_of("kind", IMPORT_KINDS),
        one_of("status", IMPORT_STATUSES),
        Index(None, "content_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))
    sheet: Mapped[str | None] = mapped_column(String(200))
    #: SHA-256 of the source bytes, to recognise the same file again.
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(Timestamp)
    rows_read: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    rows_imported: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    values_masked: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: JSON: the column mapping and options the import used.
    options_json: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="complete", server_default=text("'complete'"))


class ImportMapping(Base):
    """A header-to-field mapping remembered for files of the same shape."""

    __tablename__ = "import_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: Hash of the normalised header row: files with the same headers share it.
    shape: Mapped[str] = mapped_column(String(64), unique=True)
    mapping_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class Call(Base):
    """One handled call: inbound or outbound, with its outcome."""

    __tablename__ = "call"
    __table_args__ = (
        one_of("direction", CALL_DIRECTIONS),
        one_of("outcome", CALL_OUTCOMES),
        CheckConstraint("duration_s >= 0", name="duration_nonnegative"),
        Index(None, "ts"),
        Index(None, "agent_id", "ts"),
        Index(None, "import_id"),
        # A source's own call id is unique; rows without one are told apart
        # by their fingerprint at import.
        Index("uq_call_call_ref", "call_ref", unique=True,
              sqlite_where=text("call_ref IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The telephony platform's call id, when the source has one.
    call_ref: Mapped[str | None] = mapped_column(String(80))
    ts: Mapped[datetime] = mapped_column(Timestamp)
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(8))
    #: Handle time (talk, hold and wrap) in seconds.
    duration_s: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    queue: Mapped[str | None] = mapped_column(String(80))
    campaign: Mapped[str | None] = mapped_column(String(120))
    customer_ref: Mapped[str | None] = mapped_column(String(80))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    fingerprint: Mapped[int | None] = mapped_column(Integer)


class Sale(Base):
    """One line of a sale: a product sold, with quantity and revenue.

    Lines of one order share ``order_ref``; an order closed on a call points
    at it through ``call_id``. ``line_type`` says whether the line was the
    customer's primary purchase, an up-sell (a higher tier of the same
    product) or a cross-sell (a related product).
    """

    __tablename__ = "sale"
    __table_args__ = (
        one_of("line_type", SALE_LINE_TYPES),
        CheckConstraint("quantity <> 0", name="quantity_nonzero"),
        Index(None, "ts"),
        Index(None, "agent_id", "ts"),
        Index(None, "product_id"),
        Index(None, "call_id"),
        Index(None, "import_id"),
        Index("uq_sale_sale_ref", "sale_ref", unique=True,
              sqlite_where=text("sale_ref IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The source system's transaction or line id, when it has one.
    sale_ref: Mapped[str | None] = mapped_column(String(80))
    order_ref: Mapped[str | None] = mapped_column(String(80))
    ts: Mapped[datetime] = mapped_column(Timestamp)
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"))
    quantity: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    revenue_minor: Mapped[int] = mapped_column(Integer)
    line_type: Mapped[str] = mapped_column(String(10), default="primary", server_default=text("'primary'"))
    #: Sales channel as the source names it: ``Inbound call``, ``Web chat`` ...
    channel: Mapped[str | None] = mapped_column(String(40))
    #: ``completed``, ``cancelled`` (e.g. in a cooling-off period) or ``pending``.
    outcome: Mapped[str] = mapped_column(String(20), default="completed", server_default=text("'completed'"))
    segment: Mapped[str | None] = mapped_column(String(80))
    campaign: Mapped[str | None] = mapped_column(String(120))
    customer_ref: Mapped[str | None] = mapped_column(String(80))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    fingerprint: Mapped[int | None] = mapped_column(Integer)


class IntervalStat(Base):
    """Queue statistics for one interval as a telephony platform exports them."""

    __tablename__ = "interval_stat"
    __table_args__ = (
        CheckConstraint("handled <= offered", name="handled_le_offered"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
        Index(None, "interval_start"),
        Index(None, "import_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interval_start: Mapped[datetime] = mapped_column(Timestamp)
    minutes: Mapped[int] = mapped_column(Integer, default=30, server_default=text("30"))
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    queue: Mapped[str | None] = mapped_column(String(80))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    offered: Mapped[int] = mapped_column(Integer)
    #: NULL when the source gives only offered calls (a telephony arrivals feed).
    handled: Mapped[int | None] = mapped_column(Integer)
    #: Average handle time of the handled calls, seconds; NULL when not given.
    aht_s: Mapped[float | None] = mapped_column(Float)
    #: Calls answered within the service-level threshold, when exported.
    answered_in_sl: Mapped[int | None] = mapped_column(Integer)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    fingerprint: Mapped[int | None] = mapped_column(Integer)


class CompetitorActivity(Base):
    """Something a competitor did that may move our sales."""

    __tablename__ = "competitor_activity"
    __table_args__ = (Index(None, "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    competitor: Mapped[str] = mapped_column(String(120))
    activity: Mapped[str] = mapped_column(Text)
    #: Expected impact as the source states it (``high``, ``medium``, ``low`` or free text).
    impact: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(80))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    fingerprint: Mapped[int | None] = mapped_column(Integer)


class CustomerFeedback(Base):
    """A customer's rating of a contact (post-call survey)."""

    __tablename__ = "customer_feedback"
    __table_args__ = (
        CheckConstraint("csat BETWEEN 1 AND 5", name="csat_range"),
        Index(None, "agent_id", "ts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ts: Mapped[datetime] = mapped_column(Timestamp)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"))
    csat: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    fingerprint: Mapped[int | None] = mapped_column(Integer)


class QaScore(Base):
    """A call-monitoring (quality assurance) evaluation of one call."""

    __tablename__ = "qa_score"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
        CheckConstraint("compliance_pass IN (0, 1)", name="compliance_bool"),
        Index(None, "agent_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"))
    score: Mapped[float] = mapped_column(Float)
    compliance_pass: Mapped[bool] = mapped_column(Integer, default=1, server_default=text("1"))
    assessor: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    fingerprint: Mapped[int | None] = mapped_column(Integer)


class DailyAgentStats(Base):
    """Per agent and day totals of calls and sales, rebuilt after each import.

    Dashboards, trends and targets read this table (tens of thousands of rows)
    instead of the million-row fact tables.
    """

    __tablename__ = "daily_agent_stats"
    __table_args__ = (Index(None, "iso_year", "iso_week"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    #: 0 for rows whose agent is unknown.
    agent_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)
    calls_inbound: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    calls_outbound: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    handle_s: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    sale_calls: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    callbacks: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    info_requests: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    orders: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    sale_lines: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    units: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    revenue_minor: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    upsell_lines: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    crosssell_lines: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
