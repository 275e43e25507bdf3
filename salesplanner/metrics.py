"""The metrics registry: one definition of every measure the program shows.

A measure is a named formula (:mod:`salesplanner.formula`) over **base
aggregates**, the sums kept per agent and day in ``daily_agent_stats`` plus
contracted hours (:mod:`salesplanner.daily_figures` defines and reads them;
:func:`base_totals` is its). Ratios are always computed from summed aggregates (the
conversion rate of a team is its sales over its calls, not the average of
its agents' rates), so a figure is the same whichever screen, target or
export shows it.

Built-in measures are defined here and can be overridden in the plan (for
example their red/amber/green edges); the manager's own measures are rows
of the plan's ``metric`` table. :func:`registry` returns both.
"""

from __future__ import annotations


import re
import sqlite3
from dataclasses import dataclass

import numpy as np

from salesplanner import audit, changes
from salesplanner.changes import OpResult
from salesplanner.currency import currency
from salesplanner.daily_figures import BASE_AGGREGATES
from salesplanner.daily_figures import base_totals  # noqa: F401 - measures are totalled from here
from salesplanner.errors import UserError
from salesplanner.formula import (
    FormulaError, Unit, evaluate, names_in, parse, unit_of,
)
from salesplanner.storage.plan_file import PlanFile


@dataclass(frozen=True)
class MetricDefinition:
    """One measure: its formula, unit, direction and red/amber/green edges."""

    code: str
    name: str
    formula: str
    unit: str
    direction: str = "higher"
    additive: bool = False
    builtin: bool = False
    description: str = ""
    red_below: float | None = None
    green_from: float | None = None
    display_format: str | None = None

    @property
    def higher_is_better(self) -> bool:
        """Whether a bigger value is the good direction."""
        return self.direction == "higher"

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {k: getattr(self, k) for k in (
            "code", "name", "formula", "unit", "direction", "additive", "builtin",
            "description", "red_below", "green_from")}


def _b(code: str, name: str, formula: str, unit: str, description: str, *,
       additive: bool = False, direction: str = "higher") -> MetricDefinition:
    return MetricDefinition(code, name, formula, unit, direction, additive, True, description)


#: The measures every plan has (PRODUCT.md capability 6).
BUILTIN: tuple[MetricDefinition, ...] = (
    _b("calls_handled", "Calls handled", "calls", "count",
       "Inbound calls answered and outbound calls made.", additive=True),
    _b("sales", "Sales", "orders", "count",
       "Orders taken (cancelled orders left out).", additive=True),
    _b("revenue", "Revenue", "revenue", "money",
       "Revenue of orders not cancelled.", additive=True),
    _b("conversion_rate", "Conversion rate", "orders / calls", "percent",
       "Sales for every call handled."),
    _b("average_order_value", "Average order value", "revenue / orders", "money",
       "Revenue per order."),
    _b("revenue_per_hour", "Revenue per contracted hour", "revenue / contracted_hours",
       "money/hour", "Revenue for every hour agents are contracted to work."),
    _b("upsell_rate", "Up-sell rate", "upsell_lines / orders", "percent",
       "Orders with an up-sell (a higher tier of the product)."),
    _b("crosssell_rate", "Cross-sell rate", "crosssell_lines / orders", "percent",
       "Orders with a cross-sell (a related product)."),
    _b("callback_rate", "Call-back request rate", "callbacks / calls", "percent",
       "Calls where the customer asked to be called back.", direction="lower"),
    _b("info_request_rate", "Information request rate", "info_requests / calls", "percent",
       "Calls where the customer asked for information instead of buying.",
       direction="lower"),
    _b("average_handle_time", "Average handle time", "handle_seconds / calls", "seconds",
       "Talk, hold and wrap time per call.", direction="lower"),
)

UNIT_NAMES = ("count", "money", "percent", "seconds", "hours", "money/hour", "count/hour",
              "ratio")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


def _rows(conn: sqlite3.Connection) -> list[MetricDefinition]:
    rows = conn.execute(
        "SELECT code, name, formula, unit, direction, additive, builtin, coalesce(description, ''),"
        " red_below, green_from, display_format FROM metric ORDER BY id").fetchall()
    return [MetricDefinition(code, name, formula, unit, direction, bool(additive), bool(builtin),
                             description, red, green, fmt)
            for code, name, formula, unit, direction, additive, builtin, description, red, green,
            fmt in rows]


def registry(plan: PlanFile) -> dict[str, MetricDefinition]:
    """Every measure of the plan by code: the built-ins (as the plan may have
    adjusted them) and the plan's own, in that order."""
    with plan.connect() as conn:
        stored = {m.code: m for m in _rows(conn)}
    measures = {m.code: stored.get(m.code, m) for m in BUILTIN}
    measures.update({code: m for code, m in stored.items() if code not in measures})
    return measures


def units_of(measures: dict[str, MetricDefinition]) -> dict[str, Unit]:
    """The unit of every name a formula may use: base aggregates and the
    measures whose formulas resolve (a measure may build on measures)."""
    units = {name: base.unit for name, base in BASE_AGGREGATES.items()}
    pending: dict[str, object] = {}
    for code, measure in measures.items():
        try:
            pending[code] = parse(measure.formula)
        except FormulaError:
            continue
    progress = True
    while pending and progress:
        progress = False
        for code, tree in list(pending.items()):
            if all(name in units for name in names_in(tree)):
                try:
                    units[code] = unit_of(tree, units) or Unit()
                except FormulaError:
                    pass
                del pending[code]
                progress = True
    return units


@dataclass(frozen=True)
class Checked:
    """A formula that passed every check: its tree, names and unit."""

    tree: object
    names: list[str]
    unit: Unit


def check_formula(formula: str, measures: dict[str, MetricDefinition],
                  code: str | None = None) -> Checked:
    """Parse and check ``formula`` against the plan's names; :class:`FormulaError` if not usable."""
    tree = parse(formula)
    if code is not None and code in names_in(tree):
        raise FormulaError(f"{code} cannot be built on itself")
    others = {c: m for c, m in measures.items() if c != code}
    unit = unit_of(tree, units_of(others))
    return Checked(tree, names_in(tree), unit or Unit())


def add_metric(plan: PlanFile, code: str, formula: str, *, name: str | None = None,
               unit: str | None = None, direction: str = "higher",
               red_below: float | None = None, green_from: float | None = None,
               description: str = "", who: str = "user") -> OpResult:
    """Store a manager's own measure (or replace one of theirs); refuse a bad one."""
    code = code.strip().lower()
    if not _CODE.match(code):
        raise UserError(f"{code!r} is not a usable measure name: start with a letter, then "
                        "letters, digits or _ (e.g. revenue_per_call)")
    if code in BASE_AGGREGATES:
        raise UserError(f"{code!r} is the name of a base field; choose another")
    if direction not in ("higher", "lower"):
        raise UserError("direction is 'higher' or 'lower' (which way is better)")
    measures = registry(plan)
    if code in measures and measures[code].builtin:
        raise UserError(f"{code!r} is a built-in measure; choose another name")
    checked = check_formula(formula, measures, code)
    shown = checked.unit.kind
    if unit is not None and unit not in UNIT_NAMES:
        raise UserError(f"unit {unit!r} is not one of {', '.join(UNIT_NAMES)}")
    if unit is not None and unit != shown and {unit, shown} not in ({"percent", "ratio"},):
        raise FormulaError(f"the formula gives {shown} ({checked.unit}), not {unit}; "
                           "leave --unit out or fix the formula")
    unit = unit or shown
    additive = _is_sum(checked.tree)
    with plan.connect(write=True) as conn:
        old = conn.execute("SELECT formula FROM metric WHERE code = ?", (code,)).fetchone()
        conn.execute(
            "INSERT INTO metric (code, name, formula, unit, direction, additive, red_below,"
            " green_from, description, builtin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, formula = excluded.formula,"
            " unit = excluded.unit, direction = excluded.direction,"
            " additive = excluded.additive, red_below = excluded.red_below,"
            " green_from = excluded.green_from, description = excluded.description",
            (code, name or code.replace("_", " ").capitalize(), formula.strip(), unit, direction,
             int(additive), red_below, green_from, description))
        audit.record(conn, who, "define_metric", "metric", code,
                     audit.NOTHING if old is None else old[0], formula.strip())
    return OpResult(frozenset({changes.METRICS}), f"measure {code} saved", {"code": code})


def rag(measure: MetricDefinition, value: float) -> str | None:
    """``red``, ``amber`` or ``green`` for ``value`` by the measure's thresholds
    (None when it has none or the value is missing).

    The two stored edges are read in the measure's direction: where higher
    is better, red below ``red_below`` and green from ``green_from``; where
    lower is better (handle time, call-back rate), red above the red edge
    and green at or below the green edge. Between them: amber.
    """
    red, green = measure.red_below, measure.green_from
    if value != value or (red is None and green is None):
        return None
    if measure.higher_is_better:
        if red is not None and value < red:
            return "red"
        return "green" if green is not None and value >= green else "amber"
    if red is not None and value > red:
        return "red"
    return "green" if green is not None and value <= green else "amber"


def parse_threshold(text: str | float | None, unit: str) -> float | None:
    """A threshold as typed: ``20%`` or ``0.2`` for a percentage (a plain
    number over 1 is read as per cent), ``£50``, ``300`` ...; empty is none."""
    from salesplanner.browse import NUMBER, PERCENT, parse_number

    if text is None or str(text).strip() == "":
        return None
    kind = PERCENT if unit in ("percent", "ratio") else NUMBER
    return float(parse_number(str(text).strip(), kind))


def set_thresholds(plan: PlanFile, code: str, red: float | None, green: float | None,
                   who: str = "user") -> OpResult:
    """Set the red and green edges of any measure, built-in or own (None clears one)."""
    measure = registry(plan).get(code)
    if measure is None:
        raise UserError(f"there is no measure {code!r}")
    if red is not None and green is not None:
        if measure.higher_is_better and red > green:
            raise UserError(f"{measure.name}: higher is better, so the red edge ({red:g}) must "
                            f"not be above the green edge ({green:g})")
        if not measure.higher_is_better and red < green:
            raise UserError(f"{measure.name}: lower is better, so the red edge ({red:g}) must "
                            f"not be below the green edge ({green:g})")
    old = [measure.red_below, measure.green_from]
    with plan.connect(write=True) as conn:
        # A built-in measure is stored only once the plan adjusts it.
        conn.execute(
            "INSERT INTO metric (code, name, formula, unit, direction, additive, red_below,"
            " green_from, description, builtin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (code) DO UPDATE SET red_below = excluded.red_below,"
            " green_from = excluded.green_from",
            (code, measure.name, measure.formula, measure.unit, measure.direction,
             int(measure.additive), red, green, measure.description, int(measure.builtin)))
        audit.record(conn, who, "set_thresholds", "metric", code, old, [red, green])
    return OpResult(frozenset({changes.METRICS}), f"{measure.name}: thresholds saved",
                    {"code": code, "old": old, "new": [red, green]})


def remove_metric(plan: PlanFile, code: str, who: str = "user") -> OpResult:
    """Delete one of the plan's own measures (built-ins cannot be deleted).

    Refused while another of the plan's measures is built on it.
    """
    measures = registry(plan)
    measure = measures.get(code)
    if measure is None or measure.builtin:
        raise UserError(f"{code!r} is not one of the plan's own measures")
    users = [c for c, m in measures.items() if c != code and not m.builtin
             and code in names_in(parse(m.formula))]
    if users:
        raise UserError(f"{code} is used by {', '.join(users)}; change those first")
    with plan.connect(write=True) as conn:
        conn.execute("DELETE FROM metric WHERE code = ?", (code,))
        audit.record(conn, who, "remove_metric", "metric", code, measure.formula)
    return OpResult(frozenset({changes.METRICS}), f"measure {code} removed",
                    {"definition": measure})


def _is_sum(tree: object) -> bool:
    """Whether a formula adds up over agents and days (sums and differences of fields)."""
    from salesplanner.formula import Binary, Name, Num, Unary

    if isinstance(tree, Name):
        return tree.name in BASE_AGGREGATES
    if isinstance(tree, Unary):
        return _is_sum(tree.operand)
    if isinstance(tree, Binary):
        if tree.op in "+-":
            return _is_sum(tree.left) and _is_sum(tree.right)
        if tree.op == "*":  # a constant times a sum
            return (isinstance(tree.left, Num) and _is_sum(tree.right)) or \
                (isinstance(tree.right, Num) and _is_sum(tree.left))
        return isinstance(tree.right, Num) and _is_sum(tree.left)
    return False


# -- values -----------------------------------------------------------------------------------


def bases_of(measures: dict[str, MetricDefinition], code: str) -> set[str]:
    """The base aggregates a measure is worked out from, through the measures it uses."""
    found: set[str] = set()
    seen: set[str] = set()

    def walk(name: str) -> None:
        if name in BASE_AGGREGATES:
            found.add(name)
        elif name in measures and name not in seen:
            seen.add(name)
            for used in names_in(parse(measures[name].formula)):
                walk(used)

    walk(code)
    return found


def measure_values(measures: dict[str, MetricDefinition], codes: list[str],
                   totals: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each measure in ``codes`` computed from summed base aggregates."""
    cache: dict[str, np.ndarray] = {}

    def resolve(code: str) -> np.ndarray:
        if code not in cache:
            if code not in measures:
                raise FormulaError(f"{code!r} is not a measure")
            cache[code] = evaluate(parse(measures[code].formula), totals, resolve)
        return cache[code]

    return {code: resolve(code) for code in codes}


def format_value(value: float, unit: str, currency_code: str = "GBP") -> str:
    """A measure's value as text: ``£1,234.50``, ``28.8%``, ``661 s``, ``1,234``."""
    if value != value:
        return "no value"
    if unit == "percent":
        return f"{value:.1%}"
    if unit in ("money", "money/hour"):
        sign = "-" if value < 0 else ""
        text = f"{sign}{currency(currency_code).symbol}{abs(value):,.2f}"
        return text + ("/h" if unit == "money/hour" else "")
    if unit == "seconds":
        return f"{value:,.0f} s"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "count":
        return f"{value:,.0f}"
    return format_number(value)


def format_total(value: float, unit: str, currency_code: str = "GBP") -> str:
    """A quarter's or a team's total as text: money of 1,000 or more in whole
    units (``£3,772,769``: pence on millions are noise), else as
    :func:`format_value`."""
    if unit == "money" and value == value and abs(value) >= 1000:
        sign = "-" if value < 0 else ""
        return f"{sign}{currency(currency_code).symbol}{abs(value):,.0f}"
    return format_value(value, unit, currency_code)


def format_number(value: float) -> str:
    """A number of no known unit, never in e-notation: ``11,530``, ``123.5``, ``0.3333``."""
    if value != value:
        return "no value"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value and abs(value) < 0.001:  # .4g would write 1.234e-05
        return f"{value:.8f}".rstrip("0")
    return f"{value:,.4g}"
