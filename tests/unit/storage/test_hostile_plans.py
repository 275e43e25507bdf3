"""Plans that arrive with something planted in them: refused, never run.

Each test plants something with a plain SQLite connection (as another tool
or a tampered mail attachment would), then opens the plan the ways a user
can: the window's open, ``info`` and ``check``. The plan's bytes must not
change, nothing planted may run, and the message must say what was found.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from salesplanner.cli import main
from salesplanner.errors import ForeignSchema, ForeignValues
from salesplanner.integrity import check_plan
from salesplanner.storage import hardening
from salesplanner.storage.plan_file import SCHEMA_VERSION, PlanFile
from salesplanner.storage.stored_values import quote
from tests.helpers.files import digest


def _tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


@pytest.fixture
def plan_path(demo_path: Path) -> Path:
    return demo_path


def _counts(path: Path) -> tuple[int, int, str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("SELECT (SELECT count(*) FROM sale), (SELECT count(*) FROM agent),"
                            " (SELECT status FROM plan)").fetchone()
    finally:
        conn.close()


def _structure(rows) -> dict:
    """Tables, columns (name, type, not null, default, key), foreign keys and indexes."""
    conn = sqlite3.connect(":memory:")
    for kind in ("table", "index"):
        for row_kind, _name, _table, sql in rows:
            if row_kind == kind and sql:
                conn.execute(sql)
    tables = [n for (n,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    shape = {t: (conn.execute(f"PRAGMA table_info({quote(t)})").fetchall(),
                 sorted(conn.execute(f"PRAGMA foreign_key_list({quote(t)})").fetchall()),
                 sorted((i[1], i[2], [c[2] for c in conn.execute(
                     f"PRAGMA index_info({quote(i[1])})")])
                        for i in conn.execute(f"PRAGMA index_list({quote(t)})")))
             for t in tables}
    conn.close()
    return shape


def test_the_snapshot_describes_what_the_models_describe() -> None:
    from salesplanner.storage.expected_schema import schema_of_the_models, statements

    assert _structure(statements(SCHEMA_VERSION)) == _structure(schema_of_the_models()), (
        "the models changed: bump SCHEMA_VERSION, write its snapshot with 'python -m "
        "salesplanner.storage.expected_schema' and add a migration step")


def test_a_new_plan_holds_exactly_the_snapshot(tmp_path: Path) -> None:
    from salesplanner.storage.expected_schema import differences

    path = tmp_path / "new.salesplan"
    PlanFile.create(path, name="n", quarter="2027-Q1").close()
    conn = sqlite3.connect(path)
    assert differences(conn, SCHEMA_VERSION) == []
    conn.close()


HOSTILE = {
    "trigger on a note": (
        "CREATE TRIGGER wipe AFTER INSERT ON coaching_note BEGIN "
        "DELETE FROM sale WHERE id % 2 = 0; UPDATE plan SET status = 'approved'; END",
        "things Sales Planner never writes: trigger 'wipe' on 'coaching_note'"),
    "trigger on the plan": (
        "CREATE TRIGGER approve AFTER UPDATE ON plan BEGIN UPDATE plan SET status = 'approved'; END",
        "trigger 'approve' on 'plan'"),
    "slow view over a table name": (
        "CREATE VIEW slow AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
        "SELECT count(*) FROM r",
        "view 'slow'"),
    "table named with a quote": (
        'CREATE TABLE "x"" FROM plan; SELECT (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL '
        'SELECT i+1 FROM r) SELECT count(*) FROM r); --" (a)',
        "unknown table"),
    "planted statistics": ("ANALYZE", "unknown table 'sqlite_stat1'"),
    "extra index": ("CREATE INDEX ix_planted ON sale (revenue_minor * 2)", "unknown index 'ix_planted'"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_planted_objects_are_refused_before_anything_runs(plan_path: Path, case: str,
                                                          capsys) -> None:
    sql, words = HOSTILE[case]
    _tamper(plan_path, sql)
    before, counts = digest(plan_path), _counts(plan_path)
    started = time.monotonic()
    for read_only in (False, True):
        with pytest.raises(ForeignSchema, match="never writes") as caught:
            PlanFile.open(plan_path, read_only=read_only)
        assert words in str(caught.value)
        assert "\n" not in str(caught.value)
    assert main(["info", str(plan_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("salesplanner: ") and words in err and err.count("\n") == 1
    assert main(["check", str(plan_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  schema" in out and words.split(": ")[-1] in out and "skipped" in out
    assert time.monotonic() - started < 30  # the slow view never ran
    assert digest(plan_path) == before and _counts(plan_path) == counts


def test_view_in_place_of_the_sale_table_is_refused_and_check_lists_it(plan_path: Path,
                                                                        capsys) -> None:
    _tamper(plan_path, "PRAGMA foreign_keys = OFF", "ALTER TABLE sale RENAME TO sale_kept",
            "CREATE VIEW sale AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
            "SELECT i AS id FROM r")
    before = digest(plan_path)
    with pytest.raises(ForeignSchema, match="view 'sale'"):
        PlanFile.open(plan_path, read_only=True)
    assert main(["check", str(plan_path)]) == 1
    out = capsys.readouterr().out
    assert "view 'sale'" in out
    assert "unknown table 'sale_kept'" in out and "table 'sale' is missing" in out
    assert digest(plan_path) == before


def test_retyped_agent_table_is_refused(plan_path: Path) -> None:
    conn = sqlite3.connect(plan_path, isolation_level=None)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'agent'").fetchone()[0]
    conn.executescript(
        "PRAGMA foreign_keys = OFF; BEGIN;"
        "CREATE TABLE agent_new AS SELECT 'A' || id AS id, * FROM agent;"
        "DROP TABLE agent;"
        + sql.replace("id INTEGER NOT NULL", "id TEXT NOT NULL").replace(
            "start_date DATE", "start_date BLOB") + ";"
        "COMMIT;")
    conn.close()
    with pytest.raises(ForeignSchema, match="table 'agent' is not defined as Sales Planner"):
        PlanFile.open(plan_path, read_only=True)


@pytest.mark.parametrize("sql, words", [
    ("UPDATE agent SET start_date = x'00ff00ff' WHERE id = (SELECT min(id) FROM agent)",
     "agent.start_date: 1 row with a value that is not text"),
    ("UPDATE agent SET team_id = 'seven' WHERE id = (SELECT min(id) FROM agent)",
     "agent.team_id: 1 row with a value that is not a whole number"),
    ("UPDATE plan SET name = (SELECT group_concat('x', '') FROM (WITH RECURSIVE r(i) AS "
     "(SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1048576) SELECT i FROM r))",
     "plan.name: 1 row with a text longer than 100,000 characters"),
    ("UPDATE sale SET ts = x'00ff' WHERE id IN (SELECT id FROM sale LIMIT 5)",
     "sale.ts: a value that is not text"),
    ("UPDATE call SET agent_id = 'x' WHERE id IN (SELECT id FROM call LIMIT 5)",
     "call.agent_id: a value that is not a number"),
    ("UPDATE daily_agent_stats SET day = 20270101 WHERE rowid = (SELECT min(rowid) FROM "
     "daily_agent_stats)", "daily_agent_stats.day: a value that is not text"),
], ids=["blob date", "text id", "1 MB plan name", "blob time in sales", "text agent in calls",
        "number day in daily totals"])
def test_values_of_the_wrong_kind_are_refused(plan_path: Path, sql: str, words: str,
                                              capsys) -> None:
    _tamper(plan_path, "PRAGMA foreign_keys = OFF", sql)
    before = digest(plan_path)
    with pytest.raises(ForeignValues, match="values Sales Planner never writes") as caught:
        PlanFile.open(plan_path, read_only=True)
    assert words in str(caught.value) and len(str(caught.value)) < 1000
    assert main(["check", str(plan_path)]) == 1
    assert words.split(":")[0] + ":" in capsys.readouterr().out  # with its count of rows
    assert digest(plan_path) == before


def test_check_reports_types_in_the_fact_tables(plan_path: Path) -> None:
    _tamper(plan_path, "UPDATE sale SET revenue_minor = 'lots' WHERE id IN "
                       "(SELECT id FROM sale LIMIT 3)")
    with PlanFile.open(plan_path, read_only=True) as plan:  # fact tables are not read on open
        results = {r.name: r for r in check_plan(plan)}
    values = results["values of their columns' kinds"]
    assert not values.ok
    assert "sale.revenue_minor: 3 rows with a value that is not a whole number" in values.problems


def test_connections_are_defensive(plan_path: Path) -> None:
    with PlanFile.open(plan_path) as plan:
        with plan.connect() as conn:
            assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
            if hardening.defensive_available():
                conn.execute("PRAGMA writable_schema = ON")
                with pytest.raises(sqlite3.Error):
                    conn.execute("UPDATE sqlite_master SET sql = sql WHERE 0")
        with plan.connect(write=True) as conn:
            assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0


def test_defensive_mode_is_on_where_python_is_cpython() -> None:
    import sys

    if sys.implementation.name != "cpython":
        pytest.skip("the ctypes route is for CPython 3.11 only")
    assert hardening.defensive_available()


def test_trigger_switched_off_even_if_planted_after_the_check(plan_path: Path) -> None:
    """Belt and braces: a trigger that appears while the plan is open never fires."""
    if not hardening.defensive_available():
        pytest.skip("no defensive switches on this Python")
    with PlanFile.open(plan_path) as plan:
        _tamper(plan_path, "CREATE TRIGGER late AFTER UPDATE ON plan BEGIN "
                           "UPDATE plan SET status = 'approved'; END")
        with plan.connect(write=True) as conn:
            conn.execute("UPDATE plan SET description = 'edited'")
    conn = sqlite3.connect(plan_path)
    assert conn.execute("SELECT status FROM plan").fetchone()[0] == "draft"
    conn.close()


def test_quote_makes_any_name_an_identifier() -> None:
    conn = sqlite3.connect(":memory:")
    name = 'x" FROM plan; --'
    conn.execute(f"CREATE TABLE {quote(name)} (a)")
    assert conn.execute(f"SELECT count(*) FROM {quote(name)}").fetchone() == (0,)


def test_a_copy_of_a_plan_keeps_opening(plan_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.salesplan"
    shutil.copyfile(plan_path, copy)
    with PlanFile.open(copy, read_only=True) as plan:
        assert all(r.ok for r in check_plan(plan))


def test_repair_copies_the_data_and_leaves_the_planted_things_behind(plan_path: Path,
                                                                     tmp_path: Path,
                                                                     capsys) -> None:
    sales, agents, _status = _counts(plan_path)
    _tamper(plan_path,
            "CREATE TRIGGER wipe AFTER INSERT ON coaching_note BEGIN DELETE FROM sale; END",
            "CREATE VIEW slow AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
            "SELECT count(*) FROM r",
            "ANALYZE",
            "PRAGMA foreign_keys = OFF",
            "UPDATE sale SET revenue_minor = 'lots' WHERE id IN (SELECT id FROM sale LIMIT 4)",
            "UPDATE agent SET start_date = x'00' WHERE id = (SELECT max(id) FROM agent)")
    before = digest(plan_path)
    copy = tmp_path / "repaired.salesplan"
    assert main(["repair", str(plan_path), str(copy)]) == 0
    out = capsys.readouterr().out
    assert "left out 4 sale rows" in out and "left out 1 agent rows" in out
    assert "left behind: trigger 'wipe' on 'coaching_note'" in out and "view 'slow'" in out
    assert "rows that referred to rows left out" in out  # the agent left out: its calls, sales
    assert digest(plan_path) == before
    with PlanFile.open(copy) as plan:
        results = check_plan(plan)
        assert all(r.ok for r in results), [r for r in results if not r.ok]
        with plan.connect() as conn:
            kept_sales, kept_agents = conn.execute(
                "SELECT (SELECT count(*) FROM sale), (SELECT count(*) FROM agent)").fetchone()
            uid = conn.execute("SELECT uid FROM plan").fetchone()[0]
    assert len(uid) == 32 and uid != _uid(plan_path)
    assert kept_agents == agents - 1 and 0 < kept_sales <= sales - 4
    assert main(["repair", str(plan_path), str(copy)]) == 2  # never over a file by accident
    assert "already exists" in capsys.readouterr().err


def test_repair_keeps_a_plan_record_when_the_source_one_breaks_a_rule(plan_path: Path,
                                                                       tmp_path: Path) -> None:
    _tamper(plan_path, "PRAGMA ignore_check_constraints = ON",
            "UPDATE plan SET status = 'bogus'",
            "CREATE TRIGGER t AFTER UPDATE ON plan BEGIN SELECT 1; END")
    copy = tmp_path / "repaired.salesplan"
    from salesplanner.storage.repair import repair

    report = repair(plan_path, copy)
    assert report.skipped.get("plan") == 1
    with PlanFile.open(copy, read_only=True) as plan:
        with plan.connect() as conn:
            assert conn.execute("SELECT count(*), min(status) FROM plan").fetchone() == (1, "draft")


def test_repair_reads_past_a_leftover_journal(plan_path: Path, tmp_path: Path) -> None:
    _tamper(plan_path, "CREATE TRIGGER t AFTER UPDATE ON plan BEGIN SELECT 1; END")
    conn = sqlite3.connect(plan_path, isolation_level=None)
    conn.execute("PRAGMA cache_size = 2")
    conn.execute("BEGIN")
    conn.execute("DELETE FROM call")
    hot = tmp_path / "hot.salesplan"
    shutil.copyfile(plan_path, hot)
    shutil.copyfile(f"{plan_path}-journal", f"{hot}-journal")
    conn.execute("ROLLBACK")
    conn.close()
    before = digest(hot)
    from salesplanner.storage.repair import repair

    report = repair(hot, tmp_path / "repaired.salesplan")
    assert report.copied["call"] == _count(plan_path, "call") > 0
    assert digest(hot) == before and Path(f"{hot}-journal").exists()


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0]
    finally:
        conn.close()


def _uid(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT uid FROM plan").fetchone()[0]
    finally:
        conn.close()


def test_a_no_break_space_in_a_column_definition_is_a_difference(plan_path: Path) -> None:
    """SQLite reads U+00A0 as part of a name: folding it like a space let a retyped table in."""
    conn = sqlite3.connect(plan_path, isolation_level=None)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sale'").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'sale'",
                 (sql.replace("revenue_minor INTEGER", "revenue_minor\u00a0INTEGER"),))
    conn.close()
    with pytest.raises(ForeignSchema, match="table 'sale' is not defined as Sales Planner"):
        PlanFile.open(plan_path, read_only=True)


def test_damage_found_after_opening_is_one_line_and_check_reports_it(
        plan_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Plans over 32 MB are not checked whole on opening: damage meets a later query."""
    from salesplanner.storage import plan_file

    conn = sqlite3.connect(plan_path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sale'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(plan_path.read_bytes())
    data[(root - 1) * page:(root - 1) * page + 64] = b"\x0d" + b"\xff" * 63  # a broken b-tree page
    plan_path.write_bytes(bytes(data))
    monkeypatch.setattr(plan_file, "QUICK_CHECK_MAX_BYTES", 0)
    assert main(["info", str(plan_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SQLite could not read part of the plan" in err
    assert main(["check", str(plan_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "Traceback" not in out


def test_control_characters_never_reach_the_terminal(plan_path: Path, capsys) -> None:
    """A plan or agent name holding an escape sequence could retitle or clear the terminal."""
    _tamper(plan_path, "UPDATE plan SET name = 'Evil' || char(27) || ']0;pwned' || char(7) "
                       "|| char(27) || '[2J plan'")
    assert main(["info", str(plan_path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Evil\\x1b]0;pwned\\x07\\x1b[2J plan" in out


def test_json_nested_beyond_reason_is_refused_on_opening(plan_path: Path) -> None:
    """A report definition nested 50,000 deep made the window's opening raise half way."""
    from salesplanner.storage.stored_values import json_depth

    assert json_depth('{"a": [1, {"b": "[[[[not nesting]]]]"}]}') == 3
    _tamper(plan_path, "INSERT INTO report_definition (name, metrics_json, grouping, period, "
                       "audience, frequency, created_at) VALUES ('deep', "
                       f"'{'[' * 40_000}{']' * 40_000}', 'team', 'qtd', '', 'on_request', "
                       "'2027-01-01 00:00:00')")
    with pytest.raises(ForeignValues, match="report_definition.metrics_json: 1 row with JSON "
                                            "nested more than 32 deep"):
        PlanFile.open(plan_path, read_only=True)
