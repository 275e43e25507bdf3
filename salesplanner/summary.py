"""What a plan holds, in numbers: the ``salesplanner info`` report.

:func:`plan_info` returns a :class:`PlanInfo` of plain values; the command
line prints it as text or JSON and the window's status bar shows a line of it.
The JSON keys are documented in the README and kept stable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from salesplanner.currency import currency as lookup_currency
from salesplanner.storage import catalogue
from salesplanner.storage.plan_file import OPEN_DEADLINE_S, SCHEMA_VERSION, PlanFile
from salesplanner.storage.stored_values import quote


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
    """Read the plan's identity and counts in one read transaction (plain SQL)."""
    with plan.connect(deadline=OPEN_DEADLINE_S, doing="counting what the plan holds") as conn:
        (name, quarter, q_start, q_end, cur_code, status, created, modified) = conn.execute(
            "SELECT name, quarter, quarter_start, quarter_end, currency, status, created_at,"
            " modified_at FROM plan WHERE id = 1").fetchone()
        tables = catalogue.tables(conn)
        counts = {t: conn.execute(f"SELECT count(*) FROM {quote(t)}").fetchone()[0] for t in tables}
        # Two subqueries so each uses the index on ts (min and max together cannot).
        first, last = conn.execute(
            "SELECT (SELECT min(ts) FROM sale), (SELECT max(ts) FROM sale)").fetchone()
        revenue = conn.execute(
            "SELECT coalesce(sum(revenue_minor), 0) FROM sale WHERE outcome <> 'cancelled'"
        ).fetchone()[0]
        active = conn.execute("SELECT count(*) FROM agent WHERE active = 1").fetchone()[0]
    cur = lookup_currency(cur_code)
    return PlanInfo(
        path=str(plan.source_path), name=name, quarter=quarter, quarter_start=q_start,
        quarter_end=q_end, currency=cur_code, status=status, schema_version=SCHEMA_VERSION,
        created_at=created, modified_at=modified, agents=counts["agent"], active_agents=active,
        teams=counts["team"], products=counts["product"], first_sale=first, last_sale=last,
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


def team_names(plan: PlanFile) -> list[str]:
    """The plan's teams by name, in order."""
    with plan.connect() as conn:
        return [name for (name,) in conn.execute("SELECT name FROM team ORDER BY name")]
