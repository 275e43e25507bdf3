"""Item models of the import wizard: the typed preview and the problem list,
and the view that fits the preview's columns to its width.

Both models render plain values the domain returns (a :class:`Converted`
preview, a list of :class:`RowProblem`); neither holds SQL or rules.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import QTableView, QWidget

from salesplanner.importing.convert import Converted, RowProblem, field_type
from salesplanner.importing.fields import fields_of
from salesplanner.importing.source_table import SourceTable
from salesplanner.ui.columns import RIGHT, Column, Columns, natural, number
from salesplanner.ui.row_models import RowTableModel

_Index = QModelIndex | QPersistentModelIndex
_BAD = QColor("#f8d7da")


def _display(value: object, kind: str = "text", digits: int = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if kind == "money":
            return f"{value / 10 ** digits:,.{digits}f}"
        return f"{value:,.2f}".rstrip("0").rstrip(".") if kind != "integer" else f"{value:,.0f}"
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return ""
        return str(value.astype("datetime64[s]")).replace("T", " ").removesuffix(" 00:00:00")
    return str(value)


class PreviewModel(RowTableModel):
    """The first rows of the source, one column per mapped field, as they will import.

    The header names the field and the column it comes from; a cell the
    importer refuses is shaded, with the reason as its tooltip. Records are
    row positions in the preview; a column's key is its field's name (the
    source's header when nothing is mapped yet).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cells: list[list[str]] = []
        self._lines: list[int] = []
        self._problems: dict[tuple[int, str], str] = {}

    def show(self, table: SourceTable, kind: str, mapping: dict[str, str],
             data: Converted | None, currency_digits: int = 2) -> None:
        """Show ``data`` (the converted head of ``table``), or the raw text if None."""
        labels = {f.name: f.label for f in fields_of(kind)}
        if data is None:
            fields = [(h, h, h) for h in table.headers]  # (key, label, source header)
            self._cells = table.preview(len(table.line_numbers))
            self._lines = table.line_numbers.tolist()
            self._problems = {}
        else:
            names = [n for n in labels if n in data.values]
            fields = [(n, labels[n], mapping.get(n, "")) for n in names]
            columns = []
            for name in names:
                values = data.values[name]
                if isinstance(values, (pa.Array, pa.ChunkedArray)):
                    values = values.to_pylist()
                typed = field_type(kind, name)
                columns.append([_display(v, typed, currency_digits)
                                for v in values])  # type: ignore[attr-defined]  # an array or a list
            self._cells = [list(r) for r in zip(*columns)] if columns else []
            self._lines = data.line_numbers.tolist()
            self._problems = {(i, p.column): p.reason for i, ps in data.problems.items()
                              for p in ps}
            # A refused cell shows what the file says, so the user sees what is wrong.
            headers = [header for _key, _label, header in fields]
            for (row, header), _reason in self._problems.items():
                if header in headers and header in table.headers and row < len(self._cells):
                    text = table.column(header)[row].as_py()
                    self._cells[row][headers.index(header)] = text
        keys: list[str] = []
        for i, (key, _label, _header) in enumerate(fields):
            keys.append(key if key not in keys else f"{key}#{i}")  # a file may repeat a header
        described = [self._column(i, key, label, header)
                     for i, (key, (_name, label, header)) in enumerate(zip(keys, fields))]
        self.set_columns(Columns(*described), range(len(self._cells)))

    def _column(self, i: int, key: str, label: str, header: str) -> Column:
        def tip(row: int) -> str | None:
            return self._problems.get((row, header))

        title = label if label == header else f"{label}\n\u2190 {header}"
        return Column(key, title, lambda row: self._cells[row][i], sort=natural, tooltip=tip)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' roles; a refused cell shaded."""
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if not index.isValid() or not self.data(index, Qt.ItemDataRole.ToolTipRole):
                return None
            return QBrush(_BAD if role == Qt.ItemDataRole.BackgroundRole else QColor("#58151c"))
        return super().data(index, role)

    def row_title(self, row: int) -> str | None:
        """The source's line number."""
        return str(self._lines[row]) if 0 <= row < len(self._lines) else None


class ProblemModel(RowTableModel):
    """Every row the importer refuses: source row, column and reason."""

    columns = Columns(
        Column("line", "Row", lambda p: p.line, str, number, RIGHT),
        Column("column", "Column", lambda p: p.column),
        Column("reason", "Problem", lambda p: p.reason),
    )

    def set_problems(self, problems: list[RowProblem]) -> None:
        """Show ``problems``."""
        self.set_rows(problems)


class PreviewView(QTableView):
    """A preview table whose columns always fit its width: each column as wide as its
    contents, the widest narrowed alike (their text elided) when they do not all fit,
    so every column of the file shows without scrolling sideways."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

    def fit_columns(self) -> None:
        """Size the columns to their contents, then narrow the widest to fit the width."""
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        widths = [header.sectionSize(i) for i in range(header.count())]
        room = self.viewport().width()
        if not widths or sum(widths) <= room:
            return
        # The widest cap that fits; below a few characters a column says nothing.
        low, high = self.fontMetrics().horizontalAdvance("0000000"), max(widths)
        while low < high:
            mid = (low + high + 1) // 2
            if sum(min(w, mid) for w in widths) <= room:
                low = mid
            else:
                high = mid - 1
        for i, width in enumerate(widths):
            header.resizeSection(i, min(width, low))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the columns again when the width changes."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()
