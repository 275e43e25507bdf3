"""How targets are set, in a manager's words: the text of Help > How Targets Are Set.

The method itself is documented where it is carried out (:mod:`.proposal`,
:mod:`.likelihood`, :mod:`.smart`); this is the same method told for the
people who set and sign off targets, with the names of the statistics kept
to a footnote. It is plain text in the docstring style the help renders.
"""

from __future__ import annotations

from salesplanner.targets.skills import MIN_WEEKS
from salesplanner.targets.settings import TargetSettings

_DEFAULTS = TargetSettings()

HOW_TARGETS_ARE_SET = f"""
Every agent gets a target for the quarter that is stretching but realistic,
and the targets add up exactly to the team target. Each row of the Targets
panel shows how its target was built: **Target = Baseline + Skills + Stretch**.

**1. What the agent does now (the baseline).** The agent's results per
productive hour over the last {_DEFAULTS.history_weeks} weeks (you can change
the History), times the hours they are planned to work this quarter (their
contracted hours less the time off the phones, {_DEFAULTS.shrinkage:.0%} by
default), adjusted for the season: how the same quarter ran last year. A new
starter's first months count at their ramp-up share, so nobody is judged on
their first weeks.

**2. A short record leans on the team.** A few good or bad weeks say little,
so an agent with little history is treated as partly average: with 4 weeks
an agent is about two-thirds team average, with 26 weeks about a quarter.

**3. Skills move work between agents.** Each agent's skill ratings, weighted
by how much each skill matters for the measure (the Skills panel shows the
weights in use), suggest what they could do. Where an agent's skills run
ahead of their results, there is room to grow and some work moves to them;
where their results are already at or beyond what their skills suggest, work
moves away from them. Only half the gap is taken, never more than
{_DEFAULTS.skill_cap:.0%} of the baseline, and the plus and minus amounts
cancel out: **the team total is unchanged**.

**4. The stretch is shared by headroom.** The difference between the team
target and the baselines is shared out in proportion to each agent's size,
and more to agents whose skills run ahead of their results. Nobody is asked
past their realistic ceiling (their planned hours at the rate of the team's
top quarter of agents, or their own rate if higher) unless the team target
cannot be shared otherwise: then those agents go past it, their R of SMART
fails and says so, and an agent already at the ceiling carries no stretch
(a blank Stretch cell). When the team target is
below what the baselines add up to, the stretch is negative and every target
comes down in proportion to its size.

**5. Your limits hold.** No target moves further from its baseline than the
guardrails you set ({_DEFAULTS.guardrails[0]:+.0%} to
{_DEFAULTS.guardrails[1]:+.0%} by default); what one agent cannot take goes
to the others. If the limits cannot hold the team target, the program says
what range they allow instead of breaking them.

**6. The team target.** Typed by you, or the starting point plus the growth
you set: with two years of history, the forecast for the quarter; with one,
the same quarter last year (shown as, for example, "2026-Q1 actual"); with
less, what the baselines add up to.

**How likely each target is.** Each agent's quarter is played out thousands
of times from their own good and bad runs of weeks, with the ups and downs
the whole centre shares. The chance shown is the share of those quarters in
which they reach the target; the band (by default
{_DEFAULTS.band[0]:.0%}-{_DEFAULTS.band[1]:.0%}) is the share of agents you
want to make it. Outside it, the panel warns that the team target is too
stretching, or does not stretch.

**SMART.** Every target is checked: Specific (the agent, the measure, the
quarter), Measurable (a measure with a number), Achievable (its chance is
inside your band), Realistic (within the agent's ceiling), Time-bound (with
monthly and weekly milestones that add up to it). A lower-case letter fails;
point at it for why.

**Overrides.** Double-click a target to change it, with a reason; the others
rebalance so the team target holds (or the team target moves, if you say
so). Every change is recorded and Edit > Undo puts it back.

*For analysts.* Step 2 is empirical-Bayes (credibility) shrinkage toward
the team rate, its prior in weeks estimated from the between-agent and
four-week within-agent variances (setting ``prior_weeks`` fixes it).
Skill weights are a ridge regression of log productivity relative to the
team on the ratings, negative weights set to 0 and the rest scaled to 1,
from agents with at least {MIN_WEEKS} weeks; R squared is its fit. The
skill adjustment is {_DEFAULTS.skill_influence:.0%} of the gap to the rate
implied by the weighted score, centred on the team. Likelihoods come from a
block bootstrap of 4-week blocks with a common quarter factor and a drift in
level; rounding is by largest remainder. Forecasts are chosen by back-test
(MASE, MAPE). The code's own documentation: ``salesplanner.targets.proposal``,
``likelihood`` and ``smart``.
"""
