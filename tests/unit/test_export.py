"""The plan workbook: sheets, workmanship, equal figures in LibreOffice, no injected formulas."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from salesplanner.errors import UserError
from salesplanner.export.plan_workbook import ExportOptions, export_plan
from salesplanner.jobs import JobCancelled
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets import scenarios
from salesplanner.targets.proposal import TargetSettings, propose
from tests.helpers import libreoffice
from tests.unit.test_cli import run

#: Text an attacker might put in a CRM field, as OWASP lists the triggers.
HOSTILE = {"agent": "=HYPERLINK(\"http://evil.example\",\"click\")", "team": "+44 Sales",
           "category": "@SUM(1+1)", "product": "-2+3", "tab": "\tlead", "cr": "\rlead"}

needs_libreoffice = pytest.mark.skipif(
    libreoffice.SOFFICE is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (CI installs it and never skips this)")


def publish(plan: PlanFile, measure: str, growth: float = 0.1) -> int:
    """Propose, save and publish targets for ``measure``; returns the scenario id."""
    saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
        measure=measure, growth=growth, guardrails=(-0.5, 1.0))))
    scenario_id = saved.detail["scenario_id"]
    scenarios.set_status(plan, scenario_id, "published")
    return scenario_id


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, demo_template: Path):
    """The demo plan with published sales and revenue targets and hostile names, exported."""
    folder = tmp_path_factory.mktemp("export")
    plan_path = folder / "demo.salesplan"
    shutil.copyfile(demo_template, plan_path)
    with sqlite3.connect(plan_path) as conn:
        conn.execute("UPDATE agent SET name = ? WHERE code = 'AG1'", (HOSTILE["agent"],))
        conn.execute("UPDATE team SET name = ? WHERE id = (SELECT min(id) FROM team)",
                     (HOSTILE["team"],))
        conn.execute("UPDATE product SET category = ? WHERE id = (SELECT min(id) FROM product)",
                     (HOSTILE["category"],))
        conn.execute("UPDATE agent SET name = ? WHERE code = 'AG2'", (HOSTILE["tab"],))
        conn.execute("UPDATE agent SET name = ? WHERE code = 'AG3'", (HOSTILE["cr"],))
    with PlanFile.open(plan_path) as plan:
        publish(plan, "sales")
        publish(plan, "revenue")
        result = export_plan(plan, folder / "plan.xlsx", ExportOptions(
            measures=["sales", "revenue", "conversion_rate"]))
    return folder, result


def test_plan_workbook_has_every_part(exported) -> None:
    _folder, result = exported
    book = openpyxl.load_workbook(result.path)
    assert book.sheetnames == [
        "Summary", "Targets Sales", "Weekly Sales", "Targets Revenue", "Weekly Revenue",
        "Performance Sales", "Agents Sales", "Performance Revenue", "Agents Revenue",
        "Performance Conversion rate", "Agents Conversion rate", "Trends",
        "Product mix", "Peaks", "Forecast", "Measures"]
    assert book.properties.title.endswith("sales plan 2027-Q1")
    assert book.properties.creator and book.properties.created
    for name in ("Trends", "Product mix", "Forecast"):
        assert book[name]._charts, f"{name} has no chart"
    # The forecast is of the measure the quarter's targets are in (revenue was
    # published last), says where the quarter is heading, and names its bounds as
    # the window does.
    texts = [c.value for row in book["Forecast"].iter_rows(max_col=5) for c in row
             if isinstance(c.value, str)]
    assert "Forecast: revenue by week" in texts
    assert any("2027-Q1 is heading for" in t and "against a target of" in t for t in texts)
    assert {"Low (10%)", "High (90%)"} <= set(texts)
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert "&A" in ws.oddHeader.right.text and "&P" in ws.oddFooter.right.text
        assert ws.tables, f"{ws.title} has no Excel table"
        for table in ws.tables.values():
            assert table.autoFilter is not None or table.tableStyleInfo is not None
    targets = book["Targets Sales"]
    assert targets["A2"].value == "Scenario" and targets["B3"].value == "sales"
    assert targets.freeze_panes == "D7"
    assert [c.value for c in targets[6]][:7] == [
        "Agent", "Name", "Team", "Jan 2027", "Feb 2027", "Mar 2027", "Quarter target"]
    assert targets["G7"].value.startswith("=SUM(D7:F7)")
    assert targets.column_dimensions["B"].width > 12


def test_number_formats_dates_and_conditional_formats(exported) -> None:
    _folder, result = exported
    book = openpyxl.load_workbook(result.path)
    perf = book["Performance Revenue"]
    header = next(r for r in range(1, 20) if perf.cell(r, 1).value == "Team")
    first = perf.cell(header + 1, 2)
    assert "£" in first.number_format and isinstance(first.value, float)
    assert perf.cell(header + 1, 4).number_format == "0.0%"
    assert perf.conditional_formatting, "no red/amber/green formats"
    rules = [rule.formula[0] for cf in perf.conditional_formatting for rule in cf.rules]
    assert any('="Red"' in f for f in rules) and any('="Green"' in f for f in rules)
    trends = book["Trends"]
    assert trends["A5"].is_date and trends["A5"].number_format == "mmm yyyy"
    peaks = book["Peaks"]
    assert any(rule.type == "colorScale" for cf in peaks.conditional_formatting
               for rule in cf.rules)
    summary = book["Summary"]
    assert summary["A7"].value == "Quarter starts" and summary["B7"].is_date


def test_imported_text_never_becomes_a_formula(exported) -> None:
    _folder, result = exported
    book = openpyxl.load_workbook(result.path)
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found.setdefault(cell.value, []).append(cell)
    # A carriage return is kept as a line break (XML reads CR back as LF).
    for text in (*(HOSTILE[k] for k in ("agent", "team", "category", "tab")), "\nlead"):
        cells = found.get(text)
        assert cells, f"{text!r} not exported"
        for cell in cells:
            assert cell.data_type == "s", (cell.parent.title, cell.coordinate)
            assert cell.quotePrefix, (cell.parent.title, cell.coordinate)
    formulas = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas and not any("HYPERLINK" in f or "evil" in f for f in formulas)


@needs_libreoffice
def test_libreoffice_recalculates_every_formula_to_the_programs_figure(exported) -> None:
    folder, result = exported
    assert len(result.expected) > 300
    values = libreoffice.recalculated_values(result.path, folder / "recalc")
    assert libreoffice.mismatches(result.expected, values) == []
    # The hostile texts came back as the same text, not evaluated.
    assert HOSTILE["agent"] in values.values() and HOSTILE["category"] in values.values()
    # The check can fail: change one month's target and its quarter total no longer agrees.
    book = openpyxl.load_workbook(result.path)
    book["Targets Sales"]["D7"] = book["Targets Sales"]["D7"].value + 5
    tampered = folder / "tampered.xlsx"
    book.save(tampered)
    wrong = libreoffice.mismatches(result.expected, libreoffice.recalculated_values(
        tampered, folder / "recalc"))
    assert any("'Targets Sales', 'G7'" in w for w in wrong)


def test_a_cancelled_or_failed_export_leaves_no_file(demo_path: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    class CancelAt:
        def __init__(self, after: int) -> None:
            self.calls, self.after = 0, after

        def progress(self, fraction: float, text: str = "") -> None:
            pass

        def cancelled(self) -> bool:
            self.calls += 1
            return self.calls > self.after

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "plan.xlsx"
    out.write_bytes(b"an older export")
    with PlanFile.open(demo_path, read_only=True) as plan:
        for after in (0, 3, 7):
            with pytest.raises(JobCancelled):
                export_plan(plan, out, token=CancelAt(after))
            assert out.read_bytes() == b"an older export"
        from salesplanner.export import book as book_module

        def broken_save(self, path) -> None:
            Path(path).write_bytes(b"half a workbook")
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(book_module.Workbook, "save", broken_save)
        with pytest.raises(OSError):
            export_plan(plan, out)
    assert out.read_bytes() == b"an older export"
    assert [p.name for p in folder.iterdir()] == ["plan.xlsx"]  # no temporary file left


def test_bad_destinations_are_refused_before_any_work(demo_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with PlanFile.open(demo_path, read_only=True) as plan:
        with pytest.raises(UserError, match="ends in .xlsx"):
            export_plan(plan, folder / "plan.csv")
        with pytest.raises(UserError, match="does not exist"):
            export_plan(plan, folder / "nowhere" / "plan.xlsx")
        with pytest.raises(UserError, match="no measure 'nope'"):
            export_plan(plan, folder / "plan.xlsx", ExportOptions(measures=["nope"]))
    assert list(folder.iterdir()) == []


def test_export_command(demo_path: Path, tmp_path: Path) -> None:
    out = run("export", demo_path, tmp_path / "plan.xlsx", "--no-analysis", "--json")
    assert out.returncode == 0, out.stderr
    assert '"Summary"' in out.stdout and '"Performance Revenue"' in out.stdout
    assert "Trends" not in openpyxl.load_workbook(tmp_path / "plan.xlsx").sheetnames
    bad = run("export", demo_path, tmp_path / "plan.txt")
    assert bad.returncode != 0 and "ends in .xlsx" in bad.stderr


def test_raw_data_sheets_stream_every_row_as_typed_cells(demo_path: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from salesplanner.export import data_sheet

    with sqlite3.connect(demo_path) as conn:
        # A few thousand rows are enough to split each table across sheets;
        # the whole demo made this the suite's slowest test (47 s).
        conn.execute("DELETE FROM sale WHERE id > (SELECT min(id) + 2499 FROM sale)")
        conn.execute("DELETE FROM call WHERE id > (SELECT min(id) + 1999 FROM call)")
        conn.execute("UPDATE sale SET campaign = ? WHERE id = (SELECT min(id) FROM sale)",
                     ("=cmd|' /C calc'!A0",))
        conn.execute("UPDATE sale SET notes = 'x' WHERE id = 2")
        sales, revenue = conn.execute(
            "SELECT count(*), sum(revenue_minor) FROM sale").fetchone()
        calls = conn.execute("SELECT count(*) FROM call").fetchone()[0]
    assert sales == 2500 and calls == 2000
    monkeypatch.setattr(data_sheet, "EXCEL_MAX_ROWS", 1001)  # 1,000 rows a sheet
    with PlanFile.open(demo_path, read_only=True) as plan:
        result = export_plan(plan, tmp_path / "data.xlsx", ExportOptions(
            include_data=True, analysis=False))
    book = openpyxl.load_workbook(result.path)
    parts = [n for n in book.sheetnames if n.startswith("Sales")]
    assert parts == ["Sales", "Sales (2)", "Sales (3)"]
    rows = [row for name in parts for row in book[name].iter_rows(min_row=2, values_only=True)]
    assert len(rows) == sales
    assert sum(round(r[10] * 100) for r in rows) == revenue
    assert all(isinstance(r[0], datetime) for r in rows)
    first = book["Sales"]
    assert first["O1"].value == "Segment" and first.freeze_panes == "A2"
    assert next(iter(first.tables.values())).ref == "A1:Q1001"
    hostile = next(c for c in first["P"] if c.value == "=cmd|' /C calc'!A0")
    assert hostile.data_type == "s" and hostile.quotePrefix
    call_rows = sum(book[n].max_row - 1 for n in book.sheetnames if n.startswith("Calls"))
    assert call_rows == calls
    if libreoffice.SOFFICE:  # LibreOffice reads the streamed sheets as real cells
        values = libreoffice.recalculated_values(result.path, tmp_path / "lo")
        assert values[("Sales", "P2")] == "=cmd|' /C calc'!A0"
        assert values[("Sales", "J2")] == rows[0][9]


def test_the_forecast_sheet_follows_the_targets_in_force(demo_path: Path) -> None:
    from salesplanner.export.analysis_sheets import forecast_measure
    from salesplanner.metrics import registry

    with PlanFile.open(demo_path) as plan:
        measures = registry(plan)
        assert forecast_measure(plan, measures, "2027-Q1") == "revenue"  # no targets yet
        publish(plan, "sales")
        assert forecast_measure(plan, measures, "2027-Q1") == "sales"
        publish(plan, "conversion_rate")  # a rate cannot be forecast as a sum
        assert forecast_measure(plan, measures, "2027-Q1") == "revenue"
