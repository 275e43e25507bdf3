"""Target planner benchmark (issue 6). Prints figures; never passes or fails on a time.

On the 1M-row demo plan (400 agents, 12 months; made by bench_shell.py's
helper if missing): loading the history, then proposing targets for every
agent (the bound is 300 ms after the history is loaded) for additive and
ratio measures, a what-if with another team target (as the manager types),
and the back-test.

    .venv/bin/python tests/benchmarks/bench_targets.py [PLAN]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_shell import _plan


def main() -> None:
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.targets.backtest import backtest
    from salesplanner.targets.history import load_history
    from salesplanner.targets.proposal import TargetSettings, propose

    path = _plan(sys.argv[1:])
    with PlanFile.open(path, read_only=True) as plan:
        start = time.perf_counter()
        history = load_history(plan)
        print(f"history loaded: {len(history.agents)} agents x {len(history.weeks)} weeks in "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")
        for measure in ("revenue", "sales", "conversion_rate", "average_handle_time"):
            times = []
            for growth in (0.0, 0.03, 0.05):
                start = time.perf_counter()
                result = propose(plan, TargetSettings(measure=measure, growth=growth,
                                                      guardrails=(-0.5, 1.0)), history)
                times.append(time.perf_counter() - start)
            print(f"propose {measure:<20} {len(result.agents)} agents: "
                  + ", ".join(f"{t * 1000:.0f} ms" for t in times)
                  + f" (bound 300 ms); expected share {result.expected_share:.0%}")
        start = time.perf_counter()
        checks = backtest(plan, TargetSettings(measure="sales"))
        print(f"back-test of sales over {len(checks)} quarters: "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")
        for c in checks:
            print(f"  {c.quarter}: predicted {c.predicted_share:.0%}, actual "
                  f"{c.actual_share:.0%}, called right {c.calibration:.0%} ({c.agents} agents)")


if __name__ == "__main__":
    main()
