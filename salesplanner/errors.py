"""Errors the program expects and explains to the user.

Every error a person can cause or meet (a wrong file, a mistyped option) is a
:class:`UserError`: its message is one line saying what was wrong, where, and
what to do, and the interface shows it as it is. Any other exception is a bug
and is reported with its traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; ``str(error)`` is the whole message."""


class ChoiceNeeded(UserError):
    """A choice the program cannot make alone (what a file holds, its date order, a
    column): ``str()`` says how to make it on the command line, :attr:`for_window`
    how in the window, without command-line options."""

    def __init__(self, problem: str, command_line: str, window: str) -> None:
        super().__init__(f"{problem}; {command_line}")
        self.for_window = f"{problem}; {window}"


class PlanFileError(UserError):
    """A file cannot be opened as a plan. The file has not been changed."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class PlanNotFound(PlanFileError):
    """The path does not exist or is not a regular file."""


class NotSQLiteFile(PlanFileError):
    """The file is empty or not an SQLite database at all."""


class ForeignDatabase(PlanFileError):
    """An SQLite database, but written by another application."""


class CorruptPlan(PlanFileError):
    """A plan file that is truncated or damaged."""


class AlteredPlan(PlanFileError):
    """A plan holding what this program never writes: refused, but repairable.

    ``salesplanner repair`` (and the window's offer) copies its data into a
    clean plan (see :mod:`salesplanner.storage.repair`).
    """

    def __init__(self, path: object, what: str) -> None:
        super().__init__(
            path,
            f"the plan holds {what}. Another program may have altered it, so nothing in it "
            "was run and nothing was changed; 'salesplanner check' lists every difference and "
            "'salesplanner repair' copies its data into a clean plan",
        )


class ForeignSchema(AlteredPlan):
    """A plan whose schema is not one this program writes (planted or altered)."""

    def __init__(self, path: object, differences: str) -> None:
        super().__init__(path, f"things Sales Planner never writes: {differences}")


class ForeignValues(AlteredPlan):
    """A plan whose values are not of their columns' kinds, or absurdly long."""

    def __init__(self, path: object, problems: str) -> None:
        super().__init__(path, f"values Sales Planner never writes: {problems}")


class PlanTooSlow(PlanFileError):
    """Reading the plan took longer than the reader could wait; it was stopped."""

    def __init__(self, path: object, seconds: float, doing: str = "") -> None:
        super().__init__(
            path,
            f"{doing or 'reading the plan'} took longer than {seconds:g} s and was stopped; "
            "nothing was changed; run 'salesplanner check' on it, or try again on a less busy "
            "machine",
        )


class PlanTooNew(PlanFileError):
    """A plan written by a newer version of Sales Planner."""

    def __init__(self, path: object, file_version: int, supported: int) -> None:
        self.file_version = file_version
        self.supported = supported
        super().__init__(
            path,
            f"written with plan file format {file_version}, but this version of "
            f"Sales Planner reads format {supported} and older; install a newer "
            "Sales Planner to open it",
        )


class PlanExists(PlanFileError):
    """Refusing to overwrite an existing file."""


class MigrationFailed(PlanFileError):
    """Upgrading an older plan failed; the original is left as it was."""


class ReadOnlyPlan(UserError):
    """A change was attempted on a plan opened read-only."""
