"""The import wizard and the Imports panel, driven as a user would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.gui.conftest import open_in, screenshot, writes_done

SALES = ("Sales export, week 6\n\n"
         "Order ID,Sale Date,Advisor,SKU,Qty,Sale Value,Status,Notes\n"
         + "".join(f"W{i},0{1 + i % 9}/02/2027 10:{i % 60:02d},AG{1 + i % 5},BB-FIBRE-100,1,"
                   f"\"£{20 + i}.50\",Completed,\n" for i in range(40))
         + "W98,03/02/2027 11:00,AG2,BB-FIBRE-100,1,lots,Completed,\n"
         + "W99,04/02/2027 12:00,AG3,BB-FIBRE-100,1,12.00,Completed,paid 4111 1111 1111 1111\n")


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()[0]


def test_wizard_imports_a_file_step_by_step(window, qtbot, demo_path: Path,
                                            tmp_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    before = _count(demo_path, "SELECT count(*) FROM sale")
    data = next(p for p in window.panels if p.title == "Data")
    window.show_panel(window.panels.index(data))
    sales = data.tab("sales")
    qtbot.waitUntil(lambda: sales.model.rowCount() == before and not sales.model.loading,
                    timeout=10_000)
    source = tmp_path / "week6.csv"
    source.write_text(SALES)
    wizard = window.open_import_wizard(source)
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    assert "42 rows of sales transactions" in wizard.source_page.status.text()
    assert wizard.source_page.isComplete()
    screenshot(wizard, "import-1-source")

    wizard.next()
    columns = wizard.columns_page
    assert columns.combos["revenue"].currentText() == "Sale Value"
    # 01/02 .. 09/02: day or month first?
    assert columns.asked_dates and not columns.dates_box.isHidden(), (columns.missing.text(),
                                                                      columns.mapping())
    columns.dates.setCurrentIndex(columns.dates.findData("dayfirst"))
    columns.refresh()
    model = columns.model
    assert model.rowCount() == 42
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    revenue = headers.index("Revenue\n\u2190 Sale Value")
    bad = model.index(40, revenue)
    assert model.data(bad, Qt.ItemDataRole.ToolTipRole) == "'lots' is not an amount"
    assert model.data(model.index(0, revenue)) == "20.50"
    screenshot(wizard, "import-2-columns")

    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(lambda: check.data is not None, timeout=10_000)
    assert check.headline.text() == (
        "41 rows pass the checks; 1 row has problems and will not be imported; 1 card number "
        "masked.")
    assert check.problems.rowCount() == 1
    assert check.problems.data(check.problems.index(0, 0)) == "44"
    rejects = tmp_path / "rejected.csv"
    check.save_rejects(rejects)
    assert "lots" in rejects.read_text(encoding="utf-8-sig")
    check.strict.setChecked(True)
    assert not check.isComplete()
    check.strict.setChecked(False)
    screenshot(wizard, "import-3-check")

    wizard.next()
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.summary is not None, timeout=15_000)
    assert run.summary.counts_line == "imported 41, duplicates 0, rejected 1, masked 1"
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    screenshot(wizard, "import-4-done")
    assert _count(demo_path, "SELECT count(*) FROM sale") == before + 41
    wizard.accept()
    # The open data browser lists the new rows at once.
    qtbot.waitUntil(lambda: sales.model.rowCount() == before + 41, timeout=10_000)

    panel = next(p for p in window.panels if p.title == "Imports")
    window.show_panel(window.panels.index(panel))
    assert panel.model.rowCount() == 2  # the demo data and this import
    assert panel.model.data(panel.model.index(0, 1)) == "week6.csv"
    screenshot(window, "panel-imports")
    batch = panel.model.entries[0].id
    panel.remove(batch)
    writes_done(window, qtbot)
    assert _count(demo_path, "SELECT count(*) FROM sale") == before
    assert panel.model.data(panel.model.index(0, 7)) == "Removed"
    window.document.undo_stack.undo()
    writes_done(window, qtbot)
    assert _count(demo_path, "SELECT count(*) FROM sale") == before + 41
    assert panel.model.data(panel.model.index(0, 7)) == "In the plan"


def test_cancelling_an_import_changes_nothing(window, qtbot, demo_path: Path,
                                              tmp_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    before = _count(demo_path, "SELECT count(*) FROM sale")
    source = tmp_path / "big.csv"
    source.write_text("Date,Agent,Revenue\n" + "".join(
        f"2027-02-{1 + i % 28:02d} 10:00:{i % 60:02d},AG{i % 7},{i}\n" for i in range(60_000)))
    wizard = window.open_import_wizard(source)
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.data is not None, timeout=10_000)
    wizard.next()
    wizard.reject()  # Cancel while the import runs
    qtbot.waitUntil(lambda: wizard.run_page.job is None, timeout=15_000)
    if wizard.run_page.summary is None:  # it was cancelled in time
        assert "cancelled" in wizard.run_page.result.text()
        assert _count(demo_path, "SELECT count(*) FROM sale") == before
    wizard.accept()


def test_a_dropped_data_file_starts_the_wizard(window, qtbot, demo_path: Path,
                                               tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDropEvent

    open_in(window, qtbot, demo_path)
    source = tmp_path / "agents.csv"
    source.write_text("Agent ID,Full Name,Team\nAG900,New Starter,Retention\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    wizard = window.import_wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    assert wizard.prepared.kind == "agents"
    wizard.reject()


def test_a_damaged_file_and_a_full_disk_are_said_plainly(window, qtbot, demo_path: Path,
                                                         tmp_path: Path, monkeypatch) -> None:
    from salesplanner.importing import facts
    from tests.unit.importing.test_import_failures import _damaged

    open_in(window, qtbot, demo_path)
    before = _count(demo_path, "SELECT count(*) FROM sale")
    wizard = window.open_import_wizard(_damaged(tmp_path / "cut.xlsx"))
    qtbot.waitUntil(lambda: "damaged" in wizard.source_page.status.text(), timeout=10_000)
    assert wizard.source_page.status.text().startswith(f"{tmp_path / 'cut.xlsx'}: the file is "
                                                       "damaged or cut short")
    assert not wizard.source_page.isComplete()
    wizard.reject()

    def full(*_args) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(facts, "insert_facts", full)
    source = tmp_path / "week6.csv"
    source.write_text(SALES)
    wizard = window.open_import_wizard(source)
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    wizard.next()
    columns = wizard.columns_page
    columns.dates.setCurrentIndex(columns.dates.findData("dayfirst"))
    columns.refresh()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.data is not None, timeout=10_000)
    wizard.next()
    run = wizard.run_page
    qtbot.waitUntil(lambda: run.job is None, timeout=15_000)
    text = run.result.text()
    assert text.startswith(f"Nothing was imported: {demo_path}: the disk is full, week6.csv "
                           "could not be imported (")
    assert text.endswith("; free some space and import again; nothing was changed")
    assert _count(demo_path, "SELECT count(*) FROM sale") == before
    wizard.reject()
