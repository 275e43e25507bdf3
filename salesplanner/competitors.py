"""Competitor activity: what competitors did, when, and what it was expected to do.

The moves come from imports (kind ``competitors``: date, competitor,
activity, impact). Trends show them as markers on the timeline, so a
manager can see a dip in sales beside the rival's price cut that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from salesplanner.storage.plan_file import PlanFile

#: Impact words as sources write them, strongest first; anything else is "other".
IMPACTS = ("high", "medium", "low")


@dataclass(frozen=True)
class CompetitorMove:
    """One thing a competitor did."""

    day: date
    competitor: str
    activity: str
    impact: str

    @property
    def impact_level(self) -> str:
        """``high``, ``medium``, ``low`` or ``other``, from the source's own wording."""
        word = self.impact.strip().lower()
        for level in IMPACTS:
            if word and (word.startswith(level) or level.startswith(word)):
                return level
        return "other"

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {"day": self.day.isoformat(), "competitor": self.competitor,
                "activity": self.activity, "impact": self.impact}

    def __str__(self) -> str:
        impact = f" ({self.impact} impact)" if self.impact else ""
        return f"{self.day:%d %b %Y} {self.competitor}: {self.activity}{impact}"


def competitor_moves(plan: PlanFile, start: date | None = None,
                     end: date | None = None) -> list[CompetitorMove]:
    """The competitors' moves between ``start`` and ``end`` (inclusive), oldest first."""
    clauses, params = [], []
    if start is not None:
        clauses.append("day >= ?")
        params.append(start.isoformat())
    if end is not None:
        clauses.append("day <= ?")
        params.append(end.isoformat())
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT day, competitor, activity, coalesce(impact, '') FROM competitor_activity"
            f"{where} ORDER BY day, id", params).fetchall()
    return [CompetitorMove(date.fromisoformat(str(day)[:10]), competitor, activity or "", impact)
            for day, competitor, activity, impact in rows]
