"""Column descriptors and the record table model: text, sort keys, sorting, footers."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPersistentModelIndex, Qt

from salesplanner.ui.columns import (
    RAW_ROLE, RIGHT, SORT_ROLE, Column, Columns, date, natural, number, ranked, sorted_positions,
    text,
)
from salesplanner.ui.row_models import RowTableModel, cell


def test_sort_keys_read_like_a_manager() -> None:
    codes = ["AG10", "ag2", "AG1", None, "AG100", "", "AG2b"]
    keys = [natural(c) for c in codes]
    assert [codes[i] for i in sorted_positions(keys)] == [
        "AG1", "ag2", "AG2b", "AG10", "AG100", None, ""]
    assert [codes[i] for i in sorted_positions(keys, descending=True)][:2] == ["AG100", "AG10"]
    assert sorted_positions(keys, descending=True)[-2:] == [3, 5]  # empty last either way
    assert [number(v) for v in (3, "2.5", None, float("nan"), "x")] == [3.0, 2.5, None, None, None]
    assert date(dt.date(2027, 1, 6)) < date(dt.datetime(2027, 1, 6, 9)) < date("2027-01-07")
    assert text("Zoe") > text("adam") and text("") is None
    rag = ranked("red", "amber", "green")
    assert [rag(v) for v in ("green", "red", None)] == [2, 0, None]
    # Equal keys keep their order in both directions.
    assert sorted_positions([1, 1, 0]) == [2, 0, 1]
    assert sorted_positions([1, 1, 0], descending=True) == [0, 1, 2]


class _Agents(RowTableModel):
    """Agents as (code, name, sales), the team's total last."""

    columns = Columns(
        Column("agent", "Agent", lambda r: r[0], sort=natural,
               text=lambda r: " ".join(part for part in r[:2] if part)),
        Column("sales", "Sales", lambda r: r[2], lambda v: "" if v is None else f"{v:,}",
               number, RIGHT, tooltip="Sales this quarter", editable=True),
    )


def _grid(model: RowTableModel) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_record_model_shows_sorts_and_keeps_the_footer_last(qtmodeltester) -> None:
    model = _Agents()
    model.set_rows([("AG10", "Omar", 1200), ("AG2", "Niamh", None), ("AG1", "Ethan", 900)],
                   footer=[(None, "Team", 2100)])
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == [
        "Agent", "Sales"]
    assert _grid(model) == [["AG10 Omar", "1,200"], ["AG2 Niamh", ""], ["AG1 Ethan", "900"],
                            ["Team", "2,100"]]
    assert cell(model, 0, "sales", RAW_ROLE) == 1200 and cell(model, 0, "sales", SORT_ROLE) == 1200
    assert cell(model, 0, "sales", Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert cell(model, 0, "sales", Qt.ItemDataRole.ToolTipRole) == "Sales this quarter"
    assert model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(3, 1)) & Qt.ItemFlag.ItemIsEditable  # the footer
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable

    kept = QPersistentModelIndex(model.index(0, 1))  # AG10's sales, as a selection holds it
    model.sort(model.column_of("agent"))
    assert [r[0] for r in model.rows] == ["AG1", "AG2", "AG10", None]
    assert kept.row() == 2 and kept.data() == "1,200"
    model.sort(model.column_of("sales"), Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in model.rows] == ["AG10", "AG1", "AG2", None]  # empty last
    model.sort(model.column_of("sales"))
    assert [r[0] for r in model.rows] == ["AG1", "AG10", "AG2", None]
    # A reload keeps the sort; -1 puts the rows back as given.
    model.set_rows([("AG3", "Muhammad", 5), ("AG20", "Seren", 1)])
    assert [r[0] for r in model.rows] == ["AG20", "AG3"]
    model.sort(-1)
    assert [r[0] for r in model.rows] == ["AG3", "AG20"]
    model.set_record(1, ("AG20", "Seren", 7))
    assert cell(model, 1, "sales") == "7"
    model.sort(model.column_of("sales"))
    assert [r[2] for r in model.rows] == [5, 7]
