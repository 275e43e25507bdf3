"""What a plan holds, in numbers: the ``salesplanner info`` report.

:func:`plan_info` returns a :class:`PlanInfo` of plain values; the command
line prints it as text or JSON and the window's status bar shows a line of it.
The JSON keys are documented in the README and kept stable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from salesplanner.currency import currency as lookup_currency
from salesplanner.storage.plan_file import SCHEMA_VERSION, PlanFile
from salesplanner.storage.schema import Base
from salesplanner.storage.schema.activity import Sale
from salesplanner.storage.schema.planning import Plan


@dataclass(frozen=True)
class PlanInfo:
    """A plan's identity and the size of everything in it."""

    path: str
    name: str
    quarter: str
    quarter_start: str
    quarter_end: str
    currency: str
    status: str
    schema_version: int
    created_at: str
    modified_at: str
    agents: int
    active_agents: int
    teams: int
    products: int
    first_sale: str | None
    last_sale: str | None
    #: Total revenue of completed and pending sales, in major units.
    sales_revenue: float
    #: Rows in every table of the plan, by table name.
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        """A JSON-ready dict (the keys the README documents)."""
        return asdict(self)


def plan_info(plan: PlanFile) -> PlanInfo:
    """Read the plan's identity and counts in one read transaction."""
    with plan.read() as session:
        row = session.get(Plan, 1)
        conn = session.connection()
        counts = {
            name: conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar_one()
            for name in sorted(Base.metadata.tables)
        }
        # Two subqueries so each uses the index on ts (min and max together cannot).
        first, last = session.execute(select(
            select(func.min(Sale.ts)).scalar_subquery(),
            select(func.max(Sale.ts)).scalar_subquery())).one()
        revenue = conn.exec_driver_sql(
            "SELECT coalesce(sum(revenue_minor), 0) FROM sale WHERE outcome <> 'cancelled'"
        ).scalar_one()
        active = conn.exec_driver_sql("SELECT count(*) FROM agent WHERE active = 1").scalar_one()
    cur = lookup_currency(row.currency)
    return PlanInfo(
        path=str(plan.source_path), name=row.name, quarter=row.quarter,
        quarter_start=row.quarter_start.isoformat(), quarter_end=row.quarter_end.isoformat(),
        currency=row.currency, status=row.status, schema_version=SCHEMA_VERSION,
        created_at=row.created_at.isoformat(" "), modified_at=row.modified_at.isoformat(" "),
        agents=counts["agent"], active_agents=active, teams=counts["team"],
        products=counts["product"],
        first_sale=first.isoformat(" ") if first else None,
        last_sale=last.isoformat(" ") if last else None,
        sales_revenue=cur.to_major(int(revenue)), counts=counts,
    )


def format_info(info: PlanInfo) -> str:
    """The human-readable ``info`` report."""
    cur = lookup_currency(info.currency)
    lines = [
        f"Plan:            {info.name}",
        f"File:            {info.path}",
        f"Quarter:         {info.quarter} ({info.quarter_start} to {info.quarter_end})",
        f"Currency:        {info.currency}",
        f"Status:          {info.status}",
        f"Format version:  {info.schema_version}",
        f"Created:         {info.created_at}",
        f"Last changed:    {info.modified_at}",
        f"Teams:           {info.teams:,}",
        f"Agents:          {info.agents:,} ({info.active_agents:,} active)",
        f"Products:        {info.products:,}",
        f"Sales:           {info.counts.get('sale', 0):,} lines, "
        f"{cur.symbol}{info.sales_revenue:,.{cur.digits}f} revenue",
        f"First sale:      {info.first_sale or '-'}",
        f"Last sale:       {info.last_sale or '-'}",
        "Records:",
    ]
    width = max(len(name) for name in info.counts)
    lines += [f"  {name:<{width}}  {count:>12,}" for name, count in info.counts.items()]
    return "\n".join(lines)
