"""A table model over a list of records, its columns described once.

Every small table of the program (targets, hours, skills, the league, import
history, measures, reports, forecasts ...) shares this: a list of plain
records, one per row, optionally followed by footer rows (a total, a team
average) that stay last, and a :class:`~salesplanner.ui.columns.Columns`
saying how a record shows, sorts and edits in each column. Rows, columns,
titles, text, alignment, tooltips, raw values, sort keys and sorting are
done here from the descriptors; a subclass adds the roles of its own look
(colours, fonts) and what an edit does.

The model sorts itself (one Python sort of the rows by the column's sort
key), keeping footer rows last and the sort across reloads: a proxy model
comparing pairs of rows through Python stalled the window on 400 rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from salesplanner.ui.columns import RAW_ROLE, SORT_ROLE, Columns, sorted_positions

Index = QModelIndex | QPersistentModelIndex

_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


class RowTableModel(QAbstractTableModel):
    """Rows are records (then footer records), columns are :attr:`columns`."""

    #: The columns; a model whose columns depend on what it shows sets them
    #: with :meth:`set_columns`.
    columns: Columns = Columns()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The records in the order shown (a view's row is an index here): the
        #: body, then the footer.
        self.rows: list = []
        #: Whether editable columns may be edited (a read-only plan: no).
        self.editable = True
        self._given: list = []
        self._footer: list = []
        self._order: list[int] = []
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._texts: list[list[str] | None] = []

    # -- contents -------------------------------------------------------------------------

    def set_rows(self, rows: Sequence, footer: Sequence = ()) -> None:
        """Show ``rows`` then ``footer`` (a whole reload), in the current sort."""
        self.beginResetModel()
        self._given, self._footer = list(rows), list(footer)
        self._arrange()
        self.endResetModel()

    def set_columns(self, columns: Columns, rows: Sequence = (), footer: Sequence = ()) -> None:
        """Show new columns with their rows (a whole reload)."""
        self.beginResetModel()
        self.columns = columns
        self._given, self._footer = list(rows), list(footer)
        if self._sort[0] >= len(columns):
            self._sort = (-1, Qt.SortOrder.AscendingOrder)
        self._arrange()
        self.endResetModel()

    def _arrange(self) -> None:
        column, order = self._sort
        positions = list(range(len(self._given)))
        if 0 <= column < len(self.columns):
            describe = self.columns[column]
            positions = sorted_positions([describe.sort_key_of(r) for r in self._given],
                                         order == Qt.SortOrder.DescendingOrder)
        self._order = positions
        self.rows = [*(self._given[i] for i in positions), *self._footer]
        self._texts = [None] * len(self.rows)

    def set_record(self, row: int, record: object) -> None:
        """Put ``record`` in place of the one at ``row`` and show it."""
        self.rows[row] = record
        if row < len(self._order):
            self._given[self._order[row]] = record
        else:
            self._footer[row - len(self._order)] = record
        self.row_changed(row)

    def column_of(self, key: str) -> int:
        """The number of the column called ``key``."""
        return self.columns.position(key)

    def is_footer(self, row: int) -> bool:
        """Whether ``row`` is a footer row (kept last, never edited)."""
        return row >= len(self.rows) - len(self._footer)

    def texts(self, row: int) -> list[str]:
        """The texts of a row's cells (formatted once: views ask many times)."""
        texts = self._texts[row]
        if texts is None:
            record = self.rows[row]
            texts = self._texts[row] = [c.text_of(record) for c in self.columns]
        return texts

    def column_texts(self, key: str, rows: int = 40) -> list[str]:
        """The texts of the first ``rows`` body rows in a column (for sizing it)."""
        column = self.column_of(key)
        body = len(self.rows) - len(self._footer)
        return [self.texts(r)[column] for r in range(min(rows, body))]

    def row_changed(self, row: int) -> None:
        """A row's record changed in place: show it again."""
        self._texts[row] = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def row_title(self, row: int) -> str | None:
        """The row's title down the side (none unless a subclass gives one)."""
        return None

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        """One row per record."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        """One column per descriptor."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Text, edit text, alignment, tooltip, raw value and sort key, from the columns."""
        if not index.isValid():
            return None
        row, column = index.row(), self.columns[index.column()]
        if role == _DISPLAY:
            return self.texts(row)[index.column()]
        if role == _ALIGN:
            return column.align
        if role == _TOOLTIP:
            return column.tooltip_of(self.rows[row])
        if role == _EDIT:
            if column.edit is not None:
                return column.edit(column.value(self.rows[row]))
            return self.texts(row)[index.column()]
        if role == RAW_ROLE:
            return column.value(self.rows[row])
        if role == SORT_ROLE:
            return column.sort_key_of(self.rows[row])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Column titles across; row titles (if any) down."""
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return self.row_title(section) if 0 <= section < len(self.rows) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Editable where the column is, the model allows it and the row is no footer."""
        base = super().flags(index)
        if index.isValid() and self.editable and self.columns[index.column()].editable \
                and not self.is_footer(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the body by a column's sort key (empty cells last); -1: as given."""
        self._sort = (column, order)
        if not self.rows:
            return
        self.layoutAboutToBeChanged.emit()
        was = {given: shown for shown, given in enumerate(self._order)}
        old_texts, old = self._texts, self.persistentIndexList()
        self._arrange()
        # Where each row now shown was before (footer rows stay where they were).
        moved = [was[g] for g in self._order] + list(range(len(self._order), len(self.rows)))
        self._texts = [old_texts[i] for i in moved]
        now = {before: after for after, before in enumerate(moved)}
        self.changePersistentIndexList(old, [self.index(now[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()


def cell(model: RowTableModel, row: int, key: str, role: int = _DISPLAY) -> object:
    """The data of a cell found by its column's key."""
    return model.data(model.index(row, model.column_of(key)), role)
