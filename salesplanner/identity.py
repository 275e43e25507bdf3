"""Who is acting: the name every audit record and exported workbook carries.

One place decides it, in this order:

1. the name given for this run: ``--by NAME`` on the command line, or the
   name the window asked for once and keeps in its settings
   (:func:`set_actor`);
2. the environment variable ``SALESPLANNER_USER`` (for scripts and shared
   accounts);
3. the operating-system account (``getpass.getuser()``);
4. ``Sales Planner`` when the system cannot say.

Names are cut to 120 characters (the audit trail's column) and stripped of
control characters; an empty name falls through to the next source.
"""

from __future__ import annotations

import getpass
import os
import unicodedata

#: The environment variable that names the person when nothing else does.
ENV_VAR = "SALESPLANNER_USER"
MAX_NAME = 120

_given: str | None = None


def clean_name(name: str | None) -> str:
    """``name`` without control characters or surrounding space, at most 120 characters."""
    text = "".join(" " if ch.isspace() else ch for ch in (name or "")
                   if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:MAX_NAME]


def set_actor(name: str | None) -> None:
    """Use ``name`` for everything this process records from now on (None: forget it)."""
    global _given
    _given = clean_name(name) or None


def system_account() -> str:
    """The operating-system account, or "" when the system cannot say."""
    try:
        return clean_name(getpass.getuser())
    except (KeyError, OSError):
        return ""


def actor() -> str:
    """Who is acting now (see the module docs for the order)."""
    return _given or clean_name(os.environ.get(ENV_VAR)) or system_account() or "Sales Planner"
