"""A writer killed mid-transaction loses only the unfinished change."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from salesplanner.integrity import check_plan
from salesplanner.storage.plan_file import PlanFile

WRITER = textwrap.dedent("""
    import sys
    from salesplanner.storage.plan_file import PlanFile
    plan = PlanFile.open(sys.argv[1])
    with plan.write() as s:                      # change 1: committed
        conn = s.connection()
        for i in range(500):
            conn.exec_driver_sql("INSERT INTO team (code, name) VALUES (?, ?)", (f"C{i}", "kept"))
    print("committed", flush=True)
    with plan.write() as s:                      # change 2: killed half way
        conn = s.connection()
        conn.exec_driver_sql("PRAGMA cache_size = 5")   # spill pages to the file early
        for i in range(200000):
            conn.exec_driver_sql("INSERT INTO team (code, name) VALUES (?, ?)",
                                 (f"L{i}", "lost " * 20))
            if i == 20000:
                print("writing", flush=True)
    print("finished", flush=True)
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("reopen_read_only", [False, True], ids=["reopen-rw", "reopen-ro"])
def test_killed_writer_leaves_a_sound_plan(tmp_path: Path, reopen_read_only: bool) -> None:
    path = tmp_path / "crash.salesplan"
    PlanFile.create(path, name="Crash", quarter="2027-Q1").close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "committed"
    assert proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert Path(f"{path}-journal").exists()  # the interrupted change is still on disk
    with PlanFile.open(path, read_only=reopen_read_only) as plan:
        results = check_plan(plan)
        assert all(r.ok for r in results), [r for r in results if not r.ok]
        with plan.read() as s:
            names = s.connection().exec_driver_sql(
                "SELECT name, count(*) FROM team GROUP BY name").fetchall()
    assert names == [("kept", 500)]
