"""Procedures and trials, complaints and compliance, coaching."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from salesplanner.storage.schema.base import Base, Timestamp, one_of

PROCEDURE_STATUSES = ("draft", "trial", "adopted", "withdrawn")
TRIAL_GROUPS = ("pilot", "control")
#: The complaint handling steps, in order (U9 4.1-4.5).
COMPLAINT_STAGES = (
    "received", "acknowledged", "owned", "options_identified",
    "resolution_agreed", "actioned", "followed_up", "closed",
)
LEGISLATION = (
    "data_protection", "financial_services", "distance_selling",
    "consumer_protection", "pci_dss", "other",
)
NOTE_SOURCES = ("own", "peer", "qa", "feedback", "complaint", "performance")


class Procedure(Base):
    """A sales procedure or guideline (style, techniques, compliance checks)."""

    __tablename__ = "procedure"
    __table_args__ = (one_of("status", PROCEDURE_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    status: Mapped[str] = mapped_column(String(10), default="draft", server_default=text("'draft'"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class Trial(Base):
    """A test of a procedure: a pilot group against a control on one metric."""

    __tablename__ = "trial"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id", ondelete="SET NULL"))
    metric_id: Mapped[int | None] = mapped_column(ForeignKey("metric.id", ondelete="SET NULL"))
    start_day: Mapped[date] = mapped_column(Date)
    end_day: Mapped[date] = mapped_column(Date)
    #: Significance level for the verdict, e.g. 0.05.
    alpha: Mapped[float] = mapped_column(Float, default=0.05, server_default=text("0.05"))
    verdict: Mapped[str | None] = mapped_column(Text)


class TrialMember(Base):
    """An agent in a trial's pilot or control group."""

    __tablename__ = "trial_member"
    __table_args__ = (one_of("grp", TRIAL_GROUPS),)

    trial_id: Mapped[int] = mapped_column(ForeignKey("trial.id", ondelete="CASCADE"), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True)
    grp: Mapped[str] = mapped_column(String(7))


class Complaint(Base):
    """A customer complaint moving through the handling stages."""

    __tablename__ = "complaint"
    __table_args__ = (
        one_of("stage", COMPLAINT_STAGES),
        Index(None, "agent_id"),
        Index(None, "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_ref: Mapped[str | None] = mapped_column(String(80), unique=True)
    received_at: Mapped[datetime] = mapped_column(Timestamp)
    customer_ref: Mapped[str | None] = mapped_column(String(80))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    category: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    stage: Mapped[str] = mapped_column(String(20), default="received", server_default=text("'received'"))
    owner: Mapped[str | None] = mapped_column(String(120))
    #: A call-back promised to the customer, and when it was actually made.
    callback_due_at: Mapped[datetime | None] = mapped_column(Timestamp)
    callback_made_at: Mapped[datetime | None] = mapped_column(Timestamp)
    resolution: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))


class ComplaintEvent(Base):
    """A step taken on a complaint: who moved it to which stage, and why."""

    __tablename__ = "complaint_event"
    __table_args__ = (one_of("stage", COMPLAINT_STAGES), Index(None, "complaint_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(Timestamp)
    stage: Mapped[str] = mapped_column(String(20))
    by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)


class ComplianceIncident(Base):
    """A non-compliance incident logged against the legislation it breaches."""

    __tablename__ = "compliance_incident"
    __table_args__ = (one_of("legislation", LEGISLATION),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    legislation: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    implications: Mapped[str | None] = mapped_column(Text)
    action_taken: Mapped[str | None] = mapped_column(Text)
    closed: Mapped[bool] = mapped_column(Integer, default=0, server_default=text("0"))


class CoachingNote(Base):
    """An observation about an agent and the follow-up agreed."""

    __tablename__ = "coaching_note"
    __table_args__ = (
        one_of("source", NOTE_SOURCES),
        CheckConstraint("done IN (0, 1)", name="done_bool"),
        Index(None, "agent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(12), default="own", server_default=text("'own'"))
    observer: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_day: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Integer, default=0, server_default=text("0"))
