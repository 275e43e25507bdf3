"""Benchmark: the million-row demo plan, and ``info`` / ``check`` on it.

Run on demand (not collected by the test suite); prints figures, passes or
fails on nothing:

    python tests/benchmarks/bench_demo.py [--agents 400] [--months 12] [--keep PATH]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _timed(args: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "salesplanner", *args],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr}")
    return elapsed, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--keep", type=Path, help="write the plan here and keep it")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    plan = args.keep or folder / "big.salesplan"
    if plan.exists():
        plan.unlink()

    demo_s, result = _timed(["demo", str(plan), "--agents", str(args.agents),
                             "--months", str(args.months), "--quiet"])
    conn = sqlite3.connect(plan)
    calls = conn.execute("SELECT count(*) FROM call").fetchone()[0]
    sales = conn.execute("SELECT count(*) FROM sale").fetchone()[0]
    conn.close()
    size_mb = plan.stat().st_size / 1e6
    info_s, _ = _timed(["info", str(plan)])
    info_json_s, _ = _timed(["info", str(plan), "--json"])
    check_s, _ = _timed(["check", str(plan)])
    help_s, _ = _timed(["--help"])

    print(f"demo --agents {args.agents} --months {args.months}")
    print(f"  rows:        {calls:,} calls + {sales:,} sale lines = {calls + sales:,}")
    print(f"  time:        {demo_s:6.2f} s  ({(calls + sales) / demo_s:,.0f} rows/s)")
    print(f"  file size:   {size_mb:6.1f} MB")
    print(f"info:          {info_s:6.2f} s  (--json {info_json_s:.2f} s; "
          f"process start alone, --help: {help_s:.2f} s)")
    print(f"check:         {check_s:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
