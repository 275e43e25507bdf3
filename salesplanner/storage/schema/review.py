"""Review of a plan (comments, decisions) and the audit trail of changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from salesplanner.storage.schema.base import Base, Timestamp, one_of

REVIEW_DECISIONS = ("approved", "returned")


class ReviewComment(Base):
    """A reviewer's comment on a part of the plan (a section, or one record)."""

    __tablename__ = "review_comment"
    __table_args__ = (CheckConstraint("resolved IN (0, 1)", name="resolved_bool"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    reviewer: Mapped[str] = mapped_column(String(120))
    #: Which part: ``targets``, ``strategy`` ...; ``entity_key`` narrows it to a row.
    section: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str | None] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("review_comment.id", ondelete="CASCADE"))
    resolved: Mapped[bool] = mapped_column(Integer, default=0, server_default=text("0"))


class ReviewDecision(Base):
    """A reviewer approving the plan or returning it with a reason."""

    __tablename__ = "review_decision"
    __table_args__ = (one_of("decision", REVIEW_DECISIONS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    reviewer: Mapped[str] = mapped_column(String(120))
    decision: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Who changed what, when, from what to what, and why."""

    __tablename__ = "audit_event"
    __table_args__ = (Index(None, "entity", "entity_key"), Index(None, "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    who: Mapped[str] = mapped_column(String(120))
    #: The named operation, e.g. ``override_target``, ``import``, ``approve``.
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str | None] = mapped_column(String(120))
    old_json: Mapped[str | None] = mapped_column(Text)
    new_json: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    #: Set when a later operation undid this one.
    undone_by_id: Mapped[int | None] = mapped_column(Integer)
