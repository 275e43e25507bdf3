"""The target proposal: a stretching but realistic target for every agent.

The method, step by step (the program's help says the same in words):

1. **Productivity.** Each agent's rate over the history window (by default
   the 26 full weeks before the quarter): the measure per productive hour
   (contracted hours less the default 30% shrinkage), with the weeks of a
   new starter's ramp-up counted at their ramped share, so a starter is not
   judged by their first weeks. For a ratio measure (conversion rate ...)
   the rate is the ratio itself.
2. **Pulled toward the team.** A short history is noisy, so each rate is
   blended with the team's as if the agent had a few more weeks at the team
   rate: how many is estimated from how far agents really differ against
   how much their own four-week stretches vary (about one on the demo
   plans; ``prior_weeks`` fixes it), so a lucky fortnight does not set a
   target and a lasting difference is not averaged away (see
   :mod:`.rates`).
3. **Baseline** = that rate x planned productive hours in the quarter (with
   each week's ramp for new starters) x the quarter's **seasonality**: how
   the same quarter last year ran against the weeks before it (1.0 when the
   history is too short to say).
4. **Skill adjustment.** Each agent's weighted skill score (1-5) implies a
   rate: the team's, moved by how strongly scores go with results in this
   history. Where skills run ahead of results there is headroom and the
   baseline moves up; where they lag, down. Only half the gap is taken
   (skills suggest, results decide) and never more than 15%.
5. **Stretch.** The team target less the sum of adjusted baselines is
   shared in proportion to each agent's adjusted baseline times one plus
   their **skill headroom**: how far their skills imply they could go
   beyond their results (0 where results already match or beat their
   skills). Everyone carries stretch in proportion to their size, and those
   whose skills run ahead of their results carry more. Nobody is asked past
   their realistic ceiling (planned hours at the team's top-quartile rate,
   or their own rate if higher): an agent at it takes no stretch. If the
   team target is below the baselines, everyone comes down in proportion.
6. **Guardrails.** No target moves more than the manager's limits from its
   baseline (by default -10% to +30%); what one agent cannot take flows to
   the others (see :mod:`.allocation`). If the limits cannot hold the team
   target, the proposal is refused with the range they allow.
7. **Rounding.** Whole sales, calls or pounds, by largest remainder: the
   targets add up to the team target exactly.

Ratio measures are set per agent the same way, on the numerator: each
agent's planned denominator (their calls per productive hour x planned
hours) turns the team's ratio into a total to share, and each target is
then their share over their planned denominator; the team's ratio holds
before rounding to 0.1%. For measures where lower is better (handle time)
the ceiling is the best quartile (the lowest) and stretch moves down.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesplanner.daily_figures import plan_currency
from salesplanner.errors import UserError
from salesplanner.formula import Binary, parse
from salesplanner.metrics import MetricDefinition, format_number, registry
from salesplanner.periods import Quarter
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.allocation import allocate, round_to_total
from salesplanner.targets.capacity import planned_time, stored_plans
from salesplanner.targets.history import History, load_history
from salesplanner.targets.settings import RATIO_STEPS, STEPS, TargetSettings, team_target_text
from salesplanner.targets.skills import (
    MIN_WEEKS, WEIGHT_SOURCES, estimate_weights, score_slope, stored_weights, weighted_score,
)
from salesplanner.targets.likelihood import level_drift
from salesplanner.targets.rates import Rates, history_rates
from salesplanner.targets.team import (
    QuarterOutlook, beside_outlook, centre_outlook, rate_without_history,
    seasonality, team_ratio, team_total, team_weekly,
)


@dataclass
class AgentTarget:
    """One agent's target and how it was built."""

    code: str
    name: str
    team: str
    history_weeks: int
    #: Own rate over the window, and after the pull toward the team.
    rate: float
    blended_rate: float
    planned_hours: float
    baseline: float
    seasonality: float
    skill_score: float
    skill_adjustment: float
    stretch: float
    capacity: float
    target: float
    guardrail: str | None = None
    override: float | None = None
    override_reason: str | None = None
    likelihood: float | None = None
    smart: dict[str, tuple[bool, str]] = field(default_factory=dict)
    weekly: list[tuple[date, float]] = field(default_factory=list)
    monthly: list[tuple[date, float]] = field(default_factory=list)
    new_starter: bool = False
    #: No history of their own: the baseline is the team's rate (this, per
    #: planned hour for a sum) times their planned hours.
    team_rate_used: float | None = None
    #: How far the agent's skills imply they could go beyond their results
    #: (before the adjustments are centred on the team): below 0 when results
    #: already beat what the skills suggest.
    skill_gap: float = 0.0
    #: Why the stretch went its way: "share" (its share of a team target
    #: beyond the skill-adjusted baselines), "give back" (the team target asks
    #: less than they add up to) or "" (a guardrail or the ceiling moved it).
    stretch_reason: str = ""

    def explanation(self, measure: MetricDefinition, fmt: Callable[[float], str]) -> str:
        """How the target was built, in a sentence a manager can check: each
        step's amount and, for the skills and the stretch, why it went that way
        (worded in :mod:`.explanations`)."""
        from salesplanner.targets.explanations import explain

        return explain(self, measure, fmt)


@dataclass
class Proposal:
    """Targets for every agent in scope, with the team's figures."""

    settings: TargetSettings
    measure: MetricDefinition
    quarter: Quarter
    team_target: float
    agents: list[AgentTarget]
    history_from: date | None
    history_to: date | None
    ratio: bool
    team_rate: float
    seasonality: float
    expected_share: float | None = None
    #: The chance the team reaches the team target (None in a back-test or
    #: with too little history); from the outlook's distribution when the
    #: quarter has one.
    team_chance: float | None = None
    #: The plan's currency code, for the figures in the warnings.
    currency: str = "GBP"
    #: Why the team target is not the one asked for (the guardrails held it).
    held: str | None = None
    #: What the team target came from (typed, forecast, history rate).
    target_source: str = ""
    notes: list[str] = field(default_factory=list)
    skill_weights: dict[str, float] = field(default_factory=dict)
    skill_fit: str = ""
    #: Planned denominators of a ratio measure (e.g. calls), per agent.
    volumes: np.ndarray | None = None
    #: Arrays the likelihood needs, kept off the printed result.
    internals: dict = field(default_factory=dict, repr=False)

    @property
    def total(self) -> float:
        """The targets' sum (additive) or the team's planned rate (ratio)."""
        values = np.array([a.target for a in self.agents])
        if self.ratio:
            weights = self.volumes if self.volumes is not None else np.ones(len(values))
            return float((values * weights).sum() / weights.sum()) if weights.sum() else 0.0
        return float(values.sum())

    def band_warning(self) -> str | None:
        """Why the expected share of agents reaching target is outside the
        band, if it is, and what team target would land inside it."""
        from salesplanner.targets.likelihood import team_target_for_band

        held = [self.held] if self.held else []
        if self.expected_share is None:
            return "; ".join(held) or None
        lo, hi = self.settings.band
        if lo <= self.expected_share <= hi:
            return "; ".join(held) or None
        if self.expected_share < lo:
            text = (f"only {self.expected_share:.0%} of agents are expected to reach their "
                    f"target, below the {lo:.0%}-{hi:.0%} band: the team target is too "
                    "stretching for this team")
            if self.team_chance is not None and self.team_chance >= 0.5:
                text += (f" (the team itself has a {self.team_chance:.0%} chance of its "
                         "target: a few agents far past theirs carry the team, so fewer than "
                         "half the agents reach theirs when the team only just makes its own)")
        else:
            text = (f"{self.expected_share:.0%} of agents are expected to reach their target, "
                    f"above the {lo:.0%}-{hi:.0%} band: the team target does not stretch")
        inside = team_target_for_band(self)
        if inside is not None:
            text += ("; a team target of about " + team_target_text(
                _about(inside, self.measure.unit), self.measure.unit, "", self.currency)
                     + " would land inside it")
        return "; ".join([*held, text])

    def frame(self) -> pd.DataFrame:
        """One row per agent: the figures of the proposal."""
        return pd.DataFrame([{
            "agent": a.code, "name": a.name, "team": a.team, "target": a.target,
            "baseline": a.baseline, "skill_adjustment": a.skill_adjustment,
            "stretch": a.stretch, "capacity": a.capacity, "likelihood": a.likelihood,
            "guardrail": a.guardrail, "override": a.override} for a in self.agents])


def _about(value: float, unit: str) -> float:
    """A suggested figure to three significant figures (a rate to 0.1%)."""
    if unit == "percent":
        return round(value, 3)
    return float(f"{value:.3g}")


def plan_quarter(plan: PlanFile) -> Quarter:
    with plan.connect() as conn:
        return Quarter.parse(conn.execute("SELECT quarter FROM plan").fetchone()[0])


def _parts(measure: MetricDefinition, measures: dict) -> tuple[object, object] | None:
    """Numerator and denominator of a ratio measure's formula (through measures it names)."""
    from salesplanner.formula import Name

    tree = parse(measure.formula)
    while isinstance(tree, Name) and tree.name in measures and tree.name != measure.code:
        tree = parse(measures[tree.name].formula)
    if isinstance(tree, Binary) and tree.op == "/":
        return tree.left, tree.right
    return None


def propose(plan: PlanFile, settings: TargetSettings | None = None,
            history: History | None = None, team_known: bool = False) -> Proposal:
    """Targets for every agent in scope for the settings' measure and quarter
    (``team_known``: see :func:`~salesplanner.targets.likelihood.add_likelihood`)."""
    from salesplanner.targets.likelihood import add_likelihood
    from salesplanner.targets.smart import add_milestones_and_smart

    settings = settings or TargetSettings()
    settings.check()
    measures = registry(plan)
    measure = measures.get(settings.measure)
    if measure is None:
        raise UserError(f"there is no measure {settings.measure!r}; "
                        "'salesplanner metrics PLAN' lists them")
    quarter = Quarter.parse(settings.quarter) if settings.quarter else plan_quarter(plan)
    history = history or load_history(plan)
    ratio = not measure.additive
    parts = _parts(measure, measures) if ratio else None
    if ratio and parts is None:
        raise UserError(f"{measure.name} is neither a sum nor a ratio of sums "
                        f"({measure.formula}); targets cannot be shared for it")
    stored = stored_plans(plan, quarter)
    weights, source = (settings.weights, "set for this scenario") if settings.weights \
        is not None else stored_weights(plan, measure.code)
    seen = centre_outlook(plan, measure, quarter, settings)  # None: no outlook for the quarter
    result = compute(history, measures, measure, quarter, settings, parts, stored,
                     weights or None, source, seen)
    result.target_source = beside_outlook(result.target_source, seen, measure.unit, plan)
    result.currency = plan_currency(plan).code
    add_likelihood(result, history, team_known)
    add_milestones_and_smart(result, history)
    return result


def estimate_for(plan: PlanFile, measure: str, history_weeks: int = 26) -> tuple[dict, str]:
    """Weights for ``measure`` estimated from the plan's history, with a
    sentence on the fit (R squared and how many agents it rests on)."""
    measures = registry(plan)
    if measure not in measures:
        raise UserError(f"there is no measure {measure!r}")
    definition = measures[measure]
    quarter = plan_quarter(plan)
    # Wide limits and no typed total: only the fit is wanted here.
    settings = TargetSettings(measure=measure, history_weeks=history_weeks,
                              guardrails=(-0.99, 100.0))
    parts = None if definition.additive else _parts(definition, measures)
    result = compute(load_history(plan), measures, definition, quarter, settings, parts,
                     stored_plans(plan, quarter), None, None)
    return result.skill_weights, result.skill_fit


def compute(history: History, measures: dict, measure: MetricDefinition, quarter: Quarter,
            settings: TargetSettings, parts: tuple[object, object] | None,
            stored: pd.DataFrame,
            weights: dict[str, float] | None, weight_source: str | None,
            outlook: QuarterOutlook | None = None) -> Proposal:
    """The proposal from loaded history (no plan access: fast and testable).

    The steps are those of the module's docstring, one function each."""
    notes: list[str] = []
    good = 1.0 if measure.higher_is_better else -1.0
    window = _history_window(history, quarter, settings, notes)
    rows, scoped = _scoped_agents(history, quarter, settings)
    rates = history_rates(history, measures, measure, parts, settings, rows, scoped, window,
                           notes)
    season = seasonality(history, measures, measure, parts, quarter, window, notes)
    # Planned time in the quarter.
    time = planned_time(scoped, quarter, settings.shrinkage, settings.ramp, stored,
                        settings.leave_hours)
    future = (time.productive * time.ramp).sum(axis=1)
    if not rates.team_rate > 0:  # no history for anyone: a typed team target's rate, or refused
        rates.team_rate, note = rate_without_history(measure, quarter, settings, len(window),
                                                     future * season)
        rates.blended = np.full(len(rates.blended), rates.team_rate)  # everyone at that rate
        notes.append(note)
    skills = _skill_adjustment(history, rows, len(scoped), rates, future, good, settings,
                               weights, weight_source)
    ceiling_rate = _ceiling_rate(rates, skills.usable, good, notes)
    sizes = _sizes(settings, history, measures, measure, parts, quarter, window, rows, rates,
                   season, future, skills.adjustment, ceiling_rate, good, notes, outlook)
    codes = list(scoped["code"].astype(str))
    limits = _limits(settings, sizes, skills.gap, codes, good, notes)
    _share(sizes, limits, notes)
    _round(settings, measure, sizes, limits, codes, notes)
    out = _agent_targets(settings, scoped, len(rows), rates, skills, sizes, limits, codes,
                         season, time.productive.sum(axis=1), good)
    days = history.weeks[window] if len(window) else np.zeros(0, "M8[D]")
    proposal = Proposal(
        settings, measure, quarter, float(sizes.team_target), out,
        days[0].item() if len(days) else None,
        (days[-1] + np.timedelta64(6, "D")).item() if len(days) else None,
        sizes.ratio, rates.team_rate, float(season), target_source=sizes.target_source,
        notes=notes, skill_weights=dict(skills.weights), skill_fit=skills.fit_text,
        volumes=sizes.volumes, held=sizes.held)
    proposal.internals = {"outlook": outlook, "rows": rows, "window": window,
                          "num": rates.num, "den": rates.den,
                          "drift": level_drift(rates.num, rates.den),
                          "time": time, "adjusted": sizes.adjusted_out, "good": good,
                          "lower": limits.lower, "upper": limits.upper,
                          "weight": limits.weight, "volumes": sizes.volumes,
                          "adjusted_total": sizes.adjusted,
                          "team_weeks": team_weekly(history, measures, measure, parts,
                                                    int(window[-1]) + 1 if len(window) else 0)}
    return proposal


def _history_window(history: History, quarter: Quarter, settings: TargetSettings,
                    notes: list[str]) -> np.ndarray:
    """The full weeks of history the rates are taken over: ``history_weeks``
    up to the day before the quarter (or ``as_of``), or the data's last day."""
    as_of = settings.as_of or quarter.start
    last_data = history.days.max().item() if len(history.days) else None
    history_end = as_of - timedelta(days=1)
    if last_data is not None and last_data < history_end:
        history_end = last_data
    window = history.weeks_between(history_end - timedelta(weeks=settings.history_weeks)
                                   + timedelta(days=1), history_end)
    return window


def _scoped_agents(history: History, quarter: Quarter,
                   settings: TargetSettings) -> tuple[np.ndarray, pd.DataFrame]:
    """The history's rows of the agents in scope, and their table with the
    settings' new starters added at the end (they have no history)."""
    agents = history.agents
    rows = agents_in_scope(agents, quarter, settings.team)
    scoped = agents.iloc[rows].reset_index(drop=True)
    starters = list(settings.new_starters)
    if starters:
        extra = pd.DataFrame([{
            "id": -1 - i, "code": s.code, "name": s.name or f"New starter {s.code}",
            "team": s.team, "weekly_hours": s.weekly_hours,
            "start": np.datetime64(s.start, "D"), "leave": np.datetime64("NaT"), "active": 1}
            for i, s in enumerate(starters)])
        scoped = pd.concat([scoped, extra], ignore_index=True)
    if not len(scoped):
        raise UserError("no agents are employed in the quarter" + (
            f" in team {settings.team}" if settings.team else ""))
    return rows, scoped


@dataclass
class _Skills:
    """Step 4: skill scores, the gap to the rate they imply and the adjustment."""

    usable: np.ndarray
    score: np.ndarray
    gap: np.ndarray
    adjustment: np.ndarray
    weights: dict[str, float]
    fit_text: str


def _skill_adjustment(history: History, rows: np.ndarray, n: int, rates: Rates,
                      future: np.ndarray, good: float, settings: TargetSettings,
                      weights: dict[str, float] | None,
                      weight_source: str | None) -> _Skills:
    """Each agent's skill adjustment, centred so that it cancels over the team."""
    team_rate, own, blended = rates.team_rate, rates.own, rates.blended
    ratings = np.full((n, len(history.skills)), np.nan)
    ratings[:len(rows)] = history.ratings[rows]
    usable = rates.active_weeks >= MIN_WEEKS
    with np.errstate(invalid="ignore", divide="ignore"):
        log_relative = good * np.log(own / team_rate) if team_rate > 0 else np.full(n, np.nan)
    fit_text = ""
    if weights is None:
        fit = estimate_weights(ratings, history.skills, log_relative, usable)
        weights = fit.weights
        fit_text = (f"skill weights estimated from {fit.agents} agents' history "
                    f"(R\u00b2 {fit.r_squared:.2f})"
                    if fit.r_squared == fit.r_squared else fit.note)
    else:
        fit_text = f"skill weights {WEIGHT_SOURCES.get(weight_source or '', 'saved')}"
    score = weighted_score(ratings, history.skills, weights)
    slope = score_slope(score, log_relative, usable)
    with np.errstate(invalid="ignore", divide="ignore"):
        implied = team_rate * np.exp(good * slope * (score - score[usable].mean()
                                                      if usable.any() else 0))
        gap = np.where(blended > 0, implied / blended - 1, 0.0)
    adjustment = np.clip(settings.skill_influence * np.nan_to_num(gap), -settings.skill_cap,
                         settings.skill_cap)
    # Skills move work between agents, not the team's total: centre the
    # adjustments so they cancel out over the team (weighted by baseline).
    weights_base = future * blended
    if weights_base.sum() > 0:
        adjustment = adjustment - float((adjustment * weights_base).sum() / weights_base.sum())
    return _Skills(usable, score, gap, adjustment, weights, fit_text)


def _ceiling_rate(rates: Rates, usable: np.ndarray, good: float, notes: list[str]) -> float:
    """The realistic ceiling: the team's best quartile of rates, from agents
    with enough history (never below the team's own rate)."""
    team_rate = rates.team_rate
    found = rates.own[usable & np.isfinite(rates.own)]
    if len(found) >= 4:
        ceiling_rate = float(np.quantile(found, 0.75 if good > 0 else 0.25))
    else:
        ceiling_rate = team_rate * (1.2 if good > 0 else 0.8)
        notes.append("too few agents with history for a top quartile: the ceiling is the "
                     "team rate with 20% more")
    return max(ceiling_rate, team_rate) if good > 0 else min(ceiling_rate, team_rate)


@dataclass
class _Sizes:
    """Step 3-5 and 7: baselines, adjusted baselines, ceilings and the team
    target, on the numerator for a ratio measure (with the rates kept)."""

    ratio: bool
    volumes: np.ndarray | None
    base: np.ndarray
    adjusted: np.ndarray
    cap: np.ndarray
    target_source: str
    team_target: float
    total: float
    base_rate: np.ndarray | None = None
    adjusted_rate: np.ndarray | None = None
    cap_rate: np.ndarray | None = None
    #: Filled by the sharing and rounding steps.
    shared: np.ndarray | None = None
    targets: np.ndarray | None = None
    baselines: np.ndarray | None = None
    adjusted_out: np.ndarray | None = None
    caps: np.ndarray | None = None
    #: Set when the proposed team target was brought inside the guardrails.
    held: str | None = None


def _sizes(settings: TargetSettings, history: History, measures: dict,
           measure: MetricDefinition, parts: tuple[object, object] | None, quarter: Quarter,
           window: np.ndarray,
           rows: np.ndarray, rates: Rates, season: float, future: np.ndarray,
           adjustment: np.ndarray, ceiling_rate: float, good: float,
           notes: list[str], outlook: QuarterOutlook | None = None) -> _Sizes:
    """Baselines, skill-adjusted baselines and ceilings, and the team target."""
    blended, team_rate = rates.blended, rates.team_rate
    if parts is not None:
        ramped, sum_den = rates.ramped, rates.sum_den
        den_rate = np.where(ramped.sum(axis=1) > 0, sum_den / np.maximum(ramped.sum(axis=1),
                                                                         1e-12), np.nan)
        team_den_rate = sum_den.sum() / ramped.sum() if ramped.sum() > 0 else 0.0
        if not team_den_rate > 0:
            # No history of the denominator (calls ...) for anyone: weigh the
            # agents' rates by planned hours alone.
            team_den_rate = 1.0
        den_rate = np.where(np.isfinite(den_rate), den_rate, team_den_rate)
        volumes = den_rate * future
        base_rate = blended * season
        adjusted_rate = base_rate * (1 + adjustment)
        cap_rate = ceiling_rate * season
        cap_rate = np.maximum(cap_rate, np.maximum(adjusted_rate, base_rate)) if good > 0 \
            else np.minimum(cap_rate, np.minimum(adjusted_rate, base_rate))
        target_source, team_target = team_ratio(settings, team_rate * season, good)
        base, adjusted, cap = base_rate * volumes, adjusted_rate * volumes, cap_rate * volumes
        return _Sizes(True, volumes, base, adjusted, cap, target_source, team_target,
                      team_target * volumes.sum(), base_rate, adjusted_rate, cap_rate)
    base = blended * future * season
    adjusted = base * (1 + adjustment)
    # What an agent has already shown they can do is realistic too.
    cap = np.maximum(ceiling_rate * future * season, np.maximum(adjusted, base)) \
        if good > 0 else np.minimum(ceiling_rate * future * season, np.minimum(adjusted, base))
    target_source, team_target = team_total(settings, history, measures, measure, window,
                                            rows, quarter, base.sum(), notes, outlook)
    return _Sizes(False, None, base, adjusted, cap, target_source, team_target, team_target)


@dataclass
class _Limits:
    """Step 5-6: the stretch weights and each agent's limits (guardrails,
    overrides, the realistic ceiling)."""

    weight: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    capped_lower: np.ndarray
    capped_upper: np.ndarray
    overridden: np.ndarray
    change_lo: float
    change_hi: float
    guard_lower: np.ndarray | None = None
    guard_upper: np.ndarray | None = None


def _limits(settings: TargetSettings, sizes: _Sizes, gap: np.ndarray, codes: list[str],
            good: float, notes: list[str]) -> _Limits:
    """How the stretch is weighted and the limits each target must keep; a
    proposed team target beyond what they allow is brought to the nearest."""
    base, adjusted, cap, volumes = sizes.base, sizes.adjusted, sizes.cap, sizes.volumes
    g_lo, g_hi = settings.guardrails
    change_lo, change_hi = (g_lo, g_hi) if good > 0 else (-g_hi, -g_lo)
    stretch_total = sizes.total - adjusted.sum()
    if stretch_total * good >= 0:
        headroom = np.clip(np.nan_to_num(gap), 0, None)  # skills ahead of results
        weight = np.abs(adjusted) * (1 + headroom) * (good * (cap - adjusted) > 0)
    else:
        weight = np.abs(adjusted)
    lower = np.minimum(base * (1 + change_lo), base * (1 + change_hi))
    upper = np.maximum(base * (1 + change_lo), base * (1 + change_hi))
    overridden = np.zeros(len(codes), dtype=bool)
    for code, (value, _reason) in settings.overrides.items():
        if code not in codes:
            raise UserError(f"{code} has no target in this scenario; the agents are "
                            f"{', '.join(codes[:8])}{' ...' if len(codes) > 8 else ''}")
        i = codes.index(code)
        fixed = float(value) * (volumes[i] if sizes.ratio else 1.0)  # type: ignore[index]
        lower[i] = upper[i] = fixed
        weight[i] = 0.0
        overridden[i] = True
    # The realistic ceiling is a limit too, while the team target allows it.
    if good > 0:
        capped_lower, capped_upper = lower, np.maximum(np.minimum(upper, cap), lower)
    else:
        capped_lower, capped_upper = np.minimum(np.maximum(lower, cap), upper), upper
    capped_lower = np.where(overridden, lower, capped_lower)
    capped_upper = np.where(overridden, upper, capped_upper)
    if sizes.target_source != "typed" and not settings.overrides:
        # A proposed (not typed) team target is brought inside what the limits allow.
        total = sizes.total
        low_sum, high_sum = float(lower.sum()), float(upper.sum())
        if not low_sum <= total <= high_sum:
            clamped = min(max(total, low_sum), high_sum)
            sizes.held = (f"the team target asked for ({sizes.target_source}: "
                          f"{format_number(total)}) is beyond what the guardrails allow "
                          f"({change_lo:+.0%} to {change_hi:+.0%} on each baseline); it is "
                          f"held at the nearest they do, {format_number(clamped)}: widen the "
                          "guardrails to go further")
            sizes.target_source += ", held at the guardrails"
            sizes.total = clamped
            sizes.team_target = (clamped / volumes.sum()  # type: ignore[union-attr]  # a ratio's
                                 if sizes.ratio and volumes.sum() else clamped)  # type: ignore[union-attr]  # a ratio's
    return _Limits(weight, lower, upper, capped_lower, capped_upper, overridden,
                   change_lo, change_hi)


def _share(sizes: _Sizes, limits: _Limits, notes: list[str]) -> None:
    """Share the team target inside the limits, the ceiling included if it can be."""
    limits.guard_lower, limits.guard_upper = limits.lower, limits.upper
    try:
        sizes.shared = allocate(sizes.total, sizes.adjusted, limits.weight,
                                limits.capped_lower, limits.capped_upper)
        limits.lower, limits.upper = limits.capped_lower, limits.capped_upper
    except UserError:
        sizes.shared = allocate(sizes.total, sizes.adjusted, limits.weight, limits.lower,
                                limits.upper)
        notes.append("the team target needs some agents past their realistic ceiling (the "
                     "team's top-quartile rate): see the R in their SMART check")


def _round(settings: TargetSettings, measure: MetricDefinition, sizes: _Sizes,
           limits: _Limits, codes: list[str], notes: list[str]) -> None:
    """Step 7: rates to their step, or whole units adding up to the team target."""
    shared = sizes.shared
    assert shared is not None  # step 6 shared the target
    if sizes.ratio:
        volumes = sizes.volumes
        assert volumes is not None  # a ratio's
        step = RATIO_STEPS.get(measure.unit, 0.001)
        with np.errstate(invalid="ignore", divide="ignore"):
            rates_out = np.where(volumes > 0, shared / volumes, sizes.adjusted_rate)
        targets = np.round(rates_out / step) * step  # type: ignore[operator]  # an array
        for code, (value, _reason) in settings.overrides.items():
            targets[codes.index(code)] = float(value)
        sizes.baselines, sizes.adjusted_out = sizes.base_rate, sizes.adjusted_rate
        sizes.caps = sizes.cap_rate
        notes.append(f"rates rounded to {step:g}: the team's planned rate is "
                     f"{(targets * volumes).sum() / volumes.sum():.4g} against the target "
                     f"{sizes.team_target:.4g}" if volumes.sum() else "no planned volume")
    else:
        step = STEPS.get(measure.unit, 1.0)
        total = sizes.total
        rounded_total = round(total / step) * step
        if rounded_total != total and sizes.target_source == "typed":
            notes.append(f"team target rounded to {rounded_total:,.0f}")
        sizes.team_target = rounded_total
        targets = round_to_total(shared, rounded_total, step, limits.lower, limits.upper)
        sizes.baselines, sizes.adjusted_out, sizes.caps = sizes.base, sizes.adjusted, sizes.cap
    sizes.targets = targets


def _agent_targets(settings: TargetSettings, scoped: pd.DataFrame, n_hist: int,
                   rates: Rates, skills: _Skills, sizes: _Sizes, limits: _Limits,
                   codes: list[str], season: float,
                   planned_hours: np.ndarray, good: float = 1.0) -> list[AgentTarget]:
    """Each agent's target with how it was built and the guardrail it met."""
    shared, adjusted, targets = sizes.shared, sizes.adjusted, sizes.targets
    baselines, adjusted_out, caps = sizes.baselines, sizes.adjusted_out, sizes.caps
    # Steps 1-7 have filled them all in.
    assert (shared is not None and adjusted is not None and targets is not None
            and baselines is not None and adjusted_out is not None and caps is not None
            and limits.guard_lower is not None and limits.guard_upper is not None)
    lower, upper, overridden = limits.lower, limits.upper, limits.overridden
    own = rates.own
    at_low = np.isclose(shared, lower, rtol=1e-9, atol=1e-9) & (lower != upper)
    at_high = np.isclose(shared, upper, rtol=1e-9, atol=1e-9) & (lower != upper)
    out = []
    # The team's stretch in the good direction: above 0 when the team target asks
    # more than the skill-adjusted baselines add up to.
    team_stretch = good * (sizes.total - float(sizes.adjusted.sum()))
    names, teams = list(scoped["name"].astype(str)), list(scoped["team"].astype(str))
    for i in range(len(scoped)):
        guard = None
        if overridden[i]:
            pass
        elif at_low[i] and (shared[i] != adjusted[i]):
            guard = f"minimum change ({limits.change_lo:+.0%})" \
                if lower[i] == limits.guard_lower[i] else "realistic ceiling"
        elif at_high[i] and (shared[i] != adjusted[i]):
            guard = f"maximum change ({limits.change_hi:+.0%})" \
                if upper[i] == limits.guard_upper[i] else "realistic ceiling"
        stretch = targets[i] - adjusted_out[i]
        # A guardrail, the ceiling or an override that set the target says so itself.
        with_team = good * stretch * team_stretch > 0 and guard is None and not overridden[i]
        reason = ("share" if team_stretch > 0 else "give back") if with_team else ""
        out.append(AgentTarget(
            code=codes[i], name=names[i], team=teams[i],
            history_weeks=int(rates.active_weeks[i]),
            rate=float(own[i]) if np.isfinite(own[i]) else float("nan"),
            blended_rate=float(rates.blended[i]), planned_hours=float(planned_hours[i]),
            baseline=float(baselines[i]), seasonality=float(season),
            skill_score=float(skills.score[i]),
            skill_adjustment=float(adjusted_out[i] - baselines[i]),
            stretch=float(stretch), capacity=float(caps[i]), target=float(targets[i]),
            guardrail=guard, new_starter=i >= n_hist,
            team_rate_used=None if rates.sum_den[i] > 0 else float(rates.team_rate),
            skill_gap=float(np.nan_to_num(skills.gap[i])), stretch_reason=reason,
            override=float(settings.overrides[codes[i]][0]) if overridden[i] else None,
            override_reason=str(settings.overrides[codes[i]][1]) if overridden[i] else None))
    return out


def agents_in_scope(agents: pd.DataFrame, quarter: Quarter, team: str | None) -> np.ndarray:
    """Rows of the agents employed in ``quarter`` (and in ``team``): started by
    its end and not left before its start. An agent marked inactive counts
    only through a leave date (so a back-test sees who worked then)."""
    leave, start = agents["leave"], agents["start"]
    employed = (~(leave.notna() & (leave < np.datetime64(quarter.start)))
                & ~(start.notna() & (start > np.datetime64(quarter.end)))
                & (agents["active"].astype(bool) | leave.notna()))
    if team:
        teams = set(agents["team"])
        if team not in teams:
            raise UserError(f"there is no team {team!r}; the plan's teams are "
                            f"{', '.join(sorted(teams))}")
        employed &= agents["team"] == team
    return np.flatnonzero(employed.to_numpy())


def settings_from_json(text: str) -> TargetSettings:
    """Settings stored with a scenario."""
    return TargetSettings.from_json(json.loads(text))
