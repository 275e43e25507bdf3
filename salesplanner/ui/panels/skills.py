"""The Skills panel: the skill matrix, edited in place, and the skill weights.

Agents down, skills across, each rating 1-5 on a colour scale (red for
developing to green for expert); type a digit over a cell to change it, or
clear it; Edit > Undo puts it back. Below, how much each skill matters for
a measure: estimated from the plan's history (with how well skills explain
results) or set by hand, and saved for the target planner to use.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.skill_matrix import SkillMatrix, set_rating, skill_matrix
from salesplanner.targets.proposal import estimate_for
from salesplanner.targets.skills import save_weights, stored_weights
from salesplanner.ui.panels.base import Panel, fill_measures
from salesplanner.ui.row_models import Index, RowTableModel
from salesplanner.ui.typography import HEADING, emphasise

_Index = QModelIndex | QPersistentModelIndex
#: Background by rating: red (1, developing) through amber to green (5, expert).
SCALE = {1: "#f4c7c3", 2: "#f9dcb4", 3: "#fdf2c4", 4: "#d6ecc9", 5: "#b3dcb8"}
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


class SkillMatrixModel(QAbstractTableModel):
    """Agents x skills; editing a cell calls :attr:`edit` (an operation), never SQL."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.matrix: SkillMatrix | None = None
        self.editable = False
        #: Called with (agent code, skill code, rating or None); returns whether it took.
        self.edit = lambda agent, skill, rating: False

    def set_matrix(self, matrix: SkillMatrix | None) -> None:
        """Show ``matrix``."""
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        """One row per agent, and the team average."""
        return 0 if parent.isValid() or self.matrix is None or not self.matrix.agents \
            else len(self.matrix.agents) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        """One column per skill."""
        return 0 if parent.isValid() or self.matrix is None else len(self.matrix.skills)

    def _average_row(self, row: int) -> bool:
        return self.matrix is not None and row == len(self.matrix.agents)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The rating, its colour, and the average row in italics."""
        if not index.isValid() or self.matrix is None:
            return None
        row, column = index.row(), index.column()
        if self._average_row(row):
            value = self.matrix.averages()[column]
            if role == Qt.ItemDataRole.DisplayRole:
                return "" if value != value else f"{value:.1f}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _CENTRE
            return None
        value = self.matrix.ratings[row, column]
        rating = None if value != value else int(value)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return "" if rating is None else str(rating)
        if role == Qt.ItemDataRole.BackgroundRole and rating is not None:
            return QColor(SCALE[rating])
        if role == Qt.ItemDataRole.ForegroundRole and rating is not None:
            return QColor("#1a1a1a")  # dark on the light scale, in dark mode too
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRE
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{self.matrix.names[row]} \u2014 {self.matrix.skill_names[column]}: "
                    + ("not rated" if rating is None else f"{rating} of 5"))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Ratings are editable when the plan is."""
        base = super().flags(index)
        if index.isValid() and self.editable and not self._average_row(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _Index, value: object,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Change a rating through the panel's operation."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.matrix is None:
            return False
        text = str(value).strip()
        rating = None if text == "" else text
        return self.edit(self.matrix.agents[index.row()], self.matrix.skills[index.column()],
                         rating)

    def update_rating(self, agent: str, skill: str, rating: int | None) -> None:
        """Show one changed rating without a reload."""
        if self.matrix is None or agent not in self.matrix.agents:
            return
        row, column = self.matrix.agents.index(agent), self.matrix.skills.index(skill)
        self.matrix.ratings[row, column] = float("nan") if rating is None else rating
        self.dataChanged.emit(self.index(row, column), self.index(row, column))
        last = len(self.matrix.agents)
        self.dataChanged.emit(self.index(last, column), self.index(last, column))

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Skill names across; agents (and the average) down."""
        if role != Qt.ItemDataRole.DisplayRole or self.matrix is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _two_lines(self.matrix.skill_names[section]) \
                if section < len(self.matrix.skills) else None
        if section == len(self.matrix.agents):
            return "Team average"
        if section < len(self.matrix.agents):
            return f"{self.matrix.agents[section]} {self.matrix.names[section]}"
        return None


def _two_lines(name: str) -> str:
    """A long skill name broken at the space nearest its middle, for a narrow column."""
    if len(name) <= 12 or " " not in name:
        return name
    middle = len(name) / 2
    cut = min((i for i, c in enumerate(name) if c == " "), key=lambda i: abs(i - middle))
    return name[:cut] + "\n" + name[cut + 1:]


class WeightsModel(RowTableModel):
    """One row per skill: its weight for the chosen measure."""

    COLUMNS = ("Skill", "Weight")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Name and weight (as a share)."""
        if not index.isValid():
            return None
        name, weight = self.rows[index.row()][1:]
        if role == Qt.ItemDataRole.DisplayRole:
            return name if index.column() == 0 else f"{weight:.0%}"
        if role == Qt.ItemDataRole.EditRole and index.column() == 1:
            return f"{weight * 100:.0f}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Weights are typed as per cent."""
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else base

    def setData(self, index: Index, value: object,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A weight typed as per cent (kept until saved)."""
        try:
            weight = float(str(value).strip().rstrip("%")) / 100
        except ValueError:
            return False
        if weight < 0:
            return False
        code, name, _old = self.rows[index.row()]
        self.rows[index.row()] = (code, name, weight)
        self.dataChanged.emit(index, index)
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
        self.panel.apply(set_rating(self.panel.document.plan, self.detail["agent"],
                                    self.detail["skill"], self.detail["new"]))

    def undo(self) -> None:
        """Put the old rating back."""
        self.panel.apply(set_rating(self.panel.document.plan, self.detail["agent"],
                                    self.detail["skill"], self.detail["old"]))


class SkillsPanel(Panel):
    """The skill matrix and the skill weights of each measure."""

    title = "Skills"
    icon = "skills"

    def __init__(self, context, parent=None) -> None:  # noqa: ANN001
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
        self.table.horizontalHeader().setMinimumHeight(
            self.table.fontMetrics().lineSpacing() * 2 + 8)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter
                                                          | Qt.AlignmentFlag.AlignVCenter)
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measure the weights are for")
        self.weights = WeightsModel(self)
        self.weights_view = QTableView()
        self.weights_view.setAccessibleName("Skill weights")
        self.weights_view.setModel(self.weights)
        self.weights_view.verticalHeader().hide()
        self.weights_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
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
        self.measure.activated.connect(lambda _i: self._show_weights())
        self.estimate_button.clicked.connect(self.estimate)
        self.save_button.clicked.connect(self.save)

    def on_plan_opened(self) -> None:
        """Read the matrix and the measures."""
        plan = self.document.plan
        fill_measures(self.measure, plan, "sales")
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
            self.model.update_rating(d["agent"], d["skill"], d["new"])
        elif result.touches(changes.SKILLS, changes.AGENTS, changes.IMPORTS):
            self.refresh_when_shown()

    def refresh(self) -> None:
        """Read the matrix and the chosen measure's weights."""
        plan = self.document.plan
        if plan is None:
            return
        self.model.editable = not self.document.read_only
        self.model.set_matrix(skill_matrix(plan))
        self._show_weights()

    def _show_weights(self) -> None:
        plan = self.document.plan
        matrix = self.model.matrix
        code = self.measure.currentData()
        if plan is None or matrix is None or code is None:
            return
        stored, source = stored_weights(plan, code)
        if stored:
            self.fit.setText(f"Saved weights ({source}).")
        else:
            self.fit.setText("No weights saved for this measure: the target planner estimates "
                             "them from history. Estimate them here to see and adjust them.")
        equal = 1 / len(matrix.skills) if matrix.skills else 0.0
        self.weights.set_rows([(s, n, stored.get(s, 0.0) if stored else equal)
                               for s, n in zip(matrix.skills, matrix.skill_names)])
        self.save_button.setEnabled(not self.document.read_only)

    def _edit(self, agent: str, skill: str, rating: object) -> bool:
        try:
            value = None if rating is None else int(str(rating))
            result = set_rating(self.document.plan, agent, skill, value)
        except (UserError, ValueError) as exc:
            message = str(exc) if isinstance(exc, UserError) else \
                f"{rating!r} is not a whole number from 1 to 5; nothing was changed"
            self.context.show_message(message, error=True)
            return False
        self.apply(result)
        self.document.undo_stack.push(RatingCommand(self, result))
        return True

    def estimate(self) -> None:
        """Estimate the chosen measure's weights from history (in a worker)."""
        plan, code = self.document.plan, self.measure.currentData()
        self.fit.setText("Estimating from the plan's history\u2026")
        self.context.runner.start("skill-weights", lambda _token: estimate_for(plan, code),
                                  on_done=self._show_estimate, on_error=self._on_failed)

    def _show_estimate(self, found: tuple[dict, str]) -> None:
        weights, fit = found
        matrix = self.model.matrix
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
        source = "estimated" if self.fit.text().startswith("Estimated") else "manual"
        try:
            result = save_weights(self.document.plan, self.measure.currentData(),
                                  self.weights.weights(), source)
        except UserError as exc:
            self.context.show_message(str(exc), error=True)
            return
        self.apply(result)
        self.fit.setText(f"Saved ({source}).")
