"""The plan itself: its row, settings, metrics, targets, strategy and reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint, Date, Float, ForeignKey, ForeignKeyConstraint, Index, Integer, String, Text, text,
)
from sqlalchemy.orm import Mapped, mapped_column

from salesplanner.storage.schema.base import Base, Timestamp, one_of

PLAN_STATUSES = ("draft", "in_review", "approved", "returned")
METRIC_DIRECTIONS = ("higher", "lower")
SCENARIO_STATUSES = ("draft", "chosen", "published", "archived")
MILESTONE_KINDS = ("month", "week")
CAMPAIGN_KINDS = ("retention", "acquisition", "promotion", "winback", "other")
WORK_STATUSES = ("not_started", "in_progress", "done", "blocked", "dropped")


class Plan(Base):
    """The plan this file holds; the table always has exactly one row, id 1."""

    __tablename__ = "plan"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        one_of("status", PLAN_STATUSES),
        CheckConstraint("quarter_end >= quarter_start", name="quarter_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1, server_default=text("1"))
    name: Mapped[str] = mapped_column(String(200))
    #: ``2027-Q1``; start and end are stored too so SQL can use them directly.
    quarter: Mapped[str] = mapped_column(String(7))
    quarter_start: Mapped[date] = mapped_column(Date)
    quarter_end: Mapped[date] = mapped_column(Date)
    #: ISO 4217 code of the currency every ``*_minor`` column is in.
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12), default="draft", server_default=text("'draft'"))
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    modified_at: Mapped[datetime] = mapped_column(Timestamp)
    #: Program version that created the file, for support.
    created_by_version: Mapped[str] = mapped_column(String(20))
    #: A random id given when the plan is created (format 2): names this plan
    #: among all plans, in the row every write stamps, so a journal or log
    #: left beside a plan shows whose it is (see storage/recovery.py).
    uid: Mapped[str] = mapped_column(String(32))


class PlanSetting(Base):
    """A per-plan setting: key and JSON value (ramp curve, RAG band ...)."""

    __tablename__ = "plan_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


class Metric(Base):
    """An analysis measure: a formula over base aggregates, with its display.

    Built-in measures are rows like any other (``builtin`` = 1) so that every
    figure in the program comes from one definition.
    """

    __tablename__ = "metric"
    __table_args__ = (
        one_of("direction", METRIC_DIRECTIONS),
        CheckConstraint("builtin IN (0, 1)", name="builtin_bool"),
        CheckConstraint("additive IN (0, 1)", name="additive_bool"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    formula: Mapped[str] = mapped_column(Text)
    #: ``count``, ``money``, ``percent``, ``seconds``, ``ratio`` or ``hours``.
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(6), default="higher", server_default=text("'higher'"))
    #: Whether values add up over agents and days (revenue yes, conversion no).
    additive: Mapped[bool] = mapped_column(Integer, default=0, server_default=text("0"))
    display_format: Mapped[str | None] = mapped_column(String(40))
    #: Red/amber/green edges on attainment or on the value, as the metric says.
    red_below: Mapped[float | None] = mapped_column(Float)
    green_from: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Integer, default=0, server_default=text("0"))


class SkillWeight(Base):
    """How much one skill matters for one measure when setting targets."""

    __tablename__ = "skill_weight"

    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    #: ``manual`` or ``estimated`` (fitted from history).
    source: Mapped[str] = mapped_column(String(10), default="manual", server_default=text("'manual'"))


class TargetScenario(Base):
    """A set of targets for one measure and quarter: a proposal or a what-if.

    ``parameters_json`` records every input (team target, growth, band,
    guardrails, shrinkage, history window) so the scenario can be recomputed.
    """

    __tablename__ = "target_scenario"
    __table_args__ = (one_of("status", SCENARIO_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id", ondelete="RESTRICT"))
    quarter: Mapped[str] = mapped_column(String(7))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    team_target: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="draft", server_default=text("'draft'"))
    parameters_json: Mapped[str] = mapped_column(Text, default="{}", server_default=text("'{}'"))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class Target(Base):
    """One agent's target in a scenario, with how it was built."""

    __tablename__ = "target"
    __table_args__ = (
        CheckConstraint("likelihood IS NULL OR (likelihood BETWEEN 0 AND 1)", name="likelihood_range"),
        Index(None, "agent_id"),
    )

    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("target_scenario.id", ondelete="CASCADE"), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    baseline: Mapped[float | None] = mapped_column(Float)
    seasonality: Mapped[float | None] = mapped_column(Float)
    skill_adjustment: Mapped[float | None] = mapped_column(Float)
    stretch: Mapped[float | None] = mapped_column(Float)
    guardrail: Mapped[str | None] = mapped_column(String(20))
    override_value: Mapped[float | None] = mapped_column(Float)
    override_reason: Mapped[str | None] = mapped_column(Text)
    likelihood: Mapped[float | None] = mapped_column(Float)
    #: JSON: SMART letters with pass/fail and reasons.
    smart_json: Mapped[str | None] = mapped_column(Text)


class TargetMilestone(Base):
    """A target phased into a month or a week of the quarter."""

    __tablename__ = "target_milestone"
    __table_args__ = (
        one_of("kind", MILESTONE_KINDS),
        # Milestones belong to their target row and go with it.
        ForeignKeyConstraint(
            ["scenario_id", "agent_id"], ["target.scenario_id", "target.agent_id"],
            ondelete="CASCADE"),
    )

    scenario_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(5), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    period_end: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)


class Campaign(Base):
    """A sales campaign (retention, acquisition, promotion) with its target."""

    __tablename__ = "campaign"
    __table_args__ = (one_of("kind", CAMPAIGN_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="other", server_default=text("'other'"))
    purpose: Mapped[str | None] = mapped_column(Text)
    start_day: Mapped[date | None] = mapped_column(Date)
    end_day: Mapped[date | None] = mapped_column(Date)
    metric_id: Mapped[int | None] = mapped_column(ForeignKey("metric.id", ondelete="SET NULL"))
    target_value: Mapped[float | None] = mapped_column(Float)
    #: Criteria for the outbound contact list, as the manager writes them.
    contact_criteria: Mapped[str | None] = mapped_column(Text)


class StrategyItem(Base):
    """An organisational strategy item that drives direct sales (U502 1.1-1.2)."""

    __tablename__ = "strategy_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    impact_on_operations: Mapped[str | None] = mapped_column(Text)
    recommended_development: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class PlanObjective(Base):
    """An objective of the quarterly plan, or an action under one."""

    __tablename__ = "plan_objective"
    __table_args__ = (one_of("status", WORK_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Set for an action: the objective it serves.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_objective.id", ondelete="CASCADE"))
    strategy_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategy_item.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str | None] = mapped_column(String(120))
    due_day: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="not_started",
                                        server_default=text("'not_started'"))
    expected_effect: Mapped[str | None] = mapped_column(Text)
    measured_effect: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class ReviewCriterion(Base):
    """An agreed criterion the plan is reviewed against, with the finding."""

    __tablename__ = "review_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    #: ``met``, ``partly``, ``not_met`` or NULL while not yet assessed.
    finding: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)


class ReportDefinition(Base):
    """A report: which measures, grouped how, for which period and audience."""

    __tablename__ = "report_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: JSON list of metric codes.
    metrics_json: Mapped[str] = mapped_column(Text)
    grouping: Mapped[str] = mapped_column(String(20), default="team", server_default=text("'team'"))
    period: Mapped[str] = mapped_column(String(40), default="qtd", server_default=text("'qtd'"))
    audience: Mapped[str | None] = mapped_column(String(200))
    frequency: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(Timestamp)
