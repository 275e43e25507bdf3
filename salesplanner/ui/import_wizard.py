"""The import wizard: file, kind and sheet, columns on a live preview, check, import.

Each step calls the domain (:mod:`salesplanner.importing.run`): reading and
checking a big file and the import itself run as jobs off the interface
thread with progress; Cancel during the import stops it and the plan is
left exactly as it was. The wizard holds no rules of its own: what a field
needs, how values read and which rows fail all come from the importer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QProgressBar, QPushButton, QScrollArea, QSizePolicy, QSpinBox, QSplitter,
    QTableView, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.importing.columns import AmbiguousDates, MixedDates
from salesplanner.importing.convert import Converted
from salesplanner.importing.fields import KINDS, fields_of, missing_required
from salesplanner.importing.kinds import KINDS as KIND_RECORDS
from salesplanner.importing.reading import SOURCE_SUFFIXES, sheets
from salesplanner.importing.rejects import write_rejects
from salesplanner.importing.source_table import SourceTable
from salesplanner.importing.run import (
    ImportOptions, ImportRefused, ImportSummary, KindUnknown, Prepared, convert_prepared,
    import_file, prepare,
)
from salesplanner.ui.document import PlanDocument
from salesplanner.ui.formatting import user_locale
from salesplanner.ui.import_models import PreviewModel, PreviewView, ProblemModel
from salesplanner.ui.jobs import Job, JobRunner
from salesplanner.ui.typography import EMPHASIS, emphasise

#: How the wizard offers each kind, from the kinds' records.
KIND_LABELS = {name: record.label for name, record in KIND_RECORDS.items()}
SOURCE_FILTER = ("Data files (" + " ".join(f"*{s}" for s in SOURCE_SUFFIXES) + ");;"
                 "All files (*)")
PREVIEW_ROWS = 200
_EMPTY_TABLE = SourceTable(file="", format="csv", headers=[], columns=[],
                           line_numbers=np.zeros(0, dtype=np.int64), header_line=0)
_NOT_MAPPED = "(not in this file)"


def said(error: BaseException) -> str:
    """A user error as the window words it: a choice to make here, not an option to type."""
    return getattr(error, "for_window", str(error))


def _ask_box(name: str, *widgets: QWidget) -> QFrame:
    """A pale yellow box around a question the wizard asks."""
    box = QFrame()
    box.setObjectName(name)
    box.setStyleSheet(f"#{name} {{ background: #fff4ce; border-radius: 4px; }}"
                      " QLabel { color: #5c4400; }")
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def _note(text: str = "", error: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if error:
        label.setStyleSheet("color: #b02a37")
    return label


class SourcePage(QWizardPage):
    """Step 1: the file, what it holds, the sheet and the header row."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose the data to import")
        self.setSubTitle("A CSV or text export, or a sheet of an Excel or OpenDocument workbook.")
        self.path = QLineEdit()
        self.path.setAccessibleName("File")
        self.path.setPlaceholderText("e.g. sales-export-march.csv")
        self.path.editingFinished.connect(self.reload)
        browse = QPushButton("&Browse\u2026")
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of data")
        self.kind.addItem("Work it out from the headers", None)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Sheet")
        self.header_row = QSpinBox()
        self.header_row.setAccessibleName("Header row")
        self.header_row.setRange(0, 10_000)
        self.header_row.setSpecialValueText("Found automatically")
        self.status = _note()
        self.status.setAccessibleName("What was read")
        self.ask_note = _note()
        self.ask_kind = QComboBox()
        self.ask_kind.setAccessibleName("What the file holds")
        self.ask_kind.addItem("Choose what this file holds\u2026", None)
        for kind, label in KIND_LABELS.items():
            self.ask_kind.addItem(label, kind)
        self.ask_kind.activated.connect(self._on_ask_kind_activated)
        self.ask_box = _ask_box("askKind", self.ask_note, self.ask_kind)
        self.ask_box.hide()
        self.raw = PreviewModel(self)
        self.raw_view = PreviewView()
        self.raw_view.setAccessibleName("The file's first rows")
        self.raw_view.setModel(self.raw)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path)
        form = QFormLayout()
        form.addRow(file_label, row)
        form.addRow("&Holds:", self.kind)
        form.addRow("&Sheet:", self.sheet)
        form.addRow("Header &row:", self.header_row)
        form.addRow(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.ask_box)
        layout.addWidget(self.raw_view, 1)
        for combo in (self.kind, self.sheet):
            combo.activated.connect(lambda _i: self.reload())
        self.header_row.editingFinished.connect(self.reload)
        self._loaded: tuple | None = None

    def _on_browse_clicked(self) -> None:
        start = self.path.text() or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Import data", start, SOURCE_FILTER)
        if path:
            self.set_path(path)

    def set_path(self, path: str | Path) -> None:
        """Choose ``path`` and read it."""
        self.path.setText(str(path))
        self.sheet.clear()
        try:
            for info in sheets(path):
                self.sheet.addItem(str(info), info.name)
        except UserError:
            pass  # reported by reload
        if not self.sheet.count():
            self.sheet.setPlaceholderText("A text file has no sheets")
        self.reload(force=True)

    def options(self) -> ImportOptions:
        """The choices made on this page."""
        return ImportOptions(kind=self.kind.currentData(), sheet=self.sheet.currentData(),
                             header_line=self.header_row.value() or None)

    def reload(self, force: bool = False) -> None:
        """Read the file again with the current choices (in a worker).

        Nothing happens if nothing changed (leaving a field also "finishes" it).
        """
        path = self.path.text().strip()
        choice = (path, self.kind.currentData(), self.sheet.currentData(),
                  self.header_row.value())
        if choice == self._loaded and not force:
            return
        self._loaded = choice
        self.wiz.prepared = None
        self.ask_box.hide()
        self.completeChanged.emit()
        self.sheet.setEnabled(self.sheet.count() > 0)
        self.raw.show(_EMPTY_TABLE, "sales", {}, None)
        if not path:
            self.status.setText("")
            return
        self.status.setStyleSheet("")
        self.status.setText("Reading\u2026")
        options = self.options()
        plan = self.wiz.document.plan
        self.wiz.runner.start("import-read", lambda _token: prepare(path, options, plan),
                              on_done=self._on_prepared, on_error=self._on_read_error)

    def _on_prepared(self, prepared: Prepared) -> None:
        self.wiz.prepared = prepared
        table = prepared.table
        how = (f"sheet {table.sheet!r} of a {table.format} workbook" if table.sheet else
               f"{table.format.upper()} text, {table.encoding}, "
               f"{'tab' if table.delimiter == chr(9) else repr(table.delimiter)} separated")
        remembered = " (columns as last time)" if prepared.remembered else ""
        self.status.setStyleSheet("")
        self.status.setText(
            f"{table.num_rows:,} rows of {KIND_LABELS[prepared.kind].lower()}{remembered}; "
            f"read as {how}; headers on row {table.header_line}."
            + "".join(f"\nNote: {w}" for w in table.warnings))
        if not self.header_row.value():
            self.header_row.setSpecialValueText(f"Found automatically (row {table.header_line})")
        self.raw.show(table.head(PREVIEW_ROWS), prepared.kind, {}, None)
        self.raw_view.fit_columns()
        self.completeChanged.emit()

    def _on_read_error(self, error: BaseException, trace: str) -> None:
        if not isinstance(error, UserError):
            self.wiz.report_bug(error, trace)
            return
        if isinstance(error, KindUnknown):  # show the rows and ask what they are
            self.status.setStyleSheet("")
            self.status.setText(f"{error.table.num_rows:,} rows read; the headers do not say "
                                "what they are.")
            self.ask_note.setText("The program cannot tell what this file holds from its "
                                  "headers. Look at its first rows below and choose what "
                                  "it holds:")
            self.ask_kind.setCurrentIndex(0)
            self.ask_box.show()
            self.raw.show(error.table.head(PREVIEW_ROWS), "sales", {}, None)
            self.raw_view.fit_columns()
            return
        self.status.setStyleSheet("color: #b02a37")
        self.status.setText(said(error))

    def _on_ask_kind_activated(self, _index: int) -> None:
        kind = self.ask_kind.currentData()
        if kind is not None:
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.reload()

    def isComplete(self) -> bool:
        """Ready once the file has been read."""
        return self.wiz.prepared is not None


class ColumnsPage(QWizardPage):
    """Step 2: which column holds which field, on a live preview of the first rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Match the columns")
        self.setSubTitle("Each field the program knows, and the column it is read from. "
                         "The preview shows the first rows as they will be imported; shaded "
                         "cells would be refused (point at one for the reason).")
        self.combos: dict[str, QComboBox] = {}
        self.form_box = QWidget()
        self.form = QFormLayout(self.form_box)
        scroll = QScrollArea()
        scroll.setWidget(self.form_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.dates = QComboBox()
        self.dates.setAccessibleName("Date order")
        self.dates.addItem("Day first (31/12/2026)", "dayfirst")
        self.dates.addItem("Month first (12/31/2026)", "monthfirst")
        self.dates.activated.connect(lambda _i: self.refresh())
        self.dates_note = _note()
        self.dates_box = _ask_box("datesBox", self.dates_note, self.dates)
        self.dates_box.hide()
        self.missing = _note(error=True)
        self.model = PreviewModel(self)
        self.view = PreviewView()
        self.view.setAccessibleName("Preview")
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.dates_box)
        left_layout.addWidget(self.missing)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 820])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.preview_data: Converted | None = None
        #: Whether the dates read both ways, so the user chose their order.
        self.asked_dates = False

    def initializePage(self) -> None:
        """Build a chooser for every field of the kind, set to the found mapping."""
        prepared = self.wiz.prepared
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        required = {f for group in _required(prepared.kind) for f in group}
        if prepared.wide_skills:
            self.form.addRow(_note("A skill matrix: one column per skill ("
                                   + ", ".join(prepared.wide_skills) + ")."))
        for field in fields_of(prepared.kind):
            if prepared.wide_skills and field.name in ("skill", "rating"):
                continue
            combo = QComboBox()
            combo.setAccessibleName(field.label)
            combo.addItem(_NOT_MAPPED, None)
            for header in prepared.table.headers:
                if header:
                    combo.addItem(header, header)
            found = prepared.mapping.get(field.name)
            combo.setCurrentIndex(max(0, combo.findData(found)) if found else 0)
            combo.activated.connect(lambda _i: self.refresh())
            self.combos[field.name] = combo
            self.form.addRow(field.label + (" *" if field.name in required else "") + ":", combo)
        locale = user_locale()
        month_first = locale.territory() in (QLocale.Country.UnitedStates,
                                             QLocale.Country.Philippines)
        self.dates.setCurrentIndex(1 if month_first else 0)
        self.dates_box.hide()
        self.asked_dates = False
        self.refresh()

    def mapping(self) -> dict[str, str]:
        """The chosen ``{field: header}``."""
        return {name: combo.currentData() for name, combo in self.combos.items()
                if combo.currentData()}

    def date_order(self) -> str | None:
        """The day/month order, when the user had to say."""
        return self.dates.currentData() if self.asked_dates else None

    def refresh(self) -> None:
        """Re-read the first rows with the current choices."""
        prepared = self.wiz.prepared
        mapping = self.mapping()
        missing = missing_required(mapping, prepared.kind) if not prepared.wide_skills else []
        head = replace(prepared, table=prepared.table.head(PREVIEW_ROWS), mapping=mapping)
        self.preview_data = None
        self.missing.setText("Still needed: " + ", ".join(missing) if missing else "")
        if not missing:
            options = ImportOptions(date_order=self.date_order())
            try:
                self.preview_data = convert_prepared(head, options)
            except (AmbiguousDates, MixedDates) as exc:
                self._ask_dates(exc)
                try:
                    self.preview_data = convert_prepared(
                        head, ImportOptions(date_order=self.dates.currentData()))
                except UserError as again:
                    self.missing.setText(said(again))
            except UserError as exc:
                self.missing.setText(said(exc))
        self.model.show(head.table, prepared.kind, mapping, self.preview_data)
        self.view.fit_columns()
        self.completeChanged.emit()

    def _ask_dates(self, exc: AmbiguousDates | MixedDates) -> None:
        self.dates_note.setText(
            f"The dates in column {exc.header!r} are written both ways ({exc.examples[0]} "
            f"is day first, {exc.examples[1]} month first). Which order is right? Dates that "
            "do not fit it are refused." if isinstance(exc, MixedDates) else
            f"The dates in column {exc.header!r} can be read either way "
            f"(e.g. {', '.join(exc.examples[:2])}). How are they written?")
        self.dates_box.show()
        self.asked_dates = True

    def isComplete(self) -> bool:
        """Ready when every required field has a column."""
        return self.preview_data is not None


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


def _required(kind: str) -> tuple[tuple[str, ...], ...]:
    from salesplanner.importing.fields import REQUIRED

    return REQUIRED[kind][:1]


class CheckPage(QWizardPage):
    """Step 3: every row checked; what will be imported and what will not."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check")
        self.setSubTitle("Every row is checked before anything is written.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.headline = _note()
        self.headline.setAccessibleName("Check result")
        emphasise(self.headline, EMPHASIS)
        self.skips = _note("Rows already in the plan, or repeated in this file under the same "
                           "key, are skipped when importing; the summary counts them.")
        self.progress = QProgressBar()
        self.notes = QListWidget()
        self.notes.setAccessibleName("Notes")
        self.notes.setMaximumHeight(self.fontMetrics().height() * 5)
        self.problems = ProblemModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Rows that will not be imported")
        self.table.setModel(self.problems)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.strict = QCheckBox("Import &nothing if any row has a problem")
        self.strict.toggled.connect(lambda _on: self.completeChanged.emit())
        self.save = QPushButton("&Save rejected rows\u2026")
        self.save.setToolTip("A CSV of the rows with problems and why, to fix and import again")
        self.save.clicked.connect(self._on_save_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.strict)
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.skips)
        layout.addWidget(self.progress)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)  # takes the room only while the table is hidden
        layout.addLayout(buttons)
        self.data: Converted | None = None

    def initializePage(self) -> None:
        """Check every row (in a worker)."""
        self.data = None
        self.headline.setText("Checking every row\u2026")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.problems.set_problems([])
        self.notes.clear()
        self.notes.hide()
        self.save.setEnabled(False)
        prepared, options = self.wiz.prepared_with_choices()
        self.wiz.runner.start("import-check", lambda _t: convert_prepared(prepared, options),
                              on_done=self._on_checked, on_error=self.wiz.on_job_error)

    def _on_checked(self, data: Converted) -> None:
        self.data = data
        self.progress.hide()
        good = int(data.good.sum())
        bad = data.rejected
        text = f"{_rows(good)} pass the checks"
        if bad:
            text += f"; {_rows(bad)} {'has' if bad == 1 else 'have'} problems and will not be imported"
        if data.no_agent:
            text += f"; {_rows(data.no_agent)} with no agent (counted for the centre only)"
        if data.masked:
            text += f"; {data.masked:,} card number{'s' if data.masked != 1 else ''} masked"
        self.headline.setText(text + ".")
        self.problems.set_problems(data.problem_list())
        for key in ("line", "column"):  # the reason stretches
            self.table.resizeColumnToContents(self.problems.column_of(key))
        notes = list(self.wiz.prepared.table.warnings) + data.warnings
        if notes:
            self.notes.addItems(notes)
            self.notes.show()
        self.table.setVisible(bool(bad))
        self.save.setEnabled(bool(bad))
        self.completeChanged.emit()

    def _on_save_clicked(self) -> None:
        source = Path(self.wiz.prepared.table.file)
        path, _ = QFileDialog.getSaveFileName(
            self, "Save rejected rows", str(source.with_name(f"{source.stem}-rejected.csv")),
            "CSV files (*.csv)")
        if path:
            self.save_rejects(path)

    def save_rejects(self, path: str | Path) -> None:
        """Write the rejected rows to ``path``."""
        try:
            count = write_rejects(path, self.wiz.prepared.table, self.data)
        except UserError as exc:
            self.headline.setText(said(exc))
            return
        self.wiz.show_message(f"Saved {_rows(count)} with problems to {path}")

    def isComplete(self) -> bool:
        """Ready when checked, with something to import (and no problem, if strict)."""
        if self.data is None or not self.data.good.any():
            return False
        return not (self.strict.isChecked() and self.data.rejected)


class RunPage(QWizardPage):
    """Step 4: the import itself, with progress and cancel, then what it did."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Import")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.step = _note()
        self.result = _note()
        self.result.setAccessibleName("Import result")
        emphasise(self.result, 1.1, bold=False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.step)
        layout.addWidget(self.result, 1, Qt.AlignmentFlag.AlignTop)
        self.summary: ImportSummary | None = None
        self.job: Job | None = None

    def initializePage(self) -> None:
        """Start the import."""
        self.summary = None
        self.result.setText("")
        self.progress.setValue(0)
        self.progress.show()
        prepared, options = self.wiz.prepared_with_choices()
        options.strict = self.wiz.check_page.strict.isChecked()
        plan = self.wiz.document.plan
        path = prepared.table.file
        # On the serial write queue, behind any change still being saved.
        self.job = self.wiz.document.write(
            "import", lambda token: import_file(plan, path, options, token, prepared=prepared),
            initiator=self.wiz, on_done=self._on_done, on_error=self._on_error,
            on_progress=self._on_progress, on_cancelled=self._on_cancelled, cancellable=True)

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.step.setText(text[:1].upper() + text[1:])

    def _on_done(self, outcome: tuple[ImportSummary, OpResult]) -> None:
        self.summary, result = outcome
        self.job = None
        self.progress.setValue(100)
        self.step.setText("")
        s = self.summary
        lines = [f"<b>Imported {s.imported:,}</b> of {_rows(s.rows_read)}; "
                 f"{s.duplicates:,} duplicate{'' if s.duplicates == 1 else 's'} skipped "
                 f"(already in the plan or repeated in the file); {s.rejected:,} rejected; "
                 f"{s.masked:,} card number{'' if s.masked == 1 else 's'} masked."]
        if s.updated:
            lines.append(f"{s.updated:,} existing records updated.")
        for what, names in s.created.items():
            shown = ", ".join(names[:12]) + (f" and {len(names) - 12:,} more"
                                             if len(names) > 12 else "")
            lines.append(f"New {what}: {shown}.")
        lines += [f"Note: {w}" for w in s.warnings]
        self.result.setText("<br>".join(lines))
        # Done: nothing is left to cancel, Finish closes the wizard.
        self.wiz.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.wiz.document.notify(result, self.wiz)
        if s.batch_id is not None:  # Edit > Undo takes exactly this import out again
            from salesplanner.ui.undo import ImportCommand

            self.wiz.document.undo_stack.push(
                ImportCommand(self.wiz.document, s.batch_id, Path(s.file).name))
        self.wiz.imported.emit(result)
        self.completeChanged.emit()

    def _on_error(self, error: BaseException, trace: str) -> None:
        self.job = None
        self.progress.hide()
        if isinstance(error, (UserError, ImportRefused)):
            self.result.setText(f"Nothing was imported: {said(error)}")
            self.result.setStyleSheet("color: #b02a37")
        else:
            self.wiz.report_bug(error, trace)

    def _on_cancelled(self) -> None:
        self.job = None
        self.progress.hide()
        self.result.setText("Import cancelled; the plan is exactly as it was.")
        self.wiz.show_message("Import cancelled; nothing was changed")

    def isComplete(self) -> bool:
        """Finished once the import has ended."""
        return self.job is None


class ImportWizard(QWizard):
    """Import a data file into the open plan, step by step.

    Signals:
        imported(object): the import finished; its :class:`OpResult`.
    """

    imported = Signal(object)

    def __init__(self, document: PlanDocument, runner: JobRunner, path: str | Path | None = None,
                 parent: QWidget | None = None,
                 show_message: Callable[[str], None] | None = None,
                 report_bug: Callable[[BaseException, str], None] | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.runner = runner
        self._show_message = show_message
        self._report_bug = report_bug
        self.prepared: Prepared | None = None
        self.setWindowTitle("Import data")
        self.setAccessibleName("Import data")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.source_page = SourcePage(self)
        self.columns_page = ColumnsPage(self)
        self.check_page = CheckPage(self)
        self.run_page = RunPage(self)
        for page in (self.source_page, self.columns_page, self.check_page, self.run_page):
            # QWizard gives a page only its size hint unless it asks to grow.
            page.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.addPage(page)
        self.resize(1120, 680)
        if path:
            self.source_page.set_path(path)

    def prepared_with_choices(self) -> tuple[Prepared, ImportOptions]:
        """The prepared source with the columns and date order chosen on step 2."""
        prepared = replace(self.prepared, mapping=self.columns_page.mapping())
        options = replace(self.source_page.options(), mapping=self.columns_page.mapping(),
                          date_order=self.columns_page.date_order())
        return prepared, options

    def on_job_error(self, error: BaseException, trace: str) -> None:
        """A job of the wizard failed: explain a user error, report a bug."""
        if isinstance(error, UserError):
            self.check_page.headline.setText(said(error))
            self.check_page.progress.hide()
        else:
            self.report_bug(error, trace)

    def show_message(self, text: str) -> None:
        """A line in the main window's status bar, if there is one."""
        if self._show_message:
            self._show_message(text)

    def report_bug(self, error: BaseException, trace: str) -> None:
        """Hand an unexpected error to the main window's bug report."""
        if self._report_bug:
            self._report_bug(error, trace)
        else:
            raise error

    def reject(self) -> None:
        """Cancel: stop a running import first (it rolls back), then close."""
        job = self.run_page.job
        if job is not None and not job.done:
            job.cancel()
            return  # the cancelled signal updates the page; the user closes it
        for kind in ("import-read", "import-check"):
            running = self.runner.running(kind)
            if running is not None:
                running.cancel()
        super().reject()


__all__ = ["ImportWizard", "KINDS"]
