"""Write ``schema-vN.salesplan``: a tiny plan in the current format N.

Run this once when a format version is released (``python
tests/data/plans/make_fixture.py``) and commit the file. Never regenerate an
older version's fixture: it must stay exactly as that release wrote it, so
that the migration tests start from real old files.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

from salesplanner.daily_stats import rebuild_daily_stats
from salesplanner.storage.plan_file import SCHEMA_VERSION, PlanFile
from salesplanner.storage.schema.activity import Call, ImportBatch, Sale
from salesplanner.storage.schema.catalogue import Product
from salesplanner.storage.schema.people import Agent, SkillRating, Team


def main() -> int:
    path = Path(__file__).with_name(f"schema-v{SCHEMA_VERSION}.salesplan")
    if path.exists():
        print(f"{path} exists; fixtures of released versions are never rewritten", file=sys.stderr)
        return 1
    with PlanFile.create(path, name="Fixture plan", quarter="2027-Q1") as plan:
        with plan.write() as s:
            s.add(ImportBatch(id=1, file_name="fixture.csv", kind="sales",
                              imported_at=datetime(2027, 1, 5, 9, 0), rows_read=2, rows_imported=2))
            s.add(Team(id=1, code="T1", name="Team One"))
            s.flush()  # no ORM relationships: parents are flushed first
            s.add_all([Agent(id=1, code="AG1", name="Ann Example", team_id=1,
                             start_date=date(2024, 3, 1), weekly_hours=37.5),
                       Agent(id=2, code="AG10", name="Bob Example", team_id=1,
                             start_date=date(2026, 9, 1), weekly_hours=22.5)])
            s.add(Product(id=1, sku="BB-1", name="Fibre 1", category="Broadband",
                          unit_price_minor=33600))
            s.add(SkillRating(agent_id=1, skill_id=5, rating=4))
            s.flush()
            s.add(Call(id=1, ts=datetime(2027, 1, 4, 10, 15), iso_year=2027, iso_week=1,
                       weekday=1, hour=10, agent_id=1, direction="inbound", duration_s=600,
                       outcome="sale", import_id=1))
            s.flush()
            s.add(Sale(id=1, ts=datetime(2027, 1, 4, 10, 25), iso_year=2027, iso_week=1,
                       weekday=1, hour=10, agent_id=1, product_id=1, quantity=1,
                       revenue_minor=30000, call_id=1, import_id=1))
            s.flush()
            rebuild_daily_stats(s.connection().connection.driver_connection)
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
