"""Writing converted records into the plan, inside the import's transaction.

Everything here runs on the one write connection of an import (see
:mod:`.run`), so an error or a cancel anywhere rolls back every row, every
agent created and the import record itself.

- Agents, teams, products and skills the records name but the plan lacks are
  created and listed in the summary.
- Duplicates are skipped: by the source's own key where it has one (sale
  id, call id, interval start and queue, agent code, SKU, agent and skill),
  else by row fingerprint (:mod:`.fingerprints`).
- Master data (agents, products, skill ratings) already in the plan is
  updated where the file says something different; an identical row is a
  duplicate.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Container
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from salesplanner.importing import facts
from salesplanner.importing.convert import Converted
from salesplanner.importing.fingerprints import row_fingerprints
from salesplanner.importing.kinds import KINDS
from salesplanner.jobs import JobToken
from salesplanner.periods import time_keys

DEFER_INDEXES_ROWS = facts.DEFER_INDEXES_ROWS
_CHUNK = facts.CHUNK_ROWS


@dataclass
class WriteResult:
    """What the write added, skipped and created."""

    imported: int = 0
    duplicates: int = 0
    updated: int = 0
    created: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Ids of teams and skills the import created (those tables keep no import id).
    created_ids: dict[str, list[int]] = field(default_factory=dict)
    #: Existing records the import changed: ``{"table", "key", "old", "new"}``
    #: (column -> value dicts), so removing the import can put them back.
    replaced: list[dict] = field(default_factory=list)


def _obj(values: object, rows: np.ndarray) -> list:
    """Selected rows of a typed column as Python values for SQLite (None if missing)."""
    if values is None:
        return [None] * len(rows)
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return pc.take(values, pa.array(rows)).to_pylist()
    picked = np.asarray(values)[rows]
    if picked.dtype.kind == "M":  # Arrow writes "YYYY-MM-DD HH:MM:SS", NaT as null
        return pc.cast(pa.array(picked.astype("datetime64[s]")), pa.string()).to_pylist()
    if picked.dtype.kind == "f":
        return [None if v != v else v for v in picked.tolist()]
    return picked.tolist()


def _ints(values: object, rows: np.ndarray) -> list:
    return [None if v is None else int(v) for v in _obj(values, rows)]


def _arrays(rows: dict[str, list]) -> dict[str, pa.Array]:
    return {name: pa.array(values) if any(v is not None for v in values)
            else pa.nulls(len(values), pa.string()) for name, values in rows.items()}


def _unique(code: str, taken: Container[str], limit: int) -> str:
    """``code``, or ``code-2``, ``code-3`` ... when it is taken (within ``limit`` characters)."""
    if code not in taken:
        return code
    n = 2
    while f"{code[:limit - len(str(n)) - 1]}-{n}" in taken:
        n += 1
    return f"{code[:limit - len(str(n)) - 1]}-{n}"


def _slug(text: str, limit: int = 40) -> str:
    return (re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").upper() or "X")[:limit]


class _Lookup:
    """Codes and names of existing records, creating the missing ones."""

    def __init__(self, conn: sqlite3.Connection, batch: int, result: WriteResult) -> None:
        self.conn, self.batch, self.result = conn, batch, result
        self.teams = {(name or "").casefold(): tid for tid, name in
                      conn.execute("SELECT id, name FROM team")}
        self.team_codes = {code for (code,) in conn.execute("SELECT code FROM team")}
        self.teams.update({code.casefold(): tid for tid, code in
                           conn.execute("SELECT id, code FROM team")})
        self.agents = dict(conn.execute("SELECT code, id FROM agent"))
        self.products = dict(conn.execute("SELECT sku, id FROM product"))
        self.product_names = {name.casefold(): pid for name, pid in
                              conn.execute("SELECT name, id FROM product")}

    def team(self, name: str | None) -> int | None:
        if not name:
            return None
        found = self.teams.get(name.casefold())
        if found is None:
            code = _unique(_slug(name), {c for c in self.team_codes}, 40)
            self.team_codes.add(code)
            found = self.conn.execute("INSERT INTO team (code, name) VALUES (?, ?)",
                                      (code, name)).lastrowid
            self.result.created_ids.setdefault("team", []).append(found)  # type: ignore[arg-type]  # an id
            self.teams[name.casefold()] = self.teams[code.casefold()] = found
            self.result.created.setdefault("teams", []).append(name)
        return found

    def agent(self, code: str, name: str | None, team: str | None) -> int:
        found = self.agents.get(code)
        if found is None:
            found = self.conn.execute(
                "INSERT INTO agent (code, name, team_id, import_id) VALUES (?, ?, ?, ?)",
                (code, name or code, self.team(team), self.batch)).lastrowid
            self.agents[code] = found
            self.result.created.setdefault("agents", []).append(code)
        return found  # type: ignore[return-value]  # lastrowid after an INSERT

    def product(self, sku: str | None, name: str | None, category: str | None,
                price_minor: float | None) -> int | None:
        if sku:
            found = self.products.get(sku)
            if found is None:  # a product column may hold names, not codes
                found = self.product_names.get(sku.casefold())
            if found is None and not re.fullmatch(r"\S{1,60}", sku):
                name, sku = name or sku, _unique(_slug(sku, 60), self.products, 60)
        elif name:  # only a product column: a product's name, or its code
            found = self.product_names.get(name.casefold()) or self.products.get(name)
            sku = _unique(_slug(name, 60), self.products, 60)
        else:
            return None
        if found is None:
            price = 0 if price_minor is None or price_minor != price_minor else int(price_minor)
            found = self.conn.execute(
                "INSERT INTO product (sku, name, category, unit_price_minor, import_id)"
                " VALUES (?, ?, ?, ?, ?)",
                (sku, name or sku, category, max(price, 0), self.batch)).lastrowid
            self.products[sku] = found
            if name:
                self.product_names[name.casefold()] = found
            self.result.created.setdefault("products", []).append(sku)
        return found


def _new_rows(keys: list, existing: set, good: np.ndarray) -> tuple[np.ndarray, int]:
    """Of the good rows, those whose key is new (first in the file wins)."""
    seen = set(existing)
    keep = []
    for i, key in zip(good.tolist(), keys):
        if key in seen:
            continue
        seen.add(key)
        keep.append(i)
    kept = np.array(keep, dtype=np.int64)
    return kept, len(good) - len(kept)


def write_sales(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                result: WriteResult) -> None:
    """Sale lines (see :mod:`.facts`)."""
    facts.write_sales(conn, data, batch, token, result, _Lookup(conn, batch, result))


def write_calls(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                result: WriteResult) -> None:
    """Calls (see :mod:`.facts`)."""
    facts.write_calls(conn, data, batch, token, result, _Lookup(conn, batch, result))


def write_intervals(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                    result: WriteResult) -> None:
    """Interval statistics; an interval is known by its start and queue."""
    v = data.values
    good = np.flatnonzero(data.good)
    stamps = np.asarray(v["interval_start"])
    starts = _obj(stamps, good)
    queues = _obj(v.get("queue"), good)
    existing = set(conn.execute("SELECT interval_start, coalesce(queue, '') FROM interval_stat"))
    keep_pos, duplicates = _new_rows(list(zip(starts, [q or "" for q in queues])), existing,
                                     np.arange(len(good)))
    keep = good[keep_pos]
    result.duplicates += duplicates
    minutes = _interval_minutes(stamps)
    teams: dict[str, int] = {}
    for tid, code, name, queue in conn.execute("SELECT id, code, name, queue FROM team"):
        for key in (code, name, queue):
            if key:
                teams.setdefault(key.casefold(), tid)
    keys = time_keys(stamps[keep])
    queue_values = _obj(v.get("queue"), keep)
    # Handled calls and handle time are optional: unknown is NULL, never 0.
    aht = np.asarray(v["aht"], dtype=float) if "aht" in v else np.full(len(stamps), np.nan)
    rows = {
        "interval_start": _obj(stamps, keep), "minutes": [minutes] * len(keep),
        "iso_year": keys["iso_year"].tolist(), "iso_week": keys["iso_week"].tolist(),
        "weekday": keys["weekday"].tolist(), "hour": keys["hour"].tolist(),
        "queue": queue_values,
        "team_id": [teams.get(q.casefold()) if q else None for q in queue_values],
        "offered": _ints(v["offered"], keep), "handled": _ints(v.get("handled"), keep),
        "aht_s": [None if a != a else a for a in aht[keep].tolist()],
        "import_id": [batch] * len(keep),
    }
    facts.insert_facts(conn, "interval_stat", _arrays(rows), token)
    result.imported += len(keep)


def _interval_minutes(stamps: np.ndarray) -> int:
    """The interval length: the commonest gap between distinct starts (30 if unclear)."""
    distinct = np.unique(stamps[~np.isnat(stamps)])
    if len(distinct) < 2:
        return 30
    gaps = np.diff(distinct).astype("timedelta64[m]").astype(np.int64)
    gaps = gaps[(gaps > 0) & (gaps <= 60)]
    if not len(gaps):
        return 30
    values, counts = np.unique(gaps, return_counts=True)
    return int(values[np.argmax(counts)])


def write_competitors(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                      result: WriteResult) -> None:
    """Competitor activity, told apart by fingerprint."""
    v = data.values
    good = np.flatnonzero(data.good)
    days = np.asarray(v["date"])
    prints = row_fingerprints([days, v["competitor"], v["activity"],
                               *([v["impact"]] if "impact" in v else [])])
    existing = np.array([f for (f,) in conn.execute(
        "SELECT fingerprint FROM competitor_activity WHERE fingerprint IS NOT NULL")],
        dtype=np.int64)
    keep = good[~np.isin(prints[good], existing)]
    result.duplicates += len(good) - len(keep)
    rows = {"day": [d[:10] for d in _obj(days.astype("datetime64[s]"), keep)],
            "competitor": _obj(v["competitor"], keep), "activity": _obj(v["activity"], keep),
            "impact": _obj(v.get("impact"), keep), "import_id": [batch] * len(keep),
            "fingerprint": prints[keep].tolist()}
    facts.insert_columns(conn, "competitor_activity", _arrays(rows), token,
                         "writing competitor activity", 0.6, 0.95)
    result.imported += len(keep)


def write_agents(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                 result: WriteResult) -> None:
    """Agents: new codes added, existing ones updated where the file differs."""
    v = data.values
    good = np.flatnonzero(data.good)
    lookup = _Lookup(conn, batch, result)
    current = {code: (aid, name, team, start, hours) for aid, code, name, team, start, hours in
               conn.execute("SELECT id, code, name, team_id, start_date, weekly_hours FROM agent")}
    seen: set[str] = set()
    codes, names, teams = (_obj(v.get(f), good) for f in ("agent", "name", "team"))
    starts = [None if s is None else s[:10]
              for s in _obj(np.asarray(v["start_date"]).astype("datetime64[s]"), good)] \
        if "start_date" in v else [None] * len(good)
    hours = _obj(v.get("hours"), good)
    for code, name, team, start, hour in zip(codes, names, teams, starts, hours):
        if code in seen:
            result.duplicates += 1
            continue
        seen.add(code)
        team_id = lookup.team(team)
        _upsert(conn, result, "agent", current.get(code),
                ("code", "name", "team_id", "start_date", "weekly_hours", "import_id"),
                (code, name or code, team_id, start, 37.5 if hour is None else hour, batch),
                (name, team_id if team else None, start, hour))


def write_products(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                   result: WriteResult) -> None:
    """Products: new SKUs added, existing ones updated where the file differs."""
    v = data.values
    good = np.flatnonzero(data.good)
    current = {sku: (pid, name, category, price) for pid, sku, name, category, price in
               conn.execute("SELECT id, sku, name, category, unit_price_minor FROM product")}
    seen: set[str] = set()
    rows = zip(*(_obj(v.get(f), good) for f in ("sku", "name", "category", "price")))
    for sku, name, category, price in rows:
        if sku in seen:
            result.duplicates += 1
            continue
        seen.add(sku)
        price = None if price is None else int(price)
        _upsert(conn, result, "product", current.get(sku),
                ("sku", "name", "category", "unit_price_minor", "import_id"),
                # A blank price is unknown (NULL), not a price of 0.
                (sku, name or sku, category, price, batch), (name, category, price))


def _upsert(conn: sqlite3.Connection, result: WriteResult, table: str, current: tuple | None,
            columns: tuple[str, ...], new_row: tuple, updates: tuple) -> None:
    """Insert a master record, or update the fields the file gives where they differ.

    ``current`` is ``(id, *values)`` of the existing record; ``updates`` the
    file's values for the same fields (None where it says nothing).
    """
    if current is None:
        conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) "
                     f"VALUES ({', '.join('?' * len(columns))})", new_row)
        result.imported += 1
        return
    record_id, *old = current
    new = tuple(o if u is None else u for o, u in zip(old, updates))
    if new == tuple(old):
        result.duplicates += 1
        return
    fields = columns[1:1 + len(updates)]
    conn.execute(f"UPDATE {table} SET {', '.join(f'{f} = ?' for f in fields)} WHERE id = ?",
                 (*new, record_id))
    result.replaced.append({"table": table, "key": {"id": record_id},
                            "old": dict(zip(fields, old)), "new": dict(zip(fields, new))})
    result.updated += 1
    result.imported += 1


def write_skills(conn: sqlite3.Connection, data: Converted, batch: int, token: JobToken,
                 result: WriteResult) -> None:
    """Skill ratings (agent, skill, 1-5): new skills and agents are created."""
    from datetime import date

    v = data.values
    good = np.flatnonzero(data.good)
    lookup = _Lookup(conn, batch, result)
    skills: dict[str, int] = {}
    for sid, code, name in conn.execute("SELECT id, code, name FROM skill"):
        skills[_skill_key(code)] = skills[_skill_key(name)] = sid
    current = {(a, s): r for a, s, r in
               conn.execute("SELECT agent_id, skill_id, rating FROM skill_rating")}
    earlier = {(a, s): (r, d, i) for a, s, r, d, i in conn.execute(
        "SELECT agent_id, skill_id, rating, rated_on, import_id FROM skill_rating")}
    today = date.today().isoformat()
    seen: set[tuple[int, int]] = set()
    for code, skill, rating in zip(*(_obj(v[f], good) for f in ("agent", "skill", "rating"))):
        agent_id = lookup.agent(code, None, None)
        key = _skill_key(skill)
        if key not in skills:
            order = conn.execute("SELECT coalesce(max(sort_order), -1) + 1 FROM skill").fetchone()[0]
            codes = {c for (c,) in conn.execute("SELECT code FROM skill")}
            code = _unique(key.replace(" ", "_")[:40], codes, 40)
            sid = conn.execute("INSERT INTO skill (code, name, sort_order) VALUES (?, ?, ?)",
                               (code, skill[:120], order)).lastrowid
            skills[key] = sid  # type: ignore[assignment]  # lastrowid after an INSERT
            result.created.setdefault("skills", []).append(skill)
            result.created_ids.setdefault("skill", []).append(sid)  # type: ignore[arg-type]  # an id
        pair = (agent_id, skills[key])
        rating = int(rating)
        if pair in seen or current.get(pair) == rating:
            result.duplicates += 1
            continue
        seen.add(pair)
        conn.execute(
            "INSERT INTO skill_rating (agent_id, skill_id, rating, rated_on, import_id)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id, skill_id) DO UPDATE SET"
            " rating = excluded.rating, rated_on = excluded.rated_on,"
            " import_id = excluded.import_id", (*pair, rating, today, batch))
        if pair in current:
            old_rating, rated_on, import_id = earlier[pair]
            result.replaced.append({
                "table": "skill_rating", "key": {"agent_id": pair[0], "skill_id": pair[1]},
                "old": {"rating": old_rating, "rated_on": rated_on, "import_id": import_id},
                "new": {"rating": rating, "rated_on": today, "import_id": batch}})
            result.updated += 1
        result.imported += 1


def _skill_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


#: Each kind's writer: the function of this module its record names.
WRITERS = {name: globals()[k.writer] for name, k in KINDS.items()}
