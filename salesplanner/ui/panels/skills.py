"""The Skills panel: the skill matrix, edited in place, and the skill weights.

Agents down, skills across, each rating 1-5 on a colour scale (red for
developing to green for expert); type a digit over a cell to change it, or
clear it; Edit > Undo puts it back. Below, how much each skill matters for
a measure: estimated from the plan's history (with how well skills explain
results) or set by hand, and saved for the target planner to use.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.skill_matrix import SkillMatrix, check_rating, set_rating, skill_matrix
from salesplanner.targets.proposal import estimate_for
from salesplanner.targets.skills import save_weights, stored_weights
from salesplanner.targets.stored_scenarios import measure_in_force
from salesplanner.ui.panels.base import Panel, PanelContext, fill_measures
from salesplanner.ui.formatting import agent_label
from salesplanner.ui.columns import CENTRE, RIGHT, Column, Columns, natural, number, \
    sort_by_header, text
from salesplanner.ui.row_models import Index, RowTableModel
from salesplanner.ui.theme import cell_text, skill_colours
from salesplanner.ui.typography import HEADING, emphasise

_Index = QModelIndex | QPersistentModelIndex
#: The record of the team average row.
AVERAGE = "average"


class SkillMatrixModel(RowTableModel):
    """Agents x skills, the team average last; editing a rating calls :attr:`edit`
    (an operation), never SQL.

    Records are agents' positions in the matrix (then :data:`AVERAGE`); the
    columns are the agent, then one per skill (see :func:`skill_key`).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matrix: SkillMatrix | None = None
        self.editable = False
        #: Called with (agent code, skill code, rating or None); returns whether it took.
        self.edit = lambda agent, skill, rating: False

    def set_matrix(self, matrix: SkillMatrix | None) -> None:
        """Show ``matrix``."""
        self.matrix = matrix
        if matrix is None or not matrix.agents:
            self.set_columns(self.columns)
            return
        self.set_columns(Columns(*self._describe(matrix)), range(len(matrix.agents)), [AVERAGE])

    def _describe(self, matrix: SkillMatrix) -> list[Column]:
        def agent(record: int | str) -> str | None:
            return None if record == AVERAGE else matrix.agents[record]  # type: ignore[index]  # a row, the average ruled out

        def agent_text(record: int | str) -> str:
            if record == AVERAGE:
                return "Team average"
            return agent_label(matrix.agents[record], matrix.names[record])  # type: ignore[index]  # a row, the average ruled out

        def rating(j: int) -> Column:
            def value(record: int | str) -> float:
                if record == AVERAGE:  # read when shown: a changed rating moves it
                    return float(matrix.averages()[j])
                return float(matrix.ratings[record, j])  # type: ignore[index]  # a row, the average ruled out

            def tip(record: int | str) -> str | None:
                if record == AVERAGE:
                    return None
                got = value(record)
                return (f"{matrix.names[record]} \u2014 {matrix.skill_names[j]}: "  # type: ignore[index]  # a row, the average ruled out
                        + ("not rated" if got != got else f"{int(got)} of 5"))

            return Column(skill_key(matrix.skills[j]), _two_lines(matrix.skill_names[j]), value,
                          sort=number, align=CENTRE, tooltip=tip, editable=True,
                          text=lambda r: _rating_text(value(r), r == AVERAGE))

        return [Column("agent", "Agent", agent, sort=natural, text=agent_text),
                *(rating(j) for j in range(len(matrix.skills)))]

    #: Before a matrix is shown: the agent's column alone (sorted on from the start).
    columns = Columns(Column("agent", "Agent", sort=natural))

    def _rating(self, row: int, column: int) -> int | None:
        # The column's value straight from the record (asked for every cell
        # painted, twice: going round through data() doubled the cost).
        value = self.columns[column].value(self.rows[row])
        return None if value is None or value != value or self.is_footer(row) else int(value)  # type: ignore[call-overload]  # a number here

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The rating, its colour, and the column's text, alignment and tooltip."""
        if not index.isValid() or self.matrix is None:
            return None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) \
                and index.column() != self.column_of("agent"):
            rating = self._rating(index.row(), index.column())
            if rating is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor(skill_colours()[rating])
            return QColor(cell_text())
        return super().data(index, role)

    def setData(self, index: _Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Change a rating through the panel's operation."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.matrix is None \
                or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        text = str(value).strip()
        rating = None if text == "" else text
        skill = self.columns[index.column()].key.removeprefix(_SKILL)
        return self.edit(self.matrix.agents[self.rows[index.row()]], skill, rating)

    def update_rating(self, agent: str, skill: str, rating: int | None) -> None:
        """Show one changed rating (and the average) without a reload."""
        if self.matrix is None or agent not in self.matrix.agents:
            return
        i, j = self.matrix.agents.index(agent), self.matrix.skills.index(skill)
        self.matrix.ratings[i, j] = float("nan") if rating is None else rating
        self.row_changed(self.rows.index(i))
        self.row_changed(len(self.rows) - 1)


_SKILL = "skill:"


def skill_key(code: str) -> str:
    """The key of a skill's column in the matrix (apart from the agent's, whatever the code)."""
    return _SKILL + code


def _rating_text(value: float, average: bool) -> str:
    if value != value:
        return ""
    return f"{value:.1f}" if average else str(int(value))


def _two_lines(name: str) -> str:
    """A long skill name broken at the space nearest its middle, for a narrow column."""
    if len(name) <= 12 or " " not in name:
        return name
    middle = len(name) / 2
    cut = min((i for i, c in enumerate(name) if c == " "), key=lambda i: abs(i - middle))
    return name[:cut] + "\n" + name[cut + 1:]


class WeightsModel(RowTableModel):
    """One row per skill, as (code, name, weight): its weight for the chosen measure."""

    columns = Columns(
        Column("skill", "Skill", lambda r: r[1], sort=text),
        Column("weight", "Weight", lambda r: r[2], show=lambda w: f"{w:.0%}", sort=number,
               align=RIGHT, editable=True, edit=lambda w: f"{w * 100:.0f}"),
    )

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A weight typed as per cent (kept until saved)."""
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        try:
            weight = float(str(value).strip().rstrip("%")) / 100
        except ValueError:
            return False
        if weight < 0:
            return False
        code, name, _old = self.rows[index.row()]
        self.set_record(index.row(), (code, name, weight))
        return True

    def weights(self) -> dict[str, float]:
        """Skill code -> weight, as shown."""
        return {code: weight for code, _name, weight in self.rows}


class RatingCommand(QUndoCommand):
    """A rating changed (already made); undo and redo set the old and new value."""

    def __init__(self, panel: SkillsPanel, result: OpResult) -> None:
        d = result.detail
        super().__init__(f"Rating of {d['agent']} on {d['skill']}")
        self.panel, self.detail = panel, d
        self._done = True

    def redo(self) -> None:
        """Set the new rating (again)."""
        if self._done:
            self._done = False
            return
        self._set(self.detail["new"])

    def undo(self) -> None:
        """Put the old rating back."""
        self._set(self.detail["old"])

    def _set(self, rating: int | None) -> None:
        plan, agent, skill = self.panel.document.plan, self.detail["agent"], self.detail["skill"]
        self.panel.write(self.text(), lambda _token: set_rating(plan, agent, skill, rating),
                         undoing=True)


class SkillsPanel(Panel):
    """The skill matrix and the skill weights of each measure."""

    #: Ratings saved since the panel opened: a matrix read before the latest
    #: one is read again rather than shown over it.
    _ratings_changed = 0

    title = "Skills"
    icon = "skills"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        heading = emphasise(QLabel("Skills"), HEADING)
        intro = QLabel("Ratings from 1 (developing) to 5 (expert). Type a digit over a rating "
                       "to change it; delete it to clear. The weights say how much each skill "
                       "matters for a measure when targets are set.")
        intro.setWordWrap(True)
        self.model = SkillMatrixModel(self)
        self.model.edit = self._edit
        self.table = QTableView()
        self.table.setAccessibleName("Skill matrix")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(70)
        # The agent's column is sized from the rows in view and a sample, not
        # from every agent's row (sizing every row stalled each refresh).
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.horizontalHeader().setMinimumHeight(
            self.table.fontMetrics().lineSpacing() * 2 + 8)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter
                                                          | Qt.AlignmentFlag.AlignVCenter)
        self.table.verticalHeader().hide()  # the agent is a column, to sort by
        sort_by_header(self.table, "agent")
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measure the weights are for")
        self.weights = WeightsModel(self)
        self.weights_view = QTableView()
        self.weights_view.setAccessibleName("Skill weights")
        self.weights_view.setModel(self.weights)
        self.weights_view.verticalHeader().hide()
        self.weights_view.horizontalHeader().setSectionResizeMode(
            self.weights.column_of("skill"), QHeaderView.ResizeMode.Stretch)
        self.fit = QLabel()
        self.fit.setWordWrap(True)
        self.fit.setAccessibleName("How well skills explain results")
        self.estimate_button = QPushButton("&Estimate from history")
        self.save_button = QPushButton("&Save weights")
        weights_box = QGroupBox("Skill weights")
        box = QVBoxLayout(weights_box)
        row = QHBoxLayout()
        for_label = QLabel("&For:")
        for_label.setBuddy(self.measure)
        row.addWidget(for_label)
        row.addWidget(self.measure, 1)
        box.addLayout(row)
        box.addWidget(self.weights_view, 1)
        box.addWidget(self.fit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.estimate_button)
        buttons.addWidget(self.save_button)
        box.addLayout(buttons)
        splitter = QSplitter()
        matrix = QWidget()
        matrix_layout = QVBoxLayout(matrix)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.addWidget(self.table)
        splitter.addWidget(matrix)
        splitter.addWidget(weights_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 280])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        #: Whether the weights shown are an estimate as it came (not typed over).
        self._estimated = False
        self.weights.dataChanged.connect(self._on_weights_data_changed)
        self.measure.activated.connect(lambda _i: self._show_weights())
        self.estimate_button.clicked.connect(self.estimate)
        self.save_button.clicked.connect(self.save)

    def on_plan_opened(self) -> None:
        """Read the matrix and the measures."""
        plan, info = self.document.plan, self.document.info
        # The measure the quarter's targets are set in (as the Targets panel opens on).
        fill_measures(self.measure, plan, (info and measure_in_force(plan, info.quarter))
                      or "revenue")
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's matrix."""
        self.model.set_matrix(None)
        self.weights.set_rows([])
        self.fit.clear()

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Show a changed rating, or read everything again after bigger changes."""
        if result.touches(changes.SKILLS) and "agent" in result.detail:
            d = result.detail
            self._ratings_changed += 1
            self.model.update_rating(d["agent"], d["skill"], d["new"])
        elif result.touches(changes.SKILLS, changes.AGENTS, changes.IMPORTS):
            self.refresh_when_shown()

    def refresh(self) -> None:
        """Read the matrix in a worker (about a frame's work on 400 agents), then
        show it with the chosen measure's weights."""
        plan = self.document.plan
        if plan is None:
            return

        changed = self._ratings_changed

        def show(matrix: SkillMatrix) -> None:
            if self.document.plan is not plan:  # a late one for a plan since closed
                return
            if self._ratings_changed != changed:  # read before a rating was saved: again
                self.refresh()
                return
            self._show_matrix(matrix)

        self.context.runner.start("skills", lambda _token: skill_matrix(plan), on_done=show,
                                  on_error=self._on_failed)

    def _show_matrix(self, matrix: SkillMatrix) -> None:
        self.model.editable = not self.document.read_only
        self.model.set_matrix(matrix)
        if self.model.matrix is not None and self.model.matrix.agents:
            self.table.horizontalHeader().setSectionResizeMode(
                self.model.column_of("agent"), QHeaderView.ResizeMode.ResizeToContents)
        self._show_weights()

    def _show_weights(self) -> None:
        """Show the weights the target planner uses for the chosen measure (read,
        and estimated when none are saved, in a worker)."""
        plan = self.document.plan
        matrix = self.model.matrix
        code = self.measure.currentData()
        if plan is None or matrix is None or code is None:
            return
        self.fit.setText("Reading the weights in use\u2026")

        def work(_token: object) -> tuple[dict, str | None, str]:
            stored, source = stored_weights(plan, code)
            if stored:
                return stored, source, ""
            weights, fit = estimate_for(plan, code)
            return weights, None, fit

        def show(found: tuple[dict, str | None, str]) -> None:
            if self.document.plan is plan and self.measure.currentData() == code:
                self._show_in_use(*found)

        self.context.runner.start("skill-weights", work, on_done=show,
                                  on_error=self._on_failed)
        self.save_button.setEnabled(not self.document.read_only and not self.writing)

    def _on_weights_data_changed(self, *_args: object) -> None:
        """A weight typed over: what is saved next is the manager's own."""
        if self._estimated:
            self._estimated = False
            self.fit.setText("Changed, not yet saved: Save weights to use these.")

    def _show_in_use(self, weights: dict, source: str | None, fit: str) -> None:
        matrix = self.model.matrix
        if matrix is None:
            return
        self._estimated = source != "manual"
        self.weights.set_rows([(s, n, weights.get(s, 0.0))
                               for s, n in zip(matrix.skills, matrix.skill_names)])
        measure = self.measure.currentText()
        if source == "manual":
            text = f"Typed by the manager and saved: the target planner uses these for {measure}."
        elif source is not None:
            text = (f"Estimated from history and saved: the target planner uses these for "
                    f"{measure}.")
        else:
            text = (f"In use for {measure}: estimated by the target planner from "
                    f"{fit.removeprefix('skill weights estimated from ')}; not saved. R\u00b2 is the "
                    "share of the differences between agents' results that their skills "
                    "explain. Type over a weight and save to set your own.")
        self.fit.setText(text)

    def show_writing(self, writing: bool) -> None:
        """No second change while one is being saved."""
        super().show_writing(writing)
        self.save_button.setEnabled(not writing and self.document.is_open
                                    and not self.document.read_only)

    def _edit(self, agent: str, skill: str, rating: object) -> bool:
        try:
            value = check_rating(None if rating is None else int(str(rating)))
        except (UserError, ValueError) as exc:
            message = str(exc) if isinstance(exc, UserError) else \
                f"{rating!r} is not a whole number from 1 to 5; nothing was changed"
            self.context.show_message(message, error=True)
            return False
        plan = self.document.plan

        def rated(result: OpResult) -> None:
            self.apply(result)
            self.document.undo_stack.push(RatingCommand(self, result))

        return self.write(f"Rating of {agent} on {skill}",
                          lambda _token: set_rating(plan, agent, skill, value),
                          on_done=rated) is not None

    def estimate(self) -> None:
        """Estimate the chosen measure's weights from history (in a worker)."""
        plan, code = self.document.plan, self.measure.currentData()
        self.fit.setText("Estimating from the plan's history\u2026")
        self.context.runner.start("skill-weights", lambda _token: estimate_for(plan, code),
                                  on_done=self._show_estimate, on_error=self._on_failed)

    def _show_estimate(self, found: tuple[dict, str]) -> None:
        weights, fit = found
        matrix = self.model.matrix
        self._estimated = True
        self.weights.set_rows([(s, n, weights.get(s, 0.0))
                               for s, n in zip(matrix.skills, matrix.skill_names)])
        self.fit.setText(f"Estimated, not yet saved: {fit}. R\u00b2 is the share of the "
                         "differences between agents' results that their skills explain.")

    def _on_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.fit.setText(str(error))
        else:
            raise error

    def save(self) -> None:
        """Save the weights shown for the chosen measure."""
        source = "estimated" if self._estimated else "manual"
        plan, code, weights = self.document.plan, self.measure.currentData(), \
            self.weights.weights()

        def saved(result: OpResult) -> None:
            self.apply(result)
            self.fit.setText(f"Saved ({source}).")

        self.write("Save weights", lambda _token: save_weights(plan, code, weights, source),
                   on_done=saved)
