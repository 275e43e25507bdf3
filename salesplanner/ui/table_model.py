"""A table model that pages rows from the plan file as they are shown.

:class:`PagedTableModel` holds the ordered row keys for the current filter
and sort (computed by a job off the interface thread) and a small cache of
pages; ``data()`` fetches a page of 200 rows by key when it first needs one
(well under a millisecond). The whole table is never loaded.

Its columns are :class:`~salesplanner.ui.columns.Column` descriptors made
from the table's spec: ``DisplayRole`` is the locale-formatted text;
:data:`RAW_ROLE` the stored value, for delegates and copy; :data:`SORT_ROLE`
its sort key; :data:`KEY_ROLE` the row's key. Sorting itself runs in SQL
(codes naturally, see :mod:`salesplanner.row_order`) by the column's key.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from operator import itemgetter

from PySide6.QtCore import (
    QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal,
)

from salesplanner.browse import (
    BOOL, CODE, DATE, DATETIME, INT, MONEY, NUMBER, PERCENT, Query, TableBrowser,
)
from salesplanner.browse import Column as ColumnSpec
from salesplanner.errors import UserError
from salesplanner.ui.columns import (
    KEY_ROLE, RAW_ROLE, SORT_ROLE, Column, Columns, date, natural, number, text,
)
from salesplanner.ui.formatting import Formatter, elide, name_without_code
from salesplanner.ui.jobs import JobRunner

#: How each kind of stored value sorts (as the plan's SQL ordering does).
SORT_KEYS = {CODE: natural, INT: number, NUMBER: number, MONEY: number, PERCENT: number,
             BOOL: number, DATE: date, DATETIME: date}

# Roles as plain ints: comparing Qt's enum objects costs microseconds per call,
# and a view asks for a dozen roles of every visible cell on every paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_EDIT = int(Qt.ItemDataRole.EditRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_RAW = int(RAW_ROLE.value) if hasattr(RAW_ROLE, "value") else int(RAW_ROLE)
_KEY = int(KEY_ROLE.value) if hasattr(KEY_ROLE, "value") else int(KEY_ROLE)
_SORT = int(SORT_ROLE.value) if hasattr(SORT_ROLE, "value") else int(SORT_ROLE)
_HANDLED = frozenset({_DISPLAY, _EDIT, _ALIGN, _TOOLTIP, _RAW, _KEY, _SORT})
PAGE_ROWS = 200
CACHED_PAGES = 64

Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel):
    """Rows of one browsable table, paged lazily from the plan.

    Signals:
        loading_started(): new keys are being computed (sort or filter).
        loading_finished(): the model shows the new keys.
        load_failed(str): the query could not run (a bad filter ...).
    """

    loading_started = Signal()
    loading_finished = Signal()
    load_failed = Signal(str)

    def __init__(self, browser: TableBrowser, runner: JobRunner, formatter: Formatter,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.browser = browser
        self.spec = browser.spec
        self.runner = runner
        self.formatter = formatter
        self.query = Query()
        self.total = 0
        #: Row keys in display order: a list at first, a numpy array once loaded.
        self._ids: Sequence[int] = []
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self.editable = False
        #: Called as ``edit(key, edit_field, value) -> bool`` by setData.
        self.edit_handler: Callable[[int, str, object], bool] | None = None
        self.loading = False
        self.columns = Columns(*(self._describe(i, c) for i, c in enumerate(self.spec.columns)))
        self._alignments = [c.align for c in self.columns]
        #: Display texts of rows already formatted, by row: formatting a
        #: date-time through QLocale is the costliest part of a paint.
        self._texts: dict[int, list[str | None]] = {}

    def _describe(self, i: int, spec: ColumnSpec) -> Column:
        """A column of the spec as a descriptor (records are the rows the browser reads:
        the key, then one value per column)."""
        keys = [c.key for c in self.spec.columns]
        shown = None
        if spec.key == "agent_name" and "agent" in keys:
            # Beside the agent's code column: the name without the code again.
            code_at = keys.index("agent") + 1
            shown = lambda record: elide(name_without_code(  # noqa: E731 - one line, used here
                str(record[code_at] or ""), record[i + 1]))
        return Column(spec.key, spec.header, itemgetter(i + 1),
                      lambda value: self.formatter.text(value, spec.kind),
                      SORT_KEYS.get(spec.kind, text),
                      int(self.formatter.alignment(spec.kind).value),
                      editable=spec.edit_field is not None, text=shown,
                      edit=lambda value: self.formatter.edit_text(value, spec.kind))

    def column_of(self, key: str) -> int:
        """The number of the column called ``key``."""
        return self.columns.position(key)

    # -- loading ---------------------------------------------------------------

    @property
    def job_kind(self) -> str:
        """The job kind of this model's loads (a new load cancels the old)."""
        return f"browse:{self.spec.kind}:{id(self)}"

    def load(self, query: Query | None = None, provisional: bool = False) -> None:
        """Show the rows matching ``query``; the keys are computed in a worker.

        With ``provisional``, the first page of the table's own order is shown
        at once while the full list of keys is computed.
        """
        if query is not None:
            self.query = query
        if provisional and not self.query.text and not self.query.column_filters \
                and not self.query.sort_key:
            # The first page at once; the count comes with the full key list.
            self._set_ids(self.browser.first_ids(PAGE_ROWS))
        self.loading = True
        self.loading_started.emit()
        query = self.query
        # Results of a superseded load (one that finished just as a new one
        # started) are ignored: only the latest job may set the rows.
        # Bound methods as slots: Qt drops them if this model is deleted first.
        self.runner.start(
            self.job_kind, lambda token: self.browser.ordered_ids(query, token),
            on_done=self._on_job_done, on_error=self._on_job_failed)

    def _is_stale(self) -> bool:
        """Whether the job reporting is no longer this model's latest load."""
        sender = self.sender()
        return sender is not None and self.runner.running(self.job_kind) is not sender

    def _on_job_done(self, ids: Sequence[int]) -> None:
        if self._is_stale():
            return
        if not self.query.text and not self.query.column_filters:
            self.total = len(ids)
        elif self.total == 0:
            self.total = self.browser.total()
        self._set_ids(ids)
        self.loading = False
        self.loading_finished.emit()

    def _on_job_failed(self, error: BaseException, _trace: str) -> None:
        if self._is_stale():
            return
        self.loading = False
        self.load_failed.emit(str(error))

    def _set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self._texts.clear()
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Re-read the rows on screen (after an edit), keeping the order."""
        self._pages.clear()
        self._texts.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))

    # -- reading ---------------------------------------------------------------

    def _row(self, row: int) -> tuple | None:
        page = row // PAGE_ROWS
        rows = self._pages.get(page)
        if rows is None:
            start = page * PAGE_ROWS
            ids = self._ids[start:start + PAGE_ROWS]
            try:
                found = {r[0]: r for r in self.browser.rows(ids)}
            except UserError as exc:  # stopped at its deadline: show the page empty
                self.load_failed.emit(str(exc))
                found = {}
            rows = [found.get(int(i)) for i in ids]
            self._pages[page] = rows
            if len(self._pages) > CACHED_PAGES:
                old, _rows = self._pages.popitem(last=False)
                for r in range(old * PAGE_ROWS, (old + 1) * PAGE_ROWS):
                    self._texts.pop(r, None)
        else:
            self._pages.move_to_end(page)
        offset = row - page * PAGE_ROWS
        return rows[offset] if offset < len(rows) else None

    def key(self, row: int) -> int:
        """The key of the row at ``row``."""
        return int(self._ids[row])

    def raw(self, row: int, column: int) -> object:
        """The stored value at a cell."""
        record = self._row(row)
        return None if record is None else self.columns[column].value(record)

    # -- Qt model interface ------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """Rows matching the current query (0 under any valid parent)."""
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """The table's columns (0 under any valid parent)."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Formatted text, alignment, raw value or key of a cell."""
        role = role if type(role) is int else int(role.value if hasattr(role, "value") else role)
        if role not in _HANDLED or not index.isValid():
            return None
        row, col = index.row(), index.column()
        if row >= len(self._ids):
            return None
        if role == _ALIGN:
            return self._alignments[col]
        if role == _KEY:
            return self.key(row)
        if role == _DISPLAY or role == _TOOLTIP:
            texts = self._texts.get(row)
            if texts is None:
                record = self._row(row)
                texts = [None] * len(self.columns) if record is None else [
                    column.text_of(record) for column in self.columns]
                self._texts[row] = texts
            text = texts[col]
            if role == _TOOLTIP:
                return text if text and len(text) > self.spec.columns[col].width_chars else None
            return text
        value = self.raw(row, col)
        if role == _RAW:
            return value
        if role == _SORT:
            return self.columns[col].sort(value)
        return self.columns[col].edit(value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Column headers; row numbers down the side."""
        if role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
                return self.columns[section].align
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return f"{section + 1:,}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Selectable; editable where the column allows and the plan is writable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and self.columns[index.column()].editable and self.spec.entity:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hand an edit to the edit handler (an undoable operation)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.edit_handler is None:
            return False
        column = self.spec.columns[index.column()]
        if not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        return self.edit_handler(self.key(index.row()), column.edit_field, value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (in a worker; the view keeps the old rows meanwhile)."""
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (self.query.sort_key, self.query.descending) == (key, descending):
            return
        self.load(Query(self.query.text, self.query.column_filters, key, descending))
