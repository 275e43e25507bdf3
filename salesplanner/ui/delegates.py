"""Editors for the data browser's cells: lists where a choice is fixed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QComboBox, QSpinBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget,
)

from salesplanner.browse import BOOL, TableSpec
from salesplanner.ui.row_models import Index


class BrowserDelegate(QStyledItemDelegate):
    """Yes/No and team choices as lists, ratings as a 1-5 spin box, else text."""

    def __init__(self, spec: TableSpec, choices: Callable[[str], list[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """A combo, a spin box, or the default line edit."""
        column = self.spec.columns[index.column()]
        if column.kind == BOOL:
            editor = QComboBox(parent)
            editor.addItems(["Yes", "No"])
            editor.setAccessibleName(column.header)
            return editor
        if column.edit_field == "team":
            editor = QComboBox(parent)
            editor.addItems(self.choices(column.key))
            editor.setAccessibleName(column.header)
            return editor
        if column.edit_field == "rating":
            spin = QSpinBox(parent)
            spin.setRange(1, 5)
            spin.setAccessibleName(column.header)
            return spin
        line = super().createEditor(parent, option, index)
        line.setAccessibleName(column.header)
        return line

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Start from the cell's current value."""
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findText(str(text))))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(text) if str(text).isdigit() else 3)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Hand the chosen value to the model (which runs the operation)."""
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
        elif isinstance(editor, QSpinBox):
            model.setData(index, editor.value())
        else:
            super().setModelData(editor, model, index)
