"""The fields each kind of import fills, and matching a file's headers to them.

Field names are the ones ``salesplanner import --map FIELD=HEADER`` takes.
Headers are matched after normalising case, spaces and punctuation, first
exactly, then against the synonyms real exports use ("Advisor", "Rep ID",
"Sale Value" ...). A field is matched to at most one header and a header to
at most one field. Only the fields an analysis truly needs are required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One importable field."""

    name: str
    label: str
    synonyms: tuple[str, ...] = ()


def _f(name: str, label: str, *synonyms: str) -> Field:
    return Field(name, label, synonyms)


_AGENT = _f("agent", "Agent code", "agent id", "agent code", "advisor", "adviser", "advisor id",
            "rep", "rep id", "sales rep", "user", "user id", "employee", "employee id",
            "operator", "login", "staff id", "agent number")
_AGENT_NAME = _f("agent_name", "Agent name", "agent name", "advisor name", "rep name",
                 "employee name", "user name", "full name")
_TEAM = _f("team", "Team", "team name", "group", "department")
_DATE = _f("date", "Date", "date time", "datetime", "timestamp", "sale date", "order date",
           "transaction date", "call start", "start time", "call date", "created", "time")
#: The time of day when an export keeps it in a column of its own (Date | Time).
_TIME = _f("time", "Time of day", "time", "call time", "sale time", "order time",
           "time of day", "start time", "hour")

KINDS: dict[str, tuple[Field, ...]] = {
    "sales": (
        _f("sale_id", "Sale reference", "sale id", "sale ref", "sale reference", "sale number",
           "order id", "order number", "order no", "order ref", "transaction id",
           "transaction ref", "reference", "ref", "line id", "receipt"),
        _DATE, _TIME, _AGENT, _AGENT_NAME,
        _TEAM,
        _f("product", "Product code", "sku", "product code", "product id", "item code", "item",
           "code"),
        _f("product_name", "Product name", "product name", "product", "description",
           "item name"),
        _f("category", "Category", "product category", "range", "product group"),
        _f("quantity", "Quantity", "qty", "units", "volume", "number of items"),
        _f("unit_price", "Unit price", "price", "unit cost", "list price"),
        _f("revenue", "Revenue", "sale value", "value", "amount", "net", "net value", "total",
           "sales", "turnover", "gross"),
        _f("channel", "Channel", "sales channel", "source", "medium"),
        _f("outcome", "Status", "status", "sale status", "order status", "result"),
        _f("sale_type", "Sale type", "sale type", "line type", "type of sale", "order type",
           "upsell cross sell", "sale kind"),
        _f("segment", "Customer segment", "segment", "customer type", "customer segment"),
        _f("campaign", "Campaign", "campaign name", "promotion", "offer"),
        _f("customer", "Customer", "customer id", "account", "account number", "customer ref"),
        _f("notes", "Notes", "comment", "comments", "note"),
    ),
    "calls": (
        _f("call_id", "Call id", "call id", "call ref", "interaction id", "contact id"),
        _DATE, _TIME, _AGENT,
        _f("direction", "Direction", "call direction", "type", "call type", "inbound outbound"),
        _f("duration", "Handle time", "duration", "handle time", "talk time", "aht",
           "call length", "seconds"),
        _f("outcome", "Outcome", "result", "disposition", "wrap code", "call outcome"),
        _f("queue", "Queue", "skill", "split", "line", "service"),
    ),
    "intervals": (
        _f("interval_start", "Interval start", "interval", "start", "period start", "time"),
        # Reports that give the day in one column and the interval (09:00-09:30) in another.
        _f("date", "Date", "day", "interval date", "report date"),
        _f("queue", "Queue", "skill", "split", "service", "team"),
        _f("offered", "Calls offered", "offered", "calls offered", "presented"),
        _f("handled", "Calls handled", "handled", "calls handled", "answered"),
        _f("aht", "Average handle time", "aht", "avg handle time", "average handle time"),
    ),
    "agents": (
        _AGENT,
        _f("name", "Name", "agent name", "full name", "employee name", "advisor name"),
        _TEAM,
        _f("start_date", "Start date", "start", "joined", "hire date", "start date"),
        _f("hours", "Weekly hours", "hours", "contracted hours", "weekly hours", "fte hours"),
    ),
    "products": (
        _f("sku", "SKU", "product code", "product id", "code", "item code"),
        _f("name", "Name", "product name", "description", "product"),
        _f("category", "Category", "product category", "range", "group"),
        _f("price", "Price", "unit price", "list price", "rrp"),
    ),
    "skills": (
        _AGENT,
        _f("skill", "Skill", "competency", "skill name"),
        _f("rating", "Rating", "score", "level", "grade"),
    ),
    "competitors": (
        _f("date", "Date", "day", "date seen", "when"),
        _f("competitor", "Competitor", "company", "rival", "brand"),
        _f("activity", "Activity", "what they did", "action", "description", "offer"),
        _f("impact", "Expected impact", "impact", "expected impact", "severity"),
    ),
}

#: For each kind, groups of fields of which at least one group must be mapped.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "sales": (("date", "revenue"), ("date", "quantity", "unit_price")),
    "calls": (("date",),),
    "intervals": (("interval_start", "offered", "handled"),),
    "agents": (("agent",),),
    "products": (("sku",),),
    "skills": (("agent", "skill", "rating"),),
    "competitors": (("date", "competitor", "activity"),),
}


def normalise(header: str) -> str:
    """Lower case, punctuation and spacing folded: ``"Agent  ID:"`` -> ``agent id``."""
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def fields_of(kind: str) -> tuple[Field, ...]:
    """The fields of an import kind."""
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}") from None


def match_headers(headers: list[str], kind: str) -> dict[str, str]:
    """``{field: header}`` for every header recognised for ``kind``."""
    fields = fields_of(kind)
    normal = {normalise(h): h for h in reversed(headers) if h.strip()}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for pass_ in ("name", "synonym"):
        for field in fields:
            if field.name in mapping:
                continue
            # The label first: "Product Code" is the product, "Product" its name.
            candidates = ([normalise(field.label), normalise(field.name)] if pass_ == "name"
                          else [normalise(s) for s in field.synonyms])
            for candidate in candidates:
                header = normal.get(candidate)
                if header is not None and header not in used:
                    mapping[field.name] = header
                    used.add(header)
                    break
    if "time" in mapping and "date" not in mapping:
        mapping["date"] = mapping.pop("time")  # one "Time" column holding whole timestamps
    return mapping


def missing_required(mapping: dict[str, str], kind: str) -> list[str]:
    """Fields still needed (empty when any required group is complete)."""
    groups = REQUIRED[kind]
    if any(all(f in mapping for f in group) for group in groups):
        return []
    best = min(groups, key=lambda g: sum(f not in mapping for f in g))
    return [f for f in best if f not in mapping]


def guess_kind(headers: list[str]) -> str | None:
    """The kind whose fields the headers match best (None if nothing fits)."""
    scores = {}
    for kind in KINDS:
        mapping = match_headers(headers, kind)
        if missing_required(mapping, kind):
            continue
        scores[kind] = len(mapping) + len(mapping) / len(KINDS[kind])  # most fields, then share
    return max(scores, key=scores.get) if scores else None
