"""The fields each kind of import fills, and matching a file's headers to them.

The fields themselves are declared in each kind's record (:mod:`.kinds`).

Field names are the ones ``salesplanner import --map FIELD=HEADER`` takes.
Headers are matched after normalising case, spaces and punctuation, first
exactly, then against the synonyms real exports use ("Advisor", "Rep ID",
"Sale Value" ...). A field is matched to at most one header and a header to
at most one field. Only the fields an analysis truly needs are required.
"""

from __future__ import annotations

import re

from salesplanner.importing.kinds import KINDS as _KIND_RECORDS
from salesplanner.importing.kinds import Field, kind_record


#: Each kind's fields (derived from :data:`.kinds.KINDS`).
KINDS: dict[str, tuple[Field, ...]] = {name: k.fields for name, k in _KIND_RECORDS.items()}

#: For each kind, groups of fields of which at least one group must be mapped.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    name: k.required for name, k in _KIND_RECORDS.items()}


def normalise(header: str) -> str:
    """Lower case, punctuation and spacing folded: ``"Agent  ID:"`` -> ``agent id``."""
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def fields_of(kind: str) -> tuple[Field, ...]:
    """The fields of an import kind."""
    return kind_record(kind).fields


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
    return max(scores, key=scores.__getitem__) if scores else None
