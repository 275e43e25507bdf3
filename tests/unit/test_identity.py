"""Who the audit trail names: given name, then SALESPLANNER_USER, then the account."""

from __future__ import annotations

import pytest

from salesplanner import audit, identity
from salesplanner.metrics import add_metric
from salesplanner.storage.plan_file import PlanFile


@pytest.fixture(autouse=True)
def forget_given_name():
    identity.set_actor(None)
    yield
    identity.set_actor(None)


def test_order_of_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(identity.ENV_VAR, "  Env\tPerson ")
    assert identity.actor() == "Env Person"
    identity.set_actor("Ann\x00 Smith")
    assert identity.actor() == "Ann Smith"
    identity.set_actor("   ")  # nothing given: falls through
    assert identity.actor() == "Env Person"
    monkeypatch.delenv(identity.ENV_VAR)
    monkeypatch.setattr(identity.getpass, "getuser", lambda: "jdoe")
    assert identity.actor() == "jdoe"

    def no_account() -> str:
        raise KeyError("no passwd entry")

    monkeypatch.setattr(identity.getpass, "getuser", no_account)
    assert identity.actor() == "Sales Planner"
    assert len(identity.clean_name("x" * 500)) == identity.MAX_NAME


def test_every_change_records_the_person_acting(empty_plan: PlanFile) -> None:
    identity.set_actor("Priya Shah")
    add_metric(empty_plan, "calls_per_order", "calls / orders")
    with empty_plan.connect(write=True) as conn:
        audit.record(conn, "Named Reviewer", "note", "plan", 1)
    with empty_plan.connect() as conn:
        who = [w for (w,) in conn.execute("SELECT who FROM audit_event ORDER BY id")]
    assert who == ["Priya Shah", "Named Reviewer"]
