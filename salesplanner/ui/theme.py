"""Light, dark or the system's colour scheme.

"System" follows the scheme the platform reports (plain X11, Xvfb and the
offscreen platform report ``Unknown``, taken as light). The chosen scheme is
applied as an explicit Fusion palette, so Dark always means dark.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

SCHEMES = ("system", "light", "dark")


def system_is_dark() -> bool:
    """Whether the platform reports a dark scheme."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    """A Fusion dark palette with readable contrast."""
    p = QPalette()
    window, base, text = QColor(37, 39, 43), QColor(28, 30, 33), QColor(230, 232, 235)
    disabled = QColor(128, 132, 138)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(43, 46, 51))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(50, 53, 58))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(48, 51, 56))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(255, 120, 120))
    p.setColor(QPalette.ColorRole.Highlight, QColor(56, 132, 244))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.Link, QColor(110, 168, 254))
    p.setColor(QPalette.ColorRole.PlaceholderText, disabled)
    p.setColor(QPalette.ColorRole.Mid, QColor(70, 74, 80))
    p.setColor(QPalette.ColorRole.Dark, QColor(20, 21, 23))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    """Fusion's standard light palette."""
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor(246, 247, 249))
    p.setColor(QPalette.ColorRole.Base, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(243, 245, 248))
    p.setColor(QPalette.ColorRole.Highlight, QColor(31, 111, 235))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.Button, QColor(240, 241, 244))
    return p


def apply_scheme(scheme: str) -> bool:
    """Apply ``system``, ``light`` or ``dark``; return whether the result is dark."""
    app = cast(QApplication, QApplication.instance())
    app.setStyle("Fusion")
    # The palette is set explicitly (Fusion draws with it everywhere), so the
    # choice holds even where the platform ignores a requested colour scheme.
    dark = system_is_dark() if scheme == "system" else scheme == "dark"
    app.setPalette(dark_palette() if dark else light_palette())
    return dark
