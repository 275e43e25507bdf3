"""Scratch folders in the system's temporary folder, and clearing those left behind.

A few throw-away files are written in the temporary folder: an import's
staging copy (:mod:`.staging`, about 28 MB per 300,000 rows) and the copy
a read-only plan is upgraded or recovered in. Each is removed when its work
ends, but a process that is killed, or a machine that loses power, leaves
it behind, and nothing else would ever remove it.

So a folder is named with its owner's process id
(``salesplanner-staging-p4242-k3j2h1g0``, see :func:`make_folder`), and at
start the command line (which the window also goes through) calls
:func:`remove_stale`: folders whose process is gone are removed, folders of
a running Sales Planner are never touched. Folders named without a process
id (older versions, or code not yet using :func:`make_folder`) are removed
only when nothing in them has changed for a day and, where the system can
tell (Linux), no process has a file in them open.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

PREFIX = "salesplanner-"
#: ``salesplanner-KIND-pPID-RANDOM``: a folder whose owner is known.
_OWNED = re.compile(r"salesplanner-(?P<kind>[a-z]+)-p(?P<pid>\d+)-[a-z0-9_]+")
#: Names ``tempfile.mkdtemp`` gave the same folders without a process id.
_UNOWNED = re.compile(r"salesplanner-(?:(?:staging|recover)-)?[a-z0-9_]{8}")
#: A folder of unknown owner untouched this long is taken as left behind.
STALE_AFTER_S = 24 * 3600


def make_folder(kind: str) -> Path:
    """A new folder in the temporary folder, named with ``kind`` and this process's id."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-p{os.getpid()}-"))


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (when unsure: yes)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, and belongs to someone else
        return True
    return True


def _windows_process_alive(pid: int) -> bool:  # pragma: no cover - Windows
    # os.kill(pid, 0) would send Ctrl+C there: ask for the exit code instead.
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel.CloseHandle(handle)


def _last_change(folder: str) -> float:
    """The newest modification time of the folder and anything in it."""
    newest = os.stat(folder).st_mtime
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            try:
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
            except OSError:
                continue
    return newest


def _open_by_a_process(folder: str) -> bool:
    """Whether any process has a file in ``folder`` open (False where the system cannot say)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return False
    inside = os.path.realpath(folder) + os.sep
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                try:
                    if os.readlink(fd).startswith(inside):
                        return True
                except OSError:
                    continue
        except OSError:  # gone meanwhile, or not ours to look at
            continue
    return False


def stale(path: str | Path, now: float | None = None) -> bool:
    """Whether a scratch folder at ``path`` was left behind by a process that is gone."""
    name = os.path.basename(path)
    owned = _OWNED.fullmatch(name)
    if owned:
        return not process_alive(int(owned["pid"]))
    if not _UNOWNED.fullmatch(name):
        return False
    now = time.time() if now is None else now
    return now - _last_change(str(path)) > STALE_AFTER_S and not _open_by_a_process(str(path))


def remove_stale(folder: str | Path | None = None, now: float | None = None) -> list[Path]:
    """Remove this user's scratch folders left behind in ``folder`` (the temporary
    folder by default); return those removed. Never raises: tidying must not
    stop a start."""
    folder = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(PREFIX)]
    except OSError:
        return removed
    for entry in entries:
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            if hasattr(os, "getuid") and entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            if stale(entry.path, now):
                shutil.rmtree(entry.path, ignore_errors=True)
                if not os.path.exists(entry.path):
                    removed.append(Path(entry.path))
        except OSError:
            continue
    return removed
