"""Sharing a team total among agents inside limits, and rounding it exactly.

Pure functions over NumPy arrays, used by the target proposal and by
overrides.

:func:`allocate` gives each agent ``base + lam * weight``, clipped to the
agent's ``[lower, upper]`` limits, with ``lam`` found so the whole adds up to
the total. This is "water-filling": every agent takes the same multiple of
its weight until it meets its limit, and what it cannot take flows to the
others. Properties that follow (and are tested): the sum is exact whenever
the total lies between the sums of the limits; nobody leaves their limits;
an agent with a larger weight never gets less, all else equal; the result
depends on the inputs only.

:func:`round_to_total` rounds to a step (whole sales, whole pounds) by the
largest-remainder method, so rounded targets still add up exactly.
"""

from __future__ import annotations

import numpy as np

from salesplanner.errors import UserError


def allocate(total: float, base: np.ndarray, weight: np.ndarray, lower: np.ndarray,
             upper: np.ndarray) -> np.ndarray:
    """``clip(base + lam * weight, lower, upper)`` summing to ``total``.

    ``weight`` must be non-negative; where it is zero everywhere, the gap is
    shared in proportion to ``base`` instead. Refuses a total outside what
    the limits allow, saying the reachable range.
    """
    base, weight = np.asarray(base, float), np.asarray(weight, float)
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    low_sum, high_sum = float(lower.sum()), float(upper.sum())
    tolerance = 1e-9 * max(1.0, abs(total))
    if total < low_sum - tolerance or total > high_sum + tolerance:
        raise UserError(
            f"the team total {total:,.2f} cannot be shared inside the limits: they allow "
            f"{low_sum:,.2f} to {high_sum:,.2f}; widen the guardrails or change the total")
    if not len(base):
        return base
    if not (weight > 0).any():
        weight = np.abs(base) if (base != 0).any() else np.ones_like(base)

    def filled(lam: float) -> np.ndarray:
        return np.clip(base + lam * weight, lower, upper)

    # Bracket lam, then bisect: the sum is continuous and non-decreasing in lam.
    lo, hi = -1.0, 1.0
    while filled(lo).sum() > total and lo > -1e18:
        lo *= 2
    while filled(hi).sum() < total and hi < 1e18:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if filled(mid).sum() < total:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * max(1.0, abs(hi)):
            break
    out = filled(hi)
    # Put the last fraction of a penny left by bisection on agents with room.
    gap = total - out.sum()
    room = (upper - out) if gap > 0 else (out - lower)
    movable = room > 0
    if gap and movable.any():
        share = np.where(movable, room, 0) / room[movable].sum()
        out = np.clip(out + gap * share, lower, upper)
    return out


def round_to_total(values: np.ndarray, total: float, step: float = 1.0,
                   lower: np.ndarray | None = None,
                   upper: np.ndarray | None = None) -> np.ndarray:
    """Round ``values`` to multiples of ``step`` so they add up to ``total``
    (itself a multiple of ``step``): round down, then give the leftover
    steps to the largest remainders (within ``upper`` when given), the
    largest-remainder method. Ties go to the earlier agent, so the result
    is the same every time."""
    values = np.asarray(values, float)
    units = values / step
    floors = np.floor(units + 1e-9)
    target_units = int(round(total / step))
    left = target_units - int(floors.sum())
    remainders = units - floors
    order = np.argsort(-remainders, kind="stable")
    out = floors.copy()
    if left > 0:
        room = np.full(len(values), np.inf) if upper is None else \
            np.floor(np.asarray(upper, float) / step + 1e-9) - floors
        for i in order:
            if left == 0:
                break
            if room[i] >= 1:
                out[i] += 1
                left -= 1
        for i in order:  # only if limits left no room: the total still holds
            if left == 0:
                break
            out[i] += 1
            left -= 1
    elif left < 0:
        floor_room = np.full(len(values), np.inf) if lower is None else \
            floors - np.ceil(np.asarray(lower, float) / step - 1e-9)
        for i in order[::-1]:
            if left == 0:
                break
            if floor_room[i] >= 1 and out[i] >= 1:
                out[i] -= 1
                left += 1
    return out * step
