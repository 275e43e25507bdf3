"""The inputs the window and the command line share, read by one parser."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from salesplanner import inputs
from salesplanner.errors import UserError


@pytest.mark.parametrize(("typed", "value"), [
    ("250000", 250000.0), (" 250,000 ", 250000.0), ("£250000", 250000.0), ("€1,5", 15.0),
    ("33%", 0.33), ("0.33", 0.33), ("", None), ("   ", None),
])
def test_team_target(typed: str, value: float | None) -> None:
    assert inputs.parse_team_target(typed) == value


def test_team_target_refused_with_what_was_typed() -> None:
    with pytest.raises(UserError, match=r"^team target 'lots' is not a number$"):
        inputs.parse_team_target("lots")


@pytest.mark.parametrize(("typed", "value"), [
    ("5%", 0.05), ("0.05", 0.05), ("-0.1", -0.1), ("-10%", -0.1), ("150%", 1.5), (" 5% ", 0.05),
])
def test_growth(typed: str, value: float) -> None:
    assert inputs.parse_growth(typed) == pytest.approx(value)


@pytest.mark.parametrize(("typed", "message"), [
    ("10", "10 is ambiguous: write 10% for 10 per cent, or 0.1 as a share"),
    ("1", "1 is ambiguous: write 1% for 1 per cent, or 0.01 as a share"),
    ("-2", "-2 is ambiguous: write -2% for -2 per cent, or -0.02 as a share"),
    ("abc", "'abc' is not a share: write 5% or 0.05"),
    ("nan", "'nan' is not a share: write 5% or 0.05"),
    ("inf", "'inf' is not a share: write 5% or 0.05"),
    ("-inf%", "'-inf%' is not a share: write 5% or 0.05"),
])
def test_growth_refused_with_the_forms_it_reads(typed: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        inputs.parse_growth(typed)
    assert str(caught.value) == message


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False))
def test_growth_in_per_cent_is_the_share(percent: float) -> None:
    assert inputs.parse_growth(f"{percent!r}%") == percent / 100


@given(st.floats(min_value=-0.999, max_value=0.999))
def test_growth_as_a_share_is_itself(share: float) -> None:
    assert inputs.parse_growth(repr(share)) == share


@given(st.text(max_size=12))
def test_growth_is_finite_or_refused(text: str) -> None:
    try:
        value = inputs.parse_growth(text)
    except UserError:
        return
    assert math.isfinite(value)
    assert text.strip().endswith("%") or abs(value) < 1


@pytest.mark.parametrize(("typed", "pair"), [
    ("0.5:0.8", (0.5, 0.8)), ("50%:80%", (0.5, 0.8)), ("-0.1:0.3", (-0.1, 0.3)),
    ("-10%:0.3", (-0.1, 0.3)),
])
def test_range(typed: str, pair: tuple[float, float]) -> None:
    assert inputs.parse_range(typed, "--band") == pytest.approx(pair)


@pytest.mark.parametrize("typed", ["1", "a:b", "0.1:0.2:0.3", ""])
def test_range_refused_naming_the_input(typed: str) -> None:
    with pytest.raises(UserError) as caught:
        inputs.parse_range(typed, "--guardrails")
    assert str(caught.value) == f"--guardrails {typed!r} is not LOW:HIGH, e.g. 0.5:0.8"


def test_ramp_in_shares_and_in_per_cent() -> None:
    assert inputs.parse_ramp("0.5,0.7,0.85") == (0.5, 0.7, 0.85)
    assert inputs.parse_ramp("50, 70, 85", percent=True) == (0.5, 0.7, 0.85)
    assert inputs.parse_ramp("50%; 70%;", percent=True) == (0.5, 0.7)
    assert inputs.parse_ramp("", percent=True) == ()


@pytest.mark.parametrize(("typed", "percent", "message"), [
    ("0.5,x", False, "--ramp '0.5,x' is not shares like 0.5,0.7,0.85"),
    ("0.5,,0.7", False, "--ramp '0.5,,0.7' is not shares like 0.5,0.7,0.85"),
    ("50,70", False, "--ramp '50,70': each month's share is above 0 and at most 1"),
    ("0,1", False, "--ramp '0,1': each month's share is above 0 and at most 1"),
    ("50, x", True, "ramp '50, x': type the monthly shares in per cent, e.g. 50, 70, 85"),
    ("50, 170", True, "ramp: each month's share is above 0% and at most 100%"),
])
def test_ramp_refused(typed: str, percent: bool, message: str) -> None:
    with pytest.raises(UserError) as caught:
        inputs.parse_ramp(typed, percent=percent)
    assert str(caught.value) == message


def test_period_forms() -> None:
    last = date(2027, 2, 11)
    assert inputs.period_bounds("qtd", last) == (date(2027, 1, 1), last)
    assert inputs.period_bounds(" MTD ", last) == (date(2027, 2, 1), last)
    assert inputs.period_bounds("2027q1", last) == (date(2027, 1, 1), date(2027, 3, 31))
    assert inputs.period_bounds("31 Jan 2027:01/02/2027", last) == (date(2027, 1, 31),
                                                                     date(2027, 2, 1))
    with pytest.raises(UserError, match=r"^--period 'soon': use qtd, mtd, wtd, last_quarter"):
        inputs.period_bounds("soon", last)
    with pytest.raises(UserError, match="FROM on or before TO"):
        inputs.period_bounds("2027-02-01:2027-01-01", last)


def test_from_percent() -> None:
    assert inputs.from_percent(30) == 0.3
