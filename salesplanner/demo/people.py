"""The demo's teams, agents, skill ratings and products as DataFrames.

Each agent has a hidden ability and a tenure; skill ratings are noisy
readings of both, and the same ability and skills drive the agent's call
outcomes in :mod:`.activity`, so analysis of the demo finds that skills and
tenure explain performance, as they would in a real centre.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesplanner.demo import catalogue
from salesplanner.storage.plan_file import DEFAULT_SKILLS

#: How strongly each skill (1-5, centred on 3) moves the odds of a sale.
SKILL_EFFECT_ON_CONVERSION = {
    "closing": 0.11, "objection_handling": 0.08, "product_knowledge": 0.06,
    "questioning": 0.05, "active_listening": 0.04, "upselling": 0.02, "compliance": 0.0,
}
#: Weekly hours and how common each contract is.
HOURS_CHOICES = ((37.5, 0.62), (35.0, 0.08), (30.0, 0.14), (22.5, 0.10), (16.0, 0.06))


def make_teams(n_agents: int) -> pd.DataFrame:
    """4 to 6 teams depending on the centre's size."""
    n = 4 if n_agents < 20 else 5 if n_agents < 100 else 6
    rows = [
        {"id": i + 1, "code": code, "name": name, "leader": catalogue.TEAM_LEADERS[i],
         "queue": queue, "outbound_share": out, "mix": mix}
        for i, (code, name, queue, out, mix) in enumerate(catalogue.TEAMS[:n])
    ]
    return pd.DataFrame(rows)


def _unique_names(rng: np.random.Generator, n: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = f"{rng.choice(catalogue.FIRST_NAMES)} {rng.choice(catalogue.LAST_NAMES)}"
        if name not in seen:
            seen.add(name)
            names.append(str(name))
    return names


def make_agents(rng: np.random.Generator, n: int, teams: pd.DataFrame,
                history_start: date, history_end: date) -> pd.DataFrame:
    """Agents with codes AG1..AGn (unpadded, so natural sorting matters).

    About 15% start during the history (new starters who ramp up) and about
    8% leave during it.
    """
    span = (history_end - history_start).days
    team_ids = teams["id"].to_numpy()
    # Winback and business teams are smaller than the inbound sales teams.
    weights = np.where(teams["queue"].isin(["Outbound", "Business"]), 0.6, 1.0)
    team = rng.choice(team_ids, size=n, p=weights / weights.sum())
    new_starter = rng.random(n) < 0.15
    years_before = rng.gamma(1.6, 1.7, n) + 0.1
    start = np.array([
        history_start + timedelta(days=int(rng.integers(14, max(15, span - 30))))
        if new else history_start - timedelta(days=int(y * 365.25))
        for new, y in zip(new_starter, years_before)
    ])
    leaver = (rng.random(n) < 0.08) & ~new_starter
    leave = np.array([
        history_start + timedelta(days=int(rng.integers(span // 4, span - 20))) if lv else None
        for lv in leaver
    ], dtype=object)
    hours_values, hours_p = zip(*HOURS_CHOICES)
    hours = rng.choice(hours_values, size=n, p=hours_p)
    return pd.DataFrame({
        "id": np.arange(1, n + 1),
        "code": [f"AG{i}" for i in range(1, n + 1)],
        "name": _unique_names(rng, n),
        "team_id": team,
        "start_date": start,
        "leave_date": leave,
        "weekly_hours": hours,
        "active": (~leaver).astype(int),
        # Hidden traits used by the activity generator, not stored:
        "ability": rng.normal(0.0, 1.0, n),
        "persona": rng.normal(0.0, 0.08, n),
    })


def tenure_years(agents: pd.DataFrame, on: date) -> np.ndarray:
    """Years of service on a day (0 for agents not yet started)."""
    days = np.array([(on - d).days for d in agents["start_date"]], dtype=float)
    return np.clip(days / 365.25, 0.0, None)


def make_ratings(rng: np.random.Generator, agents: pd.DataFrame, on: date) -> pd.DataFrame:
    """Skill ratings 1-5 in long form (agent_id, skill_id, rating)."""
    tenure = tenure_years(agents, on)
    ability = agents["ability"].to_numpy()
    rows = []
    for skill_id, (code, _label) in enumerate(DEFAULT_SKILLS, start=1):
        experience = 0.55 * np.minimum(tenure, 4.0) - 0.9
        raw = 3.0 + 0.85 * ability + experience + rng.normal(0.0, 0.55, len(agents))
        if code == "compliance":  # trained to a standard; varies less
            raw = 3.6 + 0.4 * ability + 0.2 * np.minimum(tenure, 3) + rng.normal(0, 0.4, len(agents))
        rating = np.clip(np.rint(raw), 1, 5).astype(int)
        rows.append(pd.DataFrame({"agent_id": agents["id"], "skill_id": skill_id,
                                  "rating": rating, "rated_on": on}))
    return pd.concat(rows, ignore_index=True)


def skill_matrix(ratings: pd.DataFrame) -> pd.DataFrame:
    """Ratings as agents x skill codes."""
    codes = {i: code for i, (code, _l) in enumerate(DEFAULT_SKILLS, start=1)}
    wide = ratings.pivot(index="agent_id", columns="skill_id", values="rating")
    return wide.rename(columns=codes)


def make_products() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Products and their up-sell / cross-sell relations."""
    products = pd.DataFrame(
        [{"id": i, "sku": sku, "name": name, "category": cat, "ladder": ladder, "tier": tier,
          "unit_price_minor": int(round(price * 100)), "margin_rate": margin}
         for i, (sku, name, cat, ladder, tier, price, margin)
         in enumerate(catalogue.PRODUCTS, start=1)])
    by_sku = dict(zip(products["sku"], products["id"]))
    relations = []
    for _ladder, group in products.groupby("ladder"):
        ordered = group.sort_values("tier")
        for lower, higher in zip(ordered["id"], ordered["id"].iloc[1:]):
            relations.append((int(lower), int(higher), "upsell"))
    for _, row in products.iterrows():
        for target in catalogue.CROSS_SELLS.get(row["ladder"], ()):
            if target in by_sku and by_sku[target] != row["id"]:
                relations.append((int(row["id"]), int(by_sku[target]), "crosssell"))
    rel = pd.DataFrame(relations, columns=["from_product_id", "to_product_id", "kind"])
    return products, rel.drop_duplicates()
