"""Teams, agents, skills, skill ratings and planned hours."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from salesplanner.storage.schema.base import Base


class Team(Base):
    """A team of agents under one team leader."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    leader: Mapped[str | None] = mapped_column(String(120))
    #: Queue or line of business the team mainly serves (``Retention`` ...).
    queue: Mapped[str | None] = mapped_column(String(80))


class Agent(Base):
    """A sales agent (advisor, rep). ``code`` is the key used in source data."""

    __tablename__ = "agent"
    __table_args__ = (
        CheckConstraint("weekly_hours >= 0 AND weekly_hours <= 80", name="weekly_hours_range"),
        CheckConstraint("active IN (0, 1)", name="active_bool"),
        CheckConstraint("leave_date IS NULL OR start_date IS NULL OR leave_date >= start_date",
                        name="leave_after_start"),
        Index(None, "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    start_date: Mapped[date | None] = mapped_column(Date)
    leave_date: Mapped[date | None] = mapped_column(Date)
    #: Contracted hours per week.
    weekly_hours: Mapped[float] = mapped_column(Float, default=37.5, server_default=text("37.5"))
    active: Mapped[bool] = mapped_column(Integer, default=1, server_default=text("1"))
    #: The import that created this agent, if any.
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))


class Skill(Base):
    """A skill agents are rated on (product knowledge, closing ...)."""

    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class SkillRating(Base):
    """An agent's current rating, 1 (developing) to 5 (expert), on one skill."""

    __tablename__ = "skill_rating"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        Index(None, "skill_id"),
    )

    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True)
    rating: Mapped[int] = mapped_column(Integer)
    rated_on: Mapped[date | None] = mapped_column(Date)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))


class AgentPlannedHours(Base):
    """An agent's planned time in one quarter, the capacity targets build on."""

    __tablename__ = "agent_planned_hours"
    __table_args__ = (
        CheckConstraint("shrinkage >= 0 AND shrinkage < 1", name="shrinkage_fraction"),
        CheckConstraint("leave_hours >= 0", name="leave_nonnegative"),
    )

    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True)
    #: Quarter as ``2027-Q1``.
    quarter: Mapped[str] = mapped_column(String(7), primary_key=True)
    weekly_hours: Mapped[float] = mapped_column(Float)
    #: Share of paid time not available for calls (training, breaks, sickness).
    shrinkage: Mapped[float] = mapped_column(Float, default=0.3, server_default=text("0.3"))
    leave_hours: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0.0"))
    #: Planned first and last working day in the quarter, when not the whole quarter.
    available_from: Mapped[date | None] = mapped_column(Date)
    available_to: Mapped[date | None] = mapped_column(Date)
