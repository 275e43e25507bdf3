"""The likelihoods checked against earlier quarters (issue 19 item 2).

A small demo with a year of history has two quarters to back-test; on each,
the predicted share of agents reaching target must be within 10 points of
the share who did, and the per-agent chances must score better (Brier) than
giving every agent the hit rate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from salesplanner.demo import DemoOptions, generate_demo
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.backtest import QuarterCheck, backtest, reliability
from salesplanner.targets.proposal import TargetSettings

#: The conftest's small demo, with a year of history instead of six months.
YEAR_DEMO = DemoOptions(agents=24, months=12, seed=7)


@pytest.fixture(scope="module")
def year_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("year") / "demo.salesplan"
    generate_demo(path, YEAR_DEMO)
    return path


@pytest.mark.parametrize("measure", ["revenue", "sales"])
def test_predicted_share_is_within_ten_points_and_beats_the_hit_rate(year_demo: Path,
                                                                     measure: str) -> None:
    plan = PlanFile.open(year_demo, read_only=True)
    try:
        checks = backtest(plan, TargetSettings(measure=measure))
    finally:
        plan.close()
    assert len(checks) >= 2
    for check in checks:
        assert check.predicted_share is not None
        assert abs(check.predicted_share - check.actual_share) <= 0.10, check
    scored = reliability(checks)
    assert scored.brier < scored.naive_brier
    assert sum(k for _, _, k, _, _ in scored.bins) == sum(c.agents for c in checks)


def test_scores_by_hand() -> None:
    check = QuarterCheck("2026-Q1", 4, 100.0, 0.5, 0.5, 0.5,
                         chances=[0.9, 0.1, 0.6, 0.4], reached=[True, False, False, True])
    assert check.brier == pytest.approx((0.01 + 0.01 + 0.36 + 0.36) / 4)
    scored = reliability([check])
    assert scored.hit_rate == 0.5 and scored.naive_brier == pytest.approx(0.25)
    assert scored.worst_gap == 0.0
    assert [(lo, k) for lo, _, k, _, _ in scored.bins] == [(0.1, 1), (0.4, 1), (0.6, 1),
                                                          (0.9, 1)]
    assert np.isnan(reliability([]).brier)
