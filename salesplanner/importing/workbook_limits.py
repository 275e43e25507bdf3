"""Limits a workbook must keep before a reader opens it: zip bombs and
shared-string bombs are refused in bounded memory, before any cell is built.

A workbook (.xlsx, .xlsm, .xlsb, .ods) is a zip archive of parts. The readers
(python-calamine, openpyxl as a fallback) inflate the parts they need and
build every cell in memory, and a reader that runs out of memory aborts the
whole program. Reading a sheet peaked at about 6.5 times its unpacked XML
(a 37 MB sheet of 100k rows: 240 MB); openpyxl at about 10 times. So the
sizes every part declares in the zip's central directory are checked first:

- **Budget**: an eighth of this machine's physical memory (3 GB with 24 GB),
  or 1 GB where the system does not say; half that for openpyxl. A
  workbook at the limit still fits in memory while it is read.
- Every part, and all the parts together, must unpack to no more than the
  budget.
- A part over 16 MB unpacked may not be compressed more than 100:1. Real
  sheets, even of one repeated value, compress 10-20:1 because every cell
  names its own address; bombs of repeated XML compress about 1000:1.
- A deflated part cannot unpack to more than 1032 times its compressed size
  (DEFLATE's limit), and a stored part is its own size: a part that says
  otherwise is damaged or crafted. (A part that unpacks to *more* than it
  says is stopped by the readers themselves.)
- At most 10,000 parts (read from the archive's end record, before the
  central directory is loaded).
- **Shared strings** (.xlsx, .xlsm): a sheet may refer to one long string
  from many cells, and the reader copies the string into every cell. The
  strings part is streamed once for the length of each string (bounded
  memory). When the sheet's string cells (at most its unpacked size over 21
  bytes, the shortest such cell) times the longest string could exceed the
  budget, the sheet's references are counted, streaming, and their lengths
  summed; over the budget, the sheet is refused.

A refusal is a :class:`WorkbookRefused`: one line saying which part or sheet,
how big, the limit, and what to do (save the sheet as CSV, which is read in
streaming).
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from salesplanner.errors import UserError

#: The share of physical memory a workbook may unpack to (1/8).
MEMORY_SHARE = 8
#: Physical memory assumed where the system does not say.
FALLBACK_MEMORY = 8 * 10**9
#: The most a large part may be compressed, and from which unpacked size.
RATIO_LIMIT = 100
RATIO_MIN_SIZE = 16 * 10**6
#: DEFLATE cannot unpack to more than this many times its compressed size.
DEFLATE_MAX_RATIO = 1032
MAX_PARTS = 10_000
#: The shortest shared-string cell: ``<c t="s"><v>0</v></c>``.
MIN_STRING_CELL = 21
_CHUNK = 4 << 20
#: Small parts (workbook, relationships) read whole to name the sheets.
_SMALL_PART = 16 << 20
_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
_STRING_ITEM_END = re.compile(rb"</" + _NAME + rb"si\s*>|<" + _NAME + rb"si\s*/>")
_STRING_ITEM_START = re.compile(rb"<" + _NAME + rb"si[\s>/]")
#: A tag's attributes: a quoted value may hold '>' or '/' (legal XML), so
#: values are matched whole, not cut at the first '>'.
_ATTRIBUTES = rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*?"
_STRING_CELL = (rb"<" + _NAME + rb"c\s" + _ATTRIBUTES + rb"(?<![\w:.-])t\s*=\s*[\"']s[\"']"
                + _ATTRIBUTES + rb"(?<!/)>")
_STRING_CELLS = re.compile(_STRING_CELL)
_STRING_REFS = re.compile(_STRING_CELL + rb"\s*<" + _NAME + rb"v>\s*(\d{1,10})\s*<")


class WorkbookRefused(UserError):
    """A workbook refused before it was read: reading it could exhaust memory."""


def unpack_budget() -> int:
    """The most, in bytes, a workbook may unpack to on this machine."""
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not on Windows; odd systems
        memory = 0
    return (memory if memory > 0 else FALLBACK_MEMORY) // MEMORY_SHARE


def size_text(size: float) -> str:
    """A byte count as people read it: ``2.9 GB``, ``640 kB``."""
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    return f"{int(size)} bytes"


def check_archive(path: Path, budget: int | None = None) -> None:
    """Refuse a zip-based workbook whose parts would unpack beyond the limits.

    A file that is not a readable zip is left to the readers, which say it
    is damaged.
    """
    budget = unpack_budget() if budget is None else budget
    entries = _entry_count(path)
    if entries is not None and entries > MAX_PARTS:
        raise WorkbookRefused(
            f"{path}: the workbook holds {entries:,} parts (workbooks rarely have more than "
            f"a few hundred; limit {MAX_PARTS:,}); the file is damaged or crafted; open it in the "
            "spreadsheet program and save it again")
    archive = _open_zip(path)
    if archive is None:
        return
    with archive:
        infos = archive.infolist()
        total = 0
        for info in infos:
            _check_part(path, archive, info, budget)
            total += info.file_size
        if total > budget:
            raise WorkbookRefused(
                f"{path}: the workbook's parts would unpack to {size_text(total)} in all "
                f"(limit {size_text(budget)} on this machine); it is too big to read as a "
                "workbook; save the sheet as CSV or split the workbook")


def _check_part(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                budget: int) -> None:
    size, packed = info.file_size, info.compress_size
    ratio = size / max(packed, 1)
    if info.compress_type == zipfile.ZIP_DEFLATED and size > packed * DEFLATE_MAX_RATIO + 1024:
        lie = f"unpacks to {size_text(size)} from {size_text(packed)}, more than compression " \
              f"can give ({DEFLATE_MAX_RATIO}:1)"
    elif info.compress_type == zipfile.ZIP_STORED and size != packed and not info.flag_bits & 1:
        lie = f"holds {size_text(size)} but stores {size_text(packed)} uncompressed"
    else:
        lie = ""
    if lie:
        raise WorkbookRefused(
            f"{path}: {_label(archive, info.filename)} says it {lie}; the file is damaged or "
            "crafted; open it in the spreadsheet program and save it again")
    if size > budget:
        bomb = "; this looks like a zip bomb" if ratio > RATIO_LIMIT else ""
        raise WorkbookRefused(
            f"{path}: {_label(archive, info.filename)} would unpack to {size_text(size)} "
            f"(limit {size_text(budget)} on this machine, ratio {ratio:,.0f}:1){bomb}; "
            "save the sheet as CSV or split it")
    if size > RATIO_MIN_SIZE and ratio > RATIO_LIMIT:
        raise WorkbookRefused(
            f"{path}: {_label(archive, info.filename)} would unpack to {size_text(size)} "
            f"from {size_text(packed)} (ratio {ratio:,.0f}:1; real sheets stay under "
            f"{RATIO_LIMIT}:1); this looks like a zip bomb; save the sheet as CSV or split it")


def _entry_count(path: Path) -> int | None:
    """The number of parts the archive's end record declares (None if not found)."""
    try:
        with path.open("rb") as stream:
            stream.seek(0, os.SEEK_END)
            size = stream.tell()
            stream.seek(max(0, size - 65557))  # the end record and its longest comment
            tail = stream.read()
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or at + 22 > len(tail):
                return None
            count = struct.unpack_from("<H", tail, at + 10)[0]
            if count != 0xFFFF or at < 20 or tail[at - 20:at - 16] != b"PK\x06\x07":
                return count
            stream.seek(struct.unpack_from("<Q", tail, at - 12)[0])  # the zip64 end record
            record = stream.read(56)
            if record[:4] != b"PK\x06\x06" or len(record) < 40:
                return None
            return struct.unpack_from("<Q", record, 32)[0]
    except (OSError, struct.error, ValueError):
        return None


def _open_zip(path: Path) -> zipfile.ZipFile | None:
    """The archive, or None where it is not a readable zip (the readers say why)."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None


@dataclass
class _Parts:
    """Where an Office Open XML workbook keeps its sheets and shared strings."""

    sheets: dict[str, str] = field(default_factory=dict)
    strings: str | None = None


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
        return archive.read(info) if info.file_size <= _SMALL_PART else b""
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError, zlib.error):
        return b""


def _attributes(tag: bytes) -> dict[bytes, str]:
    return {key: html.unescape(value.decode("utf-8", "replace"))
            for key, _quote, value in re.findall(rb"([\w:.-]+)\s*=\s*([\"'])(.*?)\2", tag, re.S)}


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of each relationship of ``part`` ("" for the package)."""
    folder, name = posixpath.split(part)
    data = _read_small(archive, posixpath.join(folder, "_rels", name + ".rels"))
    out = []
    for tag in re.findall(rb"<" + _NAME + rb"Relationship\s[^>]*>", data):
        attrs = _attributes(tag)
        target = attrs.get(b"Target", "")
        target = target[1:] if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out.append((attrs.get(b"Id", ""), attrs.get(b"Type", ""), target))
    return out


def _workbook_parts(archive: zipfile.ZipFile) -> _Parts:
    """The sheets (name -> part) and the shared strings part, as the package says."""
    book = next((t for _i, kind, t in _relationships(archive, "")
                 if kind.endswith("/officeDocument")), "xl/workbook.xml")
    relations = _relationships(archive, book)
    parts = _Parts(strings=next((t for _i, kind, t in relations
                                 if kind.endswith("/sharedStrings")), None))
    targets = {rid: t for rid, _k, t in relations}
    for tag in re.findall(rb"<" + _NAME + rb"sheet\s[^>]*>", _read_small(archive, book)):
        attrs = _attributes(tag)
        rid = attrs.get(b"r:id") or next((v for k, v in attrs.items() if k.endswith(b":id")), "")
        if b"name" in attrs and rid in targets:
            parts.sheets.setdefault(attrs[b"name"], targets[rid])
    return parts


def _label(archive: zipfile.ZipFile, part: str) -> str:
    """How a part is named in a message: its sheet, the shared strings, or its path."""
    parts = _workbook_parts(archive)
    for name, target in parts.sheets.items():
        if target == part:
            return f"sheet {name!r}"
    if part == parts.strings:
        return "the shared strings"
    return f"part {part!r}"


def check_sheet(path: Path, sheet: str, budget: int | None = None) -> None:
    """Refuse a sheet whose shared-string cells would unpack beyond the budget.

    Only Office Open XML workbooks (.xlsx, .xlsm) keep text this way; for
    others, and for files that are not readable zips, this does nothing.
    """
    budget = unpack_budget() if budget is None else budget
    archive = _open_zip(path)
    if archive is None:
        return
    with archive:
        parts = _workbook_parts(archive)
        names = set(archive.namelist())
        if parts.strings not in names:
            return
        target = parts.sheets.get(sheet)
        # A sheet the package does not point to: every worksheet part is checked.
        sheet_parts = [target] if target in names else sorted(
            n for n in names if "worksheets/" in n and n.endswith(".xml"))
        strings = archive.getinfo(parts.strings)
        survey = None
        for part in sheet_parts:
            info = archive.getinfo(part)
            cells = info.file_size // MIN_STRING_CELL
            if cells * strings.file_size <= budget:
                continue
            survey = survey or _survey_strings(path, strings)
            if cells * survey.longest <= budget:
                continue
            text, count = _referenced_text(path, info, survey, budget)
            if text > budget:
                raise WorkbookRefused(
                    f"{path}: sheet {sheet!r} repeats shared strings of up to "
                    f"{size_text(survey.longest)} in {count:,} cells: "
                    f"{size_text(text)} of text (limit {size_text(budget)} on this machine); "
                    "this looks like a shared-string bomb; save the sheet as CSV or split it")


def _unpacked(path: Path, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes, a chunk at a time, never more than the size it declares.

    Read here rather than through :mod:`zipfile`, which checks the checksum
    as it reaches the end and drops the last chunk if it is wrong: the
    readers build the cells before they get to that check.
    """
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                         zipfile.ZIP_DEFLATED):
        return  # encrypted, or a method no spreadsheet program writes: unreadable
    with path.open("rb") as raw:
        raw.seek(info.header_offset)
        header = raw.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        raw.seek(info.header_offset + 30 + name_length + extra_length)
        packed, left = info.compress_size, info.file_size
        if info.compress_type == zipfile.ZIP_STORED:
            while left > 0:
                chunk = raw.read(min(_CHUNK, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk
            return
        inflate = zlib.decompressobj(-15)
        data = b""
        while left > 0 and not inflate.eof:
            if not data:
                data = raw.read(min(_CHUNK, packed))
                packed -= len(data)
                if not data:
                    return
            try:
                out = inflate.decompress(data, min(_CHUNK, left))
            except zlib.error:
                return
            data = inflate.unconsumed_tail
            if out:
                left -= len(out)
                yield out


def _whole_tags(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks re-cut so that no tag is split (a tag longer than a chunk is dropped)."""
    carry = b""
    for chunk in chunks:
        buf = carry + chunk
        cut = buf.rfind(b"<")
        if cut >= 0 and buf.find(b">", cut) < 0:
            buf, carry = buf[:cut], buf[cut:]
            if len(carry) > _CHUNK:
                carry = b""
        else:
            carry = b""
        yield buf
    if carry:
        yield carry


@dataclass
class _StringSurvey:
    """The length in bytes of each shared string (an upper bound on its text)."""

    lengths: np.ndarray
    longest: int


def _survey_strings(path: Path, info: zipfile.ZipInfo) -> _StringSurvey:
    """Stream the shared strings and keep only each string's length.

    Anything that could make this count of the strings differ from the
    reader's (comments, CDATA, processing instructions, unmatched tags)
    makes every string count as long as the whole part.
    """
    lengths = array("q")
    current = starts = ends = 0
    odd = False
    for number, buf in enumerate(_whole_tags(_unpacked(path, info))):
        body = buf[buf.find(b"?>") + 2:] if number == 0 and buf.startswith(b"<?") else buf
        odd = odd or b"<!" in body or b"<?" in body
        # Items written as every spreadsheet program writes them, <si>...</si>, are
        # split on the bytes (fast); a prefix, a self-closed item or spaces in a
        # tag send the chunk through the regular expressions.
        opened = buf.count(b"<si>")
        if opened == buf.count(b"<si") and b":si" not in buf:
            starts += opened
            pieces = buf.split(b"</si>")
            if len(pieces) - 1 != buf.count(b"</si"):
                odd = True  # an end tag with spaces in it
        else:
            starts += len(_STRING_ITEM_START.findall(buf))
            pieces = _STRING_ITEM_END.split(buf)
        ends += len(pieces) - 1
        current += len(pieces[0])
        if len(pieces) > 1:
            lengths.append(current)
            lengths.extend(map(len, pieces[1:-1]))
            current = len(pieces[-1])
    if odd or starts != ends:
        return _StringSurvey(np.zeros(0, np.int64), info.file_size)
    found = np.frombuffer(lengths, np.int64) if len(lengths) else np.zeros(0, np.int64)
    return _StringSurvey(found, int(found.max()) if len(found) else 0)


def _referenced_text(path: Path, info: zipfile.ZipInfo, survey: _StringSurvey,
                     budget: int) -> tuple[int, int]:
    """The bytes of shared text a sheet's string cells refer to, and how many cells.

    Streams the sheet; a string cell whose index cannot be read, or is out
    of range, counts as the longest string. Stops once over the budget.
    """
    total = cells = 0
    for buf in _whole_tags(_unpacked(path, info)):
        count = sum(1 for _ in _STRING_CELLS.finditer(buf))
        refs = _STRING_REFS.findall(buf)
        index = np.array(refs).astype(np.int64) if refs else np.zeros(0, np.int64)
        index = index[index < len(survey.lengths)]
        total += int(survey.lengths[index].sum()) + (count - len(index)) * survey.longest
        cells += count
        if total > budget:
            break
    return total, cells
