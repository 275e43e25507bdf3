"""How much history is enough to judge by, and the words for when there is too little.

Early warnings, likelihoods and forecasts all judge the present by the
past. On a plan with a few weeks of data they used to do so as confidently as
on one with years ("66.9 standard deviations above their normal" from two
weeks). The minimums are here, each with its reason, so that every figure
resting on them says the same thing in the same words: how little history it
has, or that there is not enough to judge.
"""

from __future__ import annotations

#: Fewest earlier weeks a "normal" week (its average and spread) is judged
#: from. A spread from fewer points is itself too unsure to count in: from
#: five weeks the true standard deviation could be anything from about 0.65
#: to 2.4 times the one measured (90% range), so "n standard deviations"
#: would mean little. Six of the seven weeks before the last allows one
#: missing week (a holiday, a week off) in an eight-week sparkline.
MIN_WEEKS_TO_JUDGE = 6

#: Fewest weeks of history a chance of reaching a quarter's target is worked
#: out from at all: the simulation draws four-week blocks of an agent's own
#: weeks (or the team's), and under six weeks there is hardly more than one
#: block to draw, so every simulated quarter would repeat the same month.
MIN_WEEKS_FOR_LIKELIHOOD = MIN_WEEKS_TO_JUDGE

#: Under a quarter of history (13 weeks) a chance is still given, but said
#: to be rough: nothing yet shows how a whole quarter can run.
ROUGH_BELOW_WEEKS = 13

#: A forecast method chosen on a back-test shorter than this (in weeks) has
#: been tried on too few periods to trust the choice; a forecast from under a
#: season (52 weeks) can only carry the recent level forward.
MIN_BACKTEST_WEEKS = MIN_WEEKS_TO_JUDGE
SEASON_WEEKS = 52

NOT_ENOUGH = "not enough history to judge"


def weeks_of(count: int) -> str:
    """``from 2 weeks of history`` (one week: ``from 1 week``)."""
    return f"from {count} week{'' if count == 1 else 's'} of history"


def forecast_warning(by: str, history_periods: int, holdout: int, method: str,
                     mape: float | None = None) -> str | None:
    """Why a forecast rests on too little history, in one sentence, or None.

    Takes the figures a forecast result shows (its history's length, the
    back-test's held-out periods and the method chosen), so it works on any
    forecast without changing how the forecast is made."""
    per_week = 1.0 if by == "week" else 52 / 12
    history_weeks = round(history_periods * per_week)
    backtest_weeks = holdout * per_week
    if history_weeks >= SEASON_WEEKS and backtest_weeks >= MIN_BACKTEST_WEEKS:
        return None
    unit = by if holdout == 1 else f"{by}s"
    error = "" if mape is None or mape != mape else f", off by {mape:.0%} on average there"
    return (f"a forecast {weeks_of(history_weeks)}: '{method}' was chosen on a back-test of "
            f"{holdout} {unit}{error}; too little to learn a season or to trust the choice, "
            "so read it as a rough guide")
