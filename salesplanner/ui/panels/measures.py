"""The Measures panel: every measure of the plan, and a designer for the manager's own.

The list shows each measure's formula, unit, better direction and value
over the plan's data. The designer checks a formula as it is typed (unknown
names, unlike units, syntax, with where), previews its value on the open
plan, and lists the fields and functions a formula may use (double-click
to insert). Saving and deleting go through the undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListView, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTableView,
    QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.formula import FUNCTIONS, FormulaError
from salesplanner.metrics import (
    BASE_AGGREGATES, MetricDefinition, add_metric, base_totals, check_formula, format_value,
    measure_values, parse_threshold, rag, registry, remove_metric, set_thresholds,
)
from salesplanner.ui.formatting import RAG_COLOURS
from salesplanner.ui.panels.base import Panel, PanelContext
from salesplanner.ui.columns import RIGHT, Column, Columns, number
from salesplanner.ui.row_models import Index as _Index
from salesplanner.ui.row_models import RowTableModel
from salesplanner.ui.typography import HEADING, emphasise



class MeasuresModel(RowTableModel):
    """One row per measure: name, formula, unit, better, value, own or built in."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.values: dict[str, float] = {}
        self.currency = "GBP"

        tip = _description  # every cell of a measure explains it
        self.columns = Columns(
            Column("name", "Measure", lambda m: m.name, tooltip=tip),
            Column("formula", "Formula", lambda m: m.formula, tooltip=tip),
            Column("unit", "Unit", lambda m: m.unit, tooltip=tip),
            Column("direction", "Better", lambda m: m.direction, tooltip=tip),
            Column("value", "Value", self._value, sort=number, align=RIGHT, tooltip=tip,
                   text=lambda m: format_value(self._value(m), m.unit, self.currency)),
            Column("edges", "Red / green", self._edges, tooltip=tip),
            Column("kind", "Kind", lambda m: "built in" if m.builtin else "own", tooltip=tip),
        )

    @property
    def measures(self) -> list[MetricDefinition]:
        """The measures shown."""
        return self.rows

    def set_measures(self, measures: list[MetricDefinition], values: dict[str, float],
                     currency: str) -> None:
        """Show ``measures`` with their ``values``."""
        self.values, self.currency = values, currency
        self.set_rows(measures)

    def _value(self, m: MetricDefinition) -> float:
        return self.values.get(m.code, float("nan"))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The columns' roles; the value coloured red, amber or green."""
        if role == Qt.ItemDataRole.ForegroundRole:
            if not index.isValid() or self.columns[index.column()].key != "value":
                return None
            m = self.measures[index.row()]
            colour = RAG_COLOURS.get(rag(m, self._value(m)))
            return QColor(colour) if colour else None
        return super().data(index, role)

    def _edges(self, m: MetricDefinition) -> str:
        return " / ".join("\u2013" if edge is None else format_value(edge, m.unit, self.currency)
                          for edge in (m.red_below, m.green_from)) \
            if (m.red_below, m.green_from) != (None, None) else ""


def _description(m: MetricDefinition) -> str | None:
    return m.description or None


class ThresholdsCommand(QUndoCommand):
    """A measure's red and green edges changed; undo puts the old ones back."""

    def __init__(self, panel: MeasuresPanel, code: str, old: list, new: list) -> None:
        super().__init__(f"Thresholds of {code}")
        self.panel, self.code, self.old, self.new = panel, code, old, new
        self._done = True

    def redo(self) -> None:
        """Set the new edges (again)."""
        if self._done:
            self._done = False
            return
        self._set(self.new)

    def undo(self) -> None:
        """Set the old edges."""
        self._set(self.old)

    def _set(self, edges: list) -> None:
        plan, code = self.panel.document.plan, self.code
        self.panel.write(self.text(), lambda _token: set_thresholds(plan, code, *edges),
                         undoing=True)


class SaveMeasureCommand(QUndoCommand):
    """A measure saved; undo restores what was there before (or removes it).

    Pushed after the save has been made (so a refusal never reaches the
    stack); the first redo therefore does nothing.
    """

    def __init__(self, panel: MeasuresPanel, definition: dict,
                 previous: MetricDefinition | None) -> None:
        super().__init__(f"Save measure {definition['code']}")
        self.panel, self.definition, self.previous = panel, definition, previous
        self._done = True

    def redo(self) -> None:
        """Store the measure (again)."""
        if self._done:
            self._done = False
            return
        plan, definition = self.panel.document.plan, self.definition
        self.panel.write(self.text(), lambda _token: add_metric(plan, **definition),
                         undoing=True)

    def undo(self) -> None:
        """Put back the earlier definition, or remove the new measure."""
        plan, code = self.panel.document.plan, self.definition["code"]
        if self.previous is None:
            self.panel.write(self.text(), lambda _token: remove_metric(plan, code), undoing=True)
        else:
            previous = _as_arguments(self.previous)
            self.panel.write(self.text(), lambda _token: add_metric(plan, **previous),
                             undoing=True)


class RemoveMeasureCommand(QUndoCommand):
    """One of the plan's own measures removed; undo puts it back."""

    def __init__(self, panel: MeasuresPanel, measure: MetricDefinition) -> None:
        super().__init__(f"Remove measure {measure.code}")
        self.panel, self.measure = panel, measure
        self._done = True

    def redo(self) -> None:
        """Remove it (again)."""
        if self._done:
            self._done = False
            return
        plan, code = self.panel.document.plan, self.measure.code
        self.panel.write(self.text(), lambda _token: remove_metric(plan, code), undoing=True)

    def undo(self) -> None:
        """Put it back."""
        plan, definition = self.panel.document.plan, _as_arguments(self.measure)
        self.panel.write(self.text(), lambda _token: add_metric(plan, **definition),
                         undoing=True)


def _as_arguments(m: MetricDefinition) -> dict:
    return {"code": m.code, "formula": m.formula, "name": m.name, "unit": m.unit,
            "direction": m.direction, "red_below": m.red_below, "green_from": m.green_from,
            "description": m.description}


class MeasuresPanel(Panel):
    """The measures every figure comes from, and the designer for the plan's own."""

    title = "Measures"
    icon = "measures"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._build_table()
        designer = self._build_designer()
        fields_box = self._build_fields()
        self._lay_out(designer, fields_box)
        self._connect_designer()
        self.measures: dict[str, MetricDefinition] = {}
        self.totals: dict = {}

    def _build_table(self) -> None:
        """The table of every measure."""
        self.model = MeasuresModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Measures")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            self.model.column_of("formula"), QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def _build_designer(self) -> QGroupBox:
        """The form that defines a measure, with New, Save and Remove."""
        self.name = QLineEdit()
        self.name.setAccessibleName("Measure name")
        self.name.setPlaceholderText("e.g. Revenue per call")
        self.code = QLineEdit()
        self.code.setAccessibleName("Measure code")
        self.code.setPlaceholderText("e.g. revenue_per_call")
        self.formula = QLineEdit()
        self.formula.setAccessibleName("Formula")
        self.formula.setPlaceholderText("e.g. revenue / calls")
        self.direction = QComboBox()
        self.direction.setAccessibleName("Better when")
        self.direction.addItem("Higher is better", "higher")
        self.direction.addItem("Lower is better", "lower")
        self.red_edge = QLineEdit()
        self.red_edge.setAccessibleName("Red edge")
        self.green_edge = QLineEdit()
        self.green_edge.setAccessibleName("Green edge")
        for edge, example in ((self.red_edge, "e.g. 20%"), (self.green_edge, "e.g. 30%")):
            edge.setPlaceholderText(f"optional, {example}")
        self.edges_help = QLabel()
        self.edges_help.setWordWrap(True)
        edges = QHBoxLayout()
        edges.addWidget(QLabel("red beyond"))
        edges.addWidget(self.red_edge)
        edges.addWidget(QLabel("green from"))
        edges.addWidget(self.green_edge)
        self.check = QLabel()
        self.check.setWordWrap(True)
        self.check.setAccessibleName("Formula check")
        self.save_button = QPushButton("&Save measure")
        self.remove_button = QPushButton("&Remove measure")
        self.new_button = QPushButton("&New measure")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Code:", self.code)
        form.addRow("&Formula:", self.formula)
        form.addRow("&Better:", self.direction)
        thresholds = QLabel("&Thresholds:")
        thresholds.setBuddy(self.red_edge)
        form.addRow(thresholds, edges)
        form.addRow(self.edges_help)
        form.addRow(self.check)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow(buttons)
        designer = QGroupBox("Designer")
        designer.setLayout(form)
        return designer

    def _build_fields(self) -> QGroupBox:
        """What a formula can use, each with its description."""
        self.fields = QListWidget()
        self.fields.setAccessibleName("Fields and functions")
        # Whole descriptions, wrapped to the pane's width (they were cut mid-word).
        self.fields.setWordWrap(True)
        self.fields.setResizeMode(QListView.ResizeMode.Adjust)
        self.fields.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields.setSpacing(1)
        self._fill_fields()
        self.fields.setToolTip("Double-click to put it in the formula")
        self.fields.itemDoubleClicked.connect(self._on_field_double_clicked)
        fields_box = QGroupBox("Fields, measures and functions")
        box = QVBoxLayout(fields_box)
        box.addWidget(self.fields)
        return fields_box

    def _lay_out(self, designer: QGroupBox, fields_box: QGroupBox) -> None:
        """Heading and intro over the table, above the designer beside the fields."""
        heading = emphasise(QLabel("Measures"), HEADING)
        intro = QLabel("Every figure in the program is computed from one of these definitions: "
                       "a formula over fields summed per agent and day. Ratios come from the "
                       "sums (a team's conversion is its sales over its calls).")
        intro.setWordWrap(True)
        lower = QSplitter()
        lower.addWidget(designer)
        lower.addWidget(fields_box)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)

    def _connect_designer(self) -> None:
        """A formula or code is checked as it is typed; the buttons act."""
        self.formula.textChanged.connect(self.check_formula)
        self.code.textChanged.connect(self.check_formula)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.new_button.clicked.connect(self.clear_designer)

    # -- showing -----------------------------------------------------------------

    def on_plan_opened(self) -> None:
        """Read the plan's measures and their values when the panel is shown."""
        self.clear_designer()
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's measures."""
        self.measures, self.totals = {}, {}
        self.model.set_measures([], {}, "GBP")

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Re-read after a change of measures or data."""
        if result.touches(changes.METRICS, changes.SALES, changes.CALLS, changes.IMPORTS,
                          changes.AGENTS):
            self.refresh_when_shown()

    def refresh(self) -> None:
        """Re-read the measures and their values over the plan's data (in a worker:
        the base totals read every day of the plan)."""
        plan = self.document.plan
        if plan is None:
            return

        def read(_token: object) -> tuple[dict, dict, dict]:
            measures = registry(plan)
            totals = base_totals(plan)
            return measures, totals, measure_values(measures, list(measures), totals)

        self.context.runner.start("measures", read,
                                  on_done=lambda done: self._show_measures(done, plan))

    def _show_measures(self, read: tuple[dict, dict, dict], plan: object) -> None:
        if self.document.plan is None or self.document.plan is not plan:
            return  # read from a plan since closed
        self.measures, self.totals, values = read
        currency = self.document.info.currency if self.document.info else "GBP"
        self.model.set_measures(list(self.measures.values()),
                                {c: float(v[0]) for c, v in values.items()}, currency)
        for column, described in enumerate(self.model.columns):
            if described.key != "formula":  # the formula stretches
                self.table.resizeColumnToContents(column)
        self._fill_fields()
        self._update_buttons()

    def _fill_fields(self) -> None:
        """Base fields, then the plan's measures, then the functions."""
        self.fields.clear()
        for name, base in BASE_AGGREGATES.items():
            self.fields.addItem(f"{name} \u2014 {base.description}")
        for code, measure in self.measures.items() if hasattr(self, "measures") else ():
            if code not in BASE_AGGREGATES:
                self.fields.addItem(f"{code} \u2014 {measure.name} ({measure.formula})")
        for name, (_counts, text) in FUNCTIONS.items():
            self.fields.addItem(f"{name}() \u2014 {text}")

    def _on_selection_changed(self, *_args: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        m = self.model.measures[rows[0].row()]
        self.name.setText(m.name)
        self.code.setText(m.code)
        self.formula.setText(m.formula)
        self.direction.setCurrentIndex(self.direction.findData(m.direction))
        for field, edge in ((self.red_edge, m.red_below), (self.green_edge, m.green_from)):
            field.setText("" if edge is None else _edge_text(edge, m.unit))
        self._update_buttons()

    def _on_field_double_clicked(self, item: QListWidgetItem) -> None:
        word = item.text().split(" ", 1)[0]
        self.formula.insert(word.replace("()", "(") if word.endswith("()") else word)
        self.formula.setFocus()

    def clear_designer(self) -> None:
        """Empty the designer for a new measure."""
        self.table.clearSelection()
        for field in (self.name, self.code, self.formula, self.red_edge, self.green_edge):
            field.clear()
        self.direction.setCurrentIndex(0)
        self.check.setText("Type a formula, e.g. revenue / calls")
        self._update_buttons()

    def _update_buttons(self) -> None:
        code = self.code.text().strip().lower()
        existing = self.measures.get(code)
        writable = self.document.is_open and not self.document.read_only and not self.writing
        # A built-in measure's formula is fixed, but its thresholds can be set.
        self.save_button.setEnabled(writable and bool(self.formula.text().strip()))
        for field in (self.name, self.code, self.formula):
            field.setReadOnly(bool(existing and existing.builtin))
        self.direction.setEnabled(not (existing and existing.builtin))
        lower = self.direction.currentData() == "lower"
        self.edges_help.setText(
            "Red when the value is above the red edge, green at or below the green edge, amber "
            "between." if lower else "Red when the value is below the red edge, green from the "
            "green edge up, amber between.")
        self.remove_button.setEnabled(writable and existing is not None and not existing.builtin)

    # -- checking and saving --------------------------------------------------------

    def check_formula(self) -> bool:
        """Check the formula as typed and preview its value; return whether it is usable."""
        self._update_buttons()
        text = self.formula.text()
        code = self.code.text().strip().lower() or None
        if not text.strip():
            self.check.setText("Type a formula, e.g. revenue / calls")
            self.check.setStyleSheet("")
            return False
        try:
            checked = check_formula(text, self.measures, code)
            values = measure_values({**self.measures, "__preview__": MetricDefinition(
                "__preview__", "", text, checked.unit.kind)}, ["__preview__"], self.totals)
        except FormulaError as exc:
            self.check.setText(f"\u2717 {exc}")
            self.check.setStyleSheet("color: #b02a37")
            self.save_button.setEnabled(False)
            return False
        currency = self.document.info.currency if self.document.info else "GBP"
        value = format_value(float(values["__preview__"][0]), checked.unit.kind, currency)
        self.check.setText(f"\u2713 {checked.unit.kind}; over the plan's data: {value}")
        self.check.setStyleSheet("color: #1e7b34")
        return True

    def save(self) -> None:
        """Save the designer's measure (or a built-in's thresholds) through the undo stack."""
        if not self.check_formula():
            return
        code = self.code.text().strip().lower() or _code_from(self.name.text())
        existing = self.measures.get(code)
        unit = existing.unit if existing else check_formula(
            self.formula.text(), self.measures, code).unit.kind
        try:
            edges = [parse_threshold(self.red_edge.text(), unit),
                     parse_threshold(self.green_edge.text(), unit)]
        except UserError as exc:
            self._refuse(f"threshold {exc}")
            return
        plan = self.document.plan
        if existing is not None and existing.builtin:
            old = [existing.red_below, existing.green_from]

            def thresholds_set(result: OpResult) -> None:
                self.apply(result)
                self.document.undo_stack.push(ThresholdsCommand(self, code, old, edges))

            self.write(f"Thresholds of {code}",
                       lambda _token: set_thresholds(plan, code, *edges),  # type: ignore[arg-type]  # two
                       on_done=thresholds_set, on_error=self._on_save_failed)
            return
        definition = {"code": code, "formula": self.formula.text().strip(),
                      "name": self.name.text().strip() or None,
                      "direction": self.direction.currentData(),
                      "red_below": edges[0], "green_from": edges[1]}
        previous = self.measures.get(code)

        def saved(result: OpResult) -> None:
            self.apply(result)
            self.document.undo_stack.push(SaveMeasureCommand(self, definition, previous))

        self.write(f"Save measure {code}", lambda _token: add_metric(plan, **definition),
                   on_done=saved, on_error=self._on_save_failed)

    def _on_save_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self._refuse(str(error))
        else:
            raise error

    def show_writing(self, writing: bool) -> None:
        """No second change while one is being saved."""
        super().show_writing(writing)
        self._update_buttons()

    def _refuse(self, message: str) -> None:
        self.check.setText(f"\u2717 {message}; nothing was saved")
        self.check.setStyleSheet("color: #b02a37")
        self.context.show_message(f"{message}; nothing was saved", error=True)

    def remove(self) -> None:
        """Remove the selected own measure through the undo stack."""
        measure = self.measures.get(self.code.text().strip().lower())
        if measure is None or measure.builtin:
            return
        plan = self.document.plan

        def removed(result: OpResult) -> None:
            self.apply(result)
            self.document.undo_stack.push(RemoveMeasureCommand(self, measure))

        self.write(f"Remove measure {measure.code}",
                   lambda _token: remove_metric(plan, measure.code), on_done=removed)


def _edge_text(edge: float, unit: str) -> str:
    """A threshold as the manager would type it back."""
    return f"{edge * 100:g}%" if unit in ("percent", "ratio") else f"{edge:g}"


def _code_from(name: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "measure"
