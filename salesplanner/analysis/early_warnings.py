"""Early warnings: who is falling behind the pace their target needs, and
whose last week was far from their own normal (judged only from enough
weeks: see :mod:`salesplanner.analysis.thin_data`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplanner.analysis.performance import Performance, Row
from salesplanner.analysis.thin_data import MIN_WEEKS_TO_JUDGE, NOT_ENOUGH, weeks_of


@dataclass
class Warning_:  # noqa: N801 - `Warning` is Python's own exception class
    """Something a team leader should look at, with the figure that raised it."""

    level: str
    key: str
    #: ``behind`` (short of the pace or rate needed), ``unusual_good`` or
    #: ``unusual_poor`` (last week far from the row's own normal), or
    #: ``thin_history`` (too few weeks of data to judge a last week by).
    kind: str
    text: str
    #: The team the row belongs to (a team's own name for a team).
    team: str = ""

    def as_json(self) -> dict:
        """Plain values for ``--json``."""
        return {"level": self.level, "key": self.key, "team": self.team, "kind": self.kind,
                "text": self.text}


#: How far below the needed pace (or target rate) counts as falling behind.
BEHIND = 0.95
#: Standard deviations from an agent's own normal that make a week unusual
#: (judged only from MIN_WEEKS_TO_JUDGE earlier weeks or more: see thin_data).
UNUSUAL_SD = 1.5


def early_warnings(result: Performance) -> list[Warning_]:
    """Teams and agents behind the run-rate they need, and unusual last weeks.

    A last week is judged against the row's own earlier weeks of data only
    (not the weeks before the data starts or before an agent joined), and
    only from :data:`~salesplanner.analysis.thin_data.MIN_WEEKS_TO_JUDGE` of
    them; with fewer, the warnings say there is not enough history to judge:
    once for everyone when the centre itself is short of it, else per row."""
    from salesplanner.metrics import format_value

    measure = result.measure
    good = 1.0 if measure.higher_is_better else -1.0

    def fmt(value: float) -> str:
        return format_value(value, measure.unit)

    out: list[Warning_] = []
    weeks_left = max((result.quarter.end - result.end).days / 7, 0)
    # Too little history for the whole centre: one line for everyone, not one per row.
    centre_history, centre_last = _known_weeks(result.centre)
    centre_thin = len(centre_history) if centre_last and len(
        centre_history) < MIN_WEEKS_TO_JUDGE else None
    for row in [*result.teams, *result.agents]:
        label = f"{row.name}" if row.level == "team" else f"{row.key}"
        if row.projection is not None and row.quarter_target:
            short = row.projection * good < row.quarter_target * good * (
                BEHIND if good > 0 else 1 / BEHIND)
            if short and measure.additive and weeks_left > 0:
                needed = (row.quarter_target - row.actual) / weeks_left
                weeks_done = max((result.end - result.quarter.start).days + 1, 1) / 7
                pace = row.actual / weeks_done
                out.append(Warning_(row.level, row.key, "behind", (
                    f"{label}: on course for {fmt(row.projection)} against "
                    f"{fmt(row.quarter_target)}; needs {fmt(needed)} a week for the last "
                    f"{weeks_left:.0f} weeks, has averaged {fmt(pace)}"), row.team))
            elif short and not measure.additive:
                out.append(Warning_(row.level, row.key, "behind", (
                    f"{label}: {fmt(row.actual)} against a target of {fmt(row.quarter_target)}"),
                    row.team))
        unusual = _unusual_week(row, label, good, fmt, centre_thin)
        if unusual is not None:
            out.append(unusual)
    if centre_thin is not None:
        out.append(Warning_("centre", result.centre.key, "thin_history", (
            f"Unusual weeks: {NOT_ENOUGH} ({weeks_of(centre_thin)} before the last week; "
            f"{MIN_WEEKS_TO_JUDGE} are needed)"), ""))
    return out


def _known_weeks(row: Row) -> tuple[np.ndarray, bool]:
    """A row's earlier sparkline weeks with data, and whether its last week has data."""
    spark = np.array(row.sparkline, dtype=float)
    if not len(spark):
        return spark, False
    known = np.isfinite(spark)
    if row.sparkline_known:
        known &= np.array(row.sparkline_known, dtype=bool)
    return spark[:-1][known[:-1]], bool(known[-1])


def _unusual_week(row: Row, label: str, good: float, fmt,  # noqa: ANN001
                  centre_thin: int | None) -> Warning_ | None:
    """The row's last week if it is far from its normal, or a warning that
    there is too little history to judge (unless the centre's says so for all)."""
    history, last_known = _known_weeks(row)
    if not last_known:
        return None
    last = float(row.sparkline[-1])
    if len(history) < MIN_WEEKS_TO_JUDGE:
        if centre_thin is not None:
            return None
        return Warning_(row.level, row.key, "thin_history", (
            f"{label}: {NOT_ENOUGH} whether last week was unusual ({weeks_of(len(history))} "
            f"before it; {MIN_WEEKS_TO_JUDGE} are needed)"), row.team)
    sd = float(np.std(history, ddof=1))
    mean = float(np.mean(history))
    if not (sd > 0 and abs(last - mean) >= UNUSUAL_SD * sd):
        return None
    z = (last - mean) / sd
    better = z * good > 0
    return Warning_(row.level, row.key, "unusual_good" if better else "unusual_poor", (
        f"{label}: {'an unusually good' if better else 'an unusually poor'} last "
        f"week, {fmt(last)}, {abs(z):.1f} standard deviations "
        f"{'above' if z > 0 else 'below'} their normal {fmt(mean)}"), row.team)
