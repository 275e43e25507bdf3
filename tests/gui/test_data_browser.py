"""The data browser: paging, sorting, filtering, copying and editing with undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from salesplanner.browse import TABLES, TableBrowser
from salesplanner.storage.plan_file import PlanFile
from salesplanner.ui.formatting import Formatter
from salesplanner.ui.jobs import InlineJobRunner
from salesplanner.ui.main_window import MainWindow
from salesplanner.ui.panels.data_browser import DataBrowserPanel, TableTab
from salesplanner.ui.columns import SORT_ROLE
from salesplanner.ui.table_model import RAW_ROLE, PagedTableModel
from tests.gui.conftest import open_in, screenshot, writes_done


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory) -> Path:
    """A very small demo: the model tester visits every cell."""
    from salesplanner.demo import DemoOptions, generate_demo

    path = tmp_path_factory.mktemp("tiny") / "tiny.salesplan"
    generate_demo(path, DemoOptions(agents=4, months=3, seed=1))
    return path


@pytest.mark.parametrize("kind", list(TABLES))
def test_every_model_passes_the_model_tester(qtmodeltester, tiny_plan: Path, kind: str) -> None:
    with PlanFile.open(tiny_plan, read_only=True) as plan:
        model = PagedTableModel(TableBrowser(plan, TABLES[kind]), InlineJobRunner(), Formatter())
        model.load()
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)
        qtmodeltester.check(model)


def test_model_grid_matches_the_plan(demo_template: Path) -> None:
    with PlanFile.open(demo_template, read_only=True) as plan:
        model = PagedTableModel(TableBrowser(plan, TABLES["agents"]), InlineJobRunner(),
                                Formatter("GBP"))
        model.load()
        model.sort(0, Qt.SortOrder.AscendingOrder)
        grid = [[model.index(r, c).data() for c in range(3)] for r in range(3)]
    conn = sqlite3.connect(demo_template)
    expected = conn.execute("SELECT a.code, a.name, t.name FROM agent a JOIN team t "
                            "ON t.id = a.team_id WHERE a.id IN (1, 2, 3) ORDER BY a.id").fetchall()
    conn.close()
    assert grid == [list(row) for row in expected]


def _browser(window: MainWindow, qtbot, demo_path: Path) -> DataBrowserPanel:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if isinstance(p, DataBrowserPanel))
    window.show_panel(window.panels.index(panel))
    return panel


def _wait_loaded(qtbot, tab: TableTab) -> None:
    qtbot.waitUntil(lambda: not tab.model.loading, timeout=15_000)


def test_sales_tab_shows_rows_count_and_formats(window: MainWindow, demo_path: Path, qtbot) -> None:
    panel = _browser(window, qtbot, demo_path)
    tab = panel.tab("sales")
    _wait_loaded(qtbot, tab)
    conn = sqlite3.connect(demo_path)
    total = conn.execute("SELECT count(*) FROM sale").fetchone()[0]
    first_revenue = conn.execute("SELECT revenue_minor FROM sale ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    assert tab.model.rowCount() == total
    assert tab.count_label.text() == f"Showing {total:,} of {total:,}"
    revenue_col = [c.key for c in tab.spec.columns].index("revenue")
    text = tab.model.index(0, revenue_col).data()
    assert text.startswith("\u00a3") and f"{first_revenue / 100:,.2f}" in text
    assert tab.model.index(0, revenue_col).data(RAW_ROLE) == first_revenue
    when = tab.model.index(0, 0).data()
    assert when[2] == "/" and when[5] == "/"  # dd/mm/yyyy HH:mm in a UK locale
    screenshot(window, "data_sales")


def test_header_click_sorts_naturally_and_filters_narrow(window: MainWindow, demo_path: Path,
                                                         qtbot) -> None:
    panel = _browser(window, qtbot, demo_path)
    panel.tabs.setCurrentWidget(panel.tab("agents"))
    tab = panel.tab("agents")
    _wait_loaded(qtbot, tab)
    tab.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    _wait_loaded(qtbot, tab)
    codes = [tab.model.index(r, 0).data() for r in range(tab.model.rowCount())]
    assert codes[0] == "AG24" and codes.index("AG10") < codes.index("AG9")
    # The column's descriptor gives the same order as the plan's SQL: naturally.
    code = tab.model.column_of("code")
    keys = [tab.model.index(r, code).data(SORT_ROLE) for r in range(tab.model.rowCount())]
    assert keys == sorted(keys, reverse=True)
    assert tab.model.headerData(tab.model.column_of("weekly_hours"),
                                Qt.Orientation.Horizontal) == "Hours/week"
    tab.set_filter("weekly_hours", ">=30")
    _wait_loaded(qtbot, tab)
    hours_col = [c.key for c in tab.spec.columns].index("weekly_hours")
    assert all(tab.model.index(r, hours_col).data(RAW_ROLE) >= 30 for r in range(tab.model.rowCount()))
    assert tab.count_label.text().startswith(f"Showing {tab.model.rowCount():,} of 24")
    tab.search.setText("zzzz-nobody")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=5000)
    assert tab.count_label.text() == "Showing 0 of 24"
    screenshot(window, "data_agents_filtered")


def test_bad_filter_is_refused_in_the_status_bar(window: MainWindow, demo_path: Path, qtbot) -> None:
    tab = _browser(window, qtbot, demo_path).tab("sales")
    _wait_loaded(qtbot, tab)
    before = tab.model.rowCount()
    tab.set_filter("revenue", ">lots")
    assert "Revenue" in window.statusBar().currentMessage()
    assert tab.model.rowCount() == before and tab._filters == {}


def test_copy_selection_is_tab_separated_and_safe(window: MainWindow, demo_path: Path, qtbot) -> None:
    conn = sqlite3.connect(demo_path)
    conn.execute("UPDATE agent SET name = '=HYPERLINK(\"http://x\")' WHERE id = 1")
    conn.commit()
    conn.close()
    panel = _browser(window, qtbot, demo_path)
    panel.tabs.setCurrentWidget(panel.tab("agents"))
    tab = panel.tab("agents")
    _wait_loaded(qtbot, tab)
    selection = tab.view.selectionModel()
    for row in (0, 1):
        for col in (0, 1, 5):
            selection.select(tab.model.index(row, col), QItemSelectionModel.SelectionFlag.Select)
    text = tab.copy_selection()
    assert QApplication.clipboard().text() == text
    lines = text.rstrip("\r\n").split("\r\n")
    assert lines[0] == "Agent\tName\tHours/week"
    assert lines[1].split("\t")[0] == "AG1"
    assert lines[1].split("\t")[1].startswith("'=HYPERLINK")  # never a live formula
    assert float(lines[1].split("\t")[2]) > 0


def test_edit_validates_persists_and_undoes(window: MainWindow, demo_path: Path, qtbot) -> None:
    panel = _browser(window, qtbot, demo_path)
    panel.tabs.setCurrentWidget(panel.tab("agents"))
    tab = panel.tab("agents")
    _wait_loaded(qtbot, tab)
    hours_col = [c.key for c in tab.spec.columns].index("weekly_hours")
    index = tab.model.index(0, hours_col)
    key = index.data(Qt.ItemDataRole.UserRole + 2)
    assert tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable

    def stored() -> float:
        conn = sqlite3.connect(demo_path)
        try:
            return conn.execute("SELECT weekly_hours FROM agent WHERE id = ?", (key,)).fetchone()[0]
        finally:
            conn.close()

    before = stored()
    assert not tab.model.setData(index, "95")  # refused
    assert "between 0 and 80" in window.statusBar().currentMessage()
    assert stored() == before
    assert tab.model.setData(index, "12.5")
    writes_done(window, qtbot)
    assert stored() == 12.5 and index.data() == "12.5"
    assert window.action_undo.isEnabled() and "weekly hours" in window.action_undo.text()
    window.action_undo.trigger()
    writes_done(window, qtbot)
    assert stored() == before
    assert tab.model.index(0, hours_col).data(RAW_ROLE) == before
    window.action_redo.trigger()
    writes_done(window, qtbot)
    assert stored() == 12.5
    # The overview's "recorded changes" tile follows the audit trail.
    assert window.document.info.counts["audit_event"] == 3


def test_undo_history_is_per_plan(window: MainWindow, demo_path: Path, tmp_path: Path, qtbot) -> None:
    panel = _browser(window, qtbot, demo_path)
    panel.tabs.setCurrentWidget(panel.tab("teams"))
    tab = panel.tab("teams")
    _wait_loaded(qtbot, tab)
    assert tab.model.setData(tab.model.index(0, 2), "New Leader")
    writes_done(window, qtbot)
    assert window.document.undo_stack.count() == 1
    other = tmp_path / "other.salesplan"
    PlanFile.create(other, name="Other", quarter="2027-Q1").close()
    open_in(window, qtbot, other)
    assert window.document.undo_stack.count() == 0 and not window.action_undo.isEnabled()


def test_read_only_plan_cannot_be_edited(window: MainWindow, demo_path: Path, qtbot) -> None:
    with qtbot.waitSignal(window.plan_opened, timeout=10_000):
        window.open_plan(demo_path, read_only=True)
    panel = next(p for p in window.panels if isinstance(p, DataBrowserPanel))
    window.show_panel(window.panels.index(panel))
    panel.tabs.setCurrentWidget(panel.tab("agents"))
    tab = panel.tab("agents")
    _wait_loaded(qtbot, tab)
    assert not tab.model.flags(tab.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert window.banner.isVisible()


def test_every_tab_renders(window: MainWindow, demo_path: Path, qtbot) -> None:
    panel = _browser(window, qtbot, demo_path)
    for kind in TABLES:
        tab = panel.tab(kind)
        panel.tabs.setCurrentWidget(tab)
        _wait_loaded(qtbot, tab)
        assert tab.model.rowCount() > 0
        screenshot(window, f"data_tab_{kind}")
