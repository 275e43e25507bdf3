"""Benchmark: the analysis panels in the window on the million-row demo plan.

Prints, passes or fails on nothing: for the Trends, Peaks and Forecast
panels, the time from showing the panel to its first figures, the time of
every later change (measure, period, split, view), and the longest
event-loop stall over each phase (the bound is 100 ms).

    python tests/benchmarks/bench_analysis_window.py [PLAN]

PLAN defaults to the demo bench_shell.py writes (--agents 400 --months 12).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

# The window asks once for the name the audit trail records; a benchmark has
# nobody to answer, so it names itself (salesplanner/identity.py).
os.environ.setdefault("SALESPLANNER_USER", "Benchmark")

sys.path.insert(0, str(Path(__file__).parent))
from bench_shell import _plan, wait_until


def main() -> int:
    plan = _plan(sys.argv[1:])
    if "DISPLAY" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
    from PySide6.QtWidgets import QApplication

    from salesplanner.ui.app import make_application
    from salesplanner.ui.main_window import MainWindow
    from salesplanner.ui.stall_monitor import StallMonitor

    app = make_application()
    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    # As salesplanner.ui.app.run does after showing the window:
    from salesplanner.ui.app import warm_up

    window.runner.start("warm-up", lambda _token: warm_up())
    monitor = StallMonitor()

    def wait(condition, timeout: float = 120.0) -> float:
        return wait_until(app, condition, timeout)

    worst = {"stall": 0.0, "what": ""}

    def redraw(panel, change, what: str = "") -> float:
        before = monitor.longest
        monitor.longest = 0.0
        previous = panel.result
        change()
        panel.refresh()
        took = wait(lambda: panel.result is not previous)
        settle = time.perf_counter() + 0.05  # let the window paint the new figures
        wait(lambda: time.perf_counter() > settle)
        if monitor.longest > worst["stall"]:
            worst.update(stall=monitor.longest, what=f"{panel.title}: {what}")
        monitor.longest = max(before, monitor.longest)
        return took

    opened = []
    window.plan_opened.connect(opened.append)
    window.open_plan(plan)
    wait(lambda: opened)
    print(f"plan: {plan}")
    if os.environ.get("NO_MOVES"):
        next(p for p in window.panels if p.title == "Trends").moves.setChecked(False)
    for title in ("Trends", "Peaks", "Forecast"):
        panel = next(p for p in window.panels if p.title == title)
        monitor.start()
        start = time.perf_counter()
        window.show_panel(window.panels.index(panel))
        wait(lambda p=panel: p.result is not None)
        panel.repaint()
        first = time.perf_counter() - start
        stall_first = monitor.longest
        monitor.reset()
        times = []
        if title == "Trends":
            for metric in ("revenue", "conversion_rate", "sales"):
                for split in (None, "team", "product"):
                    for by in ("week", "month"):
                        times.append(redraw(panel, lambda m=metric, s=split, b=by: (
                            panel.metric.setCurrentIndex(panel.metric.findData(m)),
                            panel.split.setCurrentIndex(panel.split.findData(s)),
                            panel.period.setCurrentIndex(panel.period.findData(b))),
                            f"{metric} by {by}, split {split}"))
            for view in ("mix", "requests", "measure"):
                times.append(redraw(panel, lambda v=view: (
                    panel.view.setCurrentIndex(panel.view.findData(v)),
                    panel._sync_controls()), f"view {view}"))
        elif title == "Peaks":
            for i in range(panel.view_choice.count()):
                times.append(redraw(panel, lambda i=i: panel.view_choice.setCurrentIndex(i)))
            for level in (70, 90):
                times.append(redraw(panel, lambda v=level: panel.target.setValue(v)))
        else:
            for metric in ("revenue", "sales", "calls_handled"):
                for by in ("week", "month"):
                    times.append(redraw(panel, lambda m=metric, b=by: (
                        panel.metric.setCurrentIndex(panel.metric.findData(m)),
                        panel.period.setCurrentIndex(panel.period.findData(b)))))
        again = (f"then {len(times)} changes in {min(times) * 1000:.0f}-"
                 f"{max(times) * 1000:.0f} ms" if times else "")
        print(f"{title:<9} first figures {first * 1000:6.0f} ms (longest stall "
              f"{stall_first * 1000:.0f} ms); {again} (longest stall "
              f"{monitor.longest * 1000:.0f} ms; bound 100 ms)")
    monitor.stop()
    print(f"longest stall over all changes: {worst['stall'] * 1000:.0f} ms ({worst['what']})")
    window.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
