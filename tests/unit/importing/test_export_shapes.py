"""Real export shapes from the corpus in ``tests/data/imports`` (issue 20 items 1-3).

A fixed-width mainframe report (CRLF, zero-padded ids, YYYYMMDD dates, a
title, a TOTAL line and an end-of-report note), a products list with a Total
row and a blank price, a German sales file with "Zwischensumme" and "Summe"
rows, and an arrivals feed with only a timestamp and calls offered.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from salesplanner.importing.reading import read_source
from salesplanner.importing.run import ImportOptions, import_file
from salesplanner.importing.source_table import SourceTable
from salesplanner.importing.totals import TOTAL_WORDS, find_total_rows
from salesplanner.storage.plan_file import PlanFile

CORPUS = Path(__file__).parents[2] / "data" / "imports"


def _rows(plan: PlanFile, sql: str) -> list[tuple]:
    conn = sqlite3.connect(plan.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_fixed_width_report_is_read_in_its_columns() -> None:
    assert b"\r\n" in (CORPUS / "fixed_width_sales.txt").read_bytes()
    table = read_source(CORPUS / "fixed_width_sales.txt")
    assert table.delimiter == "whitespace"
    assert table.headers == ["SALE REF", "DATE", "AGENT ID", "TEAM", "PRODUCT CODE", "REVENUE"]
    rows = table.preview()
    assert rows[0] == ["0001234", "20270201", "000123", "Acquisition South", "BB-1", "336.00"]
    # An empty cell stays in its column; the TOTAL line and the note are no rows.
    assert rows[3] == ["0001237", "20270203", "000007", "Retention North", "", "15.00"]
    assert len(rows) == 4
    assert table.skipped_totals == [8]


def test_the_fixed_width_report_imports_with_ids_kept_as_text(empty_plan: PlanFile) -> None:
    summary, _ = import_file(empty_plan, CORPUS / "fixed_width_sales.txt")
    assert (summary.kind, summary.imported, summary.rejected) == ("sales", 4, 0)
    assert any("skipped 1 total row (line 8)" in w for w in summary.warnings)
    stored = _rows(empty_plan, "SELECT s.sale_ref, s.ts, a.code, t.name, s.revenue_minor FROM sale s"
                   " JOIN agent a ON a.id = s.agent_id LEFT JOIN team t ON t.id = a.team_id"
                   " ORDER BY s.sale_ref")
    assert stored[0] == ("0001234", "2027-02-01 00:00:00", "000123", "Acquisition South", 33600)
    assert [r[2] for r in stored] == ["000123", "000045", "000123", "000007"]
    assert sum(r[4] for r in stored) == 160149


def test_one_space_inside_a_value_never_splits_it(tmp_path: Path) -> None:
    """Every team has its space in the same place: still one column."""
    path = tmp_path / "teams.txt"
    path.write_bytes(b"DATE       TEAM               REVENUE\r\n"
                     b"20270201   Acquisition South   10.00\r\n"
                     b"20270202   Acquisition North   20.00\r\n")
    table = read_source(path)
    assert table.headers == ["DATE", "TEAM", "REVENUE"]
    assert [r[1] for r in table.preview()] == ["Acquisition South", "Acquisition North"]


def test_single_space_between_numbers_is_a_column_boundary(tmp_path: Path) -> None:
    path = tmp_path / "tight.txt"
    path.write_text("REF     DATE     REVENUE\n0001234 20270201   10.00\n0001235 20270202   20.00\n")
    table = read_source(path)
    assert table.headers == ["REF", "DATE", "REVENUE"]
    assert table.preview()[1] == ["0001235", "20270202", "20.00"]


def test_products_skip_the_total_keep_the_product_named_total(empty_plan: PlanFile) -> None:
    summary, _ = import_file(empty_plan, CORPUS / "products_with_total.csv")
    assert summary.imported == 4
    assert "skipped 1 total row (line 6)" in " ".join(summary.warnings)
    stored = dict(_rows(empty_plan, "SELECT sku, unit_price_minor FROM product"))
    # The "Total" in the middle is a real product: its price does not sum the ones above.
    assert stored == {"BB-1": 3360, "TV-2": None, "1005": 499, "MOB-3": 1000}


def test_a_german_file_skips_subtotal_and_summe(empty_plan: PlanFile) -> None:
    options = ImportOptions(kind="sales", mapping={"date": "Datum", "agent": "Agent",
                                                   "product": "Produkt", "revenue": "Umsatz"})
    summary, _ = import_file(empty_plan, CORPUS / "sales_de_summe.csv", options)
    assert (summary.imported, summary.rejected) == (3, 0)
    assert "skipped 2 total rows (lines 4 and 6)" in " ".join(summary.warnings)
    assert _rows(empty_plan, "SELECT count(*), sum(revenue_minor) FROM sale") == [(3, 3575)]


def test_an_arrivals_feed_imports_with_handled_and_handle_time_unknown(
        empty_plan: PlanFile) -> None:
    summary, _ = import_file(empty_plan, CORPUS / "arrivals_offered_only.csv")
    assert (summary.kind, summary.imported, summary.rejected) == ("intervals", 4, 0)
    stored = _rows(empty_plan, "SELECT offered, handled, aht_s FROM interval_stat"
                   " ORDER BY interval_start")
    assert stored == [(12, None, None), (15, None, None), (0, None, None), (9, None, None)]


def test_peaks_over_offered_only_intervals_say_what_is_missing(empty_plan: PlanFile) -> None:
    """The calls offered show as the volume; the agents needed are unknown
    until a handle time is given (see the staffing's own tests for --aht)."""
    import numpy as np

    from salesplanner.analysis.peaks import peaks

    import_file(empty_plan, CORPUS / "arrivals_offered_only.csv")
    result = peaks(empty_plan)
    assert np.nansum(result.volume) == 12 + 15 + 0 + 9
    assert result.staffing_note is not None and "no handle time" in result.staffing_note
    assert np.isnan(result.agents[result.volume > 0]).all()
    given = peaks(empty_plan, aht=300)
    assert np.nanmax(given.agents) > 0


def test_intervals_with_some_handle_times_use_their_average(empty_plan: PlanFile,
                                                            tmp_path: Path) -> None:
    from salesplanner.analysis.peaks import peaks

    path = tmp_path / "mixed.csv"
    path.write_text("Interval Start,Offered,Handled,AHT\n2027-02-01 09:00,12,10,300\n"
                    "2027-02-01 09:30,8,,\n")
    import_file(empty_plan, path)
    result = peaks(empty_plan)
    # 10 handled + 8 offered (handled unknown) in Monday 9-10, all at 300 s.
    assert result.volume[0, 9] == 18
    assert result.aht[0, 9] == pytest.approx(300)
    assert result.agents[0, 9] > 0


def _table(rows: list[list[str]]) -> SourceTable:
    import numpy as np
    import pyarrow as pa

    return SourceTable(file="t", format="csv", headers=["Name", "Amount"],
                       columns=[pa.array([r[i] for r in rows], pa.string()) for i in range(2)],
                       line_numbers=np.arange(2, 2 + len(rows)), header_line=1)


@pytest.mark.parametrize("word", sorted({w for ws in TOTAL_WORDS.values() for w in ws}))
def test_every_language_total_word_is_a_total_at_the_foot(word: str) -> None:
    assert find_total_rows(_table([["a", "1"], ["b", "2"], [word.title(), "3"]])) == [2]


def test_a_label_that_sums_the_column_at_the_foot_is_a_total() -> None:
    assert find_total_rows(_table([["a", "1"], ["b", "2"], ["All agents", "3"]])) == [2]
    assert find_total_rows(_table([["a", "1"], ["b", "2"], ["Zed", "4"]])) == []


def test_a_total_word_in_the_middle_that_does_not_sum_is_a_record() -> None:
    rows = [["a", "1"], ["Total", "7"], ["b", "2"]]
    assert find_total_rows(_table(rows)) == []
    assert find_total_rows(_table([["a", "1"], ["b", "2"], ["Total", "3"], ["c", "4"]])) == [2]


def test_upgraded_plans_accept_unknown_prices_and_handled(tmp_path: Path) -> None:
    for version in (1, 2):
        path = tmp_path / f"v{version}.salesplan"
        shutil.copyfile(Path(__file__).parents[2] / "data" / "plans"
                        / f"schema-v{version}.salesplan", path)
        with PlanFile.open(path) as plan:
            summary, _ = import_file(plan, CORPUS / "products_with_total.csv")
            assert summary.rejected == 0
            summary, _ = import_file(plan, CORPUS / "arrivals_offered_only.csv")
            assert summary.imported == 4
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT unit_price_minor FROM product WHERE sku = 'TV-2'"
                            ).fetchone() == (None,)
        assert conn.execute("SELECT count(*) FROM product").fetchone() == (4,)
        assert conn.execute("SELECT count(*) FROM interval_stat WHERE handled IS NULL"
                            " AND aht_s IS NULL").fetchone() == (4,)
        conn.close()
