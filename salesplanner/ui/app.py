"""Starting the window: the QApplication, its identity and the first plan."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from salesplanner import APP_NAME, __version__


def make_application(argv: list[str] | None = None) -> QApplication:
    """The single QApplication, with the names QSettings files live under."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("Sales Planner")
    app.setApplicationVersion(__version__)
    return app  # type: ignore[return-value]


def run(plan: Path | None = None) -> int:
    """Show the main window (on ``plan`` if given) and run until it closes."""
    app = make_application()
    from salesplanner.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    if plan is not None:
        window.open_plan(plan)
    return app.exec()
