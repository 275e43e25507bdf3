"""The Measures panel: the list, the designer's live check and preview, save and undo."""

from __future__ import annotations

from pathlib import Path

from salesplanner.metrics import registry
from tests.gui.conftest import open_in, screenshot


def test_designer_checks_previews_saves_and_undoes(window, qtbot, qtmodeltester,
                                                   demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Measures")
    window.show_panel(window.panels.index(panel))
    model = panel.model
    assert model.rowCount() == 11 and model.data(model.index(3, 0)) == "Conversion rate"
    assert model.data(model.index(3, 4)).endswith("%")
    qtmodeltester.check(model, force_py=True)

    panel.name.setText("Revenue per call")
    panel.code.setText("revenue_per_call")
    panel.formula.setText("revenue + calls")
    assert panel.check.text().startswith("\u2717") and "combines money with count" in \
        panel.check.text()
    assert not panel.save_button.isEnabled()
    panel.formula.setText("revenue / calls")
    assert panel.check.text().startswith("\u2713 money; over the plan's data: \u00a3")
    screenshot(window, "panel-measures")
    panel.save()
    assert "revenue_per_call" in registry(window.document.plan)
    assert model.rowCount() == 12
    window.document.undo_stack.undo()
    assert "revenue_per_call" not in registry(window.document.plan)
    window.document.undo_stack.redo()
    assert registry(window.document.plan)["revenue_per_call"].formula == "revenue / calls"
    panel.code.setText("revenue_per_call")
    panel.remove()
    assert "revenue_per_call" not in registry(window.document.plan)
    window.document.undo_stack.undo()
    assert "revenue_per_call" in registry(window.document.plan)
