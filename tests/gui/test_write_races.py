"""Changes asked for while earlier ones are still being saved (found in review).

- Undo waits while a change is being saved: the change's own command joins
  the undo stack only when it is saved, so an undo meanwhile took back the
  change before it, and the user's redo was lost.
- Opening another plan, or closing this one, lets every change asked for
  reach the plan first: the open dropped a queued edit silently.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from salesplanner.edits import set_field
from salesplanner.skill_matrix import skill_matrix
from salesplanner.storage.plan_file import PlanFile
from salesplanner.ui.panels.skills import skill_key
from tests.gui.conftest import open_in, writes_done


def test_undo_waits_while_a_change_is_being_saved(window, qtbot, demo_path: Path) -> None:
    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Skills")
    window.show_panel(window.panels.index(panel))
    model = panel.model
    qtbot.waitUntil(lambda: model.matrix is not None, timeout=10_000)
    matrix = model.matrix
    skill = matrix.skills[4]
    column = model.column_of(skill_key(skill))
    first, second = model.index(0, column), model.index(1, column)
    agent_b = matrix.agents[model.rows[1]]
    old_b = model.data(second)
    assert model.setData(first, "1" if model.data(first) != "1" else "5")
    writes_done(window, qtbot)
    assert window.action_undo.isEnabled()
    window.document.write("a slow change", lambda _token: time.sleep(0.5))
    assert model.setData(second, "1" if old_b != "1" else "5")
    assert not window.action_undo.isEnabled()  # while anything is being saved
    window.action_undo.trigger()  # Ctrl+Z now does nothing rather than undo the wrong change
    writes_done(window, qtbot)
    qtbot.waitUntil(window.action_undo.isEnabled, timeout=10_000)
    stack = window.document.undo_stack
    assert stack.index() == stack.count()  # nothing was undone
    window.action_undo.trigger()  # now it undoes the latest change
    writes_done(window, qtbot)
    now = skill_matrix(window.document.plan)
    stored = now.ratings[now.agents.index(agent_b), now.skills.index(skill)]
    expected = float(old_b) if old_b else None
    assert (stored if stored == stored else None) == expected


def test_opening_another_plan_saves_the_changes_asked_for_first(
        window, qtbot, demo_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.salesplan"
    shutil.copyfile(demo_path, other)
    open_in(window, qtbot, demo_path)
    document, plan = window.document, window.document.plan
    with plan.connect() as conn:
        key = conn.execute("SELECT id FROM agent ORDER BY id LIMIT 1").fetchone()[0]
    document.write("slow", lambda _token: time.sleep(0.5))
    document.write("edit", lambda _token: set_field(plan, "agent", key, "name", "Renamed Person"))
    open_in(window, qtbot, other)
    with PlanFile.open(demo_path, read_only=True) as reopened, reopened.connect() as conn:
        assert conn.execute("SELECT name FROM agent WHERE id = ?", (key,)).fetchone()[0] == \
            "Renamed Person"


def test_a_closed_plan_refuses_a_write(demo_path: Path) -> None:
    plan = PlanFile.open(demo_path)
    plan.close()
    try:
        with plan.connect(write=True):
            raise AssertionError("a closed plan gave a write connection")
    except Exception as exc:  # noqa: BLE001 - the refusal's type is UserError
        assert "has been closed" in str(exc)


def test_a_matrix_read_before_a_rating_was_saved_is_read_again(
        window, qtbot, demo_path: Path, monkeypatch) -> None:
    """A Skills matrix read that began before a rating was saved, and ends
    after the rating is shown, would put the old rating back on screen."""
    import threading

    from salesplanner.skill_matrix import set_rating
    from salesplanner.ui.panels import skills

    open_in(window, qtbot, demo_path)
    panel = next(p for p in window.panels if p.title == "Skills")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(lambda: panel.model.matrix is not None, timeout=10_000)
    matrix = panel.model.matrix
    agent, skill = matrix.agents[0], matrix.skills[0]
    new = 1 if matrix.ratings[0, 0] != 1 else 5
    gate, read_once = threading.Event(), []
    real = skills.skill_matrix

    def slow_read(plan):
        result = real(plan)
        if not read_once:
            read_once.append(True)
            gate.wait(10)  # the old ratings are read; the rating is saved meanwhile
        return result

    monkeypatch.setattr(skills, "skill_matrix", slow_read)
    panel.refresh()
    qtbot.waitUntil(lambda: bool(read_once), timeout=10_000)
    window.document.write("rate", lambda _token: set_rating(
        window.document.plan, agent, skill, new), on_done=window.document.notify)
    writes_done(window, qtbot)

    def shown() -> float:
        m = panel.model.matrix
        return m.ratings[m.agents.index(agent), m.skills.index(skill)]

    assert shown() == new  # the saved rating is shown at once
    gate.set()  # the old read now arrives
    qtbot.waitUntil(lambda: not window.runner.running("skills"), timeout=10_000)
    qtbot.wait(50)
    assert shown() == new
