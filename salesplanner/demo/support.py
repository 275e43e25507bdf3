"""The demo's campaigns, customer feedback, QA scores, complaints and coaching."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesplanner.demo import catalogue
from salesplanner.demo.people import skill_matrix

_FEEDBACK = {
    1: ("Agent didn't listen to what I needed.", "Felt pushed into buying.", None),
    2: ("Took too long to sort out.", "Had to explain everything twice.", None),
    3: (None, "OK but the offer wasn't clear.", None),
    4: ("Helpful and clear.", None, None),
    5: ("Brilliant, really understood what we needed.", "Very patient, great service.", None),
}
_COMPLAINT_CATEGORIES = (
    ("Mis-sold package", "Customer says the agent did not explain the contract length."),
    ("Call-back not made", "Promised call-back did not happen."),
    ("Price increase", "Customer unhappy about a price rise after sign-up."),
    ("Installation delay", "Engineer appointment was missed."),
    ("Agent attitude", "Customer felt the agent was rude."),
    ("Billing error", "Charged for an add-on the customer did not order."),
)


def make_campaigns(start: date, end: date) -> pd.DataFrame:
    """Campaign records for every campaign year the history touches."""
    rows = []
    for name, kind, first, last, purpose in catalogue.CAMPAIGNS:
        if kind in ("winback", "retention"):
            rows.append({"name": name, "kind": kind, "purpose": purpose, "start_day": start,
                         "end_day": end, "contact_criteria":
                         "Left in the last 6 months, no complaint open, consent to call"
                         if kind == "winback" else
                         "Out of contract within 60 days, not contacted in 30 days"})
            continue
        rows.append({"name": name, "kind": kind, "purpose": purpose,
                     "start_day": date(end.year, first, 1),
                     "end_day": (pd.Timestamp(date(end.year, last, 1)) + pd.offsets.MonthEnd(0)).date(),
                     "contact_criteria": None})
    return pd.DataFrame(rows)


def make_feedback(rng: np.random.Generator, calls: pd.DataFrame, agents: pd.DataFrame,
                  ratings: pd.DataFrame) -> pd.DataFrame:
    """A post-call survey answered on about 4% of inbound calls."""
    inbound = calls[calls["direction"] == "inbound"]
    pick = inbound[rng.random(len(inbound)) < 0.04]
    skills = skill_matrix(ratings).reindex(agents["id"]).reset_index(drop=True)
    listening = skills["active_listening"].to_numpy()[pick["agent_pos"].to_numpy()]
    sold = (pick["outcome"] == "sale").to_numpy()
    raw = 3.7 + 0.35 * (listening - 3) + 0.3 * sold + rng.normal(0, 0.9, len(pick))
    csat = np.clip(np.rint(raw), 1, 5).astype(int)
    comments = [_FEEDBACK[c][rng.integers(3)] for c in csat]
    return pd.DataFrame({
        "ts": pick["ts"].to_numpy() + np.timedelta64(2, "h"), "agent_id": pick["agent_id"].to_numpy(),
        "call_id": pick["id"].to_numpy(), "csat": csat, "comment": comments, "import_id": 1,
    })


def make_qa(rng: np.random.Generator, agents: pd.DataFrame, ratings: pd.DataFrame,
            start: date, end: date) -> pd.DataFrame:
    """Call monitoring: about four evaluations per agent per month."""
    skills = skill_matrix(ratings).reindex(agents["id"]).reset_index(drop=True)
    rows = []
    for pos, agent in agents.iterrows():
        first = max(start, agent["start_date"])
        last = agent["leave_date"] or end
        days = (last - first).days
        for _ in range(max(1, int(days / 30 * 4))):
            day = first + timedelta(days=int(rng.integers(0, max(1, days))))
            score = float(np.clip(72 + 5 * (skills.loc[pos, "compliance"] - 3)
                                  + 4 * (skills.loc[pos, "questioning"] - 3) + rng.normal(0, 7), 0, 100))
            passed = score >= 60 and rng.random() > 0.03
            rows.append({"day": day, "agent_id": agent["id"], "score": round(score, 1),
                         "compliance_pass": int(passed), "assessor": "Quality team",
                         "notes": None if passed else "Did not complete the required "
                         "verification and cooling-off statement.", "import_id": 1})
    return pd.DataFrame(rows)


def make_complaints(rng: np.random.Generator, calls: pd.DataFrame,
                    end: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About one complaint per 1,500 calls, at every stage of handling."""
    pick = calls[rng.random(len(calls)) < 1 / 1500]
    stages = ("received", "acknowledged", "owned", "options_identified",
              "resolution_agreed", "actioned", "followed_up", "closed")
    complaints, events = [], []
    for i, (_, call) in enumerate(pick.iterrows(), start=1):
        category, description = _COMPLAINT_CATEGORIES[rng.integers(len(_COMPLAINT_CATEGORIES))]
        received = call["ts"].to_pydatetime() + timedelta(days=int(rng.integers(1, 10)))
        age = (pd.Timestamp(end) - pd.Timestamp(received)).days
        reached = len(stages) - 1 if age > 30 else int(rng.integers(0, len(stages)))
        due = received + timedelta(hours=48)
        made = None if rng.random() < 0.15 else due - timedelta(hours=int(rng.integers(-30, 40)))
        if made is not None and made < received:
            made = received + timedelta(hours=2)
        closed = received + timedelta(days=int(rng.integers(5, 28))) if stages[reached] == "closed" else None
        complaints.append({
            "id": i, "complaint_ref": f"CMP{10_000 + i}", "received_at": received,
            "customer_ref": call["customer_ref"], "agent_id": call["agent_id"], "category": category,
            "description": description, "stage": stages[reached], "owner": "Customer relations",
            "callback_due_at": due, "callback_made_at": made,
            "resolution": "Goodwill credit and apology" if reached >= 4 else None,
            "closed_at": closed, "import_id": 1})
        for step in range(reached + 1):
            events.append({"complaint_id": i, "at": received + timedelta(days=step),
                           "stage": stages[step], "by": "Customer relations", "note": None})
    return pd.DataFrame(complaints), pd.DataFrame(events)


def make_coaching(rng: np.random.Generator, agents: pd.DataFrame, ratings: pd.DataFrame,
                  end: date) -> pd.DataFrame:
    """Coaching notes for the agents whose skills lag the most."""
    skills = skill_matrix(ratings).reindex(agents["id"]).reset_index(drop=True)
    weakest = skills.mean(axis=1).nsmallest(max(2, len(agents) // 8)).index
    rows = []
    for pos in weakest:
        skill = skills.loc[pos].idxmin().replace("_", " ")
        rows.append({
            "agent_id": int(agents.loc[pos, "id"]), "day": end - timedelta(days=int(rng.integers(3, 40))),
            "source": str(rng.choice(["own", "peer", "qa"])), "observer": "Team leader",
            "note": f"Listened to three calls: {skill} is holding sales back.",
            "follow_up": f"Side-by-side session on {skill}; re-listen in two weeks.",
            "follow_up_day": end + timedelta(days=14), "done": 0})
    return pd.DataFrame(rows)
