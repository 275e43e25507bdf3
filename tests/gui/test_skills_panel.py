"""The Skills panel: the matrix edited in place with undo, weights estimated and saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from salesplanner.skill_matrix import skill_matrix
from salesplanner.targets.skills import stored_weights
from salesplanner.ui.panels.skills import skill_key
from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot, writes_done


def test_skill_matrix_edits_undo_and_weights(window, qtbot, qtmodeltester,
                                             demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Skills")
    window.show_panel(window.panels.index(panel))
    model = panel.model
    qtbot.waitUntil(lambda: model.matrix is not None, timeout=5_000)  # read in a worker
    matrix = model.matrix
    # The weights the target planner uses for the measure, not equal ones.
    assert panel.measure.currentData() == "revenue"
    qtbot.waitUntil(lambda: panel.fit.text().startswith("In use"), timeout=15_000)
    assert "estimated by the target planner from" in panel.fit.text()
    assert "R\u00b2 0." in panel.fit.text()
    in_use = panel.weights.weights()
    assert abs(sum(in_use.values()) - 1) < 1e-9 and len(set(in_use.values())) > 1
    assert model.rowCount() == len(matrix.agents) + 1 and model.columnCount() == 1 + 7
    assert cell(model, model.rowCount() - 1, "agent") == "Team average"
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    # The agents in natural order (AG2 before AG10), the average last.
    codes = [cell(model, r, "agent").split()[0] for r in range(model.rowCount() - 1)]
    assert codes[:3] == ["AG1", "AG2", "AG3"] and codes.index("AG9") < codes.index("AG10")
    agent, skill = matrix.agents[model.rows[0]], matrix.skills[4]
    index = model.index(0, model.column_of(skill_key(skill)))
    average = model.index(model.rowCount() - 1, index.column())
    old, old_average = model.data(index), model.data(average)
    new = "1" if old != "1" else "5"
    assert model.setData(index, new)
    writes_done(window, qtbot)
    assert model.data(index) == new and model.data(average) != old_average
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).name() in ("#f4c7c3", "#b3dcb8")
    plan = window.document.plan

    def stored() -> str:
        now = skill_matrix(plan)
        return str(int(now.ratings[now.agents.index(agent), now.skills.index(skill)]))

    assert stored() == new
    assert not model.setData(index, "9")  # refused, with a message; nothing changed
    assert model.data(index) == new
    assert not model.setData(average, "3")  # the average is not a rating
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    assert model.data(index) == old and model.data(average) == old_average
    assert stored() == old

    panel.measure.setCurrentIndex(panel.measure.findData("upsell_rate"))
    panel._show_weights()
    panel.estimate()
    qtbot.waitUntil(lambda: panel.fit.text().startswith("Estimated"), timeout=15_000)
    weights = panel.weights.weights()
    assert abs(sum(weights.values()) - 1) < 1e-9 and "R\u00b2" in panel.fit.text()
    screenshot(window, "panel-skills")
    # Last: the fixture's tester watches only the model checked last.
    qtmodeltester.check(panel.weights, force_py=True)
    qtmodeltester.check(panel.weights)
    panel.save()
    writes_done(window, qtbot)
    saved, source = stored_weights(plan, "upsell_rate")
    assert source == "estimated" and saved["upselling"] == weights["upselling"]
