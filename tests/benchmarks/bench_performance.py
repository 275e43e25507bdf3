"""Monitoring benchmark (issue 7). Prints figures; never passes or fails on a time.

On a copy of the 1M-row demo plan with published targets for sales and
revenue: the performance table (centre, teams, agents, sparklines) for each
period and measure, the first time and again (the bound is 100 ms after the
first time), and the warnings and coaching opportunities.

    .venv/bin/python tests/benchmarks/bench_performance.py [PLAN]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# The window asks once for the name the audit trail records; a benchmark has
# nobody to answer, so it names itself (salesplanner/identity.py).
os.environ.setdefault("SALESPLANNER_USER", "Benchmark")

sys.path.insert(0, str(Path(__file__).parent))
from bench_shell import _plan, wait_until


def main() -> None:
    from salesplanner.analysis.coaching import opportunities
    from salesplanner.analysis.early_warnings import early_warnings
    from salesplanner.analysis.performance import performance
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.targets import scenarios
    from salesplanner.targets.proposal import TargetSettings, propose

    folder = Path(tempfile.mkdtemp(prefix="bench-performance-"))
    path = folder / "plan.salesplan"
    shutil.copyfile(_plan(sys.argv[1:]), path)
    try:
        with PlanFile.open(path) as plan:
            for measure in ("sales", "revenue"):
                saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
                    measure=measure, growth=0.05, guardrails=(-0.5, 1.0))))
                scenarios.set_status(plan, saved.detail["scenario_id"], "published")
            start = time.perf_counter()
            performance(plan, "sales", "qtd")
            print(f"first table (reads the daily sums): {(time.perf_counter() - start) * 1000:.0f} ms")
            times = {}
            for measure in ("sales", "revenue", "conversion_rate", "calls_handled"):
                for period in ("qtd", "mtd", "wtd", "2026-10-01:2026-12-31"):
                    start = time.perf_counter()
                    result = performance(plan, measure, period)
                    times[(measure, period)] = time.perf_counter() - start
            worst = max(times, key=times.get)
            print(f"{len(times)} tables (4 measures x 4 periods, {len(result.agents)} agents): "
                  f"{min(times.values()) * 1000:.0f}-{max(times.values()) * 1000:.0f} ms "
                  f"(slowest {worst}; bound 100 ms)")
            result = performance(plan, "sales", "qtd")
            start = time.perf_counter()
            warnings = early_warnings(result)
            behind = [r.key for r in result.agents if r.attainment and r.attainment < 1]
            reasons = opportunities(plan, result, behind)
            print(f"warnings ({len(warnings)}) and opportunities ({len(reasons)} for "
                  f"{len(behind)} agents behind): {(time.perf_counter() - start) * 1000:.0f} ms")
        window_stalls(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def window_stalls(path: Path) -> None:
    """The Performance panel in the window: first figures, each change, longest stall."""
    import os

    if "DISPLAY" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
    from salesplanner.ui.app import make_application
    from salesplanner.ui.main_window import MainWindow
    from salesplanner.ui.stall_monitor import StallMonitor

    app = make_application()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    # As salesplanner.ui.app.run does after showing the window:
    from salesplanner.ui.app import warm_up

    window.runner.start("warm-up", lambda _token: warm_up())
    monitor = StallMonitor()

    def wait(condition, timeout: float = 120.0) -> float:
        return wait_until(app, condition, timeout)

    opened = []
    window.plan_opened.connect(opened.append)
    window.open_plan(path)
    wait(lambda: opened)
    panel = next(p for p in window.panels if p.title == "Performance")
    monitor.start()
    start = time.perf_counter()
    window.show_panel(window.panels.index(panel))
    wait(lambda: panel.result is not None)
    first = time.perf_counter() - start
    first_stall = monitor.longest
    monitor.reset()
    times = []
    for measure in ("sales", "revenue", "conversion_rate"):
        for period in range(3):
            previous = panel.result
            panel.measure.setCurrentIndex(panel.measure.findData(measure))
            panel.period.setCurrentIndex(period)
            panel.refresh()
            times.append(wait(lambda p=previous: panel.result is not p))
            settle = time.perf_counter() + 0.05
            wait(lambda s=settle: time.perf_counter() > s)
    for row in range(5):
        panel.table.selectRow(row)
        app.processEvents()
    print(f"window: first figures {first * 1000:.0f} ms (stall {first_stall * 1000:.0f} ms); "
          f"{len(times)} changes in {min(times) * 1000:.0f}-{max(times) * 1000:.0f} ms; "
          f"selecting agents; longest stall {monitor.longest * 1000:.0f} ms (bound 100 ms)")
    monitor.stop()
    window.close()


if __name__ == "__main__":
    main()
