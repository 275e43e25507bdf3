"""The Overview's quarter at a glance: each measure with targets in force,
its quarter so far against them and, for a sum, where the quarter is heading
by the outlook (the same figure as the Forecast panel's and the Performance
projection for the centre)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from salesplanner.analysis.forecast import QuarterOutlook
from salesplanner.analysis.performance import performance
from salesplanner.errors import UserError
from salesplanner.metrics import MetricDefinition
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.stored_scenarios import in_force


@dataclass
class Glance:
    """One measure's quarter so far against the targets in force (the Overview)."""

    measure: MetricDefinition
    scenario: str
    start: date
    end: date
    actual: float
    target_to_date: float | None
    quarter_target: float | None
    rag: str | None
    #: Where the quarter is heading (the Forecast panel's and the Performance
    #: projection's figure); None for a ratio.
    outlook: QuarterOutlook | None = None
    #: The part of ``actual`` on rows with no agent (a sum only), else None.
    unattributed: float | None = None

    @property
    def attainment(self) -> float | None:
        """Actual over target to date."""
        return None if not self.target_to_date else self.actual / self.target_to_date

    def sentence(self, fmt: Callable[[float], str]) -> str:
        """E.g. ``Sales: 4,884 against 5,537 to 11 Feb (88%); heading for 10,224 by
        the outlook (80% range 9,337 to 11,112) against 12,166 for the quarter``."""
        text = f"{self.measure.name}: {fmt(self.actual)} to {self.end:%d %b}"
        if self.unattributed:
            text += f" ({unattributed_words(self.unattributed, fmt)})"
        if self.target_to_date is not None:
            text += f" against {fmt(self.target_to_date)} ({self.attainment:.0%})"
        if self.outlook is not None:
            text += (f"; heading for {fmt(self.outlook.total)} by the outlook "
                     f"({self.outlook.range_text(fmt)})")
        if self.quarter_target is not None:
            chance = (self.outlook.chance_of(self.quarter_target)
                      if self.outlook is not None else None)
            text += (f" against {fmt(self.quarter_target)} for the quarter"
                     if self.outlook is not None else
                     f"; {fmt(self.quarter_target)} for the quarter")
            if chance is not None:
                text += f" (a {chance:.0%} chance of making it)"
        return text + f"; targets {self.scenario}"


def unattributed_words(value: float, fmt: Callable[[float], str]) -> str:
    """E.g. ``£12,345 of it with no agent``: why the centre's total is more than
    the sum of its agents."""
    return f"{fmt(value)} of it with no agent"


def at_a_glance(plan: PlanFile, quarter: Quarter | str) -> list[Glance]:
    """The quarter to date for each measure with targets in force for ``quarter``
    (newest first); empty when none are, or the data has not reached the quarter."""
    out = []
    newest_first = sorted(in_force(plan, quarter), key=lambda s: -s["id"])
    for code in (s["measure"] for s in newest_first):
        try:
            result = performance(plan, code, "qtd")
        except UserError:
            continue
        if str(result.quarter) != str(quarter) or result.scenario is None:
            continue  # the data's last day is in another quarter
        c = result.centre
        out.append(Glance(result.measure, result.scenario, result.start, result.end, c.actual,
                          c.target_to_date, c.quarter_target, c.rag,
                          result.outlook if c.projection_basis == "outlook" else None,
                          result.unattributed))
    return out
