"""Targets edited in Excel, brought back: checked, shown as a difference, applied.

The manager exports the plan workbook, changes monthly figures on a
``Targets <measure>`` sheet (layout in :mod:`salesplanner.export.targets_sheet`)
and imports the workbook back. :func:`read_edits` checks the structure (the
key cells, the same agents and months as the scenario, numbers where numbers
belong) and lists every problem by cell (``'Targets Sales'!E9: "lots" is not a
number``); nothing is applied unless the whole sheet fits. :func:`apply_edits`
writes the changes with a reason through the target audit trail, undoable
like any other change of targets:

- an agent's quarter target becomes the sum of their months (the override is
  recorded with the reason); the others are left exactly as they were, so the
  team total moves by the changes (Excel is where the manager decides that);
- each weekly milestone follows the month holding most of its days, scaled by
  that month's change (a month that was zero is spread over its weeks by days);
- a rate (one figure per quarter) takes the new quarter figure as it is.

Values are read as Excel or LibreOffice last calculated them; a formula typed
into a month cell works if the workbook was saved by a spreadsheet program.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.card_numbers import mask_text
from salesplanner.export.targets_sheet import (
    FIXED_HEADERS, HEADER_ROW, MEASURE_LABEL, QUARTER_HEADER, SCENARIO_LABEL, months_of,
)
from salesplanner.metrics import registry
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.scenarios import (
    Scenario, _audit, _days_in_month, _snapshot, load_scenario,
)
from salesplanner.targets.smart import month_name

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Problems listed before "and N more".
MAX_PROBLEMS = 25


@dataclass(frozen=True)
class Change:
    """One changed figure: an agent's month (or quarter, for a rate)."""

    agent: str
    name: str
    period: date | None
    old: float
    new: float
    cell: str

    @property
    def label(self) -> str:
        """``Jan 2027`` or ``quarter``."""
        return month_name(self.period) if self.period else "quarter"


@dataclass
class SheetEdits:
    """The edits found on one targets sheet."""

    sheet: str
    scenario_id: int
    scenario_name: str
    measure: str
    additive: bool
    #: agent code -> month (None for a rate's quarter) -> new value, for every agent.
    values: dict[str, dict[date | None, float]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def new_total(self, scenario: Scenario) -> float:
        """The team total after the changes."""
        if not self.additive:
            return scenario.team_target
        return sum(sum(v.values()) for v in self.values.values())


def read_edits(plan: PlanFile, path: str | Path) -> list[SheetEdits]:
    """Every targets sheet of the workbook at ``path``, checked against the plan."""
    import openpyxl

    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except FileNotFoundError as exc:
        raise UserError(f"{path} does not exist") from exc
    except Exception as exc:  # any unreadable file gets one message
        raise UserError(f"{path.name} cannot be read as an Excel workbook ({exc}); export "
                        "the targets again and edit that file") from exc
    sheets = [ws for ws in book.worksheets
              if ws["A2"].value == SCENARIO_LABEL and ws["A3"].value == MEASURE_LABEL]
    if not sheets:
        raise UserError(f"{path.name} has no targets sheet (one with 'Scenario' in A2 and "
                        "'Measure' in A3); export the plan to Excel and edit its Targets sheet")
    found: list[SheetEdits] = []
    problems: list[str] = []
    for ws in sheets:
        found.append(_read_sheet(plan, ws, problems))
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise UserError("the edited targets do not fit the plan; nothing was changed:\n  "
                        + "\n  ".join(problems[:MAX_PROBLEMS])
                        + (f"\n  and {more} more" if more > 0 else ""))
    return found


def _read_sheet(plan: PlanFile, ws: Worksheet, problems: list[str]) -> SheetEdits:
    where = f"'{ws.title}'!"
    scenario_id = ws["B2"].value
    if not isinstance(scenario_id, (int, float)) or isinstance(scenario_id, bool) \
            or scenario_id != int(scenario_id):
        problems.append(f"{where}B2: {scenario_id!r} is not a scenario number")
        return SheetEdits(ws.title, 0, "", "", True)
    try:
        scenario = load_scenario(plan, int(scenario_id))
    except UserError as exc:
        problems.append(f"{where}B2: {exc}")
        return SheetEdits(ws.title, int(scenario_id), "", "", True)
    measure = registry(plan)[scenario.measure]
    edits = SheetEdits(ws.title, scenario.id, scenario.name, measure.code, measure.additive)
    if ws["B3"].value != scenario.measure:
        problems.append(f"{where}B3: {ws['B3'].value!r}, but scenario {scenario.id} sets "
                        f"targets for {scenario.measure!r}")
        return edits
    months = months_of(scenario) if measure.additive else []
    expected = [*FIXED_HEADERS, *[month_name(m) for m in months], QUARTER_HEADER]
    for j, header in enumerate(expected, start=1):
        got = ws.cell(HEADER_ROW, j).value
        if got != header:
            problems.append(f"{where}{ws.cell(HEADER_ROW, j).coordinate}: {got!r}, expected "
                            f"{header!r} (columns must stay as exported)")
    if problems:
        return edits
    editable = list(range(4, 4 + len(months))) if measure.additive else [4]
    periods: list[date | None] = list(months) if measure.additive else [None]
    targets = {t.code: t for t in scenario.targets}
    seen: dict[str, int] = {}
    row = HEADER_ROW + 1
    while True:
        code = ws.cell(row, 1).value
        if code is None or code == "Total":
            break
        code = str(code).strip()
        if code not in targets:
            problems.append(f"{where}A{row}: {code!r} has no target in scenario {scenario.id} "
                            "(rows cannot be added)")
        elif code in seen:
            problems.append(f"{where}A{row}: {code} is also on row {seen[code]}")
        else:
            seen[code] = row
            old = dict(targets[code].monthly) if measure.additive else {None: targets[code].target}
            values: dict[date | None, float] = {}
            for col, period in zip(editable, periods):
                cell = ws.cell(row, col)
                value = cell.value
                if value is None:
                    problems.append(f"{where}{cell.coordinate}: empty; give {code}'s "
                                    f"{month_name(period) if period else 'quarter'} target "
                                    "(a formula needs the workbook saved by Excel or "
                                    "LibreOffice)")
                elif isinstance(value, bool) or not isinstance(value, (int, float)):
                    problems.append(f"{where}{cell.coordinate}: {value!r} is not a number")
                elif value < 0 or value != value:
                    problems.append(f"{where}{cell.coordinate}: {value} cannot be a target "
                                    "(use 0 or more)")
                else:
                    values[period] = float(value)
                    before = float(old.get(period, 0.0) or 0.0)  # type: ignore[arg-type]  # None finds nothing
                    if abs(values[period] - before) > 1e-9 * max(1.0, abs(before)):
                        edits.changes.append(Change(code, targets[code].name, period, before,
                                                    values[period], cell.coordinate))
            edits.values[code] = values
        row += 1
    for code in targets.keys() - seen.keys():
        problems.append(f"{where}: agent {code} is missing (rows cannot be removed; give 0 "
                        "instead)")
    return edits


def describe(edits: list[SheetEdits]) -> list[str]:
    """The difference against the plan, one line per changed figure."""
    lines = []
    for sheet in edits:
        for c in sheet.changes:
            lines.append(f"{sheet.measure} {c.agent} {c.name}, {c.label}: {c.old:,.2f} -> "
                         f"{c.new:,.2f} ({c.new - c.old:+,.2f}; {sheet.sheet}!{c.cell})")
    return lines


def apply_edits(plan: PlanFile, edits: list[SheetEdits], reason: str,
                who: str = "user") -> OpResult:
    """Write the changes, each sheet one recorded (and undoable) change of targets."""
    if not reason or not reason.strip():
        raise UserError("changes from Excel need a reason (--reason TEXT); nothing was changed")
    reason = mask_text(reason)  # kept in the targets and the trail: no card number in it
    changed = [e for e in edits if e.changes]
    if not changed:
        return OpResult(frozenset(), "the workbook's targets are the same as the plan's")
    audit_ids = []
    with plan.connect(write=True) as conn:
        ids = dict(conn.execute("SELECT code, id FROM agent"))
        for sheet in changed:
            scenario = load_scenario(plan, sheet.scenario_id)
            old = _snapshot(conn, sheet.scenario_id)
            for code in sorted({c.agent for c in sheet.changes}):
                target = next(t for t in scenario.targets if t.code == code)
                new = sheet.values[code]
                total = sum(new.values()) if sheet.additive else new[None]
                conn.execute("UPDATE target SET value = ?, override_value = ?,"
                             " override_reason = ? WHERE scenario_id = ? AND agent_id = ?",
                             (total, total, reason.strip(), sheet.scenario_id, ids[code]))
                if sheet.additive:
                    _phase(conn, sheet.scenario_id, ids[code], target.monthly, target.weekly,
                           new)
            conn.execute("UPDATE target_scenario SET team_target = ? WHERE id = ?",
                         (sheet.new_total(scenario), sheet.scenario_id))
            audit_ids.append(_audit(conn, who, "edit_targets_in_excel", str(sheet.scenario_id), old, {
                "from_excel": True, "changes": [
                    {"agent": c.agent, "period": c.label, "old": c.old, "new": c.new,
                     "cell": f"{sheet.sheet}!{c.cell}"} for c in sheet.changes]},
                reason.strip()))
    count = sum(len(e.changes) for e in changed)
    return OpResult(frozenset({changes.TARGETS}),
                    f"{count} target figure{'s' if count != 1 else ''} changed from Excel",
                    {"audit_ids": audit_ids, "scenario_ids": [e.scenario_id for e in changed]})


def _phase(conn: sqlite3.Connection, scenario_id: int, agent_id: int, monthly: list, weekly: list,
           new: dict[date | None, float]) -> None:
    """New monthly milestones, and the weeks following their months."""
    old_months = dict(monthly)
    for month, value in new.items():
        conn.execute("UPDATE target_milestone SET value = ? WHERE scenario_id = ? AND"
                     " agent_id = ? AND kind = 'month' AND period_start = ?",
                     (value, scenario_id, agent_id, month.isoformat()))  # type: ignore[union-attr]  # months are dates
    by_month: dict[date, list[date]] = {}
    for week, _value in weekly:
        month = max(old_months, key=lambda m: _days_in_month(week, m))
        by_month.setdefault(month, []).append(week)
    old_weeks = dict(weekly)
    for month, weeks in by_month.items():
        before, after = old_months.get(month, 0.0) or 0.0, new.get(month, 0.0)
        if before:
            values = {w: old_weeks[w] * after / before for w in weeks}
        else:  # nothing to scale: spread by the days of each week in the month
            days = {w: _days_in_month(w, month) * _week_days(w) for w in weeks}
            whole = sum(days.values()) or 1.0
            values = {w: after * d / whole for w, d in days.items()}
        for week, value in values.items():
            conn.execute("UPDATE target_milestone SET value = ? WHERE scenario_id = ? AND"
                         " agent_id = ? AND kind = 'week' AND period_start = ?",
                         (value, scenario_id, agent_id, week.isoformat()))


def _week_days(week_start: date) -> int:
    end = week_start + timedelta(days=6 - week_start.weekday())
    return (end - week_start).days + 1


def as_json(edits: list[SheetEdits]) -> list[dict]:
    """Plain values for ``--json``."""
    return [{"sheet": e.sheet, "scenario": e.scenario_id, "measure": e.measure,
             "changes": [{"agent": c.agent, "name": c.name, "period": c.label, "old": c.old,
                          "new": c.new, "cell": c.cell} for c in e.changes]}
            for e in edits]

