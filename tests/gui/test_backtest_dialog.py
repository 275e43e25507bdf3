"""The Back-test window: run from the Targets panel, a row per quarter, words and charts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from salesplanner.demo import DemoOptions, generate_demo
from salesplanner.storage.plan_file import PlanFile
from salesplanner.targets.backtest import QuarterCheck, backtest, reliability
from salesplanner.ui.backtest_dialog import (
    NOTHING_TO_TEST, BacktestDialog, brier_line, summary_line, verdict,
)
from salesplanner.ui.columns import RAW_ROLE
from salesplanner.ui.row_models import cell
from tests.gui.conftest import open_in, screenshot

#: A year of history for a dozen agents: two quarters to back-test, in about a second.
HISTORY_DEMO = DemoOptions(agents=12, months=12, seed=7)


@pytest.fixture(scope="module")
def history_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo with enough history to back-test. Do not modify: copy it."""
    path = tmp_path_factory.mktemp("backtest") / "history.salesplan"
    generate_demo(path, HISTORY_DEMO)
    return path


@pytest.fixture
def history_path(history_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo with a year of history."""
    target = tmp_path / "history.salesplan"
    shutil.copyfile(history_template, target)
    return target


def _run_backtest(window, qtbot, path: Path):
    open_in(window, qtbot, path)
    panel = next(p for p in window.panels if p.title == "Targets")
    window.show_panel(window.panels.index(panel))
    qtbot.waitUntil(panel.backtest_button.isEnabled, timeout=15_000)
    panel.backtest_button.click()
    qtbot.waitUntil(lambda: panel.backtest_dialog is not None
                    and panel.backtest_dialog.isVisible(), timeout=15_000)
    return panel, panel.backtest_dialog


# Running it again raises the window, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_backtest_window_shows_a_row_per_quarter(window, qtbot, qtmodeltester,
                                                 history_path: Path) -> None:
    panel, dialog = _run_backtest(window, qtbot, history_path)
    with PlanFile.open(history_path, read_only=True) as plan:
        expected = backtest(plan, panel.settings())
    assert len(expected) >= 2
    assert not dialog.isModal()
    model = dialog.model
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    assert model.rowCount() == len(expected)
    assert [cell(model, r, "quarter") for r in range(model.rowCount())] == \
        [c.quarter for c in expected]
    for row, check in enumerate(expected):
        assert cell(model, row, "predicted", RAW_ROLE) == pytest.approx(check.predicted_share)
        assert cell(model, row, "actual", RAW_ROLE) == pytest.approx(check.actual_share)
        assert cell(model, row, "agents") == str(check.agents)
        assert cell(model, row, "predicted") == f"{check.predicted_share:.0%}"
    scored = reliability(expected)
    assert dialog.verdict.text() == verdict(scored)
    assert f"scored {scored.brier:.3f} (Brier score" in dialog.brier.text()
    assert panel.backtest_result is not None and len(panel.backtest_result) == len(expected)
    assert panel.summary.text() == summary_line(scored)
    assert f"over {len(expected)} quarters" in panel.summary.text()
    assert dialog.charts.isVisibleTo(dialog) and dialog.table.isVisibleTo(dialog)
    assert dialog.width() <= 1280 and dialog.height() <= 800
    screenshot(dialog, "backtest-dialog")

    # Running it again reuses the window; closing the plan closes it.
    panel.backtest_button.click()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=15_000)
    assert panel.backtest_dialog is dialog and dialog.isVisible()
    window.close_plan()
    assert not dialog.isVisible()


def test_backtest_window_on_too_little_history_says_so(window, qtbot, demo_path: Path) -> None:
    panel, dialog = _run_backtest(window, qtbot, demo_path)
    assert panel.backtest_result == []
    assert dialog.verdict.text() == NOTHING_TO_TEST
    assert dialog.model.rowCount() == 0
    assert not dialog.charts.isVisibleTo(dialog) and not dialog.table.isVisibleTo(dialog)
    assert panel.summary.text() == "Back-test: no earlier quarter is covered in full " \
                                   "with 8 weeks of history before it."


def _check(quarter: str, predicted: float, actual: float) -> QuarterCheck:
    made = round(actual * 10)
    return QuarterCheck(quarter, 10, 100.0, predicted, actual, 0.5, [predicted] * 10,
                        [True] * made + [False] * (10 - made))


def test_the_verdict_names_the_quarters_that_disagree() -> None:
    close = reliability([_check("2026-Q2", 0.45, 0.5), _check("2026-Q3", 0.42, 0.4)])
    assert verdict(close) == ("Predicted and actual shares agree within 10 points in every "
                              "quarter (worst gap 5 points).")
    apart = reliability([_check("2026-Q2", 0.45, 0.5), _check("2026-Q3", 0.2, 0.4)])
    assert verdict(apart) == ("Predicted and actual shares are more than 10 points apart in 1 "
                              "of 2 quarters: 2026-Q3 (predicted 20%, 40% made it); worst gap "
                              "20 points.")
    one = reliability([_check("2026-Q2", 0.45, 0.5)])
    assert "in the one quarter tested" in verdict(one)


def test_the_brier_line_says_whether_the_chances_beat_the_naive_rule() -> None:
    sharp = reliability([QuarterCheck("2026-Q3", 2, 100.0, 0.5, 0.5, 1.0, [0.9, 0.2],
                                      [True, False])])
    assert brier_line(sharp) == (
        "Each agent's chance scored 0.025 (Brier score: the average squared gap between the "
        "chance given and what happened; lower is better) against 0.250 for giving everyone "
        "the same 50% chance (the share who made it): better than that rule in every "
        "quarter, so the chances tell the agents apart.")
    # Better overall, but only thanks to one quarter: it says which.
    mixed = reliability([
        QuarterCheck("2026-Q2", 2, 100.0, 0.5, 0.5, 1.0, [0.95, 0.05], [True, False]),
        QuarterCheck("2026-Q3", 2, 100.0, 0.5, 0.5, 0.5, [0.5, 0.5], [True, False])])
    assert brier_line(mixed).endswith(
        "better overall, so the chances tell the agents apart, but only in 2026-Q2 clearly; "
        "in the others everyone's chance was close to even.")
    blunt = reliability([QuarterCheck("2026-Q3", 2, 100.0, 0.5, 0.5, 0.0, [0.2, 0.9],
                                      [True, False])])
    assert "no better than that rule" in brier_line(blunt)
    assert summary_line(sharp) == ("Back-test: worst gap 0 points over 1 quarter; Brier 0.025 "
                                   "vs 0.250 naive \u2014 details in the Back-test window.")


def test_the_dialog_draws_the_reliability_groups(qtbot) -> None:
    dialog = BacktestDialog()
    qtbot.addWidget(dialog)
    scored = dialog.show_checks([_check("2026-Q2", 0.45, 0.5), _check("2026-Q3", 0.2, 0.4)],
                                "Revenue")
    assert dialog.windowTitle() == "Back-test: Revenue"
    assert len(dialog.reliability.points.data) == len(scored.bins)
    assert len(dialog.shares.predicted.opts["x"]) == 2
