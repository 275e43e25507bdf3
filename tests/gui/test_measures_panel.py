"""The Measures panel: the list, the designer's live check and preview, save and undo."""

from __future__ import annotations

from pathlib import Path

from salesplanner.metrics import registry
from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot, writes_done


def test_designer_checks_previews_saves_and_undoes(window, qtbot, qtmodeltester,
                                                   demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Measures")
    window.show_panel(window.panels.index(panel))
    writes_done(window, qtbot)  # and the measures read in a worker
    model = panel.model
    assert model.rowCount() == 11 and cell(model, 3, "name") == "Conversion rate"
    assert cell(model, 3, "value").endswith("%")
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)

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
    writes_done(window, qtbot)
    assert "revenue_per_call" in registry(window.document.plan)
    assert model.rowCount() == 12
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    assert "revenue_per_call" not in registry(window.document.plan)
    window.document.undo_stack.redo()
    writes_done(window, qtbot)
    assert registry(window.document.plan)["revenue_per_call"].formula == "revenue / calls"
    panel.code.setText("revenue_per_call")
    panel.remove()
    writes_done(window, qtbot)
    assert "revenue_per_call" not in registry(window.document.plan)
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    assert "revenue_per_call" in registry(window.document.plan)


def test_thresholds_of_a_built_in_measure_colour_its_value_and_undo(window, qtbot,
                                                                    demo_path: Path) -> None:
    from PySide6.QtCore import Qt

    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Measures")
    window.show_panel(window.panels.index(panel))
    writes_done(window, qtbot)  # and the measures read in a worker
    model = panel.model
    row = next(i for i, m in enumerate(model.measures) if m.code == "conversion_rate")
    panel.table.selectRow(row)
    assert panel.formula.isReadOnly() and panel.save_button.isEnabled()
    panel.red_edge.setText("90%")
    panel.green_edge.setText("10%")
    panel.save()  # red above green where higher is better: refused, nothing saved
    writes_done(window, qtbot)
    assert "must not be above" in panel.check.text()
    assert registry(window.document.plan)["conversion_rate"].red_below is None
    panel.red_edge.setText("20%")
    panel.green_edge.setText("25")  # a plain number over 1 is read as per cent
    panel.save()
    writes_done(window, qtbot)
    measure = registry(window.document.plan)["conversion_rate"]
    assert (measure.red_below, measure.green_from) == (0.2, 0.25)
    row = next(i for i, m in enumerate(model.measures) if m.code == "conversion_rate")
    assert cell(model, row, "edges") == "20.0% / 25.0%"
    assert cell(model, row, "value", Qt.ItemDataRole.ForegroundRole).name() == "#1e8449"
    screenshot(window, "panel-measures-thresholds")
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    assert registry(window.document.plan)["conversion_rate"].green_from is None
