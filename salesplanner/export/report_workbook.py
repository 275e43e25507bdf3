"""A report as an Excel workbook: ``salesplanner export PLAN OUT.xlsx --report NAME``.

The workbook has the report's sheet (who it is for and how often, the
period, the table with a total row, red/amber/green as conditional formats,
and a native chart of the first measure) and the definitions of its
measures. The figures are those of :func:`salesplanner.reports.run_report`,
the same the Reports panel previews; totals of measures that add up, and
every attainment, are live formulas.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.pagebreak import Break
from openpyxl.utils import get_column_letter

from salesplanner.export.book import Book, Column, Formula, check_destination
from salesplanner.export.plan_workbook import ExportResult, author, rag_colours, write_measures
from salesplanner.inputs import PERIOD_NAMES
from salesplanner.jobs import JobToken, ScaledToken, SilentToken, check_cancel
from salesplanner.analysis.performance import attainment_formula, rag_formula
from salesplanner.reports import (
    FREQUENCIES, GROUPINGS, PEOPLE, TIMES, Report, ReportResult, get_report, run_report,
)
from salesplanner.storage.plan_file import PlanFile
from salesplanner.summary import plan_info

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from salesplanner.export.book import TableArea
    from salesplanner.reports import MeasureFigures

#: A chart of more bars (or points of a line) than this would be unreadable: the
#: table says it all.
CHART_BARS, CHART_POINTS = 20, 120
#: The chart's height in centimetres and in sheet rows (0.53 cm each), and the
#: rows an A4 landscape page prints.
CHART_HEIGHT, CHART_LINES, PAGE_LINES = 6.5, 14, 30


def export_report(plan: PlanFile, report: Report | str, out: str | Path,
                  token: JobToken | None = None) -> ExportResult:
    """Work out ``report`` (a definition, or a stored report's name) and write
    it to ``out`` (atomically)."""
    started = time.perf_counter()
    check_destination(out)
    token = token or SilentToken()
    if isinstance(report, str):
        report = get_report(plan, report)
    result = run_report(plan, report, ScaledToken(token, 0.0, 0.7))
    check_cancel(token)
    info = plan_info(plan)
    book = Book(title=result.report.name, plan_name=info.name, currency_code=info.currency,
                author=author(), subject=result.report.describe())
    token.progress(0.75, "writing the report")
    write_report(book, result, info.name)
    write_measures(book, {f.measure.code: f.measure for f in result.figures})
    path = book.save(out, token)
    token.progress(1.0, "done")
    return ExportResult(path, list(book.wb.sheetnames), dict(book.expected),
                        time.perf_counter() - started, list(result.notes))


def write_report(book: Book, result: ReportResult, plan_name: str) -> None:
    """The report's sheet: heading, table with totals and colours, chart, notes."""
    report = result.report
    ws = book.sheet(report.name)
    # Narrower top and bottom margins: a team report and its chart fit one page.
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    period = PERIOD_NAMES.get(report.period, "Dates")
    lines = [f"For {report.audience or 'anyone'}; sent "
             f"{FREQUENCIES[report.frequency].lower()}.",
             f"{period}: {result.start:%d %b %Y} to {result.end:%d %b %Y}, by "
             f"{GROUPINGS[report.grouping].lower()}.",
             f"From {plan_name}, {datetime.now():%d %b %Y %H:%M} by {author()}."]
    if report.grouping in PEOPLE:
        names = {f.measure.code: f.measure.name for f in result.figures}
        lines.append("Targets: " + ("; ".join(f"{names[code]}: {scenario}" for code, scenario
                                              in result.scenario.items())
                                    if result.scenario else "none chosen, actuals only."))
    top = book.title_block(ws, report.name, lines)

    group_kind = {"day": "date", "week": "week", "month": "month"}.get(report.grouping, "text")
    columns = [Column(result.group_header, group_kind)]
    if result.names:
        columns += [Column("Name"), Column("Team")]
    figure_columns = result.columns()
    columns += [Column(header, unit) for header, _part, _f, unit in figure_columns]
    first_figure = len(columns) - len(figure_columns) + 1
    letters = {(id(f), part): get_column_letter(first_figure + k)
               for k, (_h, part, f, _u) in enumerate(figure_columns)}

    def cell(i: int, part: str, f: MeasureFigures, r: int) -> object:
        if part == "attainment":
            actual, target = letters[(id(f), "actual")], letters[(id(f), "target")]
            return Formula(f"={attainment_formula(f'{actual}{r}', f'{target}{r}')}",
                           f.attainment(i), "percent")
        if part == "rag":
            return _rag_cell(f, letters, r, (f.rag[i] or "").capitalize() or None)
        return f.value(part, i)

    rows = []
    for i, key in enumerate(result.keys):
        r = top + 1 + i
        row: list[object] = [key]
        if result.names:
            row += [result.names[i], result.teams[i]]
        row += [cell(i, part, f, r) for _h, part, f, _u in figure_columns]
        rows.append(row)
    area = book.table(ws, top, report.name, columns, rows, two_line_headers=True)
    total_row = area.last_row + 1
    book.total_label(ws, total_row, 1, result.total_label)
    for k, (header, part, f, unit) in enumerate(figure_columns):
        col = first_figure + k
        if part in ("actual", "target"):
            expected = f.total_actual if part == "actual" else f.total_target
            if f.measure.additive and expected is not None:
                book.formula(ws, total_row, col, f"=SUM({area.range(header)})", expected, unit)
            else:
                book.put(ws, total_row, col, expected, unit)
        elif part == "attainment":
            actual, target = letters[(id(f), "actual")], letters[(id(f), "target")]
            book.formula(ws, total_row, col, "=" + attainment_formula(
                f"{actual}{total_row}", f"{target}{total_row}"), f.total_attainment, "percent")
        else:
            rag = _rag_cell(f, letters, total_row, (f.total_rag or "").capitalize() or None)
            if isinstance(rag, Formula):
                book.formula(ws, total_row, col, rag.text, rag.expected, "text")
            else:
                book.put(ws, total_row, col, rag)
    book.style_total_row(ws, total_row, 1, len(columns))
    for k, (_header, part, _f, _unit) in enumerate(figure_columns):
        if part == "rag":
            book.centre(ws, first_figure + k, area.first_row, total_row)
    for f in result.figures:
        rag_letter = letters.get((id(f), "rag"))
        if rag_letter:
            rag_colours(ws, letters[(id(f), "actual")], rag_letter, area.first_row, total_row)
    book.freeze(ws, top + 1, 2 + 2 * bool(result.names))

    below = total_row + 2
    if result.keys and len(result.keys) <= (
            CHART_POINTS if report.grouping in TIMES else CHART_BARS):
        if below + CHART_LINES > PAGE_LINES:  # a chart cut in two by a page is unreadable
            ws.row_breaks.append(Break(id=below))
        if _chart(book, ws, result, area, letters, below):
            below += CHART_LINES + 1
    if result.notes:
        book.heading(ws, below, "Notes")
        for i, note in enumerate(result.notes, start=below + 1):
            book.note(ws, i, 1, note[:1].upper() + note[1:])


def _chart(book: Book, ws: Worksheet, result: ReportResult, area: TableArea, letters: dict, row: int) -> bool:
    """The first measure (and its target) by row: columns, or a line over time
    (False when the measure has no values to draw)."""
    from salesplanner.export.analysis_sheets import CHART_W, _straight, axis_format

    f = result.figures[0]
    if all(v is None for v in f.actual):
        return False
    over_time = result.report.grouping in TIMES
    chart = LineChart() if over_time else BarChart()
    if isinstance(chart, BarChart):
        chart.type = "col"
    measure = f.measure.name
    chart.title = f"{measure} by {GROUPINGS[result.report.grouping].lower()}"
    chart.height, chart.width = CHART_HEIGHT, CHART_W
    for part in ("actual", "target"):
        letter = letters.get((id(f), part))
        if letter is None:
            continue
        col = area.col(measure if part == "actual" else f"{measure} target to date")
        chart.add_data(Reference(ws, min_col=col, min_row=area.header_row,
                                 max_row=area.last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=area.first_row, max_row=area.last_row))
    if over_time:
        chart.x_axis.number_format = book.formats[
            {"day": "date", "week": "week", "month": "month"}[result.report.grouping]]
    chart.y_axis.number_format = axis_format(book, f.measure.unit)
    if all(v is None or v >= 0 for v in f.actual):
        chart.y_axis.scaling.min = 0
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend.position = "b"
    _straight(chart)
    ws.add_chart(chart, f"A{row + 1}")
    return True


def _rag_cell(f: MeasureFigures, letters: dict, r: int, expected: str | None) -> object:
    """A figure's RAG in row ``r``: a formula over its actual and attainment (or
    target) cells, so it follows edits; the word itself when neither is shown."""
    actual = f"{letters[(id(f), 'actual')]}{r}" if (id(f), "actual") in letters else None
    if (id(f), "attainment") in letters:
        attainment = f"{letters[(id(f), 'attainment')]}{r}"
    elif (id(f), "target") in letters and actual:
        target = f"{letters[(id(f), 'target')]}{r}"
        attainment = attainment_formula(actual, target)
    else:
        attainment = None
    thresholds = not f.measure.additive and (f.measure.red_below is not None
                                             or f.measure.green_from is not None)
    if actual is None or (attainment is None and not thresholds):
        return expected
    return Formula(rag_formula(f.measure, actual, attainment or '""'), expected, "text")
