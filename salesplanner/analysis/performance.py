"""Monitoring: the team and every agent against target, with warnings and where to coach.

For a period (quarter, month or week to date, or any range) and a measure of
the registry:

- **actual**: the measure over the period, for the centre, each team and
  each agent, from the same daily sums every other figure uses;
- **target to date**: the chosen (or published) scenario's target for the
  quarter phased by its weekly milestones, each week counted for the days of
  it inside the period (a ratio measure's target is its rate);
- **attainment** (actual over target to date; for a lower-is-better rate,
  target over actual), **variance** (actual less target to date), and the
  **projection** to the quarter's end. For the whole centre and a sum, when
  the period ends on the data's last day in the quarter the data is in, it
  is the **outlook** (:func:`salesplanner.analysis.forecast.outlook`: the
  actual so far plus the forecast for the rest, the Forecast panel's
  figure). For a team or an agent, and for the centre otherwise, it is the
  **run rate**: the actual so far over the share of the quarter's phased
  target that has passed (for a rate, the rate so far). Each row names its
  rule in ``projection_basis``;
- **red/amber/green**: a rate with thresholds in the registry is rated by
  them; everything else by attainment (red under 90%, green from 100%);
- **sparkline**: the last eight weeks' values.

:func:`performance` reads the plan's daily sums once per plan state (from
:mod:`salesplanner.daily_figures`, shared with the trends) and is then pure
array work: any other period or measure takes milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from salesplanner.daily_figures import (
    DailySums, contracted_hours, daily_sums, hours_by_label, in_major_units, money_scale,
)
from salesplanner.errors import UserError
from salesplanner.inputs import period_bounds
from salesplanner.metrics import MetricDefinition, measure_values, rag, registry
from salesplanner.analysis.benchmarks import benchmarks, known_or_nan, shifted
from salesplanner.analysis.forecast import QuarterOutlook, outlook

from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.stored_scenarios import cached_scenario, scenario_in_force

#: Attainment edges when a measure has no thresholds of its own.
RED_BELOW, GREEN_FROM = 0.9, 1.0
SPARK_WEEKS = 8
NO_TEAM = "no team"  #: the team of agents who have none


@dataclass
class Row:
    """One team or agent (or the centre) in the period."""

    level: str
    key: str
    name: str
    team: str
    actual: float
    target_to_date: float | None
    quarter_target: float | None
    projection: float | None
    rag: str | None
    sparkline: list[float] = field(default_factory=list)
    #: Which sparkline weeks have data behind them (inside the plan's data and
    #: worked): a week before the data starts or before an agent joined is
    #: no week of history, though a sum reads 0 there.
    sparkline_known: list[bool] = field(default_factory=list)
    #: The same figure for comparison: ``team_average`` (an agent's team per
    #: agent; a team's: the centre per team), ``top_quartile`` (of agents, or
    #: of teams), ``last_quarter`` and ``last_year`` (the same stretch of days).
    benchmarks: dict[str, float | None] = field(default_factory=dict)
    #: How ``projection`` was made: ``outlook`` (actual plus the forecast for
    #: the rest), ``run rate`` (the pace of the phased target so far) or
    #: ``rate so far`` (a ratio); None without a projection.
    projection_basis: str | None = None
    #: Any record (a sale, a call ...) in the period (agents; others always True).
    active: bool = True

    @property
    def leaver(self) -> bool:
        """An agent with no target and no activity in the period (left, or not started)."""
        return self.level == "agent" and self.target_to_date is None and not self.active

    @property
    def attainment(self) -> float | None:
        """Actual over target to date (1.0 is on target)."""
        if self.target_to_date in (None, 0) or self.actual != self.actual:
            return None
        return self.actual / self.target_to_date

    @property
    def variance(self) -> float | None:
        """Actual less target to date."""
        return None if self.target_to_date is None else self.actual - self.target_to_date

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        def num(x: float | None) -> float | None:
            return None if x is None or x != x else round(float(x), 6)

        return {"level": self.level, "key": self.key, "name": self.name, "team": self.team,
                "actual": num(self.actual), "target_to_date": num(self.target_to_date),
                "attainment": num(self.attainment), "variance": num(self.variance),
                "projection": num(self.projection), "projection_basis": self.projection_basis,
                "quarter_target": num(self.quarter_target),
                "rag": self.rag, "sparkline": [num(v) for v in self.sparkline],
                "benchmarks": self.benchmarks}


@dataclass
class Performance:
    """The period's table, for the centre, its teams and its agents."""

    measure: MetricDefinition
    start: date
    end: date
    quarter: Quarter
    scenario: str | None
    centre: Row
    teams: list[Row]
    agents: list[Row]
    notes: list[str] = field(default_factory=list)
    #: The id of the scenario whose targets these are (None: actuals only).
    scenario_id: int | None = None
    #: Where the quarter is heading for the centre (the centre's projection
    #: when its basis is ``outlook``); None for a ratio or another quarter.
    outlook: QuarterOutlook | None = None
    #: A sum's part of the centre's actual on rows with no agent (the centre less its agents).
    unattributed: float | None = None

    def rows(self, level: str) -> list[Row]:
        """The rows of ``team`` or ``agent`` level."""
        return self.teams if level == "team" else self.agents

    def of_team(self, team: str | None) -> Performance:
        """The same figures seen from one team (by name): the team in the
        centre's place and only its agents; all of it when ``team`` is None."""
        if team is None:
            return self
        row = next((t for t in self.teams if t.name == team), None)
        if row is None:
            raise UserError(f"there is no team {team!r} in these figures; teams: "
                            f"{', '.join(t.name for t in self.teams) or 'none'}")
        return replace(self, centre=row, teams=[row],
                       agents=[a for a in self.agents if a.team == team], outlook=None,
                       unattributed=None)

    def behind(self) -> list[str]:
        """Codes of the agents short of their target to date (in the measure's direction)."""
        return [r.key for r in self.agents if r.attainment is not None and (
            r.attainment < 1 if self.measure.higher_is_better else r.attainment > 1)]

    def as_json(self, level: str | None = None) -> dict:
        """Plain values for ``--json``."""
        return {"measure": self.measure.code, "unit": self.measure.unit,
                "from": self.start.isoformat(), "to": self.end.isoformat(),
                "quarter": str(self.quarter), "scenario": self.scenario,
                "centre": self.centre.as_json(),
                **({"unattributed": round(float(self.unattributed), 6)}
                   if self.unattributed else {}),
                **({"teams": [r.as_json() for r in self.teams]} if level in (None, "team")
                   else {}),
                **({"agents": [r.as_json() for r in self.agents]} if level in (None, "agent")
                   else {}),
                "notes": self.notes}


def _days(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def performance(plan: PlanFile, measure: str = "revenue", period: str = "qtd",
                scenario_id: int | None = None) -> Performance:
    """The period's performance against target for every agent, team and the centre."""
    measures = registry(plan)
    definition = measures.get(measure)
    if definition is None:
        raise UserError(f"there is no measure {measure!r}; 'salesplanner metrics PLAN' "
                        "lists them")
    daily = daily_sums(plan)
    if not len(daily.day):
        raise UserError("the plan has no sales or calls to monitor")
    last_day = date(1970, 1, 1) + timedelta(days=int(daily.day.max()))
    start, end = period_bounds(period, last_day)
    quarter = Quarter.containing(start)
    if Quarter.containing(end) != quarter:
        notes = [f"the period runs past {quarter}: targets are those of {quarter}"]
    else:
        notes = []
    data_end = min(end, last_day)
    grids = _Grids(plan, daily, start, data_end, measures, measure)
    actual = grids.levels(0)
    spark = grids.sparklines()
    earlier = (grids.earlier(_LAST_QUARTER), grids.earlier(_LAST_YEAR))

    # Targets of the chosen scenario, phased to the period.
    targets = _targets(plan, definition, quarter, scenario_id, start, data_end, notes)
    scenario_id, scenario_name, agent_targets = targets
    total_targets = {code: t for code, t in agent_targets.items()}
    agent_rows, team_rows, centre = _rows(grids, definition, total_targets, actual,
                                          (spark, grids.known(list(range(1, SPARK_WEEKS + 1)))),
                                          earlier)
    if end > last_day:
        notes.append(f"data to {last_day:%d %b %Y}: the period is measured to then")
    seen = _centre_outlook(plan, definition, quarter, data_end, last_day)
    if seen is not None:
        centre.projection, centre.projection_basis = seen.total, "outlook"
    return Performance(definition, start, data_end, quarter, scenario_name, centre, team_rows,
                       agent_rows, notes, scenario_id, seen, grids.unattributed(actual))


def projection_words(result: Performance, fmt: Callable[[float], str]) -> str:
    """How the projections were made, in a manager's words."""
    run_rate = ("the run rate: the actual so far over the share of the quarter's phased "
                "target that has passed" if result.measure.additive else "the rate so far")
    seen = result.outlook
    if seen is None or result.centre.projection_basis != "outlook":
        return f"{run_rate}." if result.scenario else f"{run_rate}, once targets are chosen."
    others = (f"each team's and agent's is {run_rate}" if result.scenario else
              f"teams and agents get one once targets are chosen: {run_rate}")
    return (f"the centre's is the outlook, {fmt(seen.total)}: {fmt(seen.actual)} so far and "
            f"the forecast of {fmt(seen.ahead)} for the rest ({seen.range_text(fmt)}), the "
            f"figure the Forecast panel gives; {others}.")


def _centre_outlook(plan: PlanFile, definition: MetricDefinition, quarter: Quarter,
                    data_end: date, last_day: date) -> QuarterOutlook | None:
    """The outlook, when it is the centre's projection: a sum, a period that
    ends on the data's last day, in the quarter the outlook is for (the
    quarter holding the day after). A past period keeps its run rate: the
    outlook knows nothing of where that quarter stood then."""
    if not definition.additive or data_end != last_day:
        return None
    seen = outlook(plan, definition.code)
    if seen is None or seen.quarter != quarter or seen.through != last_day:
        return None
    return seen


#: The ranges after the period and its eight sparkline weeks: the same stretch
#: of the quarter before, and of last year (the benchmarks).
_LAST_QUARTER, _LAST_YEAR = SPARK_WEEKS + 1, SPARK_WEEKS + 2


@dataclass
class _Levels:
    """A measure over one range: per agent label, per team and for the centre
    (a sparkline's are arrays with one column per week)."""

    agent: np.ndarray
    team: np.ndarray
    centre: Any  # a float; in a sparkline an array, one a week


class _Grids:
    """The plan's daily sums per agent label over each range a performance table needs:
    the period (range 0), the sparklines' eight weeks (1 to 8) and the benchmarks'
    stretches (:data:`_LAST_QUARTER`, :data:`_LAST_YEAR`)."""

    def __init__(self, plan: PlanFile, daily: DailySums, start: date, data_end: date,
                 measures: dict[str, MetricDefinition], measure: str) -> None:
        self.daily, self.measures, self.measure = daily, measures, measure
        self.codes, self.names = daily.labels["agent"]
        agents = daily.agents
        self.code_team = dict(zip(agents["agent"].astype(str), agents["team"].astype(str)))  # type: ignore[index]  # agent sums carry agents
        self.code_name = dict(zip(agents["agent"].astype(str), agents["name"].astype(str)))  # type: ignore[index]  # as above
        self.teams = _group({}, self.names, self.code_team)[0]  # in the grids' order
        self.scale = money_scale(plan)
        # The period and the sparklines' eight weeks (Monday to Sunday) before its end:
        # contracted hours for all nine ranges at once.
        last_sunday = data_end - timedelta(days=(data_end.weekday() + 1) % 7)
        ranges = [(start, data_end)] + [
            (last_sunday - timedelta(weeks=SPARK_WEEKS - 1 - k, days=6),
             last_sunday - timedelta(weeks=SPARK_WEEKS - 1 - k)) for k in range(SPARK_WEEKS)]
        # Benchmarks: the same stretch of the quarter before, and of last year.
        ranges += [(shifted(start, -3), shifted(data_end, -3)), (shifted(start, -12),
                                                               shifted(data_end, -12))]
        self.ranges = ranges
        self.hours = hours_by_label(
            agents, np.array([np.datetime64(a, "D") for a, _b in ranges]),
            np.array([np.datetime64(b, "D") for _a, b in ranges]), "agent", self.names)

    def sums(self, k: int) -> dict[str, np.ndarray]:
        """Base sums per agent label over range ``k``."""
        daily, codes, names = self.daily, self.codes, self.names
        first, last = self.ranges[k]
        rows = (daily.day >= _days(first)) & (daily.day <= _days(last))
        grid = {name: np.bincount(codes[rows], weights=values[rows], minlength=len(names))
                for name, values in daily.fields.items()}
        in_major_units(grid, self.scale)
        grid["contracted_hours"] = self.hours[:, k]
        return grid

    def levels(self, k: int) -> _Levels:
        """The measure over range ``k`` for every agent, every team and the centre."""
        measures, measure = self.measures, self.measure
        grid = self.sums(k)
        return _Levels(
            measure_values(measures, [measure], grid)[measure],
            measure_values(measures, [measure], _group(grid, self.names,
                                                       self.code_team)[1])[measure],
            measure_values(measures, [measure], {
                n: np.array([v.sum()]) for n, v in grid.items()})[measure][0])

    def unattributed(self, actual: _Levels) -> float | None:
        """A sum's figure on rows with no agent (the ``(none)`` label), or None."""
        if self.measures[self.measure].additive and "(none)" in self.names:
            return float(np.nan_to_num(actual.agent[self.names.index("(none)")])) or None
        return None

    def sparklines(self) -> _Levels:
        """The last eight full weeks up to the period's end, one column a week."""
        spark = _Levels(np.full((len(self.names), SPARK_WEEKS), np.nan),
                        np.full((len(self.teams), SPARK_WEEKS), np.nan),
                        np.full(SPARK_WEEKS, np.nan))
        for k in range(SPARK_WEEKS):
            week = self.levels(k + 1)
            spark.agent[:, k] = week.agent
            spark.team[:, k] = week.team
            spark.centre[k] = week.centre
        return spark

    def known(self, ks: list[int]) -> _Levels:
        """Which rows have data behind ranges ``ks`` (a column each): ranges starting
        on or after the data's first day, for agents (and teams) who worked in them."""
        first = int(self.daily.day.min()) if len(self.daily.day) else 0
        inside = np.array([_days(self.ranges[k][0]) >= first for k in ks])
        hours = self.hours[:, ks]
        team_hours = np.stack([_group({"h": hours[:, n]}, self.names, self.code_team)[1]["h"]
                               for n in range(len(ks))], axis=1)
        return _Levels(inside & (hours > 0), inside & (team_hours > 0),
                       inside & (hours.sum(axis=0) > 0))

    def earlier(self, k: int) -> _Levels:
        """The measure over benchmark range ``k``; NaN where the data does not cover it."""
        seen, known = self.levels(k), self.known([k])
        return _Levels(known_or_nan(seen.agent, known.agent[:, 0]),
                       known_or_nan(seen.team, known.team[:, 0]),
                       float(known_or_nan(seen.centre, known.centre[0])))

    def active(self) -> np.ndarray:
        """Per agent label: any record (a sale, a call ...) in the period."""
        grid = self.sums(0)
        return np.any([np.abs(v) > 0 for n, v in grid.items() if n != "contracted_hours"],
                      axis=0)


def _rows(grids: _Grids, definition: MetricDefinition, total_targets: dict[str, _Target],
          actual: _Levels, sparks: tuple[_Levels, _Levels],
          earlier: tuple[_Levels, _Levels]) -> tuple[list[Row], list[Row], Row]:
    """Every agent's row, every team's and the centre's, each with its benchmarks."""
    spark, known = sparks
    names, code_team, code_name = grids.names, grids.code_team, grids.code_name
    last_quarter, last_year = earlier
    worked = grids.hours[:, 0] > 0
    real = np.array([c != "(none)" for c in names]) & worked
    good_values = actual.agent[real & np.isfinite(actual.agent)]
    q = 0.75 if definition.higher_is_better else 0.25
    agent_top = float(np.quantile(good_values, q)) if len(good_values) >= 4 else None
    team_sizes = {t: sum(1 for i, c in enumerate(names) if real[i] and code_team.get(c) == t)
                  for t in grids.teams}

    def team_average(team: str, j: int) -> float:
        """Per agent for a sum; the team's own figure for a rate."""
        value = float(actual.team[j])
        return value / max(team_sizes.get(team, 1), 1) if definition.additive else value

    team_values = np.array([team_average(t, j) for j, t in enumerate(grids.teams)])
    team_tops = actual.team[np.isfinite(actual.team)]
    team_top = float(np.quantile(team_tops, q)) if len(team_tops) >= 4 else None
    team_index = {t: j for j, t in enumerate(grids.teams)}
    centre_per_team = (actual.centre / max(len(grids.teams), 1) if definition.additive
                       else actual.centre)

    agent_rows, active = [], grids.active()
    for i, code in enumerate(names):
        if code == "(none)":
            continue
        target = total_targets.get(code)
        row = _row("agent", code, code_name.get(code, code), _team(code_team.get(code, "")),
                   actual.agent[i], target, definition, spark.agent[i])
        row.active = bool(active[i])
        row.sparkline_known = [bool(v) for v in known.agent[i]]
        j = team_index.get(code_team.get(code, ""))
        row.benchmarks = benchmarks(
            None if j is None else team_values[j], agent_top,
            last_quarter.agent[i], last_year.agent[i])
        agent_rows.append(row)
    team_rows = []
    for j, team in enumerate(grids.teams):
        members = [t for c, t in total_targets.items() if code_team.get(c) == team]
        target = _combine(members, definition) if members else None
        row = _row("team", team, _team(team), _team(team), actual.team[j], target,
                   definition, spark.team[j])
        row.sparkline_known = [bool(v) for v in known.team[j]]
        row.benchmarks = benchmarks(centre_per_team, team_top, last_quarter.team[j],
                                     last_year.team[j])
        team_rows.append(row)
    centre_target = _combine(list(total_targets.values()), definition) if total_targets \
        else None
    centre = _row("centre", "centre", "Whole centre", "", actual.centre, centre_target,
                  definition, spark.centre)
    centre.sparkline_known = [bool(v) for v in known.centre]
    centre.benchmarks = benchmarks(None, None, last_quarter.centre, last_year.centre)
    return agent_rows, team_rows, centre


def _team(name: str) -> str:
    """A team's name as shown: agents without a team are in "no team"."""
    return NO_TEAM if name == "(none)" else name


def _group(grid: dict[str, np.ndarray], names: list[str],
           code_team: dict[str, str]) -> tuple[list[str], dict[str, np.ndarray]]:
    teams = sorted({code_team.get(c, "(none)") for c in names if c != "(none)"})
    index = {t: k for k, t in enumerate(teams)}
    keys = np.array([index.get(code_team.get(c, "(none)"), -1) for c in names])
    keep = keys >= 0
    return teams, {n: np.bincount(keys[keep], weights=v[keep], minlength=len(teams))
                   for n, v in grid.items()}


@dataclass
class _Target:
    to_date: float
    quarter: float
    #: Volume (planned denominator) for combining rates; 1 for sums.
    weight: float = 1.0


def _combine(parts: list[_Target], definition: MetricDefinition) -> _Target:
    """A team's target from its agents': sums add; rates average by planned volume."""
    if definition.additive:
        return _Target(sum(p.to_date for p in parts), sum(p.quarter for p in parts))
    weight = sum(p.weight for p in parts) or 1.0
    return _Target(sum(p.to_date * p.weight for p in parts) / weight,
                   sum(p.quarter * p.weight for p in parts) / weight, weight)


def _row(level: str, key: str, name: str, team: str, actual: float, target: _Target | None,
         definition: MetricDefinition, spark: np.ndarray) -> Row:
    to_date = None if target is None else target.to_date
    quarter_target = None if target is None else target.quarter
    projection, basis = None, None
    if target is not None:
        if definition.additive:
            share = target.to_date / target.quarter if target.quarter else None
            projection = actual / share if share else None
            basis = "run rate" if projection is not None else None
        else:
            projection, basis = actual, "rate so far"
    row = Row(level, key, name, team, float(actual), to_date, quarter_target, projection,
              None, [float(v) for v in spark], projection_basis=basis)
    row.rag = rate(definition, row)
    return row


def league(rows: list[Row], definition: MetricDefinition) -> list[Row]:
    """``rows`` best first: by attainment where there are targets, then by the
    actual (a measure without targets still ranks), then by code in natural
    order (AG2 before AG10)."""
    sign = -1 if definition.higher_is_better else 1

    def natural(code: str) -> list:
        return [int(part) if part.isdigit() else part.lower()
                for part in re.split(r"(\d+)", code)]

    def key(row: Row) -> tuple:
        actual = row.actual if row.actual == row.actual else None
        return (row.attainment is None, sign * (row.attainment or 0), actual is None,
                sign * (actual or 0), natural(row.key))

    return sorted(rows, key=key)


def rate(definition: MetricDefinition, row: Row) -> str | None:
    """Red, amber or green: a rate by its registry thresholds, else by attainment."""
    return rate_of(definition, row.actual, row.attainment)


def rate_of(definition: MetricDefinition, actual: float,
            attainment: float | None) -> str | None:
    """:func:`rate` for a bare actual and attainment."""
    if not definition.additive and (definition.red_below is not None
                                    or definition.green_from is not None):
        return rag(definition, actual)
    if attainment is None:
        return None
    if not definition.higher_is_better and attainment:
        attainment = 1 / attainment
    return "red" if attainment < RED_BELOW else "green" if attainment >= GREEN_FROM else "amber"


def attainment_formula(actual: str, target: str) -> str:
    """Actual over target as a spreadsheet expression (no leading ``=``): blank
    when there is no target, as :attr:`Row.attainment` is None."""
    return f'IF(N({target})=0,"",{actual}/{target})'


def rag_formula(definition: MetricDefinition, actual: str, attainment: str) -> str:
    """:func:`rate_of` as a spreadsheet formula over the cells ``actual`` and
    ``attainment`` (references such as ``B5``): ``Red``, ``Amber``, ``Green``
    or blank, so a workbook's RAG follows its figures when someone edits them."""
    def chain(value: str, red: str | None, green: str | None) -> str:
        inner = '"Amber"' if green is None else f'IF({value}{green},"Green","Amber")'
        return inner if red is None else f'IF({value}{red},"Red",{inner})'

    red_edge, green_edge = definition.red_below, definition.green_from
    if not definition.additive and (red_edge is not None or green_edge is not None):
        if definition.higher_is_better:
            tests = (f"<{red_edge!r}" if red_edge is not None else None,
                     f">={green_edge!r}" if green_edge is not None else None)
        else:
            tests = (f">{red_edge!r}" if red_edge is not None else None,
                     f"<={green_edge!r}" if green_edge is not None else None)
        return f'=IF(ISNUMBER({actual}),{chain(actual, *tests)},"")'
    if definition.higher_is_better:
        return (f'=IF(ISNUMBER({attainment}),'
                f'{chain(attainment, f"<{RED_BELOW!r}", f">={GREEN_FROM!r}")},"")')
    # Lower is better: the attainment turned over (none at all is red).
    inverse = f"1/{attainment}"
    return (f'=IF(ISNUMBER({attainment}),IF({attainment}=0,"Red",'
            f'{chain(inverse, f"<{RED_BELOW!r}", f">={GREEN_FROM!r}")}),"")')


def _targets(plan: PlanFile, definition: MetricDefinition, quarter: Quarter,
             scenario_id: int | None, start: date, end: date,
             notes: list[str]) -> tuple[int | None, str | None, dict[str, _Target]]:
    """Each agent's target to date and for the quarter from the scenario in force."""
    chosen = scenario_id
    if chosen is None:
        current = scenario_in_force(plan, definition.code, quarter)
        if current is None:
            notes.append(f"no chosen targets for {definition.name} in {quarter}: actuals only "
                         "(choose or publish a scenario in Targets)")
            return None, None, {}
        chosen = current["id"]
    scenario = cached_scenario(plan, chosen)
    out = {}
    shares: dict[date, float] = {}  # the same weeks for every agent: work each out once
    for t in scenario.targets:
        if definition.additive:
            to_date = 0.0
            for week, value in t.weekly:
                share = shares.get(week)
                if share is None:
                    share = shares[week] = _overlap(week, start, end, quarter)
                to_date += value * share
            out[t.code] = _Target(to_date, t.target)
        else:
            volume = (scenario.summary.get("volumes") or {}).get(t.code, 1.0)
            out[t.code] = _Target(t.target, t.target, volume)
    return scenario.id, f"#{scenario.id} {scenario.name} ({scenario.status})", out


def _overlap(week_start: date, start: date, end: date, quarter: Quarter) -> float:
    """Share of a weekly milestone's days (inside the quarter) that fall in start..end."""
    first = week_start
    last = min(week_start + timedelta(days=6 - week_start.weekday()), quarter.end)
    days = (last - first).days + 1
    inside = (min(last, end) - max(first, start)).days + 1
    return max(inside, 0) / days if days > 0 else 0.0


def daily_values(plan: PlanFile, measure: str, agent: str, start: date,
                 end: date) -> list[tuple[date, float]]:
    """One agent's measure day by day over start..end (the drill-down to days),
    from the same cached daily sums as the table: only that agent's rows."""
    measures = registry(plan)
    daily = daily_sums(plan)
    codes, names = daily.labels["agent"]
    if agent not in names:
        return []
    first, last = _days(start), _days(end)
    rows = (codes == names.index(agent)) & (daily.day >= first) & (daily.day <= last)
    n = last - first + 1
    slot = daily.day[rows] - first
    grid: dict[str, np.ndarray] = {name: np.bincount(slot, weights=values[rows], minlength=n)
                                   for name, values in daily.fields.items()}
    in_major_units(grid, money_scale(plan))
    info = daily.agents[daily.agents["agent"].astype(str) == agent]  # type: ignore[index]  # agent sums carry agents
    # Each day's contracted hours, none before the agent started or after they left
    # (the same rule as the table's, daily_figures.contracted_hours).
    days = np.datetime64(start, "D") + np.arange(n)
    grid["contracted_hours"] = (contracted_hours(info.iloc[:1], days, days)[0] if len(info)
                                else np.zeros(n))
    values = measure_values(measures, [measure], grid)[measure]
    return [(start + timedelta(days=k), float(values[k])) for k in range(n)]
