"""The demo plan: complete, reproducible, and full of patterns to find."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesplanner.demo import DemoOptions, generate_demo
from salesplanner.errors import PlanExists, UserError
from salesplanner.jobs import JobCancelled
from salesplanner.integrity import check_plan
from salesplanner.storage.plan_file import PlanFile
from tests.conftest import SMALL_DEMO


def _frame(path: Path, sql: str) -> pd.DataFrame:
    conn = sqlite3.connect(path)
    try:
        return pd.read_sql_query(sql, conn)
    finally:
        conn.close()


def test_demo_checks_clean_and_has_every_kind(demo_template: Path) -> None:
    with PlanFile.open(demo_template, read_only=True) as plan:
        assert all(r.ok for r in check_plan(plan))
    counts = {t: _frame(demo_template, f"SELECT count(*) n FROM {t}")["n"][0] for t in (
        "team", "agent", "product", "product_relation", "skill", "skill_rating", "call", "sale",
        "interval_stat", "competitor_activity", "campaign", "customer_feedback", "qa_score",
        "complaint", "coaching_note", "daily_agent_stats")}
    assert 4 <= counts["team"] <= 6
    assert counts["agent"] == SMALL_DEMO.agents
    assert 30 <= counts["product"] <= 60
    assert counts["skill_rating"] == SMALL_DEMO.agents * counts["skill"]
    assert all(n > 0 for n in counts.values()), counts
    outcomes = set(_frame(demo_template, "SELECT DISTINCT outcome FROM call")["outcome"])
    assert outcomes == {"sale", "no_sale", "callback_requested", "info_requested"}
    linked = _frame(demo_template, "SELECT count(*) n FROM sale WHERE call_id IS NOT NULL")["n"][0]
    assert linked > 0.8 * counts["sale"]
    categories = set(_frame(demo_template, "SELECT DISTINCT category FROM product")["category"])
    assert {"Broadband", "Mobile", "TV", "Insurance"} <= categories


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path, demo_template: Path) -> None:
    again = tmp_path / "again.salesplan"
    generate_demo(again, SMALL_DEMO)
    other = tmp_path / "other.salesplan"
    generate_demo(other, DemoOptions(agents=SMALL_DEMO.agents, months=SMALL_DEMO.months, seed=8))
    sql = "SELECT ts, agent_id, product_id, revenue_minor FROM sale ORDER BY id"
    pd.testing.assert_frame_equal(_frame(demo_template, sql), _frame(again, sql))
    assert not _frame(demo_template, sql).equals(_frame(other, sql))


def test_demo_history_runs_into_the_quarter(demo_template: Path) -> None:
    first, last = _frame(demo_template, "SELECT min(ts) a, max(ts) b FROM call").iloc[0]
    assert last[:10] <= SMALL_DEMO.history_end.isoformat()
    assert last[:10] >= (SMALL_DEMO.quarter.start.isoformat())  # actuals inside the quarter
    assert first[:10] >= SMALL_DEMO.history_start.isoformat()


def test_weekday_and_hour_peaks_and_troughs(demo_template: Path) -> None:
    by_day = _frame(demo_template, "SELECT weekday, count(*) n FROM call WHERE direction='inbound' "
                    "GROUP BY weekday").set_index("weekday")["n"]
    assert 7 not in by_day.index  # closed on Sundays
    assert by_day[1] > by_day[5] > by_day[6]  # Monday busiest, Saturday quietest
    hours = _frame(demo_template, "SELECT hour, count(*) n FROM call WHERE direction='inbound' "
                   "AND weekday BETWEEN 1 AND 5 GROUP BY hour").set_index("hour")["n"]
    assert hours.idxmax() in (10, 11, 12, 13, 14)
    assert hours.max() > 1.5 * hours[16] and hours.max() > 3 * hours[8]  # troughs
    out = _frame(demo_template, "SELECT hour, count(*) n FROM call WHERE direction='outbound' "
                 "GROUP BY hour").set_index("hour")["n"]
    assert out.idxmax() in (14, 15, 16, 17)  # outbound dialling fills the troughs


def test_conversion_rises_with_skills(demo_template: Path) -> None:
    conv = _frame(demo_template, """
        SELECT c.agent_id, avg(c.outcome = 'sale') conv, r.rating closing
        FROM call c JOIN skill_rating r ON r.agent_id = c.agent_id
        JOIN skill s ON s.id = r.skill_id AND s.code = 'closing'
        WHERE c.direction = 'inbound' GROUP BY c.agent_id HAVING count(*) > 200""")
    assert np.corrcoef(conv["conv"], conv["closing"])[0, 1] > 0.4


def test_callback_requests_rise_over_the_history(demo_template: Path) -> None:
    rate = _frame(demo_template, "SELECT substr(ts,1,7) m, avg(outcome='callback_requested') r "
                  "FROM call GROUP BY m ORDER BY m")["r"]
    assert rate.iloc[-2] > rate.iloc[1]


def test_demo_refuses_existing_file_and_bad_sizes(tmp_path: Path) -> None:
    path = tmp_path / "x.salesplan"
    path.write_text("keep me")
    with pytest.raises(PlanExists):
        generate_demo(path, SMALL_DEMO)
    assert path.read_text() == "keep me"
    with pytest.raises(UserError, match="--agents"):
        generate_demo(tmp_path / "y.salesplan", DemoOptions(agents=1))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.salesplan"]


class _CancelAfter:
    def __init__(self, calls: int) -> None:
        self.left = calls

    def progress(self, fraction: float, text: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        self.left -= 1
        return self.left < 0


@pytest.mark.parametrize("after", [0, 4, 7])
def test_cancelled_demo_leaves_nothing(tmp_path: Path, after: int) -> None:
    with pytest.raises(JobCancelled):
        generate_demo(tmp_path / "c.salesplan", SMALL_DEMO, token=_CancelAfter(after))
    assert list(tmp_path.iterdir()) == []
