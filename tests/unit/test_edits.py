"""In-place edits: validated, persisted at once, undoable, audited."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salesplanner.edits import set_field
from salesplanner.errors import ReadOnlyPlan, UserError
from salesplanner.storage.plan_file import PlanFile


def _value(path: Path, sql: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("entity, field, typed, column, stored", [
    ("agent", "name", "  Priya Shah ", "SELECT name FROM agent WHERE id = 1", "Priya Shah"),
    ("agent", "team", "retention", "SELECT t.name FROM agent a JOIN team t ON t.id = a.team_id "
                                  "WHERE a.id = 1", "Retention"),
    ("agent", "weekly_hours", "22.5", "SELECT weekly_hours FROM agent WHERE id = 1", 22.5),
    ("agent", "start_date", "03/02/2025", "SELECT start_date FROM agent WHERE id = 1", "2025-02-03"),
    ("agent", "active", "no", "SELECT active FROM agent WHERE id = 1", 0),
    ("team", "leader", "Kim Lee", "SELECT leader FROM team WHERE id = 1", "Kim Lee"),
    ("product", "price", "£1,234.50", "SELECT unit_price_minor FROM product WHERE id = 1", 123450),
    ("product", "margin", "35%", "SELECT margin_rate FROM product WHERE id = 1", 0.35),
    ("skill_rating", "rating", "2", "SELECT rating FROM skill_rating WHERE rowid = 1", 2),
])
def test_edit_is_stored_at_once_and_undone_with_old(demo_path: Path, entity, field, typed,
                                                    column, stored) -> None:
    before = _value(demo_path, column)
    with PlanFile.open(demo_path) as plan:
        result = set_field(plan, entity, 1, field, typed)
        assert _value(demo_path, column) == stored  # another connection sees it
        set_field(plan, entity, 1, field, result.detail["old"])
    assert _value(demo_path, column) == before
    # Each real change is audited; setting a field to what it holds changes nothing.
    audited = 0 if before == stored else 2
    assert _value(demo_path, "SELECT count(*) FROM audit_event WHERE action = 'edit'") == audited


@pytest.mark.parametrize("entity, field, typed, reason", [
    ("agent", "weekly_hours", "90", "between 0 and 80"),
    ("agent", "weekly_hours", "lots", "not a number"),
    ("agent", "team", "Nowhere", "one of the plan's teams"),
    ("agent", "name", "   ", "cannot be empty"),
    ("agent", "start_date", "31/02/2025", "not a date"),
    ("product", "price", "-3", "cannot be negative"),
    ("skill_rating", "rating", "6", "from 1 to 5"),
    ("skill_rating", "rating", "four", "whole number"),
    ("agent", "code", "AG99", "cannot be edited"),
])
def test_bad_values_are_refused_and_change_nothing(demo_path: Path, entity, field, typed,
                                                   reason) -> None:
    conn = sqlite3.connect(demo_path)
    before = conn.execute("SELECT * FROM agent").fetchall() + conn.execute(
        "SELECT * FROM product").fetchall() + conn.execute("SELECT * FROM skill_rating").fetchall()
    conn.close()
    with PlanFile.open(demo_path) as plan:
        with pytest.raises(UserError, match=reason):
            set_field(plan, entity, 1, field, typed)
    conn = sqlite3.connect(demo_path)
    after = conn.execute("SELECT * FROM agent").fetchall() + conn.execute(
        "SELECT * FROM product").fetchall() + conn.execute("SELECT * FROM skill_rating").fetchall()
    assert conn.execute("SELECT count(*) FROM audit_event").fetchone()[0] == 0
    conn.close()
    assert after == before


def test_read_only_plan_refuses_edits(demo_path: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as plan:
        with pytest.raises(ReadOnlyPlan):
            set_field(plan, "agent", 1, "name", "X")


@pytest.mark.parametrize("code, typed, stored, filtered", [
    ("JPY", "1,500", 1500, 1000),       # no minor units: 1,500 yen is stored as 1500
    ("GBP", "1,500", 150000, 100000),
    ("EUR", "12.34", 1234, 100000),
])
def test_money_is_read_in_the_plans_currency(tmp_path: Path, code: str, typed: str,
                                             stored: int, filtered: int) -> None:
    """A price typed in the data browser, and a money filter, use the plan's
    currency's minor units (it was always hundredths, so a yen plan stored
    a price typed as 1,500 as 150,000 yen)."""
    from salesplanner.browse import TABLES, Query, TableBrowser, where_clause

    path = tmp_path / f"{code}.salesplan"
    with PlanFile.create(path, name=code, quarter="2027-Q1", currency=code) as plan:
        with plan.connect(write=True) as conn:
            conn.execute("INSERT INTO product (sku, name, unit_price_minor) VALUES ('P1', 'Cover', 1)")
        set_field(plan, "product", 1, "price", typed)
        browser = TableBrowser(plan, TABLES["sales"])
        scale = browser.minor_per_major()
    assert _value(path, "SELECT unit_price_minor FROM product WHERE id = 1") == stored
    where = where_clause(TABLES["sales"], Query(column_filters=(("revenue", ">1,000"),)), scale)
    assert where.params == [filtered]
