"""``salesplanner import`` and ``salesplanner imports``, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.files import digest
from tests.unit.test_cli import run

SALES = ("Date,Agent,Revenue,Notes\n13/02/2026,A1,10,card 4111-1111-1111-1111\n"
         "14/02/2026,A2,oops,\n15/02/2026,A3,5,\n")


def test_import_prints_problems_and_ends_with_the_counts(tmp_path: Path) -> None:
    plan = tmp_path / "p.salesplan"
    assert run("new", plan, "--name", "P", "--quarter", "2027-Q1").returncode == 0
    source = tmp_path / "s.csv"
    source.write_text(SALES)
    rejects = tmp_path / "rejects.csv"
    result = run("import", plan, source, "--rejects", rejects)
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip().splitlines()
    assert out[-1] == "imported 2, duplicates 0, rejected 1, masked 1"
    assert "row 3, column 'Revenue': 'oops' is not an amount" in out
    assert "4111" not in result.stdout + result.stderr + rejects.read_text(encoding="utf-8-sig")
    again = run("import", plan, source)
    assert again.stdout.strip().splitlines()[-1] == \
        "imported 0, duplicates 2, rejected 1, masked 1"
    listing = json.loads(run("imports", plan, "--json").stdout)
    assert [(e["id"], e["imported"], e["status"]) for e in listing] == [
        (2, 0, "complete"), (1, 2, "complete")]
    removed = run("imports", plan, "--remove", "1")
    assert removed.returncode == 0 and "removed import 1" in removed.stdout
    assert json.loads(run("info", plan, "--json").stdout)["counts"]["sale"] == 0


def test_strict_exits_1_unreadable_exits_2_and_both_change_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "p.salesplan"
    run("new", plan, "--name", "P", "--quarter", "2027-Q1")
    before = digest(plan)
    source = tmp_path / "s.csv"
    source.write_text(SALES)
    strict = run("import", plan, source, "--strict")
    assert strict.returncode == 1
    assert strict.stdout.strip().splitlines()[-1] == \
        "imported 0, duplicates 0, rejected 1, masked 1"
    assert "strict" in strict.stderr and "Traceback" not in strict.stderr
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    result = run("import", plan, empty)
    assert result.returncode == 2 and "empty" in result.stderr
    ambiguous = tmp_path / "a.csv"
    ambiguous.write_text("Date,Agent,Revenue\n01/02/2026,A1,1\n")
    result = run("import", plan, ambiguous)
    assert result.returncode == 2 and "--dayfirst or --monthfirst" in result.stderr
    assert digest(plan) == before
    assert run("import", plan, ambiguous, "--dayfirst").returncode == 0


def test_fields_lists_what_map_takes() -> None:
    result = run("import", "--fields", "calls")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    # The fields, plus the time of day for exports that keep it apart.
    assert names == ["call_id", "date", "time", "agent", "direction", "duration", "outcome",
                     "queue"]
