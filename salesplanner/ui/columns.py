"""Column descriptors: what each column of a table is, said once.

A table model lists its columns as :class:`Column` values: the key panels
find a column by (never its number), the title, how a record's value is
read, shown and sorted, its alignment and tooltip, and whether it can be
edited. Models answer every role from these; the sort keys below make every
table sort the way a manager reads (AG2 before AG10, numbers by value, dates
by date, text without regard to case), with empty cells last either way.

Roles: ``DisplayRole`` is the formatted text, :data:`RAW_ROLE` the value
as the domain gave it (for delegates and copy), :data:`SORT_ROLE` its sort
key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from salesplanner.row_order import natural_key

RAW_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3

#: Alignments, as the ints views expect (None: the view's own, left).
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def _empty(value: object) -> bool:
    """None, NaN, NaT or an empty text: a cell with nothing in it."""
    if value is None or value == "":
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # an array compares element-wise
        return False


# -- how to sort: each returns a key, or None for an empty cell (always last) ----------------

def natural(value: object) -> tuple | None:
    """Codes in natural order: AG2 before AG10, case ignored."""
    return None if _empty(value) else natural_key(str(value))


def number(value: object) -> float | None:
    """Numbers by value."""
    if _empty(value):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def date(value: object) -> str | None:
    """Dates and times by value (as ISO text, which orders the same way)."""
    if _empty(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).replace("T", " ")


def text(value: object) -> str | None:
    """Text, case ignored."""
    return None if _empty(value) else str(value).casefold()


def ranked(*values: object) -> Callable[[object], int | None]:
    """Values of a short list in the list's order (e.g. red, amber, green)."""
    rank = {v: i for i, v in enumerate(values)}
    return lambda value: rank.get(value)


def unsorted(_value: object) -> None:
    """A column that does not sort (its rows keep their order)."""
    return None


# -- how to show -----------------------------------------------------------------------------

def plain(value: object) -> str:
    """The value as text; nothing for an empty cell."""
    return "" if _empty(value) else str(value)


def _itself(record: object) -> object:
    return record


@dataclass(frozen=True)
class Column:
    """One column of a table: how a record shows, sorts and edits in it.

    ``value`` reads the column's value from a row's record; ``show`` turns
    that value into the cell's text (``text``, when given, makes the text
    from the whole record instead, for a cell that says more than its
    value, such as an agent's code and name); ``sort`` gives the value's
    sort key (None for an empty cell). ``tooltip`` is a text for every cell
    or a function of the record.
    """

    key: str
    title: str
    value: Callable[[Any], object] = _itself
    show: Callable[[Any], str] = plain
    sort: Callable[[Any], object] = text
    align: int | None = None
    tooltip: str | Callable[[Any], str | None] | None = None
    editable: bool = False
    text: Callable[[Any], str] | None = None
    #: The text an editor starts with, from the value (default: the cell's text).
    edit: Callable[[Any], str] | None = None

    def text_of(self, record: object) -> str:
        """The cell's text for ``record``."""
        if self.text is not None:
            return self.text(record)
        return self.show(self.value(record))

    def tooltip_of(self, record: object) -> str | None:
        """The cell's tooltip for ``record``."""
        if self.tooltip is None or isinstance(self.tooltip, str):
            return self.tooltip
        return self.tooltip(record)

    def sort_key_of(self, record: object) -> object:
        """The cell's sort key for ``record`` (None when empty)."""
        return self.sort(self.value(record))


class Columns:
    """A table's columns in order, found by key."""

    def __init__(self, *columns: Column) -> None:
        self._columns = tuple(columns)
        self._position = {c.key: i for i, c in enumerate(self._columns)}
        if len(self._position) != len(self._columns):
            raise ValueError("two columns share a key")

    def position(self, key: str) -> int:
        """The number of the column called ``key``."""
        return self._position[key]

    def keys(self) -> list[str]:
        """The keys in order."""
        return [c.key for c in self._columns]

    def __getitem__(self, index: int) -> Column:
        return self._columns[index]

    def __len__(self) -> int:
        return len(self._columns)

    def __iter__(self) -> Iterator[Column]:
        return iter(self._columns)

    def __contains__(self, key: object) -> bool:
        return key in self._position


def sorted_positions(keys: Sequence[object], descending: bool = False) -> list[int]:
    """Positions of ``keys`` in sorted order, stable, empty (None) keys last either way."""
    present = [i for i, k in enumerate(keys) if k is not None]
    missing = [i for i, k in enumerate(keys) if k is None]
    present.sort(key=keys.__getitem__, reverse=descending)  # type: ignore[arg-type]  # keys of one kind
    return present + missing


def sort_by_header(view: QTableView, key: str | None = None,
                   order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
    """Let ``view`` sort by a click on a column title, starting sorted by ``key``
    (None: in the order the rows are given)."""
    model = view.model()
    column = -1 if key is None else model.columns.position(key)  # type: ignore[attr-defined]  # a RowTableModel
    # Set first: enabling sorting sorts at once by the header's indicator,
    # which Qt starts at the first column, descending.
    view.horizontalHeader().setSortIndicator(column, order)
    view.setSortingEnabled(True)
