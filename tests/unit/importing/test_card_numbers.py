"""Card numbers in every way people and programs write them, and what is not one."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from salesplanner.card_numbers import (
    DASHES, SEPARATORS, SHAPED, SPACES, ascii_digits, luhn_valid, mask_card_numbers, mask_values,
    may_hold_card,
)

#: Zero of some scripts' decimal digits: ASCII, full-width, Arabic-Indic,
#: Devanagari, Bengali, Thai, mathematical bold.
ZEROS = ["0", "\uff10", "\u0660", "\u0966", "\u09e6", "\u0e50", "\U0001d7ce"]
#: Card groupings: Visa/Mastercard 4-4-4-4, Amex 4-6-5, Diners 4-6-4, 19 digits 4-4-4-4-3.
SHAPES = {13: (4, 4, 4, 1), 14: (4, 6, 4), 15: (4, 6, 5), 16: (4, 4, 4, 4), 17: (4, 4, 4, 4, 1),
          18: (4, 4, 4, 4, 2), 19: (4, 4, 4, 4, 3)}


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("no check digit")


def _in_script(digits: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(d)) for d in digits)


def _grouped(number: str, separators: list[str]) -> str:
    out, start = [], 0
    for k, size in enumerate(SHAPES[len(number)]):
        out.append(number[start:start + size])
        start += size
        if start < len(number):
            out.append(separators[k % len(separators)])
    return "".join(out)


def _digits_of(text: str) -> str:
    return ascii_digits("".join(ch for ch in text if ch.isdecimal()))


cards = st.text(alphabet="0123456789", min_size=12, max_size=18).map(_luhn_complete)
scripts = st.sampled_from(ZEROS)
surroundings = st.text(alphabet="abc ,.:;()#", max_size=6)


@settings(max_examples=300)
@given(cards, scripts, st.lists(st.sampled_from(list(SEPARATORS)), min_size=1, max_size=4),
       st.booleans(), surroundings, surroundings)
def test_cards_are_masked_in_any_script_with_any_separator(
        number: str, zero: str, separators: list[str], split: bool, before: str,
        after: str) -> None:
    written = _in_script(number, zero)
    shown = _grouped(written, separators) if split else written
    text = f"{before}{shown}{after}"
    masked, count = mask_card_numbers(text)
    assert count == 1, text
    assert number not in _digits_of(masked)
    assert masked == f"{before}{'*' * (len(number) - 4)}{written[-4:]}{after}"
    assert may_hold_card(text)


@given(cards, scripts, st.sampled_from(SPACES + DASHES),
       st.sampled_from(["", " 12/27", " exp 12.27", "-1227"]))
def test_a_card_followed_by_its_expiry_is_masked_on_the_card(
        number: str, zero: str, separator: str, expiry: str) -> None:
    shown = _grouped(_in_script(number, zero), [separator])
    masked, count = mask_card_numbers(f"paid {shown}{expiry} thanks")
    assert count == 1
    assert number not in _digits_of(masked)


@given(st.text(alphabet="0123456789", min_size=13, max_size=19), scripts,
       st.sampled_from(SEPARATORS))
def test_non_luhn_runs_are_left_alone_in_any_script(digits: str, zero: str,
                                                    separator: str) -> None:
    assume(not luhn_valid(digits))
    written = _in_script(digits, zero)
    assert mask_card_numbers(written) == (written, 0)
    if len(digits) <= 16:  # in groups of four, the only run of 13 or more is the whole
        grouped = separator.join(written[i:i + 4] for i in range(0, len(written), 4))
        assert mask_card_numbers(grouped) == (grouped, 0)


@given(st.datetimes(), st.sampled_from(["%d.%m.%Y %H.%M.%S", "%Y-%m-%d %H:%M:%S",
                                        "%d/%m/%Y %H:%M", "%Y%m%d_%H%M%S", "%d.%m.%Y",
                                        "%Y/%m/%d %H.%M.%S", "%Y-%m-%dT%H:%M:%S.%f"]))
def test_dates_and_times_are_never_cards(moment, fmt: str) -> None:
    text = moment.strftime(fmt)
    assert mask_card_numbers(text) == (text, 0)
    assert mask_card_numbers(f"export_{text}.csv") == (f"export_{text}.csv", 0)


@given(st.integers(-10**12, 10**12), st.integers(0, 99),
       st.sampled_from(["{:,}.{:02d}", "{}.{:02d}", "{:_}.{:02d}"]))
def test_amounts_are_never_cards(whole: int, cents: int, fmt: str) -> None:
    text = fmt.format(whole, cents)
    assert mask_card_numbers(text) == (text, 0)
    dotted = f"{abs(whole):,}".replace(",", ".") + f",{cents:02d}"  # 1.234.567,89
    assert mask_card_numbers(dotted) == (dotted, 0)


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: abs(x) < 1e12))
def test_numbers_a_program_wrote_out_are_never_cards(number: float) -> None:
    for text in (repr(number), json.dumps({"value": number}), f"{number}|{number / 3}"):
        assert mask_card_numbers(text) == (text, 0)


def test_dot_slash_and_underscore_count_only_in_a_cards_shape() -> None:
    assert mask_card_numbers("4111.1111.1111.1111")[1] == 1
    assert mask_card_numbers("3782/822463/10005")[1] == 1  # Amex 4-6-5
    assert mask_card_numbers("export_4111_1111_1111_1111.csv") == ("export_************1111.csv", 1)
    assert mask_card_numbers("4111111111111111.00") == ("************1111.00", 1)
    # A decimal with 13 digits, a version, an address: not in a card's shape.
    assert mask_card_numbers("41111111111.11")[1] == 0
    assert mask_card_numbers("41.1111.1111.1111")[1] == 0
    assert mask_card_numbers("411.111.111.111.111.1")[1] == 0  # an amount's shape
    # Spaces and dashes keep the looser reading they always had.
    assert mask_card_numbers("41 11 11 11 11 11 11 11")[1] == 1
    # Up to three spaces or dashes in a row stay inside a run ("4111 - 1111"); four end it.
    assert mask_card_numbers("4111--1111--1111--1111")[1] == 1
    assert mask_card_numbers("4111    1111    1111    1111")[1] == 0
    assert mask_card_numbers("4111. 1111. 1111. 1111")[1] == 0


def test_full_width_and_no_break_forms() -> None:
    assert mask_card_numbers("カード ４１１１ー") == ("カード ４１１１ー", 0)
    assert mask_card_numbers("カード ４１１１－１１１１－１１１１－１１１１") == (
        "カード ************１１１１", 1)
    assert mask_card_numbers("card\u00a04111\u00a01111\u00a01111\u00a01111")[1] == 1
    assert mask_card_numbers("4111\u202f1111\u202f1111\u202f1111")[1] == 1
    assert mask_card_numbers("4111\t1111\t1111\t1111")[1] == 1
    assert all(unicodedata.category(c).startswith(("Z", "P", "C", "S")) for c in SEPARATORS)
    assert set(SHAPED) <= set(SEPARATORS)


def test_json_held_in_a_string_stays_json() -> None:
    stored = json.dumps({"growth": 0.4415618415007559, "at": 1735689600000,
                         "note": "paid 4111 1111 1111 1111"})
    masked = mask_values({"parameters_json": stored, "plain": json.dumps([0.4415618415007559])})
    inner = json.loads(masked["parameters_json"])
    assert inner == {"growth": 0.4415618415007559, "at": 1735689600000,
                     "note": "paid ************1111"}
    assert masked["plain"] == json.dumps([0.4415618415007559])  # untouched, byte for byte


def test_structured_values_mask_strings_and_leave_numbers() -> None:
    value = {"file": "export_4111111111111111.csv", "4111 1111 1111 1111": [0.30000000000000004,
             ("x", 4111111111111111)], "n": None}
    assert mask_values(value) == {
        "file": "export_************1111.csv", "************1111": [
            0.30000000000000004, ["x", 4111111111111111]], "n": None}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="0123456789４１" + SEPARATORS[:10] + "./_x", max_size=30),
                min_size=1, max_size=20),
       st.lists(st.tuples(cards, scripts, st.sampled_from(SEPARATORS)), max_size=3))
def test_the_whole_column_test_finds_every_cell_the_cell_masker_masks(
        cells: list[str], numbers: list[tuple[str, str, str]]) -> None:
    """The quick test run over a column in C (RE2) lets through every card."""
    from salesplanner.importing.convert import mask_table
    from salesplanner.importing.source_table import SourceTable

    values = cells + [f"ref {_grouped(_in_script(n, zero), [sep])}." for n, zero, sep in numbers]
    table = SourceTable.from_rows([[v, "x"] for v in values], list(range(2, 2 + len(values))),
                                  ["Notes", "Other"], file="t.csv", format="csv", header_line=1)
    kept = table.column("Notes").to_pylist()
    count = mask_table(table)
    expected = [mask_card_numbers(v) for v in kept]
    assert table.column("Notes").to_pylist() == [text for text, _n in expected]
    assert count == sum(n for _text, n in expected)


@pytest.mark.parametrize("written", [
    "4111  1111  1111  1111", "4111 - 1111 - 1111 - 1111", "4111\u20021111\u20031111\u20091111",
    "4111\u200b1111\u200b1111\u200b1111", "4111\u00ad1111\u00ad1111\u00ad1111",
    "4111\u20601111\u20601111\u20601111",
"4111\r\n1111\r\n1111\r\n1111", "4111\n1111\n1111\n1111",
    "4111\u20281111\u20281111\u20281111", "4111\u202f 1111\u202f 1111\u202f 1111",
])
def test_forms_a_hostile_probe_found_are_masked(written: str) -> None:
    masked, count = mask_card_numbers(f"card {written} paid")
    assert count == 1 and "1111" in masked and not any(
        group in masked.replace("************1111", "") for group in ("4111",)), masked
    assert may_hold_card(f"card {written} paid")
    from salesplanner.importing.convert import mask_table
    from salesplanner.importing.source_table import SourceTable

    table = SourceTable.from_rows([[f"card {written} paid"]], [2], ["Notes"], file="t.csv",
                                  format="csv", header_line=1)
    assert mask_table(table) == 1  # the column-wide test in C lets it through too
