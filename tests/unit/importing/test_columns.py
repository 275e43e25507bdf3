"""Whole-column typing: the fast path must agree with the exact parsers."""

from __future__ import annotations

import calendar
from datetime import datetime

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from salesplanner.importing.columns import to_datetimes, to_money
from salesplanner.importing.fields import match_headers

FORMATS = {"dayfirst": ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%Y-%m-%d",
                        "%Y%m%d", "%d.%m.%Y"),
           "monthfirst": ("%m/%d/%Y", "%m/%d/%Y %H:%M", "%Y-%m-%dT%H:%M:%S")}


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2150, 12, 31)),
       st.sampled_from([(order, fmt) for order, fmts in FORMATS.items() for fmt in fmts]))
def test_every_written_date_reads_back_exactly(moment: datetime, order_format) -> None:
    order, fmt = order_format
    text = moment.strftime(fmt)
    values, errors = to_datetimes(pa.array([text]), order)
    assert errors == {}
    expected = datetime.strptime(text, fmt)
    assert values[0] == np.datetime64(expected, "s")


@settings(max_examples=100, deadline=None)
@given(st.integers(1990, 2150), st.integers(1, 12), st.integers(29, 35),
       st.sampled_from(["%d/%m/%Y", "%Y-%m-%d %H:%M"]))
def test_impossible_days_are_refused_not_rolled_over(year: int, month: int, day: int,
                                                     fmt: str) -> None:
    if day <= calendar.monthrange(year, month)[1]:
        return
    text = fmt.replace("%d", f"{day:02d}").replace("%m", f"{month:02d}") \
        .replace("%Y", str(year)).replace("%H:%M", "10:00")
    values, errors = to_datetimes(pa.array([text]), "dayfirst")
    assert 0 in errors and np.isnat(values[0])


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**9, 10**9), st.sampled_from(["£{}", "{}", "GBP {}", "€ {}"]),
       st.booleans())
def test_money_fast_path_matches_amounts(pence: int, template: str, grouped: bool) -> None:
    amount = abs(pence) / 100
    body = f"{amount:,.2f}" if grouped else f"{amount:.2f}"
    text = template.format(body)
    text = f"-{text}" if pence < 0 else text
    values, errors = to_money(pa.array([text]))
    assert errors == {}
    assert round(values[0] * 100) == pence


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(
    st.integers(-10**8, 10**8).map(lambda p: f"{p / 100:.2f}"),
    st.integers(-10**6, 10**6).map(str),
    st.integers(0, 10**8).map(lambda p: f"£{p / 100:.2f}"),
    st.integers(0, 10**6).map(lambda p: f"£ {p}"),
    st.sampled_from(["", "  ", "1.234", "007", "+5", "1,234.50", "(12.00)", "12,50", "-£3",
                     "12.50 €", "GBP 7", "1e5", "nan", "inf", "abc", ".5", "5."])),
    min_size=1, max_size=12))
def test_whole_columns_read_as_cell_by_cell(cells: list[str]) -> None:
    """The plain-column fast path gives what each cell gives on its own."""
    values, errors = to_money(pa.array(cells))
    for i, cell in enumerate(cells):
        alone, alone_errors = to_money(pa.array([cell]), decimal=".")
        if "," in "".join(cells):  # the column's own decimal mark may decide
            continue
        assert (i in errors) == (0 in alone_errors), cell
        if i not in errors:
            assert (np.isnan(values[i]) and np.isnan(alone[0])) or values[i] == alone[0], cell


def test_headers_prefer_the_code_for_the_product_and_the_label_for_the_rest() -> None:
    mapping = match_headers(["Sale Ref", "Sale Date", "Rep", "Product Code", "Product",
                             "Net Value"], "sales")
    assert mapping == {"sale_id": "Sale Ref", "date": "Sale Date", "agent": "Rep",
                       "product": "Product Code", "product_name": "Product",
                       "revenue": "Net Value"}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="0123456789 -abc", min_size=0, max_size=30), min_size=1,
                max_size=20),
       st.lists(st.sampled_from(["4111 1111 1111 1111", "5500-0000-0000-0004",
                                 "4012888888881881", "1234567890123"]), max_size=3))
def test_table_masking_matches_the_cell_masker(cells: list[str], cards: list[str]) -> None:
    from salesplanner.card_numbers import mask_card_numbers
    from salesplanner.importing.convert import mask_table
    from salesplanner.importing.source_table import SourceTable

    values = cells + [f"paid {card} today" for card in cards]
    table = SourceTable.from_rows([[v, "x"] for v in values], list(range(2, 2 + len(values))),
                                  ["Notes", "Other"], file="t.csv", format="csv", header_line=1)
    expected = [mask_card_numbers(v) for v in values]
    # from_rows drops rows with nothing in them; compare the rows it kept.
    kept = table.column("Notes").to_pylist()
    count = mask_table(table)
    by_text = dict(zip(values, expected))
    assert table.column("Notes").to_pylist() == [by_text[v][0] for v in kept]
    assert count == sum(by_text[v][1] for v in kept)
    assert mask_table(table) == count  # scanned once


def test_choice_words_with_a_qualifier_take_their_head() -> None:
    import pyarrow as pa

    from salesplanner.importing.columns import to_choice
    from salesplanner.importing.convert import SALE_OUTCOMES, SALE_TYPES

    out, errors, _ = to_choice(pa.array(["Cancelled - cooling off", "Complete (paid)",
                                         "Pending: credit check", "Refund due", "Closed-Won"]),
                               SALE_OUTCOMES, "sale status")
    assert out.to_pylist()[:3] == ["cancelled", "completed", "pending"]
    assert out.to_pylist()[4] == "completed" and list(errors) == [3]
    kinds, _, unknown = to_choice(pa.array(["Upgrade", "Add-on", "New", "Mystery"]), SALE_TYPES,
                                  "sale type", "primary")
    assert kinds.to_pylist() == ["upsell", "crosssell", "primary", "primary"]
    assert unknown == {"Mystery": 1}
