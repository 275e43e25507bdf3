"""The plan's audit trail: one function writes every record of it.

Each change a person or an import makes is recorded in ``audit_event``
inside the change's own transaction: when, who, what (``action`` on an
``entity`` and its key), the values before and after as JSON, and the
reason given. :func:`record` is the only writer, so that every record is
written the same way and nothing in one ever holds a payment card number:
who (:mod:`salesplanner.identity`, unless the caller names someone), the
key, the reason and every string inside the old and new values are masked
(:mod:`salesplanner.card_numbers`). Numbers are left as they are: they are a
record's figures, and masking their digits would break the JSON.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from salesplanner.identity import actor, set_actor  # noqa: F401 - set_actor for callers
from salesplanner.card_numbers import mask_text, mask_values
from salesplanner.storage.plan_file import now

#: What callers pass as ``who`` when they leave it to :func:`salesplanner.identity.actor`.
ANYONE = ("user", "", None)


class _Nothing:
    """No value at all (the column stays NULL), unlike ``None`` (JSON ``null``)."""

    def __repr__(self) -> str:
        return "NOTHING"


NOTHING = _Nothing()


def as_json(value: object, default: Callable[[object], object] | None = None) -> str | None:
    """``value`` as JSON with card numbers masked in its strings (None for :data:`NOTHING`)."""
    if value is NOTHING:
        return None
    if default is not None:
        # Objects only ``default`` can turn into JSON (dates, decimals) become
        # plain values first, so their text is masked too.
        value = json.loads(json.dumps(value, default=default))
    return json.dumps(mask_values(value))


def record(conn: sqlite3.Connection, who: str | None, action: str, entity: str, key: object,
           old: object = NOTHING, new: object = NOTHING, reason: str | None = None,
           default: Callable[[object], object] | None = None) -> int:
    """Add one record to the audit trail on ``conn`` (inside the change's transaction).

    ``old`` and ``new`` are plain values (dicts, lists, text, numbers);
    :data:`NOTHING` leaves the column empty. ``default`` turns other objects
    into JSON, as :func:`json.dumps` takes it. ``who`` left as ``"user"`` or
    None is the person acting now (:func:`salesplanner.identity.actor`: the
    window's name, ``--by``, ``SALESPLANNER_USER`` or the system account).
    Returns the record's id.
    """
    if who in ANYONE:
        who = actor()
    cursor = conn.execute(
        "INSERT INTO audit_event (at, who, action, entity, entity_key, old_json, new_json,"
        " reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (now().isoformat(" "), mask_text(who), action, entity,
         None if key is None else mask_text(str(key)), as_json(old, default),
         as_json(new, default), None if reason is None else mask_text(reason)))
    return int(cursor.lastrowid)  # type: ignore[arg-type]  # set after an INSERT
