"""Total and subtotal rows: told apart from records and left out of every import.

Exports often end with a total ("Total", "Grand total", "Summe", "Totaal" ...)
or carry a subtotal under each group. Such a row is not a record: imported,
it would count every sale twice, or store a product called "Total" with no
price. :func:`skip_total_rows` finds them in a source table, whatever its
kind, and takes them out before the table is mapped and typed; the import
summary names their lines.

The rule, in order:

- A **candidate** is a row whose non-empty cells are one label and numbers
  (amounts as :func:`~salesplanner.importing.values.parse_money` reads them,
  zero-padded ids included) and nothing else. A row with a second piece of
  text (a SKU such as ``TOT-1``, a date, a team name) is a record.
- A candidate whose label is a **total word** alone (``Total``, ``Grand
  total``, ``Subtotal``, ``Sum``, ``Totals`` and the same words in French,
  German, Spanish, Dutch, Italian, Polish and Portuguese, see
  :data:`TOTAL_WORDS`; a trailing colon is ignored) is a total row when it
  is **at the foot** of the table (only other total rows below it) or when
  one of its numbers **sums its column above** it.
- A candidate whose label **begins with** a total word ("Total February",
  "Subtotal Acquisition South") is a total row when one of its numbers sums
  its column above it.
- A candidate at the foot whose label is any text ("All agents") is a total
  row when one of its numbers sums its column above it over at least two
  rows.

"Sums its column above" means equals, to within a cent's rounding, the sum
of the column's numbers over the rows since the previous total row (a
subtotal), or over every record above (a grand total), with at least one
row in that sum. So a genuine product named "Total" in the middle of a
price list, whose price is not the sum of the prices above it, stays a
product.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from salesplanner.importing.columns import stripped, to_money
from salesplanner.importing.source_table import SourceTable
from salesplanner.importing.values import parse_money

#: The words exports write on a total row, by language (lower case, accents kept).
TOTAL_WORDS: dict[str, tuple[str, ...]] = {
    "English": ("total", "totals", "grand total", "subtotal", "sub total", "sub-total", "sum",
                "overall total", "total sum"),
    "French": ("total", "totaux", "total général", "total general", "sous-total", "sous total",
               "somme"),
    "German": ("summe", "gesamt", "gesamtsumme", "zwischensumme", "insgesamt", "total",
               "gesamtergebnis", "endsumme"),
    "Spanish": ("total", "total general", "subtotal", "suma", "totales"),
    "Dutch": ("totaal", "eindtotaal", "subtotaal", "som", "generaal totaal"),
    "Italian": ("totale", "totale generale", "subtotale", "somma", "totali"),
    "Polish": ("suma", "razem", "ogółem", "ogolem", "suma całkowita", "suma częściowa",
               "łącznie", "lacznie"),
    "Portuguese": ("total", "total geral", "subtotal", "soma", "totais"),
}

_WORDS = sorted({w for words in TOTAL_WORDS.values() for w in words}, key=len, reverse=True)
_EXACT = re.compile(r"^(?:" + "|".join(re.escape(w) for w in _WORDS) + r")\s*:?$")
_LEADING = re.compile(r"^(?:" + "|".join(re.escape(w) for w in _WORDS) + r")\b")
#: A cell that may be a total word, for the first pass in Arrow's kernels.
_MAYBE = "(?i)^\\s*(?:" + "|".join(re.escape(w) for w in _WORDS) + ")"
#: Rows at the foot looked at for a total without a total word.
_FOOT_ROWS = 5


def _label_of(row: list[str]) -> tuple[int, str] | None:
    """``(column, label)`` if the row is one label and numbers, else None."""
    label = None
    for i, cell in enumerate(row):
        text = cell.strip()
        if not text:
            continue
        try:
            parse_money(text)
        except ValueError:
            if label is not None:
                return None  # a second piece of text: a record
            label = (i, " ".join(text.lower().split()))
    return label


def _sums_above(row: list[str], label_column: int, sums: dict[int, np.ndarray],
                counts: np.ndarray, start: int, index: int) -> bool:
    """Whether one of the row's numbers is its column's sum since ``start`` or since row 0."""
    for i, cell in enumerate(row):
        if i == label_column or not cell.strip() or i not in sums:
            continue
        try:
            value = parse_money(cell.strip())
        except ValueError:  # pragma: no cover - the row is a candidate: its cells are numbers
            continue
        cum = sums[i]
        for first in {start, 0}:
            rows = counts[index] - counts[first]
            if rows >= 1 and abs((cum[index] - cum[first]) - value) <= 0.005 + 1e-9 * abs(value):
                return True
    return False


def find_total_rows(table: SourceTable) -> list[int]:
    """Indexes of ``table``'s total and subtotal rows (see the module's rule)."""
    n = table.num_rows
    if n == 0 or not table.columns:
        return []
    cells = [stripped(c) for c in table.columns]
    maybe = np.zeros(n, dtype=bool)
    for column in cells:
        maybe |= pc.match_substring_regex(column, _MAYBE).to_numpy(zero_copy_only=False)
    candidates = sorted({*np.flatnonzero(maybe).tolist(), *range(max(0, n - _FOOT_ROWS), n)})
    rows = {i: [c[i].as_py() for c in cells] for i in candidates}
    labelled = {i: lab for i in candidates if (lab := _label_of(rows[i])) is not None}
    if not labelled:
        return []
    # Sums of every numeric column that a candidate has a number in, as prefix
    # sums over the rows (a cell that is not an amount counts as nothing).
    wanted = {j for i in labelled for j, cell in enumerate(rows[i]) if cell.strip()}
    sums: dict[int, np.ndarray] = {}
    for j in sorted(wanted):
        values, _errors = to_money(cells[j])
        sums[j] = np.concatenate([[0.0], np.cumsum(np.nan_to_num(values))])
    totals: list[int] = []
    previous = 0  # the first row after the last total found
    is_total = np.zeros(n, dtype=bool)
    for i in sorted(labelled):
        column, label = labelled[i]
        # Rows counted in a sum are the records since ``first`` (totals left out).
        counts = np.concatenate([[0], np.cumsum(~is_total)])
        summed = _sums_above(rows[i], column, sums, counts, previous, i)
        exact, leading = bool(_EXACT.match(label)), bool(_LEADING.match(label))
        foot = all(j in labelled and (_EXACT.match(labelled[j][1]) or j == i)
                   for j in range(i + 1, n))
        if (exact and (foot or summed)) or (leading and summed) or (
                foot and summed and counts[i] - counts[previous] >= 2):
            totals.append(i)
            is_total[i] = True
            # A total's own numbers are not summed again by the next total.
            for j, cum in sums.items():
                try:
                    value = parse_money(rows[i][j].strip()) if rows[i][j].strip() else 0.0
                except ValueError:
                    value = 0.0
                cum[i + 1:] -= value
            previous = i + 1
    return totals


def skip_total_rows(table: SourceTable) -> list[int]:
    """Take the total rows out of ``table`` in place; return their line numbers.

    The table's warnings gain one line naming how many and where.
    """
    found = find_total_rows(table)
    if not found:
        return []
    lines = [int(table.line_numbers[i]) for i in found]
    keep = np.ones(table.num_rows, dtype=bool)
    keep[found] = False
    mask = pa.array(keep)
    table.columns = [c.filter(mask) for c in table.columns]
    table.line_numbers = table.line_numbers[keep]
    for line in lines:
        table.ragged.pop(line, None)
    table.skipped_totals = lines
    table.warnings.append(total_rows_note(lines))
    return lines


def total_rows_note(lines: list[int]) -> str:
    """"skipped 2 total rows (lines 14 and 27): they are sums, not records"."""
    shown = [str(n) for n in lines[:10]]
    if len(lines) == 1:
        where = f"line {shown[0]}"
    elif len(lines) > len(shown):
        where = f"lines {', '.join(shown)} and {len(lines) - len(shown)} more"
    else:
        where = f"lines {', '.join(shown[:-1])} and {shown[-1]}"
    rows = "row" if len(lines) == 1 else "rows"
    return f"skipped {len(lines)} total {rows} ({where}): sums of the rows above, not records"
