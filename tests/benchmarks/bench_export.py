"""Excel export benchmark (issue 8). Prints figures; never passes or fails on a time.

1. A 100,000-row Sales data sheet: ``pandas.DataFrame.to_excel(engine="openpyxl")``
   against the program's streamed data sheet, the same rows in the same run
   (the bound: at most half pandas' time).
2. The plan workbook of the default demo plan (``salesplanner demo``: 60
   agents, 15 months) with published sales and revenue targets (the bound: 2 s),
   then a report workbook of it for each kind of grouping.

    .venv/bin/python tests/benchmarks/bench_export.py [PLAN-FOR-THE-ROWS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_shell import _plan

ROWS = 100_000


def data_sheet(plan_path: Path, folder: Path) -> None:
    from salesplanner.export.book import Book
    from salesplanner.export.data_sheet import SALES_COLUMNS, SALES_SQL, add_data, read_rows
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(plan_path, read_only=True) as plan:
        frame = read_rows(plan, SALES_SQL + f" LIMIT {ROWS}", SALES_COLUMNS)
    frame["Date and time"] = frame["Date and time"].astype("datetime64[ns]")
    print(f"{len(frame):,} rows x {len(frame.columns)} columns of sales")
    ours, theirs = [], []
    for _ in range(2):
        started = time.perf_counter()
        frame.to_excel(folder / "pandas.xlsx", engine="openpyxl", index=False)
        theirs.append(time.perf_counter() - started)
        started = time.perf_counter()
        book = Book(title="bench", plan_name="bench", currency_code="GBP", author="bench")
        add_data(book, "Sales", SALES_COLUMNS, frame)
        book.save(folder / "ours.xlsx")
        ours.append(time.perf_counter() - started)
        print(f"  pandas.to_excel(openpyxl) {theirs[-1]:6.2f} s   streamed data sheet "
              f"{ours[-1]:6.2f} s   ratio {ours[-1] / theirs[-1]:.2f}")
    print(f"data sheet: best {min(ours):.2f} s against pandas' best {min(theirs):.2f} s: "
          f"ratio {min(ours) / min(theirs):.2f} (bound 0.50)")


def plan_workbook(folder: Path) -> None:
    from salesplanner.demo import DemoOptions, generate_demo
    from salesplanner.export.plan_workbook import export_plan
    from salesplanner.storage.plan_file import PlanFile
    from salesplanner.targets import scenarios
    from salesplanner.targets.proposal import TargetSettings, propose

    path = folder / "default-demo.salesplan"
    generate_demo(path, DemoOptions())
    with PlanFile.open(path) as plan:
        for measure in ("sales", "revenue"):
            saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
                measure=measure, growth=0.05)))
            scenarios.set_status(plan, saved.detail["scenario_id"], "published")
    times = []
    for i in range(4):
        # Each run opens the plan afresh, as the command does.
        with PlanFile.open(path, read_only=True) as plan:
            started = time.perf_counter()
            result = export_plan(plan, folder / f"plan-{i}.xlsx")
            times.append(time.perf_counter() - started)
    print(f"plan workbook of the default demo: {len(result.sheets)} sheets, "
          f"{len(result.expected)} formulas; runs " + ", ".join(f"{t:.2f}" for t in times)
          + f" s; median {statistics.median(times):.2f} s (bound 2 s)")
    reports(path, folder)


def reports(path: Path, folder: Path) -> None:
    """One report workbook per grouping, three measures each (no bound: for the note)."""
    from salesplanner.export.report_workbook import export_report
    from salesplanner.reports import Report
    from salesplanner.storage.plan_file import PlanFile

    with PlanFile.open(path, read_only=True) as plan:
        for grouping in ("team", "agent", "product", "week"):
            report = Report(f"By {grouping}", ("revenue", "sales", "conversion_rate"),
                            grouping)
            times = []
            for i in range(3):
                started = time.perf_counter()
                export_report(plan, report, folder / f"report-{grouping}-{i}.xlsx")
                times.append(time.perf_counter() - started)
            print(f"report by {grouping} (3 measures): runs "
                  + ", ".join(f"{t:.2f}" for t in times) + " s")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    plan_workbook(folder)
    data_sheet(_plan(sys.argv[1:]), folder)


if __name__ == "__main__":
    main()
