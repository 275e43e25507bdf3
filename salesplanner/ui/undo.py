"""Undoable operations: each command replays a domain operation.

Commands store record keys and values, never model indexes, so they stay
valid whatever the view shows when they are undone. Each replay is queued on
the document's serial write queue, so undo and redo never wait for the plan
and always run in the order they were asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from salesplanner.changes import OpResult
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
        entity, key, field = self.entity, self.key, self.field
        self.document.write(self.text(), lambda _token: set_field(plan, entity, key, field, value),
                            on_done=lambda result: self.document.notify(result, self))

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
        self._remove()

    def undo(self) -> None:
        """Put the rows back."""
        self._restore()

    def _remove(self) -> None:
        """Queue the removal of the import's rows, keeping what was taken out."""
        from salesplanner.importing.history import remove_import

        plan = self.document.plan
        if plan is None:
            return

        def remove(_token: object) -> OpResult:
            result = remove_import(plan, self.batch_id)
            # Kept on the write thread: an undo queued behind this finds it.
            self.detail = result.detail
            return result

        self.document.write(self.text(), remove,
                            on_done=lambda result: self.document.notify(result, self))

    def _restore(self) -> None:
        """Queue putting back exactly what :meth:`_remove` took out."""
        from salesplanner.importing.history import restore_import

        plan = self.document.plan
        if plan is None:
            return

        def restore(_token: object) -> OpResult | None:
            return None if self.detail is None else restore_import(plan, self.detail)

        self.document.write(self.text(), restore, on_done=lambda result: (
            self.document.notify(result, self) if result is not None else None))


class ImportCommand(RemoveImportCommand):
    """An import just made (pushed when it finished): undo removes exactly its
    rows, as the Imports panel's Remove does; redo puts those same rows back
    (the rows, the records it created and the values it changed, as they were
    taken out), so redo is faithful without reading the file again."""

    def __init__(self, document: PlanDocument, batch_id: int, label: str) -> None:
        super().__init__(document, batch_id, label)
        self.setText(f"Import {label}")
        #: The import was already written when the command was pushed.
        self._skip_first_redo = True

    def redo(self) -> None:
        """Put the import's rows back (skipped when pushed: they are already in)."""
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._restore()

    def undo(self) -> None:
        """Take the import's rows out."""
        self._remove()


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

        plan = self.panel.document.plan
        self.panel.write(self.text(), lambda _token: undo_change(plan), undoing=True)
