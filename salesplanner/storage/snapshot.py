"""Copying a plan consistently: File > Save As and backups.

SQLite's online backup API copies the database page by page under a read
lock, so the copy is consistent even if the plan is being written. The copy
is written beside the target under a temporary name and moved into place,
so a failed copy never leaves a half-written plan under the chosen name.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from salesplanner.errors import UserError
from salesplanner.storage.hardening import harden


def save_copy(source: Path, target: Path, *, new_identity: bool = False) -> None:
    """Copy the plan ``source`` to ``target`` (replacing it).

    With ``new_identity`` (File > Save As: the copy is another plan from now
    on) the copy gets its own ``plan.uid``, so a journal left by one of the
    two can never be taken for the other's (see :mod:`.recovery`). Backups
    keep the original's.
    """
    if not target.parent.is_dir():
        raise UserError(f"{target}: the folder {target.parent} does not exist")
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.copying")
    try:
        src = harden(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True))
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
                columns = {r[1] for r in dst.execute("PRAGMA table_info(plan)")}
                if new_identity and "uid" in columns:
                    with dst:
                        dst.execute("UPDATE plan SET uid = ?", (uuid.uuid4().hex,))
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        raise UserError(f"{target}: could not write the copy ({exc})") from exc
    finally:
        tmp.unlink(missing_ok=True)
