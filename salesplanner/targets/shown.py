"""What the target planner shows, read together in a worker: the list of
scenarios, the one shown and the one in force, with the team's chance
brought up to date from the quarter's outlook (which is why this is not in
:mod:`.stored_scenarios`: the outlook reads the scenarios in force)."""

from __future__ import annotations

from dataclasses import dataclass

from salesplanner.analysis.forecast import outlook
from salesplanner.metrics import registry
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.stored_scenarios import (
    Scenario, list_scenarios, load_scenario, scenario_in_force,
)


@dataclass
class ShownScenarios:
    """What the target planner shows, read together (in a worker, off the window).

    ``listed`` is every scenario (:func:`list_scenarios`) when asked for, else
    None; ``shown`` the stored scenario shown (None for a preview or a
    scenario no longer there); ``chosen`` the scenario in force for the
    measure and quarter shown, to compare with (None when there is none).
    """

    listed: list[dict] | None
    shown: Scenario | None
    chosen: Scenario | None


def read_shown(plan: PlanFile, scenario_id: int | None, measure: str | None = None,
               quarter: Quarter | str | None = None, *, listing: bool = False,
               known: Scenario | None = None) -> ShownScenarios:
    """The scenarios the target planner shows: the list (if ``listing``), the
    scenario ``scenario_id`` (or none: a preview of ``measure`` in ``quarter``)
    and the one in force for its measure and quarter. ``known`` is a scenario
    already read, used again if it is the one in force (after a change, pass
    None: its targets may have moved). With ``listing``, a scenario that is no
    longer listed is not shown."""
    listed = list_scenarios(plan) if listing else None
    if listed is not None and scenario_id not in {s["id"] for s in listed}:
        scenario_id = None
    shown = load_scenario(plan, scenario_id) if scenario_id is not None else None
    if shown is not None:
        measure, quarter = shown.measure, shown.quarter
        _chance_now(plan, shown)
    chosen = None
    if measure is not None and quarter is not None:
        # Those in force for this measure and quarter, never another measure's.
        found = scenario_in_force(plan, measure, str(quarter))
        if found is not None:
            chosen = (shown if shown is not None and shown.id == found["id"]
                      else known if known is not None and known.id == found["id"]
                      else load_scenario(plan, found["id"]))
    return ShownScenarios(listed, shown, chosen)


def _chance_now(plan: PlanFile, scenario: Scenario) -> None:
    """Bring the team's chance stored with ``scenario`` up to date: when it
    came from the quarter's outlook (a sum, the whole centre, no new
    starters, not set as of an earlier day), the outlook as it is now, as
    Performance and the Overview give it; the data may have moved since."""
    settings = scenario.settings
    measure = registry(plan).get(scenario.measure)
    if scenario.summary.get("team_chance") is None or measure is None or not measure.additive \
            or settings.team is not None or settings.new_starters or settings.as_of:
        return
    seen = outlook(plan, scenario.measure)
    if seen is None or str(seen.quarter) != str(scenario.quarter):
        return
    chance = seen.chance_of(scenario.team_target)
    if chance is not None:
        scenario.summary = {**scenario.summary, "team_chance": chance}
