"""Turning a source table into typed records of one kind, and its bad rows.

:func:`convert` applies a mapping (field -> header) to a
:class:`~salesplanner.importing.source_table.SourceTable`: every mapped
column is typed by :mod:`.columns`, then the kind's row rules are checked
(a sale needs a date and a value or a quantity and price; a call a date;
handled calls cannot exceed offered ...). A row with any failure is
rejected whole, with the source row number, the column and the reason for
each failure; the other rows go on to be written.

Before anything else, every cell of every column is scanned for payment
card numbers, which are masked (:mod:`salesplanner.card_numbers`), so no later step,
message or rejects file ever sees one.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from salesplanner.errors import ChoiceNeeded, UserError
from salesplanner.importing import columns as col
from salesplanner.card_numbers import ENOUGH_RE2, mask_card_numbers
from salesplanner.importing.fields import fields_of, missing_required, normalise
from salesplanner.importing.kinds import KINDS, ImportKind
from salesplanner.importing.kinds import SALE_OUTCOMES, SALE_TYPES  # noqa: F401 (read from here too)
from salesplanner.importing.source_table import SourceTable

#: Limits of the text columns, as the plan file stores them.
TEXT_LIMITS = {"agent": 40, "agent_name": 120, "team": 120, "product": 60, "product_name": 200,
               "category": 80, "channel": 40, "segment": 80, "campaign": 120, "customer": 80,
               "notes": 4000, "sale_id": 80, "call_id": 80, "queue": 80, "name": 200,
               "sku": 60, "skill": 120, "competitor": 120, "activity": 4000, "impact": 120}


@dataclass
class RowProblem:
    """Why one source row was not imported."""

    #: Row number as the user sees it in the source (title lines counted).
    line: int
    column: str
    reason: str


@dataclass
class Converted:
    """The typed records of one import, good and bad rows told apart."""

    kind: str
    #: Field -> typed values for every source row (NumPy or Arrow arrays).
    values: dict[str, object]
    #: Which source rows are good.
    good: np.ndarray
    #: Source row index -> its problems.
    problems: dict[int, list[RowProblem]]
    line_numbers: np.ndarray
    #: For each record, the index of the source row it came from.
    source_rows: np.ndarray
    masked: int = 0
    warnings: list[str] = field(default_factory=list)
    #: Good sales with no agent: imported, counted for the centre but for no agent.
    no_agent: int = 0

    @property
    def rows(self) -> int:
        """Records read (for wide skill sheets, one per agent and skill)."""
        return len(self.good)

    @property
    def rejected(self) -> int:
        """Source rows with at least one problem."""
        return len(set(self.source_rows[~self.good].tolist()))

    def problem_list(self) -> list[RowProblem]:
        """Every problem, in source order."""
        return [p for index in sorted(self.problems) for p in self.problems[index]]


def mask_table(table: SourceTable) -> int:
    """Mask card numbers in every cell of ``table`` in place; return how many.

    A table is scanned once: later calls return the first count.
    """
    if table.masked is not None:
        return table.masked
    total = 0
    for i, column in enumerate(table.columns):
        if not len(column) or pc.max(pc.utf8_length(column)).as_py() < 13:
            continue
        # The quick test over the whole column in C; the real one on its hits.
        hits = pc.match_substring_regex(column, ENOUGH_RE2)
        if not pc.any(hits).as_py():
            continue
        rows = np.flatnonzero(hits.to_numpy(zero_copy_only=False))
        texts = pc.take(column, pa.array(rows)).to_pylist()
        masked, count = [], 0
        for text in texts:
            new, n = mask_card_numbers(text)
            masked.append(new)
            count += n
        if count:
            mask = np.zeros(len(column), dtype=bool)
            mask[rows] = True
            table.columns[i] = pc.replace_with_mask(column, pa.array(mask),
                                                    pa.array(masked, pa.string()))
            total += count
    # Headers too: a card number pasted into a header is still a card number.
    for i, header in enumerate(table.headers):
        new, n = mask_card_numbers(header)
        table.headers[i], total = new, total + n
    table.masked = total
    return total


def resolve_mapping(table: SourceTable, kind: str, mapping: dict[str, str]) -> dict[str, int]:
    """``{field: column index}``; refuse unknown fields and headers by name."""
    names = {f.name for f in fields_of(kind)}
    resolved: dict[str, int] = {}
    for field_name, header in mapping.items():
        if field_name not in names:
            raise UserError(f"{field_name!r} is not a field of {kind} imports; the fields are "
                            + ", ".join(sorted(names)))
        if header in table.headers:
            resolved[field_name] = table.headers.index(header)
            continue
        wanted = normalise(header)
        matches = [i for i, h in enumerate(table.headers) if normalise(h) == wanted]
        if not matches:
            raise UserError(f"there is no column {header!r} to map to {field_name}; the columns "
                            f"are {', '.join(repr(h) for h in table.headers)}")
        resolved[field_name] = matches[0]
    return resolved


def convert(table: SourceTable, kind: str, mapping: dict[str, str],
            date_order: str | None = None, currency_digits: int = 2,
            wide_skills: list[str] | None = None) -> Converted:
    """Type ``table``'s mapped columns as records of ``kind``.

    ``wide_skills`` lists headers holding one skill's ratings each (a skill
    matrix kept one column per skill); their rows become one record per
    agent and skill.
    """
    masked = mask_table(table)
    index = resolve_mapping(table, kind, mapping)
    record = KINDS[kind]
    source_rows = np.arange(table.num_rows, dtype=np.int64)
    lines = table.line_numbers
    cols = {name: table.columns[i] for name, i in index.items()}
    headers = {name: table.headers[i] for name, i in index.items()}
    if kind == "skills" and wide_skills:
        cols, headers, source_rows = _melt_skills(table, index, wide_skills)
        lines = table.line_numbers[source_rows]
    missing = missing_required({k: "" for k in cols}, kind)
    if missing:
        raise ChoiceNeeded(f"a {kind} import needs a column for " + " and ".join(missing),
                           "map it with --map FIELD=HEADER", "choose its column under Match "
                           "the columns")
    n = len(source_rows)
    problems: dict[int, list[RowProblem]] = {}
    values: dict[str, Any] = {}  # arrays of each field's type
    warnings: list[str] = []

    def fail(errors: dict[int, str], field_name: str, column_header: str | None = None) -> None:
        for i, reason in errors.items():
            header = column_header or headers.get(field_name) or field_name
            if header == _SKILL_COLUMN:  # a skill matrix: the skill's own column
                header = cols["skill"][i].as_py()
            found = problems.setdefault(i, [])
            if not any(p.column == header for p in found):  # one reason per cell
                found.append(RowProblem(int(lines[i]), header, reason))

    # One day/month order for the file, from its first date column.
    order = None
    for name, column in cols.items():
        if _TYPES[kind].get(name) in ("datetime", "date"):
            order = col.date_order(column, headers[name], date_order)
            break
    serials = table.date1904 if table.format != "csv" else None

    def type_column(name: str) -> tuple[object, dict[int, str], list[str]]:
        column, kind_of, notes = cols[name], _TYPES[kind].get(name, "text"), []
        if name == record.moment and record.split_day in cols:
            kind_of = "time"  # Date | Interval: the interval column holds the time of day
        if kind_of in ("datetime", "date"):
            out, errors = col.to_datetimes(column, order, serials)  # type: ignore[arg-type]  # set above
            if kind_of == "date":
                out = out.astype("datetime64[D]")
        elif kind_of == "money":
            out, errors = col.to_money(column)
            out = np.round(out * 10 ** currency_digits)
        elif kind_of in ("integer", "number"):
            out, errors = col.to_numbers(column, whole=kind_of == "integer")
        elif kind_of == "seconds":
            out, errors = col.to_seconds(column)
        elif kind_of == "time":
            out, errors = col.to_time_of_day(column)
        elif kind_of == "choice":
            choices, label, default = _CHOICES[(kind, name)]
            out, errors, unknown = col.to_choice(column, choices, label, default)
            notes = [f"{count:,} row(s) with {label} {word!r} in column {headers[name]!r} "
                     f"were read as {default!r}" for word, count in unknown.items()]
        else:
            out, errors = col.to_text(column, TEXT_LIMITS.get(name, 200))
        return out, errors, notes

    # Arrow's kernels release the interpreter lock: type columns side by side.
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        typed = dict(zip(cols, pool.map(type_column, cols)))
    for name, (out, errors, notes) in typed.items():
        values[name] = out
        fail(errors, name)
        warnings += notes
    _join_date_and_time(values, record)
    _row_rules(kind, values, n, fail, headers, warnings)
    _refuse_ragged_rows(table, lines, problems)
    good = np.ones(n, dtype=bool)
    if problems:
        good[list(problems)] = False
    no_agent = _no_agent(kind, values, good, headers.get("agent"), warnings)
    return Converted(kind=kind, values=values, good=good, problems=problems,
                     line_numbers=lines, source_rows=source_rows, masked=masked,
                     warnings=warnings, no_agent=no_agent)


def _no_agent(kind: str, values: dict[str, Any], good: np.ndarray, header: str | None,
              warnings: list[str]) -> int:
    """How many good sales have no agent, with a warning saying so (added to ``warnings``)."""
    if kind != "sales":
        return 0
    count = int((_missing(values, "agent", len(good)) & good).sum())
    if count:
        where = (f"an empty {header!r}" if header else
                 "no column matched to the agent code")
        warnings.append(
            f"{count:,} sale{' has' if count == 1 else 's have'} {where}: they are imported and "
            "count for the centre but for no agent or team (Performance and the Overview "
            "show how much)")
    return count


def _join_date_and_time(values: dict[str, Any], record: ImportKind) -> None:
    """One moment from a date and a time of day kept in two columns (``values`` in place).

    Date | Interval: the split-day column holds the date, the moment's own
    column the time of day; Date | Time: the time joins the date.
    """
    if record.split_day in values and record.moment in values:
        values["time"] = values.pop(record.moment)
        values[record.moment] = values.pop(record.split_day)
        values["date"] = values[record.moment]
    if "time" in values and "date" in values:  # Date | Time: the time joins the date
        seconds = values.pop("time")
        day = values["date"].astype("datetime64[D]").astype("datetime64[s]")
        known = ~np.isnan(seconds)
        values["date"] = np.where(known, day + np.nan_to_num(seconds).astype("timedelta64[s]"),
                                  values["date"])
        if record.moment != "date":
            values[record.moment] = values.pop("date")


def _refuse_ragged_rows(table: SourceTable, lines: np.ndarray,
                        problems: dict[int, list[RowProblem]]) -> None:
    """A problem for each row with more cells than headers (added to ``problems``)."""
    if table.ragged:  # more cells than headers: an unquoted separator shifted the row
        where = {int(line): count for line, count in table.ragged.items()}
        for i in np.flatnonzero(np.isin(lines, list(where))).tolist():
            problems.setdefault(i, []).append(RowProblem(
                int(lines[i]), "(whole row)",
                f"has {where[int(lines[i])]} cells but the header has {len(table.headers)}; "
                "a value probably holds an unquoted separator (quote it)"))


def field_type(kind: str, name: str) -> str:
    """How a field is typed: ``datetime``, ``date``, ``money`` (stored in minor
    units), ``integer``, ``number``, ``seconds``, ``choice`` or ``text``."""
    return _TYPES.get(kind, {}).get(name, "text")


def _missing(values: dict[str, Any], name: str, n: int) -> np.ndarray:
    """Rows where ``name`` has no value (all rows if it is not mapped)."""
    value = values.get(name)
    if value is None:
        return np.ones(n, dtype=bool)
    if isinstance(value, (pa.Array, pa.ChunkedArray)):
        return pc.is_null(value).to_numpy(zero_copy_only=False)
    if value.dtype.kind == "M":
        return np.isnat(value)
    if value.dtype.kind == "f":
        return np.isnan(value)
    return np.array([v is None for v in value], dtype=bool)


#: The rules' ``fail(errors by row, field)`` and ``need(field, why)``.
Fail = Callable[[dict[int, str], str], None]
Need = Callable[[str, str], None]


def _row_rules(kind: str, values: dict[str, object], n: int, fail: Fail, headers: dict[str, str],
               warnings: list[str]) -> None:
    """The kind's rules across fields (the function its record names): what each record
    must have."""
    def need(name: str, why: str) -> None:
        fail({int(i): why for i in np.flatnonzero(_missing(values, name, n))}, name)

    globals()[KINDS[kind].rules](values, n, fail, need)


def _sales_rules(values: dict, n: int, fail: Fail, need: Need) -> None:
    need("date", "no date")
    quantity = values.get("quantity")
    if quantity is not None:
        fail({int(i): "quantity cannot be 0" for i in np.flatnonzero(quantity == 0)},
             "quantity")
    no_revenue = _missing(values, "revenue", n)
    can_work_out = ~_missing(values, "unit_price", n)
    fail({int(i): "no value (and no quantity and unit price to work it out)"
          for i in np.flatnonzero(no_revenue & ~can_work_out)}, "revenue")


def _calls_rules(values: dict, n: int, fail: Fail, need: Need) -> None:
    need("date", "no date and time")
    duration = values.get("duration")
    if duration is not None:
        fail({int(i): "a handle time over 24 hours is not a call"
              for i in np.flatnonzero(duration > 86400)}, "duration")


def _intervals_rules(values: dict, n: int, fail: Fail, need: Need) -> None:
    for name in ("interval_start", "offered"):
        need(name, "is empty")
    offered, handled = values["offered"], values.get("handled")
    if handled is not None:  # optional: an empty cell is unknown, not 0
        with np.errstate(invalid="ignore"):
            over = np.flatnonzero(handled > offered)
        fail({int(i): f"{int(handled[i])} handled is more than {int(offered[i])} offered"
              for i in over}, "handled")
    for name in ("offered", "handled", "aht"):
        v = values.get(name)
        if v is not None:
            fail({int(i): "cannot be negative" for i in np.flatnonzero(v < 0)}, name)


def _agents_rules(values: dict, n: int, fail: Fail, need: Need) -> None:
    need("agent", "no agent code")
    hours = values.get("hours")
    if hours is not None:
        fail({int(i): f"{hours[i]:g} is not between 0 and 80 hours a week"
              for i in np.flatnonzero((hours < 0) | (hours > 80))}, "hours")


def _products_rules(values: dict, n: int, fail: Fail, need: Need) -> None:
    need("sku", "no product code")
    price = values.get("price")
    if price is not None:
        fail({int(i): "a price cannot be negative" for i in np.flatnonzero(price < 0)},
             "price")


def _skills_rules(values: dict, n: int, fail: Fail, need: Need) -> None:
    need("agent", "no agent code")
    need("skill", "no skill")
    need("rating", "no rating")
    rating = values["rating"]
    fail({int(i): f"{rating[i]:g} is not a rating from 1 to 5"
          for i in np.flatnonzero((rating < 1) | (rating > 5))}, "rating")


def _competitors_rules(values: dict, n: int, fail: Fail, need: Need) -> None:
    for name in ("date", "competitor", "activity"):
        need(name, "is empty")


def _melt_skills(table: SourceTable, index: dict[str, int], skill_headers: list[str],
                 ) -> tuple[dict[str, pa.Array], dict[str, str], np.ndarray]:
    """A skill matrix (one column per skill) as one record per agent and skill."""
    agent = table.columns[index["agent"]]
    parts_agent, parts_skill, parts_rating, rows = [], [], [], []
    for header in skill_headers:
        column = table.column(header)
        filled = pc.not_equal(col.stripped(column), "")
        keep = np.flatnonzero(filled.to_numpy(zero_copy_only=False))
        parts_agent.append(pc.take(agent, pa.array(keep)))
        parts_skill.append(pa.array([header] * len(keep), pa.string()))
        parts_rating.append(pc.take(column, pa.array(keep)))
        rows.append(keep)
    source_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols = {
        "agent": pa.concat_arrays(parts_agent) if parts_agent else pa.array([], pa.string()),
        "skill": pa.concat_arrays(parts_skill) if parts_skill else pa.array([], pa.string()),
        "rating": pa.concat_arrays(parts_rating) if parts_rating else pa.array([], pa.string()),
    }
    headers = {"agent": table.headers[index["agent"]], "skill": _SKILL_COLUMN,
               "rating": _SKILL_COLUMN}
    return cols, headers, source_rows.astype(np.int64)


_SKILL_COLUMN = "\x00skill column"
_WORKERS = min(4, os.cpu_count() or 1)
#: How each field is typed (from each kind's record); fields not listed are text.
_TYPES: dict[str, dict[str, str]] = {name: dict(k.types) for name, k in KINDS.items()}
_CHOICES = {(name, f): (c.values, c.label, c.default)
            for name, k in KINDS.items() for f, c in k.choices.items()}
