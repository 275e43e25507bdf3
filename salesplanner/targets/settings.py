"""What a target proposal is computed from, and the steps its targets are rounded to.

:class:`TargetSettings` is stored with every scenario (``parameters_json``), so
reading a stored scenario needs it but not the proposal's machinery; the
proposal, the SMART checks and the stored scenarios all build on this module.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np

from salesplanner.errors import UserError
from salesplanner.targets.capacity import DEFAULT_RAMP, DEFAULT_SHRINKAGE, NewStarter

#: What a sum measure's targets are rounded to, by unit (whole sales, pounds ...).
STEPS = {"count": 1.0, "money": 1.0, "hours": 1.0, "seconds": 1.0}
#: What a ratio measure's targets are rounded to, by unit (0.1% for a rate ...).
RATIO_STEPS = {"percent": 0.001, "ratio": 0.001, "seconds": 1.0, "money": 0.01,
               "money/hour": 0.01, "count/hour": 0.01, "count": 0.01, "hours": 0.1}


#: What an untyped team target can start from (see ``TargetSettings.team_start``).
TEAM_STARTS = ("history", "outlook")


@dataclass
class TargetSettings:
    """Everything a proposal is computed from; stored with each scenario."""

    measure: str = "revenue"
    quarter: str | None = None
    #: The team's target for the quarter (a total, or a rate for a ratio measure).
    team_target: float | None = None
    #: When no team target is typed: the forecast (or, for a ratio, the
    #: history's rate) times 1 + growth.
    growth: float = 0.0
    #: What an untyped team target starts from: ``history`` (a forecast from
    #: before the quarter, last year's quarter or the sum of baselines, by
    #: how much history there is) or ``outlook`` (where the quarter is heading
    #: now: the actual so far and the forecast for the rest, the figure the
    #: Forecast, Performance and Overview panels give; a sum, the whole
    #: centre and the quarter the data is in only).
    team_start: str = "history"
    band: tuple[float, float] = (0.5, 0.8)
    guardrails: tuple[float, float] = (-0.1, 0.3)
    shrinkage: float = DEFAULT_SHRINKAGE
    history_weeks: int = 26
    ramp: tuple[float, ...] = DEFAULT_RAMP
    #: Weeks at the team rate each agent's rate is blended with; None:
    #: estimated from the data (see :mod:`salesplanner.targets.rates`).
    prior_weeks: float | None = None
    skill_influence: float = 0.5
    skill_cap: float = 0.15
    team: str | None = None
    new_starters: tuple[NewStarter, ...] = ()
    leave_hours: dict[str, float] = field(default_factory=dict)
    #: Skill weights by skill code; None: the plan's stored ones, else estimated.
    weights: dict[str, float] | None = None
    #: History ends the day before this (default: the quarter's first day).
    as_of: date | None = None
    seed: int = 7
    #: Manager's overrides: agent code -> [value, reason]. Fixed; the others share the rest.
    overrides: dict[str, list] = field(default_factory=dict)

    def check(self) -> None:
        """Refuse settings that cannot make sense, saying which and why."""
        lo, hi = self.band
        if not 0 <= lo < hi <= 1:
            raise UserError(f"band {lo:g}:{hi:g}: use two shares between 0 and 1, "
                            "the lower first, e.g. 0.5:0.8")
        g_lo, g_hi = self.guardrails
        if not -1 < g_lo <= 0 <= g_hi:
            raise UserError(f"guardrails {g_lo:g}:{g_hi:g}: the minimum change is 0 or "
                            "less (above -1), the maximum 0 or more, e.g. -0.1:0.3")
        if not 0 <= self.shrinkage < 0.9:
            raise UserError(f"shrinkage {self.shrinkage:g}: use a share from 0 to 0.9")
        if not 4 <= self.history_weeks <= 156:
            raise UserError(f"history of {self.history_weeks} weeks: use 4 to 156")
        if self.team_start not in TEAM_STARTS:
            raise UserError(f"team target start {self.team_start!r}: use "
                            f"{' or '.join(TEAM_STARTS)}")
        if self.team_target is not None and not np.isfinite(self.team_target):
            raise UserError("the team target must be a number")

    def as_json(self) -> dict:
        """Plain values, for the scenario's stored parameters."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat() if self.as_of else None
        data["new_starters"] = [{**asdict(s), "start": s.start.isoformat()}
                                for s in self.new_starters]
        return data

    @classmethod
    def from_json(cls, data: dict) -> TargetSettings:
        """Settings as :meth:`as_json` wrote them."""
        data = dict(data)
        data["band"] = tuple(data.get("band", (0.5, 0.8)))
        data["guardrails"] = tuple(data.get("guardrails", (-0.1, 0.3)))
        data["ramp"] = tuple(data.get("ramp", DEFAULT_RAMP))
        data["as_of"] = date.fromisoformat(data["as_of"]) if data.get("as_of") else None
        data["overrides"] = {k: list(v) for k, v in data.get("overrides", {}).items()}
        data["new_starters"] = tuple(
            NewStarter(**{**s, "start": date.fromisoformat(s["start"])})
            for s in data.get("new_starters", ()))
        return cls(**data)


def team_target_text(value: float, unit: str, source: str, currency: str = "GBP") -> str:
    """The team target with where it came from, as a manager reads it:
    ``£3,566,536 (2026-Q1 actual)``; a sum in whole units (as its targets are
    rounded), a rate as the measure shows it."""
    from salesplanner.metrics import format_value

    text = format_value(value, unit, currency)
    if unit == "money" and text[-3:-2] == ".":
        text = text[:-3]
    return f"{text} ({source})" if source else text
