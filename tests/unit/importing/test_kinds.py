"""The import kinds' records: complete, the only list of kinds, and true to their writers."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from salesplanner.importing import convert, fields, history, write
from salesplanner.importing.kinds import KINDS, TABLE_CHANGES, kind_record
from salesplanner.importing.run import ImportOptions, import_file
from salesplanner.storage.plan_file import PlanFile
from salesplanner.storage.schema.activity import IMPORT_KINDS
from salesplanner.storage.schema.base import Base

#: Tables every import writes whatever its kind: bookkeeping and derived figures.
BOOKKEEPING = {"import_batch", "import_mapping", "audit_event", "daily_agent_stats"}

#: A tiny file of each kind that adds a new agent, team, product or skill wherever the
#: kind can, so that every table its writer may touch is touched.
TINY = {
    "sales": "Date,Agent,Agent Name,Team,SKU,Product Name,Revenue\n"
             "2026-03-02 10:00,NEW1,New One,New Team,NEW-SKU,New thing,12.50\n",
    "calls": "Date,Agent,Direction,Duration,Outcome\n2026-03-02 10:00,NEW2,inbound,300,sale\n",
    "intervals": "Interval start,Queue,Offered,Handled,AHT\n2026-03-02 09:00,Sales,10,8,240\n",
    "agents": "Agent,Name,Team,Weekly hours\nNEW3,New Three,Another Team,30\n",
    "products": "SKU,Name,Category,Price\nNEW-SKU-2,Gadget,Things,9.99\n",
    "skills": "Agent,Skill,Rating\nNEW4,Underwater negotiation,4\n",
    "competitors": "Date,Competitor,Activity,Impact\n2026-03-02,Rival plc,Half price,high\n",
}


@pytest.mark.parametrize("name", list(KINDS))
def test_every_record_is_complete(name: str) -> None:
    record = kind_record(name)
    assert record.name == name and record.label and record.short_label
    names = [f.name for f in record.fields]
    assert names and len(names) == len(set(names))
    assert record.required and all(set(g) <= set(names) for g in record.required)
    assert set(record.types) <= set(names)
    if record.split_day is not None:
        assert {record.moment, record.split_day} <= set(names)
    assert {f for f, t in record.types.items() if t == "choice"} == set(record.choices)
    assert inspect.isfunction(getattr(convert, record.rules, None)), record.rules
    assert inspect.isfunction(getattr(write, record.writer, None)), record.writer
    tables = set(Base.metadata.tables)
    assert set(record.tables) | set(record.creates) <= tables
    assert set(record.tables) <= set(history.OWNED_TABLES)
    assert set(record.creates) <= set(history.CREATED_TABLES)
    assert record.changes == {TABLE_CHANGES[t] for t in (*record.tables, *record.creates)}
    assert name in IMPORT_KINDS  # the plan file accepts a batch of this kind
    assert name in TINY  # and the writer test below covers it


def test_unknown_kind_names_the_kinds() -> None:
    with pytest.raises(ValueError, match="kinds are sales, calls"):
        kind_record("mystery")


def test_every_list_of_kinds_is_the_registry() -> None:
    from salesplanner.cli.program import build_parser
    from salesplanner.ui import import_wizard
    from salesplanner.ui.panels import imports as imports_panel

    names = list(KINDS)
    assert list(fields.KINDS) == names and list(fields.REQUIRED) == names
    assert list(convert._TYPES) == names
    assert {k for k, _ in convert._CHOICES} <= set(names)
    assert list(write.WRITERS) == names
    assert all(write.WRITERS[n].__name__ == KINDS[n].writer for n in names)
    assert import_wizard.KIND_LABELS == {n: k.label for n, k in KINDS.items()}
    assert {n: imports_panel.KIND_NAMES[n] for n in names} == {
        n: k.short_label for n, k in KINDS.items()}
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    import_parser = sub.choices["import"]
    for dest in ("kind", "fields"):
        action = next(a for a in import_parser._actions if a.dest == dest)
        assert list(action.choices) == names


def _counts(plan: PlanFile) -> dict[str, int]:
    with plan.connect() as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in Base.metadata.tables}


@pytest.mark.parametrize("name", list(KINDS))
def test_what_a_kind_says_it_changes_is_what_its_writer_writes(
        name: str, empty_plan: PlanFile, tmp_path: Path) -> None:
    record = KINDS[name]
    source = tmp_path / f"{name}.csv"
    source.write_text(TINY[name], encoding="utf-8")
    before = _counts(empty_plan)
    summary, result = import_file(empty_plan, source, ImportOptions(kind=name))
    assert summary.imported == 1
    after = _counts(empty_plan)
    touched = {t for t in after if after[t] != before[t]} - BOOKKEEPING
    assert touched == set(record.tables) | set(record.creates)
    assert result.changes == record.changes | {"imports"}
    # Removing it again changes the same kinds of thing.
    removed = history.remove_import(empty_plan, summary.batch_id)
    assert removed.changes == result.changes
