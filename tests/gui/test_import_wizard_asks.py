"""The wizard asks in the window's words: what an unknown file holds, and the preview fits;
sales with no agent are counted on the Check page and shown in Performance."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from salesplanner.ui.import_wizard import KIND_LABELS
from tests.gui.conftest import open_in, screenshot, writes_done
from tests.gui.test_import_wizard import SALES

#: Headers that name no field of any kind: the program cannot tell what the rows are.
UNKNOWN = ("Ref,When,Who,What,Amount\n"
           + "".join(f"X{i},2027-02-0{1 + i % 9} 10:00,AG{1 + i % 5},BB-FIBRE-100,{20 + i}\n"
                     for i in range(10)))


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()[0]


def test_an_unknown_file_is_shown_and_its_kind_chosen_in_the_wizard(
        window, qtbot, demo_path: Path, tmp_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    before = _count(demo_path, "SELECT count(*) FROM sale")
    source = tmp_path / "unlabelled.csv"
    source.write_text(UNKNOWN)
    wizard = window.open_import_wizard(source)
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.ask_box.isVisible(), timeout=10_000)
    assert wizard.prepared is None and not page.isComplete()
    # The file's first rows are shown, and the question is asked without any option to type.
    assert page.raw.rowCount() == 10 and page.raw.columnCount() == 5
    assert page.raw.headerData(4, Qt.Orientation.Horizontal) == "Amount"
    shown = page.status.text() + page.ask_note.text()
    assert "--" not in shown and "what it holds" in shown
    assert [page.ask_kind.itemText(i) for i in range(1, page.ask_kind.count())] == list(
        KIND_LABELS.values())
    screenshot(wizard, "import-0-ask-kind")

    page.ask_kind.setCurrentIndex(page.ask_kind.findData("sales"))
    page.ask_kind.activated.emit(page.ask_kind.currentIndex())
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    assert wizard.prepared.kind == "sales" and page.ask_box.isHidden()
    wizard.next()
    columns = wizard.columns_page
    assert not columns.isComplete() and "--" not in columns.missing.text()
    columns.combos["date"].setCurrentIndex(columns.combos["date"].findData("When"))
    columns.combos["agent"].setCurrentIndex(columns.combos["agent"].findData("Who"))
    columns.combos["revenue"].setCurrentIndex(columns.combos["revenue"].findData("Amount"))
    columns.refresh()
    assert columns.isComplete(), columns.missing.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.data is not None, timeout=10_000)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.run_page.summary is not None, timeout=15_000)
    assert wizard.run_page.summary.imported == 10
    wizard.accept()
    writes_done(window, qtbot)
    assert _count(demo_path, "SELECT count(*) FROM sale") == before + 10


def test_the_columns_page_shows_every_column_at_its_default_size(
        window, qtbot, demo_path: Path, tmp_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    source = tmp_path / "week6.csv"
    source.write_text(SALES)
    wizard = window.open_import_wizard(source)
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    wizard.next()
    columns = wizard.columns_page
    columns.dates.setCurrentIndex(columns.dates.findData("dayfirst"))
    columns.refresh()
    qtbot.wait(50)
    view, model = columns.view, columns.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Revenue\n\u2190 Sale Value" in headers and len(headers) == 8
    assert view.horizontalScrollBar().maximum() == 0
    viewport = view.viewport().rect()
    for c in range(model.columnCount()):
        rect = view.visualRect(model.index(0, c))
        assert rect.width() > 0 and viewport.contains(rect), (headers[c], rect, viewport)
    screenshot(wizard, "import-2-columns-fit")
    wizard.reject()


def test_sales_with_no_agent_are_counted_and_shown(window, qtbot, demo_path: Path,
                                                   tmp_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    with sqlite3.connect(demo_path) as conn:
        last = conn.execute("SELECT max(ts) FROM sale").fetchone()[0][:10]
    source = tmp_path / "no-agent.csv"
    source.write_text("Date,Agent,Revenue\n" + "".join(
        f"{last} 1{i}:00,{'' if i % 2 else 'AG1'},{1000 + i}\n" for i in range(6)))
    wizard = window.open_import_wizard(source)
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    wizard.next()
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(lambda: check.data is not None, timeout=10_000)
    assert "3 rows with no agent (counted for the centre only)" in check.headline.text()
    assert any("3 sales have an empty 'Agent'" in check.notes.item(i).text()
               for i in range(check.notes.count()))
    screenshot(wizard, "import-3-check-no-agent")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.run_page.summary is not None, timeout=15_000)
    assert wizard.run_page.summary.no_agent == 3
    wizard.accept()
    writes_done(window, qtbot)

    panel = next(p for p in window.panels if p.title == "Performance")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: "of it with no agent" in panel.headline.text(),
                    timeout=15_000)
    assert "£3,009 of it with no agent" in panel.headline.text()
    screenshot(window, "performance-unattributed")
