"""Report definitions: stored in the plan, checked, run from the same figures as the
panels, exported to Excel with live totals, and driven from the command line."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from salesplanner.errors import UserError
from salesplanner.export.report_workbook import export_report
from salesplanner.metrics import add_metric, remove_metric
from salesplanner.analysis.performance import performance
from salesplanner.reports import (
    MAX_MEASURES, Report, get_report, list_reports, remove_report, run_report, save_report, undo,
)
from salesplanner.storage.plan_file import PlanFile
from salesplanner.analysis.trends import trend
from tests.helpers import libreoffice
from tests.unit.test_cli import _one_line_error, run
from tests.unit.test_export import publish

TEAM_REVIEW = Report("Weekly team review", ("revenue", "sales", "conversion_rate"), "team",
                     "qtd", "Team leaders", "weekly")

needs_libreoffice = pytest.mark.skipif(
    libreoffice.SOFFICE is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (CI installs it and never skips this)")


def test_save_list_change_remove_and_undo(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        saved = save_report(plan, replace(TEAM_REVIEW, name="  Weekly   team review "))
        assert saved.touches("reports") and saved.detail["old"] is None
        assert list_reports(plan) == [TEAM_REVIEW]
        assert get_report(plan, "WEEKLY TEAM REVIEW") == TEAM_REVIEW
        changed = save_report(plan, replace(TEAM_REVIEW, name="Team review", period="mtd"),
                              replacing="weekly team review")
        assert [r.name for r in list_reports(plan)] == ["Team review"]
        undo(plan, changed)
        assert list_reports(plan) == [TEAM_REVIEW]
        removed = remove_report(plan, "Weekly team review")
        assert list_reports(plan) == []
        undo(plan, removed)
        assert list_reports(plan) == [TEAM_REVIEW]
        undo(plan, saved)
        assert list_reports(plan) == []
        with plan.connect() as conn:
            actions = [r[0] for r in conn.execute(
                "SELECT action FROM audit_event WHERE entity = 'report' ORDER BY id")]
    assert actions == ["define_report", "define_report", "define_report", "remove_report",
                       "define_report", "remove_report"]


@pytest.mark.parametrize(("change", "message"), [
    ({"name": "   "}, "needs a name"),
    ({"name": "x" * 121}, "keep it to 120"),
    ({"measures": ()}, "at least one measure"),
    ({"measures": ("revenue", "nonsense")}, "no measure 'nonsense'"),
    ({"measures": tuple(["revenue", "sales", "calls_handled", "conversion_rate",
                         "average_order_value", "revenue_per_hour", "upsell_rate",
                         "crosssell_rate", "average_handle_time"])},
     f"keep it to {MAX_MEASURES}"),
    ({"grouping": "region"}, "grouping 'region'"),
    ({"period": "yesterday"}, "--period 'yesterday'"),
    ({"period": "2027-02-01:2027-01-01"}, "ends on 01 Jan 2027, before it starts on 01 Feb"),
    ({"period": "2027-02-01:soon"}, "FROM:TO"),
    ({"frequency": "hourly"}, "how often 'hourly'"),
    ({"audience": "y" * 201}, "keep it to 200"),
])
def test_bad_definitions_are_refused_and_change_nothing(demo_path: Path, change: dict,
                                                        message: str) -> None:
    with PlanFile.open(demo_path) as plan:
        save_report(plan, TEAM_REVIEW)
        with pytest.raises(UserError, match=message):
            save_report(plan, replace(TEAM_REVIEW, **change), replacing=TEAM_REVIEW.name)
        assert list_reports(plan) == [TEAM_REVIEW]


def test_names_are_unique_whatever_the_case(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        save_report(plan, TEAM_REVIEW)
        other = save_report(plan, replace(TEAM_REVIEW, name="Product mix",
                                          grouping="category")).detail["new"]
        with pytest.raises(UserError, match="already a report called 'Weekly team review'"):
            save_report(plan, replace(other, name="weekly TEAM review"),
                        replacing="Product mix")
        with pytest.raises(UserError, match="already a report"):
            save_report(plan, replace(TEAM_REVIEW, grouping="agent"))
        with pytest.raises(UserError, match="no report 'Missing' to change"):
            save_report(plan, TEAM_REVIEW, replacing="Missing")
        with pytest.raises(UserError, match="reports: Product mix, Weekly team review"):
            get_report(plan, "Monthly")
        assert len(list_reports(plan)) == 2


def test_team_report_has_the_performance_panels_figures(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        publish(plan, "revenue")
        result = run_report(plan, TEAM_REVIEW)
        revenue = performance(plan, "revenue", "qtd")
        conversion = performance(plan, "conversion_rate", "qtd")
    assert result.keys == [t.key for t in revenue.teams]
    rev, sales, conv = result.figures
    assert rev.actual == pytest.approx([t.actual for t in revenue.teams])
    assert rev.target == pytest.approx([t.target_to_date for t in revenue.teams])
    assert rev.rag == [t.rag for t in revenue.teams]
    assert [rev.attainment(i) for i in range(len(result.keys))] == pytest.approx(
        [t.attainment for t in revenue.teams])
    # A sum's total is its rows added up; a rate's total is the centre's own rate.
    assert rev.total_actual == pytest.approx(sum(t.actual for t in revenue.teams))
    assert rev.total_target == pytest.approx(sum(t.target_to_date for t in revenue.teams))
    assert conv.total_actual == pytest.approx(conversion.centre.actual)
    assert conv.total_actual != pytest.approx(np.mean(conv.actual))
    assert sales.target is None and conv.target is None  # no targets for them
    assert result.scenario == {"revenue": revenue.scenario}
    assert any("no chosen targets" in n and "Sales, Conversion rate" in n for n in result.notes)
    header = [h for h, *_rest in result.columns()]
    assert header == ["Revenue", "Revenue target to date", "Revenue attainment", "Revenue RAG",
                      "Sales", "Conversion rate"]


def test_agents_are_a_league_table_by_the_first_measure(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        publish(plan, "sales")
        result = run_report(plan, replace(TEAM_REVIEW, grouping="agent",
                                          measures=("sales", "revenue")))
    sales = result.figures[0]
    attainments = [sales.attainment(i) for i in range(len(result.keys))]
    known = [a for a in attainments if a is not None]
    assert known == sorted(known, reverse=True) and len(known) > 10
    assert len(result.names) == len(result.teams) == len(result.keys)


def test_category_and_week_reports_come_from_the_trends(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        by_category = run_report(plan, replace(TEAM_REVIEW, grouping="category",
                                               period="2026-10-01:2026-12-31",
                                               measures=("revenue", "sales",
                                                         "average_order_value")))
        mix = trend(plan, "revenue", "quarter", "category", by_category.start, by_category.end)
        centre = trend(plan, "average_order_value", "quarter", None, by_category.start,
                       by_category.end)
        by_week = run_report(plan, replace(TEAM_REVIEW, grouping="week"))
        weekly = trend(plan, "sales", "week", None, by_week.start, by_week.end)
    assert by_category.keys == mix.labels
    assert by_category.figures[0].actual == pytest.approx(list(mix.totals))
    assert by_category.figures[2].total_actual == pytest.approx(centre.totals[0])
    assert any("calls have no category" in n for n in by_category.notes)
    assert by_week.keys == weekly.periods
    assert by_week.figures[1].actual == pytest.approx(list(weekly.values[0]))
    assert by_week.figures[1].total_actual == pytest.approx(weekly.values[0].sum())
    assert by_week.label(0).startswith("w/c ")


def test_a_removed_measure_is_left_out_with_a_note(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        add_metric(plan, "revenue_per_call", "revenue / calls")
        save_report(plan, replace(TEAM_REVIEW, measures=("revenue_per_call", "sales")))
        remove_metric(plan, "revenue_per_call")
        result = run_report(plan, TEAM_REVIEW.name)
        assert [f.measure.code for f in result.figures] == ["sales"]
        assert any("'revenue_per_call' is no longer defined" in n for n in result.notes)
        add_metric(plan, "revenue_per_call", "revenue / calls")
        save_report(plan, replace(TEAM_REVIEW, name="Only", measures=("revenue_per_call",)))
        remove_metric(plan, "revenue_per_call")
        with pytest.raises(UserError, match="none of its measures"):
            run_report(plan, "Only")


def test_calls_split_by_campaign_have_no_values_and_no_total(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        result = run_report(plan, replace(TEAM_REVIEW, grouping="campaign",
                                          measures=("calls_handled", "conversion_rate",
                                                    "revenue")))
    calls, conversion, revenue = result.figures
    assert all(v is None for v in calls.actual) and calls.total_actual is None
    assert all(v is None for v in conversion.actual) and conversion.total_actual is None
    assert revenue.total_actual == pytest.approx(sum(revenue.actual))
    assert not any("Calls handled: an order" in n for n in result.notes)
    assert any("calls have no campaign" in n for n in result.notes)
    assert any("targets are shown when grouped by team or agent" in n for n in result.notes)


def test_a_period_without_data_is_refused(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        with pytest.raises(UserError, match="data starts on .* after the period ends"):
            run_report(plan, replace(TEAM_REVIEW, period="2019-01-01:2019-03-31"))
        with pytest.raises(UserError, match="data ends on .* before the period starts"):
            run_report(plan, replace(TEAM_REVIEW, period="2030-01-01:2030-03-31"))


def test_a_plan_without_data_is_refused(empty_plan: PlanFile) -> None:
    save_report(empty_plan, TEAM_REVIEW)
    with pytest.raises(UserError, match="no sales or calls"):
        run_report(empty_plan, TEAM_REVIEW.name)


@needs_libreoffice
def test_report_workbook_recalculates_to_the_reports_figures(demo_path: Path,
                                                             tmp_path: Path) -> None:
    hostile = replace(TEAM_REVIEW, name="=HYPERLINK(\"http://x\",\"Team\")",
                      audience="+cmd|' /C calc'!A0", measures=("revenue", "sales",
                                                               "conversion_rate"))
    with PlanFile.open(demo_path) as plan:
        publish(plan, "revenue")
        publish(plan, "sales")
        save_report(plan, hostile)
        team = export_report(plan, hostile.name, tmp_path / "team.xlsx")
        product = export_report(plan, replace(hostile, grouping="product"),
                                tmp_path / "product.xlsx")
        week = export_report(plan, replace(hostile, grouping="week"), tmp_path / "week.xlsx")
    wb = openpyxl.load_workbook(team.path)
    ws = wb.worksheets[0]
    assert wb.sheetnames[1] == "Measures"
    assert ws["A1"].value == hostile.name and ws["A1"].data_type == "s"
    assert ws["A2"].value.startswith("For +cmd") and ws["A2"].data_type == "s"
    table = next(iter(ws.tables.values()))
    header_row = int(table.ref.split(":")[0][1:])
    headers = [c.value for c in ws[header_row]][:9]
    assert headers == ["Team", "Revenue", "Revenue target to date", "Revenue attainment",
                       "Revenue RAG", "Sales", "Sales target to date", "Sales attainment",
                       "Sales RAG"]
    total_row = int(table.ref.split(":")[1][1:]) + 1
    assert ws.cell(total_row, 2).value.startswith("=SUM(")
    assert ws.cell(header_row + 1, 4).value.startswith("=IF(N(")
    assert ws.cell(header_row + 1, 2).number_format.startswith('"£"')
    assert ws.cell(header_row + 1, 4).number_format == "0.0%"
    assert len(ws.conditional_formatting) == 2 and len(ws._charts) == 1
    assert ws.freeze_panes == f"B{header_row + 1}"
    assert wb.properties.title == hostile.name
    assert wb.worksheets[0].title == "=HYPERLINK(\"http x\",\"Team\")"  # : and / dropped
    week_ws = openpyxl.load_workbook(week.path).worksheets[0]
    assert week_ws.cell(header_row + 1, 1).number_format == "d mmm yyyy"
    for result in (team, product, week):
        assert result.expected, result.path
        values = libreoffice.recalculated_values(result.path, tmp_path / result.path.stem)
        assert libreoffice.mismatches(result.expected, values) == [], result.path
        assert values[(result.sheets[0], "A1")] == hostile.name  # never run as a formula


def test_command_line_defines_shows_exports_and_removes(demo_path: Path,
                                                         tmp_path: Path) -> None:
    saved = run("reports", demo_path, "--save", "Monthly mix", "--measure", "revenue",
                "--measure", "sales", "--grouping", "category", "--period", "last_month",
                "--audience", "Head of sales", "--frequency", "monthly")
    assert saved.returncode == 0, saved.stderr
    listed = json.loads(run("reports", demo_path, "--json").stdout)
    assert listed == [{"name": "Monthly mix", "measures": ["revenue", "sales"],
                       "grouping": "category", "period": "last_month",
                       "audience": "Head of sales", "frequency": "monthly"}]
    shown = run("reports", demo_path, "--show", "monthly mix")
    assert shown.returncode == 0, shown.stderr
    assert "Product category" in shown.stdout and "Total" in shown.stdout
    data = json.loads(run("reports", demo_path, "--show", "Monthly mix", "--json").stdout)
    with PlanFile.open(demo_path, read_only=True) as plan:
        expected = run_report(plan, "Monthly mix")
    assert [r["revenue"]["actual"] for r in data["rows"]] == pytest.approx(
        expected.figures[0].actual)
    changed = run("reports", demo_path, "--save", "Monthly mix", "--grouping", "channel",
                  "--rename", "Channels")
    assert changed.returncode == 0, changed.stderr
    out = tmp_path / "channels.xlsx"
    exported = run("export", demo_path, out, "--report", "channels", "--json")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["sheets"] == ["Channels", "Measures"]
    sheet = openpyxl.load_workbook(out)["Channels"]
    header_row = int(next(iter(sheet.tables.values())).ref.split(":")[0][1:])
    assert sheet.cell(header_row, 1).value == "Channel"
    assert "no report 'Weekly'" in _one_line_error(
        run("export", demo_path, tmp_path / "w.xlsx", "--report", "Weekly"))
    assert "leave out --period" in _one_line_error(
        run("export", demo_path, tmp_path / "w.xlsx", "--report", "Channels", "--period",
            "mtd"))
    assert "--grouping goes with --save" in _one_line_error(
        run("reports", demo_path, "--grouping", "team"))
    assert "no measure 'nonsense'" in _one_line_error(
        run("reports", demo_path, "--save", "X", "--measure", "nonsense"))
    assert not (tmp_path / "w.xlsx").exists()
    assert "no report 'Nope'" in _one_line_error(
        run("reports", demo_path, "--save", "Nope", "--rename", "X"))
    removed = run("reports", demo_path, "--remove", "CHANNELS")
    assert removed.returncode == 0 and "removed" in removed.stdout
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("SELECT count(*) FROM report_definition").fetchone() == (0,)
