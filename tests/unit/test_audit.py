"""The audit trail: one writer, and no card number in any record."""

from __future__ import annotations

import json
import re
from pathlib import Path

from salesplanner import audit
from salesplanner.analysis.coaching import add_note
from salesplanner.edits import set_field
from salesplanner.storage.plan_file import PlanFile

PACKAGE = Path(__file__).resolve().parents[2] / "salesplanner"
CARD = "4111 1111 1111 1111"


def test_every_audit_record_is_written_by_the_one_function() -> None:
    writers = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                     if re.search(r"INSERT\s+INTO\s+audit_event", p.read_text(), re.I))
    assert writers == ["audit.py"]


def test_record_masks_every_text_and_keeps_numbers(empty_plan: PlanFile) -> None:
    with empty_plan.connect(write=True) as conn:
        first = audit.record(conn, f"clerk {CARD}", "edit", "agent.name", "4111111111111111",
                             {"name": f"paid {CARD}", "weights": [0.4415618415007559, 7]},
                             "now 4111.1111.1111.1111", reason=f"told {CARD}")
        second = audit.record(conn, "user", "restore_import", "import_batch", 7)
    with empty_plan.connect() as conn:
        rows = conn.execute("SELECT id, who, entity_key, old_json, new_json, reason"
                            " FROM audit_event ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [first, second]
    _id, who, key, old, new, reason = rows[0]
    assert (who, key, reason) == ("clerk ************1111", "************1111",
                                  "told ************1111")
    assert json.loads(old) == {"name": "paid ************1111",
                               "weights": [0.4415618415007559, 7]}
    assert json.loads(new) == "now ************1111"
    assert rows[1][1:] == ("Test Manager", "7", None, None, None)  # "user": whoever acts


def test_notes_and_edits_typed_by_people_keep_no_card(demo_path: Path) -> None:
    with PlanFile.open(demo_path) as plan:
        add_note(plan, "AG1", f"customer read out {CARD} on the call",
                 follow_up="never 5500-0000-0000-0004 again")
        set_field(plan, "agent", 1, "name", "Ann ４１１１１１１１１１１１１１１１")
        with plan.connect() as conn:
            note = conn.execute("SELECT note, follow_up FROM coaching_note ORDER BY id DESC"
                                " LIMIT 1").fetchone()
            name = conn.execute("SELECT name FROM agent WHERE id = 1").fetchone()[0]
            trail = conn.execute("SELECT new_json FROM audit_event ORDER BY id DESC"
                                 " LIMIT 2").fetchall()
    assert note == ("customer read out ************1111 on the call",
                    "never ************0004 again")
    assert name == "Ann ************１１１１"
    recorded = [json.loads(text) for (text,) in trail]
    assert recorded == ["Ann ************１１１１",
                        {"agent": "AG1", "note": "customer read out ************1111 on the call"}]


def test_an_overrides_reason_keeps_no_card(demo_path: Path) -> None:
    from salesplanner.targets import scenarios
    from salesplanner.targets.proposal import TargetSettings, propose

    with PlanFile.open(demo_path) as plan:
        saved = scenarios.save_scenario(plan, propose(plan, TargetSettings(
            measure="sales", growth=0.1, guardrails=(-0.5, 1.0))))
        scenario_id = saved.detail["scenario_id"]
        agent = scenarios.load_scenario(plan, scenario_id).targets[0].code
        scenarios.override_target(plan, scenario_id, agent, 50, f"promised on {CARD}")
        with plan.connect() as conn:
            stored = conn.execute("SELECT group_concat(override_reason), (SELECT reason FROM"
                                  " audit_event ORDER BY id DESC LIMIT 1) FROM target").fetchone()
    assert stored == ("promised on ************1111", "promised on ************1111")
