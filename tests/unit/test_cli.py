"""The command line, run as a user runs it: a separate process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from salesplanner.storage.plan_file import SCHEMA_VERSION

from tests.helpers.files import digest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "salesplanner", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def _one_line_error(result: subprocess.CompletedProcess, code: int = 2) -> str:
    assert result.returncode == code, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("salesplanner: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("new", "demo", "info", "check"):
        assert command in result.stdout
        sub = run(command, "--help")
        assert sub.returncode == 0 and "usage:" in sub.stdout


def test_new_info_check(tmp_path: Path) -> None:
    plan = tmp_path / "q1.salesplan"
    created = run("new", plan, "--name", "North Q1", "--quarter", "2027-Q1", "--currency", "EUR")
    assert created.returncode == 0, created.stderr
    info = run("info", plan, "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert (data["name"], data["quarter"], data["currency"], data["schema_version"]) == \
        ("North Q1", "2027-Q1", "EUR", SCHEMA_VERSION)
    assert data["counts"]["sale"] == 0 and data["first_sale"] is None and data["sales_revenue"] == 0
    text = run("info", plan)
    assert "North Q1" in text.stdout and "2027-01-01 to 2027-03-31" in text.stdout
    check = run("check", plan)
    assert check.returncode == 0 and "all 9 checks passed" in check.stdout


def test_info_json_on_the_demo(demo_path: Path) -> None:
    data = json.loads(run("info", demo_path, "--json").stdout)
    expected_keys = {"path", "name", "quarter", "quarter_start", "quarter_end", "currency",
                     "status", "schema_version", "created_at", "modified_at", "agents",
                     "active_agents", "teams", "products", "first_sale", "last_sale",
                     "sales_revenue", "counts"}
    assert set(data) == expected_keys
    conn = sqlite3.connect(demo_path)
    revenue = conn.execute(
        "SELECT sum(revenue_minor) FROM sale WHERE outcome <> 'cancelled'").fetchone()[0]
    first = conn.execute("SELECT min(ts) FROM sale").fetchone()[0]
    conn.close()
    assert data["sales_revenue"] == pytest.approx(revenue / 100)
    assert data["first_sale"] == first
    assert data["agents"] == 24 and data["counts"]["call"] > 1000


def test_demo_command_writes_a_plan_that_checks(tmp_path: Path) -> None:
    plan = tmp_path / "d.salesplan"
    result = run("demo", plan, "--agents", "8", "--months", "3", "--seed", "3", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "8 agents" in result.stdout
    assert run("check", plan).returncode == 0
    conn = sqlite3.connect(plan)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_check_reports_failures_with_exit_1(demo_path: Path) -> None:
    conn = sqlite3.connect(demo_path)
    conn.execute("UPDATE call SET hour = (hour + 1) % 24 WHERE id <= 5")
    conn.execute("DELETE FROM daily_agent_stats WHERE rowid IN (SELECT rowid FROM daily_agent_stats LIMIT 3)")
    conn.commit()
    conn.close()
    result = run("check", demo_path)
    assert result.returncode == 1
    assert "FAIL  derived time keys" in result.stdout and "5 call rows" in result.stdout
    assert "FAIL  daily totals" in result.stdout
    assert "2 of 9 checks failed" in result.stderr


@pytest.mark.parametrize("args, fragment", [
    (("new", "{p}", "--name", "x", "--quarter", "27Q1"), "YEAR-QN"),
    (("new", "{p}", "--quarter", "2027-Q1"), "--name"),
    (("new", "{p}", "--name", "x", "--quarter", "2027-Q1", "--currency", "GBX"), "GBX"),
    (("info", "{missing}"), "no such file"),
    (("info", "{text}"), "not an SQLite database"),
    (("check", "{text}"), "not an SQLite database"),
    (("demo", "{p}", "--agents", "lots"), "whole number"),
    (("demo", "{p}", "--agents", "3"), "--agents 3 is out of range"),
    (("info",), "required"),
    (("--frobnicate",), "unrecognized"),
    (("new", "{text}", "--name", "x", "--quarter", "2027-Q1"), "already exists"),
])
def test_user_mistakes_get_one_line_and_change_nothing(tmp_path: Path, args, fragment) -> None:
    text = tmp_path / "notes.salesplan"
    text.write_text("this is not a plan\n")
    before = digest(text)
    values = {"p": tmp_path / "new.salesplan", "missing": tmp_path / "missing.salesplan",
              "text": text}
    line = _one_line_error(run(*(a.format(**values) for a in args)))
    assert fragment in line
    assert digest(text) == before
    assert not (tmp_path / "new.salesplan").exists()


def test_by_names_the_person_in_the_audit_trail(demo_path: Path) -> None:
    """``--by NAME`` is who the changes are recorded for; without it, SALESPLANNER_USER."""
    assert run("targets", demo_path, "--growth", "5%", "--by", " Ann  Smith ").returncode == 0
    assert run("metrics", demo_path, "--thresholds", "conversion_rate=20%:30%").returncode == 0
    with sqlite3.connect(demo_path) as conn:
        who = conn.execute("SELECT action, who FROM audit_event ORDER BY id").fetchall()
    assert who[-2:] == [("propose_targets", "Ann Smith"), ("set_thresholds", "Test Manager")]


def test_by_is_taken_by_exactly_the_commands_that_change_a_plan() -> None:
    from salesplanner.cli import build_parser

    parser = build_parser()
    taking = {name for name, sub in parser.commands.items()
              if any("--by" in a.option_strings and a.dest == "actor" for a in sub._actions)}
    assert taking == {"new", "demo", "repair", "import", "imports", "metrics", "targets",
                      "performance", "reports"}


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """Every command and the window start through salesplanner.cli: pandas, SQLAlchemy
    and Qt are imported by the commands that need them, never on the way in."""
    import subprocess
    import sys

    code = ("import sys, salesplanner.cli; "
            "print(sorted(m for m in ('pandas', 'sqlalchemy', 'PySide6', 'pyarrow') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
