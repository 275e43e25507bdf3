"""How far each agent's rate is pulled toward the team's (issue 19 item 2):
estimated from how far agents differ against how much their own four-week
stretches vary."""

from __future__ import annotations

import numpy as np
import pytest

from salesplanner.targets.rates import PRIOR_WEEKS_RANGE, estimated_prior_weeks


def _weeks(true_rates: np.ndarray, noise: float, weeks: int = 26,
           seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Sales over 30 productive hours a week at each agent's true rate, each
    week's rate off by ``noise`` (a relative standard deviation)."""
    rng = np.random.default_rng(seed)
    den = np.full((len(true_rates), weeks), 30.0)
    num = den * true_rates[:, None] * (1 + noise * rng.standard_normal(den.shape))
    return num, den


def test_agents_who_differ_for_real_are_barely_pulled() -> None:
    rates = np.linspace(0.5, 1.5, 40)  # a spread of +-30% around the team
    weeks = estimated_prior_weeks(*_weeks(rates, noise=0.2))
    assert weeks is not None and weeks < 1.0


def test_agents_who_only_differ_by_chance_are_pulled_all_the_way() -> None:
    weeks = estimated_prior_weeks(*_weeks(np.ones(40), noise=0.3))
    assert weeks == PRIOR_WEEKS_RANGE[1]


def test_the_estimate_is_near_the_theory() -> None:
    """Weeks vary by 0.4 (a variance of 0.16) and agents' true rates by 0.1
    (0.01): an agent's own weeks weigh as much as the team's after 0.16 /
    0.01 = 16 weeks."""
    rng = np.random.default_rng(11)
    rates = 1 + 0.1 * rng.standard_normal(400)
    weeks = estimated_prior_weeks(*_weeks(rates, noise=0.4, weeks=52))
    assert weeks == pytest.approx(16.0, rel=0.3)


def test_too_few_agents_or_weeks_give_no_estimate() -> None:
    assert estimated_prior_weeks(*_weeks(np.linspace(0.5, 1.5, 4), noise=0.2)) is None
    assert estimated_prior_weeks(*_weeks(np.linspace(0.5, 1.5, 40), 0.2, weeks=8)) is None
