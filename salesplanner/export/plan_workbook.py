"""The plan workbook: File > Export to Excel and ``salesplanner export``.

One sheet for each part of the plan that has content, in this order:
Summary (the plan, its period and status, headline figures, contents),
Targets and Weekly (per measure with targets), Performance (per measure with
targets, else revenue), Trends, Product mix, Peaks (the weekday x hour heat
map), Forecast, Measures, and with ``include_data`` the raw Sales and Calls
rows. Figures come from the same functions the window and the command line
use, so the three never disagree; totals, variances and attainment are live
formulas over the cells they summarise.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from salesplanner.errors import UserError
from salesplanner.export.book import (
    BOLD, RAG_FILLS, RAG_FONTS, Book, Column, Formula, TableArea, check_destination,
    unit_label,
)
from salesplanner.identity import actor
from salesplanner.jobs import JobToken, SilentToken, check_cancel
from salesplanner.metrics import MetricDefinition, format_value, registry
from salesplanner.analysis.performance import (
    GREEN_FROM, RED_BELOW, Row, attainment_formula, performance, projection_words, rag_formula,
)
from salesplanner.storage.plan_file import PlanFile
from salesplanner.summary import plan_info

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from salesplanner.summary import PlanInfo

#: Shown on the Summary sheet and in Trends when the plan has them.
KEY_MEASURES = ("revenue", "sales", "calls_handled", "conversion_rate", "average_order_value")


@dataclass
class ExportOptions:
    """What to put in the plan workbook."""

    #: The performance period: ``qtd``, ``mtd``, ``wtd`` or ``FROM:TO``.
    period: str = "qtd"
    #: Measures with a performance sheet (None: those with targets, else revenue).
    measures: list[str] | None = None
    #: Add the raw Sales and Calls rows (continued on more sheets past Excel's row limit).
    include_data: bool = False
    #: Leave out the analysis sheets (trends, mix, peaks, forecast).
    analysis: bool = True


@dataclass
class ExportResult:
    """What was written, and the figure each formula must come to."""

    path: Path
    sheets: list[str]
    expected: dict[tuple[str, str], float | str | None]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """One line for the status bar and the command line."""
        return (f"{self.path.name} written: {len(self.sheets)} sheets "
                f"({', '.join(self.sheets)}) in {self.seconds:.1f} s")


def author() -> str:
    """Who is exporting, for the workbook's properties (:mod:`salesplanner.identity`)."""
    return actor()


def export_plan(plan: PlanFile, out: str | Path, options: ExportOptions | None = None,
                token: JobToken | None = None) -> ExportResult:
    """Write the plan workbook to ``out`` (atomically)."""
    from salesplanner.export import analysis_sheets, data_sheet, targets_sheet
    from salesplanner.targets import scenarios

    started = time.perf_counter()
    check_destination(out)
    options = options or ExportOptions()
    token = token or SilentToken()
    info = plan_info(plan)
    measures = registry(plan)
    book = Book(title=f"{info.name}: sales plan {info.quarter}", plan_name=info.name,
                currency_code=info.currency, author=author(),
                subject=f"Sales plan for {info.quarter}")
    current = _current_scenarios(plan)
    wanted = options.measures or list(current) or ["revenue"]
    for code in wanted:
        if code not in measures:
            raise UserError(f"there is no measure {code!r}; 'salesplanner metrics PLAN' "
                            "lists them")
    summary = book.sheet("Summary")
    steps: list[tuple[str, Callable[[], object]]] = []
    performance_cells: dict[str, PerformanceCells] = {}
    for code, scenario_id in current.items():
        def targets_step(code: str = code, scenario_id: int = scenario_id) -> None:
            scenario = scenarios.load_scenario(plan, scenario_id)
            targets_sheet.write_targets(book, scenario, measures[code])
            targets_sheet.write_weekly(book, scenario, measures[code])
        steps.append((f"targets for {measures[code].name}", targets_step))
    for code in wanted:
        def performance_step(code: str = code) -> None:
            performance_cells[code] = write_performance(book, plan, measures[code],
                                                        options.period)
        steps.append((f"performance of {measures[code].name}", performance_step))
    if options.analysis:
        steps += analysis_sheets.steps(book, plan, measures, info.currency, info.quarter)
    steps.append(("measures", lambda: write_measures(book, measures)))
    if options.include_data:
        steps += data_sheet.steps(book, plan)
    notes: list[str] = []
    for i, (what, step) in enumerate(steps):
        check_cancel(token)
        token.progress(0.8 * i / len(steps), what)
        try:
            step()
        except UserError as exc:  # a part with nothing to show is left out, and said so
            notes.append(f"{what}: {exc}")
    write_summary(book, summary, plan, info, measures, performance_cells, notes)
    path = book.save(out, token)
    token.progress(1.0, "done")
    return ExportResult(path, list(book.wb.sheetnames), dict(book.expected),
                        time.perf_counter() - started, notes)


def _current_scenarios(plan: PlanFile) -> dict[str, int]:
    """Each measure with targets: the scenario the window shows for it."""
    from salesplanner.targets import scenarios

    out: dict[str, int] = {}
    for s in scenarios.list_scenarios(plan):
        if s["measure"] not in out:
            out[s["measure"]] = scenarios.current_scenario_id(plan, s["measure"])
    return out


# -- performance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerformanceCells:
    """Where the centre's actual and target to date went, and their figures."""

    sheet: str
    actual_cell: str
    target_cell: str
    actual: float
    target: float | None


PERF_HEADERS = ("Actual", "Target to date", "Attainment", "Variance", "Projection",
                "Quarter target", "RAG")


def _perf_cells(row: Row, r: int, first_col: int,
                measure: MetricDefinition) -> list[object]:
    """Actual .. RAG for one row, attainment, variance and RAG as formulas."""
    unit = measure.unit
    actual = get_column_letter(first_col)
    target = get_column_letter(first_col + 1)
    attainment = get_column_letter(first_col + 2)
    return [row.actual, row.target_to_date,
            Formula(f"={attainment_formula(f'{actual}{r}', f'{target}{r}')}", row.attainment,
                    "percent"),
            Formula(f'=IF({target}{r}="","",{actual}{r}-{target}{r})', row.variance, unit),
            row.projection, row.quarter_target,
            Formula(rag_formula(measure, f"{actual}{r}", f"{attainment}{r}"),
                    (row.rag or "").capitalize() or None, "text")]


def write_performance(book: Book, plan: PlanFile, measure: MetricDefinition,
                      period: str) -> PerformanceCells:
    """Teams and the agents' league table against target; returns the sheet and
    the cells of the centre's actual and target to date (for the summary)."""
    result = performance(plan, measure.code, period)
    ws = book.sheet(f"Performance {measure.name}")
    edges = (f"{measure.name}'s own thresholds" if not measure.additive and (
        measure.red_below is not None or measure.green_from is not None) else
        f"red below {RED_BELOW:.0%} of the target to date, green from {GREEN_FROM:.0%}")
    top = book.title_block(ws, f"Performance: {measure.name}, "
                           f"{result.start:%d %b %Y} to {result.end:%d %b %Y}", [
        f"Targets: {result.scenario}" if result.scenario else
        "No targets for this measure yet: actuals only.",
        f"Red, amber, green: {edges}. Projection to the quarter's end: " + projection_words(
            result, lambda v: format_value(v, measure.unit, book.currency))])
    unit = measure.unit
    columns = [Column("Team"), *[Column(h, k) for h, k in zip(PERF_HEADERS, (
        unit, unit, "percent", unit, unit, unit, "text"))]]
    teams = list(result.teams)
    rows = [[t.name, *_perf_cells(t, top + 1 + i, 2, measure)] for i, t in enumerate(teams)]
    team_area = book.table(ws, top, f"Teams {measure.code}", columns, rows)
    r = team_area.last_row + 1
    book.total_label(ws, r, 1, "Whole centre")
    centre = result.centre
    if measure.additive and teams:
        book.formula(ws, r, 2, f"=SUM({team_area.range('Actual')})",
                     sum(t.actual for t in teams), unit)
        if centre.target_to_date is not None:
            book.formula(ws, r, 3, f"=SUM({team_area.range('Target to date')})",
                         sum(t.target_to_date or 0.0 for t in teams), unit)
        total_actual = sum(t.actual for t in teams)
        total_target = sum(t.target_to_date or 0.0 for t in teams) \
            if centre.target_to_date is not None else None
    else:
        book.put(ws, r, 2, centre.actual, unit)
        book.put(ws, r, 3, centre.target_to_date, unit)
        total_actual, total_target = centre.actual, centre.target_to_date
    attainment = (total_actual / total_target) if total_target else None
    book.formula(ws, r, 4, f"={attainment_formula(f'B{r}', f'C{r}')}", attainment, "percent")
    book.formula(ws, r, 5, f'=IF(C{r}="","",B{r}-C{r})',
                 None if total_target is None else total_actual - total_target, unit)
    book.put(ws, r, 6, centre.projection, unit)
    book.put(ws, r, 7, centre.quarter_target, unit)
    book.formula(ws, r, 8, rag_formula(measure, f"B{r}", f"D{r}"),
                 (centre.rag or "").capitalize() or None, "text")
    book.style_total_row(ws, r, 1, 8)
    centre_cells = PerformanceCells(ws.title, f"B{r}", f"C{r}", total_actual, total_target)
    _rag_colours(ws, team_area, r)

    book.centre(ws, team_area.col("RAG"), team_area.first_row, r)
    book.freeze(ws, team_area.header_row + 1, 2)

    # The agents' table has other columns: on a sheet of its own, so each printed
    # page repeats the header of the table it continues.
    ws = book.sheet(f"Agents {measure.name}")
    top = book.title_block(ws, f"Agents: {measure.name}, "
                           f"{result.start:%d %b %Y} to {result.end:%d %b %Y}", [
        "Best first; the filter buttons sort any column. The teams and the whole centre "
        f"are on the sheet {centre_cells.sheet}."])
    agents = sorted(result.agents, key=lambda a: (a.attainment is None,
                                                  -(a.attainment or 0.0), a.name))
    columns = [Column("#", "count"), Column("Agent"), Column("Name"), Column("Team"),
               *[Column(h, k) for h, k in zip(PERF_HEADERS, (
                   unit, unit, "percent", unit, unit, unit, "text"))]]
    rows = [[i + 1, a.key, a.name, a.team, *_perf_cells(a, top + 1 + i, 5, measure)]
            for i, a in enumerate(agents)]
    agent_area = book.table(ws, top, f"Agents {measure.code}", columns, rows)
    if measure.additive and agents:
        r = agent_area.last_row + 1
        book.total_label(ws, r, 2, "All agents")
        actual = sum(a.actual for a in agents)
        target = sum(a.target_to_date or 0.0 for a in agents) \
            if any(a.target_to_date is not None for a in agents) else None
        book.formula(ws, r, 5, f"=SUM({agent_area.range('Actual')})", actual, unit)
        if target is not None:
            book.formula(ws, r, 6, f"=SUM({agent_area.range('Target to date')})", target, unit)
        book.formula(ws, r, 7, f"={attainment_formula(f'E{r}', f'F{r}')}",
                     actual / target if target else None, "percent")
        book.formula(ws, r, 8, f'=IF(F{r}="","",E{r}-F{r})',
                     None if target is None else actual - target, unit)
        book.style_total_row(ws, r, 1, 11)
    _rag_colours(ws, agent_area, agent_area.last_row)
    for header in ("#", "RAG"):  # clear of the code and the amount beside them
        book.centre(ws, agent_area.col(header), agent_area.first_row, agent_area.last_row)
    book.freeze(ws, agent_area.header_row + 1, 4)
    return centre_cells


def _rag_colours(ws: Worksheet, area: TableArea, last_row: int) -> None:
    """Red, amber and green fills from the RAG column, as conditional formats."""
    rag_colours(ws, area.letter("Attainment"), area.letter("RAG"), area.first_row, last_row)


def rag_colours(ws: Worksheet, first: str, rag: str, first_row: int, last_row: int) -> None:
    """Fill columns ``first``..``rag`` of each row red, amber or green by the
    word in its ``rag`` column, as conditional formats (they follow a sort)."""
    cells = f"{first}{first_row}:{rag}{last_row}"
    for word, fill in RAG_FILLS.items():
        ws.conditional_formatting.add(cells, FormulaRule(
            formula=[f'${rag}{first_row}="{word}"'], fill=fill, font=RAG_FONTS[word]))


# -- measures and summary ---------------------------------------------------------------------


def write_measures(book: Book, measures: dict[str, MetricDefinition]) -> None:
    """Every measure's definition: formula, unit, direction and red/green edges."""
    ws = book.sheet("Measures")
    top = book.title_block(ws, "Measures", [
        "Every figure in this workbook is computed from these definitions."])
    rows = []
    for m in measures.values():
        rows.append([m.code, m.name, m.formula, unit_label(m.unit, book.currency),
                     "higher" if m.higher_is_better else "lower",
                     "sum" if m.additive else "rate", "built in" if m.builtin else "the plan's",
                     m.red_below, m.green_from,
                     m.description])
    book.table(ws, top, "Measures", [
        Column("Code"), Column("Name"), Column("Formula"), Column("Unit"),
        Column("Better when"), Column("Adds up as"), Column("Defined"),
        Column("Red below", "number"), Column("Green from", "number"),
        Column("Description")], rows)
    book.freeze(ws, top + 1, 2)


def write_summary(book: Book, ws: Worksheet, plan: PlanFile, info: PlanInfo,
                  measures: dict[str, MetricDefinition],
                  performance_cells: dict[str, PerformanceCells], notes: list[str]) -> None:
    """The front sheet: the plan, headline figures and the contents."""
    from salesplanner.metrics import base_totals, measure_values
    from salesplanner.periods import Quarter

    quarter = Quarter.parse(info.quarter)
    book.one_page(ws)
    top = book.title_block(ws, info.name, [
        f"Sales plan for {info.quarter}, exported {datetime.now():%d %b %Y %H:%M} "
        f"by {author()}"])
    facts = [("Plan", info.name), ("Quarter", info.quarter),
             ("Quarter starts", quarter.start), ("Quarter ends", quarter.end),
             ("Status", info.status), ("Currency", info.currency),
             ("Data from", _day(info.first_sale)), ("Data to", _day(info.last_sale)),
             ("Teams", info.teams), ("Agents", info.agents), ("Products", info.products),
             ("Sale lines", info.counts.get("sale", 0)), ("Calls", info.counts.get("call", 0))]
    r = top
    book.heading(ws, r, "The plan")
    for i, (label, value) in enumerate(facts, start=r + 1):
        book.put(ws, i, 1, label).font = BOLD
        kind = "date" if hasattr(value, "year") else "count" if isinstance(value, int) else "text"
        book.put(ws, i, 2, value, kind).alignment = Alignment(horizontal="left")
    r = r + len(facts) + 3
    codes = [c for c in KEY_MEASURES if c in measures]
    codes += [c for c in performance_cells if c not in codes]
    if codes:
        book.heading(ws, r - 1, "Headline figures (quarter to date)")
        start = quarter.start
        totals = base_totals(plan, start, None)
        values = measure_values(measures, codes, totals)
        rows = []
        for i, code in enumerate(codes):
            m = measures[code]
            row_no = r + 1 + i
            actual: object = float(values[code][0]) if len(values[code]) else None
            target: object = None
            if code in performance_cells:
                cells = performance_cells[code]
                actual = Formula(f"='{cells.sheet}'!{cells.actual_cell}", cells.actual, m.unit)
                if cells.target is not None:
                    target = Formula(f"='{cells.sheet}'!{cells.target_cell}", cells.target,
                                     m.unit)
            rows.append([m.name, actual, target, Formula(
                f"={attainment_formula(f'B{row_no}', f'C{row_no}')}",
                _ratio(actual, target), "percent"), unit_label(m.unit, book.currency)])
        area = book.table(ws, r, "Headline", [
            Column("Measure"), Column("Actual", "number"), Column("Target to date", "number"),
            Column("Attainment", "percent"), Column("Unit")], rows)
        book.centre(ws, area.col("Unit"), area.first_row, area.last_row)
        for i, code in enumerate(codes):
            for col in (2, 3):
                ws.cell(area.first_row + i, col).number_format = \
                    book.formats.get(measures[code].unit, book.formats["number"])
        r = area.last_row + 3
    book.heading(ws, r - 1, "Contents")
    for i, title in enumerate(book.wb.sheetnames[1:], start=r):
        cell = book.put(ws, i, 1, title)
        cell.hyperlink = f"#'{title}'!A1"
        cell.style = "Hyperlink"
    if notes:
        r = r + len(book.wb.sheetnames) + 1
        book.heading(ws, r - 1, "Left out")
        for i, note in enumerate(notes, start=r):
            book.note(ws, i, 1, note)


def _day(text: str | None) -> date | None:
    return None if not text else date.fromisoformat(str(text)[:10])


def _ratio(actual: object, target: object) -> float | None:
    a = actual.expected if isinstance(actual, Formula) else actual
    t = target.expected if isinstance(target, Formula) else target
    if not isinstance(a, (int, float)) or not isinstance(t, (int, float)) or not t:
        return None
    return a / t
