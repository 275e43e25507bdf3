"""Benchmark: the window on the million-row demo plan.

Prints, passes or fails on nothing:
- cold start to a visible window with the plan open, against a bare PySide6
  window started the same way (both measured here, with the ratio);
- time from showing the Data panel to the first sales rows;
- time of a sort on every column of the sales and calls tabs;
- the longest event-loop stall over open, scroll to the end, sorts, filters.

    python tests/benchmarks/bench_shell.py [PLAN]

PLAN defaults to a demo written with --agents 400 --months 12 (made if
missing, in the system temp folder). Runs on the screen in $DISPLAY (Xvfb
is fine) or offscreen.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The window asks once for the name the audit trail records; a benchmark has
# nobody to answer, so it names itself (salesplanner/identity.py).
os.environ.setdefault("SALESPLANNER_USER", "Benchmark")

BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 760); w.show()
def ready():
    print("ready", flush=True); app.quit()
from PySide6.QtCore import QTimer
QTimer.singleShot(0, ready)
app.exec()
"""

OURS = """
import sys
from salesplanner.ui.app import make_application
app = make_application()
from salesplanner.ui import settings
from salesplanner.ui.main_window import MainWindow
from salesplanner.ui.theme import apply_scheme
apply_scheme(settings.COLOUR_SCHEME.get())
w = MainWindow(); w.show()
def ready(_path):
    app.processEvents()
    print("ready", flush=True); w.close(); app.quit()
w.plan_opened.connect(ready)
w.open_plan(sys.argv[1])
app.exec()
"""


def _cold(code: str, *args: str, runs: int = 5) -> float:
    times = []
    env = dict(os.environ)
    if "DISPLAY" not in env:
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                                text=True, env=env)
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        proc.wait()
        proc.stdout.close()
        if line.strip() != "ready":
            raise SystemExit("the window did not start")
        times.append(elapsed)
    return statistics.median(times)


def wait_until(app, condition, timeout: float = 120.0) -> float:
    """Process ``app``'s events until ``condition()`` holds; the seconds it took.
    Stops the benchmark after ``timeout`` seconds."""
    start = time.perf_counter()
    while not condition():
        app.processEvents()
        time.sleep(0.001)
        if time.perf_counter() - start > timeout:
            raise SystemExit("timed out")
    return time.perf_counter() - start


def _plan(argv: list[str]) -> Path:
    if argv:
        return Path(argv[0])
    path = Path(tempfile.gettempdir()) / "salesplanner-bench-400x12.salesplan"
    if not path.exists():
        print(f"writing {path} (demo --agents 400 --months 12) ...", flush=True)
        subprocess.run([sys.executable, "-m", "salesplanner", "demo", str(path), "--agents", "400",
                        "--months", "12", "--quiet"], check=True)
    return path


def main() -> int:
    plan = _plan(sys.argv[1:])
    bare = _cold(BARE)
    ours = _cold(OURS, str(plan))
    print(f"cold start, bare PySide6 window:        {bare * 1000:7.0f} ms (median of 5)")
    print(f"cold start, Sales Planner with the plan: {ours * 1000:7.0f} ms (median of 5)")
    print(f"ratio:                                  {ours / bare:7.2f}x")

    if "DISPLAY" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from salesplanner.ui.app import make_application
    from salesplanner.ui.main_window import MainWindow
    from salesplanner.ui.panels.data_browser import DataBrowserPanel
    from salesplanner.ui.stall_monitor import StallMonitor

    app = make_application()
    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    # As salesplanner.ui.app.run does after showing the window:
    window.runner.start("warm-up", lambda _token: __import__("salesplanner.row_order"))
    monitor = StallMonitor()
    stalls: dict[str, float] = {}

    def wait(condition, timeout: float = 60.0) -> float:
        return wait_until(app, condition, timeout)

    def phase(name: str) -> None:
        stalls[name] = monitor.longest
        monitor.reset()

    monitor.start()
    opened = []
    window.plan_opened.connect(opened.append)
    window.open_plan(plan)
    wait(lambda: opened)
    settle = time.perf_counter() + 0.5  # the window finishes painting the plan
    wait(lambda: time.perf_counter() > settle)
    phase("open")

    panel = next(p for p in window.panels if isinstance(p, DataBrowserPanel))
    start = time.perf_counter()
    window.show_panel(window.panels.index(panel))
    tab = panel.tab("sales")
    wait(lambda: tab.model.rowCount() > 0)
    tab.view.viewport().repaint()
    first_rows = time.perf_counter() - start
    wait(lambda: not tab.model.loading)
    phase("show data panel")
    print(f"first sales rows visible:               {first_rows * 1000:7.0f} ms after the panel "
          f"is shown ({tab.model.rowCount():,} rows)")

    tab.view.scrollToBottom()
    app.processEvents()
    tab.view.viewport().repaint()
    tab.view.scrollToTop()
    app.processEvents()
    phase("scroll to the end and back")

    for kind in ("sales", "calls"):
        tab = panel.tab(kind)
        panel.tabs.setCurrentWidget(tab)
        wait(lambda t=tab: t.model.rowCount() > 0 and not t.model.loading)
        print(f"sorting the {kind} tab ({tab.model.rowCount():,} rows):")
        for i, column in enumerate(tab.spec.columns):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                tab.view.sortByColumn(i, order)
                took = wait(lambda t=tab: not t.model.loading)
                tab.view.viewport().repaint()
                if order == Qt.SortOrder.AscendingOrder:
                    up = took
            print(f"  {column.header:<18} {up:6.2f} s ascending, {took:6.2f} s descending")
        phase(f"sort {kind}")

    tab = panel.tab("sales")
    panel.tabs.setCurrentWidget(tab)
    tab.search.setText("fibre")
    start = time.perf_counter()
    tab._apply_query()  # skip the typing debounce
    wait(lambda: not tab.model.loading and tab.model.query.text == "fibre")
    tab.set_filter("revenue", ">300")
    wait(lambda: not tab.model.loading)
    print(f"search + filter on sales:               {time.perf_counter() - start:7.2f} s "
          f"-> {tab.model.rowCount():,} rows")
    phase("search and filter")
    monitor.stop()
    print("longest event-loop stall:")
    for name, value in stalls.items():
        print(f"  {name:<28} {value * 1000:6.0f} ms")
    print(f"  {'overall':<28} {max(stalls.values()) * 1000:6.0f} ms")
    window.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
