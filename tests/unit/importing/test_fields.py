"""Matching a file's headers to import fields."""

from __future__ import annotations

import pytest

from salesplanner.importing.fields import (
    KINDS, REQUIRED, guess_kind, match_headers, missing_required, normalise,
)


def test_every_required_field_exists() -> None:
    for kind, groups in REQUIRED.items():
        names = {f.name for f in KINDS[kind]}
        assert all(f in names for group in groups for f in group), kind


def test_names_and_synonyms_match() -> None:
    headers = ["Order ID", "Sale Date", "Advisor", "Advisor Name", "SKU", "Qty", "Sale Value",
               "Campaign", "Unrelated column"]
    mapping = match_headers(headers, "sales")
    assert mapping == {"sale_id": "Order ID", "date": "Sale Date", "agent": "Advisor",
                       "agent_name": "Advisor Name", "product": "SKU", "quantity": "Qty",
                       "revenue": "Sale Value", "campaign": "Campaign"}
    assert missing_required(mapping, "sales") == []


@pytest.mark.parametrize("header", ["Agent", "Advisor", "Rep ID", "Agent ID", "User", "agent_id",
                                    " AGENT  CODE "])
def test_agent_synonyms(header: str) -> None:
    assert match_headers(["Date", header, "Amount"], "sales")["agent"] == header


def test_a_header_is_used_once_and_exact_names_win() -> None:
    mapping = match_headers(["Name", "Agent", "Agent Name"], "agents")
    assert mapping["name"] == "Name" and mapping["agent"] == "Agent"


def test_missing_required_fields_are_named() -> None:
    assert missing_required(match_headers(["Agent", "Product"], "sales"), "sales") == \
        ["date", "revenue"]
    assert missing_required(match_headers(["Date", "Qty", "Price"], "sales"), "sales") == []


@pytest.mark.parametrize("headers, kind", [
    (["Call ID", "Call Start", "Agent", "Direction", "Duration", "Disposition"], "calls"),
    (["Interval", "Queue", "Offered", "Handled", "AHT"], "intervals"),
    (["Agent", "Skill", "Rating"], "skills"),
    (["Date", "Competitor", "Activity", "Impact"], "competitors"),
    (["Order ID", "Date", "Advisor", "Revenue"], "sales"),
    (["Colour", "Shape"], None),
])
def test_kind_is_guessed_from_headers(headers: list[str], kind: str | None) -> None:
    assert guess_kind(headers) == kind


def test_normalise() -> None:
    assert normalise("  Agent__ID: ") == "agent id"
