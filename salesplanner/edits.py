"""Editing agents, teams, products and skill ratings, one field at a time.

:func:`set_field` is the one operation behind every in-place edit in the
data browser. It validates the typed text (refusing it with the reason and
changing nothing), writes the new value in its own transaction, records an
audit event, and returns an :class:`OpResult` whose ``detail`` holds the old
and new stored values, so the interface can undo and redo by calling it again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from salesplanner import audit, changes
from salesplanner.browse import MONEY, parse_date, parse_number
from salesplanner.changes import OpResult
from salesplanner.daily_figures import money_scale
from salesplanner.errors import UserError
from salesplanner.card_numbers import mask_text
from salesplanner.storage.plan_file import PlanFile


@dataclass(frozen=True)
class EditContext:
    """What a field's parser may consult: the open write connection, and how
    many stored money units make one of the plan's currency (100; 1 for yen)."""

    conn: sqlite3.Connection
    minor_per_major: int


@dataclass(frozen=True)
class EditableField:
    """How one field is stored and checked."""

    table: str
    column: str
    label: str
    parse: Callable[[object, EditContext], object]
    change_kind: str


def _text(limit: int, required: bool = True) -> Callable:
    def parse(value: object, _ctx: EditContext) -> str | None:
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                raise UserError("cannot be empty")
            return None
        if len(text) > limit:
            raise UserError(f"is longer than {limit} characters")
        return text
    return parse


def _hours(value: object, _ctx: EditContext) -> float:
    hours = value if isinstance(value, (int, float)) else parse_number(str(value), "number")
    if not 0 <= float(hours) <= 80:
        raise UserError(f"{hours:g} is not between 0 and 80 hours a week")
    return float(hours)


def _day(required: bool) -> Callable:
    def parse(value: object, _ctx: EditContext) -> str | None:
        if value is None or str(value).strip() == "":
            if required:
                raise UserError("needs a date")
            return None
        return (value if isinstance(value, date) else parse_date(str(value))).isoformat()
    return parse


def _flag(value: object, _ctx: EditContext) -> int:
    if isinstance(value, bool) or value in (0, 1):
        return int(value)
    text = str(value).strip().lower()
    if text in ("yes", "y", "true", "1", "active"):
        return 1
    if text in ("no", "n", "false", "0", "inactive"):
        return 0
    raise UserError(f"{value!r} is not yes or no")


def _money(value: object, ctx: EditContext) -> int:
    minor = value if isinstance(value, int) else parse_number(str(value), MONEY,
                                                              ctx.minor_per_major)
    if minor < 0:
        raise UserError("cannot be negative")
    return int(minor)


def _fraction(value: object, _ctx: EditContext) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    number = value if isinstance(value, float) else parse_number(str(value), "percent")
    if not 0 <= number <= 1:
        raise UserError(f"{value} is not between 0% and 100%")
    return float(number)


def _rating(value: object, _ctx: EditContext) -> int:
    try:
        rating = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise UserError(f"{value!r} is not a whole number from 1 to 5") from None
    if not 1 <= rating <= 5:
        raise UserError(f"{rating} is not from 1 to 5")
    return rating


def _team(value: object, ctx: EditContext) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    conn = ctx.conn
    row = conn.execute(
        "SELECT id FROM team WHERE name = ? COLLATE NOCASE OR code = ? COLLATE NOCASE",
        (text, text)).fetchone()
    if row is None:
        names = [r[0] for r in conn.execute("SELECT name FROM team ORDER BY name")]
        raise UserError(f"must be one of the plan's teams ({', '.join(names)}), "
                        f"not {text!r}")
    return row[0]


#: (entity, field) -> how to store it.
FIELDS: dict[tuple[str, str], EditableField] = {
    ("agent", "name"): EditableField("agent", "name", "agent name", _text(120), changes.AGENTS),
    ("agent", "team"): EditableField("agent", "team_id", "team", _team, changes.AGENTS),
    ("agent", "start_date"): EditableField("agent", "start_date", "start date", _day(False),
                                           changes.AGENTS),
    ("agent", "leave_date"): EditableField("agent", "leave_date", "leave date", _day(False),
                                           changes.AGENTS),
    ("agent", "weekly_hours"): EditableField("agent", "weekly_hours", "weekly hours", _hours,
                                             changes.AGENTS),
    ("agent", "active"): EditableField("agent", "active", "active", _flag, changes.AGENTS),
    ("team", "name"): EditableField("team", "name", "team name", _text(120), changes.TEAMS),
    ("team", "leader"): EditableField("team", "leader", "team leader", _text(120, False),
                                      changes.TEAMS),
    ("team", "queue"): EditableField("team", "queue", "queue", _text(80, False), changes.TEAMS),
    ("product", "name"): EditableField("product", "name", "product name", _text(200),
                                       changes.PRODUCTS),
    ("product", "category"): EditableField("product", "category", "category", _text(80, False),
                                           changes.PRODUCTS),
    ("product", "price"): EditableField("product", "unit_price_minor", "unit price", _money,
                                        changes.PRODUCTS),
    ("product", "margin"): EditableField("product", "margin_rate", "margin", _fraction,
                                         changes.PRODUCTS),
    ("product", "active"): EditableField("product", "active", "active", _flag, changes.PRODUCTS),
    ("skill_rating", "rating"): EditableField("skill_rating", "rating", "rating", _rating,
                                              changes.SKILLS),
}


def _spec(entity: str, field: str) -> EditableField:
    spec = FIELDS.get((entity, field))
    if spec is None:
        raise UserError(f"{entity} {field} cannot be edited")
    return spec


def _parse(spec: EditableField, value: object, ctx: EditContext) -> object:
    try:
        return spec.parse(value, ctx)
    except UserError as exc:
        raise UserError(f"{spec.label} {exc}; nothing was changed") from None


def check_field(plan: PlanFile, entity: str, field: str, value: object) -> None:
    """Refuse, as :func:`set_field` would, a value that field cannot take
    (reading only: a quick check before the change is queued)."""
    spec = _spec(entity, field)
    scale = money_scale(plan)
    with plan.connect() as conn:
        _parse(spec, value, EditContext(conn, scale))


def set_field(plan: PlanFile, entity: str, key: int, field: str, value: object,
              who: str = "user") -> OpResult:
    """Set one field of one record; refuse a bad value with the reason.

    ``key`` is the record's id (the rowid for skill ratings). The result's
    ``detail`` carries ``old`` and ``new`` stored values: calling again with
    ``old`` undoes the edit.
    """
    spec = _spec(entity, field)
    scale = money_scale(plan)
    with plan.connect(write=True) as conn:
        row = conn.execute(
            f"SELECT {spec.column} FROM {spec.table} WHERE rowid = ?", (key,)).fetchone()
        if row is None:
            raise UserError(f"that {entity.replace('_', ' ')} no longer exists")
        new = _parse(spec, value, EditContext(conn, scale))
        if isinstance(new, str):  # a card number typed into a name is not kept either
            new = mask_text(new)
        old = row[0]
        if new != old:
            conn.execute(
                f"UPDATE {spec.table} SET {spec.column} = ? WHERE rowid = ?", (new, key))
            audit.record(conn, who, "edit", f"{entity}.{field}", key, old, new)
    return OpResult(frozenset({spec.change_kind}), f"{spec.label} changed",
                    {"old": old, "new": new, "entity": entity, "key": key, "field": field})
