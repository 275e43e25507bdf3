"""The Targets panel's round trip through Excel: targets edited on the Targets
sheet of an exported workbook are read back (in a worker), shown beside the
plan's, and applied with a reason (undoable).

Part of :mod:`salesplanner.ui.panels.targets`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.targets.from_excel import apply_edits, read_edits
from salesplanner.ui.undo import TargetChangeCommand

if TYPE_CHECKING:
    from salesplanner.targets.from_excel import SheetEdits
    from salesplanner.ui.panels.targets import TargetsPanel


def import_from_excel(panel: TargetsPanel, path: str | None = None) -> None:
    """Read targets edited in a workbook (in a worker), then show the difference."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            panel, "Import edited targets", str(panel.document.plan.source_path.parent),
            "Excel workbooks (*.xlsx *.xlsm)")
        if not path:
            return
    plan, chosen = panel.document.plan, path
    panel.context.show_message(f"Reading {Path(chosen).name}\u2026")
    panel.context.runner.start(
        "targets-excel", lambda _token: read_edits(plan, chosen),
        on_done=lambda edits: panel.review_edits(edits, Path(chosen).name),
        on_error=lambda error, trace: _on_failed(panel, error))


def review_edits(panel: TargetsPanel, edits: list[SheetEdits], source: str) -> None:
    """Show the changes and apply them with the reason given."""
    from salesplanner.ui.edited_targets_dialog import EditedTargetsDialog

    if not any(e.changes for e in edits):
        panel.context.show_message(f"{source}: the targets are the same as the plan's")
        return
    dialog = EditedTargetsDialog(edits, source, panel)
    panel.edits_dialog = dialog
    if dialog.exec() != EditedTargetsDialog.DialogCode.Accepted:
        panel.context.show_message("Edited targets not applied")
        return
    plan, reason = panel.document.plan, dialog.reason.text()

    def done(result: OpResult) -> None:
        panel.apply(result)
        stack = panel.document.undo_stack
        stack.beginMacro(result.message)
        for _audit_id in result.detail.get("audit_ids", []):
            stack.push(TargetChangeCommand(panel, result.message))
        stack.endMacro()

    panel.write("Edited targets", lambda _token: apply_edits(plan, edits, reason),
                on_done=done)


def _on_failed(panel: TargetsPanel, error: BaseException) -> None:
    if isinstance(error, UserError):
        QMessageBox.warning(panel, "Edited targets not imported",
                            str(error)[:1].upper() + str(error)[1:])
    else:
        raise error
