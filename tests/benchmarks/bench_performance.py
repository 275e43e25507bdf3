"""Monitoring benchmark (issue 7). Prints figures; never passes or fails on a time.

On a copy of the 1M-row demo plan with published targets for sales and
revenue: the performance table (centre, teams, agents, sparklines) for each
period and measure, the first time and again (the bound is 100 ms after the
first time), and the warnings and coaching opportunities.

    .venv/bin/python tests/benchmarks/bench_performance.py [PLAN]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_shell import _plan  # noqa: E402


def main() -> None:
    from salesplanner.coaching import opportunities
    from salesplanner.performance import early_warnings, performance
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.targets import scenarios
    from salesplanner.targets.proposal import TargetSettings, propose

    folder = Path(tempfile.mkdtemp(prefix="bench-performance-"))
    path = folder / "plan.salesplan"
    shutil.copyfile(_plan(sys.argv[1:]), path)
    try:
        with PlanFile.open(path) as plan:
            for measure in ("sales", "revenue"):
                saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
                    measure=measure, growth=0.05, guardrails=(-0.5, 1.0))))
                scenarios.set_status(plan, saved.detail["scenario_id"], "published")
            start = time.perf_counter()
            performance(plan, "sales", "qtd")
            print(f"first table (reads the daily sums): {(time.perf_counter() - start) * 1000:.0f} ms")
            times = {}
            for measure in ("sales", "revenue", "conversion_rate", "calls_handled"):
                for period in ("qtd", "mtd", "wtd", "2026-10-01:2026-12-31"):
                    start = time.perf_counter()
                    result = performance(plan, measure, period)
                    times[(measure, period)] = time.perf_counter() - start
            worst = max(times, key=times.get)
            print(f"{len(times)} tables (4 measures x 4 periods, {len(result.agents)} agents): "
                  f"{min(times.values()) * 1000:.0f}-{max(times.values()) * 1000:.0f} ms "
                  f"(slowest {worst}; bound 100 ms)")
            result = performance(plan, "sales", "qtd")
            start = time.perf_counter()
            warnings = early_warnings(result)
            behind = [r.key for r in result.agents if r.attainment and r.attainment < 1]
            reasons = opportunities(plan, result, behind)
            print(f"warnings ({len(warnings)}) and opportunities ({len(reasons)} for "
                  f"{len(behind)} agents behind): {(time.perf_counter() - start) * 1000:.0f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
