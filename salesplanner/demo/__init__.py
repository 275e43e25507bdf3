"""A realistic, reproducible demo plan: ``salesplanner demo PLAN``.

The demo is a UK telecoms and home-services contact centre. With the same
options and seed it writes the same data. Its history runs ``months`` months
up to six weeks into the plan's quarter, so the quarter has actuals to
monitor and a full year before it to plan from.

The plan is built under a temporary name and moved into place only when
complete: a cancelled or failed demo leaves nothing behind.
"""

from __future__ import annotations

import json
import sqlite3
import os
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from salesplanner.daily_stats import rebuild_daily_stats
from salesplanner.demo import catalogue
from salesplanner.demo.activity import (
    make_calls, make_competitor_activity, make_intervals, make_sales,
)
from salesplanner.demo.people import (
    make_agents, make_products, make_ratings, make_teams, skill_matrix,
)
from salesplanner.demo.support import make_campaigns, make_coaching, make_complaints, make_feedback, make_qa
from salesplanner.errors import PlanExists, UserError
from salesplanner.jobs import JobToken, ScaledToken, SilentToken, check_cancel
from salesplanner.periods import Quarter, time_keys
from salesplanner.storage.bulk import indexes_deferred, insert_frame
from salesplanner.storage.plan_file import PlanFile, now

#: The demo's "today" is this many weeks into the plan's quarter.
WEEKS_INTO_QUARTER = 6


@dataclass(frozen=True)
class DemoOptions:
    """What the demo generator is asked for."""

    agents: int = 60
    months: int = 15
    seed: int = 42
    quarter: Quarter = field(default_factory=lambda: Quarter(2027, 1))
    name: str | None = None
    currency: str = "GBP"
    #: Yearly growth in calls per agent hour (0.15 for 15% a year); None for
    #: the demo's slow drift of 6% across the whole history.
    growth: float | None = None

    def validate(self) -> None:
        """Refuse sizes that make no sense, with the allowed range."""
        if not 4 <= self.agents <= 2000:
            raise UserError(f"--agents {self.agents} is out of range; use 4 to 2000")
        if not 3 <= self.months <= 60:
            raise UserError(f"--months {self.months} is out of range; use 3 to 60")
        if self.growth is not None and not -0.5 <= self.growth <= 1.0:
            raise UserError(f"--growth {self.growth:.0%} is out of range; use -50% to 100%")

    @property
    def history_end(self) -> date:
        """Last day of data: six weeks into the plan's quarter."""
        return self.quarter.start + timedelta(weeks=WEEKS_INTO_QUARTER) - timedelta(days=1)

    @property
    def history_start(self) -> date:
        """First day of data, ``months`` months before the end."""
        end = self.history_end
        first = (pd.Timestamp(end) - pd.DateOffset(months=self.months) + pd.Timedelta(days=1))
        return first.date()


@dataclass
class DemoSummary:
    """Counts of what the demo wrote."""

    path: Path
    agents: int
    teams: int
    products: int
    calls: int
    sales: int
    first_day: date
    last_day: date


def _with_time_keys(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame.assign(**time_keys(frame[column]))


def generate_demo(path: str | os.PathLike[str], options: DemoOptions | None = None,
                  token: JobToken | None = None, overwrite: bool = False) -> DemoSummary:
    """Write a complete demo plan to ``path``."""
    options = options or DemoOptions()
    options.validate()
    token = token or SilentToken()
    path = Path(path)
    if path.exists() and not overwrite:
        raise PlanExists(path, "already exists; choose another name or remove it first")
    rng = np.random.default_rng(options.seed)
    start, end = options.history_start, options.history_end

    token.progress(0.0, "people and products")
    teams = make_teams(options.agents)
    agents = make_agents(rng, options.agents, teams, start, end)
    ratings = make_ratings(rng, agents, end)
    skills = skill_matrix(ratings).reindex(agents["id"]).reset_index(drop=True)
    products, relations = make_products()
    competitor = make_competitor_activity(rng, start, end)
    token.progress(0.05, "calls")
    calls = make_calls(rng, agents, skills, teams, competitor, start, end, token,
                       options.growth)
    token.progress(0.25, "sales")
    sales = make_sales(rng, calls, agents, skills, teams, products, relations, end, token)
    intervals = make_intervals(rng, calls, teams)
    check_cancel(token)

    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.demo")
    name = options.name or f"Demo contact centre {options.quarter}"
    try:
        plan = PlanFile.create(tmp, name=name, quarter=options.quarter, currency=options.currency)
        try:
            _write(plan, options, teams, agents, ratings, products, relations, competitor,
                   calls, sales, intervals, rng, token)
        finally:
            plan.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)
    token.progress(1.0, "done")
    return DemoSummary(path=path, agents=len(agents), teams=len(teams), products=len(products),
                       calls=len(calls), sales=len(sales), first_day=start, last_day=end)


def _write(plan: PlanFile, options: DemoOptions, teams: pd.DataFrame, agents: pd.DataFrame,
           ratings: pd.DataFrame, products: pd.DataFrame, relations: pd.DataFrame,
           competitor: pd.DataFrame, calls: pd.DataFrame, sales: pd.DataFrame,
           intervals: pd.DataFrame, rng: np.random.Generator, token: JobToken) -> None:
    """Everything in one write transaction: all of the demo or none of it."""
    with plan.connect(write=True) as conn:
        stamp = now()
        conn.execute(
            "INSERT INTO import_batch (id, file_name, kind, imported_at, rows_read, rows_imported,"
            " rows_duplicate, rows_rejected, values_masked, options_json, status)"
            " VALUES (1, ?, 'demo', ?, ?, ?, 0, 0, 0, ?, 'complete')",
            (f"demo generator (seed {options.seed})", stamp.isoformat(" "),
             len(calls) + len(sales), len(calls) + len(sales),
             json.dumps({"agents": options.agents, "months": options.months, "seed": options.seed})))
        insert_frame(conn, "team", teams, ["id", "code", "name", "leader", "queue"])
        insert_frame(conn, "agent", agents.assign(import_id=1),
                     ["id", "code", "name", "team_id", "start_date", "leave_date",
                      "weekly_hours", "active", "import_id"])
        insert_frame(conn, "skill_rating", ratings.assign(import_id=1),
                     ["agent_id", "skill_id", "rating", "rated_on", "import_id"])
        insert_frame(conn, "product", products.assign(import_id=1),
                     ["id", "sku", "name", "category", "unit_price_minor", "margin_rate", "import_id"])
        insert_frame(conn, "product_relation", relations)
        insert_frame(conn, "competitor_activity", competitor.assign(import_id=1),
                     ["day", "competitor", "activity", "impact", "category", "import_id"])
        insert_frame(conn, "campaign", make_campaigns(options.history_start, options.history_end),
                     ["name", "kind", "purpose", "start_day", "end_day", "contact_criteria"])
        token.progress(0.35, "writing calls")
        with indexes_deferred(conn, ["call", "sale"]):
            _write_facts(conn, calls, sales, token)
        insert_frame(conn, "interval_stat",
                     _with_time_keys(intervals, "interval_start").assign(import_id=1, minutes=30),
                     ["id", "interval_start", "minutes", "iso_year", "iso_week", "weekday", "hour",
                      "queue", "team_id", "offered", "handled", "aht_s", "answered_in_sl",
                      "import_id"])
        token.progress(0.82, "feedback, quality and complaints")
        insert_frame(conn, "customer_feedback", make_feedback(rng, calls, agents, ratings),
                     ["ts", "agent_id", "call_id", "csat", "comment", "import_id"])
        insert_frame(conn, "qa_score", make_qa(rng, agents, ratings, options.history_start,
                                               options.history_end),
                     ["day", "agent_id", "score", "compliance_pass", "assessor", "notes", "import_id"])
        complaints, events = make_complaints(rng, calls, options.history_end)
        insert_frame(conn, "complaint", complaints,
                     ["id", "complaint_ref", "received_at", "customer_ref", "agent_id", "category",
                      "description", "stage", "owner", "callback_due_at", "callback_made_at",
                      "resolution", "closed_at", "import_id"])
        insert_frame(conn, "complaint_event", events, ["complaint_id", "at", "stage", "by", "note"])
        insert_frame(conn, "coaching_note", make_coaching(rng, agents, ratings, options.history_end),
                     ["agent_id", "day", "source", "observer", "note", "follow_up",
                      "follow_up_day", "done"])
        token.progress(0.9, "daily totals")
        check_cancel(token)
        rebuild_daily_stats(conn)
        conn.execute(
            "UPDATE plan SET description = ?, owner = ?",
            (f"Demo plan generated {datetime.now():%d %B %Y} from seed {options.seed}: "
             f"{len(agents)} agents in {len(teams)} teams, {options.months} months of history.",
             catalogue.TEAM_LEADERS[0]))


def _write_facts(conn: sqlite3.Connection, calls: pd.DataFrame, sales: pd.DataFrame, token: JobToken) -> None:
    """The two million-row tables, while their indexes are set aside."""
    insert_frame(conn, "call", _with_time_keys(calls, "ts").assign(import_id=1),
                 ["id", "call_ref", "ts", "iso_year", "iso_week", "weekday", "hour",
                  "agent_id", "direction", "duration_s", "outcome", "queue", "campaign",
                  "customer_ref", "import_id"], ScaledToken(token, 0.35, 0.65), "writing calls")
    insert_frame(conn, "sale", _with_time_keys(sales, "ts").assign(import_id=1),
                 ["id", "sale_ref", "order_ref", "ts", "iso_year", "iso_week", "weekday",
                  "hour", "agent_id", "product_id", "quantity", "revenue_minor", "line_type",
                  "channel", "outcome", "segment", "campaign", "customer_ref", "call_id",
                  "import_id"], ScaledToken(token, 0.65, 0.8), "writing sales")
