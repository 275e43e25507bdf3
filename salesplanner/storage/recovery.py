"""An interrupted save beside a plan: recovered on a copy, never in place blind.

A plan in rollback-journal mode that was being written when its program died
has a *hot journal* beside it (``NAME.salesplan-journal``): the original
pages of the unfinished change. SQLite copies them back on the next
read-write open. That is right for the plan's own journal and ruinous for a
foreign one: a plan mailed with another plan's journal, or saved over a plan
that had crashed. SQLite cannot tell the two apart (the journal names no
database), so it rolls the stranger's pages into the plan and the plan is
damaged beyond repair. A plan left in WAL mode has the same risk with its
``-wal`` file, whose frames SQLite applies to any database they sit beside.

So a leftover journal or WAL is first applied to a **copy** in a scratch
folder, and the copy is checked:

- SQLite's full ``integrity_check`` passes;
- it is still a Sales Planner plan (application id, a format this program
  reads) with its one plan record;
- it *belongs*: its plan record was created at the same second by the same
  program version, with the same unique id (``plan.uid``, since format 2;
  format 1 plans have none), as the file's without
  the journal, where that can be read (the name may be what the unfinished
  change was changing); and, for a rollback journal, the file change counter
  SQLite keeps in the header is the plan's own or the one just before it
  (each write transaction bumps it by one, so the plan's own journal restores
  one of the two), and the size the journal says the file had when its
  transaction began is not more than the file's (a write only adds pages).

If the copy passes, a read-write open puts it in place of the plan (moved
over it, then the journal removed: a crash between the two leaves the
recovered plan beside a journal whose pages it already holds, so the next
recovery changes nothing), and a read-only open reads the copy and leaves
every file as it was. If it fails, the journal did not belong to the plan:
it is moved aside under a name SQLite never looks at
(``NAME.salesplan-journal.set-aside-YYYYMMDD-HHMMSS``), the plan opens as it
was last saved and the user is told. If neither the recovered copy nor the
plan itself is sound, nothing is touched and the plan is refused.

A journal of a *live* writer (another process holding SQLite's lock on the
plan) is not hot, and is left to SQLite. The test asks the operating system
whether any other process holds a lock in SQLite's lock bytes; it is made
before this process opens the plan (POSIX record locks are per process, and
the test's own lock is released at once). On platforms without ``fcntl`` the
journal is treated as hot when its header is valid.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from salesplanner.errors import CorruptPlan, UserError
from salesplanner.storage.hardening import harden
from salesplanner.storage.plan_format import APPLICATION_ID, SCHEMA_VERSION
from salesplanner.storage.scratch import make_folder as scratch_folder

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: The first eight bytes of a valid rollback journal header.
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
#: SQLite's lock bytes (os_unix.c): PENDING, RESERVED, then the SHARED range.
PENDING_BYTE = 0x40000000
LOCK_RANGE = 2 + 510


@dataclass
class Recovered:
    """What to open after looking beside the plan.

    ``path`` is the plan itself or a recovered copy in ``scratch`` (a folder
    the caller removes when it closes the plan); ``notice`` tells the user
    what was done, or is empty when there was nothing to do.
    """

    path: Path
    scratch: Path | None = None
    notice: str = ""


def journal_path(path: Path) -> Path:
    """The rollback journal SQLite looks for beside ``path``."""
    return Path(f"{path}-journal")


def wal_path(path: Path) -> Path:
    """The write-ahead log SQLite looks for beside ``path``."""
    return Path(f"{path}-wal")


def _head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path`` (fewer if it is shorter; none if unreadable)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _ordinary_journal(journal: Path) -> bool:
    """A plain file SQLite can use: empty, zeroed (finished) or with a journal header."""
    if journal.is_symlink() or not journal.is_file():
        return False
    head = _head(journal, 8)
    return not head or head[0] == 0 or head == JOURNAL_MAGIC


def _journal_is_hot_candidate(journal: Path) -> bool:
    """A non-empty journal whose header is valid (SQLite ignores the rest)."""
    return _head(journal, 8) == JOURNAL_MAGIC


def _locked_by_another(path: Path, start: int, length: int) -> bool:
    """Whether another process holds a POSIX lock on bytes ``start`` .. of ``path``."""
    if fcntl is None:  # pragma: no cover - Windows
        return False
    kind = fcntl.LOCK_EX
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return False
        kind = fcntl.LOCK_SH
    try:
        try:
            fcntl.lockf(fd, kind | fcntl.LOCK_NB, length, start)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, length, start)
        return False
    finally:
        os.close(fd)


def _held_by_another_process(path: Path) -> bool:
    """Whether another process holds any of SQLite's locks on ``path``."""
    return _locked_by_another(path, PENDING_BYTE, LOCK_RANGE)


def _wal_in_use(path: Path) -> bool:
    """Whether another process has the WAL plan open (its lock on the -shm file)."""
    shm = Path(f"{path}-shm")
    return shm.exists() and _locked_by_another(shm, 120, 16)  # the WAL index lock bytes


def _page_size(path: Path) -> int | None:
    raw = _head(path, 18)
    if len(raw) < 18:
        return None
    size = struct.unpack(">H", raw[16:18])[0]
    return 65536 if size == 1 else size


def _change_counter(path: Path) -> int | None:
    raw = _head(path, 28)
    return struct.unpack(">I", raw[24:28])[0] if len(raw) == 28 else None


def _journal_start_pages(journal: Path) -> int | None:
    """The database's size in pages when the journal's transaction began."""
    raw = _head(journal, 20)
    return struct.unpack(">I", raw[16:20])[0] if len(raw) == 20 else None


def _identity(conn: sqlite3.Connection) -> tuple | None:
    try:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(plan)")}
        uid = "uid" if "uid" in columns else "NULL"  # format 1 plans have none
        row = conn.execute(
            f"SELECT created_at, created_by_version, {uid} FROM plan WHERE id = 1").fetchone()
    except sqlite3.Error:
        return None
    return tuple(row) if row else None


def _identity_as_saved(path: Path) -> tuple | None:
    """The plan record of ``path`` read without any journal or WAL beside it.

    ``immutable=1`` makes SQLite read the file as it stands: no journal is
    looked at, nothing is locked or written.
    """
    try:
        conn = harden(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True))
    except sqlite3.Error:
        return None
    try:
        return _identity(conn)
    finally:
        conn.close()


def _sound(path: Path, *, immutable: bool = False) -> tuple[bool, tuple | None, str]:
    """(integrity passes and it is a plan, its identity, why not)."""
    query = "mode=ro&immutable=1" if immutable else "mode=ro"
    try:
        conn = harden(sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True))
    except sqlite3.Error as exc:
        return False, None, str(exc)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check(3)")]
        if result != ["ok"]:
            why = " ".join("; ".join(result).split())  # SQLite's report spans lines
            return False, None, why if len(why) <= 160 else why[:159] + "\u2026"
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app != APPLICATION_ID or not 1 <= version <= SCHEMA_VERSION:
            return False, None, "not a plan of this program"
        identity = _identity(conn)
        if identity is None:
            return False, None, "no plan record"
        return True, identity, ""
    except sqlite3.Error as exc:
        return False, None, str(exc)
    finally:
        conn.close()


def _apply_on_copy(path: Path, sidecar: Path, kind: str, folder: Path) -> Path:
    """Copy the plan and its journal/WAL into ``folder`` and let SQLite apply it there."""
    copy = folder / path.name
    shutil.copyfile(path, copy)
    shutil.copyfile(sidecar, Path(f"{copy}-{kind}"))
    _apply_in_place(copy.resolve(), kind)
    return copy


def _kept_name(plan: Path) -> Path:
    """Where the plan as it stood before an in-place recovery is kept."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return _unused(plan.with_name(f"{plan.name}.before-recovery-{stamp}"))


def _unused(target: Path) -> Path:
    n, first = 1, target
    while target.exists() or target.is_symlink():
        n += 1
        target = first.with_name(f"{first.name}-{n}")
    return target


def _set_aside_name(sidecar: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return _unused(sidecar.with_name(f"{sidecar.name}.set-aside-{stamp}"))


def _scratch_copy(path: Path, notice: str = "") -> Recovered:
    """A copy of ``path`` alone in a scratch folder, to read without touching the plan."""
    scratch = scratch_folder("recover")
    copy = scratch / path.name
    shutil.copyfile(path, copy)
    return Recovered(copy, scratch, notice)


def _apply_in_place(path: Path, kind: str) -> None:
    """Let SQLite apply the plan's own journal or WAL to the plan itself.

    Done only after the same was done on a copy and the copy checked: the
    file keeps its inode (so the edit lock held on it stays good), its
    permissions and any link to it. A crash half way is safe: rolling a
    journal back twice gives the same pages, and a WAL is checkpointed again.
    """
    conn = harden(sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, isolation_level=None))
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # rolls the hot journal back
        if kind == "wal":
            conn.execute("PRAGMA journal_mode = DELETE").fetchone()  # checkpoints, removes it
    finally:
        conn.close()


def recover(path: Path, *, read_only: bool, wal_mode: bool) -> Recovered:
    """Deal with a leftover journal or WAL beside ``path`` (see the module docs).

    Raises :class:`CorruptPlan` (nothing changed) when neither the plan with
    its leftover nor the plan alone is sound. A plan reached through a link
    is recovered where the link points, which is where SQLite looks.
    """
    real = path.resolve()
    journal, wal = journal_path(real), wal_path(real)
    if os.path.lexists(journal) and not _ordinary_journal(journal) \
            and not _held_by_another_process(real):
        return _set_aside_non_journal(path, journal, read_only=read_only, wal_mode=wal_mode)
    # SQLite applies a non-empty -wal whatever the header says: so must the check.
    if wal.is_file() and wal.stat().st_size > 0:
        sidecar, kind = wal, "wal"
    elif journal.is_file() and journal.stat().st_size > 0 and _journal_is_hot_candidate(journal):
        sidecar, kind = journal, "journal"
    elif wal_mode and read_only:
        # A WAL plan with no log: read a copy, so that the read-only open
        # neither converts the plan nor leaves a -shm file beside it.
        return _scratch_copy(real)
    else:
        return Recovered(path)
    if _held_by_another_process(real) or (kind == "wal" and _wal_in_use(real)):
        return Recovered(path)  # a live writer's journal is not hot: SQLite's to handle

    before = _identity_as_saved(real)
    counter = _change_counter(real)
    folder = scratch_folder("recover")
    try:
        copy = _apply_on_copy(real, sidecar, kind, folder)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise UserError(f"{path}: the plan was interrupted while being saved, and a copy to "
                        f"recover it in could not be written ({exc.strerror or exc}); free some "
                        "disk space and open it again; nothing was changed") from exc
    except sqlite3.Error:
        copy = None
    if _belongs(real, copy, sidecar, kind, before, counter):
        return _recovered(path, real, copy, folder, kind, read_only=read_only)  # type: ignore[arg-type]  # a copy belongs
    shutil.rmtree(folder, ignore_errors=True)
    return _set_aside_stranger(path, real, sidecar, kind, read_only=read_only,
                               wal_mode=wal_mode)


def _set_aside_non_journal(path: Path, journal: Path, *, read_only: bool,
                           wal_mode: bool) -> Recovered:
    """Move aside what sits where SQLite looks for the journal but is none, then recover."""
    # A folder, a link or bytes with no journal header where SQLite looks
    # for the journal: nothing in it can be applied, but SQLite would
    # still refuse to read the plan beside it. Moved aside, then on.
    aside = _set_aside_name(journal)
    try:
        os.replace(journal, aside)
    except OSError as exc:
        raise UserError(f"{path}: beside the plan, {journal.name} is not a journal SQLite "
                        f"can use ({exc.strerror or exc}); move it out of the folder and "
                        "open the plan again") from exc
    done = recover(path, read_only=read_only, wal_mode=wal_mode)
    first = (f"a leftover {journal.name} beside the plan was not a journal; it was moved "
             f"aside as {aside.name}")
    done.notice = f"{first}; {done.notice}" if done.notice else first
    return done


def _belongs(real: Path, copy: Path | None, sidecar: Path, kind: str, before: tuple | None,
             counter: int | None) -> bool:
    """Whether the leftover ``sidecar``, applied on ``copy``, is the plan's own."""
    try:
        if copy is None:
            raise sqlite3.DatabaseError("the journal could not be applied")
        ok, identity, _why = _sound(copy)
        # The plan's identity (with its unique id) sits in the plan row, which
        # every write of the program stamps: a journal or log of this program
        # always carries that row, so a stranger's shows another identity.
        # Unreadable without its journal (a write cut off inside the plan's
        # own pages), the identity cannot be compared: the other checks decide.
        belongs = ok and (identity == before if before is not None else kind == "journal")
        if belongs and kind == "journal" and counter is not None:
            restored = _change_counter(copy)
            belongs = restored is not None and counter - 1 <= restored <= counter
        if belongs and kind == "journal":
            # A write transaction only adds pages, so the file is never
            # smaller than it was when its own journal began.
            start, page_size = _journal_start_pages(sidecar), _page_size(real)
            belongs = start is not None and page_size is not None and \
                start * page_size <= real.stat().st_size
    except (OSError, sqlite3.Error):
        belongs = False
    return belongs


def _recovered(path: Path, real: Path, copy: Path, folder: Path, kind: str, *,
               read_only: bool) -> Recovered:
    """The plan's own leftover applied: on the copy to read, or in place (the old file kept)."""
    notice = ("the plan had been interrupted while being saved; its unfinished change "
              "was undone from its journal" if kind == "journal" else
              "the plan's last saved changes were still in its write-ahead log; they "
              "were applied")
    if read_only:
        return Recovered(copy, folder, notice + " in a copy (the file is unchanged until "
                                               "it is opened for editing)")
    shutil.rmtree(folder, ignore_errors=True)
    # The file as it stood is kept: a journal that passes every check can
    # still be a copy's (a plan copied outside the program keeps its id).
    kept = _kept_name(real)
    try:
        shutil.copy2(real, kept)
    except OSError as exc:
        kept.unlink(missing_ok=True)
        raise UserError(f"{path}: the plan was interrupted while being saved, and there is "
                        f"no room to keep a copy before recovering it ({exc.strerror or exc}); "
                        "free some disk space or open it read-only") from exc
    try:
        _apply_in_place(real, kind)
    except sqlite3.Error as exc:
        raise UserError(f"{path}: the plan was interrupted while being saved and could "
                        f"not be recovered in place ({exc}); open it read-only to read it")\
            from exc
    return Recovered(path, None, f"{notice}; the file as it was is kept as {kept.name}")


def _set_aside_stranger(path: Path, real: Path, sidecar: Path, kind: str, *, read_only: bool,
                        wal_mode: bool) -> Recovered:
    """A leftover that is not the plan's own is moved aside and the plan opens as saved."""
    what = "journal" if kind == "journal" else "write-ahead log"
    ok, _identity_now, why = _sound(real, immutable=True)
    if not ok:
        raise CorruptPlan(path, f"the plan was interrupted while being saved and cannot be "
                                f"recovered ({why}); nothing was changed; restore it from a "
                                "backup")
    aside = _set_aside_name(sidecar)
    notice = (f"a leftover {what} beside the plan did not belong to it (applying it would have "
              f"damaged the plan)")
    try:
        os.replace(sidecar, aside)
        Path(f"{real}-shm").unlink(missing_ok=True)
    except OSError:
        if not read_only:
            raise CorruptPlan(path, f"{notice}, and it cannot be moved aside; move "
                                    f"{sidecar.name} out of the folder, then open the plan "
                                    "again") from None
        return _scratch_copy(real, notice + "; the plan is shown as it was last saved")
    notice = f"{notice}; it was moved aside as {aside.name} and the plan opens as it was last saved"
    if read_only and (wal_mode or kind == "wal"):
        return _scratch_copy(real, notice)  # reading a WAL plan in place would write beside it
    return Recovered(path, None, notice)
