"""Writes and reads of the Targets, Measures, Reports and Skills panels:
the longest event-loop stall of each action (issue 18). Prints figures;
never passes or fails on a time.

On a copy of PLAN (default: the default demo, ``salesplanner demo``), in the
window: each panel shown (its first figures), then its writes (save,
override, choose, thresholds, measures, reports, ratings, weights) and an
Edit > Undo, each waited for until the plan's change is broadcast and the
panel has settled. The figure is the longest stall of the interface
thread from the action to then (the bound is about 16 ms, one frame).

    .venv/bin/python tests/benchmarks/bench_writes.py [PLAN]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_shell import wait_until


def _default_plan() -> Path:
    from salesplanner.demo import DemoOptions, generate_demo

    path = Path(tempfile.gettempdir()) / "salesplanner-bench-demo.salesplan"
    if not path.exists():
        print("writing the default demo plan (once)\u2026", flush=True)
        generate_demo(path, DemoOptions())
    return path


def main() -> None:
    if "DISPLAY" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
    os.environ.setdefault("SALESPLANNER_USER", "Benchmark")
    source = Path(sys.argv[1]) if sys.argv[1:] else _default_plan()
    folder = Path(tempfile.mkdtemp(prefix="bench-writes-"))
    path = folder / "plan.salesplan"
    shutil.copyfile(source, path)
    try:
        run(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(path: Path) -> None:  # a script of steps
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from salesplanner.ui.app import make_application, warm_up
    from salesplanner.ui.main_window import MainWindow
    from salesplanner.ui.stall_monitor import StallMonitor

    app = make_application()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.runner.start("warm-up", lambda _token: warm_up())
    monitor = StallMonitor()
    changes = []
    window.document.changed.connect(lambda result, _initiator: changes.append(result))
    QInputDialog.getText = staticmethod(lambda *a, **k: ("Bench", True))
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    figures: list[tuple[str, float, float]] = []

    def wait(condition, timeout: float = 120.0) -> None:
        wait_until(app, condition, timeout)

    def settle(seconds: float = 0.3) -> None:
        """Let the refreshes that follow a change run (and their stalls count)."""
        end = time.perf_counter() + seconds
        wait(lambda: time.perf_counter() > end and not window.runner._live)

    def measure(label: str, action, done=None) -> None:
        """Run ``action``; wait for ``done`` (default: one more change broadcast)."""
        settle(0.1)
        before = len(changes)
        monitor.start()
        start = time.perf_counter()
        action()
        wait(done or (lambda: len(changes) > before))
        took = time.perf_counter() - start
        settle()
        figures.append((label, took, monitor.stop()))
        print(f"  {label:<34} done in {took * 1000:6.0f} ms, longest stall "
              f"{figures[-1][2] * 1000:5.0f} ms", flush=True)

    opened = []
    window.plan_opened.connect(opened.append)
    window.open_plan(path)
    wait(lambda: opened)
    settle(1.0)
    panels = {p.title: p for p in window.panels}
    print(f"{path.name}: {window.document.info.agents} agents")

    print("Targets")
    targets = panels["Targets"]
    measure("show (proposal)", lambda: window.show_panel(window.panels.index(targets)),
            lambda: targets.preview is not None)
    measure("save the preview as a scenario", targets.save)
    measure("choose it", lambda: targets._set_status("chosen"))
    row = targets.model.rows[0]
    measure("override one target", lambda: targets.override(row.code, row.target + 10, "bench"))
    measure("Edit > Undo (the override)", window.action_undo.trigger)

    print("Measures")
    measures = panels["Measures"]
    measure("show", lambda: window.show_panel(window.panels.index(measures)),
            lambda: measures.model.rowCount() > 0)
    measures.clear_designer()
    measures.name.setText("Bench per call")
    measures.code.setText("bench_per_call")
    measures.formula.setText("revenue / calls")
    measure("save a new measure", measures.save)
    measures.red_edge.setText("1")
    measures.green_edge.setText("2")
    measure("change its thresholds", measures.save)
    measure("Edit > Undo (the thresholds)", window.action_undo.trigger)
    measure("remove it", measures.remove)
    measure("Edit > Undo (the removal)", window.action_undo.trigger)

    print("Reports")
    reports = panels["Reports"]
    measure("show (preview)", lambda: window.show_panel(window.panels.index(reports)),
            lambda: reports.model.result is not None)
    reports.new_report()
    measure("save a new report", reports.save)
    reports.audience.setEditText("Bench readers")
    measure("save a change to it", reports.save)
    measure("remove it", reports.remove)
    measure("Edit > Undo (the removal)", window.action_undo.trigger)

    print("Skills")
    skills = panels["Skills"]
    measure("show (matrix)", lambda: window.show_panel(window.panels.index(skills)),
            lambda: skills.model.matrix is not None)
    model = skills.model
    index = model.index(0, 1)
    current = index.data(Qt.ItemDataRole.EditRole)
    new = 2 if str(current) != "2" else 4
    measure("change a rating", lambda: model.setData(index, new, Qt.ItemDataRole.EditRole))
    measure("Edit > Undo (the rating)", window.action_undo.trigger)
    measure("save the weights", skills.save)

    print(f"longest stall of all: {max(s for _l, _t, s in figures) * 1000:.0f} ms "
          f"(bound about 16 ms)")
    window.close()


if __name__ == "__main__":
    main()
