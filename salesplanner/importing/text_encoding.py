"""How a text export's bytes become text, honestly: never silent mojibake.

- A byte-order mark says UTF-8 or UTF-16 (UTF-16 must then decode whole).
- A file that is valid UTF-8 throughout is UTF-8.
- A file with bytes that are not UTF-8, and no valid multi-byte UTF-8
  sequence on any other line, is Windows-1252 throughout (what Excel on
  Windows writes), without a warning.
- A file that mixes the two (UTF-8 lines with accented letters, and lines
  that are not UTF-8: a row pasted in from a Windows program) is decoded
  line by line: UTF-8 where the line is valid UTF-8, else Windows-1252. The
  import warns, naming the first lines read as Windows-1252 and how many.
- Bytes that mean nothing in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D)
  become U+FFFD, and the import names their lines.

Validating UTF-8 is done by Python's decoder, in C, a few megabytes at a
time: a 130 MB export costs about a tenth of a second. Only a mixed file is
rewritten, line by line, into a temporary UTF-8 copy for Arrow to read.
"""

from __future__ import annotations

import codecs
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from salesplanner.errors import UserError
from salesplanner.storage.scratch import make_folder

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: What :attr:`SourceTable.encoding` says for a file of mixed lines.
MIXED = "utf-8 with cp1252 lines"
#: Line numbers named in a warning; the rest are counted.
NAMED_LINES = 5
_CHUNK = 16 << 20


@dataclass
class Decoded:
    """Text and how it was read, with the lines worth a warning."""

    text: str
    encoding: str
    #: Lines read as Windows-1252 in a mixed file (the first few) and how many.
    cp1252_lines: list[int] = field(default_factory=list)
    cp1252_count: int = 0
    #: Lines with bytes Windows-1252 does not define (the first few) and how many.
    undefined_lines: list[int] = field(default_factory=list)
    undefined_count: int = 0

    @property
    def warnings(self) -> list[str]:
        """What the user should be told about the decoding."""
        out = []
        if self.cp1252_count:
            lines, one = _lines(self.cp1252_lines, self.cp1252_count)
            out.append(f"{lines} {'is' if one else 'are'} not UTF-8 like the rest of the file "
                       f"and {'was' if one else 'were'} read as Windows-1252; check the "
                       "accented letters there")
        if self.undefined_count:
            lines, one = _lines(self.undefined_lines, self.undefined_count)
            out.append(f"{lines} {'has' if one else 'have'} bytes that are not text in "
                       "Windows-1252, shown as \ufffd")
        return out


def _lines(named: list[int], count: int) -> tuple[str, bool]:
    """"line 4", "lines 4 and 9", "lines 4, 9, ... and 57 more (62 lines)"; and if one."""
    shown = [str(n) for n in named]  # as an editor shows them, to search for
    if count == 1:
        return f"line {shown[0]}", True
    if count > len(shown):
        return f"lines {', '.join(shown)} and {count - len(shown):,} more ({count:,} lines)", False
    return f"lines {', '.join(shown[:-1])} and {shown[-1]}", False


def bom_length(data: bytes) -> int:
    """Bytes of a UTF-8 byte-order mark at the start of ``data`` (0 or 3)."""
    return 3 if data.startswith(UTF8_BOM) else 0


def decode_bytes(data: bytes) -> Decoded:
    """Text from the bytes of a text file (or the head of one), as the module says.

    UTF-16 and binary files are for the caller to tell apart first.
    """
    skip = bom_length(data)
    try:
        return Decoded(codecs.utf_8_decode(memoryview(data)[skip:], "strict", True)[0],
                       "utf-8-sig" if skip else "utf-8")
    except UnicodeDecodeError:
        pass
    body = data[skip:]
    mixed = skip > 0 or _has_utf8_line(body)
    out = _Transcoder(mixed)
    text = out.transcode(body).decode("utf-8")
    result = Decoded(text, MIXED if mixed else "cp1252")
    out.fill(result)
    return result


def survey_file(path: Path) -> str:
    """How the whole file decodes: ``utf-8``, ``utf-8-sig``, ``cp1252`` or :data:`MIXED`.

    Streams the file a few megabytes at a time and stops as soon as it has
    seen both a UTF-8 line with an accented letter and a line that is not UTF-8.
    """
    with path.open("rb") as stream:
        skip = bom_length(stream.read(3))
    bad = utf8 = False
    for chunk in _line_chunks(path, skip):
        try:
            text = codecs.utf_8_decode(chunk, "strict", True)[0]
        except UnicodeDecodeError:
            bad = True
            # The cheap test first: a chunk that decodes, with its bad bytes
            # escaped, to as many characters as it has bytes has no
            # multi-byte sequence at all.
            if not utf8 and len(chunk.decode("utf-8", "surrogateescape")) != len(chunk):
                utf8 = _has_utf8_line(chunk)
        else:
            utf8 = utf8 or not text.isascii()
        if bad and (utf8 or skip):
            return MIXED
    if bad:
        return "cp1252"
    return "utf-8-sig" if skip else "utf-8"


@contextmanager
def utf8_copy(path: Path) -> Iterator[tuple[Path, Decoded]]:
    """A temporary UTF-8 copy of a mixed file, its lines kept where they were.

    The copy has no byte-order mark. It is written in a scratch folder of
    the system's temporary folder (:mod:`salesplanner.storage.scratch`, so a
    killed run's copy is cleared at the next start) and deleted on leaving
    the block. The :class:`Decoded` it comes with has no text, only the
    lines to warn about.
    """
    with path.open("rb") as stream:
        skip = bom_length(stream.read(3))
    folder = make_folder("text")
    copy = folder / "utf8.csv"
    try:
        out = _Transcoder(mixed=True)
        with copy.open("wb") as target:
            for chunk in _line_chunks(path, skip):
                target.write(out.transcode(chunk))
        result = Decoded("", MIXED)
        out.fill(result)
        yield copy, result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Transcoder:
    """Whole lines to UTF-8: valid lines as they are, others from Windows-1252.

    Fed the chunks of a file in order, it keeps the line count, so the
    lines it names are the user's line numbers (CR, LF and CRLF each end a
    line). With ``mixed`` false every line is read as Windows-1252 (a file
    with no UTF-8 in it) and none is named for it.
    """

    def __init__(self, mixed: bool) -> None:
        self.mixed = mixed
        self.line = 1
        self.cp1252: list[int] = []
        self.cp1252_count = 0
        self.undefined: list[int] = []
        self.undefined_count = 0

    def transcode(self, chunk: bytes) -> bytes:
        """The chunk (whole lines) as UTF-8 bytes."""
        if not self.mixed:
            text = chunk.decode("cp1252", "replace")
            if "\ufffd" in text:
                self._note_undefined(text)
            self.line += _line_ends(chunk, 0, len(chunk))
            return text.encode("utf-8")
        parts = []
        counted = 0
        for valid, start, end in _runs(chunk):
            if valid:
                parts.append(chunk[start:end])
                continue
            self.line += _line_ends(chunk, counted, start)
            counted = start
            text = chunk[start:end].decode("cp1252", "replace")
            self.cp1252_count += 1
            if len(self.cp1252) < NAMED_LINES:
                self.cp1252.append(self.line)
            if "\ufffd" in text:
                self._count_undefined(self.line)
            parts.append(text.encode("utf-8"))
        self.line += _line_ends(chunk, counted, len(chunk))
        return b"".join(parts)

    def _note_undefined(self, text: str) -> None:
        for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n")
                                      .split("\n"), self.line):
            if "\ufffd" in line:
                self._count_undefined(number)

    def _count_undefined(self, line: int) -> None:
        self.undefined_count += 1
        if len(self.undefined) < NAMED_LINES:
            self.undefined.append(line)

    def fill(self, result: Decoded) -> None:
        """Put the lines worth a warning into ``result``."""
        result.cp1252_lines, result.cp1252_count = self.cp1252, self.cp1252_count
        result.undefined_lines, result.undefined_count = self.undefined, self.undefined_count


def _has_utf8_line(data: bytes) -> bool:
    """Whether a line that is valid UTF-8 has a multi-byte sequence in it."""
    return any(valid and not data[start:end].isascii() for valid, start, end in _runs(data))


def _runs(data: bytes) -> Iterator[tuple[bool, int, int]]:
    """(valid UTF-8?, start, end): runs of valid whole lines, and each invalid line.

    A run ends where a line begins, so the line ends stay with the valid
    runs; an invalid line is yielded without its line end.
    """
    view = memoryview(data)
    position = 0
    while position < len(data):
        try:
            codecs.utf_8_decode(view[position:], "strict", True)
        except UnicodeDecodeError as exc:
            bad = position + exc.start
            start = max(data.rfind(b"\n", position, bad), data.rfind(b"\r", position, bad)) + 1
            start = max(start, position)
            ends = [i for i in (data.find(b"\n", bad), data.find(b"\r", bad)) if i >= 0]
            end = min(ends) if ends else len(data)
            if start > position:
                yield True, position, start
            yield False, start, end
            position = end
        else:
            yield True, position, len(data)
            return


def _line_ends(data: bytes, start: int, end: int) -> int:
    """Line ends (CR, LF or CRLF) in ``data[start:end]``."""
    return (data.count(b"\n", start, end) + data.count(b"\r", start, end)
            - data.count(b"\r\n", start, end))


#: The longest line a text table may have; beyond it the file is refused
#: (reading on would hold it all in memory, copying it again with every chunk).
MAX_LINE_BYTES = 32 * 2**20


def _line_chunks(path: Path, skip: int) -> Iterator[bytes]:
    """The file from byte ``skip`` in chunks of a few megabytes cut at line ends."""
    with path.open("rb") as stream:
        stream.seek(skip)
        carry = b""
        for block in iter(lambda: stream.read(_CHUNK), b""):
            data = carry + block
            cut = data.rfind(b"\n") + 1 or data.rfind(b"\r", 0, len(data) - 1) + 1
            if cut:
                yield data[:cut]
                carry = data[cut:]
            else:
                carry = data  # one line longer than a chunk: read on
                if len(carry) > MAX_LINE_BYTES:
                    raise UserError(
                        f"{path}: a line is longer than {MAX_LINE_BYTES // 2**20} MB, which no "
                        "table of rows has; check it is the export you meant (a text table "
                        "with one row per line)")
        if carry:
            yield carry
