"""One import, start to finish: read, map, convert, write, in one transaction.

:func:`prepare` reads a source and works out its kind and mapping (the
user's, else one remembered for files with the same headers, else matched
from the headers) without touching the plan; the import wizard shows it as
a preview. :func:`import_file` then converts and writes it: the whole
import is one write transaction, so an error, a refusal (``strict`` with
bad rows) or a cancel leaves the plan exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator
from typing import cast
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from salesplanner import audit, changes
from salesplanner.changes import OpResult
from salesplanner.errors import ChoiceNeeded, UserError
from salesplanner.card_numbers import mask_text, mask_values
from salesplanner.importing.convert import Converted, RowProblem, convert
from salesplanner.importing.fields import guess_kind, match_headers, normalise
from salesplanner.importing.kinds import KINDS
from salesplanner.importing.reading import read_source
from salesplanner.importing.rejects import REJECT_COLUMNS, write_rejects
from salesplanner.importing.source_table import SourceTable
from salesplanner.importing.write import WRITERS, WriteResult, _skill_key
from salesplanner.jobs import JobToken, SilentToken, check_cancel
from salesplanner.daily_figures import plan_currency
from salesplanner.storage import catalogue
from salesplanner.storage.disk import DiskFailed, DiskFull, disk_trouble, where_free
from salesplanner.storage.plan_file import DEFAULT_SKILLS, PlanFile, now

class ImportRefused(UserError):
    """Nothing was imported (``--strict`` with bad rows, or no good row at all).

    ``summary`` and ``converted`` say what was found, for the report and a
    rejects file.
    """

    def __init__(self, message: str, summary: ImportSummary, converted: Converted) -> None:
        super().__init__(message)
        self.summary = summary
        self.converted = converted


class KindUnknown(ChoiceNeeded):
    """The headers do not say what a file holds; ``table`` is the file as read, to show."""

    def __init__(self, path: Path, table: SourceTable) -> None:
        self.table = table
        super().__init__(f"{path}: cannot tell what this file holds from its headers "
                         f"({', '.join(repr(h) for h in table.headers[:8])})",
                         f"say --kind ({', '.join(KINDS)})", "choose what it holds")


class SourceDamaged(UserError):
    """A source file whose contents cannot be parsed (a cut-off or malformed workbook)."""


def _parse_failures() -> tuple[type[BaseException], ...]:
    """What the readers raise on a damaged file (as opposed to a bug of ours)."""
    kinds: list[type[BaseException]] = [zipfile.BadZipFile, zlib.error, ParseError, ExpatError,
                                        EOFError]
    try:
        import python_calamine

        kinds.append(python_calamine.CalamineError)
    except ImportError:  # pragma: no cover - a dependency
        pass
    return tuple(kinds)


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Read a source: a damaged file is a :class:`SourceDamaged`, not a traceback."""
    try:
        yield
    except _parse_failures() as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceDamaged(
            f"{path}: the file is damaged or cut short and cannot be read ({detail}); open it "
            "in the program that made it, save it again and import that copy; nothing was "
            "changed") from exc


@contextmanager
def _plain_failures(plan: PlanFile | None, path: Path) -> Iterator[None]:
    """Messages without card numbers, and a full or failing disk said plainly.

    A file name, a sheet or a header may hold a card number, and messages
    quote them. A full disk is no bug: the import's transaction rolled back;
    its journal is rolled back here too (the first read does it), so the
    plan's file is as it was before.
    """
    try:
        yield
    except UserError as exc:
        exc.args = tuple(mask_text(a) if isinstance(a, str) else a for a in exc.args)
        raise
    except (sqlite3.Error, OSError) as exc:
        trouble = disk_trouble(exc)
        if trouble is None or plan is None:
            raise
        _settle(plan)
        where = where_free(plan.path.parent)
        name = mask_text(path.name)
        if trouble == "full":
            raise DiskFull(
                f"{plan.source_path}: the disk is full, {name} could not be imported ({where}); "
                "free some space and import again; nothing was changed") from exc
        raise DiskFailed(
            f"{plan.source_path}: the disk failed while {name} was imported ({exc}); check the "
            "disk, copy the plan somewhere safe and import again; nothing was changed") from exc


def _settle(plan: PlanFile) -> None:
    """Roll back what a failed write left in the plan's journal (a read does it)."""
    try:
        with plan.connect() as conn:
            catalogue.settle(conn)
    except (sqlite3.Error, UserError):  # opening it again will
        pass


@dataclass
class ImportOptions:
    """What the user chose (everything optional: the importer works it out)."""

    kind: str | None = None
    sheet: str | int | None = None
    header_line: int | None = None
    #: ``{field: header}`` overriding the automatic mapping.
    mapping: dict[str, str] = field(default_factory=dict)
    #: ``dayfirst`` or ``monthfirst`` for ambiguous dates.
    date_order: str | None = None
    #: Import nothing if any row is bad.
    strict: bool = False
    #: Save the rejected rows to this CSV (written whether or not the import goes ahead).
    rejects: Path | None = None


@dataclass
class Prepared:
    """A source read and mapped, ready to preview or import."""

    table: SourceTable
    kind: str
    mapping: dict[str, str]
    #: For a skill matrix: the headers holding one skill each.
    wide_skills: list[str]
    #: Whether the mapping came from an earlier import of the same shape.
    remembered: bool = False


@dataclass
class ImportSummary:
    """What one import did."""

    batch_id: int | None
    file: str
    kind: str
    rows_read: int
    imported: int
    duplicates: int
    rejected: int
    masked: int
    updated: int = 0
    #: Sales that passed the checks with no agent (counted for the centre only).
    no_agent: int = 0
    created: dict[str, list[str]] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The mapping used, ``{field: header}``.
    mapping: dict[str, str] = field(default_factory=dict)
    #: Where the rejected rows were saved, if they were.
    rejects_file: str | None = None

    @property
    def counts_line(self) -> str:
        """The last line the command prints."""
        return (f"imported {self.imported}, duplicates {self.duplicates}, "
                f"rejected {self.rejected}, masked {self.masked}")

    def as_json(self) -> dict:
        """Plain values for ``--json`` and the import history."""
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems]
        return data


def _file_digest(path: Path) -> str:
    """SHA-256 of a file, read a block at a time."""
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def shape_of(headers: list[str], kind: str) -> str:
    """Files with the same headers (in any order, any case) share a shape."""
    names = sorted(normalise(h) for h in headers if h and h not in REJECT_COLUMNS)
    return hashlib.sha256(json.dumps([kind, names]).encode()).hexdigest()


def _plan_skills(plan: PlanFile | None) -> set[str]:
    if plan is None:
        return set()
    with plan.connect() as conn:
        return {_skill_key(t) for row in conn.execute("SELECT code, name FROM skill")
                for t in row}


def _remembered(plan: PlanFile | None, headers: list[str], kind: str) -> dict[str, str] | None:
    if plan is None:
        return None
    with plan.connect() as conn:
        row = conn.execute("SELECT mapping_json FROM import_mapping WHERE shape = ?",
                           (shape_of(headers, kind),)).fetchone()
    if row is None:
        return None
    by_name = {normalise(h): h for h in reversed(headers)}
    return {f: by_name[normalise(h)] for f, h in json.loads(row[0]).items()
            if normalise(h) in by_name}


def prepare(path: str | Path, options: ImportOptions | None = None,
            plan: PlanFile | None = None) -> Prepared:
    """Read ``path`` and decide its kind and mapping; nothing is written."""
    with _plain_failures(plan, Path(path)):
        return _prepare(Path(path), options or ImportOptions(), plan)


def _prepare(path: Path, options: ImportOptions, plan: PlanFile | None) -> Prepared:
    with _reading(path):
        table = read_source(path, options.sheet, options.header_line)
    kind = options.kind or guess_kind(table.headers)
    if options.kind is None and kind in (None, "agents"):
        kind = _guess_skill_matrix(table, plan) or kind
    if kind is None:
        raise KindUnknown(path, table)
    if kind not in KINDS:
        raise UserError(f"--kind {kind!r} is not a kind of import; use one of {', '.join(KINDS)}")
    remembered = _remembered(plan, table.headers, kind)
    mapping = dict(remembered) if remembered else match_headers(table.headers, kind)
    mapping.update(options.mapping)
    wide: list[str] = []
    if kind == "skills" and not ("skill" in mapping and "rating" in mapping):
        wide = _skill_columns(table, mapping, plan)
    return Prepared(table, kind, mapping, wide, remembered=bool(remembered))


def _skill_columns(table: SourceTable, mapping: dict[str, str], plan: PlanFile | None) -> list[str]:
    """Headers of a skill matrix: a plan skill's name, or a column of ratings 1-5."""
    known = _plan_skills(plan)
    used = set(mapping.values())
    found = []
    for header, column in zip(table.headers, table.columns):
        if not header or header in used:
            continue
        values = {v.strip() for v in column.slice(0, 500).to_pylist()} - {""}
        if _skill_key(header) in known or (values and values <= {"1", "2", "3", "4", "5"}):
            found.append(header)
    return found


def _guess_skill_matrix(table: SourceTable, plan: PlanFile | None) -> str | None:
    """"skills" when at least two headers name the plan's skills (a column of
    1-5 values alone could be anything: shifts, teams, grades)."""
    mapping = match_headers(table.headers, "skills")
    known = _plan_skills(plan) or {_skill_key(n) for pair in DEFAULT_SKILLS for n in pair}
    named = [h for h in _skill_columns(table, mapping, plan) if _skill_key(h) in known]
    if "agent" in mapping and len(named) >= 2:
        return "skills"
    return None


def convert_prepared(prepared: Prepared, options: ImportOptions,
                     currency_digits: int = 2) -> Converted:
    """Type the prepared table (raises AmbiguousDates if the user must choose)."""
    return convert(prepared.table, prepared.kind, prepared.mapping, options.date_order,
                   currency_digits, prepared.wide_skills)


def import_file(plan: PlanFile, path: str | Path, options: ImportOptions | None = None,
                token: JobToken | None = None, prepared: Prepared | None = None,
                who: str = "user") -> tuple[ImportSummary, OpResult]:
    """Import ``path`` into ``plan``; all of it or (on error or cancel) none of it.

    Card numbers are masked in everything the import writes or says: the
    rows (when the source is read), the file's name and path, the sheet,
    the mapping, the import history, the audit trail and every message.
    """
    path = Path(path)
    with _plain_failures(plan, path):
        return _import_file(plan, path, options or ImportOptions(), token or SilentToken(),
                            prepared, who)


def _import_file(plan: PlanFile, path: Path, options: ImportOptions, token: JobToken,
                 prepared: Prepared | None, who: str) -> tuple[ImportSummary, OpResult]:
    name, shown = mask_text(path.name), mask_text(str(path))
    token.progress(0.0, f"reading {name}")
    # A source read here is let go once typed: a million-row table is
    # several hundred megabytes the write does not need.
    prepared = prepared or prepare(path, options, plan)
    check_cancel(token)
    token.progress(0.2, "checking values")
    data = convert_prepared(prepared, options, plan_currency(plan).digits)
    problems = data.problem_list()
    rejected = data.rejected
    summary = ImportSummary(
        batch_id=None, file=shown, kind=prepared.kind, rows_read=prepared.table.num_rows,
        imported=0, duplicates=0, rejected=rejected, masked=data.masked, problems=problems,
        no_agent=data.no_agent,
        warnings=[mask_text(w) for w in [*prepared.table.warnings, *data.warnings]],
        mapping=cast(dict[str, str], mask_values(dict(prepared.mapping))))
    if options.rejects is not None and rejected:
        write_rejects(options.rejects, prepared.table, data)
        summary.rejects_file = str(options.rejects)
    kind, sheet = prepared.kind, prepared.table.sheet and mask_text(prepared.table.sheet)
    header_line, wide = prepared.table.header_line, mask_values(prepared.wide_skills)
    headers, mapping = list(prepared.table.headers), mask_values(dict(prepared.mapping))
    del prepared  # the caller's copy, if any, stays theirs
    if options.strict and rejected:
        raise ImportRefused(
            f"{shown}: {rejected} row(s) have problems and strict mode imports nothing "
            f"(first: row {problems[0].line}, column {problems[0].column!r}: "
            f"{problems[0].reason}); nothing was changed", summary, data)
    check_cancel(token)
    if not data.good.any():
        raise ImportRefused(
            f"{shown}: no row could be imported ({rejected} rejected; first: row "
            f"{problems[0].line}, column {problems[0].column!r}: {problems[0].reason}); "
            "nothing was changed" if problems else
            f"{shown}: the table has no rows to import; nothing was changed", summary, data)
    digest = _file_digest(path)
    result = WriteResult()
    # Foreign keys are checked by the writers themselves (see .facts): SQLite's
    # own check costs four index lookups on every one of a million rows.
    with plan.connect(write=True, foreign_keys=False) as conn:
        earlier = conn.execute(
            "SELECT imported_at FROM import_batch WHERE content_sha256 = ? AND status = "
            "'complete' ORDER BY id DESC LIMIT 1", (digest,)).fetchone()
        batch = conn.execute(
            "INSERT INTO import_batch (file_name, kind, sheet, content_sha256, imported_at,"
            " options_json, status) VALUES (?, ?, ?, ?, ?, ?, 'complete')",
            (name, kind, sheet, digest, now().isoformat(" "),
             json.dumps({"mapping": mapping, "wide_skills": wide,
                         "header_line": header_line,
                         "date_order": options.date_order, "strict": options.strict,
                         "path": shown}))).lastrowid
        WRITERS[kind](conn, data, batch, token, result)
        check_cancel(token)
        record = json.loads(conn.execute("SELECT options_json FROM import_batch WHERE id = ?",
                                         (batch,)).fetchone()[0])
        record.update(created_ids=result.created_ids, replaced=result.replaced)
        conn.execute(
            "UPDATE import_batch SET rows_read = ?, rows_imported = ?, rows_duplicate = ?,"
            " rows_rejected = ?, values_masked = ?, options_json = ? WHERE id = ?",
            (summary.rows_read, result.imported, result.duplicates, rejected,
             data.masked, json.dumps(mask_values(record)), batch))
        conn.execute(
            "INSERT INTO import_mapping (kind, shape, mapping_json, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (shape) DO UPDATE SET mapping_json = excluded.mapping_json,"
            " updated_at = excluded.updated_at",
            (kind, shape_of(headers, kind),
             json.dumps(mapping), now().isoformat(" ")))
        audit.record(conn, who, "import", "import_batch", batch, new={
            "file": name, "kind": kind, "imported": result.imported,
            "duplicates": result.duplicates, "rejected": rejected})
        check_cancel(token)
    if earlier:
        summary.warnings.append(f"this file was imported before, on {earlier[0]}")
    summary.batch_id = batch
    summary.imported, summary.duplicates = result.imported, result.duplicates
    summary.updated, summary.created = result.updated, result.created
    summary.warnings += [mask_text(w) for w in result.warnings]
    token.progress(1.0, "done")
    kinds = frozenset(KINDS[kind].changes | {changes.IMPORTS})
    return summary, OpResult(kinds, f"{name}: {summary.counts_line}",
                             {"batch_id": batch})
