"""What an operation changed, so each view refreshes only what it shows.

Every change to a plan is a named operation that returns an
:class:`OpResult`: the kinds of thing it touched and a sentence for the
status bar. The window broadcasts ``(changes, initiator)`` on one signal;
each panel checks :meth:`OpResult.touches` against the kinds it displays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The kinds of thing an operation can change.
PLAN = "plan"
TEAMS = "teams"
AGENTS = "agents"
PRODUCTS = "products"
SKILLS = "skills"
SALES = "sales"
CALLS = "calls"
IMPORTS = "imports"
METRICS = "metrics"
TARGETS = "targets"
REVIEW = "review"
REPORTS = "reports"
ALL_KINDS = frozenset({PLAN, TEAMS, AGENTS, PRODUCTS, SKILLS, SALES, CALLS, IMPORTS, METRICS,
                       TARGETS, REVIEW, REPORTS})


@dataclass(frozen=True)
class OpResult:
    """The outcome of one operation on a plan."""

    changes: frozenset[str]
    message: str = ""
    #: Operation-specific details (e.g. the old value, for undo).
    detail: dict = field(default_factory=dict, compare=False)

    def touches(self, *kinds: str) -> bool:
        """True if the operation changed any of ``kinds``."""
        return bool(self.changes.intersection(kinds))


EVERYTHING = OpResult(ALL_KINDS, "plan reloaded")
