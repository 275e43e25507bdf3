"""Analysis on imported real-world exports agrees with the data they were exported from.

The demo plan's sales and calls are written out the way real tools write
them (a CRM's Windows-1252, semicolon-separated sales export with title
lines, UK dates, pound signs and its own status and sale-type words; a
telephony platform's call detail report with a BOM, h:mm:ss handle times
and disposition codes; the team's agent roster as a workbook), imported
into an empty plan, and every measure, trend, heat map and forecast is
compared with the same figure computed on the demo plan itself.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from salesplanner.analysis.forecast import forecast
from salesplanner.importing.run import import_file
from salesplanner.metrics import base_totals, measure_values, registry
from salesplanner.analysis.peaks import peaks
from salesplanner.storage.plan_file import PlanFile
from salesplanner.analysis.trends import trend
from tests.helpers.workbooks import write_xlsx

STATUS = {"completed": "Complete", "cancelled": "Cancelled - cooling off", "pending": "Pending"}
SALE_TYPE = {"primary": "New", "upsell": "Upgrade", "crosssell": "Add-on"}
DISPOSITION = {"sale": "Sale made", "no_sale": "Not interested",
               "callback_requested": "Call back later", "info_requested": "Send info"}


def _uk_stamp(iso: str) -> str:
    day, time = iso.split(" ")
    y, m, d = day.split("-")
    return f"{d}/{m}/{y} {time[:5]}:{time[6:8]}"


def _export(demo: Path, folder: Path) -> list[Path]:
    conn = sqlite3.connect(demo)
    sales = folder / "crm-sales-export.csv"
    with sales.open("w", encoding="cp1252", newline="") as out:
        out.write("TeleSales CRM - Sales by line\r\nExported 23/11/2026 by j.smith\r\n\r\n")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(["Order No", "Sale Date", "Rep", "Product Code", "Product", "Range", "Qty",
                         "Net Value", "Order Status", "Sale Type", "Channel", "Campaign",
                         "Customer Type"])
        for row in conn.execute(
                "SELECT s.order_ref, s.ts, a.code, p.sku, p.name, p.category, s.quantity, s.revenue_minor,"
                " s.outcome, s.line_type, s.channel, s.campaign, s.segment FROM sale s"
                " JOIN agent a ON a.id = s.agent_id JOIN product p ON p.id = s.product_id"
                " ORDER BY s.id"):
            order, ts, agent, sku, name, category, qty, pence, outcome, kind, channel, \
                campaign, seg = row
            writer.writerow([order, _uk_stamp(ts), agent, sku, name, category, qty,
                             f"\u00a3{pence / 100:,.2f}", STATUS[outcome], SALE_TYPE[kind],
                             channel, campaign or "", seg or ""])
    calls = folder / "call-detail-report.csv"
    with calls.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("Call detail report,,,,,,\n")
        writer = csv.writer(out)
        writer.writerow(["Interaction ID", "Call Start", "Agent ID", "Call Type",
                         "Handle Time", "Disposition", "Queue"])
        for ref, ts, agent, direction, seconds, outcome, queue in conn.execute(
                "SELECT c.call_ref, c.ts, a.code, c.direction, c.duration_s, c.outcome, c.queue"
                " FROM call c JOIN agent a ON a.id = c.agent_id ORDER BY c.id"):
            writer.writerow([ref, ts, agent, direction.title(),
                             f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}",
                             DISPOSITION[outcome], queue or ""])
    roster = folder / "agent-roster.xlsx"
    rows = [["Advisor ID", "Name", "Team", "Start Date", "Contracted Hours"]]
    rows += [list(r) for r in conn.execute(
        "SELECT a.code, a.name, t.name, a.start_date, a.weekly_hours FROM agent a"
        " JOIN team t ON t.id = a.team_id ORDER BY a.id")]
    write_xlsx(roster, {"Roster": rows})
    conn.close()
    return [roster, calls, sales]


@pytest.fixture
def imported(demo_path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "imported.salesplan"
    with PlanFile.create(target, name="Imported", quarter="2027-Q1") as plan:
        for source in _export(demo_path, tmp_path):
            summary, _changes = import_file(plan, source)
            assert not summary.problems and summary.imported, (source.name, summary.problems[:3])
            assert not [w for w in summary.warnings if "were read as" in w], summary.warnings
    return target


def test_measures_trends_peaks_and_forecasts_agree(demo_path: Path, imported: Path) -> None:
    with PlanFile.open(demo_path, read_only=True) as demo, \
            PlanFile.open(imported, read_only=True) as plan:
        codes = [m for m in registry(demo) if m != "revenue_per_hour"]  # leavers' dates differ
        expected = measure_values(registry(demo), codes, base_totals(demo))
        got = measure_values(registry(plan), codes, base_totals(plan))
        for code in codes:
            assert got[code][0] == pytest.approx(expected[code][0]), code
        assert got["upsell_rate"][0] > 0.1 and got["callback_rate"][0] > 0.05
        for split in ("team", "category", "channel"):
            a, b = trend(demo, "revenue", "month", split), trend(plan, "revenue", "month", split)
            assert dict(zip(a.labels, a.totals)) == pytest.approx(dict(zip(b.labels, b.totals)))
        a, b = trend(demo, "callback_rate", "week"), trend(plan, "callback_rate", "week")
        np.testing.assert_allclose(a.values, b.values)
        a, b = peaks(demo, "inbound"), peaks(plan, "inbound")
        np.testing.assert_allclose(a.volume, b.volume)
        assert a.peak == b.peak and a.trough == b.trough
        a, b = forecast(demo, "sales", "week"), forecast(plan, "sales", "week")
        assert a.method == b.method
        np.testing.assert_allclose(a.values, b.values)
