"""Analysis benchmarks (issue 5). Prints figures; never passes or fails on a time.

On the 1M-row demo plan (written to a temporary folder unless a plan is
given): every built-in measure's whole-plan value, and trends by each
period and split, the first time (reading the daily sums) and again
(the cached sums; the bound is 100 ms).

    .venv/bin/python tests/benchmarks/bench_analysis.py [PLAN]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    from salesplanner.demo import DemoOptions, generate_demo
    from salesplanner.metrics import base_totals, measure_values, registry
    from salesplanner.analysis.peaks import peaks
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.competitors import competitor_moves
    from salesplanner.analysis.forecast import forecast
    from salesplanner.analysis.trends import PERIODS, SPLITS, measures_trend, splits_for, trend

    folder = None
    if len(sys.argv) > 1:
        path = Path(sys.argv[1])
    else:
        folder = Path(tempfile.mkdtemp(prefix="bench-analysis-"))
        path = folder / "big.salesplan"
        start = time.perf_counter()
        generate_demo(path, DemoOptions(agents=400, months=12))
        print(f"demo plan written in {time.perf_counter() - start:.1f} s")
    try:
        with PlanFile.open(path, read_only=True) as plan:
            start = time.perf_counter()
            measures = registry(plan)
            measure_values(measures, list(measures), base_totals(plan))
            print(f"all {len(measures)} measures, whole plan: "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms")
            for split in (None, *SPLITS):
                first = time.perf_counter()
                trend(plan, "revenue", "month", split)
                first = time.perf_counter() - first
                again = []
                # A ratio as well as a sum: conversion where calls split that
                # way, else average order value (calls carry no product).
                ratio = ("conversion_rate" if split in splits_for(measures, "conversion_rate")
                         or split is None else "average_order_value")
                for by in PERIODS:
                    for metric in ("revenue", ratio):
                        t = time.perf_counter()
                        trend(plan, metric, by, split)
                        again.append(time.perf_counter() - t)
                print(f"trend split by {split or 'nothing':<9} first {first * 1000:6.0f} ms, "
                      f"then {min(again) * 1000:4.0f}-{max(again) * 1000:4.0f} ms "
                      "(bound 100 ms after the first)")
            first = time.perf_counter()
            peaks(plan)
            first = time.perf_counter() - first
            again = []
            for direction in (None, "inbound", "outbound"):
                t = time.perf_counter()
                peaks(plan, direction)
                again.append(time.perf_counter() - t)
            print(f"heat map and staffing         first {first * 1000:6.0f} ms, "
                  f"then {min(again) * 1000:4.0f}-{max(again) * 1000:4.0f} ms "
                  "(bound 100 ms after the first)")
            t = time.perf_counter()
            trend(plan, "revenue", "month", "product", top=8).shares()
            measures_trend(plan, ["callback_rate", "info_request_rate"], "week")
            competitor_moves(plan)
            print(f"product mix, request rates and competitor moves: "
                  f"{(time.perf_counter() - t) * 1000:.0f} ms")
            for by in ("week", "month"):
                times = []
                for metric in ("revenue", "sales", "calls_handled"):
                    t = time.perf_counter()
                    result = forecast(plan, metric, by)
                    times.append(time.perf_counter() - t)
                print(f"forecast by {by:<5} {len(result.periods)} ahead: "
                      + ", ".join(f"{x * 1000:.0f} ms" for x in times)
                      + f" (revenue, sales, calls; bound 1 s); {result.method} chosen for calls")
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
