"""Undoable operations: each command replays a domain operation.

Commands store record keys and values, never model indexes, so they stay
valid whatever the view shows when they are undone.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from salesplanner.edits import set_field
from salesplanner.ui.document import PlanDocument


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
