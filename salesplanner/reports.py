"""Report definitions: which measures, grouped how, for which period, for whom, how often.

A report is stored in the plan (``report_definition``) under a name the
manager chooses, and run on demand: :func:`run_report` works out its table
from the same functions the window uses (:func:`salesplanner.analysis.performance.performance`
for teams and agents, :func:`salesplanner.analysis.trends.trend` for products,
channels and periods), so a report never disagrees with the panels or the
plan workbook.

What a report shows, per measure:

- grouped by **team** or **agent**: the actual for the period and, where the
  measure has targets, the target to date (phased by the weekly milestones),
  attainment and red/amber/green, exactly as the Performance panel shows them;
- grouped by **product, category, channel, campaign or segment**: the actual
  per value (calls carry no product, so measures built on calls have no value
  there);
- grouped by **day, week or month**: the actual per period;

with a total row: the sum of the rows for a measure that adds up, and the
whole centre's figure for a rate (a rate is never summed or averaged).
Red/amber/green without targets comes from the measure's own thresholds.

Decisions: targets are shown only for team and agent groupings (targets are
set per agent, not per product or day); a report keeps at most
:data:`MAX_MEASURES` measures so that it stays readable on a page; a measure
removed from the registry after a report was defined is left out of the
report with a note rather than breaking it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from salesplanner import audit, changes
from salesplanner.changes import OpResult
from salesplanner.errors import UserError
from salesplanner.jobs import JobToken, SilentToken, check_cancel
from salesplanner.metrics import MetricDefinition, format_value, rag, registry
from salesplanner.periods import period_label
from salesplanner.storage.plan_file import PlanFile, now

if TYPE_CHECKING:
    from salesplanner.analysis.performance import Row

#: Row groupings, as stored, with the heading of their column.
GROUPINGS = {"team": "Team", "agent": "Agent", "product": "Product",
             "category": "Product category", "channel": "Channel", "campaign": "Campaign",
             "segment": "Customer segment", "day": "Day", "week": "Week", "month": "Month"}
#: Groupings with targets (and the agents' team beside them).
PEOPLE = ("team", "agent")
#: Groupings by time: their rows are the periods, oldest first.
TIMES = ("day", "week", "month")
#: How often the report is sent, as stored, with how it is shown.
FREQUENCIES = {"on_request": "On request", "daily": "Daily", "weekly": "Weekly",
               "monthly": "Monthly", "quarterly": "Quarterly"}
MAX_MEASURES = 8
NAME_LENGTH, AUDIENCE_LENGTH = 120, 200


@dataclass(frozen=True)
class Report:
    """A report definition, as stored in the plan."""

    name: str
    measures: tuple[str, ...]
    grouping: str = "team"
    period: str = "qtd"
    audience: str = ""
    frequency: str = "weekly"

    def as_json(self) -> dict:
        """Plain values for ``--json`` and the audit trail."""
        out = asdict(self)
        out["measures"] = list(self.measures)
        return out

    @classmethod
    def from_json(cls, data: dict) -> Report:
        """The definition from :meth:`as_json`'s values."""
        return cls(str(data["name"]), tuple(data["measures"]), data.get("grouping", "team"),
                   data.get("period", "qtd"), data.get("audience") or "",
                   data.get("frequency") or "on_request")

    def describe(self) -> str:
        """One line: what, how grouped, when, for whom."""
        from salesplanner.inputs import PERIOD_NAMES

        period = PERIOD_NAMES.get(self.period, self.period.replace(":", " to "))
        who = f" for {self.audience}" if self.audience else ""
        return (f"{len(self.measures)} measure{'s' * (len(self.measures) != 1)} by "
                f"{GROUPINGS.get(self.grouping, self.grouping).lower()}, {period.lower()}"
                f"{who}, {FREQUENCIES.get(self.frequency, self.frequency).lower()}")


# -- storing ----------------------------------------------------------------------------------


def list_reports(plan: PlanFile) -> list[Report]:
    """The plan's reports, by name."""
    with plan.connect() as conn:
        rows = conn.execute(
            "SELECT name, metrics_json, grouping, period, audience, frequency"
            " FROM report_definition ORDER BY name COLLATE NOCASE").fetchall()
    return [_from_row(row) for row in rows]


def _from_row(row: tuple) -> Report:
    name, measures, grouping, period, audience, frequency = row
    try:
        codes = tuple(str(c) for c in json.loads(measures or "[]"))
    except (ValueError, TypeError, RecursionError):  # damaged: the report keeps no measures
        codes = ()
    return Report(name, codes, grouping or "team", period or "qtd", audience or "",
                  frequency or "on_request")


def get_report(plan: PlanFile, name: str) -> Report:
    """The report called ``name`` (case ignored), or a refusal naming the reports there are."""
    reports = list_reports(plan)
    for report in reports:
        if report.name.casefold() == name.strip().casefold():
            return report
    there = ", ".join(r.name for r in reports) or "none yet"
    raise UserError(f"there is no report {name!r} in this plan (reports: {there}); "
                    "'salesplanner reports PLAN --save NAME --measure M' defines one")


def check_report(plan: PlanFile, report: Report) -> Report:
    """The definition tidied (spaces trimmed, codes lower case) or a refusal
    saying which part is wrong and what to put there instead."""
    from salesplanner.inputs import period_bounds

    name = " ".join(report.name.split())
    if not name:
        raise UserError("the report needs a name, e.g. 'Weekly team review'")
    if len(name) > NAME_LENGTH:
        raise UserError(f"the report's name is {len(name)} characters; keep it to "
                        f"{NAME_LENGTH}")
    codes = tuple(dict.fromkeys(c.strip().lower() for c in report.measures if c.strip()))
    if not codes:
        raise UserError(f"report {name!r}: choose at least one measure")
    if len(codes) > MAX_MEASURES:
        raise UserError(f"report {name!r} has {len(codes)} measures; keep it to "
                        f"{MAX_MEASURES} so that it reads on a page, or make two reports")
    measures = registry(plan)
    unknown = [c for c in codes if c not in measures]
    if unknown:
        raise UserError(f"report {name!r}: there is no measure {', '.join(map(repr, unknown))}; "
                        "'salesplanner metrics PLAN' lists them")
    if report.grouping not in GROUPINGS:
        raise UserError(f"report {name!r}: grouping {report.grouping!r} is not one of "
                        f"{', '.join(GROUPINGS)}")
    if report.frequency not in FREQUENCIES:
        raise UserError(f"report {name!r}: how often {report.frequency!r} is not one of "
                        f"{', '.join(FREQUENCIES)}")
    period = report.period.strip().lower()
    first, sep, last = period.partition(":")
    if sep and _is_date(first) and _is_date(last) and last < first:
        raise UserError(f"report {name!r}: the period ends on "
                        f"{date.fromisoformat(last):%d %b %Y}, before it starts on "
                        f"{date.fromisoformat(first):%d %b %Y}; put the start first")
    period_bounds(period, date.today())  # refuses a period it cannot read
    audience = " ".join(report.audience.split())
    if len(audience) > AUDIENCE_LENGTH:
        raise UserError(f"report {name!r}: the audience is {len(audience)} characters; keep "
                        f"it to {AUDIENCE_LENGTH}")
    return Report(name, codes, report.grouping, period, audience, report.frequency)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def check_save(plan: PlanFile, report: Report, *,
               replacing: str | None = None) -> tuple[Report, Report | None]:
    """What :func:`save_report` would store, and the definition it replaces
    (None for a new report); raises :class:`UserError` for what it would refuse."""
    report = check_report(plan, report)
    existing = {r.name.casefold(): r for r in list_reports(plan)}
    old = existing.get((replacing or "").casefold()) if replacing else None
    if replacing and old is None:
        raise UserError(f"there is no report {replacing!r} to change")
    clash = existing.get(report.name.casefold())
    if clash is not None and clash is not old:
        raise UserError(f"there is already a report called {clash.name!r}; choose another "
                        "name or change that one")
    return report, old


def save_report(plan: PlanFile, report: Report, *, replacing: str | None = None,
                who: str = "user") -> OpResult:
    """Store a report, or change the one called ``replacing`` (which may rename it).

    Refused, with nothing changed, when the definition is wrong or its name
    is another report's. The result's detail holds the old definition (None
    for a new report) and the new one, for undo.
    """
    report, old = check_save(plan, report, replacing=replacing)
    with plan.connect(write=True) as conn:
        values = (report.name, json.dumps(list(report.measures)), report.grouping,
                  report.period, report.audience or None, report.frequency)
        if old is None:
            conn.execute(
                "INSERT INTO report_definition (name, metrics_json, grouping, period, audience,"
                " frequency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*values, now().isoformat(" ")))
        else:
            conn.execute(
                "UPDATE report_definition SET name = ?, metrics_json = ?, grouping = ?,"
                " period = ?, audience = ?, frequency = ? WHERE name = ?",
                (*values, old.name))
        _audit(conn, who, "define_report", report.name, old, report)
    verb = "saved" if old is None else "changed"
    return OpResult(frozenset({changes.REPORTS}), f"report {report.name!r} {verb}",
                    {"old": old, "new": report})


def remove_report(plan: PlanFile, name: str, who: str = "user") -> OpResult:
    """Delete a report definition; the detail keeps it, for undo."""
    report = get_report(plan, name)
    with plan.connect(write=True) as conn:
        conn.execute("DELETE FROM report_definition WHERE name = ?", (report.name,))
        _audit(conn, who, "remove_report", report.name, report, None)
    return OpResult(frozenset({changes.REPORTS}), f"report {report.name!r} removed",
                    {"old": report, "new": None})


def _audit(conn: sqlite3.Connection, who: str, action: str, key: str, old: Report | None,
           new: Report | None) -> None:
    audit.record(conn, who, action, "report", key,
                 audit.NOTHING if old is None else old.as_json(),
                 audit.NOTHING if new is None else new.as_json())


def undo(plan: PlanFile, result: OpResult) -> OpResult:
    """Put back what :func:`save_report` or :func:`remove_report` changed."""
    old, new = result.detail["old"], result.detail["new"]
    if new is None:
        return save_report(plan, old)
    if old is None:
        return remove_report(plan, new.name)
    return save_report(plan, old, replacing=new.name)


# -- running ----------------------------------------------------------------------------------


@dataclass
class MeasureFigures:
    """One measure's figures in a report: a value per row, and the total."""

    measure: MetricDefinition
    actual: list[float | None]
    #: The target to date per row (None: the measure has no targets here).
    target: list[float | None] | None
    rag: list[str | None]
    total_actual: float | None
    total_target: float | None = None
    total_rag: str | None = None

    @property
    def has_targets(self) -> bool:
        """Whether the report shows target, attainment for this measure."""
        return self.target is not None

    def attainment(self, i: int) -> float | None:
        """Row ``i``'s actual over its target to date."""
        return _ratio(self.actual[i], None if self.target is None else self.target[i])

    @property
    def total_attainment(self) -> float | None:
        """The total's actual over its target to date."""
        return _ratio(self.total_actual, self.total_target)

    def value(self, part: str, i: int) -> float | str | None:
        """Row ``i``'s figure of one column (``actual``, ``target``, ``attainment``, ``rag``)."""
        if part == "actual":
            return self.actual[i]
        if part == "target":
            return None if self.target is None else self.target[i]
        if part == "attainment":
            return self.attainment(i)
        return self.rag[i]

    def total(self, part: str) -> float | str | None:
        """The total row's figure of one column."""
        return {"actual": self.total_actual, "target": self.total_target,
                "attainment": self.total_attainment, "rag": self.total_rag}[part]


def _ratio(actual: float | None, target: float | None) -> float | None:
    if actual is None or target in (None, 0):
        return None
    return actual / target


@dataclass
class ReportResult:
    """A report worked out for its period: rows, and each measure's figures."""

    report: Report
    start: date
    end: date
    #: The row labels: team names, agent codes, product names ..., or the first
    #: day of each period for a grouping by time.
    keys: list[str | date]
    #: Agents' names and teams (agent grouping only).
    names: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    figures: list[MeasureFigures] = field(default_factory=list)
    #: ``Total`` (rows summed) or ``Whole centre``.
    total_label: str = "Total"
    scenario: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: The plan's currency code, for showing money.
    currency: str = "GBP"

    @property
    def group_header(self) -> str:
        """The heading of the row labels' column."""
        return GROUPINGS[self.report.grouping]

    def label(self, i: int) -> str:
        """Row ``i``'s label as text."""
        key = self.keys[i]
        return period_label(key, self.report.grouping) if isinstance(key, date) else str(key)

    def columns(self) -> list[tuple[str, str, MeasureFigures, str]]:
        """Every figure column: (header, part, figures, unit); part is ``actual``,
        ``target``, ``attainment`` or ``rag``."""
        out = []
        for f in self.figures:
            name = f.measure.name
            out.append((name, "actual", f, f.measure.unit))
            if f.has_targets:
                out += [(f"{name} target to date", "target", f, f.measure.unit),
                        (f"{name} attainment", "attainment", f, "percent"),
                        (f"{name} RAG", "rag", f, "text")]
            elif any(r is not None for r in f.rag):
                out.append((f"{name} RAG", "rag", f, "text"))
        return out

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        def num(x: float | None) -> float | None:
            return None if x is None or x != x else round(float(x), 6)

        rows = []
        for i, key in enumerate(self.keys):
            row: dict = {"key": key.isoformat() if isinstance(key, date) else key}
            if self.names:
                row.update(name=self.names[i], team=self.teams[i])
            for f in self.figures:
                cell: dict = {"actual": num(f.actual[i]), "rag": f.rag[i]}
                if f.has_targets:
                    assert f.target is not None
                    cell.update(target_to_date=num(f.target[i]),
                                attainment=num(f.attainment(i)))
                row[f.measure.code] = cell
            rows.append(row)
        total: dict = {"label": self.total_label}
        for f in self.figures:
            total[f.measure.code] = {"actual": num(f.total_actual), "rag": f.total_rag,
                                     **({"target_to_date": num(f.total_target),
                                         "attainment": num(f.total_attainment)}
                                        if f.has_targets else {})}
        return {"report": self.report.as_json(), "from": self.start.isoformat(),
                "to": self.end.isoformat(), "rows": rows, "total": total,
                "targets": self.scenario, "notes": self.notes}


def run_report(plan: PlanFile, report: Report | str,
               token: JobToken | None = None) -> ReportResult:
    """Work out a report (or the stored report of that name) on the plan's data."""
    from salesplanner.inputs import period_bounds
    from salesplanner.daily_figures import daily_sums, plan_currency

    token = token or SilentToken()
    if isinstance(report, str):
        report = get_report(plan, report)
    measures = registry(plan)
    notes = [f"measure {c!r} is no longer defined in this plan; left out"
             for c in report.measures if c not in measures]
    codes = [c for c in report.measures if c in measures]
    if not codes:
        raise UserError(f"report {report.name!r}: none of its measures is defined any more; "
                        "choose others")
    report = check_report(plan, replace(report, measures=tuple(codes)))
    daily = daily_sums(plan)
    if not len(daily.day):
        raise UserError("the plan has no sales or calls to report on yet; import some first")
    first_day = date(1970, 1, 1) + timedelta(days=int(daily.day.min()))
    last_day = date(1970, 1, 1) + timedelta(days=int(daily.day.max()))
    start, end = period_bounds(report.period, last_day)
    end = min(end, last_day)
    if end < start:
        raise UserError(f"report {report.name!r}: the plan's data ends on {last_day:%d %b %Y}, "
                        f"before the period starts ({start:%d %b %Y}); choose a period "
                        "with data")
    if end < first_day:
        raise UserError(f"report {report.name!r}: the plan's data starts on "
                        f"{first_day:%d %b %Y}, after the period ends ({end:%d %b %Y}); "
                        "choose a period with data")
    if report.grouping in PEOPLE:
        result = _by_people(plan, report, codes, measures, token)
    else:
        result = _by_split(plan, report, codes, measures, start, end, token)
    result.notes = notes + result.notes
    result.currency = plan_currency(plan).code
    return result


def _by_people(plan: PlanFile, report: Report, codes: list[str],
               measures: dict[str, MetricDefinition], token: JobToken) -> ReportResult:
    """Teams or agents, through the Performance panel's own figures."""
    from salesplanner.analysis.performance import performance

    parts = []
    for i, code in enumerate(codes):
        check_cancel(token)
        token.progress(i / len(codes), f"working out {measures[code].name}")
        parts.append(performance(plan, code, report.period))
    first = parts[0]
    rows = first.rows(report.grouping)
    keys = [r.key for r in rows]
    if report.grouping == "agent":  # a league table by the first measure
        def rank(r: Row) -> tuple:
            value = r.attainment if r.attainment is not None else r.actual
            better = first.measure.higher_is_better
            return (value is None or value != value, -(value or 0) if better else (value or 0),
                    r.key)
        keys = [r.key for r in sorted(rows, key=rank)]
    by_key = [{r.key: r for r in part.rows(report.grouping)} for part in parts]
    # One line for every measure without targets, not one each.
    notes = [n for p in parts for n in p.notes if not n.startswith("no chosen targets")]
    untargeted = [p.measure.name for p in parts if p.scenario_id is None]
    if untargeted:
        notes.append(f"no chosen targets in {first.quarter} for {', '.join(untargeted)}: "
                     "actuals only (choose or publish targets in the Targets panel)")
    result = ReportResult(report, first.start, first.end, keys,  # type: ignore[arg-type]  # keys of str, only read
                          notes=list(dict.fromkeys(notes)))
    if report.grouping == "agent":
        result.names = [by_key[0][k].name for k in keys]
        result.teams = [by_key[0][k].team for k in keys]
    for part, rows_of in zip(parts, by_key):
        chosen = [rows_of.get(k) for k in keys]
        has_targets = part.scenario_id is not None and any(
            r is not None and r.target_to_date is not None for r in chosen)
        figures = MeasureFigures(
            part.measure, [_clean(r.actual) if r else None for r in chosen],
            [_clean(r.target_to_date) if r else None for r in chosen] if has_targets else None,
            [r.rag if r else None for r in chosen], None)
        _total(figures, part.centre.actual, part.centre.target_to_date if has_targets else None)
        if has_targets:
            result.scenario[part.measure.code] = part.scenario or ""
        result.figures.append(figures)
    result.total_label = "Total" if any(f.measure.additive for f in result.figures) \
        else "Whole centre"
    return result


def _by_split(plan: PlanFile, report: Report, codes: list[str],
              measures: dict[str, MetricDefinition], start: date, end: date,
              token: JobToken) -> ReportResult:
    """Products, channels ... or days, weeks, months, through the trends."""
    from salesplanner.analysis.trends import splits_for, trend

    by_time = report.grouping in TIMES
    parts: list = []
    for i, code in enumerate(codes):
        check_cancel(token)
        token.progress(i / len(codes), f"working out {measures[code].name}")
        if by_time:
            parts.append(trend(plan, code, report.grouping, None, start, end))
        elif report.grouping in splits_for(measures, code):
            parts.append(trend(plan, code, "quarter", report.grouping, start, end))
        else:
            parts.append(None)  # a measure of calls: calls carry no product, campaign ...
    shown = [p for p in parts if p is not None] or [
        trend(plan, "revenue", "quarter", report.grouping, start, end)]
    if by_time:
        keys: list = list(shown[0].periods)
    else:
        keys = list(shown[0].labels)  # largest first, by revenue
    # A split over the whole range: notes about part-filled periods do not apply.
    notes = [n for p in parts if p is not None for n in p.notes
             if by_time or n.startswith("split by")]
    if None in parts:
        notes.append(f"split by {report.grouping}: only sales fields have values "
                     f"(calls have no {report.grouping})")
    notes.append(f"targets are shown when grouped by team or agent (they are set per "
                 f"agent), not by {GROUPINGS[report.grouping].lower()}")
    result = ReportResult(report, start, end, keys, notes=list(dict.fromkeys(notes)))
    for code, part in zip(codes, parts):
        measure = measures[code]
        values: list[float | None]
        if part is None:
            values, whole = [None] * len(keys), None
        elif by_time:
            values = [_clean(v) for v in (part.values[0] if len(part.labels) else [])]
            whole = _clean(part.totals[0]) if len(part.labels) else None
        else:
            index = {label: j for j, label in enumerate(part.labels)}
            values = [_clean(part.totals[index[k]]) if k in index else None for k in keys]
            centre = trend(plan, code, "quarter", None, start, end)
            whole = _clean(centre.totals[0]) if len(centre.labels) else None
        figures = MeasureFigures(measure, values, None,
                                 [None if v is None else rag(measure, v) for v in values], None)
        _total(figures, whole, None)
        if measure.additive and whole is not None and figures.total_actual is not None \
                and abs(figures.total_actual - whole) > 0.5:
            unit, name = measure.unit, GROUPINGS[report.grouping].lower()
            result.notes.append(
                f"{measure.name}: an order with lines of several values of {name} counts "
                f"once in each, so the rows add up to {format_value(figures.total_actual, unit)}"
                f" against {format_value(whole, unit)} for the whole centre")
        result.figures.append(figures)
    result.total_label = "Total" if any(f.measure.additive for f in result.figures) \
        else "Whole centre"
    return result


def _total(figures: MeasureFigures, centre_actual: float | None,
           centre_target: float | None) -> None:
    """The total row: rows summed for a measure that adds up, else the whole
    centre's own figure (a rate is never summed)."""
    m = figures.measure
    if all(v is None for v in figures.actual):  # e.g. calls split by product: no values
        return
    if m.additive:
        figures.total_actual = float(sum(v for v in figures.actual if v is not None))
        if figures.target is not None:
            figures.total_target = float(sum(v for v in figures.target if v is not None))
    else:
        figures.total_actual = _clean(centre_actual)
        figures.total_target = _clean(centre_target)
    if figures.target is not None and figures.total_target:
        from salesplanner.analysis.performance import rate_of

        figures.total_rag = rate_of(m, figures.total_actual,  # type: ignore[arg-type]  # set with the target
                                    figures.total_attainment)
    elif figures.total_actual is not None:
        figures.total_rag = rag(m, figures.total_actual)


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if value != value or np.isinf(value) else value
