"""The demo's calls and sales, generated day by day for every agent.

The patterns analysis should find are built in on purpose:

- demand by month (switching peaks in January and November, a summer dip),
  by weekday (Monday busiest, Saturday quiet, Sunday closed) and by hour
  (late-morning and early-afternoon peaks, a mid-afternoon trough where
  outbound dialling is concentrated), plus slow growth;
- conversion that rises with closing, objection handling, product knowledge,
  questioning and listening ratings, and a ramp-up over a new starter's first
  four months;
- up-sell and cross-sell that rise with the up-selling rating;
- a product mix that drifts (full fibre and smart home up, TV down);
- competitor moves that dent sales for three weeks afterwards;
- call-back requests that creep up over the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesplanner.demo import catalogue
from salesplanner.demo.people import SKILL_EFFECT_ON_CONVERSION
from salesplanner.jobs import JobToken, check_cancel
from salesplanner.periods import time_keys

CALLS_PER_PRODUCTIVE_HOUR = 1.85
SHRINKAGE = 0.30
BASE_SALE_RATE = {"inbound": 0.25, "outbound": 0.085}
RAMP_DAYS = 120


@dataclass
class Activity:
    """Everything the generator produced, as frames ready to write."""

    calls: pd.DataFrame
    sales: pd.DataFrame
    intervals: pd.DataFrame
    competitor: pd.DataFrame


def _uk_closed(day: date) -> bool:
    """Days the centre is shut: Sundays, Christmas, Boxing Day, New Year."""
    return day.isoweekday() == 7 or (day.month, day.day) in {(12, 25), (12, 26), (1, 1)}


def make_competitor_activity(rng: np.random.Generator, start: date, end: date) -> pd.DataFrame:
    """About two competitor moves a month."""
    rows = []
    day = start + timedelta(days=int(rng.integers(3, 12)))
    while day <= end:
        category, text, impact = catalogue.COMPETITOR_MOVES[rng.integers(len(catalogue.COMPETITOR_MOVES))]
        rows.append({"day": day, "competitor": str(rng.choice(catalogue.COMPETITORS)),
                     "activity": text, "impact": impact, "category": category})
        day += timedelta(days=int(rng.integers(8, 22)))
    return pd.DataFrame(rows)


def _competitor_damping(days: pd.DatetimeIndex, competitor: pd.DataFrame,
                        teams: pd.DataFrame) -> np.ndarray:
    """days x teams factor on the sale rate: a high-impact move in a category
    cuts a team's sales by up to a quarter of that category's share, for 21
    days (medium: a tenth)."""
    factor = np.ones((len(days), len(teams)))
    strength = {"high": 0.25, "medium": 0.10, "low": 0.0}
    for _, ev in competitor.iterrows():
        hit = (days >= pd.Timestamp(ev["day"])) & (days < pd.Timestamp(ev["day"]) + pd.Timedelta(days=21))
        for t, mix in enumerate(teams["mix"]):
            share = mix.get(ev["category"], 0) / sum(mix.values())
            factor[hit, t] *= 1.0 - strength[ev["impact"]] * share
    return factor


def _sample_hours(rng: np.random.Generator, start_h: np.ndarray, end_h: np.ndarray,
                  outbound: np.ndarray) -> np.ndarray:
    """An hour for each call, from the inbound or outbound profile, inside the shift."""
    hours = np.empty(len(start_h), dtype=np.int64)
    key = pd.DataFrame({"s": start_h, "e": end_h, "o": outbound})
    for (s, e, o), idx in key.groupby(["s", "e", "o"]).indices.items():
        profile = catalogue.OUTBOUND_HOURLY if o else catalogue.INBOUND_HOURLY
        span = np.arange(s, e)
        weights = np.array([profile.get(int(h), 0.0) for h in span])
        if weights.sum() == 0:
            weights = np.ones(len(span))
        hours[idx] = rng.choice(span, size=len(idx), p=weights / weights.sum())
    return hours


def _trend(t: np.ndarray, n_days: int, growth: float | None) -> np.ndarray:
    """Demand's long-run level on each day, from 1.0 on the first."""
    if growth is None:
        return 1.0 + 0.06 * t
    return (1.0 + growth) ** (np.arange(n_days) / 365.25)


def make_calls(rng: np.random.Generator, agents: pd.DataFrame, skills: pd.DataFrame,
               teams: pd.DataFrame, competitor: pd.DataFrame,
               start: date, end: date, token: JobToken,
               growth: float | None = None) -> pd.DataFrame:
    """One row per handled call with agent, time, direction, duration, outcome.

    ``growth``: calls per agent hour grow by this share a year, compounded
    (None: 6% across the whole history, the demo's slow drift)."""
    days = pd.date_range(start, end, freq="D")
    open_day = np.array([not _uk_closed(d.date()) for d in days])
    weekday = time_keys(days)["weekday"]
    n_agents, n_days = len(agents), len(days)
    t = np.arange(n_days) / max(1, n_days - 1)  # 0..1 through the history

    # Which agent works which day.
    hours_week = agents["weekly_hours"].to_numpy()
    days_per_week = np.where(hours_week >= 30, 5, np.where(hours_week >= 22.5, 4, 3))
    start_dates = pd.to_datetime(agents["start_date"]).to_numpy()
    leave_dates = pd.to_datetime(agents["leave_date"].fillna(pd.Timestamp("2999-12-31"))).to_numpy()
    employed = ((days.to_numpy()[None, :] >= start_dates[:, None])
                & (days.to_numpy()[None, :] <= leave_dates[:, None]))
    works = employed & open_day[None, :] & (
        rng.random((n_agents, n_days)) < (days_per_week[:, None] / 6.0) * 0.9)
    a_idx, d_idx = np.nonzero(works)
    check_cancel(token)

    # Shift: contracted day length placed inside the opening hours.
    day_len = np.rint(hours_week / days_per_week)[a_idx].astype(int)
    wd = weekday[d_idx]
    open_from = np.array([catalogue.OPENING[w - 1][0] for w in range(1, 8)])[wd - 1]
    open_to = np.array([catalogue.OPENING[w - 1][1] for w in range(1, 8)])[wd - 1]
    day_len = np.minimum(day_len, open_to - open_from)
    latest = open_to - day_len
    shift_start = open_from + np.floor(rng.random(len(a_idx)) * (latest - open_from + 1)).astype(int)
    shift_end = shift_start + day_len

    # How many calls: productive hours x rate x demand x ramp-up.
    month = days.month.to_numpy()[d_idx]
    demand = (np.array(catalogue.MONTH_DEMAND)[month - 1]
              * np.array(catalogue.WEEKDAY_DEMAND)[wd - 1] * _trend(t, n_days, growth)[d_idx])
    tenure_days = (days.to_numpy()[d_idx] - start_dates[a_idx]).astype("timedelta64[D]").astype(int)
    ramp = 0.5 + 0.5 * np.minimum(1.0, tenure_days / RAMP_DAYS)
    efficiency = np.exp(0.08 * agents["ability"].to_numpy())[a_idx]
    expected = (day_len * (1 - SHRINKAGE) * CALLS_PER_PRODUCTIVE_HOUR * demand * (0.7 + 0.3 * ramp)
                * efficiency)
    counts = rng.poisson(expected)

    # Explode agent-days into calls.
    rep = np.repeat(np.arange(len(a_idx)), counts)
    ca, cd = a_idx[rep], d_idx[rep]
    n = len(rep)
    team_pos = agents["team_id"].to_numpy()[ca] - 1
    outbound = rng.random(n) < teams["outbound_share"].to_numpy()[team_pos]
    hour = _sample_hours(rng, shift_start[rep], shift_end[rep], outbound)
    second = rng.integers(0, 3600, n)
    ts = days.to_numpy()[cd] + (hour * 3600 + second).astype("timedelta64[s]")
    check_cancel(token)

    # Outcome: the sale rate follows skills, tenure ramp, season and competitors.
    skill_term = sum(eff * (skills[code].to_numpy() - 3.0)
                     for code, eff in SKILL_EFFECT_ON_CONVERSION.items())
    agent_mult = np.exp(skill_term + 0.05 * agents["ability"].to_numpy() + agents["persona"].to_numpy())
    call_month = month[rep]
    promo = np.where(np.isin(call_month, (1, 11)), 1.12, np.where(call_month == 12, 0.9, 1.0))
    damping = _competitor_damping(days, competitor, teams)[cd, team_pos]
    base = np.where(outbound, BASE_SALE_RATE["outbound"], BASE_SALE_RATE["inbound"])
    p_sale = np.clip(base * agent_mult[ca] * ramp[rep] * promo * damping, 0.0, 0.85)
    p_callback = 0.065 + 0.05 * t[cd]
    p_info = np.where(weekday[cd] == 1, 0.10, 0.075)
    u = rng.random(n)
    outcome = np.where(u < p_sale, "sale",
              np.where(u < p_sale + p_callback, "callback_requested",
              np.where(u < p_sale + p_callback + p_info, "info_requested", "no_sale")))

    mean_s = np.where(outbound, 380.0, 640.0) * np.where(outcome == "sale", 1.45, 1.0)
    mean_s = mean_s / np.exp(0.06 * agents["ability"].to_numpy())[ca]
    duration = np.rint(mean_s * rng.lognormal(-0.18, 0.6, n)).astype(np.int64) + 20

    calls = pd.DataFrame({
        "ts": ts, "agent_pos": ca, "day_pos": cd, "team_pos": team_pos,
        "direction": np.where(outbound, "outbound", "inbound"),
        "duration_s": duration, "outcome": outcome,
    }).sort_values("ts", kind="stable").reset_index(drop=True)
    calls.insert(0, "id", np.arange(1, len(calls) + 1))
    calls["call_ref"] = "CL" + pd.Series(calls["id"] + 100_000_000).astype(str)
    calls["agent_id"] = agents["id"].to_numpy()[calls["agent_pos"]]
    calls["queue"] = teams["queue"].to_numpy()[calls["team_pos"]]
    calls["customer_ref"] = "C" + pd.Series(rng.integers(1_000_000, 9_999_999, len(calls))).astype(str)
    calls["campaign"] = _campaigns(rng, calls, teams)
    calls.attrs["history_fraction"] = t
    return calls


def _campaigns(rng: np.random.Generator, calls: pd.DataFrame, teams: pd.DataFrame) -> np.ndarray:
    """Campaign per call: outbound calls belong to a campaign; inbound calls
    during a promotion are tagged with it about half the time."""
    month = calls["ts"].dt.month.to_numpy()
    campaign = np.full(len(calls), None, dtype=object)
    for name, kind, first, last, _purpose in catalogue.CAMPAIGNS:
        if kind not in ("promotion", "acquisition"):
            continue
        live = (month >= first) & (month <= last)
        campaign[live & (rng.random(len(calls)) < 0.5)] = name
    outbound = calls["direction"].to_numpy() == "outbound"
    queue = teams["queue"].to_numpy()[calls["team_pos"]]
    campaign[outbound & (queue == "Outbound")] = "Winback"
    campaign[outbound & np.isin(queue, ["Retention", "Upgrades"])] = "Loyalty Review"
    return campaign


_ADD_ON_LADDERS = {"sport", "movies", "kids", "box", "devc", "bbg", "hts", "bill", "spk", "cam",
                   "sec", "hpi", "hpe", "bzip", "bz4g", "bzsec"}
_CATEGORY_DRIFT = {"TV": -0.30, "Mobile": 0.15, "Smart home": 0.70, "Home phone": -0.35}
_PER_SEAT = {"voip", "bzm"}


def _product_weights(products: pd.DataFrame, mix: dict[str, float], t: float) -> np.ndarray:
    """Chance of each product being the primary purchase for a team at time t."""
    cat = products["category"].map(lambda c: mix.get(c, 0.0)).to_numpy(dtype=float)
    drift = products["category"].map(lambda c: 1.0 + _CATEGORY_DRIFT.get(c, 0.0) * t).to_numpy()
    tier = products["tier"].to_numpy(dtype=float)
    is_bb = (products["category"] == "Broadband").to_numpy()
    centre = 2.0 + 1.6 * t  # full fibre takes over through the year
    tier_w = np.where(is_bb, np.exp(-((tier - centre) ** 2) / 3.0), 1.0 / tier)
    addon = np.where(products["ladder"].isin(_ADD_ON_LADDERS), 0.3, 1.0)
    counts = products.groupby("category")["id"].transform("count").to_numpy()
    w = cat * drift * tier_w * addon / counts
    return w / w.sum()


def make_sales(rng: np.random.Generator, calls: pd.DataFrame, agents: pd.DataFrame,
               skills: pd.DataFrame, teams: pd.DataFrame, products: pd.DataFrame,
               relations: pd.DataFrame, end: date, token: JobToken) -> pd.DataFrame:
    """Sale lines for every sale call, plus web-chat orders without a call."""
    sale_calls = calls[calls["outcome"] == "sale"]
    t_all = calls.attrs["history_fraction"]
    n = len(sale_calls)
    team_pos = sale_calls["team_pos"].to_numpy()
    month_key = sale_calls["ts"].dt.to_period("M").astype(str).to_numpy()
    primary = np.empty(n, dtype=np.int64)
    groups = pd.DataFrame({"t": team_pos, "m": month_key}).groupby(["t", "m"]).indices
    for (tp, _month), idx in groups.items():
        t = float(np.mean(t_all[sale_calls["day_pos"].to_numpy()[idx]]))
        w = _product_weights(products, teams["mix"].iloc[tp], t)
        primary[idx] = rng.choice(products["id"].to_numpy(), size=len(idx), p=w)
    check_cancel(token)

    # Up-sell: the customer takes the next tier up; cross-sell: an extra product.
    up_skill = skills["upselling"].to_numpy()[sale_calls["agent_pos"].to_numpy()]
    pk_skill = skills["product_knowledge"].to_numpy()[sale_calls["agent_pos"].to_numpy()]
    next_tier = dict(relations.loc[relations["kind"] == "upsell", ["from_product_id", "to_product_id"]]
                     .itertuples(index=False, name=None))
    p_up = 0.15 * np.exp(0.28 * (up_skill - 3) + 0.08 * (pk_skill - 3))
    has_up = np.array([p in next_tier for p in primary])
    upsold = has_up & (rng.random(n) < p_up)
    primary = np.where(upsold, [next_tier.get(p, p) for p in primary], primary)
    cross_targets = (relations[relations["kind"] == "crosssell"]
                     .groupby("from_product_id")["to_product_id"].apply(list))
    p_cross = 0.13 * np.exp(0.30 * (up_skill - 3))
    options = [cross_targets.get(p) for p in primary]
    crossed = np.array([o is not None for o in options]) & (rng.random(n) < p_cross)
    cross_product = np.array([o[rng.integers(len(o))] if c else 0 for o, c in zip(options, crossed)])

    base = pd.DataFrame({
        "ts": sale_calls["ts"].to_numpy(), "agent_id": sale_calls["agent_id"].to_numpy(),
        "call_id": sale_calls["id"].to_numpy(), "direction": sale_calls["direction"].to_numpy(),
        "queue": sale_calls["queue"].to_numpy(), "campaign": sale_calls["campaign"].to_numpy(),
        "customer_ref": sale_calls["customer_ref"].to_numpy(),
    })
    base["channel"] = np.where(base["direction"] == "outbound", "Outbound call", "Inbound call")
    chat = _web_chat_orders(rng, base, products, teams, t_all, calls)
    lines_primary = base.assign(product_id=primary, line_type=np.where(upsold, "upsell", "primary"))
    lines_cross = base[crossed].assign(product_id=cross_product[crossed], line_type="crosssell")
    orders = pd.concat([base, chat[base.columns]], ignore_index=True)
    orders["order_no"] = np.arange(len(orders))
    lines_primary["order_no"] = np.arange(len(base))
    lines_cross["order_no"] = np.flatnonzero(crossed)
    chat_lines = chat.assign(order_no=np.arange(len(base), len(orders)))
    sales = pd.concat([lines_primary, lines_cross, chat_lines], ignore_index=True)
    sales = sales.sort_values(["ts", "order_no", "line_type"], kind="stable").reset_index(drop=True)
    check_cancel(token)

    # Quantity, price and outcome.
    m = len(sales)
    ladder = products.set_index("id")["ladder"].reindex(sales["product_id"]).to_numpy()
    price = products.set_index("id")["unit_price_minor"].reindex(sales["product_id"]).to_numpy()
    qty = np.where(np.isin(ladder, list(_PER_SEAT)), rng.geometric(0.35, m),
                   np.where(ladder == "sim", rng.choice([1, 1, 1, 1, 2, 3], m), 1))
    discount = np.where(sales["campaign"].notna(), rng.uniform(0.75, 0.95, m), rng.uniform(0.88, 1.0, m))
    sales["quantity"] = qty
    sales["revenue_minor"] = np.rint(price * qty * discount).astype(np.int64)
    recent = sales["ts"].to_numpy() >= np.datetime64(end - timedelta(days=3))
    u = rng.random(m)
    sales["outcome"] = np.where(recent & (u < 0.4), "pending", np.where(u > 0.97, "cancelled", "completed"))
    sales["segment"] = np.select(
        [sales["queue"] == "Business", sales["queue"].isin(["Retention", "Upgrades"]),
         sales["queue"] == "Outbound"],
        ["Small business", "Existing customer", "Former customer"], "New customer")
    sales["order_ref"] = "ORD" + (sales["order_no"] + 500_000).astype(str)
    sales["sale_ref"] = sales["order_ref"] + "-" + (sales.groupby("order_no").cumcount() + 1).astype(str)
    sales.insert(0, "id", np.arange(1, m + 1))
    return sales


def _web_chat_orders(rng: np.random.Generator, base: pd.DataFrame, products: pd.DataFrame,
                     teams: pd.DataFrame, t_all: np.ndarray, calls: pd.DataFrame) -> pd.DataFrame:
    """About one order in twenty closed on web chat, with no call behind it."""
    inbound = calls[(calls["direction"] == "inbound") & calls["queue"].isin(["Sales", "Upgrades"])]
    k = max(1, len(base) // 20)
    pick = inbound.iloc[np.sort(rng.choice(len(inbound), size=min(k, len(inbound)), replace=False))]
    w = _product_weights(products, teams["mix"].iloc[0], 0.5)
    return pd.DataFrame({
        "ts": pick["ts"].to_numpy() + rng.integers(60, 900, len(pick)).astype("timedelta64[s]"),
        "agent_id": pick["agent_id"].to_numpy(), "call_id": None, "direction": None,
        "queue": pick["queue"].to_numpy(), "campaign": pick["campaign"].to_numpy(),
        "customer_ref": "W" + pd.Series(rng.integers(1_000_000, 9_999_999, len(pick))).astype(str).to_numpy(),
        "channel": "Web chat",
        "product_id": rng.choice(products["id"].to_numpy(), size=len(pick), p=w),
        "line_type": "primary",
    })


def make_intervals(rng: np.random.Generator, calls: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """Half-hour queue statistics as a telephony platform would export them."""
    inbound = calls[calls["direction"] == "inbound"]
    grouped = inbound.groupby([inbound["ts"].dt.floor("30min"), "queue", "team_pos"]).agg(
        handled=("id", "size"), aht_s=("duration_s", "mean")).reset_index()
    load = grouped["handled"] / grouped.groupby("queue")["handled"].transform("max")
    abandon_rate = 0.02 + 0.10 * load ** 2
    abandoned = rng.binomial(grouped["handled"].to_numpy() + 1, abandon_rate.to_numpy())
    grouped["offered"] = grouped["handled"] + abandoned
    grouped["answered_in_sl"] = np.rint(grouped["handled"] * np.clip(0.95 - 0.3 * load, 0, 1)).astype(int)
    grouped["aht_s"] = grouped["aht_s"].round(1)
    grouped["team_id"] = teams["id"].to_numpy()[grouped["team_pos"]]
    grouped = grouped.rename(columns={"ts": "interval_start"})
    grouped.insert(0, "id", np.arange(1, len(grouped) + 1))
    return grouped
