"""Files the program writes for the user: a temporary file beside the target,
with the user's normal permissions, that the caller moves into place.

:func:`tempfile.mkstemp` creates its file readable by the owner only
(``-rw-------``), and :func:`os.replace` keeps that mode, so a workbook or a
rejects list written through it could not be opened by colleagues on a shared
folder. Every file written for the user is made here and given the mode a
plain ``open(path, "w")`` would give: ``0o666`` less the process's umask.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it
    os.umask(mask)
    return mask


def user_mode() -> int:
    """The permissions a new file of the user's gets: ``0o666`` less the umask."""
    return 0o666 & ~current_umask()


def temporary_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A new empty file in ``path``'s folder, named after it and hidden, with the
    user's normal permissions; the caller writes it and moves it onto ``path``
    with :func:`os.replace` (or removes it)."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=folder)
    os.close(fd)
    os.chmod(name, user_mode())
    return Path(name)
