"""Staffing by Erlang C: how many agents an interval needs to meet a service level.

Calls arrive at random (a Poisson stream) and each takes, on average, the
average handle time (exponentially distributed); callers wait in one queue
for the first free agent and do not hang up. With ``A`` the traffic in
Erlangs (calls in the interval x AHT / interval length) and ``N`` agents:

- probability that a call waits (Erlang C)::

      P(wait) = (A^N / N!) * N/(N - A)
                / ( sum_{k<N} A^k / k!  +  (A^N / N!) * N/(N - A) )

- service level, the share answered within ``T`` seconds::

      SL = 1 - P(wait) * exp(-(N - A) * T / AHT)

- average speed of answer::

      ASA = P(wait) * AHT / (N - A)

The agents needed are the fewest ``N > A`` whose service level reaches the
target. ``P(wait)`` is computed through the Erlang B recursion
(``B(0) = 1``, ``B(n) = A B(n-1) / (n + A B(n-1))``, then
``C = N B / (N - A (1 - B))``), which needs no factorials and stays exact
for hundreds of agents.

Erlang C ignores abandoned calls, so it errs on the side of more agents;
the figures are seats that must be on the phones, before shrinkage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from salesplanner.errors import UserError


def erlang_c(traffic: float, agents: int) -> float:
    """The probability that a call has to wait (1.0 when ``agents <= traffic``)."""
    if traffic < 0 or agents < 0:
        raise ValueError("traffic and agents cannot be negative")
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(traffic: float, agents: int, aht: float, within: float) -> float:
    """Share of calls answered within ``within`` seconds."""
    if agents <= traffic:
        return 0.0 if traffic > 0 else 1.0
    return 1 - erlang_c(traffic, agents) * math.exp(-(agents - traffic) * within / aht)


def average_speed_of_answer(traffic: float, agents: int, aht: float) -> float:
    """Mean wait in seconds over all calls (infinite when overloaded)."""
    if agents <= traffic:
        return math.inf if traffic > 0 else 0.0
    return erlang_c(traffic, agents) * aht / (agents - traffic)


@dataclass(frozen=True)
class Staffing:
    """What one interval needs."""

    calls: float
    aht: float
    traffic: float
    agents: int
    service_level: float
    wait_probability: float
    average_speed_of_answer: float

    @property
    def occupancy(self) -> float:
        """Share of the agents' time spent on calls."""
        return self.traffic / self.agents if self.agents else 0.0


#: The most traffic (Erlangs: agents busy at once) staffing is worked out for.
MAX_TRAFFIC = 100_000


def agents_needed(calls: float, aht: float, interval_seconds: float = 1800,
                  target: float = 0.8, within: float = 20) -> Staffing:
    """The fewest agents that answer ``target`` of the calls within ``within`` seconds."""
    if not 0 < target < 1:
        raise UserError(f"a service level of {target} is not between 0 and 1 (e.g. 0.8)")
    if within < 0 or interval_seconds <= 0 or aht < 0 or calls < 0:
        raise UserError("calls, handle time, answer time and interval cannot be negative")
    traffic = calls * aht / interval_seconds
    if traffic == 0:
        return Staffing(calls, aht, 0.0, 0, 1.0, 0.0, 0.0)
    if not math.isfinite(traffic) or traffic > MAX_TRAFFIC:
        # The recursion runs once per agent: a call of 10^18 seconds (a bad
        # value in a plan) would keep it going for ever.
        raise UserError(
            f"{calls:,.0f} calls of {aht:,.0f} s in {interval_seconds:,.0f} s is "
            f"{traffic:,.3g} Erlangs of work, more than any contact centre's "
            f"{MAX_TRAFFIC:,}; check the calls' handle times ('salesplanner check')")
    # One pass of the Erlang B recursion, testing each head count above the
    # traffic as it goes (the same figures as service_level(), in linear time).
    blocking, agents = 1.0, 0
    while True:
        agents += 1
        blocking = traffic * blocking / (agents + traffic * blocking)
        if agents <= traffic:
            continue
        wait = agents * blocking / (agents - traffic * (1 - blocking))
        level = 1 - wait * math.exp(-(agents - traffic) * within / aht)
        if level >= target:
            return Staffing(calls, aht, traffic, agents, level, wait,
                            wait * aht / (agents - traffic))


@dataclass(frozen=True)
class HandleTimes:
    """The handle time each cell is staffed with, and what the data lacked."""

    #: Seconds per cell with calls (NaN where it cannot be known).
    seconds: np.ndarray
    #: True when no call in the data has a handle time and none was given.
    missing: bool
    #: A sentence on what was missing and what stands in for it, or None.
    note: str | None


def handle_times(calls: np.ndarray, aht: np.ndarray, given: float | None = None,
                 what: str = "calls") -> HandleTimes:
    """The average handle time to staff each cell of ``calls`` with.

    ``aht`` is the data's own handle time per cell (NaN or 0 where unknown);
    ``given``, when set, stands for every cell (the user's own figure). Cells
    with calls but no handle time take the call-weighted average of the
    others; when no cell has one, the handle time is missing and the staffing
    cannot be worked out (``seconds`` is NaN where there are calls).
    """
    if given is not None:
        if not math.isfinite(given) or not 0 < given <= 86_400:
            raise UserError(f"an average handle time of {given:g} seconds is not a time a "
                            "call takes; give seconds above 0, e.g. 300 for five minutes")
        return HandleTimes(np.where(calls > 0, float(given), np.nan), False, None)
    with np.errstate(invalid="ignore"):
        known = (calls > 0) & np.isfinite(aht) & (aht > 0)
    wanted = calls > 0
    if not wanted.any() or known.all() or known[wanted].all():
        return HandleTimes(np.where(known, aht, np.nan), False, None)
    if not known.any():
        return HandleTimes(np.full(calls.shape, np.nan), True,
                           f"The {what} have no handle time, so the agents needed cannot "
                           "be worked out.")
    average = float((aht[known] * calls[known]).sum() / calls[known].sum())
    gaps = int((wanted & ~known).sum())
    return HandleTimes(np.where(known, aht, np.where(wanted, average, np.nan)), False,
                       f"{gaps} of {int(wanted.sum())} hours with calls have no handle time; "
                       f"they are staffed with the average of the others, {average:.0f} s.")
