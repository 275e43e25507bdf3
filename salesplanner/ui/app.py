"""Starting the window: the QApplication, its identity, theme and first plan."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import cast

from PySide6.QtWidgets import QApplication

from salesplanner import APP_NAME, __version__


def make_application(argv: list[str] | None = None) -> QApplication:
    """The single QApplication, with the names QSettings files live under."""
    # Workers share the interpreter lock with the interface thread; a shorter
    # switch interval (default 5 ms) hands it back to the interface sooner: every
    # Qt call from Python waits for it again (measured: 1 ms left 90-125 ms stalls
    # while a worker computed; 0.2 ms 57-85 ms; 0.1 ms no better, more overhead).
    sys.setswitchinterval(0.0002)
    app = (cast(QApplication | None, QApplication.instance())
           or QApplication(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("Sales Planner")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("salesplanner")
    return app


def run(plan: Path | None = None) -> int:
    """Show the main window (on ``plan`` if given) and run until it closes."""
    app = make_application()
    from salesplanner.ui import settings
    from salesplanner.ui.main_window import MainWindow
    from salesplanner.ui.theme import apply_scheme

    apply_scheme(settings.COLOUR_SCHEME.get())
    window = MainWindow()

    def excepthook(kind: type[BaseException], error: BaseException,
                   trace: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, trace))
        print(text, file=sys.stderr)
        window.report_bug(error, text)

    sys.excepthook = excepthook
    # A worker still running at exit can crash the interpreter: stop them first.
    app.aboutToQuit.connect(lambda: window.runner.wait(5000))
    window.show()
    if plan is not None:
        window.open_plan(plan)
    # Load what the first sort or chart will need while the user looks
    # around, so it is not loaded in the middle of their first click.
    window.runner.start("warm-up", lambda _token: warm_up())
    return app.exec()


#: Modules the first figures need that load lazily: loading one on the
#: interface thread (pyarrow.compute builds its functions for 60 ms, and Qt for
#: Python reads each new module's source) was a stall in the first click.
WARM_UP = ("salesplanner.row_order", "pyarrow.compute", "pandas.core.arrays.arrow.accessors",
           "salesplanner.targets.proposal", "salesplanner.analysis.performance",
           "salesplanner.analysis.coaching")


def warm_up() -> None:
    """Import :data:`WARM_UP` (in a worker, while the user looks around)."""
    import importlib

    for name in WARM_UP:
        importlib.import_module(name)
