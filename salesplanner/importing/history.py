"""The plan's imports: listing them, removing one, and undoing a removal.

Every row an import wrote carries its ``import_id``, so removing an import
takes out exactly its rows: its sales, calls, interval statistics and
competitor activity, the skill ratings it set, and the agents, teams and
products it created that nothing else refers to any more. The import stays
in the history, marked ``removed``. The removed rows travel in the
operation's result, so :func:`restore_import` (Edit > Undo) puts them back
exactly, with their ids. Updates an import made to existing agents or
products are not reverted by removing it (the history shows the import;
the audit trail has the details).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.daily_stats import rebuild_daily_stats
from salesplanner.errors import UserError
from salesplanner.storage.plan_file import PlanFile, now

#: Tables whose rows belong to the import that wrote them, children first.
OWNED_TABLES = ("sale", "call", "interval_stat", "competitor_activity", "customer_feedback",
                "qa_score", "skill_rating")
#: Master data an import may have created; removed only if nothing refers to it.
CREATED_TABLES = {
    "agent": ("SELECT 1 FROM sale WHERE agent_id = agent.id UNION ALL "
              "SELECT 1 FROM call WHERE agent_id = agent.id UNION ALL "
              "SELECT 1 FROM skill_rating WHERE agent_id = agent.id"),
    "product": "SELECT 1 FROM sale WHERE product_id = product.id",
}


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
    return [ImportEntry(*row) for row in rows]


def _columns(conn, table: str) -> list[str]:  # noqa: ANN001
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def remove_import(plan: PlanFile, batch_id: int, who: str = "user") -> OpResult:
    """Take out exactly the rows import ``batch_id`` wrote; undo with :func:`restore_import`."""
    removed: dict[str, tuple[list[str], list[tuple]]] = {}
    with plan.connect(write=True) as conn:
        row = conn.execute("SELECT file_name, kind, status FROM import_batch WHERE id = ?",
                           (batch_id,)).fetchone()
        if row is None:
            raise UserError(f"there is no import {batch_id}; 'salesplanner imports PLAN' "
                            "lists them")
        file_name, kind, status = row
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
        for table, refs in CREATED_TABLES.items():
            cols = _columns(conn, table)
            rows = conn.execute(
                f"SELECT {', '.join(cols)} FROM {table} WHERE import_id = ?"
                f" AND NOT EXISTS ({refs})", (batch_id,)).fetchall()
            if rows:
                removed[table] = (cols, rows)
                conn.executemany(f"DELETE FROM {table} WHERE id = ?",
                                 [(r[0],) for r in rows])
        conn.execute("UPDATE import_batch SET status = 'removed' WHERE id = ?", (batch_id,))
        if "sale" in removed or "call" in removed:
            rebuild_daily_stats(conn)
        conn.execute(
            "INSERT INTO audit_event (at, who, action, entity, entity_key, old_json)"
            " VALUES (?, ?, 'remove_import', 'import_batch', ?, ?)",
            (now().isoformat(" "), who, str(batch_id), json.dumps(
                {"file": file_name, "rows": {t: len(r) for t, (_c, r) in removed.items()}})))
    counts = ", ".join(f"{len(r):,} {t.replace('_', ' ')}" for t, (_c, r) in removed.items())
    return OpResult(_kinds(kind), f"removed import {batch_id} ({file_name}): "
                    + (counts or "it had no rows left"),
                    {"batch_id": batch_id, "removed": removed, "kind": kind})


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
                conn.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    rows)
        conn.execute("UPDATE import_batch SET status = 'complete' WHERE id = ?", (batch_id,))
        if "sale" in removed or "call" in removed:
            rebuild_daily_stats(conn)
        conn.execute(
            "INSERT INTO audit_event (at, who, action, entity, entity_key)"
            " VALUES (?, ?, 'restore_import', 'import_batch', ?)",
            (now().isoformat(" "), who, str(batch_id)))
    return OpResult(_kinds(detail.get("kind", "")), f"restored import {batch_id}",
                    {"batch_id": batch_id})


def _kinds(kind: str) -> frozenset[str]:
    base = {changes.IMPORTS, changes.AGENTS, changes.PRODUCTS, changes.TEAMS}
    extra = {"sales": {changes.SALES}, "calls": {changes.CALLS}, "intervals": {changes.CALLS},
             "skills": {changes.SKILLS}, "competitors": {changes.SALES}}
    return frozenset(base | extra.get(kind, set()))
