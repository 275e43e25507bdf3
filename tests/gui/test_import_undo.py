"""Edit > Undo of an import made in the wizard, and Redo of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.gui.conftest import open_in, screenshot, writes_done

SALES = ("Date,Agent,Product,Revenue\n"
         + "".join(f"2027-02-{1 + i % 9:02d} 10:00,AG990,NEW-SKU-{i % 2},{30 + i}\n"
                   for i in range(12)))

COUNTS = {
    "sales": "SELECT count(*) FROM sale",
    "agents": "SELECT count(*) FROM agent",
    "products": "SELECT count(*) FROM product",
    "revenue": "SELECT coalesce(sum(revenue_minor), 0) FROM sale",
}


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {name: conn.execute(sql).fetchone()[0] for name, sql in COUNTS.items()}


def _import(window, qtbot, source: Path) -> None:
    wizard = window.open_import_wizard(source)
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.data is not None, timeout=10_000)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.run_page.summary is not None, timeout=15_000)
    wizard.accept()
    writes_done(window, qtbot)


def test_edit_undo_takes_an_import_out_and_redo_puts_it_back(window, qtbot, demo_path: Path,
                                                             tmp_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    before = _counts(demo_path)
    source = tmp_path / "new-agent-sales.csv"
    source.write_text(SALES)
    _import(window, qtbot, source)
    after = _counts(demo_path)
    assert after["sales"] == before["sales"] + 12
    assert after["agents"] == before["agents"] + 1  # AG990 was created by the import
    assert after["products"] == before["products"] + 2

    undo = window.action_undo
    assert undo.isEnabled() and undo.text() == "&Undo Import new-agent-sales.csv"
    undo.trigger()
    writes_done(window, qtbot)
    assert _counts(demo_path) == before  # its rows and the agent and products it created
    panel = next(p for p in window.panels if p.title == "Imports")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5_000)
    assert panel.model.entries[0].status == "removed"
    screenshot(window, "import-undone")

    assert window.action_redo.isEnabled()
    window.action_redo.trigger()
    writes_done(window, qtbot)
    assert _counts(demo_path) == after
    qtbot.waitUntil(lambda: panel.model.entries[0].status == "complete", timeout=5_000)

    # Undo again after the redo: the same rows come out again.
    undo.trigger()
    writes_done(window, qtbot)
    assert _counts(demo_path) == before
