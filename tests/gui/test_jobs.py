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


def test_writes_run_one_at_a_time_in_order_off_the_interface_thread(qtbot) -> None:
    runner = JobRunner()
    ran: list[tuple[int, str]] = []
    done: list[int] = []
    busy: list[bool] = []
    runner.writing_changed.connect(busy.append)

    def write(n: int):
        def work(_token):
            ran.append((n, threading.current_thread().name))
            time.sleep(0.02 if n == 0 else 0)  # the first is the slowest: order still holds
            return n
        return work

    for n in range(4):
        runner.write(f"w{n}", write(n), on_done=done.append)
    assert runner.writing
    qtbot.waitUntil(lambda: not runner.writing, timeout=5000)
    assert [n for n, _thread in ran] == done == [0, 1, 2, 3]
    assert {thread for _n, thread in ran} == {runner.write_threads[0]}  # one thread
    assert runner.write_threads[0].startswith("write")
    assert runner.write_threads[0] != threading.main_thread().name
    assert busy == [True, False]
    assert runner.wait(5000)


def test_a_write_that_bypasses_the_queue_fails(window, qtbot, demo_path) -> None:
    """The guard the window tests run with: every write to the open plan must go
    through the write queue, else ``WriteOutsideQueue``; panels' writes pass it."""
    import pytest

    from salesplanner.skill_matrix import set_rating
    from salesplanner.ui.jobs import WriteOutsideQueue
    from tests.gui.conftest import open_in, writes_done

    open_in(window, qtbot, demo_path)
    plan = window.document.plan
    assert plan.write_guard is not None
    with pytest.raises(WriteOutsideQueue, match="bypassed the write queue"):
        set_rating(plan, "AG1", "closing", 3)  # on the interface thread, not queued
    # A worker thread of its own is no better: only the queue's jobs may write.
    caught: list[BaseException] = []

    def elsewhere() -> None:
        try:
            set_rating(plan, "AG1", "closing", 3)
        except WriteOutsideQueue as exc:
            caught.append(exc)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert len(caught) == 1
    # The same change through the queue is made, on the write thread.
    results: list = []
    window.document.write("rating", lambda _token: set_rating(plan, "AG1", "closing", 3),
                          on_done=results.append)
    writes_done(window, qtbot)
    assert results[0].detail["new"] == 3
    assert window.runner.write_threads[-1].startswith("write")


def test_a_panel_shows_a_pending_write_and_refuses_a_second(window, qtbot, demo_path) -> None:
    from salesplanner.skill_matrix import set_rating
    from salesplanner.ui.panels.base import STILL_SAVING
    from tests.gui.conftest import open_in, screenshot, writes_done

    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Skills")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.model.matrix is not None, timeout=5000)
    plan, release = window.document.plan, threading.Event()

    def slow(_token):
        release.wait(5)
        return set_rating(plan, "AG1", "closing", 4)

    assert panel.write("slow rating", slow) is not None
    assert panel.writing and panel._saving.isVisible() and not panel.save_button.isEnabled()
    screenshot(window, "panel-skills-saving")
    assert panel.write("second", lambda _token: None) is None  # refused while pending
    assert STILL_SAVING in window.statusBar().currentMessage()
    release.set()
    writes_done(window, qtbot)
    assert not panel.writing and not panel._saving.isVisible() and panel.save_button.isEnabled()
