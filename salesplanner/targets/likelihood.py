"""How likely each agent is to reach their target, from their own ups and downs.

Many quarters are simulated for each agent (2,000, seeded, so the same plan
and settings always give the same figures):

- **Their own weeks, in blocks.** Each simulated quarter is built from runs
  of four consecutive real weeks of the agent's history (a block
  bootstrap), as ratios to their average, applied to the planned hours of
  each week and to their expected rate (the skill-adjusted baseline).
  Blocks keep the streaks real results have (a good month, a bad month);
  drawing single weeks would average them away and make everyone look far
  more predictable than they are. Agents with under 8 weeks borrow the
  team's weeks.
- **The quarter the whole team has.** Every agent in a simulated quarter
  shares one factor: how one of the centre's past quarters ran against the
  weeks before it (13-week blocks of history against the 26 weeks before
  each). Seasons, competitors and campaigns move everybody together; this
  is what makes "three agents in four will reach target" honest.

- **Shares of the team's quarter.** The agents' simulated quarters are
  scaled together, simulation by simulation, so that they add up to the
  team's quarter: the expected results' total times the team factor, or,
  in a back-test, the team's real total (``team_known``). What is left
  uncertain per agent is their share of it; the back-test
  (:mod:`~salesplanner.targets.backtest`) checks those shares against what
  agents really did, quarter by quarter.

- **Their level moving.** An agent's own level drifts between quarters
  (new habits, a change of queue): how far is measured across the team by
  comparing each agent's first and second half of the window, less what
  week-to-week noise explains, and drawn per agent and simulation.

For a ratio measure the blocks carry both parts (e.g. sales and calls) and
the ratio of their sums is compared with the target. The likelihood is the
share of simulated quarters at or past the target; the team's expected
share of agents reaching target is the average of the likelihoods.

**Thin history.** Under six weeks of history (see
:mod:`salesplanner.analysis.thin_data`) no chance is given: there is not
enough to judge. Under a quarter of it, or with too few past quarters to
show how a whole quarter can swing, the chances are given with a note that
says how little history they come from and that they are rough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from salesplanner.analysis.thin_data import (
    MIN_WEEKS_FOR_LIKELIHOOD, NOT_ENOUGH, ROUGH_BELOW_WEEKS, weeks_of,
)
from salesplanner.targets.history import History
from salesplanner.targets.skills import MIN_WEEKS

if TYPE_CHECKING:
    from salesplanner.targets.proposal import Proposal

SIMULATIONS = 2000
BLOCK_WEEKS = 4
QUARTER_WEEKS = 13


def team_factors(team_num: np.ndarray, team_den: np.ndarray) -> np.ndarray:
    """How each past quarter-long stretch ran against the 26 weeks before it
    (at least 8): the spread of the team's quarters. ``[1.0]`` if too short."""
    factors = []
    for start in range(8, len(team_num) - QUARTER_WEEKS + 1):
        before = slice(max(0, start - 26), start)
        block = slice(start, start + QUARTER_WEEKS)
        if team_den[before].sum() > 0 and team_den[block].sum() > 0:
            then = team_num[before].sum() / team_den[before].sum()
            now = team_num[block].sum() / team_den[block].sum()
            if then > 0 and np.isfinite(now / then):
                factors.append(now / then)
    if len(factors) < 3:
        return np.ones(1)
    factors = np.asarray(factors)  # type: ignore[assignment]  # the list becomes an array
    # Centred on 1: the baseline already says where the level is; this is the spread.
    return factors / np.median(factors)


def _blocks(n_hist: int, n_future: int, rng: np.random.Generator) -> np.ndarray:
    """Indexes into ``n_hist`` weeks for each of ``n_future`` weeks in each
    simulation: runs of consecutive weeks from random starts (circular)."""
    runs = -(-n_future // BLOCK_WEEKS)
    starts = rng.integers(0, n_hist, size=(SIMULATIONS, runs))
    steps = np.arange(BLOCK_WEEKS)
    index = (starts[:, :, None] + steps[None, None, :]) % n_hist
    return index.reshape(SIMULATIONS, -1)[:, :n_future]


def add_likelihood(proposal: Proposal, history: History, team_known: bool = False) -> None:
    """Fill each agent's likelihood and the team's expected share.

    ``team_known``: the team target is what the team will do (a back-test,
    where it is what the team did), so each simulated quarter is scaled to
    add up to it and only the agents' shares of it are uncertain."""
    internals = proposal.internals
    num, den = internals["num"], internals["den"]
    time = internals["time"]
    good = internals["good"]
    rng = np.random.default_rng(proposal.settings.seed)
    targets = np.array([a.target for a in proposal.agents])
    n, n_weeks = num.shape
    weeks_with_data = int((den.sum(axis=0) > 0).sum()) if n_weeks else 0
    if weeks_with_data < MIN_WEEKS_FOR_LIKELIHOOD:
        for agent in proposal.agents:
            agent.likelihood = None
        proposal.expected_share = None
        proposal.notes.append(f"chances of reaching target: {NOT_ENOUGH} "
                              f"({weeks_of(weeks_with_data)}; {MIN_WEEKS_FOR_LIKELIHOOD} "
                              "are needed)")
        return
    n_future = time.productive.shape[1]
    factors = team_factors(*internals["team_weeks"])
    if weeks_with_data < ROUGH_BELOW_WEEKS or len(factors) == 1:
        proposal.notes.append(f"chances of reaching target {weeks_of(weeks_with_data)}: too "
                              "little to see how a whole quarter can swing, so read them as "
                              "rough (they are likely too sure)")
    shared = rng.choice(factors, size=SIMULATIONS)
    drift = internals.get("drift", 0.0)
    team_num, team_den = num.sum(axis=0), den.sum(axis=0)
    team_weeks = np.flatnonzero(team_den > 0)
    out = np.full(n, np.nan)
    sims: dict[int, np.ndarray] = {}  # each simulated agent's quarters, before the team's
    picks: dict[int, np.ndarray] = {}  # one set of blocks per history length, shared
    for i in range(n):
        weeks = np.flatnonzero(den[i] > 0)
        if len(weeks) >= MIN_WEEKS:
            part_num, part_den = num[i, weeks], den[i, weeks]
        elif len(team_weeks):
            part_num, part_den = team_num[team_weeks], team_den[team_weeks]
        else:
            continue
        average = part_num.sum() / part_den.sum() if part_den.sum() else 0.0
        expected = internals["adjusted"][i]
        if not average or average != average:
            out[i] = np.nan if targets[i] * good > 0 else 1.0
            continue
        if len(part_num) not in picks:
            picks[len(part_num)] = _blocks(len(part_num), n_future, rng)
        pick = picks[len(part_num)]
        # The agent's own level moves between quarters too (see level_drift).
        level = np.exp(rng.normal(-drift * drift / 2, drift, SIMULATIONS)) if drift else 1.0
        if proposal.ratio:
            simulated = part_num[pick].sum(axis=1) / np.maximum(part_den[pick].sum(axis=1),
                                                                1e-12)
            simulated = simulated / average * expected * level
        else:
            phase = time.productive[i] * time.ramp[i]
            if phase.sum() <= 0 or expected <= 0:
                out[i] = np.nan if targets[i] > 0 else 1.0
                continue
            relative = np.where(part_den > 0, part_num / np.maximum(part_den, 1e-12), 0) / average
            simulated = (relative[pick] * (phase / phase.sum())).sum(axis=1) * expected * level
        sims[i] = simulated
    # Agents' shares of the team's quarter: each simulation is scaled to the
    # team's total: known (a back-test), drawn from the quarter's outlook, or
    # the baselines' times the team factor.
    goal = _team_goal(proposal, shared, team_known, rng)
    scale = _to_team_total(proposal, sims, goal) if sims else shared
    scaled = {i: simulated * scale for i, simulated in sims.items()}
    for i, simulated in scaled.items():
        out[i] = float(np.mean(simulated * good >= targets[i] * good - 1e-9))
    for agent, p in zip(proposal.agents, out):
        agent.likelihood = None if p != p else float(p)
    known = out[np.isfinite(out)]
    proposal.expected_share = float(known.mean()) if len(known) else None
    proposal.team_chance = None if team_known else _team_chance(proposal, goal, good)
    internals["scaled"] = scaled


def _team_goal(proposal: Proposal, shared: np.ndarray, team_known: bool,
               rng: np.random.Generator) -> np.ndarray:
    """Per simulation, what the agents in scope add up to (a ratio's weighted
    by volume): the team target when it is known (a back-test); the quarter's
    outlook, drawn from its distribution, when there is one (a sum, the whole
    centre, the quarter the data is in: the figure Forecast, Performance and
    the Overview give); else the expected results' total times the team's
    quarter factor."""
    expected = np.asarray(proposal.internals["adjusted"], dtype=float)
    weights = _weights(proposal, len(expected))
    if team_known:
        return np.full(SIMULATIONS, proposal.team_target
                       * (weights.sum() if proposal.ratio else 1.0))
    seen = proposal.internals.get("outlook")
    if seen is not None and not proposal.ratio:
        drawn = seen.draws(SIMULATIONS, rng)
        # The outlook is the centre as it has been: new starters typed into
        # the settings come on top of it, at their expected results.
        extra = float(np.nansum(expected[_new_starters(proposal)]))
        return (drawn if drawn is not None else seen.total * shared) + extra
    return float(np.nansum(weights * expected)) * shared


def _new_starters(proposal: Proposal) -> np.ndarray:
    """Which agents are the settings' new starters (they come last)."""
    count = len(proposal.settings.new_starters)
    mask = np.zeros(len(proposal.agents), dtype=bool)
    if count:
        mask[-count:] = True
    return mask


def _weights(proposal: Proposal, n: int) -> np.ndarray:
    """How agents add up to the team: one each, or a ratio's planned volumes."""
    if proposal.ratio:  # a ratio's team figure is the agents' rates weighted by volume
        return np.asarray(proposal.internals["volumes"], dtype=float)
    return np.ones(n)


def _team_chance(proposal: Proposal, goal: np.ndarray, good: float) -> float | None:
    """The chance the team reaches its target: from the outlook's
    distribution when the quarter has one (the same figure the Forecast and
    Performance panels give), else from the simulated team quarters."""
    seen = proposal.internals.get("outlook")
    if seen is not None and not proposal.ratio and not _new_starters(proposal).any():
        chance = seen.chance_of(proposal.team_target)
        if chance is not None:
            return chance
    n = len(proposal.internals["adjusted"])
    total = _weights(proposal, n).sum() if proposal.ratio else 1.0
    if not total:
        return None
    return float(np.mean(goal / total * good >= proposal.team_target * good - 1e-9))


def team_target_for_band(proposal: Proposal) -> float | None:
    """A team target that would put the expected share of agents reaching
    target inside the band, when the proposal's does not: every target but
    the overridden ones scaled by one factor (as the proposal shares a
    changed team target, give or take the guardrails), aiming five points
    inside the nearer edge of the band. None when the share is inside it,
    cannot be judged, or no team target inside the guardrails reaches it."""
    share, scaled = proposal.expected_share, proposal.internals.get("scaled")
    if share is None or not scaled:
        return None
    low, high = proposal.settings.band
    if low <= share <= high:
        return None
    aim = min(low + 0.05, (low + high) / 2) if share < low else max(high - 0.05,
                                                                   (low + high) / 2)
    good = proposal.internals["good"]
    targets = np.array([a.target for a in proposal.agents], dtype=float)
    free = np.array([a.override is None for a in proposal.agents])
    rows = [i for i in scaled if free[i]]
    if not rows:
        return None  # every target is the manager's own
    steady = [float(a.likelihood) for i, a in enumerate(proposal.agents)
              if a.likelihood is not None and i not in rows]
    sims = np.stack([scaled[i] for i in rows]) * good
    wanted = targets[rows][:, None] * good

    def share_at(factor: float) -> float:
        chances = np.mean(sims >= wanted * factor - 1e-9, axis=1)
        return float((chances.sum() + sum(steady)) / (len(rows) + len(steady)))

    # The share falls as targets rise (rises, where lower is better).
    lo, hi = 0.2, 5.0
    at_lo, at_hi = share_at(lo), share_at(hi)
    if not min(at_lo, at_hi) <= aim <= max(at_lo, at_hi):
        return None
    falling = at_lo > at_hi
    for _step in range(40):
        middle = (lo + hi) / 2
        past = share_at(middle) > aim
        lo, hi = (middle, hi) if past == falling else (lo, middle)
    factor = np.where(free, (lo + hi) / 2, 1.0)
    weights = _weights(proposal, len(targets))
    total = float((weights * targets * factor).sum())  # a ratio's on its numerator
    lower, upper = proposal.internals.get("lower"), proposal.internals.get("upper")
    if lower is not None and upper is not None and not (
            float(np.sum(lower)) - 0.5 <= total <= float(np.sum(upper)) + 0.5):
        return None  # beyond what the guardrails allow
    return total / weights.sum() if proposal.ratio else total


def _to_team_total(proposal: Proposal, sims: dict[int, np.ndarray],
                   goal: np.ndarray) -> np.ndarray:
    """Per simulation, the factor that makes the agents' results add up to
    ``goal`` (see :func:`_team_goal`). Agents not simulated count at their
    expected result."""
    expected = np.asarray(proposal.internals["adjusted"], dtype=float)
    weights = _weights(proposal, len(expected))
    total = np.zeros(SIMULATIONS)
    for i in range(len(expected)):
        total += weights[i] * (sims[i] if i in sims else expected[i])
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = goal / total
    return np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)


def level_drift(num: np.ndarray, den: np.ndarray) -> float:
    """How far agents' own levels move between quarters (a standard deviation
    of log rates): each agent's rate in the first half of the window against
    the second, across the team, less what week-to-week noise alone explains."""
    n_weeks = num.shape[1]
    if n_weeks < 8:
        return 0.0
    half = n_weeks // 2
    worked = den > 0
    n_a, n_b = worked[:, :half].sum(axis=1), worked[:, half:].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = num[:, :half].sum(axis=1) / den[:, :half].sum(axis=1)
        second = num[:, half:].sum(axis=1) / den[:, half:].sum(axis=1)
        average = num.sum(axis=1) / den.sum(axis=1)
        weekly = np.where(worked, num / np.where(worked, den, 1) / average[:, None], np.nan)
    keep = (n_a >= 4) & (n_b >= 4) & (first > 0) & (second > 0)
    if keep.sum() < 5:
        return 0.0
    change = np.log(second[keep] / first[keep])
    noise = np.nanvar(weekly[keep], axis=1) * (1 / n_a[keep] + 1 / n_b[keep])
    excess = float(np.mean(np.square(change)) - np.mean(noise))
    return float(np.sqrt(max(excess, 0.0)))
