"""Are the values in a plan's tables the kinds its columns declare?

SQLite stores any value in any column (a blob in a date, a megabyte in a
name), so a plan with the right schema can still hold values no part of the
program would write, and that readers downstream (pandas, Arrow, Qt) are not
built for: a text id where an integer belongs crashed a panel outright. The
schema check (:mod:`.expected_schema`) vouches for the columns; this module
vouches for what is in them:

- an ``INTEGER`` column holds integers, a ``FLOAT`` column numbers, a text,
  date or time column text, and a ``NOT NULL`` column no nulls;
- no text is longer than :data:`MAX_TEXT` characters anywhere (the longest
  text the program writes is a report definition; a 1 MB plan name hung the
  window and a 50 MB one crashed it), and ``salesplanner check`` also
  reports texts longer than their column's declared ``VARCHAR(n)``.

Opening checks the tables that stay small (:data:`CHECKED_ON_OPEN`: the
plan, people, products, measures, definitions) in a few milliseconds, and in
the big fact tables every column an index begins with (timestamps, days,
agents: the keys every analysis groups and joins on) through the index
itself (:func:`indexed_problems`: SQLite orders an index by storage class,
nulls, then numbers, then texts, then blobs, so one range probe per class
finds a stray value in microseconds, where a scan of a million-row table
took seconds). ``salesplanner check`` checks every value of every table.
Identifiers are quoted with :func:`quote`, always.
"""

from __future__ import annotations

import re
import sqlite3

#: The longest text any stored value may have, in characters.
MAX_TEXT = 100_000
#: Tables checked on every open: those whose size does not grow with the
#: imported activity. The fact tables (sales, calls, daily totals, audit ...)
#: are checked by ``salesplanner check``.
CHECKED_ON_OPEN = (
    "plan", "plan_setting", "team", "agent", "product", "skill", "skill_weight", "metric",
    "report_definition", "target_scenario", "campaign", "strategy_item", "plan_objective",
    "review_criterion", "procedure", "trial", "product_relation", "import_mapping",
)


def fact_tables(conn: sqlite3.Connection) -> list[str]:
    """The plan's tables other than :data:`CHECKED_ON_OPEN` (those that grow with imports)."""
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
        "ORDER BY name") if name not in CHECKED_ON_OPEN]


def quote(identifier: str) -> str:
    """An SQL identifier quoted for SQLite, whatever characters it holds."""
    return '"' + identifier.replace('"', '""') + '"'


def allowed_kinds(declared: str) -> tuple[str, ...]:
    """The SQLite storage classes a column declared ``declared`` may hold (nulls aside)."""
    kind = declared.upper()
    if kind.startswith(("INT", "BIGINT", "SMALLINT", "BOOLEAN")):
        return ("integer",)
    if kind.startswith(("FLOAT", "REAL", "NUMERIC", "DOUBLE")):
        return ("real", "integer")
    if kind.startswith("BLOB"):
        return ("blob",)
    return ("text",)


def _declared_length(declared: str) -> int | None:
    match = re.fullmatch(r"\s*VARCHAR\s*\(\s*(\d+)\s*\)\s*", declared, re.IGNORECASE)
    return int(match.group(1)) if match else None


def problems(conn: sqlite3.Connection, tables: tuple[str, ...] | list[str], *,
             declared_lengths: bool = False) -> list[str]:
    """What in ``tables`` is not of its column's kind, one line per column.

    One scan per table. ``declared_lengths`` also reports texts longer than
    the column's ``VARCHAR(n)`` (the full check; opening only refuses texts
    over :data:`MAX_TEXT`).
    """
    found = []
    for table in tables:
        columns = conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()
        if not columns:
            continue
        tests, labels = [], []
        for _cid, name, declared, notnull, _default, _pk in columns:
            col = quote(name)
            allowed = allowed_kinds(declared or "")
            kinds = ", ".join(f"'{k}'" for k in allowed + (() if notnull else ("null",)))
            tests.append(f"sum(typeof({col}) NOT IN ({kinds}))")
            labels.append((name, "a value that is not " + _kind_words(allowed, notnull)))
            tests.append(f"sum(typeof({col}) = 'text' AND length({col}) > {MAX_TEXT})")
            labels.append((name, f"a text longer than {MAX_TEXT:,} characters"))
            limit = _declared_length(declared or "")
            if declared_lengths and limit is not None:
                tests.append(f"sum(typeof({col}) = 'text' AND length({col}) > {limit})")
                labels.append((name, f"a text longer than its {limit} characters"))
        counts = conn.execute(f"SELECT {', '.join(tests)} FROM {quote(table)}").fetchone()
        for (name, what), count in zip(labels, counts):
            if count:
                rows = "row" if count == 1 else "rows"
                found.append(f"{table}.{name}: {count:,} {rows} with {what}")
    return found


def _kind_words(allowed: tuple[str, ...], notnull: bool) -> str:
    words = {"integer": "a whole number", "real": "a number", "text": "text", "blob": "data"}
    kind = words["real"] if "real" in allowed else words[allowed[0]]
    return kind if notnull else f"{kind} or empty"


def indexed_problems(conn: sqlite3.Connection, tables: tuple[str, ...] | list[str]) -> list[str]:
    """Stray kinds in the leading column of every index of ``tables``, by index probes.

    A text column holding a number is below ``''`` in its index and one
    holding data is at or above ``x''``; a numeric column holding text or
    data is at or above ``''``; a ``NOT NULL`` column holding null is caught
    with ``IS NULL``. Each probe is an index search, not a scan.
    """
    found = []
    for table in tables:
        columns = {r[1]: (r[2] or "", r[3]) for r in
                   conn.execute(f"PRAGMA table_info({quote(table)})")}
        leading = set()
        for index in conn.execute(f"PRAGMA index_list({quote(table)})").fetchall():
            first = conn.execute(f"PRAGMA index_info({quote(index[1])})").fetchone()
            if first and first[2] in columns:
                leading.add(first[2])
        for column in sorted(leading):
            declared, notnull = columns[column]
            col = quote(column)
            if allowed_kinds(declared) == ("text",):
                tests = [f"{col} < ''", f"{col} >= x''"]
                words = "text"
            elif "blob" in allowed_kinds(declared):
                continue
            else:
                tests = [f"{col} >= ''"]
                words = "a number"
            if notnull:
                tests.append(f"{col} IS NULL")
            for test in tests:
                if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)} "
                                f"WHERE {test})").fetchone()[0]:
                    found.append(f"{table}.{column}: a value that is not {words}")
                    break
    return found


#: The JSON columns of the tables checked on opening, and the deepest nesting
#: they may hold: the program writes at most four levels; a definition nested
#: 50,000 deep made Python's JSON reader raise in the middle of opening.
JSON_COLUMNS = (("import_mapping", "mapping_json"), ("plan_setting", "value_json"),
                ("report_definition", "metrics_json"), ("target_scenario", "parameters_json"))
MAX_JSON_DEPTH = 32


def json_depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest (quoted strings skipped)."""
    depth = deepest = 0
    quoted = escaped = False
    for ch in text:
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def json_problems(conn: sqlite3.Connection) -> list[str]:
    """JSON in the small tables nested deeper than :data:`MAX_JSON_DEPTH`."""
    found = []
    for table, column in JSON_COLUMNS:
        # Only texts with that many opening brackets can nest that deep.
        rows = conn.execute(
            f"SELECT {quote(column)} FROM {quote(table)} WHERE typeof({quote(column)}) = 'text' "
            f"AND length({quote(column)}) > {2 * MAX_JSON_DEPTH}").fetchall()
        deep = sum(1 for (text,) in rows if json_depth(text) > MAX_JSON_DEPTH)
        if deep:
            found.append(f"{table}.{column}: {deep:,} {'row' if deep == 1 else 'rows'} "
                         f"with JSON nested more than {MAX_JSON_DEPTH} deep")
    return found
