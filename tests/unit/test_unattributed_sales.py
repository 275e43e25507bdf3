"""Sales with no agent: counted at import, shown apart so the centre and its agents reconcile."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesplanner.analysis.glance import Glance, unattributed_words
from salesplanner.analysis.performance import performance
from salesplanner.importing.run import ImportOptions, import_file, prepare, convert_prepared
from salesplanner.storage.plan_file import PlanFile

#: Twenty sales: rows 3, 8, 13 and 18 (one in five, from the fourth) have a blank agent.
ROWS = [(f"2027-01-{5 + i:02d} 10:00", "" if i % 5 == 3 else f"AG{1 + i % 3}", 100 + 10 * i)
        for i in range(20)]
BLANK = sum(r for _d, a, r in ROWS if not a)


@pytest.fixture
def plan(tmp_path: Path):
    plan = PlanFile.create(tmp_path / "p.salesplan", name="P", quarter="2027-Q1")
    source = tmp_path / "sales.csv"
    source.write_text("Date,Agent,Revenue\n" + "".join(f"{d},{a},{r}\n" for d, a, r in ROWS))
    summary, _result = import_file(plan, source)
    plan.summary = summary  # type: ignore[attr-defined]  # for the test below
    yield plan
    plan.close()


def test_the_import_counts_and_warns_of_sales_with_no_agent(plan) -> None:
    summary = plan.summary
    assert summary.imported == 20 and summary.rejected == 0
    assert summary.no_agent == 4
    assert summary.as_json()["no_agent"] == 4
    assert any(w.startswith("4 sales have an empty 'Agent': they are imported") for w in
               summary.warnings), summary.warnings


def test_no_warning_when_every_sale_has_an_agent(tmp_path: Path) -> None:
    source = tmp_path / "all.csv"
    source.write_text("Date,Agent,Revenue\n2027-01-05 10:00,AG1,10\n2027-01-06 10:00,AG2,20\n")
    data = convert_prepared(prepare(source), ImportOptions())
    assert data.no_agent == 0
    assert not any("agent" in w for w in data.warnings)


def test_performance_shows_the_revenue_no_agent_holds(plan) -> None:
    result = performance(plan, "revenue", "2027-01-01:2027-03-31")
    agents = sum(r.actual for r in result.agents)
    assert result.centre.actual == pytest.approx(sum(r for _d, _a, r in ROWS))
    assert result.unattributed == pytest.approx(BLANK)
    # The centre's total and the sum of its agents reconcile.
    assert agents + result.unattributed == pytest.approx(result.centre.actual)
    assert result.as_json()["unattributed"] == pytest.approx(BLANK)
    # A team's view has no such part.
    team = result.teams[0].name
    assert result.of_team(team).unattributed is None


def test_a_rate_has_no_unattributed_part(plan) -> None:
    result = performance(plan, "average_order_value", "2027-01-01:2027-03-31")
    assert not result.measure.additive
    assert result.unattributed is None


def test_the_overview_sentence_names_the_unattributed_part(plan) -> None:
    result = performance(plan, "revenue", "2027-01-01:2027-03-31")
    glance = Glance(result.measure, "draft", result.start, result.end, result.centre.actual,
                    None, None, None, unattributed=result.unattributed)
    text = glance.sentence(lambda v: f"£{v:,.0f}")
    assert text.startswith(f"Revenue: £3,900 to {result.end:%d %b} (£{BLANK:,} of it with "
                           "no agent)")
    assert unattributed_words(5.0, str) == "5.0 of it with no agent"
