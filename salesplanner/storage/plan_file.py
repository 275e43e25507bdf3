"""The plan file: one SQLite database per plan (``*.salesplan``).

:class:`PlanFile` is the Qt-free document object. It owns the path, the
SQLAlchemy engine and the read-only flag, and hands out short transactions:
:meth:`PlanFile.read` for a consistent read, :meth:`PlanFile.write` for one
change. A ``write`` commits when its block ends, so every change is on disk
when the call returns and there is no Save.

Journal mode, and why: the rollback journal in ``DELETE`` mode, with
``synchronous = FULL``. A plan is a document people mail and copy: once the
program has closed it (or between any two transactions, even if the program
is killed) the ``.salesplan`` file alone holds everything. WAL mode would keep
committed changes in a ``-wal`` file beside the plan until a checkpoint, so a
file copied while the program ran, or after a crash, could silently miss
work. The ``-journal`` file exists only during a write; if the program dies
mid-write, SQLite uses it to roll the half-written change back on next open.
The cost, writers blocking readers for the length of a commit, is fine for a
single-user desktop document.

Opening checks the raw header first (see :mod:`.header`) and refuses, without
touching the bytes, anything that is not a current or older plan.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from salesplanner import __version__
from salesplanner.currency import currency as lookup_currency
from salesplanner.errors import (
    CorruptPlan, ForeignDatabase, ForeignSchema, ForeignValues, PlanExists, PlanFileError,
    PlanTooNew, PlanTooSlow, ReadOnlyPlan, UserError,
)
from salesplanner.periods import Quarter
from salesplanner.storage.header import check_not_truncated, read_header
from salesplanner.storage.expected_schema import create_schema, differences, summary
from salesplanner.storage import stored_values
from salesplanner.storage.hardening import harden
from salesplanner.storage.migrations import migrate
from salesplanner.storage.plan_format import APPLICATION_ID, SCHEMA_VERSION
from salesplanner.storage.recovery import recover
from salesplanner.storage.scratch import make_folder as scratch_folder

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

PLAN_SUFFIX = ".salesplan"
#: The SQLite library version plans are written with (for About and bug reports).
SQLITE_VERSION = sqlite3.sqlite_version
#: Plans up to this size get SQLite's ``quick_check`` on every open (about
#: 0.3 s at this size). Larger plans would make opening slow (1.8 s at 200 MB),
#: so their damage is caught when a query meets it and by ``salesplanner check``.
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024

#: Skills a new plan starts with (U9 3.2): code, name. Plans may change them.
DEFAULT_SKILLS = (
    ("product_knowledge", "Product knowledge"),
    ("questioning", "Questioning"),
    ("active_listening", "Active listening"),
    ("objection_handling", "Objection handling"),
    ("closing", "Closing"),
    ("upselling", "Up-selling and cross-selling"),
    ("compliance", "Compliance"),
)


#: Called with ``(path, notice)`` whenever opening did something to a file the
#: user should hear about (see :attr:`PlanFile.notice`): the command line
#: prints it, the window shows the notice of the plan it opens itself.
notice_listeners: list[Callable[[Path, str], None]] = []


def now() -> datetime:
    """The current local time to the second, as stored in the plan."""
    return datetime.now().replace(microsecond=0)


class PlanConnection(sqlite3.Connection):
    """A connection to a plan whose queries can be stopped.

    SQLite calls a progress handler every :data:`PROGRESS_STEPS` virtual
    machine steps; it stops the statement once ``deadline`` (a
    ``time.monotonic()`` value) has passed. Being a Python call, it is also
    where a pending Ctrl+C is raised, so the command line can stop any query
    (without a handler SQLite never returns to Python until it is done).
    """

    deadline: float | None = None


#: Steps of SQLite's virtual machine between two looks at the clock (about
#: a millisecond of work: the cost is not measurable).
PROGRESS_STEPS = 20_000
#: The longest opening may read the plan before it gives up (a sound plan of a
#: million rows opens in well under a second).
OPEN_DEADLINE_S = 60.0


def _end_read(conn: sqlite3.Connection) -> None:
    """End a read transaction. A read has nothing to commit: after SQLite met a
    damaged page the COMMIT itself can fail, which must not hide what the
    reader found (``check`` reports the damage)."""
    try:
        conn.execute("COMMIT")
    except sqlite3.DatabaseError:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass


def _progress(conn: PlanConnection) -> int:
    deadline = conn.deadline
    return 1 if deadline is not None and time.monotonic() > deadline else 0


def _connect(path: Path, read_only: bool) -> PlanConnection:
    """One DBAPI connection with the plan's pragmas.

    Driver-level transaction handling is off (``isolation_level=None``): the
    engine's ``begin`` hook emits BEGIN itself, so transactions (DDL included)
    are exactly the ones the program asks for.
    """
    mode = "ro" if read_only else "rw"
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}", uri=True,
        isolation_level=None, check_same_thread=False, timeout=10.0, factory=PlanConnection,
    )
    harden(conn)
    conn.set_progress_handler(functools.partial(_progress, conn), PROGRESS_STEPS)
    conn.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA journal_mode = DELETE")
    return conn


def _make_engine(path: Path, read_only: bool) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    engine = create_engine(
        "sqlite+pysqlite://", creator=lambda: _connect(path, read_only),
        poolclass=QueuePool, pool_size=4, max_overflow=4,
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _sqlite_error(path: Path, exc: BaseException) -> PlanFileError | UserError:
    """Translate an SQLite error met while opening into a user-facing error."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return UserError(f"{path}: the plan is busy in another program; try again in a moment")
    if "readonly" in text or "read-only" in text:
        if Path(f"{path}-journal").exists():  # a read meeting another program's save
            return UserError(f"{path}: another program is saving the plan (its journal is "
                             "beside it); try again in a moment")
        return UserError(f"{path}: cannot open the file for writing; check its permissions "
                         "or open it read-only")
    if "unable to open" in text:
        return UserError(f"{path}: cannot open the file; check its permissions and that its "
                         "folder can be read")
    return CorruptPlan(path, f"the file is damaged ({text}); restore it from a backup")


def _schema_problems(path: Path, source: Path, version: int) -> list[str]:
    """How the file's schema differs from a version-``version`` plan's (nothing runs)."""
    try:
        conn = harden(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))
    except sqlite3.Error as exc:
        raise _sqlite_error(source, exc) from exc
    try:
        return differences(conn, version)
    except sqlite3.Error as exc:
        raise _sqlite_error(source, exc) from exc
    finally:
        conn.close()


class PlanFile:
    """An open plan file.

    Use :meth:`create` or :meth:`open`, never the constructor; close with
    :meth:`close` or a ``with`` block.
    """

    def __init__(self, path: Path, read_only: bool, *, _source: Path | None = None) -> None:
        self.path = path
        self.read_only = read_only
        #: For a read-only view of an older plan: the original the
        #: temporary upgraded copy at ``path`` was made from.
        self.source_path = _source or path
        self._engine: Engine | None = None
        self._readers = threading.local()
        self._reader_lock = threading.Lock()
        self._all_readers: list[sqlite3.Connection] = []
        self._busy: set[int] = set()
        self._closed = False
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        #: What was done to the file on opening (a leftover journal recovered
        #: or set aside: see :mod:`.recovery`), to tell the user; or "".
        self.notice = ""
        #: The scratch folder holding the working copy at ``path``, removed on close.
        self.scratch: Path | None = None
        #: How the schema differs from the program's (only when opened to inspect).
        self.schema_problems: list[str] = []
        #: Called before every write transaction begins; it may raise to refuse
        #: the write. The window's tests set one that refuses any write made
        #: outside its serial write queue (see ``salesplanner.ui.jobs``).
        self.write_guard: Callable[[], None] | None = None

    # -- creating and opening -------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, name: str, quarter: Quarter | str,
               currency: str = "GBP", overwrite: bool = False) -> PlanFile:
        """Create a new, empty plan and open it.

        The file is built under a temporary name in the same folder and moved
        into place only when complete, so a failure leaves nothing behind.
        """
        path = Path(path)
        name = (name or "").strip()
        if not name:
            raise UserError("a plan needs a name; give one with --name")
        if len(name) > 200:
            raise UserError("the plan name is longer than 200 characters; shorten it")
        qtr = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
        cur = lookup_currency(currency)
        if path.exists() and not overwrite:
            raise PlanExists(path, "already exists; choose another name or remove it first")
        if not path.parent.is_dir():
            raise UserError(f"{path}: the folder {path.parent} does not exist")
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.creating")
        try:
            cls._build(tmp, name=name, quarter=qtr, currency=cur.code)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}-journal").unlink(missing_ok=True)
        return cls.open(path)

    @staticmethod
    def _build(path: Path, *, name: str, quarter: Quarter, currency: str) -> None:
        """Write a new plan at ``path``: the schema from the snapshot, then its rows.

        Plain SQL in one transaction, so no SQLAlchemy is loaded to create a
        plan, and the schema text is exactly the format's snapshot.
        """
        sqlite3.connect(path).close()  # an empty database file for mode=rw
        conn = _connect(path, read_only=False)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            create_schema(conn, SCHEMA_VERSION)
            stamp = now().isoformat(" ")
            conn.execute(
                "INSERT INTO plan (id, name, quarter, quarter_start, quarter_end, currency, "
                "status, created_at, modified_at, created_by_version, uid) "
                "VALUES (1, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?)",
                (name, str(quarter), quarter.start.isoformat(), quarter.end.isoformat(),
                 currency, stamp, stamp, __version__, uuid.uuid4().hex))
            conn.executemany("INSERT INTO skill (code, name, sort_order) VALUES (?, ?, ?)",
                             [(code, label, i) for i, (code, label) in enumerate(DEFAULT_SKILLS)])
            # Written last: a file without it is not a finished plan.
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = False,
             inspect: bool = False) -> PlanFile:
        """Open an existing plan, upgrading an older one after a backup.

        A file that is not a plan raises a :class:`PlanFileError` subclass and
        is left byte for byte as it was. A read-only open of an older plan
        upgrades a temporary copy instead of the file. A file whose schema is
        not the program's (a planted trigger or view, a retyped table: see
        :mod:`.expected_schema`) is refused before any query touches its
        tables; with ``inspect`` (``salesplanner check``) it opens read-only
        instead, with the differences in :attr:`schema_problems`, for
        checks that read nothing but the schema and SQLite's own structures.
        """
        path = Path(path)
        header = read_header(path)
        if header.application_id != APPLICATION_ID:
            raise ForeignDatabase(
                path, "an SQLite database of another application, not a Sales Planner plan")
        if header.user_version > SCHEMA_VERSION:
            raise PlanTooNew(path, header.user_version, SCHEMA_VERSION)
        if header.user_version < 1:
            raise CorruptPlan(path, "the plan was never finished being created; "
                                    "create it again")
        source = path
        recovered = recover(path, read_only=read_only, wal_mode=header.wal_mode)
        #: A folder of working copies to remove when the plan closes, or None.
        scratch = recovered.scratch
        migrated_from = backup = None
        try:
            if recovered.path != path or recovered.notice:
                path = recovered.path
                header = read_header(path)
            check_not_truncated(path, header)
            problems = _schema_problems(path, source, header.user_version)
            if problems and not inspect:
                raise ForeignSchema(source, summary(problems))
            if problems:
                read_only = True
            elif header.user_version < SCHEMA_VERSION:
                migrated_from = header.user_version
                if read_only and scratch is None:
                    scratch = scratch_folder("recover")
                    path = scratch / path.name
                    shutil.copyfile(source, path)
                if read_only:
                    migrate(path, header.user_version, SCHEMA_VERSION)
                else:
                    backup = migrate(path, header.user_version, SCHEMA_VERSION)
        except BaseException:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            raise
        plan = cls(path, read_only, _source=source)
        plan.scratch = scratch
        plan.migrated_from, plan.backup_path = migrated_from, backup
        plan.notice = recovered.notice
        plan.schema_problems = problems
        if plan.notice:
            for listener in notice_listeners:
                listener(source, plan.notice)
        try:
            if not problems and not inspect:  # check reads the damage itself, and says where
                plan._verify()
        except BaseException:
            plan.close()
            raise
        return plan

    def _verify(self) -> None:
        """Touch the plan row (and check small files whole) so damage shows now.

        The small tables' values are checked to be of their columns' kinds and
        of sane length, and the fact tables' keys through their indexes
        (:mod:`.stored_values`).
        """
        try:
            with self.connect(deadline=OPEN_DEADLINE_S, doing="checking the plan on opening") as conn:
                if self.path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
                    result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
                    if result != "ok":
                        raise CorruptPlan(self.source_path, f"the file is damaged ({result}); "
                                          "restore it from a backup")
                has_plan = conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'plan'"
                ).fetchone()[0]
                if not has_plan or conn.execute("SELECT count(*) FROM plan").fetchone()[0] != 1:
                    raise CorruptPlan(self.source_path, "the plan has no plan record; "
                                      "restore it from a backup")
                bad = stored_values.problems(conn, stored_values.CHECKED_ON_OPEN) + \
                    stored_values.json_problems(conn) + \
                    stored_values.indexed_problems(conn, stored_values.fact_tables(conn))
                if bad:
                    raise ForeignValues(self.source_path, summary(bad))
        except sqlite3.Error as exc:
            raise _sqlite_error(self.source_path, exc) from exc

    # -- transactions ---------------------------------------------------------

    @contextmanager
    def connect(self, write: bool = False, foreign_keys: bool = True,
                deadline: float | None = None, doing: str = "") -> Iterator[sqlite3.Connection]:
        """A plain ``sqlite3`` connection inside one transaction.

        The fast path for reads and simple writes: no SQLAlchemy, so the
        window can open a plan and page a million rows without loading it.
        Reads reuse one connection per thread (a new connection pays for
        parsing the schema on its first query); writes get their own. With
        ``write`` the transaction is ``BEGIN IMMEDIATE``, stamps the plan's
        ``modified_at`` and commits when the block ends; any exception rolls
        it back. ``foreign_keys=False`` (writes only) turns SQLite's reference
        checks off for a bulk load whose writer verifies its references itself.
        With ``deadline`` (seconds), a query of the block still running after
        it is stopped and :class:`PlanTooSlow` says what was being ``doing``:
        for reads someone waits on.
        """
        if write and self.write_guard is not None:
            self.write_guard()
        if write and self.read_only:
            raise ReadOnlyPlan("the plan is open read-only; nothing was changed")
        if write:
            conn = _connect(self.path, self.read_only)
            if not foreign_keys:
                conn.execute("PRAGMA foreign_keys = OFF")
        else:
            with self._reader_lock:
                if self._closed:
                    raise UserError(f"{self.source_path}: the plan has been closed")
                conn = getattr(self._readers, "conn", None)  # type: ignore[assignment]  # set below
                if conn is None:
                    conn = _connect(self.path, self.read_only)
                    self._readers.conn = conn
                    self._all_readers.append(conn)
                self._busy.add(id(conn))
        if deadline is not None:
            conn.deadline = time.monotonic() + deadline
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                if write:
                    conn.execute("UPDATE plan SET modified_at = ?", (now().isoformat(" "),))
                    conn.execute("COMMIT")
                else:
                    _end_read(conn)
            except BaseException as exc:
                conn.deadline = None
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if deadline is not None and isinstance(exc, sqlite3.OperationalError) and \
                        "interrupted" in str(exc):
                    raise PlanTooSlow(self.source_path, deadline, doing) from exc
                raise
        finally:
            conn.deadline = None
            if write:
                conn.close()
            else:
                with self._reader_lock:
                    self._busy.discard(id(conn))
                    if self._closed:  # closed while this thread was reading
                        conn.close()

    def change_stamp(self) -> tuple:
        """A value that changes whenever the plan's data does, cheap to read.

        For caches of figures computed from the plan: every operation stamps
        ``modified_at`` (to the second) and records an audit event, an import
        or a removal, so the stamp moves even for two changes in one second.
        """
        with self.connect() as conn:
            return (str(self.source_path), *conn.execute(
                "SELECT (SELECT modified_at FROM plan), (SELECT max(id) FROM audit_event),"
                " (SELECT max(id) FROM import_batch),"
                " (SELECT count(*) FROM import_batch WHERE status = 'removed')").fetchone())

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, created (and SQLAlchemy imported) on first use."""
        if self._engine is None:
            self._engine = _make_engine(self.path, self.read_only)
        return self._engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        """An ORM session inside one read transaction: a consistent snapshot."""
        from sqlalchemy.orm import Session

        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """An ORM session inside one write transaction, committed when the block ends.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so two writers
        queue instead of deadlocking. An exception rolls everything back.
        The plan's ``modified_at`` is stamped in the same transaction.
        """
        from sqlalchemy.orm import Session

        if self.write_guard is not None:
            self.write_guard()
        if self.read_only:
            raise ReadOnlyPlan("the plan is open read-only; nothing was changed")
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                with Session(bind=conn, expire_on_commit=False) as session:
                    yield session
                    session.flush()
                conn.exec_driver_sql("UPDATE plan SET modified_at = ?", (now().isoformat(" "),))

    # -- lifetime -------------------------------------------------------------

    def close(self) -> None:
        """Release every connection; afterwards only the file remains."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        # A reader another thread is using is closed by that thread when its
        # read ends: closing a connection under a running query crashes.
        with self._reader_lock:
            self._closed = True
            for conn in self._all_readers:
                if id(conn) not in self._busy:
                    conn.close()
            self._all_readers.clear()
        if self.scratch is not None:  # a recovered or upgraded working copy
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def __enter__(self) -> PlanFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<PlanFile {str(self.source_path)!r} {mode}>"
