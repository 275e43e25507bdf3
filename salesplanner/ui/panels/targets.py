"""The Targets panel: the quarterly target planner.

It opens on the targets in force (the published, else the chosen scenario
for the measure and quarter) with that scenario's inputs filled in; with
none, on a preview of the default inputs, saying so. Once the manager
changes an input (measure, team target or growth on the forecast, the band
of agents expected to make it, guardrails, shrinkage, history) the proposal
is worked out in a worker as they type (a what-if preview of the changed
inputs, side by side with the plan's chosen targets). Saving makes
it a scenario; a scenario can be chosen as the plan's targets, published,
and any agent's target overridden with a reason (double-click the target):
the others rebalance, the change is recorded and Edit > Undo puts it back.
Each row explains how its target was built and shows its SMART check.

Its parts: the inputs form (:mod:`.targets_inputs`), the targets table
(:mod:`.targets_table`) and the planned hours (:mod:`.targets_hours`).

Nothing here reads the plan on the interface thread: a refresh is one
worker job (the proposal, or the scenario shown, with the list of scenarios
and the targets in force to compare with; the planned hours); a newer job of
the same kind replaces an older one, and a late result (an older job's, or
one for a plan since closed) is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QInputDialog,
    QDialog, QLabel, QMessageBox, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from salesplanner import changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.inputs import from_percent
from salesplanner.jobs import JobToken
from salesplanner.metrics import format_value, registry
from salesplanner.summary import team_names
from salesplanner.targets import scenarios
from salesplanner.periods import Quarter
from salesplanner.targets.capacity import NewStarter, hours_table, set_planned_hours
from salesplanner.targets.from_excel import SheetEdits
from salesplanner.targets.proposal import AgentTarget, Proposal, TargetSettings, propose
from salesplanner.targets.settings import team_target_text
from salesplanner.targets.shown import ShownScenarios, read_shown
from salesplanner.targets.stored_scenarios import scenario_in_force
from salesplanner.ui.backtest_dialog import BacktestDialog, summary_line
from salesplanner.ui.columns import sort_by_header
from salesplanner.ui.formatting import RAG_COLOURS
from salesplanner.ui.panels import targets_excel
from salesplanner.ui.panels.base import Panel, PanelContext, fill_measures
from salesplanner.ui.panels.targets_hours import HoursCommand, HoursModel
from salesplanner.ui.panels.targets_inputs import NewStarterDialog, TargetInputsBox
from salesplanner.ui.panels.targets_table import TargetRow, TargetsModel
from salesplanner.ui.typography import HEADING, emphasise
from salesplanner.ui.undo import TargetChangeCommand

#: How many rows a table's column widths are worked out from (beside those in view).
SIZING_ROWS = 40
#: The line under the table: how the columns add up, in a manager's words.
LEGEND = ("Target = Baseline + Skills + Stretch. <b>Skills</b> move work between agents "
          "(towards those whose skills run ahead of their results); they add up to nothing, "
          "so the team total is unchanged. <b>Stretch</b> is the gap between the baselines "
          "and the team target, shared by size and more to those with room to grow; it is "
          "negative when the team target is below the baselines. Double-click a target to "
          "override it.")

__all__ = ["HoursCommand", "HoursModel", "NewStarterDialog", "TargetRow", "TargetsModel",
           "TargetsPanel"]


def _explain(proposal: Proposal, agent: AgentTarget) -> str:
    return agent.explanation(proposal.measure, lambda v: format_value(v, proposal.measure.unit))


class TargetsPanel(Panel):
    """Propose, compare, save, choose, publish and override quarterly targets."""

    title = "Targets"
    icon = "targets"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        heading = emphasise(QLabel("Targets"), HEADING)
        inputs = self.inputs = TargetInputsBox()
        # The inputs stay reachable as the panel's own, as they were before the split.
        self.measure, self.team, self.team_target = inputs.measure, inputs.team, \
            inputs.team_target
        self.growth, self.band_low, self.band_high = inputs.growth, inputs.band_low, \
            inputs.band_high
        self.guard_low, self.guard_high = inputs.guard_low, inputs.guard_high
        self.shrinkage, self.history, self.ramp = inputs.shrinkage, inputs.history, inputs.ramp
        self.starters_label, self.add_starter, self.clear_starters = \
            inputs.starters_label, inputs.add_starter, inputs.clear_starters
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Team summary")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {RAG_COLOURS['red']}")
        self._make_table()
        self.legend = QLabel(LEGEND)
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("How the columns add up")
        bar = self._make_scenario_bar()
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(inputs)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        self._make_hours()
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.legend)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.refresh)
        inputs.inputs_changed.connect(self._inputs_changed)
        self.scenario.activated.connect(self._show_selected)
        self.compare.toggled.connect(lambda _on: self._show_rows())
        self.save_button.clicked.connect(self.save)
        self.choose_button.clicked.connect(lambda: self._set_status("chosen"))
        self.publish_button.clicked.connect(lambda: self._set_status("published"))
        self.backtest_button.clicked.connect(self.run_backtest)
        #: Whether the list of scenarios is to be read again (with the next read).
        self._scenarios_pending = False
        #: The scenario to select when the list is next read (None: keep the current).
        self._select: int | None = None
        #: Until the manager changes an input or picks the preview, the panel
        #: shows the targets in force (a preview of the defaults when there are none).
        self._opening = True
        #: Whether the manager changed an input since the plan was opened, and
        #: whether the inputs are still the defaults (for the preview's title).
        self._edited, self._defaults = False, True
        #: The latest read asked for, by kind: an older one's result is dropped.
        self._tickets: dict[str, int] = {}
        self.preview: Proposal | None = None
        self.shown: scenarios.Scenario | None = None
        self.chosen: scenarios.Scenario | None = None
        #: The dialog of targets edited in Excel, while it is open (for tests).
        self.edits_dialog: QDialog | None = None
        self.backtest_result: list | None = None
        self.backtest_dialog: BacktestDialog | None = None
        self._update_buttons()

    def _make_table(self) -> None:
        """The targets table (double-click a target to override it)."""
        self.model = TargetsModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Targets")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.model.column_of("explanation"),
                                    QHeaderView.ResizeMode.Stretch)
        # Widths from the rows in view and a sample, not every agent's row (as
        # the other panels' tables): sizing every row stalled each refresh.
        header.setResizeContentsPrecision(SIZING_ROWS)
        sort_by_header(self.table, "agent")
        self.table.doubleClicked.connect(self._on_double_clicked)

    def _make_scenario_bar(self) -> QGridLayout:
        """The scenario shown, the comparison and the scenario's buttons."""
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Scenario")
        self.compare = QCheckBox("Compare with the &chosen targets")
        self.compare.setChecked(True)
        self.save_button = QPushButton("Sa&ve as scenario")
        self.choose_button = QPushButton("C&hoose")
        self.publish_button = QPushButton("&Publish")
        self.backtest_button = QPushButton("Bac&k-test\u2026")
        self.excel_button = QPushButton("Import from E&xcel\u2026")
        self.excel_button.setToolTip("Bring back targets edited on the Targets sheet of an "
                                     "exported workbook (File > Export to Excel)")
        self.excel_button.clicked.connect(lambda: self.import_from_excel())
        bar = QGridLayout()
        showing = QLabel("Sho&wing:")
        showing.setBuddy(self.scenario)
        bar.addWidget(showing, 0, 0)
        bar.addWidget(self.scenario, 0, 1)
        bar.addWidget(self.compare, 0, 2)
        buttons = QHBoxLayout()
        for widget in (self.save_button, self.choose_button, self.publish_button,
                       self.backtest_button, self.excel_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        bar.addLayout(buttons, 1, 1, 1, 2)
        bar.setColumnStretch(1, 1)
        return bar

    def _make_hours(self) -> None:
        """The planned-hours table, and the tabs that hold it and the targets."""
        self.hours = HoursModel(self)
        self.hours.edit = self._edit_hours
        self.hours_view = QTableView()
        self.hours_view.setAccessibleName("Planned hours")
        self.hours_view.setModel(self.hours)
        self.hours_view.verticalHeader().hide()
        self.hours_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.hours_view.horizontalHeader().setResizeContentsPrecision(SIZING_ROWS)
        sort_by_header(self.hours_view, "agent")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "&Targets")
        self.tabs.addTab(self.hours_view, "Planned &hours")
        self.tabs.currentChanged.connect(lambda i: self._show_hours() if i == 1 else None)

    # -- plan events ------------------------------------------------------------------------

    def on_plan_opened(self) -> None:
        """Fill the measures and teams; propose when the panel is shown."""
        plan, info = self.document.plan, self.document.info
        fill_measures(self.measure, plan, (info and scenarios.measure_in_force(
            plan, info.quarter)) or "revenue")
        # A new plan starts from the default inputs, not the last plan's.
        self.inputs.set_settings(TargetSettings(measure=self.measure.currentData()
                                                or "revenue"))
        self._opening, self._edited, self._defaults = True, False, True
        self.team.clear()
        self.team.addItem("Whole centre", None)
        for name in team_names(plan):
            self.team.addItem(name, name)
        # The scenarios are read when the panel is first shown, not at every
        # plan open (loading a chosen scenario of 400 agents is work for nothing
        # while another panel is on screen).
        self._scenarios_pending = True
        self.refresh_when_shown()

    def on_plan_closed(self) -> None:
        """Forget the closed plan's targets (and drop any read still running)."""
        self._tickets.clear()
        self._scenarios_pending, self._select = False, None
        self.preview = self.shown = self.chosen = None
        self.model.set_rows([])
        self.scenario.clear()
        self.summary.clear()
        self.warning.clear()
        if self.backtest_dialog is not None:
            self.backtest_dialog.close()  # its figures were the closed plan's

    def on_plan_changed(self, result: OpResult, initiator: object) -> None:
        """Scenarios or data changed: list and show them again."""
        if result.touches(changes.TARGETS):
            self._fill_scenarios(result.detail.get("scenario_id"))
        if result.touches(changes.SALES, changes.CALLS, changes.AGENTS, changes.SKILLS,
                          changes.IMPORTS) and self.shown is None:
            self.refresh_when_shown()
        if result.touches(changes.AGENTS) and self.tabs.currentIndex() == 1:
            self._show_hours()

    # -- the preview ------------------------------------------------------------------------

    def _inputs_changed(self, *_args: object) -> None:
        self._opening, self._edited, self._defaults = False, True, False
        if self.scenario.count():
            self.scenario.setItemText(0, self._preview_label())
        self.scenario.setCurrentIndex(0)  # back to the preview of these inputs
        self.shown = None
        # A scenario still being read is not shown now (the list, if it was to be
        # read, comes with the preview).
        if self._tickets.pop("targets-scenarios", None) is not None:
            self._update_buttons()
        self._debounce.start()

    def settings(self) -> TargetSettings:
        """The inputs as settings; refuses a team target that is not a number."""
        return self.inputs.settings()

    def _ramp(self) -> tuple[float, ...]:
        return self.inputs.ramp_shares()

    @property
    def starters(self) -> list[NewStarter]:
        """The what-if's new starters."""
        return self.inputs.starters

    def set_starters(self, starters: list[NewStarter]) -> None:
        """The what-if's new starters."""
        self.inputs.set_starters(starters)

    def new_starter(self) -> None:
        """Ask for a new starter to add to the what-if."""
        self.inputs.new_starter()

    def refresh(self) -> None:
        """Work out the proposal for the inputs in a worker (a preview, not saved);
        on opening, show the targets in force instead, when there are some."""
        plan = self.document.plan
        if plan is None or self.measure.currentData() is None:
            return
        if self._opening:
            self._open_on_targets_in_force()
            return
        try:
            chosen = self.settings()
        except UserError as exc:
            if self._scenarios_pending:
                self._fill_scenarios()
            self.warning.setText(str(exc))
            return
        self.summary.setText("Working out the targets\u2026")
        # One job: the proposal, then the targets in force to compare it with
        # (and the list of scenarios, the first time the panel is shown).
        listing, known = self._scenarios_pending, self.chosen

        def work(_token: object) -> tuple[Proposal, ShownScenarios]:
            proposal = propose(plan, chosen)
            return proposal, read_shown(plan, None, proposal.measure.code, proposal.quarter,
                                        listing=listing, known=None if listing else known)

        self._start_read("targets", work, lambda done: self.show_preview(*done),
                         self._on_failed)

    def _open_on_targets_in_force(self) -> None:
        """Read the scenario in force for the measure and the plan's quarter (and the
        list) in a worker; with none, work out the preview of the default inputs."""
        plan, measure = self.document.plan, self.measure.currentData()
        quarter = self.document.info.quarter if self.document.info else None
        try:
            chosen = self.settings()
        except UserError:
            chosen = TargetSettings(measure=measure)
        self.summary.setText("Reading the targets in force…")

        def work(_token: object) -> tuple[Proposal | None, ShownScenarios]:
            found = scenario_in_force(plan, measure, str(quarter)) if quarter else None
            if found is not None:
                return None, read_shown(plan, found["id"], listing=True)
            proposal = propose(plan, chosen)
            return proposal, read_shown(plan, None, proposal.measure.code, proposal.quarter,
                                        listing=True)

        def done(result: tuple[Proposal | None, ShownScenarios]) -> None:
            proposal, read = result
            if proposal is None:
                self.preview = None
                self._show_read(read)
            else:
                self.show_preview(proposal, read)

        self._start_read("targets", work, done, self._on_failed)

    def _preview_label(self) -> str:
        """What the preview is of, for the list of what can be shown."""
        inputs = ("changed inputs" if self._edited else "the default inputs"
                  if self._defaults else "the inputs")
        return f"Preview of {inputs} (not saved)"

    def _start_read(self, kind: str, work: Callable[[JobToken], Any],
                    on_done: Callable[[Any], object],
                    on_error: Callable[[BaseException, str], object]) -> None:
        """Run ``work`` in a worker; ``on_done`` only if it is still the latest read
        of its kind for the plan open."""
        plan = self.document.plan
        ticket = self._tickets[kind] = self._tickets.get(kind, 0) + 1

        def done(result: object) -> None:
            if self._tickets.get(kind) == ticket and self.document.plan is plan:
                del self._tickets[kind]
                on_done(result)
                self._update_buttons()

        def failed(error: BaseException, trace: str) -> None:
            if self._tickets.get(kind) == ticket and self.document.plan is plan:
                del self._tickets[kind]
                self._update_buttons()
                on_error(error, trace)

        self._update_buttons()
        self.context.runner.start(kind, work, on_done=done, on_error=failed)

    def show_preview(self, proposal: Proposal, read: ShownScenarios | None = None) -> None:
        """Show a freshly computed proposal (beside the targets in force, when read)."""
        self.preview = proposal
        self.shown = None
        if read is not None:
            self.chosen = read.chosen
            if read.listed is not None:
                self._list_scenarios(read.listed)
        self.scenario.setCurrentIndex(0)
        self._show_rows()
        self._update_buttons()

    def _on_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.summary.setText("No targets for these inputs.")
            self.warning.setText(str(error))
            self.model.set_rows([])
        else:
            raise error

    # -- showing -----------------------------------------------------------------------------

    def _rows(self) -> list[TargetRow]:
        compare = {}
        if self.compare.isChecked() and self.chosen is not None and (
                self.shown is None or self.shown.id != self.chosen.id):
            compare = {t.code: t.target for t in self.chosen.targets}
        if self.shown is not None:
            return [TargetRow(t.code, t.name, t.team, t.baseline, t.skill_adjustment, t.stretch,
                              t.target, t.likelihood, t.smart, t.explanation, t.guardrail,
                              t.override, compare.get(t.code)) for t in self.shown.targets]
        if self.preview is None:
            return []
        p = self.preview
        return [TargetRow(a.code, a.name, a.team, a.baseline, a.skill_adjustment, a.stretch,
                          a.target, a.likelihood, a.smart, _explain(p, a), a.guardrail,
                          a.override, compare.get(a.code)) for a in p.agents]

    def _show_rows(self) -> None:
        plan = self.document.plan
        if plan is None:
            return
        measure_code = self.shown.measure if self.shown else (
            self.preview.measure.code if self.preview else None)
        if measure_code is None:
            return
        measure = registry(plan)[measure_code]
        # The targets to compare with (self.chosen) were read with what is shown:
        # those in force for this measure and quarter, never another measure's.
        self.model.unit = measure.unit
        self.model.currency = self.document.info.currency if self.document.info else "GBP"
        self.model.band = self.shown.settings.band if self.shown else self.preview.settings.band
        self.model.set_rows(self._rows())
        self.table.setColumnHidden(self.model.column_of("compare"), not any(
            r.compare is not None for r in self.model.rows))

        def fmt(value: float) -> str:
            return format_value(value, measure.unit, self.model.currency)

        def team(value: float, source: str) -> str:
            amount = team_target_text(value, measure.unit, "", self.model.currency)
            return f"<b>{amount}</b>" + (f" ({source})" if source else "")

        if self.shown is not None:
            s = self.shown
            share, warning = s.summary.get("expected_share"), s.summary.get("band_warning")
            team_chance = s.summary.get("team_chance")
            head = (f"<b>{s.name}</b> ({s.status}): {measure.name}, {s.quarter}, team target "
                    f"{team(s.team_target, s.summary.get('target_source', ''))}")
            notes = s.summary.get("notes", [])
            fit = s.summary.get("skill_fit", "")
        else:
            p = self.preview
            share, warning, team_chance = p.expected_share, p.band_warning(), p.team_chance
            what = self._preview_label().removesuffix(" (not saved)")
            none_yet = "" if self.chosen is not None or self._edited else (
                f"; no targets chosen for {measure.name} in {p.quarter} yet")
            head = (f"<b>{what}</b> (not saved{none_yet}): {measure.name}, {p.quarter}, team "
                    f"target {team(p.team_target, p.target_source)}; targets add up to "
                    f"{team_target_text(p.total, measure.unit, '', self.model.currency)}")
            notes, fit = p.notes, p.skill_fit
        if share is not None:
            head += f"; <b>{share:.0%}</b> of agents expected to reach their target"
        if team_chance is not None:
            head += f"; a {team_chance:.0%} chance the team reaches the team target"
        if self.chosen is not None and self.compare.isChecked() and (
                self.shown is None or self.shown.id != self.chosen.id):
            head += f"; chosen targets: {team(self.chosen.team_target, '')}"
        self.summary.setText(head + (f"<br><small>{fit}" + "".join(
            f" \u00b7 {n}" for n in notes) + "</small>" if fit or notes else ""))
        self.warning.setText(warning or "")

    def _fill_scenarios(self, select: int | None = None) -> None:
        """List the scenarios again and show ``select`` (else the one selected)."""
        if select is not None:
            self._select = select
        self._scenarios_pending = True
        self._show_selected()

    def _show_selected(self, *_args: object) -> None:
        """Read the scenario selected (or the preview's comparison) in a worker."""
        plan = self.document.plan
        if plan is None:
            return
        current = self._select if self._select is not None else self.scenario.currentData()
        if current is None and self.preview is None and not self._scenarios_pending:
            # The preview picked while a scenario was shown: work it out for the inputs.
            self._opening = False
            self.shown = None
            self.scenario.setItemText(0, self._preview_label())
            self.refresh()
            return
        listing = self._scenarios_pending
        # After a change the targets in force are read again (they may have moved).
        known = None if listing else self.chosen
        preview = self.preview
        measure, quarter = (preview.measure.code, preview.quarter) if preview else (None, None)
        self._start_read(
            "targets-scenarios",
            lambda _token: read_shown(plan, current, measure, quarter, listing=listing,
                                      known=known),
            self._show_read, self._on_read_failed)

    def _show_read(self, read: ShownScenarios) -> None:
        if read.listed is not None:
            self._list_scenarios(read.listed)
        index = self.scenario.findData(read.shown.id) if read.shown is not None else 0
        self.scenario.setCurrentIndex(max(0, index))
        self.shown, self.chosen = read.shown, read.chosen
        if self.shown is not None:
            # The inputs are those the scenario shown was made with.
            self.inputs.set_settings(self.shown.settings)
            self._edited, self._defaults = False, False
            self.scenario.setItemText(0, self._preview_label())
        if self.shown is not None or self.preview is not None:
            self._show_rows()

    def _list_scenarios(self, listed: list[dict]) -> None:
        self._scenarios_pending, self._select = False, None
        self.scenario.clear()
        self.scenario.addItem(self._preview_label(), None)
        for s in listed:
            self.scenario.addItem(f"#{s['id']} {s['name']} \u2014 {s['status']}", s["id"])

    def _on_read_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):  # a scenario removed meanwhile: list them again
            self.context.show_message(str(error), error=True)
            self._fill_scenarios()
        else:
            raise error

    def show_writing(self, writing: bool) -> None:
        """No second change while one is being saved."""
        super().show_writing(writing)
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = self.document.is_open and not self.document.read_only and not self.writing
        # Not while what is shown is being read (the buttons act on what is shown).
        settled = writable and "targets-scenarios" not in self._tickets
        self.save_button.setEnabled(settled and self.shown is None and self.preview is not None)
        self.choose_button.setEnabled(settled and self.shown is not None
                                      and self.shown.status not in ("chosen", "published"))
        self.publish_button.setEnabled(settled and self.shown is not None
                                       and self.shown.status != "published")
        self.backtest_button.setEnabled(self.document.is_open)
        self.excel_button.setEnabled(writable)

    # -- operations --------------------------------------------------------------------------

    def save(self) -> None:
        """Store the preview as a new draft scenario."""
        if self.preview is None:
            return
        name, ok = QInputDialog.getText(self, "Save scenario", "Name of the scenario:",
                                        text=f"{self.preview.measure.name} "
                                        f"{self.preview.quarter}")
        if not ok:
            return
        plan, preview = self.document.plan, self.preview
        self.write("Save scenario",
                   lambda _token: scenarios.save_scenario(plan, preview, name or None))

    def _quarter(self) -> Quarter:
        from salesplanner.targets.proposal import plan_quarter

        return plan_quarter(self.document.plan)

    def _show_hours(self) -> None:
        """Read the planned hours in a worker (a frame's worth of work and more)."""
        plan = self.document.plan
        if plan is None:
            return
        quarter, shrinkage = self._quarter(), from_percent(self.shrinkage.value())
        ramp = self._ramp_or_default()

        def show(records: list[dict]) -> None:
            self.hours.editable = not self.document.read_only
            self.hours.set_rows(records)

        self._start_read("targets-hours", lambda _token: hours_table(
            plan, quarter, shrinkage, ramp).to_dict("records"), show, self._on_hours_failed)

    def _on_hours_failed(self, error: BaseException, trace: str) -> None:
        raise error

    def _ramp_or_default(self) -> tuple[float, ...]:
        try:
            return self._ramp()
        except UserError:
            return TargetSettings().ramp

    def _edit_hours(self, agent: str, field: str, text: str) -> bool:
        from datetime import date

        text = text.strip().rstrip("%").strip()
        try:
            value: date | float | None
            if field in ("available_from", "available_to"):
                value = date.fromisoformat(text) if text else None
            else:
                value = float(text) if text else None
                if field == "shrinkage" and value is not None and value >= 1:
                    value /= 100
        except ValueError:
            self.context.show_message(
                f"{text!r} is not a {'date (YYYY-MM-DD)' if 'available' in field else 'number'};"
                " nothing was changed", error=True)
            return False
        plan, quarter = self.document.plan, self._quarter()

        def done(result: OpResult) -> None:
            self.apply(result)
            self.document.undo_stack.push(HoursCommand(self, result, quarter))

        return self.write("Planned hours", lambda _token: set_planned_hours(
            plan, quarter, agent, **{field: value}), on_done=done) is not None  # type: ignore[arg-type]  # the field's own type

    def _set_status(self, status: str) -> None:
        if self.shown is not None:
            plan, scenario_id = self.document.plan, self.shown.id
            self.write(f"Scenario {status}",
                       lambda _token: scenarios.set_status(plan, scenario_id, status))

    def _on_double_clicked(self, index: QModelIndex) -> None:
        target = self.model.column_of("target")
        if index.column() != target or self.shown is None:
            if index.column() == target:
                self.context.show_message("Save the preview as a scenario to override a target")
            return
        row: TargetRow = self.model.rows[index.row()]
        value, ok = QInputDialog.getDouble(
            self, "Override target", f"New target for {row.code} {row.name}:", row.target,
            -1e12, 1e12, 3)
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "Override target",
                                          "Why (recorded with the change):")
        if not ok:
            return
        total = format_value(self.shown.team_target, self.model.unit, self.model.currency)
        keep = QMessageBox.question(
            self, "Override target",
            f"Keep the team target at {total}?\n\n"
            "Yes: the other agents' targets rebalance so the total holds.\n"
            "No: the team target moves by the change instead.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        self.override(row.code, value, reason,
                      unlock_total=keep == QMessageBox.StandardButton.No)

    def override(self, agent: str, value: float, reason: str,
                 unlock_total: bool = False) -> None:
        """Override one agent's target in the shown scenario (on the write queue)."""
        plan, scenario_id = self.document.plan, self.shown.id
        if self.write("Override target",
                      lambda _token: scenarios.override_target(plan, scenario_id, agent, value,
                                                               reason, unlock_total),
                      on_done=self._overridden, on_error=self._on_override_failed):
            self.summary.setText("Rebalancing the other targets\u2026")

    def _overridden(self, result: OpResult) -> None:
        self.apply(result)
        self.document.undo_stack.push(TargetChangeCommand(self, result.message))

    def _on_override_failed(self, error: BaseException, trace: str) -> None:
        if isinstance(error, UserError):
            self.context.show_message(str(error), error=True)
            self._show_rows()
        else:
            raise error

    def import_from_excel(self, path: str | None = None) -> None:
        """Read targets edited in a workbook (in a worker), then show the difference."""
        targets_excel.import_from_excel(self, path)

    def review_edits(self, edits: list[SheetEdits], source: str) -> None:
        """Show the changes and apply them with the reason given."""
        targets_excel.review_edits(self, edits, source)

    def run_backtest(self) -> None:
        """Back-test the likelihoods for the chosen measure (in a worker)."""
        from salesplanner.targets.backtest import backtest

        plan = self.document.plan
        chosen = self.settings()
        self.summary.setText("Back-testing against earlier quarters\u2026")
        self.context.runner.start("targets-backtest", lambda _token: backtest(plan, chosen),
                                  on_done=self._show_backtest, on_error=self._on_failed)

    def _show_backtest(self, checks: list) -> None:
        """Show the result in the Back-test window (one kept per panel, not modal)."""
        self.backtest_result = checks
        if self.backtest_dialog is None:
            self.backtest_dialog = BacktestDialog(self)
        scored = self.backtest_dialog.show_checks(checks, self.measure.currentText())
        self.summary.setText(summary_line(scored))
        if self.backtest_dialog.isVisible():
            self.backtest_dialog.raise_()  # a new window comes up on top by itself
        self.backtest_dialog.show()
