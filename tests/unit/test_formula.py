"""The metric formula language: parsing, units, evaluation, and fuzzing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplanner.formula import (
    COUNT, MONEY, NUMBER, SECONDS, FormulaError, Unit, evaluate, names_in, parse, unit_of,
)

UNITS = {"revenue": MONEY, "orders": COUNT, "calls": COUNT, "handle_seconds": SECONDS}
VALUES = {"revenue": np.array([100.0, 50.0, 0.0]), "orders": np.array([4.0, 0.0, 0.0]),
          "calls": np.array([10.0, 5.0, 0.0]), "handle_seconds": np.array([600.0, 300.0, 0.0])}


@pytest.mark.parametrize("formula, expected", [
    ("revenue / orders", [25.0, np.nan, np.nan]),
    ("orders / calls", [0.4, 0.0, np.nan]),
    ("-revenue + 2 * revenue", [100.0, 50.0, 0.0]),
    ("(revenue - 10) / (orders + 1)", [18.0, 40.0, -10.0]),
    ("max(revenue, 60)", [100.0, 60.0, 60.0]),
    ("min(revenue / orders, 30)", [25.0, np.nan, np.nan]),
    ("round(handle_seconds / calls / 60, 1)", [1.0, 1.0, np.nan]),
    ("ratio(orders, calls)", [0.4, 0.0, np.nan]),
    ("abs(orders - calls)", [6.0, 5.0, 0.0]),
    ("1.5 * orders", [6.0, 0.0, 0.0]),
])
def test_evaluation(formula: str, expected: list[float]) -> None:
    result = evaluate(parse(formula), VALUES)
    np.testing.assert_allclose(result, expected, equal_nan=True)


@pytest.mark.parametrize("formula, unit", [
    ("revenue / orders", MONEY / COUNT), ("orders / calls", NUMBER), ("revenue * 2", MONEY),
    ("handle_seconds / calls", SECONDS / COUNT), ("max(revenue, 0)", MONEY),
])
def test_units(formula: str, unit: Unit) -> None:
    assert unit_of(parse(formula), UNITS) == unit


@pytest.mark.parametrize("formula, message", [
    ("revenue + orders", "combines money with count"),
    ("max(revenue, orders)", "compares money with count"),
    ("revenu / orders", "'revenu' at character 1 is not a field or measure (did you mean revenue"),
    ("sum(revenue)", "sum() at character 1 is not a function"),
    ("revenue / ", "found the end"),
    ("revenue ^ 2", "'^' at character 9 is not allowed"),
    ("__import__('os')", "is not allowed"),
    ("(revenue", "expected ')'"),
    ("round()", "takes 1 or 2 argument(s), not 0"),
    ("   ", "the formula is empty"),
    ("-" * 60 + "revenue", "nests more than"),
])
def test_bad_formulas_say_what_and_where(formula: str, message: str) -> None:
    with pytest.raises(FormulaError) as error:
        unit_of(parse(formula), UNITS)
    assert message in str(error.value)


def test_names_in_order_of_first_use() -> None:
    assert names_in(parse("revenue / orders + revenue / calls")) == ["revenue", "orders", "calls"]


_PIECES = st.sampled_from(["revenue", "orders", "calls", "handle_seconds", "nope", "0", "2.5",
                           "+", "-", "*", "/", "(", ")", ",", "max", "min", "abs", "round",
                           "ratio", " ", "^", "'", "1e9", "__class__", "."])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_any_text_is_a_formula_or_a_clear_refusal(text: str) -> None:
    try:
        tree = parse(text)
        unit_of(tree, UNITS)
    except FormulaError as error:
        assert str(error)
        return
    result = evaluate(tree, VALUES)  # a valid formula never raises on data
    assert result.shape in ((), (3,))
    assert not np.isinf(result).any()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_escapes_as_another_exception(text: str) -> None:
    try:
        unit_of(parse(text), UNITS)
    except FormulaError:
        pass
