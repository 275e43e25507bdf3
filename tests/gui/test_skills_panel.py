"""The Skills panel: the matrix edited in place with undo, weights estimated and saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from salesplanner.skill_matrix import skill_matrix
from salesplanner.targets.skills import stored_weights
from tests.gui.conftest import open_in, screenshot


def test_skill_matrix_edits_undo_and_weights(window, qtbot, qtmodeltester,
                                             demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Skills")
    window.show_panel(window.panels.index(panel))
    model = panel.model
    matrix = model.matrix
    assert model.rowCount() == len(matrix.agents) + 1 and model.columnCount() == 7
    assert model.headerData(model.rowCount() - 1, Qt.Orientation.Vertical) == "Team average"
    qtmodeltester.check(model, force_py=True)
    index = model.index(0, 4)
    old = model.data(index)
    new = "1" if old != "1" else "5"
    assert model.setData(index, new)
    assert model.data(index) == new
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).name() in ("#f4c7c3", "#b3dcb8")
    plan = window.document.plan
    assert str(int(skill_matrix(plan).ratings[0, 4])) == new
    assert not model.setData(index, "9")  # refused, with a message; nothing changed
    assert model.data(index) == new
    window.document.undo_stack.undo()
    assert model.data(index) == old
    assert str(int(skill_matrix(plan).ratings[0, 4])) == old

    panel.measure.setCurrentIndex(panel.measure.findData("upsell_rate"))
    panel._show_weights()
    panel.estimate()
    qtbot.waitUntil(lambda: panel.fit.text().startswith("Estimated"), timeout=15_000)
    weights = panel.weights.weights()
    assert abs(sum(weights.values()) - 1) < 1e-9 and "R\u00b2" in panel.fit.text()
    screenshot(window, "panel-skills")
    panel.save()
    saved, source = stored_weights(plan, "upsell_rate")
    assert source == "estimated" and saved["upselling"] == weights["upselling"]
