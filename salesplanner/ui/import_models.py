"""Item models of the import wizard: the typed preview and the problem list.

Both render plain values the domain returns (a :class:`Converted` preview,
a list of :class:`RowProblem`); neither holds SQL or rules.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from salesplanner.importing.convert import Converted, RowProblem, field_type
from salesplanner.importing.fields import fields_of
from salesplanner.importing.source_table import SourceTable
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


class PreviewModel(QAbstractTableModel):
    """The first rows of the source, one column per mapped field, as they will import.

    The header names the field and the column it comes from; a cell the
    importer refuses is shaded, with the reason as its tooltip.
    """

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._fields: list[tuple[str, str]] = []  # (label, header)
        self._cells: list[list[str]] = []
        self._lines: list[int] = []
        self._problems: dict[tuple[int, str], str] = {}

    def show(self, table: SourceTable, kind: str, mapping: dict[str, str],
             data: Converted | None, currency_digits: int = 2) -> None:
        """Show ``data`` (the converted head of ``table``), or the raw text if None."""
        self.beginResetModel()
        labels = {f.name: f.label for f in fields_of(kind)}
        if data is None:
            self._fields = [(h, h) for h in table.headers]
            self._cells = table.preview(len(table.line_numbers))
            self._lines = table.line_numbers.tolist()
            self._problems = {}
        else:
            names = [n for n in labels if n in data.values]
            self._fields = [(labels[n], mapping.get(n, "")) for n in names]
            columns = []
            for name in names:
                values = data.values[name]
                if isinstance(values, (pa.Array, pa.ChunkedArray)):
                    values = values.to_pylist()
                typed = field_type(kind, name)
                columns.append([_display(v, typed, currency_digits) for v in values])
            self._cells = [list(r) for r in zip(*columns)] if columns else []
            self._lines = data.line_numbers.tolist()
            self._problems = {(i, p.column): p.reason for i, ps in data.problems.items()
                              for p in ps}
            # A refused cell shows what the file says, so the user sees what is wrong.
            headers = [header for _label, header in self._fields]
            for (row, header), _reason in self._problems.items():
                if header in headers and header in table.headers and row < len(self._cells):
                    text = table.column(header)[row].as_py()
                    self._cells[row][headers.index(header)] = text
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        """Rows previewed."""
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        """One column per field."""
        return 0 if parent.isValid() else len(self._fields)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text, shading and tooltip."""
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        problem = self._problems.get((row, self._fields[col][1]))
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][col]
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return QBrush(_BAD)
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return QBrush(QColor("#58151c"))
        if role == Qt.ItemDataRole.ToolTipRole and problem:
            return problem
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Field and source column across; the source row number down."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._fields):
                return None
            label, header = self._fields[section]
            return label if label == header else f"{label}\n\u2190 {header}"
        return str(self._lines[section]) if 0 <= section < len(self._lines) else None


class ProblemModel(RowTableModel):
    """Every row the importer refuses: source row, column and reason."""

    COLUMNS = ("Row", "Column", "Problem")

    def set_problems(self, problems: list[RowProblem]) -> None:
        """Show ``problems``."""
        self.set_rows(problems)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The problem's row number, column or reason."""
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        problem = self.rows[index.row()]
        return (str(problem.line), problem.column, problem.reason)[index.column()]
