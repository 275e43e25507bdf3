"""The kinds of import, one record each: the only list of them.

A record says everything the program needs to know about a kind: the fields
a file may fill (with the synonyms real exports use), which groups of them
are required, how each field is typed, the choice lists, the name of its
row rules (a function in :mod:`.convert`) and of its writer (a function in
:mod:`.write`), the tables it owns and the master tables it may add to, the
kinds of change (:mod:`salesplanner.changes`) it causes, and its labels.
Everything else (header matching, conversion, the writers' dispatch, undo,
the command line's ``--kind``, the import wizard, the Imports panel) reads
these records. This module imports nothing else from the package, so every
stage can read it.

Adding a kind: a record in :data:`KINDS`, its rules and writer functions, and
its table (with the migration step that also allows the kind in
``import_batch.kind``); see the developer section of the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from salesplanner import changes


@dataclass(frozen=True)
class Field:
    """One importable field."""

    name: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    """A field whose values come from a fixed list, with the words exports use for them."""

    #: ``{stored value: (synonyms ...)}``.
    values: Mapping[str, tuple[str, ...]]
    #: How the field is named in messages ("sale status").
    label: str
    #: What an unknown word is read as (None: an unknown word is an error).
    default: str | None


@dataclass(frozen=True, eq=False)
class ImportKind:
    """Everything about one kind of import."""

    #: The kind's name, as ``--kind`` takes it and ``import_batch.kind`` stores it.
    name: str
    #: How the import wizard offers it ("Sales transactions").
    label: str
    #: How the Imports panel's history names it ("Sales").
    short_label: str
    fields: tuple[Field, ...]
    #: Groups of fields of which at least one group must be mapped.
    required: tuple[tuple[str, ...], ...]
    #: How each field is typed (see :func:`.convert.field_type`); fields not listed are text.
    types: Mapping[str, str]
    #: The name of the function in :mod:`.convert` that checks a record across its fields.
    rules: str
    #: The name of the function in :mod:`.write` that puts its records into the plan.
    writer: str
    #: The tables whose rows the import owns (removed with it).
    tables: tuple[str, ...]
    #: Master tables it may add rows to (or update) on the way.
    creates: tuple[str, ...] = ()
    #: The kinds of change an import of this kind causes (besides ``imports``).
    changes: frozenset[str] = frozenset()
    choices: Mapping[str, Choice] = field(default_factory=dict)
    #: The field that says when a record happened.
    moment: str = "date"
    #: A field that, mapped alongside :attr:`moment`, holds the day while ``moment``
    #: holds the time of day (reports with a Date column and an Interval column).
    split_day: str | None = None


#: Which kind of change a write to each table is; :data:`ImportKind.changes`
#: must be exactly the changes of its ``tables`` and ``creates`` (a test checks).
TABLE_CHANGES: Mapping[str, str] = MappingProxyType({
    "sale": changes.SALES, "competitor_activity": changes.SALES,
    "call": changes.CALLS, "interval_stat": changes.CALLS,
    "agent": changes.AGENTS, "team": changes.TEAMS, "product": changes.PRODUCTS,
    "skill": changes.SKILLS, "skill_rating": changes.SKILLS,
})

SALE_OUTCOMES = {
    "completed": ("complete", "sold", "sale", "won", "closed", "closed won", "confirmed",
                  "active", "live", "ok", "paid", "booked", "yes", "done", "success"),
    "cancelled": ("canceled", "cancel", "void", "voided", "refunded", "refund", "returned",
                  "rejected", "lost", "closed lost", "cooling off", "withdrawn"),
    "pending": ("open", "in progress", "processing", "awaiting", "provisional", "pending approval"),
}
#: Whether a line was the customer's main purchase, an up-sell (a higher tier
#: of it) or a cross-sell (something related), as CRMs word it.
SALE_TYPES = {
    "primary": ("new", "new sale", "standard", "main", "core", "primary sale", "acquisition",
                "base", "original", "sale"),
    "upsell": ("up-sell", "up sell", "upgrade", "upsold", "up sold", "tier up"),
    "crosssell": ("cross-sell", "cross sell", "add-on", "addon", "add on", "bolt-on", "bolt on",
                  "cross sold", "extra"),
}
DIRECTIONS = {
    "inbound": ("in", "ib", "incoming", "inb", "i", "inbound call", "received"),
    "outbound": ("out", "ob", "outgoing", "o", "dialler", "dialer", "outbound call", "made",
                 "predictive", "preview"),
}
CALL_OUTCOMES = {
    "sale": ("sold", "sale made", "order", "order placed", "yes", "converted", "success"),
    "no_sale": ("no sale", "nosale", "not interested", "declined", "no", "none", "lost",
                "refused", "no thanks"),
    "callback_requested": ("callback", "call back", "callback requested", "cb", "call back later",
                           "rebook", "callback booked"),
    "info_requested": ("info", "information", "information requested", "info requested",
                       "send info", "brochure", "email info", "quote"),
}


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

_RECORDS = (
    ImportKind(
        name="sales", label="Sales transactions", short_label="Sales",
        fields=(
            _f("sale_id", "Sale reference", "sale id", "sale ref", "sale reference",
               "sale number", "order id", "order number", "order no", "order ref",
               "transaction id", "transaction ref", "reference", "ref", "line id", "receipt"),
            _DATE, _TIME, _AGENT, _AGENT_NAME,
            _TEAM,
            _f("product", "Product code", "sku", "product code", "product id", "item code",
               "item", "code"),
            _f("product_name", "Product name", "product name", "product", "description",
               "item name"),
            _f("category", "Category", "product category", "range", "product group"),
            _f("quantity", "Quantity", "qty", "units", "volume", "number of items"),
            _f("unit_price", "Unit price", "price", "unit cost", "list price"),
            _f("revenue", "Revenue", "sale value", "value", "amount", "net", "net value",
               "total", "sales", "turnover", "gross"),
            _f("channel", "Channel", "sales channel", "source", "medium"),
            _f("outcome", "Status", "status", "sale status", "order status", "result"),
            _f("sale_type", "Sale type", "sale type", "line type", "type of sale", "order type",
               "upsell cross sell", "sale kind"),
            _f("segment", "Customer segment", "segment", "customer type", "customer segment"),
            _f("campaign", "Campaign", "campaign name", "promotion", "offer"),
            _f("customer", "Customer", "customer id", "account", "account number",
               "customer ref"),
            _f("notes", "Notes", "comment", "comments", "note"),
        ),
        required=(("date", "revenue"), ("date", "quantity", "unit_price")),
        types={"date": "datetime", "time": "time", "quantity": "integer", "unit_price": "money",
               "revenue": "money", "outcome": "choice", "sale_type": "choice"},
        choices={"outcome": Choice(SALE_OUTCOMES, "sale status", None),
                 "sale_type": Choice(SALE_TYPES, "sale type", "primary")},
        rules="_sales_rules", writer="write_sales",
        tables=("sale",), creates=("agent", "team", "product"),
        changes=frozenset({changes.SALES, changes.AGENTS, changes.PRODUCTS, changes.TEAMS}),
    ),
    ImportKind(
        name="calls", label="Calls (one row per call)", short_label="Calls",
        fields=(
            _f("call_id", "Call id", "call id", "call ref", "interaction id", "contact id"),
            _DATE, _TIME, _AGENT,
            _f("direction", "Direction", "call direction", "type", "call type",
               "inbound outbound"),
            _f("duration", "Handle time", "duration", "handle time", "talk time", "aht",
               "call length", "seconds"),
            _f("outcome", "Outcome", "result", "disposition", "wrap code", "call outcome"),
            _f("queue", "Queue", "skill", "split", "line", "service"),
        ),
        required=(("date",),),
        types={"date": "datetime", "time": "time", "direction": "choice", "duration": "seconds",
               "outcome": "choice"},
        choices={"direction": Choice(DIRECTIONS, "call direction", None),
                 "outcome": Choice(CALL_OUTCOMES, "call outcome", "no_sale")},
        rules="_calls_rules", writer="write_calls",
        # A call's agent is created without a team.
        tables=("call",), creates=("agent",),
        changes=frozenset({changes.CALLS, changes.AGENTS}),
    ),
    ImportKind(
        name="intervals", label="Queue interval statistics", short_label="Queue intervals",
        fields=(
            _f("interval_start", "Interval start", "interval", "start", "period start", "time"),
            # Reports that give the day in one column and the interval (09:00-09:30) in another.
            _f("date", "Date", "day", "interval date", "report date"),
            _f("queue", "Queue", "skill", "split", "service", "team"),
            _f("offered", "Calls offered", "offered", "calls offered", "presented"),
            _f("handled", "Calls handled", "handled", "calls handled", "answered"),
            _f("aht", "Average handle time", "aht", "avg handle time", "average handle time"),
        ),
        # An arrivals feed gives only a timestamp and offered calls: handled
        # calls and handle time are optional, stored as unknown (NULL) when absent.
        required=(("interval_start", "offered"),),
        types={"interval_start": "datetime", "date": "date", "offered": "integer",
               "handled": "integer", "aht": "seconds"},
        rules="_intervals_rules", writer="write_intervals",
        moment="interval_start", split_day="date",
        # The writer only reads the teams (to link a queue to one): it creates nothing.
        tables=("interval_stat",),
        changes=frozenset({changes.CALLS}),
    ),
    ImportKind(
        name="agents", label="Agents and teams", short_label="Agents",
        fields=(
            _AGENT,
            _f("name", "Name", "agent name", "full name", "employee name", "advisor name"),
            _TEAM,
            _f("start_date", "Start date", "start", "joined", "hire date", "start date"),
            _f("hours", "Weekly hours", "hours", "contracted hours", "weekly hours",
               "fte hours"),
        ),
        required=(("agent",),),
        types={"start_date": "date", "hours": "number"},
        rules="_agents_rules", writer="write_agents",
        tables=(), creates=("agent", "team"),
        changes=frozenset({changes.AGENTS, changes.TEAMS}),
    ),
    ImportKind(
        name="products", label="Products", short_label="Products",
        fields=(
            _f("sku", "SKU", "product code", "product id", "code", "item code"),
            _f("name", "Name", "product name", "description", "product"),
            _f("category", "Category", "product category", "range", "group"),
            _f("price", "Price", "unit price", "list price", "rrp"),
        ),
        required=(("sku",),),
        types={"price": "money"},
        rules="_products_rules", writer="write_products",
        tables=(), creates=("product",),
        changes=frozenset({changes.PRODUCTS}),
    ),
    ImportKind(
        name="skills", label="Skill ratings", short_label="Skill ratings",
        fields=(
            _AGENT,
            _f("skill", "Skill", "competency", "skill name"),
            _f("rating", "Rating", "score", "level", "grade"),
        ),
        required=(("agent", "skill", "rating"),),
        types={"rating": "integer"},
        rules="_skills_rules", writer="write_skills",
        # A rated agent is created without a team.
        tables=("skill_rating",), creates=("skill", "agent"),
        changes=frozenset({changes.SKILLS, changes.AGENTS}),
    ),
    ImportKind(
        name="competitors", label="Competitor activity", short_label="Competitor activity",
        fields=(
            _f("date", "Date", "day", "date seen", "when"),
            _f("competitor", "Competitor", "company", "rival", "brand"),
            _f("activity", "Activity", "what they did", "action", "description", "offer"),
            _f("impact", "Expected impact", "impact", "expected impact", "severity"),
        ),
        required=(("date", "competitor", "activity"),),
        types={"date": "date"},
        rules="_competitors_rules", writer="write_competitors",
        # Competitors' moves are shown with the sales they may explain.
        tables=("competitor_activity",),
        changes=frozenset({changes.SALES}),
    ),
)

#: Every kind of import by name, in the order the wizard offers them.
KINDS: Mapping[str, ImportKind] = MappingProxyType({k.name: k for k in _RECORDS})

#: Batches in ``import_batch`` that no file import makes, with their labels.
OTHER_SOURCES: Mapping[str, str] = MappingProxyType({"demo": "Demo data"})


def kind_record(name: str) -> ImportKind:
    """The record of kind ``name`` (:class:`ValueError` naming the kinds if unknown)."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown kind {name!r}; kinds are {', '.join(KINDS)}") from None

