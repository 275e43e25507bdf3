"""Browsing: natural order, filters, paging by key."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import salesplanner.row_order as browse
from salesplanner.browse import TABLES, Query, count_rows, fetch_rows, ordered_ids
from salesplanner.row_order import natural_key, natural_ranks
from salesplanner.errors import UserError
from salesplanner.storage.plan_file import PlanFile


def test_natural_order_examples() -> None:
    values = ["AG10", "AG2", None, "AG1", "ag3", "B", "A10b2", "A10b10", "A9", "X-1-10", "X-1-2"]
    ranks = natural_ranks(values)
    ordered = [v for _, v in sorted(zip(ranks, values), key=lambda p: p[0]) if v is not None]
    assert ordered == ["A9", "A10b2", "A10b10", "AG1", "AG2", "ag3", "AG10", "B", "X-1-2", "X-1-10"]
    assert ranks[values.index(None)] == -1


codes = st.one_of(
    st.from_regex(r"[A-Za-z]{0,3}[0-9]{1,25}", fullmatch=True),
    st.from_regex(r"[A-Z]{1,3}[0-9]{1,6}-[0-9]{1,3}", fullmatch=True),
    st.text(alphabet="ab-_ 0129", max_size=8),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(codes, min_size=1, max_size=60))
def test_token_keys_order_agrees_with_natural_key(values: list[str]) -> None:
    import numpy as np

    keys = browse._token_keys(values)
    if keys is None:  # a digit run too long for an integer: the other path
        return
    order = np.lexsort(keys[::-1])
    by_tokens = [natural_key(values[i]) for i in order]
    assert by_tokens == sorted(by_tokens)


@pytest.fixture
def demo(demo_template: Path):
    plan = PlanFile.open(demo_template, read_only=True)
    with plan.connect() as conn:
        yield conn
    plan.close()


def _col(conn, spec, ids, key):
    index = [c.key for c in spec.columns].index(key) + 1
    return [row[index] for row in fetch_rows(conn, spec, ids)]


def test_every_table_counts_and_pages(demo) -> None:
    for spec in TABLES.values():
        ids = ordered_ids(demo, spec, Query())
        assert len(ids) == count_rows(demo, spec) > 0
        page = fetch_rows(demo, spec, ids[5:25])
        assert [r[0] for r in page] == list(ids[5:25])
        assert all(len(r) == len(spec.columns) + 1 for r in page)


def test_agent_codes_sort_naturally_both_ways(demo) -> None:
    spec = TABLES["agents"]
    up = _col(demo, spec, ordered_ids(demo, spec, Query(sort_key="code")), "code")
    assert up[:3] == ["AG1", "AG2", "AG3"] and up.index("AG9") < up.index("AG10")
    down = _col(demo, spec, ordered_ids(demo, spec, Query(sort_key="code", descending=True)), "code")
    assert down == up[::-1]


def test_numeric_text_and_date_sorts(demo) -> None:
    spec = TABLES["sales"]
    ids = ordered_ids(demo, spec, Query(sort_key="revenue", descending=True))
    revenue = _col(demo, spec, ids[:50], "revenue")
    assert revenue == sorted(revenue, reverse=True)
    names = _col(demo, spec, ordered_ids(demo, spec, Query(sort_key="agent_name"))[:300], "agent_name")
    assert names == sorted(names, key=str.casefold)
    ids = ordered_ids(demo, TABLES["agents"], Query(sort_key="leave_date"))
    leave = _col(demo, TABLES["agents"], ids, "leave_date")
    filled = [d for d in leave if d is not None]
    assert leave[:len(filled)] == sorted(filled)  # dates in order, empty ones last


def test_filters(demo) -> None:
    spec = TABLES["sales"]
    q = Query().with_filter("revenue", ">500").with_filter("category", "broadband")
    ids = ordered_ids(demo, spec, q)
    assert len(ids) == count_rows(demo, spec, q) > 0
    rows = fetch_rows(demo, spec, ids)
    assert all(r[10] > 50_000 and r[8] == "Broadband" for r in rows)
    ranged = Query().with_filter("ts", "2027-01-01..2027-01-31")
    days = _col(demo, spec, ordered_ids(demo, spec, ranged), "ts")
    assert days and all("2027-01-01" <= d[:10] <= "2027-01-31" for d in days)
    uk = Query().with_filter("ts", ">=01/02/2027")
    assert all(d >= "2027-02-01" for d in _col(demo, spec, ordered_ids(demo, spec, uk), "ts"))
    exact = Query().with_filter("agent", "=ag1")
    assert set(_col(demo, spec, ordered_ids(demo, spec, exact), "agent")) == {"AG1"}
    text = Query(text="full fibre")
    assert all("full fibre" in p.lower() for p in _col(demo, spec, ordered_ids(demo, spec, text), "product"))


def test_like_wildcards_are_literal(demo) -> None:
    spec = TABLES["agents"]
    assert count_rows(demo, spec, Query(text="%")) == 0
    assert count_rows(demo, spec, Query(text="_")) == 0


@pytest.mark.parametrize("column, text", [("revenue", ">lots"), ("ts", "yesterday"),
                                          ("revenue", "1..x")])
def test_bad_filters_name_the_column(demo, column: str, text: str) -> None:
    spec = TABLES["sales"]
    with pytest.raises(UserError, match=spec.column(column).header):
        ordered_ids(demo, spec, Query().with_filter(column, text))


def test_cancel_stops_the_fetch(demo) -> None:
    class Cancelled:
        def progress(self, *a): ...
        def cancelled(self): return True
    from salesplanner.jobs import JobCancelled
    with pytest.raises(JobCancelled):
        ordered_ids(demo, TABLES["calls"], Query(), Cancelled())


def test_long_code_columns_sort_naturally(demo) -> None:
    spec = TABLES["calls"]
    for key in ("call_ref", "customer"):
        ids = ordered_ids(demo, spec, Query(sort_key=key))
        assert len(ids) > browse._PYTHON_SORT_LIMIT  # the token path, not the small one
        values = _col(demo, spec, ids[:2000], key) + _col(demo, spec, ids[-2000:], key)
        head, tail = values[:2000], values[2000:]
        assert [natural_key(v) for v in head] == sorted(natural_key(v) for v in head)
        assert [natural_key(v) for v in tail] == sorted(natural_key(v) for v in tail)
        assert natural_key(head[-1]) <= natural_key(tail[0])
