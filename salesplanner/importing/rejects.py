"""The rejected rows of an import, saved as a CSV to fix and import again.

The file has the source's own columns, in its order and with its headers,
so once fixed it imports with the same mapping; two columns are added at
the end, ``Source row`` and ``Import problem``, which the importer ignores.
Card numbers were masked before the rows reached here. Text that a
spreadsheet would run as a formula is neutralised, and the file is written
under a temporary name and moved into place, so a failure leaves no
half-written file.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from salesplanner.errors import UserError
from salesplanner.spreadsheet_safety import neutralise
from salesplanner.user_files import temporary_beside

if TYPE_CHECKING:
    from salesplanner.importing.convert import Converted
    from salesplanner.importing.source_table import SourceTable

REJECT_COLUMNS = ("Source row", "Import problem")
_NUMBER = re.compile(r"^[+-]?[\d.,]+$")


def _safe(text: str) -> str:
    """A cell made safe for a spreadsheet; plain numbers (``-12``) stay numbers."""
    return text if _NUMBER.match(text) else neutralise(text)


def write_rejects(path: str | Path, table: SourceTable, converted: Converted) -> int:
    """Write the rejected source rows of ``converted`` to ``path``; return the count."""
    path = Path(path)
    bad_rows = sorted({int(converted.source_rows[i]) for i in converted.problems})
    reasons: dict[int, list[str]] = {}
    for index, problems in sorted(converted.problems.items()):
        src = int(converted.source_rows[index])
        reasons.setdefault(src, []).extend(f"{p.column}: {p.reason}" for p in problems)
    picked = [col.take(pa.array(bad_rows, pa.int64())).to_pylist() for col in table.columns]
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder} does not exist")
    try:
        tmp = temporary_beside(path)
    except OSError as exc:
        raise UserError(f"{path}: cannot write the rejects file ({exc.strerror})") from None
    try:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as stream:
            writer = csv.writer(stream)
            writer.writerow([neutralise(h) for h in table.headers] + list(REJECT_COLUMNS))
            for n, src in enumerate(bad_rows):
                cells = [_safe(c[n] or "") for c in picked]
                writer.writerow(cells + [str(int(table.line_numbers[src])),
                                         neutralise("; ".join(reasons[src]))])
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot write the rejects file ({exc.strerror})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(bad_rows)
