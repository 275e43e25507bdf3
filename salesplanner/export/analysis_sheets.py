"""The analysis sheets of the plan workbook: trends, product mix, peaks, forecast.

Each draws a native Excel chart over its own table (openpyxl charts, which
Excel and LibreOffice both render), so the chart follows the cells if a
manager edits them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter as _col

from salesplanner.errors import UserError
from salesplanner.export.book import PAGE_ROWS, Book, Column, Formula, keep_together
from salesplanner.metrics import MetricDefinition
from salesplanner.storage.plan_file import PlanFile

TREND_MEASURES = ("revenue", "sales", "calls_handled", "conversion_rate", "average_order_value",
                  "upsell_rate", "callback_rate")
#: Chart size in centimetres (about 15 rows by 9 columns).
CHART_W, CHART_H = 24.0, 9.0
#: The rows a chart covers (0.53 cm each).
CHART_ROWS = 18


def steps(book: Book, plan: PlanFile, measures: dict[str, MetricDefinition],
          currency_code: str, quarter: str) -> list[tuple[str, Callable[[], None]]]:
    """The analysis sheets as (what, write) steps; ``quarter`` is the plan's."""
    return [("trends", lambda: write_trends(book, plan, measures)),
            ("product mix", lambda: write_mix(book, plan)),
            ("peaks and troughs", lambda: write_peaks(book, plan)),
            ("forecast", lambda: write_forecast(book, plan, measures, quarter))]


def _num(value: float) -> float | None:
    return None if value != value else float(value)


def write_trends(book: Book, plan: PlanFile, measures: dict[str, MetricDefinition]) -> None:
    """The key measures by month, with totals over the additive ones and two charts."""
    from salesplanner.analysis.trends import trend

    codes = [c for c in TREND_MEASURES if c in measures]
    series = {c: trend(plan, c, "month") for c in codes}
    periods = series[codes[0]].periods if codes else []
    if not periods:
        raise UserError("the plan has no sales or calls yet")
    ws = book.sheet("Trends")
    top = book.title_block(ws, "Trends by month", [
        "The whole centre, every month with data. Sums have a total; rates show the "
        "whole range's own figure under them."])
    columns = [Column("Month", "month"), *[Column(measures[c].name, measures[c].unit)
                                           for c in codes]]
    rows = [[p, *[_num(series[c].values[0][j]) for c in codes]]
            for j, p in enumerate(periods)]
    area = book.table(ws, top, "Trends", columns, rows)
    r = area.last_row + 1
    book.total_label(ws, r, 1, "Whole range")
    for c in codes:
        m = measures[c]
        col = area.col(m.name)
        if m.additive:
            book.formula(ws, r, col, f"=SUM({area.range(m.name)})",
                         float(np.nansum(series[c].values[0])), m.unit)
        else:
            book.put(ws, r, col, _num(series[c].totals[0]), m.unit)
    book.style_total_row(ws, r, 1, area.col(measures[codes[-1]].name))
    book.freeze(ws, top + 1, 2, repeat=r > PAGE_ROWS)
    dates = Reference(ws, min_col=1, min_row=area.first_row, max_row=area.last_row)
    anchor_row = r + 3
    page_top = 1
    money = [c for c in codes if measures[c].unit == "money"][:1]
    counts = [c for c in codes if measures[c].additive and measures[c].unit == "count"]
    rates = [c for c in codes if measures[c].unit == "percent"]
    for title, group, chart_type in (("Revenue by month", money, "bar"),
                                     ("Sales and calls by month", counts, "line"),
                                     ("Rates by month", rates, "line")):
        if not group:
            continue
        chart = BarChart() if chart_type == "bar" else LineChart()
        chart.title = title
        chart.height, chart.width = CHART_H, CHART_W
        for c in group:
            col = area.col(measures[c].name)
            chart.add_data(Reference(ws, min_col=col, min_row=area.header_row,
                                     max_row=area.last_row), titles_from_data=True)
        chart.set_categories(dates)
        chart.x_axis.number_format = "mmm yyyy"
        chart.y_axis.number_format = axis_format(book, measures[group[0]].unit)
        _straight(chart)
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.legend.position = "b"
        page_top = keep_together(ws, anchor_row, anchor_row + CHART_ROWS - 1, page_top)
        ws.add_chart(chart, f"A{anchor_row}")
        anchor_row += CHART_ROWS + 1


def write_mix(book: Book, plan: PlanFile) -> None:
    """Revenue by product category and month, the total a formula, as stacked shares."""
    from salesplanner.analysis.trends import trend

    mix = trend(plan, "revenue", "month", split="category")
    if not mix.periods:
        raise UserError("the plan has no sales yet")
    ws = book.sheet("Product mix")
    top = book.title_block(ws, "Product mix: revenue by category and month", [
        "Each category's revenue; the chart shows each month's shares."])
    labels = list(mix.labels)
    values = np.nan_to_num(mix.values)
    overall = mix.overall if mix.overall is not None else values.sum(axis=0)
    rest = np.nan_to_num(overall) - values.sum(axis=0)
    if (np.abs(rest) > 0.005).any():
        labels.append("Other")
        values = np.vstack([values, rest])
    first_col, last_col = 2, 1 + len(labels)
    rows = []
    for j, p in enumerate(mix.periods):
        r = top + 1 + j
        rows.append([p, *[float(v) for v in values[:, j]], Formula(
            f"=SUM({_col(first_col)}{r}:{_col(last_col)}{r})", float(values[:, j].sum()),
            "money")])
    area = book.table(ws, top, "Mix", [Column("Month", "month"),
                                       *[Column(label, "money") for label in labels],
                                       Column("Total", "money")], rows)
    r = area.last_row + 1
    book.total_label(ws, r, 1)
    for i, label in enumerate([*labels, "Total"]):
        expected = float(values[i].sum()) if i < len(labels) else float(values.sum())
        book.formula(ws, r, area.col(label), f"=SUM({area.range(label)})", expected, "money")
    book.style_total_row(ws, r, 1, area.col("Total"))
    book.freeze(ws, top + 1, 2, repeat=r > PAGE_ROWS)
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "percentStacked", 100
    chart.title = "Share of revenue by category"
    chart.height, chart.width = CHART_H, CHART_W
    chart.add_data(Reference(ws, min_col=first_col, max_col=last_col, min_row=area.header_row,
                             max_row=area.last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=area.first_row,
                                   max_row=area.last_row))
    chart.x_axis.number_format = "mmm yyyy"
    chart.y_axis.number_format = "0%"
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend.position = "r"
    keep_together(ws, r + 3, r + 2 + CHART_ROWS, 1)
    ws.add_chart(chart, f"A{r + 3}")


def write_peaks(book: Book, plan: PlanFile) -> None:
    """Weekday x hour heat maps: inbound calls, conversion and agents needed."""
    from salesplanner.analysis.peaks import WEEKDAYS, peaks

    result = peaks(plan, "inbound")
    hours = result.open_hours()
    if not hours:
        raise UserError("the plan has no inbound calls yet")
    ws = book.sheet("Peaks")
    peak = f"{WEEKDAYS[result.peak[0]]} {result.peak[1]:02d}:00" if result.peak else "none"
    trough = f"{WEEKDAYS[result.trough[0]]} {result.trough[1]:02d}:00" if result.trough \
        else "none"
    top = book.title_block(ws, "Peaks and troughs: inbound calls by weekday and hour", [
        f"Average calls per hour from {result.source}; the peak is {peak}, the trough "
        f"{trough}. Agents needed: Erlang C for {result.target:.0%} answered within "
        f"{result.within:.0f} s.", *([result.staffing_note] if result.staffing_note else [])])
    page_top = 1
    for title, grid, kind, colours in (
            ("Calls per hour", result.volume, "number1", ("FFFFFF", "FFD966", "F8696B")),
            ("Conversion (sales per call)", result.conversion, "percent",
             ("F8696B", "FFEB84", "63BE7B")),
            ("Agents needed", result.agents, "count", ("FFFFFF", "BDD7EE", "5B9BD5"))):
        page_top = keep_together(ws, top, top + 9, page_top)
        book.heading(ws, top, title)
        columns = [Column("Weekday"), *[Column(f"{h:02d}:00", kind) for h in hours]]
        shown = result.shown(grid)  # blank, not 0, on weekdays without data
        rows = [[WEEKDAYS[d], *[_num(shown[d, h]) for h in hours]] for d in range(7)]
        area = book.table(ws, top + 1, title, columns, rows, style="TableStyleLight1")
        cells = f"B{area.first_row}:{_col(1 + len(hours))}{area.last_row}"
        ws.conditional_formatting.add(cells, ColorScaleRule(
            start_type="min", start_color=colours[0], mid_type="percentile", mid_value=50,
            mid_color=colours[1], end_type="max", end_color=colours[2]))
        top = area.last_row + 3
    if result.outbound_windows:
        windows = ", ".join(f"{WEEKDAYS[d]} {h:02d}:00" for d, h in result.outbound_windows)
        book.note(ws, top - 1, 1, f"Troughs to use for outbound calling: {windows}")


def forecast_measure(plan: PlanFile, measures: dict[str, MetricDefinition],
                     quarter: str) -> str:
    """The measure the workbook forecasts: the one ``quarter``'s targets are in
    (when it adds up over weeks), else revenue."""
    from salesplanner.targets.scenarios import measure_in_force

    code = measure_in_force(plan, quarter)
    return code if code in measures and measures[code].additive else "revenue"


def write_forecast(book: Book, plan: PlanFile, measures: dict[str, MetricDefinition],
                   quarter: str) -> None:
    """The targets' measure by week: actuals, the forecast and its 80% interval,
    where the quarter is heading against its target, and the back-test."""
    from salesplanner.analysis.forecast import forecast, quarter_outlook
    from salesplanner.metrics import format_value

    code = forecast_measure(plan, measures, quarter)
    measure = measures[code]
    unit = measure.unit
    result = forecast(plan, code, "week")
    outlook = quarter_outlook(plan, result)
    ws = book.sheet("Forecast")
    lines = [f"Method: {result.method}, chosen by back-testing on {result.backtest_text()}; "
             "low and high bound the 80% prediction interval (10% and 90%)."]
    if outlook is not None:
        lines.append(outlook.sentence(lambda v: format_value(v, unit, book.currency)))
    top = book.title_block(ws, f"Forecast: {measure.name.lower()} by week", lines)
    columns = [Column("Week", "date"), Column("Actual", unit), Column("Forecast", unit),
               Column("Low (10%)", unit), Column("High (90%)", unit)]
    rows = [[p, _num(v), None, None, None]
            for p, v in zip(result.history_periods, result.history)]
    rows += [[p, None, _num(v), _num(lo), _num(hi)]
             for p, v, lo, hi in zip(result.periods, result.values, result.low, result.high)]
    area = book.table(ws, top, "Forecast", columns, rows)
    r = area.last_row + 1
    book.total_label(ws, r, 1, f"Forecast, all {len(result.periods)} weeks")
    book.formula(ws, r, 3, f"=SUM({area.range('Forecast')})",
                 float(np.nansum(result.values)), unit)
    book.style_total_row(ws, r, 1, 5)
    book.freeze(ws, top + 1, 2)
    chart = LineChart()
    chart.title = f"{measure.name} by week: actual and forecast"
    chart.height, chart.width = CHART_H, CHART_W
    chart.add_data(Reference(ws, min_col=2, max_col=5, min_row=area.header_row,
                             max_row=area.last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=area.first_row,
                                   max_row=area.last_row))
    chart.x_axis.number_format = "d mmm"
    chart.y_axis.number_format = axis_format(book, unit)
    chart.x_axis.delete = chart.y_axis.delete = False
    for series, colour, dash in zip(chart.series, ("1F4E78", "C55A11", "A6A6A6", "A6A6A6"),
                                    ("solid", "dash", "sysDot", "sysDot")):
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.dashStyle = dash
    _straight(chart)
    chart.legend.position = "b"
    ws.add_chart(chart, f"G{top}")
    # Beside the table, under the chart: under the table it would print beneath
    # the forecast's repeated header.
    back = top + CHART_ROWS + 2
    book.heading(ws, back - 1, "Back-test on held-out weeks", col=7)
    book.table(ws, back, "Backtest", [Column("Method"), Column("MASE", "ratio"),
                                      Column("MAPE", "percent"), Column("Chosen")],
               [[name, _num(a), _num(b),
                 "yes" if name == result.method else ""]
                for name, (a, b) in result.backtest.items()], left=7)
    book.centre(ws, 10, back + 1, back + len(result.backtest))



def axis_format(book: Book, unit: str) -> str:
    """A chart axis's number format: the unit's, without decimals."""
    if unit in ("money", "money/hour"):
        return book.formats["money"].split(";")[0].split(".")[0]
    if unit == "percent":
        return "0%"
    return "#,##0"


def _straight(chart: object) -> None:
    """Lines drawn point to point (a smoothed line invents values between months)."""
    if isinstance(chart, LineChart):
        for series in chart.series:
            series.smooth = False
