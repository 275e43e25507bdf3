"""Calibration of the target planner's likelihoods (issue 19 item 2).

Prints figures; never passes or fails. For each demo plan (the default 15
months, 27 months, and 27 months with calls per hour growing 15% a year) and
each measure, every earlier quarter the data covers in full is back-tested
(:func:`salesplanner.targets.backtest.backtest`: targets proposed as if on
its first day, the team target what the team really did) and the predicted
share of agents reaching target is set against the share who did. Then the
Brier score of the per-agent chances against the naive rule (everyone at the
hit rate), and the reliability table (chances grouped by tenths).

The issue's bound: every quarter within 10 points, Brier below naive. With
55-60 agents a quarter's actual share has a sampling error of about 6.5
points on its own, so a gap of 10 is under two standard errors.

    .venv/bin/python tests/benchmarks/bench_calibration.py [--keep DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from salesplanner.demo import DemoOptions, generate_demo
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.backtest import backtest, reliability
from salesplanner.targets.proposal import TargetSettings

DEMOS = {
    "default (15 months)": DemoOptions(),
    "27 months": DemoOptions(months=27),
    "27 months, +15% a year": DemoOptions(months=27, growth=0.15),
}
MEASURES = ("revenue", "sales")


def main(argv: list[str]) -> None:
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    folder = keep or Path(tempfile.mkdtemp(prefix="bench-calibration-"))
    folder.mkdir(parents=True, exist_ok=True)
    worst_overall = 0.0
    for label, options in DEMOS.items():
        path = folder / (label.split(" ")[0].replace(",", "") + f"-{options.months}"
                         f"-{options.growth or 0:g}.salesplan")
        if not path.exists():
            generate_demo(path, options)
        with PlanFile.open(path, read_only=True) as plan:
            for measure in MEASURES:
                began = time.perf_counter()
                checks = backtest(plan, TargetSettings(measure=measure))
                seconds = time.perf_counter() - began
                scored = reliability(checks)
                print(f"\n{label}, {measure} ({len(checks)} quarters, {seconds:.1f} s)")
                print(f"  {'quarter':<9} {'agents':>6} {'predicted':>9} {'actual':>7} "
                      f"{'gap':>5} {'Brier':>6}")
                for c in checks:
                    gap = (c.actual_share - (c.predicted_share or 0)) * 100
                    print(f"  {c.quarter:<9} {c.agents:>6} {c.predicted_share or 0:>9.0%} "
                          f"{c.actual_share:>7.0%} {gap:>+5.0f} {c.brier:>6.3f}")
                print(f"  worst gap {scored.worst_gap * 100:.0f} points; Brier "
                      f"{scored.brier:.3f} against {scored.naive_brier:.3f} naive (everyone "
                      f"at the {scored.hit_rate:.0%} hit rate)")
                print("  reliability: " + "; ".join(
                    f"{lo:.0%}-{hi:.0%}: {k} agents, given {p:.0%}, {a:.0%} made it"
                    for lo, hi, k, p, a in scored.bins))
                worst_overall = max(worst_overall, scored.worst_gap)
    print(f"\nworst gap in any quarter: {worst_overall * 100:.0f} points")
    if keep is None:
        print(f"(plans in {folder}; --keep DIR to reuse them)")


if __name__ == "__main__":
    main(sys.argv[1:])
