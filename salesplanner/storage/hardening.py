"""SQLite's defences for untrusted database files, on every connection.

Following SQLite's "Defense Against the Dark Arts" (sqlite.org/security.html),
each connection to a plan:

- sets ``PRAGMA trusted_schema = OFF``: functions with side effects and
  virtual tables cannot be used from the schema (views, triggers, defaults,
  checks, index expressions);
- turns on ``SQLITE_DBCONFIG_DEFENSIVE``: no writing to ``sqlite_master``
  or to shadow tables, no ``journal_mode = OFF``, so a statement can never
  corrupt the file on purpose;
- turns triggers and views off (``SQLITE_DBCONFIG_ENABLE_TRIGGER`` and
  ``_ENABLE_VIEW`` = 0): a plan has none (see :mod:`.expected_schema`, which
  refuses files that do), so anything planted could never run even if it
  slipped past that check;
- sets ``PRAGMA cell_size_check = ON`` so a damaged page is reported, not
  read past.

How, on Python 3.11: ``sqlite3.Connection.setconfig`` arrived in Python
3.12, and 3.11's ``sqlite3`` has no way to call ``sqlite3_db_config``. The
options were (a) another driver (``apsw``) for every connection, a rewrite of
the storage layer and a new dependency, (b) wait for 3.12, or (c) call the C
function through ``ctypes`` on the handle of the standard connection. We do
(c) on CPython 3.11 only, where ``pysqlite_Connection`` begins with its
``sqlite3 *db`` right after the object header, and only after checking the
handle: ``sqlite3_db_filename`` on it must name the connection's own file.
Each setting is read back; if anything does not check out (another Python,
another layout, an ABI where the variadic call does not work), the program
carries on with ``trusted_schema`` off and the schema check, and
:func:`defensive_available` says so (``salesplanner check`` prints it). It is
not tried on Apple arm64 (variadic arguments travel differently there) nor on
debug builds whose object header is longer. On 3.12 and later ``setconfig``
is used.
"""

from __future__ import annotations

import ctypes
import platform
import sqlite3
import sys
from functools import cache

#: sqlite3.h: SQLITE_DBCONFIG_ENABLE_TRIGGER, _DEFENSIVE, _ENABLE_VIEW.
_ENABLE_TRIGGER, _DEFENSIVE, _ENABLE_VIEW = 1003, 1010, 1015
_SETTINGS = ((_DEFENSIVE, 1), (_ENABLE_TRIGGER, 0), (_ENABLE_VIEW, 0))


@cache
def _library() -> ctypes.CDLL | None:
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
        return None
    if hasattr(sys, "getobjects"):  # a Py_TRACE_REFS build: the object header is longer
        return None
    if sys.platform == "darwin" and platform.machine() == "arm64":
        return None  # Apple's arm64 passes variadic arguments unlike fixed ones: no ctypes call
    try:
        import _sqlite3

        lib = ctypes.CDLL(_sqlite3.__file__)
        lib.sqlite3_db_config.restype = ctypes.c_int
        # Variadic in C; called here only with the (db, op, int, int*) form, on
        # platforms where variadic integer arguments travel as fixed ones do.
        lib.sqlite3_db_config.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                          ctypes.POINTER(ctypes.c_int)]
        lib.sqlite3_db_filename.restype = ctypes.c_char_p
        lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        return lib
    except (OSError, AttributeError, ImportError):
        return None


def _handle(conn: sqlite3.Connection, lib: ctypes.CDLL) -> int | None:
    """The ``sqlite3 *`` of ``conn``, checked to be the connection's own."""
    header = ctypes.sizeof(ctypes.c_ssize_t) + ctypes.sizeof(ctypes.c_void_p)
    pointer = ctypes.c_void_p.from_address(id(conn) + header).value
    if not pointer:
        return None
    files = [row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"]
    name = lib.sqlite3_db_filename(pointer, b"main")
    if not files or name is None or name.decode("utf-8", "replace") != files[0]:
        return None
    return pointer


def _config_ctypes(conn: sqlite3.Connection) -> bool:
    lib = _library()
    if lib is None:
        return False
    pointer = _handle(conn, lib)
    if pointer is None:
        return False
    for option, value in _SETTINGS:
        now = ctypes.c_int(-7)
        rc = lib.sqlite3_db_config(pointer, option, value, ctypes.byref(now))
        if rc != 0 or now.value != value:
            return False
    return True


def _config_setconfig(conn: sqlite3.Connection) -> bool:
    try:
        for option, value in _SETTINGS:
            conn.setconfig(option, bool(value))  # type: ignore[attr-defined]
            if conn.getconfig(option) != bool(value):  # type: ignore[attr-defined]
                return False
    except (sqlite3.Error, ValueError):
        return False
    return True


_state: dict[str, bool | None] = {"defensive": None}


def harden(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Apply the defences to a new connection (before it reads anything)."""
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    done = _config_setconfig(conn) if hasattr(conn, "setconfig") else _config_ctypes(conn)
    _state["defensive"] = done if _state["defensive"] is None else (_state["defensive"] and done)
    return conn


def defensive_available() -> bool:
    """Whether defensive mode and the trigger/view switches could be set here."""
    if _state["defensive"] is None:
        probe = sqlite3.connect(":memory:")
        try:
            harden(probe)
        finally:
            probe.close()
    return bool(_state["defensive"])
