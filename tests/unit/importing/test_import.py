"""Importing into a plan: every kind, duplicates, rejects, masking, all-or-nothing."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from salesplanner.errors import UserError
from salesplanner.importing.columns import AmbiguousDates
from salesplanner.importing.history import list_imports, remove_import, restore_import
from salesplanner.importing.rejects import write_rejects
from salesplanner.importing.run import (
    ImportOptions, ImportRefused, convert_prepared, import_file, prepare,
)
from salesplanner.jobs import JobCancelled
from salesplanner.storage.plan_file import PlanFile
from tests.helpers.files import digest
from tests.helpers.workbooks import write_xlsx

CARD = "4111 1111 1111 1111"


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


class CancelFrom:
    """A token that asks to cancel once progress reaches ``fraction``."""

    def __init__(self, fraction: float) -> None:
        self.fraction, self.late, self.seen = fraction, False, []

    def progress(self, fraction: float, text: str = "") -> None:
        self.seen.append(text)
        self.late = fraction >= self.fraction

    def cancelled(self) -> bool:
        return self.late


def _two_hundred_sales(folder: Path) -> Path:
    return _csv(folder / "good.csv", "Date,Agent,Revenue\n" +
                "".join(f"2026-02-01 10:{i % 60:02d},A{i},10\n" for i in range(200)))


def _rows(plan: PlanFile, sql: str) -> list[tuple]:
    with plan.connect() as conn:
        return conn.execute(sql).fetchall()


SALES = (
    "Weekly sales export\n\n"
    "Order ID,Sale Date,Advisor,Advisor Name,Team,SKU,Product Name,Qty,Sale Value,Status,"
    "Campaign,Notes\n"
    "S1,31/03/2026 10:15,007,Ann Lee,Retention,BB-1,Fibre 100,1,\"£1,234.50\",Completed,None,\n"
    "S2,01/04/2026 11:00,AG2,Bo Chan,Retention,BB-1,Fibre 100,2,(12.00),Cancelled,NA,\n"
    f"S3,02/04/2026 09:00,AG2,,,TV-1,TV basic,1,30,Sold,Spring,card {CARD} given\n")


def test_sales_csv_imports_typed_rows_and_creates_agents_and_products(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    summary, result = import_file(empty_plan, _csv(tmp_path / "s.csv", SALES))
    assert summary.kind == "sales"
    assert summary.counts_line == "imported 3, duplicates 0, rejected 0, masked 1"
    assert summary.created["agents"] == ["007", "AG2"]
    assert summary.created["products"] == ["BB-1", "TV-1"]
    assert summary.created["teams"] == ["Retention"]
    rows = _rows(empty_plan, "SELECT sale_ref, ts, a.code, a.name, p.sku, quantity, revenue_minor,"
                 " outcome, campaign, notes, iso_week, weekday, hour FROM sale"
                 " JOIN agent a ON a.id = agent_id JOIN product p ON p.id = product_id"
                 " ORDER BY sale_ref")
    assert rows[0] == ("S1", "2026-03-31 10:15:00", "007", "Ann Lee", "BB-1", 1, 123450,
                       "completed", "None", None, 14, 2, 10)
    assert rows[1][6:9] == (-1200, "cancelled", "NA")
    assert rows[2][9] == "card ************1111 given"
    assert result.touches("sales", "imports")
    assert _rows(empty_plan, "SELECT sum(revenue_minor) FROM daily_agent_stats") == [(126450,)]


def test_same_file_twice_and_overlapping_extract_add_nothing_twice(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    header = "Date,Agent,Revenue\n"
    first = _csv(tmp_path / "a.csv", header + "01/02/2026 10:00,A1,10\n" * 2
                 + "13/02/2026 10:00,A2,5\n")
    assert import_file(empty_plan, first)[0].counts_line == \
        "imported 3, duplicates 0, rejected 0, masked 0"  # identical rows are separate sales
    assert import_file(empty_plan, first)[0].counts_line == \
        "imported 0, duplicates 3, rejected 0, masked 0"
    overlap = _csv(tmp_path / "b.csv", header + "13/02/2026 10:00,A2,5\n14/02/2026 10:00,A2,7\n")
    assert import_file(empty_plan, overlap)[0].counts_line == \
        "imported 1, duplicates 1, rejected 0, masked 0"
    assert _rows(empty_plan, "SELECT count(*) FROM sale") == [(4,)]


def test_bad_rows_are_reported_by_source_row_and_rejects_round_trip(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    source = _csv(tmp_path / "in.csv", "Sales\nDate,Agent,Revenue,Notes\n"
                  f"01/02/2026,A1,10,{CARD}\n14/02/2026,A2,abc,=HYPERLINK(\"x\")\n"
                  ",A3,5,\n15/02/2026,A4,-3,\n")
    prepared = prepare(source, plan=empty_plan)
    summary, _ = import_file(empty_plan, source, prepared=prepared)
    assert summary.counts_line == "imported 2, duplicates 0, rejected 2, masked 1"
    assert [(p.line, p.column, p.reason) for p in summary.problems] == [
        (4, "Revenue", "'abc' is not an amount"), (5, "Date", "no date")]
    rejects = tmp_path / "rejects.csv"
    write_rejects(rejects, prepared.table, convert_prepared(prepared, ImportOptions()))
    text = rejects.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "1111 1111" not in text and "Revenue: 'abc'" in text
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(text.replace(",abc,", ",12,").replace("\n,A3,", "\n16/02/2026,A3,"),
                     encoding="utf-8-sig")
    again, _ = import_file(empty_plan, fixed)
    assert again.counts_line == "imported 2, duplicates 0, rejected 0, masked 0"
    assert _rows(empty_plan, "SELECT count(*) FROM sale") == [(4,)]


def test_strict_refusal_and_cancel_change_nothing(empty_plan: PlanFile, tmp_path: Path) -> None:
    path = empty_plan.path
    before = digest(path)
    bad = _csv(tmp_path / "bad.csv", "Date,Agent,Revenue\n01/02/2026,A1,10\n14/02/2026,A2,x\n")
    with pytest.raises(ImportRefused, match="row 3, column 'Revenue'"):
        import_file(empty_plan, bad, ImportOptions(strict=True))
    assert digest(path) == before

    with pytest.raises(JobCancelled):
        import_file(empty_plan, _two_hundred_sales(tmp_path), token=CancelFrom(0.9))
    assert _rows(empty_plan, "SELECT count(*) FROM sale") == [(0,)]
    assert _rows(empty_plan, "SELECT count(*) FROM agent") == [(0,)]
    assert list_imports(empty_plan) == []


def test_ambiguous_dates_ask_unless_told(empty_plan: PlanFile, tmp_path: Path) -> None:
    path = _csv(tmp_path / "d.csv", "Date,Agent,Revenue\n01/02/2026,A,1\n03/04/2026,A,2\n")
    with pytest.raises(AmbiguousDates, match="--dayfirst or --monthfirst"):
        import_file(empty_plan, path)
    import_file(empty_plan, path, ImportOptions(date_order="monthfirst"))
    assert _rows(empty_plan, "SELECT ts FROM sale ORDER BY ts") == [
        ("2026-01-02 00:00:00",), ("2026-03-04 00:00:00",)]


def test_card_numbers_never_reach_the_plan_file(empty_plan: PlanFile, tmp_path: Path) -> None:
    dashed = "5500-0000-0000-0004"
    path = _csv(tmp_path / "c.csv", f"Date,Agent,Revenue,Customer,Notes\n"
                f"01/02/2026,A1,10,{CARD.replace(' ', '')},paid by {dashed}\n"
                "13/02/2026,A2,10,C1234567890123,ref 1234567890123\n")  # not Luhn-valid
    summary, _ = import_file(empty_plan, path)
    assert summary.masked == 2
    empty_plan.close()
    raw = empty_plan.path.read_bytes()
    for secret in (b"4111111111111111", b"5500-0000-0000-0004", b"5500000000000004"):
        assert secret not in raw
    assert b"1234567890123" in raw


#: One card, written the ways probes got past the masker.
WRITTEN = {"nbsp": "4111\u00a01111\u00a01111\u00a01111",
           "narrow": "4111\u202f1111\u202f1111\u202f1111", "dots": "4111.1111.1111.1111",
           "slashes": "4111/1111/1111/1111", "underscores": "4111_1111_1111_1111",
           "tabs": "4111\t1111\t1111\t1111", "full-width": "４１１１ １１１１ １１１１ １１１１"}


def test_card_numbers_in_names_and_every_written_form_never_reach_the_plan(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    arabic = "".join(chr(0x660 + int(d)) for d in "5500000000000004")
    forms = {**WRITTEN, "arabic-indic": arabic}
    folder = tmp_path / "cards 4012-8888-8888-1881"
    folder.mkdir()
    lines = [f'13/02/2026,A{i},10,"paid by {card} ok"' for i, card in enumerate(forms.values())]
    path = _csv(folder / "export_4111111111111111.csv",
                "Date,Agent,Revenue,Notes\n" + "\n".join(lines) + "\n")
    summary, result = import_file(empty_plan, path)
    assert summary.masked == len(forms) and summary.imported == len(forms)
    assert "4111111111111111" not in summary.file + result.message
    assert summary.file.endswith("export_************1111.csv")
    book = write_xlsx(tmp_path / "book.xlsx", {"4111111111111111": [
        ["Date", "Agent", "Revenue", "Card 5500 0000 0000 0004"],
        [datetime(2026, 2, 14), "B1", 5, "x"]]})
    second, _ = import_file(empty_plan, book, ImportOptions(
        sheet="4111111111111111", mapping={"notes": "Card ************0004"}))
    assert second.masked == 1 and second.mapping["notes"] == "Card ************0004"
    (batch, name, sheet, options), (_b2, _n2, sheet2, options2) = _rows(
        empty_plan, "SELECT id, file_name, sheet, options_json FROM import_batch ORDER BY id")
    assert name == "export_************1111.csv" and sheet is None
    assert "cards ************1881" in options and sheet2 == "************1111"
    notes = [n for (n,) in _rows(empty_plan, "SELECT notes FROM sale ORDER BY id")]
    assert notes == ["paid by ************1111 ok"] * 6 + ["paid by ************１１１１ ok",
                                                         f"paid by ************{arabic[-4:]} ok", "x"]
    remove_import(empty_plan, batch)
    audit = _rows(empty_plan, "SELECT who, entity_key, old_json, new_json FROM audit_event")
    assert len(audit) == 3 and "export_************1111.csv" in str(audit)
    empty_plan.close()
    raw = empty_plan.path.read_bytes()
    digits = ("4111111111111111", "5500000000000004", "4012888888881881", "4012-8888-8888-1881")
    for secret in [*digits, *(f.encode() for f in forms.values())]:
        assert (secret.encode() if isinstance(secret, str) else secret) not in raw


def test_workbook_sales_with_serial_dates(empty_plan: PlanFile, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", {"Sales": [
        ["Report"], ["Date", "Agent", "Revenue"], [datetime(2026, 3, 31, 9), "007", 12.5],
        [46112, "AG2", "1.234,50"]]}, date1904=False)
    summary, _ = import_file(empty_plan, path, ImportOptions(date_order="dayfirst"))
    assert summary.counts_line == "imported 2, duplicates 0, rejected 0, masked 0"
    assert _rows(empty_plan, "SELECT ts, revenue_minor FROM sale ORDER BY id") == [
        ("2026-03-31 09:00:00", 1250), ("2026-03-31 00:00:00", 123450)]


def test_calls_intervals_agents_products_competitors(empty_plan: PlanFile, tmp_path: Path) -> None:
    calls = _csv(tmp_path / "calls.csv",
                 "Call ID\tCall Start\tAgent ID\tDirection\tTalk Time\tDisposition\tQueue\n"
                 "C1\t2026-03-02 09:00:05\tA1\tIn\t05:30\tSale\tSales\n"
                 "C2\t2026-03-02 09:10:00\tA1\tOB\t61\tCall back\tSales\n"
                 "C3\t2026-03-02 09:20:00\tA2\tsideways\t61\tAbandoned\tSales\n")
    summary, _ = import_file(empty_plan, calls)
    assert summary.kind == "calls"
    assert summary.counts_line == "imported 2, duplicates 0, rejected 1, masked 0"
    assert _rows(empty_plan, "SELECT call_ref, direction, duration_s, outcome FROM call") == [
        ("C1", "inbound", 330, "sale"), ("C2", "outbound", 61, "callback_requested")]
    intervals = _csv(tmp_path / "iv.csv", "Interval;Queue;Offered;Handled;AHT\n"
                     "02/03/2026 09:00;Sales;20;18;300\n02/03/2026 09:30;Sales;25;26;280\n"
                     "02/03/2026 10:00;Sales;30;30;4:10\n")
    summary, _ = import_file(empty_plan, intervals, ImportOptions(date_order="dayfirst"))
    assert summary.counts_line == "imported 2, duplicates 0, rejected 1, masked 0"
    assert summary.problems[0].reason == "26 handled is more than 25 offered"
    assert _rows(empty_plan, "SELECT minutes, aht_s FROM interval_stat ORDER BY id") == [
        (30, 300.0), (30, 250.0)]
    agents = _csv(tmp_path / "ag.csv", "Agent ID|Full Name|Team|Hire Date|Contracted Hours\n"
                  "A1|Ann One|Retention|2025-06-01|37.5\nA9|Nine|Retention|2026-01-05|20\n"
                  "A10|Ten|Sales|2026-01-05|90\n")
    summary, _ = import_file(empty_plan, agents)
    assert summary.kind == "agents"
    assert (summary.imported, summary.updated, summary.rejected) == (2, 1, 1)  # A10: 90 hours
    assert _rows(empty_plan, "SELECT code, name, start_date, weekly_hours FROM agent"
                 " ORDER BY id") == [("A1", "Ann One", "2025-06-01", 37.5),
                                     ("A9", "Nine", "2026-01-05", 20.0)]
    products = _csv(tmp_path / "p.csv", "Product Code,Description,Range,RRP\n"
                    "BB-1,Fibre 100,Broadband,£25.00\n")
    assert import_file(empty_plan, products, ImportOptions(kind="products"))[0].imported == 1
    comp = _csv(tmp_path / "comp.csv", "Date,Competitor,Activity,Impact\n"
                "03/03/2026,RivalCo,Half price fibre,high\n")
    summary, _ = import_file(empty_plan, comp, ImportOptions(kind="competitors",
                                                             date_order="dayfirst"))
    assert summary.imported == 1
    assert import_file(empty_plan, comp, ImportOptions(kind="competitors",
                                                       date_order="dayfirst"))[0].duplicates == 1


def test_skill_ratings_long_and_wide(empty_plan: PlanFile, tmp_path: Path) -> None:
    wide = write_xlsx(tmp_path / "matrix.xlsx", {"Skills": [
        ["Agent", "Product knowledge", "Closing", "Rapport"],
        ["A1", 4, 3, 5], ["A2", 2, 6, ""]]})
    summary, _ = import_file(empty_plan, wide)
    assert summary.kind == "skills"
    assert summary.counts_line == "imported 4, duplicates 0, rejected 1, masked 0"
    assert (summary.problems[0].line, summary.problems[0].column) == (3, "Closing")
    assert summary.created["skills"] == ["Rapport"]
    long = _csv(tmp_path / "long.csv", "Agent,Skill,Rating\nA1,closing,5\nA1,Rapport,5\n")
    summary, _ = import_file(empty_plan, long)
    assert (summary.imported, summary.updated, summary.duplicates) == (1, 1, 1)


def test_mapping_is_remembered_for_files_of_the_same_shape(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    first = _csv(tmp_path / "a.csv", "When,Who,Amount,Extra\n13/02/2026,A1,10,x\n")
    mapping = {"date": "When", "agent": "Who", "revenue": "Amount"}
    import_file(empty_plan, first, ImportOptions(kind="sales", mapping=mapping))
    second = _csv(tmp_path / "b.csv", "who,WHEN,amount,extra\n14/02/2026,A1,11,y\n")
    prepared = prepare(second, ImportOptions(kind="sales"), empty_plan)
    assert prepared.remembered
    assert prepared.mapping == {"date": "WHEN", "agent": "who", "revenue": "amount"}


def test_removing_an_import_takes_out_exactly_its_rows_and_undoes(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    one = _csv(tmp_path / "1.csv", "Date,Agent,Revenue\n2026-02-01,A1,10\n2026-02-02,A2,5\n")
    two = _csv(tmp_path / "2.csv", "Date,Agent,Revenue\n2026-02-03,A1,7\n")
    first = import_file(empty_plan, one)[0].batch_id
    import_file(empty_plan, two)
    before = _rows(empty_plan, "SELECT * FROM sale ORDER BY id")
    agents = _rows(empty_plan, "SELECT * FROM agent ORDER BY id")
    removal = remove_import(empty_plan, first)
    assert _rows(empty_plan, "SELECT agent_id, revenue_minor FROM sale") == [(1, 700)]
    assert _rows(empty_plan, "SELECT code FROM agent") == [("A1",)]  # A2 went with its import
    assert [e.status for e in list_imports(empty_plan)] == ["complete", "removed"]
    with pytest.raises(UserError, match="already removed"):
        remove_import(empty_plan, first)
    restore_import(empty_plan, removal.detail)
    assert _rows(empty_plan, "SELECT * FROM sale ORDER BY id") == before
    assert _rows(empty_plan, "SELECT * FROM agent ORDER BY id") == agents
    with sqlite3.connect(empty_plan.path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_files_that_are_not_tables_say_what_to_do(empty_plan: PlanFile, tmp_path: Path) -> None:
    notes = _csv(tmp_path / "notes.csv", "Colour,Shape\nred,round\n")
    with pytest.raises(UserError, match="cannot tell what this file holds.*--kind"):
        import_file(empty_plan, notes)
    with pytest.raises(UserError, match="needs a column for date and revenue"):
        import_file(empty_plan, notes, ImportOptions(kind="sales"))
    with pytest.raises(UserError, match="no column 'Net'"):
        import_file(empty_plan, notes, ImportOptions(kind="sales", mapping={"revenue": "Net"}))


def test_cards_next_to_other_digits_and_in_number_cells_are_masked(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    notes = _csv(tmp_path / "n.csv", "Date,Agent,Revenue,Notes\n"
                 "13/02/2026,A1,10,paid 4111 1111 1111 1111 12 27\n")
    assert import_file(empty_plan, notes)[0].masked == 1
    book = write_xlsx(tmp_path / "n.xlsx", {"S": [["Date", "Agent", "Revenue", "Customer"],
                                                  [datetime(2026, 2, 13), "A2", 5,
                                                   4111111111111111]]})
    assert import_file(empty_plan, book)[0].masked == 1
    nothing = _csv(tmp_path / "x.csv", f"13/01/2027,{CARD},10\n14/01/2027,x,1\n")
    with pytest.raises(UserError) as refused:
        import_file(empty_plan, nothing)
    assert "1111 1111" not in str(refused.value)
    empty_plan.close()
    raw = empty_plan.path.read_bytes()
    assert b"4111 1111" not in raw and b"4111111111111111" not in raw and b"e+15" not in raw


def test_made_up_codes_never_collide(empty_plan: PlanFile, tmp_path: Path) -> None:
    names = _csv(tmp_path / "p.csv", "Date,Agent,Product Name,Revenue\n"
                 "13/02/2026,A1,Home Insurance,10\n14/02/2026,A1,Home-Insurance,10\n")
    summary, _ = import_file(empty_plan, names)
    assert summary.created["products"] == ["HOME-INSURANCE", "HOME-INSURANCE-2"]
    long = "Negotiating renewals with small business customers at level"
    skills = _csv(tmp_path / "s.csv", f"Agent,Skill,Rating\nA1,{long} one,3\nA1,{long} two,4\n")
    assert import_file(empty_plan, skills)[0].imported == 2


def test_an_id_on_several_different_lines_is_an_order(empty_plan: PlanFile,
                                                      tmp_path: Path) -> None:
    from salesplanner.integrity import check_plan

    orders = _csv(tmp_path / "o.csv", "Order ID,Date,Agent,SKU,Revenue\n"
                  "SO-1,2026-02-13 10:00,A1,BB-1,20\nSO-1,2026-02-13 10:00,A1,TV-1,10\n"
                  "SO-2,2026-02-13 11:00,A1,BB-1,20\n")
    assert import_file(empty_plan, orders)[0].counts_line == \
        "imported 3, duplicates 0, rejected 0, masked 0"
    assert _rows(empty_plan, "SELECT sale_ref, order_ref FROM sale ORDER BY id") == [
        ("SO-1/1", "SO-1"), ("SO-1/2", "SO-1"), ("SO-2/1", "SO-2")]
    assert _rows(empty_plan, "SELECT orders, sale_lines FROM daily_agent_stats") == [(2, 3)]
    assert import_file(empty_plan, orders)[0].duplicates == 3
    repeated = _csv(tmp_path / "r.csv", "Order ID,Date,Agent,SKU,Revenue\n"
                    "SO-9,2026-02-14 10:00,A1,BB-1,20\nSO-9,2026-02-14 10:00,A1,BB-1,20\n")
    summary, _ = import_file(empty_plan, repeated)  # the same line twice: one sale
    assert (summary.imported, summary.duplicates) == (1, 1)
    assert all(result.ok for result in check_plan(empty_plan))


def test_extracts_with_different_columns_still_overlap(empty_plan: PlanFile,
                                                       tmp_path: Path) -> None:
    first = _csv(tmp_path / "1.csv", "Date,Agent,Revenue\n2026-02-13 10:00,A1,20\n"
                 "2026-02-13 11:00,A1,5\n")
    second = _csv(tmp_path / "2.csv", "Date,Agent,Revenue,Channel,Status\n"
                  "2026-02-13 11:00,A1,5,Web chat,Cancelled\n2026-02-13 12:00,A1,7,Web chat,\n")
    import_file(empty_plan, first)
    assert import_file(empty_plan, second)[0].counts_line == \
        "imported 1, duplicates 1, rejected 0, masked 0"


def test_shifted_rows_are_refused_and_aligned_columns_keep_empty_cells(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    shifted = _csv(tmp_path / "r.csv", "Date,Agent,Revenue,Product\n"
                   "05/01/2027,A001,£1,234.50,Widget\n06/01/2027,A002,5,Widget\n")
    summary, _ = import_file(empty_plan, shifted, ImportOptions(date_order="dayfirst"))
    assert summary.counts_line == "imported 1, duplicates 0, rejected 1, masked 0"
    assert "has 5 cells but the header has 4" in summary.problems[0].reason
    aligned = _csv(tmp_path / "a.txt", "Sales report\n\nDate        Agent   Campaign      Revenue\n"
                   "13/01/2027  A1      Loyalty         12.50\n"
                   "14/01/2027          Loyalty          3.00\n")
    import_file(empty_plan, aligned)
    assert _rows(empty_plan, "SELECT agent_id, campaign, revenue_minor FROM sale "
                 "WHERE campaign IS NOT NULL ORDER BY ts") == [(2, "Loyalty", 1250),
                                                               (None, "Loyalty", 300)]


def test_a_column_with_decimal_commas_reads_dots_as_thousands(empty_plan: PlanFile,
                                                              tmp_path: Path) -> None:
    path = _csv(tmp_path / "m.csv", "Datum;Agent;Umsatz\n13.01.2027;A1;€1 234,50\n"
                "14.01.2027;A1;1.234\n15.01.2027;A1;12,5\n16.01.2027;A1;99999999999999999\n",
                "cp1252")
    summary, _ = import_file(empty_plan, path, ImportOptions(kind="sales", mapping={
        "date": "Datum", "revenue": "Umsatz"}))
    assert _rows(empty_plan, "SELECT revenue_minor FROM sale ORDER BY ts") == [
        (123450,), (123400,), (1250,)]
    assert summary.problems[0].reason == "'99999999999999999' is too large for an amount"


def test_rows_of_empty_cells_are_not_rows(empty_plan: PlanFile, tmp_path: Path) -> None:
    path = _csv(tmp_path / "e.csv", "Date,Agent,Revenue\n13/02/2026,A1,5\n,,\n, ,\t\n"
                "14/02/2026,A1,6\n,A2,7\n, ,8\n")
    summary = import_file(empty_plan, path)[0]
    # Rows with a cell filled are rows (here without a date: rejected, by source row).
    assert summary.counts_line == "imported 2, duplicates 0, rejected 2, masked 0"
    assert [p.line for p in summary.problems] == [6, 7]


def test_removal_keeps_what_the_user_built_on_and_puts_changed_values_back(
        empty_plan: PlanFile, tmp_path: Path) -> None:
    agents = _csv(tmp_path / "a.csv", "Agent ID,Full Name,Team,Contracted Hours\n"
                  "A1,Ann,Retention,37.5\nA2,Bo,Retention,20\n")
    first = import_file(empty_plan, agents)[0].batch_id
    with empty_plan.connect(write=True) as conn:  # the user plans A1's hours
        conn.execute("INSERT INTO agent_planned_hours (agent_id, quarter, weekly_hours)"
                     " SELECT id, '2027-Q1', 30 FROM agent WHERE code = 'A1'")
    ratings = _csv(tmp_path / "r.csv", "Agent,Skill,Rating\nA1,Closing,4\n")
    import_file(empty_plan, ratings)
    changes = _csv(tmp_path / "c.csv", "Agent,Closing,Rapport,Calm\nA1,5,3,2\n")
    update = _csv(tmp_path / "u.csv", "Agent ID,Full Name,Contracted Hours\nA1,Ann Lee,30\n")
    third = import_file(empty_plan, changes, ImportOptions(kind="skills"))[0].batch_id
    fourth = import_file(empty_plan, update)[0].batch_id
    before = _rows(empty_plan, "SELECT * FROM skill ORDER BY id")

    remove_import(empty_plan, fourth)  # the update goes back
    assert _rows(empty_plan, "SELECT name, weekly_hours FROM agent WHERE code = 'A1'") == [
        ("Ann", 37.5)]
    removal = remove_import(empty_plan, third)
    assert _rows(empty_plan, "SELECT s.name, r.rating FROM skill_rating r JOIN skill s"
                 " ON s.id = r.skill_id") == [("Closing", 4)]
    assert "Rapport" not in {n for (n,) in _rows(empty_plan, "SELECT name FROM skill")}
    restore_import(empty_plan, removal.detail)
    assert _rows(empty_plan, "SELECT * FROM skill ORDER BY id") == before
    assert _rows(empty_plan, "SELECT count(*) FROM skill_rating WHERE rating = 5") == [(1,)]

    remove_import(empty_plan, first)  # A1 has planned hours and ratings: it stays
    assert _rows(empty_plan, "SELECT code FROM agent") == [("A1",)]
    assert _rows(empty_plan, "SELECT count(*) FROM agent_planned_hours") == [(1,)]
    assert _rows(empty_plan, "SELECT count(*) FROM team") == [(1,)]  # A1's team is in use


def test_dates_the_user_must_settle_and_dates_with_zones(empty_plan: PlanFile,
                                                         tmp_path: Path) -> None:
    mixed = _csv(tmp_path / "m.csv", "Date,Agent,Revenue\n13/01/2027,A1,1\n01/15/2027,A1,2\n")
    with pytest.raises(UserError, match="13/01/2027 is day first, 01/15/2027 month first"):
        import_file(empty_plan, mixed)
    summary, _ = import_file(empty_plan, mixed, ImportOptions(date_order="dayfirst"))
    assert summary.counts_line == "imported 1, duplicates 0, rejected 1, masked 0"
    headers_only = _csv(tmp_path / "h.csv", "Date,Agent,Revenue\n")
    with pytest.raises(ImportRefused, match="no rows to import"):
        import_file(empty_plan, headers_only)
    zoned = _csv(tmp_path / "z.csv", "Date,Agent,Revenue\n2027-01-05T09:00:00Z,A1,3\n")
    assert import_file(empty_plan, zoned)[0].imported == 1


def test_rejects_file_round_trip_restores_protected_text(empty_plan: PlanFile,
                                                        tmp_path: Path) -> None:
    source = _csv(tmp_path / "s.csv", "Date,Agent,Revenue,Notes,Customer\n"
                  "13/02/2026,A1,x,=HYPERLINK(\"a\"),+44 20 7946 0000\n")
    import_file(empty_plan, _csv(tmp_path / "ok.csv", "Date,Agent,Revenue\n13/02/2026,A0,1\n"))
    rejects = tmp_path / "rejects.csv"
    with pytest.raises(ImportRefused):
        import_file(empty_plan, source, ImportOptions(rejects=rejects))
    text = rejects.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+44" in text
    rejects.write_text(text.replace(",x,", ",5,"), encoding="utf-8-sig")
    import_file(empty_plan, rejects)
    assert _rows(empty_plan, "SELECT notes, customer_ref FROM sale WHERE revenue_minor = 500") \
        == [('=HYPERLINK("a")', "+44 20 7946 0000")]


def test_repeated_headers_can_each_be_chosen(empty_plan: PlanFile, tmp_path: Path) -> None:
    path = _csv(tmp_path / "d.csv", "Date,Agent,Revenue,Revenue\n13/02/2026,A1,1,2\n")
    prepared = prepare(path, plan=empty_plan)
    assert prepared.table.headers == ["Date", "Agent", "Revenue", "Revenue (2)"]
    import_file(empty_plan, path, ImportOptions(mapping={"revenue": "Revenue (2)"}))
    assert _rows(empty_plan, "SELECT revenue_minor FROM sale") == [(200,)]


def test_a_title_with_commas_is_not_the_header(empty_plan: PlanFile, tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv", "Report: Sales, January, 2027\nDate,Agent,Revenue,Channel\n"
                "13/01/2027,A1,5,Web\n")
    assert prepare(path, plan=empty_plan).table.header_line == 2


def test_shift_and_team_columns_are_not_a_skill_matrix(empty_plan: PlanFile,
                                                       tmp_path: Path) -> None:
    path = _csv(tmp_path / "a.csv", "Agent ID,Name,Team 1,Team 2,Shift 1,Shift 2,Hours\n"
                "A1,Ann,1,2,3,1,37.5\n")
    assert prepare(path, plan=empty_plan).kind == "agents"
    sales = _csv(tmp_path / "s.csv", "Date,Revenue,Code,Name\n13/01/2027,5,BB-1,Fibre\n")
    assert prepare(sales, plan=empty_plan).kind == "sales"


def test_a_separate_time_column_joins_the_date(empty_plan: PlanFile, tmp_path: Path) -> None:
    path = _csv(tmp_path / "c.csv", "Date,Time,Agent,Direction,Duration\n"
                "13/01/2027,09:15,A1,In,60\n13/01/2027,2:05 pm,A1,In,60\n14/01/2027,25:00,A1,In,9\n")
    summary, _ = import_file(empty_plan, path)
    assert summary.kind == "calls"
    assert summary.problems[0].reason == "'25:00' is not a time of day"
    assert _rows(empty_plan, "SELECT ts, hour FROM call ORDER BY ts") == [
        ("2027-01-13 09:15:00", 9), ("2027-01-13 14:05:00", 14)]
    book = write_xlsx(tmp_path / "t.xlsx", {"S": [["Date", "Time", "Agent", "Revenue"],
                                                  [datetime(2027, 1, 13), datetime(1899, 12, 30,
                                                                                   10, 30), "A1", 5]]})
    import_file(empty_plan, book)
    assert _rows(empty_plan, "SELECT ts FROM sale") == [("2027-01-13 10:30:00",)]


def test_interval_reports_with_the_day_and_the_interval_apart(empty_plan: PlanFile,
                                                              tmp_path: Path) -> None:
    path = _csv(tmp_path / "iv.csv", "Date,Interval,Queue,Offered,Handled,AHT\n"
                "13/01/2027,09:00-09:30,Sales,20,18,300\n13/01/2027,09:30-10:00,Sales,25,25,280\n")
    summary, _ = import_file(empty_plan, path)
    assert (summary.kind, summary.counts_line) == (
        "intervals", "imported 2, duplicates 0, rejected 0, masked 0")
    assert _rows(empty_plan, "SELECT interval_start, minutes, hour FROM interval_stat"
                 " ORDER BY interval_start") == [("2027-01-13 09:00:00", 30, 9),
                                                 ("2027-01-13 09:30:00", 30, 9)]


@pytest.mark.parametrize("kind", ["sales", "calls"])
def test_big_loads_through_a_staging_file_store_what_small_ones_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    from salesplanner.importing import facts
    from salesplanner.storage import staging

    if kind == "sales":
        source = _csv(tmp_path / "s.csv", SALES + "".join(
            f"T{i},0{1 + i % 9}/04/2026 1{i % 10}:{i % 60:02d},AG{i % 7},,,SKU-{i % 3},,"
            f"{1 + i % 2},{i}.5{i % 10},{'Cancelled' if i % 5 == 0 else 'Sold'},,\n"
            for i in range(300)) + "T1,01/04/2026 10:00,AG1,,,SKU-1,,1,9,Sold,,\n",
            "utf-8-sig")
        tables = ["sale", "daily_agent_stats", "agent", "product"]
    else:
        source = _csv(tmp_path / "c.csv", "Call Start,Agent ID,Direction,Talk Time,Disposition\n"
                      + "".join(f"2026-03-0{1 + i % 9} 09:{i % 60:02d}:{i % 7:02d},A{i % 5},"
                                f"{'In' if i % 3 else 'Out'},{i},"
                                f"{['Sale', 'Call back', 'No sale'][i % 3]}\n"
                                for i in range(300)))
        tables = ["call", "daily_agent_stats", "agent"]
    stored = {}
    staged: list[str] = []
    insert_arrow = staging.insert_arrow
    monkeypatch.setattr(staging, "insert_arrow", lambda conn, table, *a, **k: (
        staged.append(table), insert_arrow(conn, table, *a, **k))[1])
    for way in ("staged", "tuples"):
        if way == "tuples":
            monkeypatch.setattr(staging, "available", lambda: False)
        else:
            monkeypatch.setattr(facts, "STAGED_ROWS", 40)
        plan = PlanFile.create(tmp_path / f"{way}.salesplan", name=way, quarter="2027-Q1")
        with plan:
            summary, _ = import_file(plan, source, ImportOptions(date_order="dayfirst"))
            stored[way] = (summary.counts_line, {
                t: _rows(plan, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables},
                _rows(plan, "PRAGMA integrity_check"))
            # The totals added by the import are the totals worked out from every row.
            from salesplanner.daily_stats import rebuild_daily_stats

            with plan.connect(write=True) as conn:
                rebuild_daily_stats(conn)
            assert _rows(plan, "SELECT * FROM daily_agent_stats ORDER BY 1, 2") == \
                stored[way][1]["daily_agent_stats"]
    assert staged == [tables[0], "daily_agent_stats"]
    assert stored["staged"][1]["daily_agent_stats"]
    assert stored["staged"][2] == [("ok",)]
    assert stored["staged"] == stored["tuples"]


def test_a_cancel_while_staged_rows_are_copied_changes_nothing(
        empty_plan: PlanFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from salesplanner.importing import facts
    from salesplanner.storage import staging

    monkeypatch.setattr(facts, "STAGED_ROWS", 10)
    monkeypatch.setattr(staging, "SLICE_ROWS", 40)
    before = digest(empty_plan.path)
    folders = set(Path(tempfile.gettempdir()).glob("salesplanner-staging-*"))

    token = CancelFrom(0.75)
    with pytest.raises(JobCancelled):
        import_file(empty_plan, _two_hundred_sales(tmp_path), token=token)
    assert token.seen.count("writing 200 rows") >= 3  # cancelled between slices
    assert digest(empty_plan.path) == before
    assert set(Path(tempfile.gettempdir()).glob("salesplanner-staging-*")) == folders
