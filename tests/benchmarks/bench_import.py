"""Import benchmarks (issue 4). Prints figures; never passes or fails on a time.

1. A 1M-row sales CSV (a CRM export: 14 columns, about 110 MB) imported,
   validated, deduplicated, indexed and committed by ``salesplanner import``
   (in a child process, so its peak memory is its own), against the sqlite3
   shell's ``.import`` of the same file into a plain table, in the same run.
2. A 100k-row .xlsx read by the importer against python-calamine alone.

    .venv/bin/python tests/benchmarks/bench_import.py [--rows 1000000] [--xlsx-rows 100000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_sales_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A realistic CRM sales export: UK dates, money with pound signs, free text."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-01-01 08:00")
    stamps = start + pd.to_timedelta(np.sort(rng.integers(0, 364 * 86400, rows)), unit="s")
    agents = rng.integers(1, 401, rows)
    products = rng.integers(1, 43, rows)
    quantity = rng.integers(1, 4, rows)
    price = np.round(rng.gamma(2.0, 20.0, 42) + 5, 2)[products - 1]
    frame = pd.DataFrame({
        "Order ID": [f"ORD-{i:08d}" for i in range(rows)],
        "Sale Date": stamps.strftime("%d/%m/%Y %H:%M:%S"),
        "Advisor": np.char.add("AG", agents.astype(str)),
        "Team": np.array(["Inbound acquisition", "Retention", "Upgrades", "Win-back",
                          "Business"])[agents % 5],
        "SKU": np.char.add("SKU-", products.astype(str)),
        "Qty": quantity,
        "Unit Price": np.char.add("£", np.char.mod("%.2f", price)),
        "Sale Value": np.char.add("£", np.char.mod("%.2f", price * quantity)),
        "Channel": rng.choice(["Inbound call", "Outbound call", "Web chat"], rows),
        "Status": rng.choice(["Completed", "Cancelled", "Pending"], rows, p=[.93, .05, .02]),
        "Segment": rng.choice(["Consumer", "Small business", "None"], rows),
        "Campaign": rng.choice(["Spring offer", "NA", "", "Loyalty"], rows),
        "Customer": np.char.add("C", rng.integers(100000, 999999, rows).astype(str)),
        "Notes": rng.choice(["", "", "", "customer asked for a call back", "paid in full"], rows),
    })
    frame.to_csv(path, index=False)


def shell_import(csv: Path, db: Path) -> float | None:
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    start = time.perf_counter()
    subprocess.run([shell, str(db), f".import --csv {csv} sales"], check=True)
    return time.perf_counter() - start


def our_import(csv: Path, plan: Path) -> tuple[float, float, str]:
    exe = [sys.executable, "-m", "salesplanner"]
    subprocess.run([*exe, "new", str(plan), "--name", "Bench", "--quarter", "2027-Q1"],
                   check=True, capture_output=True)
    # The child reports its own peak, so other children (the shell) do not count.
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so the child
    # would report this process's own peak (the generated frame).
    code = ("import sys; from salesplanner.cli import main; rc = main(sys.argv[1:]); "
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]; "
            "print('PEAK', hwm.split()[1]); sys.exit(rc)")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, "import", str(plan), str(csv),
                             "--dayfirst"], check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    lines = result.stdout.strip().splitlines()
    peak = int(lines[-1].split()[1])
    return elapsed, peak / 1024, lines[-2]


def bench_xlsx(folder: Path, rows: int) -> None:
    import openpyxl
    import python_calamine

    from salesplanner.importing.reading import read_source

    path = folder / "sales.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sales")
    sheet.append(["Order ID", "Sale Date", "Advisor", "SKU", "Qty", "Sale Value", "Channel"])
    rng = np.random.default_rng(2)
    base = pd.Timestamp("2026-01-01").to_pydatetime()
    for i in range(rows):
        sheet.append([f"ORD-{i:08d}", base + pd.Timedelta(seconds=int(i * 300)),
                      f"AG{i % 400 + 1}", f"SKU-{i % 42 + 1}", int(rng.integers(1, 4)),
                      float(round(rng.gamma(2.0, 20.0), 2)), "Inbound call"])
    book.save(path)
    timings = {"calamine": [], "importer": []}
    for _ in range(3):
        start = time.perf_counter()
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
            "Sales").to_python()
        timings["calamine"].append(time.perf_counter() - start)
        start = time.perf_counter()
        table = read_source(path)
        timings["importer"].append(time.perf_counter() - start)
    assert table.num_rows == rows
    calamine, ours = min(timings["calamine"]), min(timings["importer"])
    print(f"xlsx {rows:,} rows: python-calamine alone {calamine:.2f} s, importer read "
          f"{ours:.2f} s, ratio {ours / calamine:.2f} (bound 1.5)")


def bench_window(csv: Path, folder: Path) -> None:
    """The import run from the window's worker: the longest event-loop stall."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from salesplanner.importing.run import ImportOptions, import_file
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.ui.jobs import JobRunner
    from salesplanner.ui.stall_monitor import StallMonitor

    app = QApplication.instance() or QApplication([])
    plan_path = folder / "window.salesplan"
    plan = PlanFile.create(plan_path, name="Window", quarter="2027-Q1")
    runner = JobRunner()
    monitor = StallMonitor()
    done: list[object] = []
    start = time.perf_counter()
    monitor.start()
    runner.start("import", lambda token: import_file(
        plan, csv, ImportOptions(date_order="dayfirst"), token),
        on_done=done.append, on_error=lambda e, t: done.append(e))
    while not done:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    stall = monitor.stop()
    runner.wait()
    plan.close()
    print(f"import from the window's worker: {elapsed:.2f} s; longest event-loop stall "
          f"{stall * 1000:.0f} ms (bound 100 ms); {monitor.ticks:,} timer ticks")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        csv = folder / "sales.csv"
        start = time.perf_counter()
        make_sales_csv(csv, args.rows)
        print(f"wrote {csv.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows in "
              f"{time.perf_counter() - start:.1f} s")
        shell = shell_import(csv, folder / "shell.db")
        ours, peak_mb, line = our_import(csv, folder / "bench.salesplan")
        print(f"salesplanner import: {ours:.2f} s, peak memory {peak_mb:.0f} MB ({line})")
        if shell is not None:
            print(f"sqlite3 shell .import: {shell:.2f} s; ratio {ours / shell:.2f} (bound 1.0)")
        else:
            print("sqlite3 shell not found: install Debian's sqlite3 to compare")
        again, _peak, line = our_import_again(csv, folder / "bench.salesplan")
        print(f"same file again: {again:.2f} s ({line})")
        bench_xlsx(folder, args.xlsx_rows)
        bench_window(csv, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def our_import_again(csv: Path, plan: Path) -> tuple[float, float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "salesplanner", "import", str(plan), str(csv),
                             "--dayfirst"], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, 0.0, result.stdout.strip().splitlines()[-1]


if __name__ == "__main__":
    main()
