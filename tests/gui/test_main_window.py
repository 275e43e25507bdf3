"""The main window: plan lifecycle, menus, settings, drag and drop."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from salesplanner.storage.plan_file import PlanFile
from salesplanner.ui import settings
from salesplanner.ui.dialogs import NewPlanDialog, versions_text
from salesplanner.ui import main_window as main_window_module
from salesplanner.ui.jobs import JobRunner
from salesplanner.ui.main_window import MainWindow
from tests.gui.conftest import open_in, screenshot
from tests.helpers.files import digest


def test_starts_on_the_welcome_page_with_file_actions_only(window: MainWindow) -> None:
    assert window.windowTitle() == "Sales Planner"
    assert window.stack.currentWidget() is window.welcome
    assert not window.sidebar.isVisible()
    assert not window.action_save_as.isEnabled() and not window.action_close.isEnabled()
    assert window.summary_label.text() == "No plan open"
    screenshot(window, "welcome")


def test_open_shows_plan_title_summary_and_panels(window: MainWindow, demo_path: Path, qtbot) -> None:
    open_in(window, qtbot, demo_path)
    assert window.windowTitle() == "Demo contact centre 2027-Q1 \u2014 demo.salesplan \u2014 Sales Planner"
    assert "24 agents" in window.summary_label.text()
    assert window.sidebar.isVisible() and window.sidebar.count() == len(window.panels)
    assert window.current_panel().title == "Overview"
    overview = window.current_panel()
    qtbot.waitUntil(lambda: overview.glances is not None, timeout=15_000)
    assert overview.glances == [] and "No targets chosen or published" in overview.glance.text()
    assert window.action_save_as.isEnabled()
    assert not window.banner.isVisible()
    assert settings.RECENT_FILES.get()[0] == str(demo_path.resolve())
    assert settings.LAST_FOLDER.get() == str(demo_path.parent)
    with qtbot.waitSignal(window.plan_closed):
        window.action_close.trigger()
    assert window.stack.currentWidget() is window.welcome
    assert window.windowTitle() == "Sales Planner"


def test_bad_file_is_refused_with_a_message(window: MainWindow, tmp_path: Path, qtbot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "sales.salesplan"
    bad.write_text("Agent,Revenue\n")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    with qtbot.waitSignal(window.open_failed, timeout=10_000):
        window.open_plan(bad)
    assert len(shown) == 1 and "not an SQLite database" in shown[0]
    assert not window.document.is_open
    assert bad.read_text() == "Agent,Revenue\n"


def test_new_plan_dialog_validates_and_creates(window: MainWindow, tmp_path: Path, qtbot,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = NewPlanDialog(window)
    dialog.accept()
    assert not dialog.error.isHidden() and "name" in dialog.error.text()
    dialog.name.setText("North Q2")
    dialog.quarter.setEditText("2027-Q9")
    dialog.accept()
    assert "YEAR-QN" in dialog.error.text()
    dialog.quarter.setEditText("2027-Q2")
    assert dialog.values() == ("North Q2", "2027-Q2", "GBP")
    target = tmp_path / "north"
    with qtbot.waitSignal(window.plan_opened, timeout=10_000):
        window.create_plan(target, "North Q2", "2027-Q2", "EUR")
    assert (tmp_path / "north.salesplan").exists()
    assert window.document.info.currency == "EUR"
    assert window.document.info.quarter == "2027-Q2"


def test_new_plan_action_runs_dialog_and_save_dialog(window: MainWindow, tmp_path: Path, qtbot,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_exec(dialog):
        dialog.name.setText("East")
        return NewPlanDialog.DialogCode.Accepted
    monkeypatch.setattr(NewPlanDialog, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "east.salesplan"), ""))
    with qtbot.waitSignal(window.plan_opened, timeout=10_000):
        window.action_new.trigger()
    assert window.document.info.name == "East"


def test_open_action_and_recent_menu(window: MainWindow, demo_path: Path, tmp_path: Path, qtbot,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(demo_path), ""))
    with qtbot.waitSignal(window.plan_opened, timeout=10_000):
        window.action_open.trigger()
    other = tmp_path / "other.salesplan"
    shutil.copyfile(demo_path, other)
    open_in(window, qtbot, other)
    window._render_recent_menu()
    labels = [a.text() for a in window.recent_menu.actions()]
    assert labels == ["&1 other.salesplan", "&2 demo.salesplan"]
    other_missing = tmp_path / "gone.salesplan"
    window.recent.add(other_missing)  # a file that no longer exists is pruned
    window._render_recent_menu()
    assert [a.text() for a in window.recent_menu.actions()] == labels
    with qtbot.waitSignal(window.plan_opened, timeout=10_000):
        window.recent_menu.actions()[1].trigger()
    assert window.document.plan.source_path == demo_path


def test_save_as_writes_a_consistent_copy_and_switches(window: MainWindow, demo_path: Path,
                                                       tmp_path: Path, qtbot,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    open_in(window, qtbot, demo_path)
    target = tmp_path / "copy.salesplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.action_save_as.trigger()
    assert window.document.plan.source_path == target
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM sale").fetchone()[0] == \
        sqlite3.connect(demo_path).execute("SELECT count(*) FROM sale").fetchone()[0]
    conn.close()
    assert "copy.salesplan" in window.windowTitle()


def test_drop_a_plan_file_opens_it(window: MainWindow, demo_path: Path, qtbot) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(demo_path))])
    event = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.plan_opened, timeout=10_000):
        window.dropEvent(event)
    assert window.document.is_open


HOLDER = """
import sys
from salesplanner.ui.document import PlanDocument
from salesplanner.ui.app import make_application
app = make_application()
doc = PlanDocument()
doc.open(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
"""


def test_plan_open_in_another_copy_opens_read_only_with_banner(window: MainWindow, demo_path: Path,
                                                               qtbot) -> None:
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo_path)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert other.stdout.readline().strip() == "open"
        open_in(window, qtbot, demo_path)
        assert window.document.read_only
        assert window.banner.isVisible() and "another Sales Planner window" in window.banner.text()
        assert "[read-only]" in window.windowTitle()
        screenshot(window, "read_only_banner")
    finally:
        other.stdin.close()
        other.wait(timeout=20)
        other.stdout.close()
    conn = sqlite3.connect(demo_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_panel_and_geometry_persist(demo_path: Path, qtbot) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    open_in(first, qtbot, demo_path)
    first.show_panel(1)
    first.resize(760, 580)
    saved = first.size()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.size() == saved
    open_in(second, qtbot, demo_path)
    assert second.current_panel().title == first.panels[1].title
    second.close()


def test_standard_shortcuts_and_fallbacks(window: MainWindow) -> None:
    assert window.action_open.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.action_quit.shortcuts()  # Ctrl+Q where the platform has none
    assert QKeySequence("Ctrl+Y") in window.action_redo.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in window.action_redo.shortcuts()
    assert window.panel_actions[0].shortcut() == QKeySequence("Ctrl+1")


def test_about_lists_versions() -> None:
    text = versions_text()
    for name in ("Sales Planner", "Python", "Qt", "PySide6", "pandas", "SQLAlchemy", "SQLite"):
        assert f"{name}:" in text


def test_colour_scheme_dark_and_light(window: MainWindow, demo_path: Path, qtbot) -> None:
    open_in(window, qtbot, demo_path)
    window.set_colour_scheme("dark")
    qtbot.wait(20)  # widgets take the new palette from a queued event
    assert window.palette().window().color().lightness() < 80
    screenshot(window, "main_window_dark")
    window.set_colour_scheme("light")
    qtbot.wait(20)
    assert window.palette().window().color().lightness() > 200
    screenshot(window, "main_window_light")
    assert settings.COLOUR_SCHEME.get() == "light"


def test_every_control_has_an_accessible_name(window: MainWindow, demo_path: Path, qtbot) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit

    open_in(window, qtbot, demo_path)
    window.show_panel(1)
    qtbot.wait(50)
    unnamed = []
    for kind in (QLineEdit, QComboBox, QAbstractItemView, QAbstractButton):
        for widget in window.findChildren(kind):
            if widget.isVisible() and not widget.accessibleName() and not (
                    isinstance(widget, QAbstractButton) and widget.text()):
                if widget.objectName().startswith("qt_") or type(widget).__name__ in (
                        "QToolBarExtension", "QTabBar", "QScrollBar"):
                    continue
                unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    assert unnamed == []


def test_demo_plan_from_the_welcome_page(window: MainWindow, tmp_path: Path, qtbot) -> None:
    target = tmp_path / "trial"
    with qtbot.waitSignal(window.plan_opened, timeout=60_000):
        window.write_demo(target)
    assert window.document.info.name == "Demo contact centre 2027-Q1"
    assert (tmp_path / "trial.salesplan").exists()


def test_cancelling_the_demo_leaves_nothing(window: MainWindow, tmp_path: Path, qtbot) -> None:
    window.write_demo(tmp_path / "cancelled.salesplan")
    window._demo_progress.canceled.emit()
    qtbot.waitUntil(lambda: window.runner.running("demo") is None, timeout=60_000)
    assert not window.document.is_open
    assert list(tmp_path.iterdir()) == []


def test_view_help_and_quit_actions(window: MainWindow, demo_path: Path, qtbot,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    open_in(window, qtbot, demo_path)
    window.panel_actions[1].trigger()
    assert window.current_panel() is window.panels[1]
    assert window.panel_actions[1].isChecked() and not window.panel_actions[0].isChecked()
    window.scheme_actions["dark"].trigger()
    assert settings.COLOUR_SCHEME.get() == "dark"
    window.scheme_actions["system"].trigger()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.informativeText()))
    window.action_about.trigger()
    assert shown and "PySide6" in shown[0] and "SQLite" in shown[0]
    with qtbot.waitSignal(window.plan_closed):
        window.action_quit.trigger()
    assert not window.isVisible() and not window.document.is_open


def test_system_scheme_follows_the_desktop(window: MainWindow, qtbot,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import salesplanner.ui.theme as theme

    settings.COLOUR_SCHEME.set("system")
    monkeypatch.setattr(theme, "system_is_dark", lambda: True)
    window._on_color_scheme_changed(Qt.ColorScheme.Dark)
    qtbot.wait(20)
    assert window.palette().window().color().lightness() < 80
    settings.COLOUR_SCHEME.set("light")
    monkeypatch.setattr(theme, "system_is_dark", lambda: False)
    window._on_color_scheme_changed(Qt.ColorScheme.Light)  # an explicit choice is kept
    qtbot.wait(20)
    assert window.palette().window().color().lightness() < 80
    window.set_colour_scheme("light")


def test_overview_shows_the_quarter_against_its_targets(window: MainWindow, demo_path: Path,
                                                        qtbot) -> None:
    from salesplanner.analysis.performance import performance
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.targets import scenarios
    from salesplanner.targets.proposal import TargetSettings, propose

    with PlanFile.open(demo_path) as plan:
        saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
            measure="sales", growth=0.05, guardrails=(-0.5, 1.0))))
        scenarios.set_status(plan, saved.detail["scenario_id"], "published")
        centre = performance(plan, "sales", "qtd").centre
    open_in(window, qtbot, demo_path)
    overview = window.current_panel()
    qtbot.waitUntil(lambda: bool(overview.glances), timeout=15_000)
    [glance] = overview.glances
    assert (glance.actual, glance.target_to_date) == (centre.actual, centre.target_to_date)
    text = overview.glance.text()
    assert f"Sales: {centre.actual:,.0f} to " in text and f"({centre.attainment:.0%})" in text
    assert "(published)" in text
    screenshot(window, "overview-quarter")


def test_foreign_journal_is_set_aside_and_the_banner_says_so(window: MainWindow, demo_path: Path,
                                                             tmp_path: Path, qtbot) -> None:
    """A plan mailed with another plan's journal opens as saved, and says what was done."""
    other = tmp_path / "other" / "other.salesplan"
    other.parent.mkdir()
    PlanFile.create(other, name="Other", quarter="2027-Q1").close()
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA cache_size = 2")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO team (code, name) VALUES (?, ?)",
                     [(f"X{i}", "x" * 300) for i in range(600)])
    Path(f"{demo_path}-journal").write_bytes(Path(f"{other}-journal").read_bytes())
    conn.execute("ROLLBACK")
    conn.close()
    before = digest(demo_path)
    open_in(window, qtbot, demo_path)
    assert window.banner.isVisible()
    assert "did not belong to it" in window.banner.text()
    assert not window.document.read_only
    screenshot(window, "foreign_journal_banner")
    window.close_plan()
    assert digest(demo_path) == before
    assert [p.name for p in demo_path.parent.iterdir() if "set-aside" in p.name]


@pytest.mark.parametrize("repair", [False, True], ids=["declined", "repaired"])
def test_planted_trigger_is_refused_and_repair_offered(window: MainWindow, demo_path: Path,
                                                      tmp_path: Path, qtbot,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      repair: bool) -> None:
    conn = sqlite3.connect(demo_path)
    conn.execute("CREATE TRIGGER t AFTER UPDATE ON plan BEGIN DELETE FROM sale; END")
    conn.commit()
    sales = conn.execute("SELECT count(*) FROM sale").fetchone()[0]
    conn.close()
    before = digest(demo_path)
    shown: list[str] = []
    monkeypatch.setattr(main_window_module, "ask_to_repair",
                        lambda parent, text: shown.append(text) or repair)
    copy = tmp_path / "copy.salesplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    if repair:
        with qtbot.waitSignal(window.plan_opened, timeout=20_000):
            window.open_plan(demo_path)
        assert window.document.plan.source_path == copy
        assert window.document.info.counts["sale"] == sales
        assert "Repaired into copy.salesplan" in window.statusBar().currentMessage()
    else:
        with qtbot.waitSignal(window.open_failed, timeout=10_000):
            window.open_plan(demo_path)
        assert not window.document.is_open and not copy.exists()
    assert len(shown) == 1 and "never writes: trigger 't' on 'plan'" in shown[0]
    assert digest(demo_path) == before


def test_repair_offer_dialog(qtbot) -> None:
    from PySide6.QtCore import QTimer

    from salesplanner.ui.dialogs import ask_to_repair

    def press() -> None:
        box = QApplication.activeModalWidget()
        screenshot(box, "repair_offer")
        next(b for b in box.buttons() if "Repair" in b.text()).click()

    QTimer.singleShot(200, press)
    assert ask_to_repair(None, "x.salesplan: the plan holds things Sales Planner never writes: "
                               "trigger 'wipe' on 'coaching_note'. Another program may have "
                               "altered it, so nothing in it was run and nothing was changed")


def test_name_is_asked_once_and_recorded_on_changes(qtbot, demo_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from salesplanner import identity
    from salesplanner.metrics import add_metric

    monkeypatch.delenv(identity.ENV_VAR)
    asked: list[str] = []
    monkeypatch.setattr(main_window_module, "ask_name",
                        lambda parent, current: asked.append(current) or "Ann Smith")
    try:
        first = MainWindow(JobRunner())
        qtbot.addWidget(first)
        qtbot.waitUntil(lambda: asked == [identity.system_account() or "Sales Planner"])
        assert settings.USER_NAME.get() == "Ann Smith" and identity.actor() == "Ann Smith"
        second = MainWindow(JobRunner())  # the next start does not ask again
        qtbot.addWidget(second)
        QApplication.processEvents()
        assert len(asked) == 1
        with PlanFile.open(demo_path) as plan:
            add_metric(plan, "calls_per_order", "calls / orders")
            with plan.connect() as conn:
                assert conn.execute("SELECT who FROM audit_event ORDER BY id DESC").fetchone() \
                    == ("Ann Smith",)
        first.action_your_name.trigger()  # Edit > Your Name... asks again when chosen
        assert len(asked) == 2
    finally:
        identity.set_actor(None)


def test_name_dialog(qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QInputDialog

    from salesplanner.ui.dialogs import ask_name

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QInputDialog) and box.textValue() == "jdoe"
        box.setTextValue("  Ann\tSmith ")
        screenshot(box, "your_name")
        box.accept()

    QTimer.singleShot(200, answer)
    assert ask_name(None, "jdoe") == "Ann Smith"
