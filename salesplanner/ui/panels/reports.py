"""The Reports panel: define a report, preview it on the plan, export it to Excel.

On the left the plan's reports; on the right the definition being edited
(name, measures in the order ticked and dragged, grouping, period, who it
is for and how often) and, under it, a live preview worked out in a worker
from the definition as it stands, saved or not. Saving and removing go
through the undo stack; Export writes the report as previewed through the
same export job as File > Export to Excel.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QFileDialog, QFormLayout, QGridLayout, QHBoxLayout,
    QHeaderView,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QSplitter,
    QTableView, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.metrics import format_value, registry
from salesplanner.inputs import PERIOD_NAMES
from salesplanner.reports import (
    AUDIENCE_LENGTH, FREQUENCIES, GROUPINGS, NAME_LENGTH, MeasureFigures, Report, ReportResult,
    check_report, check_save, list_reports, remove_report, run_report, save_report, undo,
)
from salesplanner.ui import settings
from salesplanner.ui.formatting import RAG_COLOURS
from salesplanner.ui.panels.base import Panel, PanelContext
from salesplanner.ui.columns import RIGHT, Column, Columns, natural, number, ranked, \
    sort_by_header
from salesplanner.ui.row_models import Index, RowTableModel
from salesplanner.ui.typography import HEADING, emphasise

#: Offered in the audience box (anything else may be typed).
AUDIENCES = ("Team leaders", "Head of sales", "Agents", "Operations director", "Finance")
CUSTOM = "custom"
TOTAL = "total"
#: Wait this long after the last change before working the preview out.
PREVIEW_DELAY_MS = 300


class ReportModel(RowTableModel):
    """The report's rows, then its total row: one column per figure.

    Records are row positions in the result, then :data:`TOTAL`; columns
    are the grouping, the agent's name and team (agents only), then each
    figure, keyed ``<measure code>:<part>``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.result: ReportResult | None = None
        #: Figure column key -> (part, figures), for colouring.
        self._parts: dict[str, tuple[str, MeasureFigures]] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_result(self, result: ReportResult | None) -> None:
        """Show ``result`` (None: nothing)."""
        self.result = result
        if result is None:
            self._parts = {}
            self.set_columns(Columns())
            return
        self._parts = {f"{figures.measure.code}:{part}": (part, figures)
                       for _header, part, figures, _unit in result.columns()}
        self.set_columns(Columns(*_describe(result)), range(len(result.keys)), [TOTAL])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' roles; RAG in colour; the total in bold."""
        if self.result is None or not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if row == TOTAL else None
        if role == Qt.ItemDataRole.ForegroundRole:
            part, figures = self._parts.get(self.columns[index.column()].key, (None, None))
            if part not in ("rag", "attainment"):
                return None
            rag = figures.total_rag if row == TOTAL else figures.rag[row]
            colour = RAG_COLOURS.get(rag or "")
            return QColor(colour) if colour else None
        return super().data(index, role)


def _describe(result: ReportResult) -> list[Column]:
    """The columns of a report's preview."""
    def label(row: int | str) -> str:
        return result.total_label if row == TOTAL else result.label(row)  # type: ignore[arg-type]  # a row, the total ruled out

    columns = [Column("group", result.group_header,
                      lambda row: None if row == TOTAL else result.keys[row], sort=natural,
                      text=label)]
    if result.names:
        columns += [Column("name", "Name", lambda row: "" if row == TOTAL else result.names[row]),
                    Column("team", "Team", lambda row: "" if row == TOTAL else result.teams[row])]
    for header, part, figures, unit in result.columns():
        columns.append(_figure(header, part, figures, unit, result.currency))
    return columns


def _figure(header: str, part: str, figures: MeasureFigures, unit: str,
            currency: str) -> Column:
    def value(row: int | str) -> object:
        return figures.total(part) if row == TOTAL else figures.value(part, row)  # type: ignore[arg-type]  # a row, the total ruled out

    def show(value: object) -> str:
        if value is None:
            return ""
        if part == "rag":
            return str(value).capitalize()
        return format_value(float(value), unit, currency)  # type: ignore[arg-type]  # a figure

    return Column(f"{figures.measure.code}:{part}", header, value, show,
                  ranked("red", "amber", "green") if part == "rag" else number, RIGHT)


class ReportCommand(QUndoCommand):
    """A report saved, changed or removed; undo puts the definitions back.

    Pushed after the operation succeeded, so the first redo does nothing."""

    def __init__(self, panel: ReportsPanel, result: OpResult, text: str) -> None:
        super().__init__(text)
        self.panel, self.result = panel, result
        self._done = True

    def redo(self) -> None:
        """Make the change again."""
        if self._done:
            self._done = False
            return
        self._replay()

    def undo(self) -> None:
        """Put back what was there."""
        self._replay()

    def _replay(self) -> None:
        plan = self.panel.document.plan

        def replay(_token: object) -> OpResult:
            # On the write thread, so a replay queued behind this one reads its result.
            self.result = undo(plan, self.result)
            return self.result

        self.panel.write(self.text(), replay, undoing=True)


class ReportsPanel(Panel):
    """The plan's report definitions, a live preview, and export to Excel."""

    title = "Reports"
    icon = "reports"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        left = self._build_report_list()
        period_row = self._build_inputs()
        editor = self._build_editor(period_row)
        preview = self._build_preview()
        self._lay_out(left, editor, preview)
        self._build_preview_timer()
        self._connect_editor()
        #: The stored name of the report in the editor (None: a new one).
        self.editing: str | None = None
        #: The definition as loaded into the editor (to tell whether it was changed).
        self._loaded: Report | None = None
        self._loading = False

    def _build_report_list(self) -> QWidget:
        """The plan's reports, with New, Duplicate and Remove under them."""
        self.reports = QListWidget()
        self.reports.setAccessibleName("Reports")
        self.reports.currentItemChanged.connect(lambda *_a: self._on_report_chosen())
        self.new_button = QPushButton("&New")
        self.copy_button = QPushButton("Du&plicate")
        self.remove_button = QPushButton("Remo&ve")
        self.new_button.setToolTip("Start a new report (saved when you press Save)")
        self.new_button.clicked.connect(self.new_report)
        self.copy_button.clicked.connect(self.duplicate)
        self.remove_button.clicked.connect(self.remove)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.reports, 1)
        buttons = QGridLayout()  # two rows keep the list narrow
        buttons.addWidget(self.new_button, 0, 0)
        buttons.addWidget(self.copy_button, 0, 1)
        buttons.addWidget(self.remove_button, 1, 1)
        left_layout.addLayout(buttons)
        return left

    def _build_inputs(self) -> QHBoxLayout:
        """The definition's fields; returns the period with its two dates."""
        self.name = QLineEdit()
        self.name.setAccessibleName("Report name")
        self.name.setPlaceholderText("e.g. Weekly team review")
        self.name.setMaxLength(NAME_LENGTH)
        self.measures = QListWidget()
        self.measures.setAccessibleName("Measures")
        self.measures.setToolTip("Tick the measures to show; drag them into the order wanted")
        self.measures.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.measures.setMinimumWidth(150)
        self.grouping = QComboBox()
        self.grouping.setAccessibleName("Grouped by")
        for key, text in GROUPINGS.items():
            self.grouping.addItem(text, key)
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        for key, text in PERIOD_NAMES.items():
            self.period.addItem(text, key)
        self.period.addItem("Dates\u2026", CUSTOM)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit, name in ((self.date_from, "From"), (self.date_to, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setAccessibleName(name)
            edit.setVisible(False)
        period_row = QHBoxLayout()
        period_row.addWidget(self.period, 1)
        period_row.addWidget(self.date_from)
        period_row.addWidget(self.date_to)
        self.audience = QComboBox()
        self.audience.setEditable(True)
        self.audience.setAccessibleName("For")
        self.audience.addItems(AUDIENCES)
        self.audience.lineEdit().setPlaceholderText("who receives it")
        self.audience.lineEdit().setMaxLength(AUDIENCE_LENGTH)
        self.frequency = QComboBox()
        self.frequency.setAccessibleName("How often")
        for key, text in FREQUENCIES.items():
            self.frequency.addItem(text, key)
        return period_row

    def _build_editor(self, period_row: QHBoxLayout) -> QWidget:
        """The fields in a form beside the measures, with Save and Export under them."""
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b")
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.export_button = QPushButton("&Export to Excel\u2026")
        self.save_button.clicked.connect(self.save)
        self.export_button.clicked.connect(self.export_dialog)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Grouped by:", self.grouping)
        period_label = QLabel("&Period:")
        period_label.setBuddy(self.period)
        form.addRow(period_label, period_row)
        form.addRow("&For:", self.audience)
        form.addRow("&How often:", self.frequency)
        actions = QHBoxLayout()
        actions.addWidget(self.error, 1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.export_button)
        # The measures beside the other fields: the preview keeps the height.
        measures_box = QVBoxLayout()
        measures_label = QLabel("&Measures (tick; drag to order):")
        measures_label.setBuddy(self.measures)
        measures_box.addWidget(measures_label)
        measures_box.addWidget(self.measures, 1)
        fields = QHBoxLayout()
        fields.addLayout(form, 3)
        fields.addLayout(measures_box, 2)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(fields)
        editor_layout.addLayout(actions)
        return editor

    def _build_preview(self) -> QWidget:
        """The preview's title, table and notes."""
        self.preview_title = QLabel()
        self.preview_title.setWordWrap(True)
        self.preview_title.setAccessibleName("Preview")
        self.model = ReportModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Report preview")
        self.table.setModel(self.model)
        sort_by_header(self.table)  # in the report's order until a title is clicked
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.preview_title)
        preview_layout.addWidget(self.table, 1)
        preview_layout.addWidget(self.notes)
        return preview

    def _lay_out(self, left: QWidget, editor: QWidget, preview: QWidget) -> None:
        """Heading and intro over the list beside the editor above the preview."""
        heading = emphasise(QLabel("Reports"), HEADING)
        intro = QLabel("A report is a set of measures, grouped and for a period, that goes to "
                       "someone regularly. Define it once; export it to Excel whenever it "
                       "is due.")
        intro.setWordWrap(True)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(editor)
        right.addWidget(preview)
        right.setStretchFactor(1, 1)
        body = QSplitter()
        body.addWidget(left)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setSizes([190, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(body, 1)

    def _build_preview_timer(self) -> None:
        """The preview follows the editor after a pause, not on every key."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        # Not computed while hidden (it would compete with the panel in view).
        self._timer.timeout.connect(self.refresh_when_shown)

    def _connect_editor(self) -> None:
        """Every edit of the definition marks it changed (and previews it)."""
        self.name.textEdited.connect(lambda _t: self._edited())
        self.audience.editTextChanged.connect(lambda _t: self._edited(preview=False))
        for combo in (self.grouping, self.period, self.frequency):
            combo.activated.connect(lambda _i: self._edited())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self._edited())
        self.measures.itemChanged.connect(lambda _i: self._edited())
        self.measures.model().rowsMoved.connect(lambda *_a: self._edited())

    # -- plan events ------------------------------------------------------------------------

    def on_plan_opened(self) -> None:
        """List the plan's reports and show the first (or a new one)."""
        self.editing = self._loaded = None  # nothing to ask about: a plan (re)opened
        self._fill_measures()
        self._fill_reports()
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's reports."""
        self._timer.stop()
        self.reports.clear()
        self.measures.clear()
        self.model.set_result(None)
        self.preview_title.clear()
        self.notes.clear()
        self.editing = self._loaded = None

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Reports, measures or data changed: list and preview again."""
        if result.touches(changes.METRICS):
            self._fill_measures(self._chosen_measures())
        if result.touches(changes.REPORTS):
            new = result.detail.get("new")
            self._fill_reports(new.name if new is not None else self.editing)
        if result.touches(changes.TARGETS, changes.SALES, changes.CALLS, changes.IMPORTS,
                          changes.METRICS, changes.AGENTS, changes.TEAMS, changes.PRODUCTS):
            self.refresh_when_shown()

    # -- the definition ---------------------------------------------------------------------

    def _fill_measures(self, ticked: list[str] | None = None) -> None:
        self._loading = True
        self.measures.clear()
        measures = registry(self.document.plan)
        ticked = ticked or []
        order = [c for c in ticked if c in measures] + [c for c in measures if c not in ticked]
        for code in order:
            item = QListWidgetItem(measures[code].name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsDragEnabled)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            item.setCheckState(Qt.CheckState.Checked if code in ticked
                               else Qt.CheckState.Unchecked)
            item.setToolTip(f"{measures[code].formula} ({measures[code].unit})")
            self.measures.addItem(item)
        self._loading = False

    def _chosen_measures(self) -> list[str]:
        return [self.measures.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.measures.count())
                if self.measures.item(i).checkState() == Qt.CheckState.Checked]

    def _fill_reports(self, select: str | None = None) -> None:
        reports = list_reports(self.document.plan)
        self._loading = True
        self.reports.clear()
        for report in reports:
            item = QListWidgetItem(report.name)
            item.setData(Qt.ItemDataRole.UserRole, report)
            item.setToolTip(report.describe())
            self.reports.addItem(item)
        self._loading = False
        names = [r.name for r in reports]
        if select in names:
            self.reports.setCurrentRow(names.index(select))
        elif reports:
            self.reports.setCurrentRow(0)
        else:
            self.new_report()

    def _on_report_chosen(self) -> None:
        item = self.reports.currentItem()
        if self._loading or item is None:
            return
        report = item.data(Qt.ItemDataRole.UserRole)
        if report.name != self.editing and not self.may_leave():
            self._select(self.editing)  # stay on the report being edited
            return
        self.show_definition(report)

    def _select(self, name: str | None) -> None:
        """Highlight ``name`` in the list (None: nothing) without loading it."""
        self._loading = True
        names = [self.reports.item(i).text() for i in range(self.reports.count())]
        self.reports.setCurrentRow(names.index(name) if name in names else -1)
        self._loading = False

    def is_modified(self) -> bool:
        """Whether the editor holds changes not saved."""
        return self._loaded is not None and self.definition() != self._loaded

    def may_leave(self) -> bool:
        """True when the definition in the editor may be replaced: nothing
        unsaved, or the manager saved or discarded it (False: cancelled)."""
        if not self.is_modified():
            return True
        name = self.name.text().strip() or "this report"
        answer = QMessageBox.question(
            self, "Unsaved report", f"Save the changes to {name}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Discard:
            return True
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return False

    def show_definition(self, report: Report, stored: bool = True) -> None:
        """Put ``report`` in the editor (and preview it)."""
        self._loading = True
        self.editing = report.name if stored else None
        self.name.setText(report.name)
        self._fill_measures(list(report.measures))
        self.grouping.setCurrentIndex(max(0, self.grouping.findData(report.grouping)))
        custom = report.period not in PERIOD_NAMES
        self.period.setCurrentIndex(self.period.findData(CUSTOM if custom else report.period))
        if custom:
            first, _sep, last = report.period.partition(":")
            self.date_from.setDate(QDate.fromString(first, "yyyy-MM-dd"))
            self.date_to.setDate(QDate.fromString(last, "yyyy-MM-dd"))
        else:
            self._default_dates()
        self.audience.setEditText(report.audience)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(report.frequency)))
        self._loading = False
        self._loaded = self.definition()
        self.remove_button.setEnabled(stored and not self.document.read_only)
        if not stored:
            self._select(None)
        self._edited()

    def _default_dates(self) -> None:
        today = date.today()
        self.date_from.setDate(QDate(today - timedelta(days=28)))  # type: ignore[call-overload]  # PySide6 takes a date; its stubs omit it
        self.date_to.setDate(QDate(today))  # type: ignore[call-overload]  # as above

    def definition(self) -> Report:
        """The report as the editor shows it (not yet checked)."""
        key = self.period.currentData()
        if key == CUSTOM:
            key = (f"{self.date_from.date().toPython().isoformat()}:"  # type: ignore[attr-defined]  # QDate.toPython() is a date
                   f"{self.date_to.date().toPython().isoformat()}")  # type: ignore[attr-defined]  # as above
        return Report(self.name.text(), tuple(self._chosen_measures()),
                      self.grouping.currentData(), key, self.audience.currentText(),
                      self.frequency.currentData())

    def _edited(self, preview: bool = True) -> None:
        """Something in the editor changed: check it, and preview it shortly."""
        if self._loading or self.document.plan is None:
            return
        custom = self.period.currentData() == CUSTOM
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        try:
            check_report(self.document.plan, self.definition())
        except UserError as exc:
            self._say(exc)
            self.save_button.setEnabled(False)
            self.export_button.setEnabled(False)
            self._timer.stop()
            self.model.set_result(None)  # figures of another definition would mislead
            self.preview_title.setText("No preview until the definition is complete.")
            self.notes.clear()
            return
        self.error.clear()
        self.save_button.setEnabled(not self.document.read_only and not self.writing)
        self.export_button.setEnabled(True)
        if preview:
            if self.model.result is None:
                self.preview_title.setText("Working out the report\u2026")
            self._timer.start()

    def _say(self, error: Exception) -> None:
        text = str(error)
        self.error.setText(text[:1].upper() + text[1:])

    # -- actions ----------------------------------------------------------------------------

    def new_report(self) -> None:
        """A new definition in the editor: revenue and sales by team, quarter to date."""
        if not self.may_leave():
            return
        names = {self.reports.item(i).text().casefold() for i in range(self.reports.count())}
        name, n = "New report", 1
        while name.casefold() in names:
            n += 1
            name = f"New report {n}"
        self.show_definition(Report(name, ("revenue", "sales"), "team", "qtd",
                                    "Team leaders", "weekly"), stored=False)
        self.name.setFocus()
        self.name.selectAll()

    def duplicate(self) -> None:
        """A copy of the report in the editor, to save under a new name."""
        if not self.may_leave():
            return
        report = self.definition()
        self.show_definition(Report(f"{report.name} (copy)", *[
            getattr(report, f) for f in ("measures", "grouping", "period", "audience",
                                         "frequency")]), stored=False)
        self.name.setFocus()

    def save(self) -> bool:
        """Store the definition (new, or over the report being edited); False
        when it was refused (the reason is shown). The checks are made at once;
        the save itself is queued."""
        plan, replacing, loaded = self.document.plan, self.editing, self._loaded
        try:
            report, _old = check_save(plan, self.definition(), replacing=replacing)
        except UserError as exc:
            self._say(exc)
            return False

        def saved(result: OpResult) -> None:
            self.document.undo_stack.push(ReportCommand(
                self, result, f"Save report {_short(result.detail['new'].name)}"))
            self.apply(result)

        def failed(error: BaseException, trace: str) -> None:
            if self.editing == report.name:  # still showing it: as it was before
                self.editing, self._loaded = replacing, loaded
            if not isinstance(error, UserError):
                raise error
            self._say(error)

        if self.write("Save report", lambda _token: save_report(plan, report,
                                                                replacing=replacing),
                      on_done=saved, on_error=failed) is None:
            return False
        self.editing = report.name
        self._loaded = report
        return True

    def remove(self) -> None:
        """Remove the stored report in the editor (undoable)."""
        if self.editing is None:
            return
        plan, name = self.document.plan, self.editing

        def removed(result: OpResult) -> None:
            self.document.undo_stack.push(ReportCommand(
                self, result, f"Remove report {_short(result.detail['old'].name)}"))
            self.apply(result)

        if self.write("Remove report", lambda _token: remove_report(plan, name),
                      on_done=removed) is not None:
            self.editing = None
            self._loaded = None

    def show_writing(self, writing: bool) -> None:
        """No second change while one is being saved."""
        super().show_writing(writing)
        if writing:
            self.save_button.setEnabled(False)
            self.remove_button.setEnabled(False)
        else:
            self.remove_button.setEnabled(self.editing is not None
                                          and not self.document.read_only)
            self._edited(preview=False)

    def export_dialog(self) -> None:
        """Ask where, then export the report as the editor shows it."""
        report = self.definition()
        plan = self.document.plan
        folder = Path(settings.LAST_EXPORT_FOLDER.get() or plan.source_path.parent)
        stem = "".join(c if c.isalnum() or c in " -_" else " " for c in report.name).strip()
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export report to Excel", str(folder / f"{stem or 'report'}.xlsx"),
            "Excel workbook (*.xlsx)")
        if path:
            settings.LAST_EXPORT_FOLDER.set(str(Path(path).parent))
            self.export_to(path)

    def export_to(self, path: str | Path) -> object:
        """Export the report in the editor to ``path`` in a worker (returns the job)."""
        from salesplanner.export.report_workbook import export_report

        plan, report = self.document.plan, self.definition()
        if not str(path).lower().endswith(".xlsx"):
            path = f"{path}.xlsx"
        return self.context.run_export(lambda token: export_report(plan, report, path, token))

    # -- preview ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Work the preview out in a worker."""
        plan = self.document.plan
        if plan is None:
            return
        try:
            report = check_report(plan, self.definition())
        except UserError:
            return
        self.preview_title.setText("Working out the report\u2026")
        self.context.runner.start(
            "report-preview", lambda token: run_report(plan, report, token),
            on_done=self.show_result, on_error=self._on_failed)

    def show_result(self, result: ReportResult) -> None:
        """Show a worked-out report."""
        self.model.set_result(result)
        report = result.report
        self.preview_title.setText(
            f"<b>{_escape(report.name)}</b>: {PERIOD_NAMES.get(report.period, 'Dates')}, "
            f"{result.start:%d %b %Y} to {result.end:%d %b %Y}; {len(result.keys)} rows")
        self.notes.setText("\n".join(n[:1].upper() + n[1:] for n in result.notes))

    def _on_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.model.set_result(None)
            self.preview_title.setText(str(error)[:1].upper() + str(error)[1:])
            self.notes.clear()
        else:
            raise error



def _short(name: str, length: int = 30) -> str:
    """A report's name cut to fit an Undo menu item."""
    return name if len(name) <= length else name[:length - 1] + "\u2026"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
