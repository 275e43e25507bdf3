"""The command line: ``salesplanner [PLAN]`` and ``salesplanner COMMAND ...``.

With no command, or with a plan file, the window opens. Every batch-like
capability is a command that calls the same domain functions the window
does. A user's mistake prints one line on stderr (``salesplanner: ...``) and
exits non-zero; a traceback means a bug.

Exit codes: 0 success; 1 the command ran and found a problem (``check``
failed); 2 the command could not run (bad option, bad file); 130 cancelled.

One module per group of commands, each adding its commands' parsers
(``add_<command>``) and carrying them out (``run_<command>``):

- :mod:`~salesplanner.cli.plan`: ``new``, ``demo``, ``info``, ``check``, ``repair``
- :mod:`~salesplanner.cli.importing`: ``import``, ``imports``
- :mod:`~salesplanner.cli.analysis`: ``metrics``, ``trend``, ``peaks``, ``forecast``
- :mod:`~salesplanner.cli.targets`, :mod:`~salesplanner.cli.performance`,
  :mod:`~salesplanner.cli.reports`, :mod:`~salesplanner.cli.export`: one each

:mod:`~salesplanner.cli.program` builds the parser from them and runs one
command; :mod:`~salesplanner.cli.common` holds the parser class, exit codes
and option types. Inputs the window reads too (team target, growth, band,
guardrails, ramp, periods) are read by :mod:`salesplanner.inputs`.
"""

from salesplanner.cli.common import EXIT_CANCELLED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, PROG
from salesplanner.cli.program import build_parser, main

__all__ = ["EXIT_CANCELLED", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "PROG", "build_parser",
           "main"]
