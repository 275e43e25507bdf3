"""The import wizard's and the Imports panel's item models: Qt's model tester and their grids."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from salesplanner.importing.history import list_imports
from salesplanner.importing.run import ImportOptions, convert_prepared, import_file, prepare
from salesplanner.ui.import_models import PreviewModel, ProblemModel
from salesplanner.ui.panels.imports import ImportHistoryModel

SOURCE = ("Date,Agent,Revenue,Status\n13/02/2026 10:00,A1,£12.50,Completed\n"
          "14/02/2026,A2,lots,Cancelled\n")


def test_preview_and_problem_models(qtmodeltester, empty_plan, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(SOURCE)
    prepared = prepare(path, plan=empty_plan)
    data = convert_prepared(prepared, ImportOptions())
    preview = PreviewModel()
    preview.show(prepared.table, prepared.kind, prepared.mapping, data)
    qtmodeltester.check(preview, force_py=True)
    qtmodeltester.check(preview)
    grid = [[preview.data(preview.index(r, c)) for c in range(preview.columnCount())]
            for r in range(preview.rowCount())]
    assert grid == [["2026-02-13 10:00:00", "A1", "12.50", "completed"],
                    ["2026-02-14", "A2", "lots", "cancelled"]]
    assert preview.headerData(2, Qt.Orientation.Horizontal) == "Revenue"
    assert preview.column_of("revenue") == 2  # columns keyed by field
    assert preview.headerData(1, Qt.Orientation.Vertical) == "3"
    assert preview.data(preview.index(1, 2), Qt.ItemDataRole.ToolTipRole) == \
        "'lots' is not an amount"
    raw = PreviewModel()
    raw.show(prepared.table, prepared.kind, {}, None)
    qtmodeltester.check(raw, force_py=True)
    qtmodeltester.check(raw)
    assert raw.headerData(2, Qt.Orientation.Horizontal) == "Revenue"

    problems = ProblemModel()
    problems.set_problems(data.problem_list())
    qtmodeltester.check(problems, force_py=True)
    qtmodeltester.check(problems)
    assert [problems.data(problems.index(0, c)) for c in range(3)] == [
        "3", "Revenue", "'lots' is not an amount"]


def test_history_model(qtmodeltester, empty_plan, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(SOURCE)
    import_file(empty_plan, path)
    model = ImportHistoryModel()
    model.set_entries(list_imports(empty_plan))
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[1:] == ["s.csv", "Sales", "1", "0", "1", "0", "In the plan"]
