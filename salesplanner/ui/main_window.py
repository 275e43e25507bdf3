"""The main window: the composition root of the interface.

It wires the document (the open plan), the panels from the registry, the
menus and toolbar (built by :mod:`salesplanner.ui.menus`), the status bar
and the per-user settings. It holds no business logic: every action calls
the document or a panel.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication, QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox,
    QProgressDialog, QStackedWidget, QVBoxLayout, QWidget,
)

from salesplanner import APP_NAME, identity
from salesplanner.changes import OpResult
from salesplanner.errors import AlteredPlan, UserError
from salesplanner.recent_files import RecentFiles
from salesplanner.storage.plan_file import PLAN_SUFFIX
from salesplanner.ui import settings
from salesplanner.ui.dialogs import NewPlanDialog, ask_name, ask_to_repair
from salesplanner.ui.formatting import elide
from salesplanner.ui.document import PlanDocument
from salesplanner.ui.icons import icon
from salesplanner.ui.jobs import JobRunner
from salesplanner.ui.menus import WindowMenus
from salesplanner.ui.panels import PANELS, Panel, PanelContext
from salesplanner.ui.theme import apply_scheme
from salesplanner.ui.welcome import WelcomePage

if TYPE_CHECKING:
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from salesplanner.export.plan_workbook import ExportOptions, ExportResult
    from salesplanner.jobs import JobToken
    from salesplanner.storage.repair import RepairReport
    from salesplanner.ui.document import PreparedPlan
    from salesplanner.ui.import_wizard import ImportWizard
    from salesplanner.ui.jobs import Job

PLAN_FILTER = f"Sales plans (*{PLAN_SUFFIX});;All files (*)"


class MainWindow(WindowMenus, QMainWindow):
    """The program's window.

    Signals:
        plan_opened(str): a plan was opened and is shown (its path).
        plan_closed(): the plan was closed.
        open_failed(str): a plan could not be opened (the message shown).
    """

    plan_opened = Signal(str)
    plan_closed = Signal()
    open_failed = Signal(str)

    def __init__(self, runner: JobRunner | None = None) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setWindowIcon(icon("app"))
        self.runner = runner or JobRunner(self)
        self.document = PlanDocument(self, self.runner)
        self.recent = RecentFiles(settings.RECENT_FILES.get())
        #: Shown in the status bar when the next open finishes, instead of "Opened ...".
        self._opened_message = ""
        # Who the audit trail names: the name asked for once (see identity.py).
        identity.set_actor(settings.USER_NAME.get() or None)
        if not settings.USER_NAME.get() and not os.environ.get(identity.ENV_VAR):
            QTimer.singleShot(0, self.ask_user_name)
        self.context = PanelContext(self.document, self.runner, self.show_message,
                                    self.open_import_wizard, self.run_export)
        self.import_wizard: ImportWizard | None = None
        self.document.changed.connect(self._on_document_changed)
        self.document.write_failed.connect(self._on_document_write_failed)
        self.document.undo_stack.cleanChanged.connect(lambda _clean: self._update_title())

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Plan notice")
        self.banner.setStyleSheet("#banner { background: #fff4ce; color: #5c4400; padding: 8px 12px;"
                                  " border-bottom: 1px solid #e0c060; }")
        self.banner.hide()

        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Panels")
        self.sidebar.setIconSize(QSize(22, 22))
        self.sidebar.setFixedWidth(self.fontMetrics().averageCharWidth() * 16 + 40)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_current_row_changed)
        self.stack = QStackedWidget()
        self.welcome = WelcomePage(self)
        self.stack.addWidget(self.welcome)
        self.panels: list[Panel] = []
        for panel_class in PANELS:
            panel = panel_class(self.context)
            self.panels.append(panel)
            self.stack.addWidget(panel)
            item = QListWidgetItem(panel.title)
            item.setSizeHint(QSize(0, self.fontMetrics().height() + 18))
            self.sidebar.addItem(item)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.banner)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        # Owned by the window, so it cannot fire after the window is gone.
        self._plain_status_timer = QTimer(self, singleShot=True)
        self._plain_status_timer.timeout.connect(lambda: self.statusBar().setStyleSheet(""))
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Plan summary")
        self.statusBar().addPermanentWidget(self.summary_label)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        # Undo and redo wait while a change is being saved: its own command
        # reaches the stack only when it is saved, so an undo meanwhile would
        # take back the change before it.
        stack = self.document.undo_stack
        for changed in (stack.canUndoChanged, stack.canRedoChanged, self.runner.writing_changed):
            changed.connect(lambda *_a: self._sync_undo_actions())
        self._apply_icons()
        self._restore_settings()
        self._show_plan_state()
        # Follow the desktop when it switches between light and dark.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    # -- help -------------------------------------------------------------------------

    def show_targets_help(self) -> None:
        """The target method in a manager's words (the statistics in a footnote)."""
        from salesplanner.targets.explained import HOW_TARGETS_ARE_SET
        from salesplanner.ui.dialogs import show_help

        self._help = show_help(self, "How targets are set", HOW_TARGETS_ARE_SET)

    # -- plan lifecycle -------------------------------------------------------------

    def open_plan(self, path: str | Path, read_only: bool = False) -> None:
        """Open ``path`` in a worker; the window stays responsive meanwhile.

        ``plan_opened`` or ``open_failed`` says how it ended.
        """
        path = Path(path)
        if self.document.is_open_at(path) and not read_only:
            self.show_message(f"{path.name} is already open")
            self.plan_opened.emit(str(self.document.plan.source_path))
            return
        self.show_message(f"Opening {path.name}\u2026")
        self.runner.start("open-plan", lambda token: self.document.prepare_open(path, read_only),
                          on_done=self._on_open_prepared, on_error=self._on_open_error)

    def _on_open_prepared(self, prepared: PreparedPlan) -> None:
        if self.document.is_open:  # views of the old plan let go first
            for panel in self.panels:
                panel.on_plan_closed()
            self.runner.cancel_all()
            self.finish_writes()
        self.document.adopt(prepared)
        settings.LAST_FOLDER.set(str(self.document.plan.source_path.parent))
        self.recent.add(self.document.plan.source_path)
        settings.RECENT_FILES.set(self.recent.paths())
        self._render_recent_menu()
        for panel in self.panels:
            panel.on_plan_opened()
        self._show_plan_state()
        # The panel last used on this same plan; any other plan opens on the Overview.
        same = settings.CURRENT_PANEL_PLAN.get() == str(self.document.plan.source_path)
        wanted = settings.CURRENT_PANEL.get() if same else ""
        titles = [p.title for p in self.panels]
        self.show_panel(titles.index(wanted) if wanted in titles else 0)
        info = self.document.info
        message = self._opened_message or f"Opened {elide(info.name, 80)}"
        self._opened_message = ""
        if self.document.plan.migrated_from is not None:
            message += (f" (upgraded from format {self.document.plan.migrated_from}; "
                        f"the original is kept as {self.document.plan.backup_path.name})")
        self.show_message(message)
        self.plan_opened.emit(str(self.document.plan.source_path))

    def _on_open_error(self, error: BaseException, trace: str) -> None:
        self.show_message("")
        if isinstance(error, AlteredPlan):
            self.open_failed.emit(str(error))
            if ask_to_repair(self, str(error)):
                self.repair_dialog(Path(error.path))
            return
        if isinstance(error, UserError):
            QMessageBox.warning(self, "Cannot open plan", str(error))
            self.open_failed.emit(str(error))
            return
        self.report_bug(error, trace)
        self.open_failed.emit(str(error))

    def _sync_undo_actions(self) -> None:
        stack, writing = self.document.undo_stack, self.runner.writing
        self.action_undo.setEnabled(stack.canUndo() and not writing)
        self.action_redo.setEnabled(stack.canRedo() and not writing)

    def finish_writes(self) -> None:
        """Let every change asked for reach the plan before it is closed or
        replaced (a change is never dropped, nor run on a closed plan)."""
        if not self.runner.writing:
            return
        self.show_message("Saving the last change\u2026")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.runner.finish_writes()
        finally:
            QApplication.restoreOverrideCursor()
        self.show_message("")

    def close_plan(self) -> None:
        """Close the open plan, if any."""
        if not self.document.is_open:
            return
        # Views let go first, then running jobs stop, then the file closes.
        for panel in self.panels:
            panel.on_plan_closed()
        self.finish_writes()
        self.runner.wait(5_000)
        self.document.close()
        self._show_plan_state()
        self.plan_closed.emit()

    def new_plan(self) -> None:
        """Ask for a name, quarter and currency, then where to save the new plan."""
        dialog = NewPlanDialog(self)
        if dialog.exec() != NewPlanDialog.DialogCode.Accepted:
            return
        name, quarter, cur = dialog.values()
        folder = settings.LAST_FOLDER.get() or str(Path.home())
        suggested = str(Path(folder) / f"{name}{PLAN_SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self, "Create plan", suggested, PLAN_FILTER)
        if not path:
            return
        self.create_plan(path, name, quarter, cur)

    def create_plan(self, path: str | Path, name: str, quarter: str, cur: str) -> None:
        """Create a plan file and open it."""
        path = Path(path)
        if path.suffix != PLAN_SUFFIX:
            path = path.with_name(path.name + PLAN_SUFFIX)
        try:
            from salesplanner.storage.plan_file import PlanFile

            if path.exists():
                path.unlink()  # the save dialog already asked to replace it
            PlanFile.create(path, name=name, quarter=quarter, currency=cur).close()
        except UserError as exc:
            QMessageBox.warning(self, "Cannot create plan", str(exc))
            return
        self.open_plan(path)

    def create_demo_plan(self) -> None:
        """Ask where, then write the demo plan in a worker with progress and cancel."""
        folder = settings.LAST_FOLDER.get() or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(
            self, "Create demo plan", str(Path(folder) / f"Demo{PLAN_SUFFIX}"), PLAN_FILTER)
        if path:
            self.write_demo(path)

    def write_demo(self, path: str | Path) -> None:
        """Write a demo plan to ``path`` (replacing it) and open it."""
        from salesplanner.demo import DemoOptions, generate_demo

        path = Path(path)
        if path.suffix != PLAN_SUFFIX:
            path = path.with_name(path.name + PLAN_SUFFIX)
        progress = self._progress_dialog("Demo plan", "Writing the demo plan\u2026")
        job = self.runner.start(
            "demo", lambda token: generate_demo(path, DemoOptions(), token, overwrite=True),
            on_done=lambda _summary: (progress.close(), self.open_plan(path)),
            on_error=lambda error, trace: (progress.close(), self._on_job_error(error, trace)),
            on_progress=lambda fraction, text: (progress.setValue(int(fraction * 100)),
                                                progress.setLabelText(text.capitalize())),
            on_cancelled=lambda: (progress.close(), self.show_message("Demo plan cancelled")))
        # QProgressDialog.cancel() does not emit canceled(): cancel the job on the signal.
        progress.canceled.connect(job.cancel)
        self._demo_progress = progress

    def _progress_dialog(self, title: str, text: str) -> QProgressDialog:
        """A progress dialog for a job: shown after 300 ms, closed by the job's end."""
        progress = QProgressDialog(text, "Cancel", 0, 100, self)
        progress.setWindowTitle(title)
        progress.setMinimumDuration(300)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        return progress

    def export_dialog(self) -> None:
        """Ask where and what, then export the plan workbook."""
        from salesplanner.ui.export_dialog import ExportDialog

        if not self.document.is_open:
            return
        source = self.document.plan.source_path
        folder = Path(settings.LAST_EXPORT_FOLDER.get() or source.parent)
        dialog = ExportDialog(folder / f"{source.stem}.xlsx", self)
        if dialog.exec() == ExportDialog.DialogCode.Accepted:
            path, options = dialog.values()
            settings.LAST_EXPORT_FOLDER.set(str(path.parent))
            self.export_workbook(path, options)

    def export_workbook(self, path: str | Path, options: ExportOptions | None = None) -> Job:
        """Export the plan workbook to ``path`` in a worker, with progress and cancel."""
        from salesplanner.export.plan_workbook import export_plan

        plan = self.document.plan
        return self.run_export(lambda token: export_plan(plan, path, options, token))

    def run_export(self, work: Callable[[JobToken], ExportResult]) -> Job:
        """Run ``work(token)`` (an export returning an ``ExportResult``) in a worker,
        with a progress dialog that cancels it; say what was written."""
        progress = self._progress_dialog("Export to Excel", "Exporting to Excel\u2026")

        def done(result: ExportResult) -> None:
            progress.close()
            self.show_message(result.message)

        job = self.runner.start(
            "export", work,
            on_done=done,
            on_error=lambda error, trace: (progress.close(), self._on_job_error(error, trace)),
            on_progress=lambda fraction, text: (progress.setValue(int(fraction * 100)),
                                                progress.setLabelText(text.capitalize())),
            on_cancelled=lambda: (progress.close(), self.show_message(
                "Export cancelled; no workbook was written")))
        progress.canceled.connect(job.cancel)
        self._export_progress = progress
        return job

    def _on_document_write_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.show_message(str(error), error=True)
        else:
            self.report_bug(error, trace)

    def _on_job_error(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            QMessageBox.warning(self, APP_NAME, str(error))
        else:
            self.report_bug(error, trace)

    def save_as(self, path: str | Path) -> None:
        """Copy the plan to ``path`` and continue working on the copy."""
        try:
            self.document.save_as(path)
        except UserError as exc:
            QMessageBox.warning(self, "Cannot save a copy", str(exc))
            return
        self.recent.add(path)
        settings.RECENT_FILES.set(self.recent.paths())
        for panel in self.panels:
            panel.on_plan_opened()
        self._show_plan_state()
        self.show_message(f"Saved a copy as {Path(path).name}; you are now working on it")

    def ask_user_name(self) -> None:
        """Ask the name the plan records beside the user's changes (once; Edit > Your Name)."""
        current = settings.USER_NAME.get() or identity.actor()
        name = ask_name(self, current)
        if name is None:
            if not settings.USER_NAME.get():  # asked once: the default stands
                settings.USER_NAME.set(current)
            return
        settings.USER_NAME.set(name)
        identity.set_actor(name)
        self.show_message(f"Your changes are recorded as {name}")

    def repair_dialog(self, source: Path) -> None:
        """Ask where to put a repaired copy of the refused plan ``source``, then make it."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the repaired copy as",
            str(source.with_name(source.stem + " repaired" + PLAN_SUFFIX)), PLAN_FILTER)
        if path:
            if not path.endswith(PLAN_SUFFIX):
                path += PLAN_SUFFIX
            self.repair_plan(source, Path(path))

    def repair_plan(self, source: Path, target: Path) -> None:
        """Copy what can be trusted of ``source`` into ``target`` in a worker, then open it.

        ``target`` is replaced if it exists (the save dialog has asked).
        """
        from salesplanner.storage.repair import repair

        def done(report: RepairReport) -> None:
            skipped = sum(report.skipped.values()) + sum(report.orphans.values())
            self._opened_message = (
                f"Repaired into {target.name}: {skipped:,} rows left out, "
                f"{len(report.left_behind)} planted or unknown things left behind")
            self.open_plan(target)

        self.show_message(f"Repairing {source.name}\u2026")
        self.runner.start("repair-plan",
                          lambda token: repair(source, target, token=token, overwrite=True),
                          on_done=done, on_error=self._on_open_error)

    def open_dialog(self) -> None:
        """Ask for a plan file and open it."""
        folder = settings.LAST_FOLDER.get()
        path, _ = QFileDialog.getOpenFileName(self, "Open plan", folder, PLAN_FILTER)
        if path:
            self.open_plan(path)

    def _on_save_as_triggered(self) -> None:
        if not self.document.is_open:
            return
        current = self.document.plan.source_path
        path, _ = QFileDialog.getSaveFileName(
            self, "Save plan as", str(current.with_name(current.stem + " copy" + PLAN_SUFFIX)),
            PLAN_FILTER)
        if path:
            if not path.endswith(PLAN_SUFFIX):
                path += PLAN_SUFFIX
            self.save_as(path)

    # -- showing state ----------------------------------------------------------------

    def show_panel(self, row: int) -> None:
        """Bring panel ``row`` of the side bar to the front."""
        if not self.document.is_open or not 0 <= row < len(self.panels):
            return
        self.sidebar.setCurrentRow(row)
        # The same row as before a plan was closed sends no currentRowChanged,
        # and the welcome page would stay in front of the reopened plan.
        if self.stack.currentWidget() is not self.panels[row]:
            self._on_sidebar_current_row_changed(row)

    def current_panel(self) -> Panel | None:
        """The panel in front, if a plan is open."""
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Panel) else None

    def _on_sidebar_current_row_changed(self, row: int) -> None:
        if not self.document.is_open or row < 0:
            return
        self.stack.setCurrentWidget(self.panels[row])
        for i, action in enumerate(self.panel_actions):
            action.setChecked(i == row)
        settings.CURRENT_PANEL.set(self.panels[row].title)
        settings.CURRENT_PANEL_PLAN.set(str(self.document.plan.source_path))

    def _show_plan_state(self) -> None:
        is_open = self.document.is_open
        writable = is_open and not self.document.read_only
        self.sidebar.setVisible(is_open)
        for action in self.panel_actions:
            action.setEnabled(is_open)
        self.action_save_as.setEnabled(is_open)
        self.action_export.setEnabled(is_open)
        self.action_close.setEnabled(is_open)
        self.action_import.setEnabled(writable)
        if not writable:
            self.document.undo_stack.clear()
        self.action_undo.setVisible(True)
        if not is_open:
            self.stack.setCurrentWidget(self.welcome)
            self.sidebar.clearSelection()
        reason = self.document.read_only_reason if is_open else ""
        notice = self.document.plan.notice if is_open else ""
        lines = ([f"Read-only: {reason}."] if reason else []) + \
            ([f"On opening, {notice}."] if notice else [])
        self.banner.setText("\n".join(lines))
        self.banner.setVisible(bool(lines))
        self._update_summary()
        self._update_title()

    def _update_title(self) -> None:
        if not self.document.is_open:
            self.setWindowTitle(APP_NAME)
            return
        info = self.document.info
        suffix = " [read-only]" if self.document.read_only else ""
        self.setWindowTitle(f"{elide(info.name, 80)} \u2014 {elide(Path(info.path).name, 80)}"
                            f"{suffix} \u2014 {APP_NAME}")

    def _update_summary(self) -> None:
        info = self.document.info
        if info is None:
            self.summary_label.setText("No plan open")
            return
        self.summary_label.setText(
            f"{info.quarter} \u00b7 {info.teams:,} teams \u00b7 {info.agents:,} agents \u00b7 "
            f"{info.counts.get('sale', 0):,} sale lines \u00b7 {info.counts.get('call', 0):,} calls"
            f" \u00b7 {info.status.replace('_', ' ')}")
        # Messages share the status bar; the summary keeps its full width.
        self.summary_label.setMinimumWidth(self.summary_label.sizeHint().width())

    def show_message(self, text: str, error: bool = False) -> None:
        """A message in the status bar; refusals stay longer and are marked."""
        if error:
            text = text[:1].upper() + text[1:]
            self.statusBar().setStyleSheet("QStatusBar { color: #b3261e; }")
            self.statusBar().showMessage(f"\u26a0 {text}", 12_000)
            self._plain_status_timer.start(12_000)
        else:
            self.statusBar().setStyleSheet("")
            self.statusBar().showMessage(text, 6_000)

    def _on_document_changed(self, result: OpResult, initiator: object) -> None:
        for panel in self.panels:
            panel.on_plan_changed(result, initiator)
        self._update_summary()

    def set_colour_scheme(self, scheme: str) -> None:
        """Switch between the system, light and dark schemes (and remember it)."""
        apply_scheme(scheme)
        settings.COLOUR_SCHEME.set(scheme)
        self.scheme_actions[scheme].setChecked(True)
        self._apply_icons()

    def _on_color_scheme_changed(self, _scheme: object) -> None:
        if settings.COLOUR_SCHEME.get() == "system":
            apply_scheme("system")
            self._apply_icons()

    def report_bug(self, error: BaseException, trace: str | None = None) -> None:
        """An unexpected error: say so, with the details available to copy."""
        box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error",
                          f"Something went wrong that Sales Planner did not expect:\n\n{error}\n\n"
                          "Your plan is safe: every change made before this was saved.",
                          parent=self)
        box.setDetailedText(trace or "".join(traceback.format_exception(error)))
        box.exec()

    # -- settings, drag and drop, closing ------------------------------------------

    def _restore_settings(self) -> None:
        geometry = settings.WINDOW_GEOMETRY.get()
        if geometry.isEmpty():
            screen = self.screen().availableGeometry()
            self.resize(min(1280, int(screen.width() * 0.92)),
                        min(800, int(screen.height() * 0.9)))
        else:
            self.restoreGeometry(geometry)
        state = settings.WINDOW_STATE.get()
        if not state.isEmpty():
            self.restoreState(state)
        scheme = settings.COLOUR_SCHEME.get()
        self.scheme_actions.get(scheme, self.scheme_actions["system"]).setChecked(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept a dragged plan file, or a data file while a plan is open for editing."""
        if self._dropped_plan(event) is not None or self._dropped_data(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Open a dropped plan file; start importing a dropped data file."""
        path = self._dropped_plan(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_plan(path)
            return
        data = self._dropped_data(event)
        if data is not None:
            event.acceptProposedAction()
            self.open_import_wizard(data)

    def _dropped_data(self, event: QDropEvent) -> str | None:
        from salesplanner.importing.reading import SOURCE_SUFFIXES

        if not self.document.is_open or self.document.read_only:
            return None
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            if url.isLocalFile() and url.toLocalFile().lower().endswith(SOURCE_SUFFIXES):
                return url.toLocalFile()
        return None

    def open_import_wizard(self, path: str | Path | None = None) -> ImportWizard | None:
        """Show the import wizard (on ``path`` if given); returns it."""
        from salesplanner.ui.import_wizard import ImportWizard

        if not self.document.is_open or self.document.read_only:
            self.show_message("Open a plan you can edit to import data into it", error=True)
            return None
        if self.import_wizard is not None:
            self.import_wizard.close()
        wizard = ImportWizard(self.document, self.runner, path, self,
                              show_message=self.show_message, report_bug=self.report_bug)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.destroyed.connect(lambda *_a: setattr(self, "import_wizard", None))
        self.import_wizard = wizard
        wizard.show()
        return wizard

    @staticmethod
    def _dropped_plan(event: QDropEvent) -> str | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            if url.isLocalFile() and url.toLocalFile().endswith(PLAN_SUFFIX):
                return url.toLocalFile()
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the window's state, stop workers and release the plan."""
        settings.WINDOW_GEOMETRY.set(self.saveGeometry())
        settings.WINDOW_STATE.set(self.saveState())
        self.runner.wait(5_000)
        self.close_plan()
        super().closeEvent(event)

