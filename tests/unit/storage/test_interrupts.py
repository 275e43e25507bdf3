"""Nothing hangs: reads stop at their deadline, Ctrl+C stops any query."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from salesplanner.errors import PlanTooSlow
from salesplanner.storage.plan_file import PlanFile

ENDLESS = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"


def test_a_read_past_its_deadline_is_stopped_with_a_message(empty_plan: PlanFile) -> None:
    started = time.monotonic()
    with pytest.raises(PlanTooSlow, match="a test read took longer than 0.3 s and was stopped"):
        with empty_plan.connect(deadline=0.3, doing="a test read") as conn:
            conn.execute(ENDLESS).fetchone()
    assert time.monotonic() - started < 5
    with empty_plan.connect(deadline=0.3) as conn:  # the connection is fine afterwards
        assert conn.execute("SELECT count(*) FROM plan").fetchone() == (1,)
    with empty_plan.connect() as conn:  # and without a deadline nothing is stopped
        assert conn.execute("SELECT 1").fetchone() == (1,)


SCRIPT = textwrap.dedent(f"""
    import sys
    from salesplanner.cli import main
    from salesplanner.storage import plan_file

    real = plan_file.PlanFile.open

    def slow_open(*args, **kwargs):
        plan = real(*args, **kwargs)
        print("reading", flush=True)
        with plan.connect() as conn:
            conn.execute({ENDLESS!r}).fetchone()
        return plan

    plan_file.PlanFile.open = slow_open
    sys.exit(main(["info", sys.argv[1]]))
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child is POSIX")
def test_ctrl_c_stops_a_running_query_on_the_command_line(empty_plan: PlanFile) -> None:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(empty_plan.path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "reading"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    try:
        _out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("Ctrl+C did not stop the query")
    assert proc.returncode == 130
    assert err.strip() == "salesplanner: cancelled; nothing was changed"


def test_formatter_elides_long_texts_and_survives_wrong_kinds() -> None:
    pytest.importorskip("PySide6")
    from salesplanner.browse import INT, MONEY, TEXT
    from salesplanner.ui.formatting import SHOWN_CHARS, Formatter

    fmt = Formatter("GBP")
    shown = fmt.text("x" * 5_000_000, TEXT)
    assert len(shown) == SHOWN_CHARS and shown.endswith("\u2026")
    assert fmt.text("lots", MONEY) == "lots" and fmt.text(b"\x00", INT) == "b'\\x00'"
    assert fmt.edit_text("lots", MONEY) == "lots"


def test_a_page_of_rows_cuts_planted_megabyte_texts(demo_path: Path) -> None:
    import sqlite3

    from salesplanner.browse import TABLES, TableBrowser
    from salesplanner.storage.stored_values import MAX_TEXT

    conn = sqlite3.connect(demo_path)
    conn.execute("UPDATE sale SET campaign = ? WHERE id = (SELECT min(id) FROM sale)",
                 ("y" * 3_000_000,))
    conn.commit()
    conn.close()
    with PlanFile.open(demo_path, read_only=True) as plan:
        browser = TableBrowser(plan, next(s for s in TABLES.values() if "sale s" in s.from_sql))
        [row] = browser.rows(browser.first_ids(1))
    assert max(len(v) for v in row if isinstance(v, str)) == MAX_TEXT
