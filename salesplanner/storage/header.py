"""Reading an SQLite file's 100-byte header without opening it as a database.

Looking at the raw header lets the program refuse a file that is not a plan
(not SQLite, another application's database, truncated, too new) before
SQLite touches it, so a refused file is never modified: no journal is rolled
back, no page is written. The offsets are those of SQLite's file format
(https://www.sqlite.org/fileformat.html, section 1.3).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from salesplanner.errors import CorruptPlan, NotSQLiteFile, PlanNotFound

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


@dataclass(frozen=True)
class SQLiteHeader:
    """The header fields the plan file checks rely on."""

    page_size: int
    change_counter: int
    page_count: int
    version_valid_for: int
    user_version: int
    application_id: int
    file_size: int
    #: The file format's read and write versions (header bytes 18-19): 2 in WAL mode.
    wal_mode: bool = False

    @property
    def page_count_trusted(self) -> bool:
        """SQLite only trusts the in-header page count when this matches."""
        return self.page_count > 0 and self.version_valid_for == self.change_counter


def read_header(path: Path) -> SQLiteHeader:
    """Read and sanity-check the header of ``path``.

    Raises :class:`PlanNotFound`, :class:`NotSQLiteFile` or
    :class:`CorruptPlan` with a one-line reason. Only reads the file.
    """
    if not path.exists():
        raise PlanNotFound(path, "no such file; check the name and folder")
    if path.is_dir():
        raise PlanNotFound(path, "is a folder, not a plan file")
    if not path.is_file():
        raise PlanNotFound(path, "is not an ordinary file (a pipe or a device), not a plan file")
    size = path.stat().st_size
    if size == 0:
        raise NotSQLiteFile(path, "the file is empty (0 bytes); it is not a plan file")
    with open(path, "rb") as handle:
        raw = handle.read(HEADER_SIZE)
    if not raw.startswith(SQLITE_MAGIC):
        raise NotSQLiteFile(path, "not a plan file (it is not an SQLite database)")
    if len(raw) < HEADER_SIZE:
        raise CorruptPlan(path, f"the file is truncated ({size} bytes); restore it from a backup")
    (page_size_raw,) = struct.unpack(">H", raw[16:18])
    page_size = 65536 if page_size_raw == 1 else page_size_raw
    if page_size < 512 or page_size & (page_size - 1):
        raise CorruptPlan(path, "the file header is damaged (bad page size); restore it from a backup")
    change_counter, page_count = struct.unpack(">II", raw[24:32])
    (user_version,) = struct.unpack(">i", raw[60:64])
    (application_id,) = struct.unpack(">i", raw[68:72])
    (version_valid_for,) = struct.unpack(">I", raw[92:96])
    return SQLiteHeader(
        page_size=page_size,
        change_counter=change_counter,
        page_count=page_count,
        version_valid_for=version_valid_for,
        user_version=user_version,
        application_id=application_id,
        file_size=size,
        wal_mode=raw[18] == 2 or raw[19] == 2,
    )


def check_not_truncated(path: Path, header: SQLiteHeader) -> None:
    """Refuse a file shorter than its header says (a cut-off copy or download).

    Skipped while a hot rollback journal sits beside the file: then the file
    may legitimately be mid-transaction and SQLite will restore it on open.
    """
    if Path(f"{path}-journal").exists() or not header.page_count_trusted:
        return
    expected = header.page_size * header.page_count
    if header.file_size < expected or header.file_size % header.page_size:
        raise CorruptPlan(
            path,
            f"the file is truncated ({header.file_size:,} of {expected:,} bytes); "
            "restore it from a backup or copy it again",
        )

