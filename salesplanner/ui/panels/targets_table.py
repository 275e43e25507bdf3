"""The Targets panel's table: one row per agent, from a preview or a stored
scenario, with how each target was built, its chance and its SMART check.

Part of :mod:`salesplanner.ui.panels.targets`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from salesplanner.metrics import format_value
from salesplanner.targets.smart import LETTERS, NAMES, smart_text
from salesplanner.ui.columns import RIGHT, Column, Columns, natural, number
from salesplanner.ui.formatting import RAG_COLOURS, agent_label
from salesplanner.ui.row_models import Index, RowTableModel

PASS, FAIL = "\u2713", "\u2717"

#: What each column means, on its header (the method in a manager's words).
HEADER_TIPS = {
    "baseline": "What the agent would sell at their own recent rate in their planned hours "
                "this quarter (a short history leans on the team's rate), with the season",
    "skills": "Skills move work between agents; the team total is unchanged.\n"
              "Plus where the agent's skills suggest more room to grow than the team's on "
              "average; minus where their results are already at or beyond what their skills "
              "suggest (so the work goes to others). Never more than 15% of the baseline.",
    "stretch": "The gap between the baselines and the team target, shared by size and more "
               "to agents whose skills run ahead of their results (their headroom).\n"
               "Minus for everyone when the team target is below what the baselines add up "
               "to. Nobody is asked past their realistic ceiling.",
    "target": "Baseline + Skills + Stretch, in whole units; the targets add up to the team "
              "target. Double-click to override, with a reason",
    "chance": "How likely the agent is to reach the target, from many simulated quarters of "
              "their own ups and downs",
    "smart": "Specific, Measurable, Achievable, Realistic, Time-bound: a lower-case letter "
             "fails (point at the cell for why)",
    "compare": "The agent's target in the chosen targets, to compare with",
}


@dataclass
class TargetRow:
    """One agent's row, from a preview or a stored scenario."""

    code: str
    name: str
    team: str
    baseline: float | None
    skills: float | None
    stretch: float | None
    target: float
    likelihood: float | None
    smart: dict
    explanation: str
    guardrail: str | None
    override: float | None
    compare: float | None = None


class TargetsModel(RowTableModel):
    """Agents down; baseline, skill adjustment, stretch, target, chance, SMART across."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.unit, self.currency, self.band = "count", "GBP", (0.5, 0.8)
        money, signed = self._money, self._signed
        self.columns = Columns(
            Column("agent", "Agent", lambda r: r.code, sort=natural,
                   text=lambda r: agent_label(r.code, r.name)),
            Column("team", "Team", lambda r: r.team),
            Column("baseline", "Baseline", lambda r: r.baseline, money, number, RIGHT),
            Column("skills", "Skills", lambda r: r.skills, signed, number, RIGHT,
                   tooltip=lambda r: r.explanation),
            Column("stretch", "Stretch", lambda r: r.stretch, signed, number, RIGHT,
                   tooltip=lambda r: r.explanation),
            Column("target", "Target", lambda r: r.target, money, number, RIGHT,
                   tooltip="Double-click to override, with a reason",
                   text=lambda r: money(r.target) + (" \u270e" if r.override is not None
                                                     else "")),
            Column("chance", "Chance", lambda r: r.likelihood,
                   lambda v: "" if v is None else f"{v:.0%}", number, RIGHT),
            Column("smart", "SMART", lambda r: smart_text(r.smart), sort=_passes,
                   tooltip=_smart_tooltip),
            Column("compare", "Chosen", lambda r: r.compare, money, number, RIGHT),
            Column("explanation", "How it was built", lambda r: r.explanation,
                   tooltip=lambda r: r.explanation),
        )

    def _money(self, value: float | None) -> str:
        return "" if value is None else _whole(value, self.unit, self.currency)

    def _signed(self, value: float | None) -> str:
        # Under half a unit of a sum is rounding: shown empty, not as "-£0".
        if not value or (self.unit in ("money", "count", "seconds") and abs(value) < 0.5):
            return ""
        return ("+" if value > 0 else "-") + _whole(abs(value), self.unit, self.currency)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The column titles, and what each means as their tooltip."""
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return HEADER_TIPS.get(self.columns[section].key)
            return None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' text, alignment and tooltips; chance and SMART in colour."""
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row: TargetRow = self.rows[index.row()]
            key = self.columns[index.column()].key
            if key == "chance" and row.likelihood is not None:
                lo, hi = self.band
                return QColor(RAG_COLOURS["green"] if lo <= row.likelihood <= hi
                              else RAG_COLOURS["amber"] if row.likelihood > hi
                              else RAG_COLOURS["red"])
            if key == "smart":
                ok = all(row.smart.get(k, (False,))[0] for k in LETTERS)
                return QColor(RAG_COLOURS["green" if ok else "red"])
            return None
        return super().data(index, role)


def _passes(smart: str) -> int:
    """A SMART check sorts by how many of its letters pass (upper case)."""
    return sum(letter.isupper() for letter in smart)


def _smart_tooltip(row: TargetRow) -> str:
    lines = []
    for k in LETTERS:
        ok, why = row.smart.get(k, (False, ""))
        lines.append(f"{PASS if ok else FAIL} {NAMES[k]}: {why}")
    return "\n".join(lines)


def _whole(value: float, unit: str, currency: str) -> str:
    """Targets are whole pounds (or sales): shown without pence."""
    text = format_value(value, unit, currency)
    return text[:-3] if unit == "money" and text[-3:-2] == "." else text
