"""The targets sheets: agent x month (editable, and read back) and agent x week.

Layout of the editable sheet (``Targets <measure>``), which
:mod:`salesplanner.targets.from_excel` reads back and checks:

- ``A2`` is ``Scenario`` and ``B2`` the scenario's number; ``A3`` is
  ``Measure`` and ``B3`` the measure's code; row 4 says how to edit.
- Row :data:`HEADER_ROW` is the table header: ``Agent``, ``Name``, ``Team``,
  one column per month of the quarter (``Jan 2027`` ...), ``Quarter target``
  and ``Chance``. One row per agent under it, then the totals row.
- The month cells are the numbers a manager edits; the quarter target adds
  them up (a live formula), and so do the totals and the team table below.

A rate (conversion, average order value) does not add up over months or
agents: its sheet shows the quarter's rate per agent and no totals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter as _letter

from salesplanner.command_names import IMPORT_EDITED_TARGETS
from salesplanner.export.book import BOLD, Book, Column, Formula, TableArea, unit_label
from salesplanner.metrics import MetricDefinition
from salesplanner.targets.scenarios import Scenario
from salesplanner.targets.smart import month_name

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

HEADER_ROW = 6
SCENARIO_LABEL = "Scenario"
MEASURE_LABEL = "Measure"
QUARTER_HEADER = "Quarter target"
FIXED_HEADERS = ("Agent", "Name", "Team")


def milestone_kind(measure: MetricDefinition) -> str:
    """Number format of milestones: counts with a decimal (phasing splits them)."""
    return "number1" if measure.unit == "count" else measure.unit


def months_of(scenario: Scenario) -> list:
    """The first day of each month with a milestone, in order."""
    return sorted({d for t in scenario.targets for d, _v in t.monthly})


def write_targets(book: Book, scenario: Scenario, measure: MetricDefinition) -> TableArea:
    """The editable agent x month sheet and, under it, the team totals."""
    ws = book.sheet(f"Targets {measure.name}")
    book.title_block(ws, f"Targets: {measure.name}, {scenario.quarter}")
    book.put(ws, 2, 1, SCENARIO_LABEL).font = BOLD
    book.put(ws, 2, 2, scenario.id, "count", track=False)
    book.put(ws, 2, 3, f"'{scenario.name}', {scenario.status}", track=False)
    book.put(ws, 3, 1, MEASURE_LABEL).font = BOLD
    book.put(ws, 3, 2, measure.code, track=False)
    book.put(ws, 3, 3, f"{measure.name} ({unit_label(measure.unit, book.currency)}, "
             f"{'higher' if measure.higher_is_better else 'lower'} is better)", track=False)
    months = months_of(scenario)
    kind = milestone_kind(measure)
    if measure.additive:
        book.note(ws, 4, 1, "Change the monthly figures; the quarter target and the totals add "
                 "them up. Bring the changes back with "
                 f"{IMPORT_EDITED_TARGETS.directions()} (or salesplanner targets PLAN "
                 "--from-excel FILE --reason TEXT).")
    else:
        book.note(ws, 4, 1, f"{measure.name} is a rate: one figure for the quarter, the same "
                 "every month; change the quarter target.")
    month_headers = [month_name(m) for m in months] if measure.additive else []
    columns = [Column("Agent"), Column("Name"), Column("Team"),
               *[Column(h, kind) for h in month_headers],
               Column(QUARTER_HEADER, measure.unit), Column("Chance", "percent")]
    rows: list[list[object]] = []
    first = HEADER_ROW + 1
    first_month = 4
    last_month_letter = _letter(first_month + len(months) - 1)
    for i, t in enumerate(scenario.targets):
        r = first + i
        by_month = dict(t.monthly)
        values = [by_month.get(m) for m in months] if measure.additive else []
        quarter: object = t.target
        if measure.additive:
            quarter = Formula(f"=SUM({_letter(first_month)}{r}:{last_month_letter}{r})",
                              sum(v or 0.0 for v in values))
        rows.append([t.code, t.name, t.team, *values, quarter, t.likelihood])
    area = book.table(ws, HEADER_ROW, f"Targets {measure.code}", columns, rows)
    book.freeze(ws, HEADER_ROW + 1, 4)
    if not measure.additive or not scenario.targets:
        return area
    _totals(book, ws, area, scenario, months, measure)
    _team_table(book, ws, area, scenario, months, measure)
    return area


def _totals(book: Book, ws: Worksheet, area: TableArea, scenario: Scenario, months: list,
            measure: MetricDefinition) -> None:
    row = area.last_row + 1
    book.total_label(ws, row, 1)
    headers = [month_name(m) for m in months] + [QUARTER_HEADER]
    sums = [sum(dict(t.monthly).get(m, 0.0) or 0.0 for t in scenario.targets) for m in months]
    sums.append(sum(sums))
    kind = milestone_kind(measure)
    for header, value in zip(headers, sums):
        book.formula(ws, row, area.col(header), f"=SUM({area.range(header)})", value,
                     measure.unit if header == QUARTER_HEADER else kind)
    book.style_total_row(ws, row, 1, area.col(QUARTER_HEADER))


def _team_table(book: Book, ws: Worksheet, area: TableArea, scenario: Scenario,
                months: list, measure: MetricDefinition) -> None:
    top = area.last_row + 4
    book.heading(ws, top - 1, "By team")
    teams = sorted({t.team for t in scenario.targets})
    headers = [month_name(m) for m in months] + [QUARTER_HEADER]
    kind = milestone_kind(measure)
    team_range = f"${area.letter('Team')}${area.first_row}:${area.letter('Team')}${area.last_row}"
    rows = []
    for i, team in enumerate(teams):
        r = top + 1 + i
        members = [t for t in scenario.targets if t.team == team]
        values = [sum(dict(t.monthly).get(m, 0.0) or 0.0 for t in members) for m in months]
        values.append(sum(values))
        cells: list[object] = [team]
        for header, value in zip(headers, values):
            letter = area.letter(header)
            cells.append(Formula(
                f"=SUMIF({team_range},$A{r},{letter}${area.first_row}:{letter}${area.last_row})",
                value, measure.unit if header == QUARTER_HEADER else kind))
        rows.append(cells)
    book.table(ws, top, f"Team targets {measure.code}",
               [Column("Team"), *[Column(h, kind) for h in headers[:-1]],
                Column(QUARTER_HEADER, measure.unit)], rows)


def write_weekly(book: Book, scenario: Scenario, measure: MetricDefinition) -> None:
    """Agent x week milestones, each agent's row adding up to their quarter."""
    weeks = sorted({d for t in scenario.targets for d, _v in t.weekly})
    if not weeks or not measure.additive:
        return
    ws = book.sheet(f"Weekly {measure.name}")
    top = book.title_block(ws, f"Weekly milestones: {measure.name}, {scenario.quarter}", [
        "Each week's share of the quarter target, by the agent's planned hours and the "
        "weekday pattern; weeks are named by their first day in the quarter."])
    kind = milestone_kind(measure)
    headers = [f"w/c {w.day} {w:%b}" for w in weeks]
    first_week, last_week = 4, 4 + len(weeks) - 1
    rows = []
    for i, t in enumerate(scenario.targets):
        r = top + 1 + i
        by_week = dict(t.weekly)
        values = [by_week.get(w) for w in weeks]
        rows.append([t.code, t.name, t.team, *values, Formula(
            f"=SUM({_letter(first_week)}{r}:{_letter(last_week)}{r})",
            sum(v or 0.0 for v in values), measure.unit)])
    area = book.table(ws, top, f"Weekly {measure.code}",
                      [Column("Agent"), Column("Name"), Column("Team"),
                       *[Column(h, kind) for h in headers], Column(QUARTER_HEADER, measure.unit)],
                      rows)
    book.freeze(ws, top + 1, 4)
    row = area.last_row + 1
    book.total_label(ws, row, 1)
    for header, w in zip(headers, weeks):
        value = sum(dict(t.weekly).get(w, 0.0) or 0.0 for t in scenario.targets)
        book.formula(ws, row, area.col(header), f"=SUM({area.range(header)})", value, kind)
    quarter = sum(sum(v or 0.0 for _d, v in t.weekly) for t in scenario.targets)
    book.formula(ws, row, area.col(QUARTER_HEADER), f"=SUM({area.range(QUARTER_HEADER)})",
                 quarter, measure.unit)
    book.style_total_row(ws, row, 1, area.col(QUARTER_HEADER))
