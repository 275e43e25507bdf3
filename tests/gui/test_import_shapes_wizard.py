"""The import wizard on a fixed-width mainframe report with a TOTAL line (issue 20 items 1-2)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.gui.conftest import open_in, screenshot

CORPUS = Path(__file__).parents[1] / "data" / "imports"


def test_wizard_reads_a_fixed_width_report_and_says_it_skipped_the_total(
        window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    wizard = window.open_import_wizard(CORPUS / "fixed_width_sales.txt")
    qtbot.waitUntil(lambda: wizard.prepared is not None, timeout=10_000)
    status = wizard.source_page.status.text()
    assert "4 rows of sales transactions" in status
    assert "skipped 1 total row (line 8)" in status
    screenshot(wizard, "import-fixed-width-1-source")

    wizard.next()
    columns = wizard.columns_page
    assert columns.combos["agent"].currentText() == "AGENT ID"
    assert columns.combos["product"].currentText() == "PRODUCT CODE"
    screenshot(wizard, "import-fixed-width-2-columns")

    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.data is not None, timeout=10_000)
    screenshot(wizard, "import-fixed-width-3-check")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.run_page.summary is not None, timeout=15_000)
    screenshot(wizard, "import-fixed-width-4-done")
    assert wizard.run_page.summary.imported == 4
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("SELECT count(*) FROM sale WHERE sale_ref LIKE '000123_'"
                            ).fetchone()[0] == 4
    wizard.close()
