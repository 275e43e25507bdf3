"""The program's outputs on the default demo plan, for the restructuring of issue 18.

Issue 18 moves code without changing behaviour: every figure, text and
workbook cell must stay the same. This module produces those outputs (the
commands ``info``, ``trend``, ``peaks``, ``forecast``, ``targets --show
--json``, ``performance --json``, and the value or formula of every cell of
the exported plan workbook), with what legitimately changes from run to run
(the file's path, the time it was made) replaced by placeholders.

``python -m tests.golden.golden_outputs`` writes them to
``tests/data/golden/`` (run it only to accept an intended change, and say
why in the commit); ``tests/unit/test_golden.py`` compares a fresh run.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"

#: (name of the output file, command-line arguments after the plan).
COMMANDS = (
    ("info.txt", ["info"]),
    ("info.json", ["info", "--json"]),
    ("trend_revenue_week.txt", ["trend", "--metric", "revenue", "--by", "week"]),
    ("trend_sales_team_month.json",
     ["trend", "--metric", "sales", "--by", "month", "--split", "team", "--json"]),
    ("peaks.json", ["peaks", "--json"]),
    ("forecast_revenue.json", ["forecast", "--metric", "revenue", "--json"]),
    ("forecast_calls_month.txt", ["forecast", "--metric", "calls_handled", "--by", "month"]),
    ("targets_propose.txt", ["targets", "--measure", "revenue", "--growth", "5%",
                             "--name", "Golden"]),
    ("targets_show.json", ["targets", "--show", "--json"]),
    ("performance.json", ["performance", "--json"]),
    ("performance_agents.txt", ["performance", "--level", "agent"]),
    ("metrics.txt", ["metrics"]),
)

_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")
_EXPORTED = re.compile(r"exported \d{2} \w{3} \d{4} \d{2}:\d{2} by [^\"]*")


def _normal(text: str, plan: Path) -> str:
    text = text.replace(str(plan), "<PLAN>").replace(plan.name, "<PLAN>")
    text = _EXPORTED.sub("exported <TIME> by <WHO>", text)
    return _STAMP.sub("<TIME>", text)


def _run(args: list[str]) -> str:
    from salesplanner.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    if code != 0:
        raise AssertionError(f"salesplanner {' '.join(args)} exited {code}: {err.getvalue()}")
    return out.getvalue()


def _cells(workbook: Path) -> dict[str, list[list[object]]]:
    """Every non-empty cell of every sheet: [coordinate, value or formula]."""
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    sheets = {}
    for sheet in book.worksheets:
        cells = []
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                elif isinstance(value, float):
                    value = round(value, 9)
                elif not isinstance(value, (int, str, bool)):
                    value = str(value)
                cells.append([cell.coordinate, value])
        sheets[sheet.title] = cells
    return sheets


def outputs(folder: Path) -> dict[str, str]:
    """Build the default demo plan in ``folder`` and return every output, normalised."""
    from salesplanner.demo import DemoOptions, generate_demo

    plan = folder / "golden.salesplan"
    generate_demo(plan, DemoOptions())
    result = {}
    for name, args in COMMANDS:
        result[name] = _normal(_run([args[0], str(plan), *args[1:]]), plan)
    book = folder / "golden.xlsx"
    _run(["export", str(plan), str(book)])
    text = json.dumps(_cells(book), indent=0, ensure_ascii=False)
    result["workbook_cells.json"] = _normal(text, plan)
    return result


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, text in outputs(Path(scratch)).items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
            print(f"wrote {GOLDEN / name} ({len(text):,} characters)", file=sys.stderr)
