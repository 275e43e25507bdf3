"""The plan's imports: listing them, removing one, and undoing a removal.

Every row an import wrote carries its ``import_id``, so removing an import
takes out exactly its rows: its sales, calls, interval statistics and
competitor activity, the skill ratings it set, and the agents, products,
teams and skills it created that nothing else in the plan refers to (a
target, planned hours, a coaching note ... keep them). Values it changed in
existing records (an agent's hours, a product's price, a rating it
overwrote) go back to what they were before it. The import stays in the
history, marked ``removed``. What was taken out travels in the operation's
result, so :func:`restore_import` (Edit > Undo) puts it all back exactly.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass

from salesplanner import audit, changes
from salesplanner.changes import OpResult
from salesplanner.daily_stats import rebuild_daily_stats
from salesplanner.errors import UserError
from salesplanner.card_numbers import mask_text
from salesplanner.importing.kinds import KINDS
from salesplanner.storage import catalogue
from salesplanner.storage.plan_file import PlanFile
from salesplanner.storage.stored_values import quote

#: Tables whose rows belong to the import that wrote them, children first.
OWNED_TABLES = ("sale", "call", "interval_stat", "competitor_activity", "customer_feedback",
                "qa_score", "skill_rating")
#: Master data an import may have created: by ``import_id`` (agent, product)
#: or by the ids the import recorded (team, skill). Removed only if nothing
#: else refers to it.
CREATED_TABLES = ("agent", "product", "team", "skill")


def _unreferenced(conn: sqlite3.Connection, table: str) -> str:
    """SQL that is true for a ``table`` row no other table refers to."""
    checks = [f"NOT EXISTS (SELECT 1 FROM {quote(child)} WHERE "
              f"{quote(child)}.{quote(column)} = {quote(table)}.id)"
              for child, column in catalogue.references_to(conn, table)]
    return " AND ".join(checks) or "1"


@dataclass(frozen=True)
class ImportEntry:
    """One line of the import history."""

    id: int
    imported_at: str
    file_name: str
    kind: str
    sheet: str | None
    rows_read: int
    imported: int
    duplicates: int
    rejected: int
    masked: int
    status: str

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return asdict(self)


def list_imports(plan: PlanFile) -> list[ImportEntry]:
    """Every import, newest first."""
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT id, imported_at, file_name, kind, sheet, rows_read, rows_imported,"
            " rows_duplicate, rows_rejected, values_masked, status FROM import_batch"
            " ORDER BY id DESC").fetchall()
    # Names are masked when an import is recorded; plans written before that
    # may still hold a card number in one.
    return [ImportEntry(id_, at, mask_text(name), kind, sheet and mask_text(sheet), *counts)
            for id_, at, name, kind, sheet, *counts in rows]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return catalogue.columns(conn, table)


def remove_import(plan: PlanFile, batch_id: int, who: str = "user") -> OpResult:
    """Take out exactly the rows import ``batch_id`` wrote; undo with :func:`restore_import`."""
    removed: dict[str, tuple[list[str], list[tuple]]] = {}
    with plan.connect(write=True) as conn:
        row = conn.execute("SELECT file_name, kind, status, options_json FROM import_batch"
                           " WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            raise UserError(f"there is no import {batch_id}; 'salesplanner imports PLAN' "
                            "lists them")
        file_name, kind, status, options = row
        if status == "removed":
            raise UserError(f"import {batch_id} ({file_name}) was already removed")
        if kind == "demo":
            raise UserError("the demo data cannot be removed; create a new plan instead")
        total = 0
        for table in OWNED_TABLES:
            cols = _columns(conn, table)
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE import_id = ?",
                                (batch_id,)).fetchall()
            if rows:
                removed[table] = (cols, rows)
                conn.execute(f"DELETE FROM {table} WHERE import_id = ?", (batch_id,))
                total += len(rows) if table != "skill_rating" else 0
        record = json.loads(options or "{}")
        for table in CREATED_TABLES:
            cols = _columns(conn, table)
            ids = record.get("created_ids", {}).get(table, [])
            mine = ("import_id = ?", (batch_id,)) if table in ("agent", "product") else (
                f"id IN ({', '.join('?' * len(ids))})", tuple(ids))
            if not mine[1]:
                continue
            rows = conn.execute(
                f"SELECT {', '.join(cols)} FROM {table} WHERE {mine[0]}"
                f" AND {_unreferenced(conn, table)}", mine[1]).fetchall()
            if rows:
                removed[table] = (cols, rows)
                conn.executemany(f"DELETE FROM {table} WHERE id = ?", [(r[0],) for r in rows])
        replaced = record.get("replaced", [])
        _apply(conn, replaced, "old")
        conn.execute("UPDATE import_batch SET status = 'removed' WHERE id = ?", (batch_id,))
        if "sale" in removed or "call" in removed:
            rebuild_daily_stats(conn)
        audit.record(conn, who, "remove_import", "import_batch", batch_id, {
            "file": file_name, "rows": {t: len(r) for t, (_c, r) in removed.items()}})
    counts = ", ".join(f"{len(r):,} {t.replace('_', ' ')}" for t, (_c, r) in removed.items())
    return OpResult(_kinds(kind), f"removed import {batch_id} ({file_name}): "
                    + (counts or "it had no rows left"),
                    {"batch_id": batch_id, "removed": removed, "kind": kind,
                     "replaced": replaced})


def restore_import(plan: PlanFile, detail: dict, who: str = "user") -> OpResult:
    """Put back what :func:`remove_import` took out (its result's ``detail``)."""
    batch_id, removed = detail["batch_id"], detail["removed"]
    with plan.connect(write=True) as conn:
        status = conn.execute("SELECT status FROM import_batch WHERE id = ?",
                              (batch_id,)).fetchone()
        if status is None or status[0] != "removed":
            raise UserError(f"import {batch_id} is not removed; nothing to restore")
        for table in (*CREATED_TABLES, *OWNED_TABLES):
            if table in removed:
                cols, rows = removed[table]
                # OR REPLACE: a rating put back on removal gives way to the import's again.
                catalogue.put_rows(conn, table, cols, rows)
        _apply(conn, detail.get("replaced", []), "new")
        conn.execute("UPDATE import_batch SET status = 'complete' WHERE id = ?", (batch_id,))
        if "sale" in removed or "call" in removed:
            rebuild_daily_stats(conn)
        audit.record(conn, who, "restore_import", "import_batch", batch_id)
    return OpResult(_kinds(detail.get("kind", "")), f"restored import {batch_id}",
                    {"batch_id": batch_id})


def _apply(conn: sqlite3.Connection, replaced: list[dict], which: str) -> None:
    """Set the ``old`` (or ``new``) values of records an import changed."""
    for change in reversed(replaced) if which == "old" else replaced:
        table, key, values = change["table"], change["key"], change[which]
        where = " AND ".join(f"{k} = ?" for k in key)
        if table == "skill_rating":  # the import's own row is gone: put the old one back
            cols = [*key, *values]
            catalogue.put_rows(conn, "skill_rating", cols, [(*key.values(), *values.values())])
            continue
        conn.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)} WHERE {where}",
                     (*values.values(), *key.values()))


def _kinds(kind: str) -> frozenset[str]:
    """What removing (or restoring) an import of ``kind`` changes: what its record says
    the import changed; for other batches (the demo) all the master data and facts."""
    record = KINDS.get(kind)
    if record is not None:
        return frozenset(record.changes | {changes.IMPORTS})
    return frozenset({changes.IMPORTS, changes.AGENTS, changes.PRODUCTS, changes.TEAMS,
                      changes.SKILLS, changes.SALES, changes.CALLS})
