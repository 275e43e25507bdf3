"""Parsers for money, dates and card numbers, with property-based tests."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from salesplanner.card_numbers import luhn_valid, mask_card_numbers
from salesplanner.importing.values import (
    AMBIGUOUS, DAY_FIRST, MONTH_FIRST, YEAR_FIRST, infer_date_order, parse_datetime, parse_money,
)


@pytest.mark.parametrize("text, value", [
    ("£1,234.50", 1234.5), ("1.234,50", 1234.5), ("(12.00)", -12.0), ("-12", -12.0),
    ("12-", -12.0), ("€ 1 234,56", 1234.56), ("1,234", 1234.0), ("0.5", 0.5), ("12,5", 12.5),
    ("GBP 99.99", 99.99), ("$-3.10", -3.10), ("1,234,567.89", 1234567.89),
])
def test_money_examples(text: str, value: float) -> None:
    assert parse_money(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1,23,4.00", "12.34.56,7", "£", "1..2"])
def test_money_refuses_non_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


@given(st.integers(min_value=-10**9, max_value=10**9), st.sampled_from(["uk", "eu", "plain", "paren"]))
def test_money_round_trip(pennies: int, style: str) -> None:
    value = pennies / 100
    whole, frac = f"{abs(value):,.2f}".split(".")
    if style == "uk":
        text = f"£{whole}.{frac}"
    elif style == "eu":
        text = f"{whole.replace(',', '.')},{frac} €"
    elif style == "plain":
        text = f"{abs(value):.2f}"
    else:
        text = f"({whole}.{frac})" if value < 0 else f"{whole}.{frac}"
    if value < 0 and style != "paren":
        text = "-" + text
    assert round(parse_money(text) * 100) == pennies


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2068, 12, 31)))
def test_dates_round_trip_in_every_order(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    assert parse_datetime(moment.strftime("%d/%m/%Y %H:%M:%S"), DAY_FIRST) == moment
    assert parse_datetime(moment.strftime("%m/%d/%Y %H:%M:%S"), MONTH_FIRST) == moment
    assert parse_datetime(moment.strftime("%Y-%m-%dT%H:%M:%S")) == moment
    assert parse_datetime(moment.strftime("%Y%m%d%H%M%S")) == moment
    assert parse_datetime(moment.strftime("%d.%m.%y"), DAY_FIRST) == moment.replace(
        hour=0, minute=0, second=0)


@pytest.mark.parametrize("text", ["31/02/2026", "2026-13-01", "yesterday", "12/12", "13:00"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text)


def test_date_order_is_inferred_never_guessed() -> None:
    assert infer_date_order(["01/02/2026", "13/02/2026"]) == DAY_FIRST
    assert infer_date_order(["01/02/2026", "02/13/2026"]) == MONTH_FIRST
    assert infer_date_order(["01/02/2026", "03/04/2026"]) == AMBIGUOUS
    assert infer_date_order(["2026-01-02", "20260103"]) == YEAR_FIRST
    with pytest.raises(ValueError, match="mix"):
        infer_date_order(["13/02/2026", "02/13/2026"])


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("no check digit")


def test_luhn_known_numbers() -> None:
    assert luhn_valid("4111111111111111")
    assert luhn_valid("5555555555554444")
    assert not luhn_valid("4111111111111112")
    assert not luhn_valid("41111x1111111111")


@given(st.text(alphabet="0123456789", min_size=12, max_size=18), st.sampled_from(["", " ", "-"]),
       st.text(alphabet="abc ,.", max_size=5), st.text(alphabet="abc ,.", max_size=5))
def test_card_numbers_are_masked_wherever_they_appear(body: str, sep: str, before: str,
                                                      after: str) -> None:
    number = _luhn_complete(body)
    shown = sep.join(number[i:i + 4] for i in range(0, len(number), 4))
    masked, count = mask_card_numbers(f"{before}{shown}{after}")
    assert count == 1
    assert number not in re.sub(r"[ -]", "", masked)
    assert masked.endswith(number[-4:] + after)


@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_non_luhn_digit_runs_are_left_alone(digits: str) -> None:
    assume(not luhn_valid(digits))
    assert mask_card_numbers(digits) == (digits, 0)


def test_short_and_long_runs_are_not_cards() -> None:
    assert mask_card_numbers("order 411111111111")[1] == 0  # 12 digits
    assert mask_card_numbers("x" + "4111111111111111" + "1234")[1] == 0  # 20 digits
