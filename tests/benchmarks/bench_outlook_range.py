"""Coverage of the quarter outlook's 80% range (issue 19). Prints figures;
never passes or fails on a number.

For demo plans (15 months, seeds 42 and 7; 27 months, seeds 42 and 7; 27
months with 15% growth; written to the temporary directory if missing), every
quarter the data covers in full with at least 13 weeks of history before it,
and "today" 0, 4, 6 and 9 weeks into that quarter: the weekly forecast and the
outlook are computed from the series cut at that day, in memory
(``forecast_from`` and ``outlook_from``, the functions ``forecast`` and
``quarter_outlook`` run on the plan's series), for revenue and sales; then
whether the quarter's real total fell inside the 80% range, below or above
it, and the range's width over the real total.

Each forecast's weekly ranges are combined three ways: by the correlation
between weeks' errors that the back-test measured (what the outlook does), as
if every week were off the same way (correlation 1, the rule before) and as if
the weeks were unrelated (correlation 0). A range that is right holds about 80% (75-85%), with about
10% below and 10% above.

    .venv/bin/python tests/benchmarks/bench_outlook_range.py [PLAN ...]

Measured (27 quarters x revenue and sales = 54 cases a cut point; 3 s;
"width" is the median width of the range over the real quarter total):

    weeks in  cases   before: summed (r=1)       after: measured correlation
                      inside below above width   inside below above width  r
        0       54     100%    0%    0%  103%     89%    6%    6%  41%   0.16
        4       54     100%    0%    0%   59%     85%    6%    9%  30%   0.23
        6       54      93%    7%    0%   44%     78%   13%    9%  23%   0.23
        9       54      83%   17%    0%   20%     72%   19%    9%  11%   0.10
      all      216      94%    6%    0%   42%     81%   11%    8%  24%   0.19

    (independent, r=0: 65% inside, 15% below, 20% above, width 15%: too narrow.)

Most of what falls outside at 9 weeks (and much of the 17% below even with
the old, widest rule) is one quarter: 2025-Q4 in the 27-month plans, whose
December is forecast from one year of history and comes in ~20% under the
forecast; a bias of the point forecast, not of the range. Measuring the
correlation over only the weeks left in the quarter (rather than over the
back-test's whole holdout) was tried: 91/91/72/74% at 0/4/6/9 weeks, 82% in
all: no better, and noisier, so the outlook uses the whole holdout.

On the default demo (15 months, seed 42, six weeks into 2027-Q1) the revenue
outlook's range went from £3,128,411-£4,417,127 to £3,230,582-£4,314,957 (its
back-test correlation is 0.66, from one origin); sales from a correlation of
0.33.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import numpy as np

PLANS = [("15 months, seed 42", ["--months", "15"]),
         ("15 months, seed 7", ["--months", "15", "--seed", "7"]),
         ("27 months, seed 42", ["--months", "27"]),
         ("27 months, seed 7", ["--months", "27", "--seed", "7"]),
         ("27 months, growth 15%", ["--months", "27", "--growth", "15%"])]
CUTS = (0, 4, 6, 9)
METRICS = ("revenue", "sales")
#: rule -> the correlation it takes (None: the one the back-test measured, the outlook's rule).
RULES = {"measured (the outlook)": None, "summed (r=1, before)": 1.0,
         "independent (r=0)": 0.0}


@dataclass
class Case:
    plan: str
    metric: str
    quarter: str
    weeks: int
    correlation: float
    real: float
    #: rule -> (low, high)
    ranges: dict[str, tuple[float, float]]


def _plans(argv: list[str]) -> list[tuple[str, Path]]:
    if argv:
        return [(Path(a).stem, Path(a)) for a in argv]
    out = []
    for label, options in PLANS:
        path = Path(tempfile.gettempdir()) / (
            "salesplanner-bench-range-" + "-".join(o.strip("-%") for o in options) + ".salesplan")
        if not path.exists():
            print(f"writing {path} (demo {' '.join(options)}) ...", flush=True)
            subprocess.run([sys.executable, "-m", "salesplanner", "demo", str(path), *options,
                            "--quiet"], check=True)
        out.append((label, path))
    return out


def _cases(label: str, path: Path) -> list[Case]:
    from salesplanner.analysis.forecast import (
        forecast_from, outlook_from, weekday_weights_from,
    )
    from salesplanner.analysis.trends import trend
    from salesplanner.daily_figures import data_days
    from salesplanner.periods import Quarter
    from salesplanner.storage.plan_file import PlanFile

    out = []
    with PlanFile.open(path, read_only=True) as plan:
        first_day, last_day = data_days(plan)
        assert first_day is not None and last_day is not None
        series = {m: trend(plan, m, "week") for m in METRICS}
        daily = {m: trend(plan, m, "day") for m in METRICS}
    quarter = Quarter.containing(first_day + timedelta(days=7 * 13))
    if quarter.start < first_day + timedelta(days=7 * 13):
        quarter = quarter.next()
    while quarter.end <= last_day:
        for metric in METRICS:
            weeks = list(series[metric].periods)
            weekly = np.nan_to_num(series[metric].values[0])
            days = list(daily[metric].periods)
            values = np.nan_to_num(daily[metric].values[0])
            in_quarter = np.array([quarter.start <= d <= quarter.end for d in days])
            real = float(values[in_quarter].sum())
            for cut_weeks in CUTS:
                cut = quarter.start + timedelta(days=7 * cut_weeks - 1)
                keep = sum(1 for w in weeks if w <= cut)
                result = forecast_from(metric, "week", weeks[:keep], weekly[:keep], first_day,
                                       cut)
                kept = sum(1 for d in days if d <= cut)
                actual = float(values[:kept][in_quarter[:kept]].sum())
                weights = weekday_weights_from(days[:kept], values[:kept])
                ranges = {}
                for rule, r in RULES.items():
                    seen = outlook_from(result if r is None else replace(result, correlation=r),
                                        cut, actual, weights)
                    assert seen is not None and seen.quarter == quarter
                    ranges[rule] = (seen.low, seen.high)
                out.append(Case(label, metric, str(quarter), cut_weeks, result.correlation,
                                real, ranges))
        quarter = quarter.next()
    return out


def _table(cases: list[Case], rule: str) -> None:
    print(f"\n{rule}: weeks into the quarter, cases, inside (goal 75-85%), below, above, "
          "median width / real total, median correlation measured")
    for weeks in (*CUTS, None):
        chosen = [c for c in cases if weeks is None or c.weeks == weeks]
        lows = np.array([c.ranges[rule][0] for c in chosen])
        highs = np.array([c.ranges[rule][1] for c in chosen])
        real = np.array([c.real for c in chosen])
        below, above = (real < lows).mean(), (real > highs).mean()
        width = np.median((highs - lows) / real)
        print(f"  {'all' if weeks is None else weeks:>3}  {len(chosen):>4}  "
              f"{1 - below - above:6.0%}  {below:6.0%}  {above:6.0%}  {width:7.1%}  "
              f"{np.median([c.correlation for c in chosen]):5.2f}")


def main() -> None:
    start = time.perf_counter()
    cases: list[Case] = []
    for label, path in _plans(sys.argv[1:]):
        found = _cases(label, path)
        print(f"{label}: {len(found) // len(CUTS) // len(METRICS)} quarters "
              f"({found[0].quarter} to {found[-1].quarter})", flush=True)
        cases += found
    for rule in RULES:
        _table(cases, rule)
    for metric in METRICS:
        print(f"\n{metric} only:")
        for rule in RULES:
            _table([c for c in cases if c.metric == metric], rule)
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
