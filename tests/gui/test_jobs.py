"""The job runner: results, errors, cancel, supersede; and a PySide guard."""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
from PySide6.QtCore import QObject, Signal

from salesplanner.jobs import check_cancel
from salesplanner.ui.jobs import InlineJobRunner, JobRunner


def test_result_error_and_progress_arrive_on_the_interface_thread(qtbot) -> None:
    runner = JobRunner()
    main = threading.get_ident()
    seen: dict[str, object] = {}

    def work(token):
        token.progress(0.5, "half")
        return threading.get_ident()

    runner.start("a", work, on_done=lambda v: seen.update(done=v, thread=threading.get_ident()),
                 on_progress=lambda f, t: seen.update(progress=(f, t)))
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen["done"] != main and seen["thread"] == main
    assert seen["progress"] == (0.5, "half")

    def fail(_token):
        raise ValueError("bad input")

    errors: list = []
    job = runner.start("b", fail, on_error=lambda e, trace: errors.append((e, trace)))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0][0], ValueError) and "bad input" in errors[0][1]
    assert job.done
    runner.wait()


def test_starting_the_same_kind_cancels_the_old_job(qtbot) -> None:
    runner = JobRunner()
    events: list[str] = []

    def slow(token):
        for _ in range(500):
            check_cancel(token)
            time.sleep(0.01)
        return "slow"

    runner.start("k", slow, on_done=events.append, on_cancelled=lambda: events.append("cancelled"))
    time.sleep(0.05)
    runner.start("k", lambda token: "fast", on_done=events.append)
    qtbot.waitUntil(lambda: len(events) == 2, timeout=10_000)
    assert sorted(events) == ["cancelled", "fast"]
    assert runner.wait(5000)


def test_inline_runner_runs_at_once() -> None:
    got: list = []
    InlineJobRunner().start("x", lambda token: 42, on_done=got.append)
    assert got == [42]


def test_signals_carrying_objects_keep_reference_counts(qapp) -> None:
    """PySide6 6.12.0 over-released objects sent through Signal(object)."""

    class Emitter(QObject):
        carried = Signal(object)

    emitter = Emitter()
    emitter.carried.connect(lambda value: 0)
    before = sys.getrefcount(None)
    for _ in range(200):
        emitter.carried.emit(None)
        emitter.carried.emit(np.arange(3))
    assert sys.getrefcount(None) >= before
