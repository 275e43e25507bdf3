"""Undoable operations: each command replays a domain operation.

Commands store record keys and values, never model indexes, so they stay
valid whatever the view shows when they are undone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from salesplanner.edits import set_field
from salesplanner.ui.document import PlanDocument

if TYPE_CHECKING:
    from salesplanner.ui.panels.base import Panel


class EditFieldCommand(QUndoCommand):
    """Set one field of one record; undo sets the old value back."""

    def __init__(self, document: PlanDocument, entity: str, key: int, field: str,
                 old: object, new: object, label: str) -> None:
        super().__init__(f"Edit {label}")
        self.document = document
        self.entity, self.key, self.field = entity, key, field
        self.old, self.new = old, new
        #: The edit was already applied when the command was pushed.
        self._skip_first_redo = True

    def _apply(self, value: object) -> None:
        plan = self.document.plan
        if plan is None:
            return
        result = set_field(plan, self.entity, self.key, self.field, value)
        self.document.notify(result, self)

    def redo(self) -> None:
        """Apply the new value (skipped when pushed: it is already stored)."""
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        """Put the old value back."""
        self._apply(self.old)


class RemoveImportCommand(QUndoCommand):
    """Remove an import's rows; undo puts exactly those rows back."""

    def __init__(self, document: PlanDocument, batch_id: int, label: str) -> None:
        super().__init__(f"Remove import {label}")
        self.document = document
        self.batch_id = batch_id
        self.detail: dict | None = None

    def redo(self) -> None:
        """Take the import's rows out (keeping them for undo)."""
        from salesplanner.importing.history import remove_import

        if self.document.plan is None:
            return
        result = remove_import(self.document.plan, self.batch_id)
        self.detail = result.detail
        self.document.notify(result, self)

    def undo(self) -> None:
        """Put the rows back."""
        from salesplanner.importing.history import restore_import

        if self.document.plan is None or self.detail is None:
            return
        self.document.notify(restore_import(self.document.plan, self.detail), self)


class TargetChangeCommand(QUndoCommand):
    """A change of targets already made (an override, a re-phasing); undo puts
    the targets back as they were. Redo is not offered: make the change again."""

    def __init__(self, panel: Panel, text: str) -> None:
        super().__init__(text)
        self.panel = panel

    def redo(self) -> None:
        """Nothing: the change was made before the command was pushed."""

    def undo(self) -> None:
        """Undo the last recorded change of targets."""
        from salesplanner.targets.scenarios import undo_change

        self.panel.apply(undo_change(self.panel.document.plan))
