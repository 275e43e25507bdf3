"""Light, dark or the system's colour scheme.

"System" follows the scheme the platform reports (plain X11, Xvfb and the
offscreen platform report ``Unknown``, taken as light). The chosen scheme is
applied as an explicit Fusion palette, so Dark always means dark.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

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


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (else the application's) is a dark one."""
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def indicator_border(palette: QPalette) -> QColor:
    """The edge of an unticked check box. Fusion draws it a shade darker than the
    window: invisible on a dark window, faint on a light one (under the 3:1 that
    WCAG asks of a control's edge). A mid grey shows on both."""
    return QColor(138, 144, 152) if is_dark(palette) else QColor(118, 124, 132)


def readable_text(background: QColor) -> QColor:
    """Black or white text, whichever stands out more on ``background`` (one of
    the two always reaches WCAG's 4.5:1; a softer black would not, mid-scale)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) \
            + 0.0722 * channel(c.blue())
    lum = luminance(background)
    dark, light = QColor("#000000"), QColor("#ffffff")
    on_dark = (lum + 0.05) / (luminance(dark) + 0.05)
    on_light = (luminance(light) + 0.05) / (lum + 0.05)
    return dark if on_dark >= on_light else light


#: Heat-map ends (Peaks), light to strong. On dark the low end sits near the
#: background and the strong end is a muted blue, so the grid does not glare.
HEAT_LIGHT = ((239, 246, 255), (8, 69, 148))
HEAT_DARK = ((40, 47, 58), (44, 98, 168))
#: Skill ratings 1-5, red to green: pale on light, deep and muted on dark.
SKILL_LIGHT = {1: "#f4c7c3", 2: "#f9dcb4", 3: "#fdf2c4", 4: "#d6ecc9", 5: "#b3dcb8"}
SKILL_DARK = {1: "#6a3431", 2: "#6b4f2c", 3: "#5b5630", 4: "#3b5a37", 5: "#2c6740"}
#: Text on those cells.
CELL_TEXT_LIGHT, CELL_TEXT_DARK = "#1a1a1a", "#e6e8eb"


def heat_colours() -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The heat map's low and high colours for the scheme in use."""
    return HEAT_DARK if is_dark() else HEAT_LIGHT


def skill_colours() -> dict[int, str]:
    """The skill ratings' colours for the scheme in use."""
    return SKILL_DARK if is_dark() else SKILL_LIGHT


def cell_text() -> str:
    """Text on a coloured cell, for the scheme in use."""
    return CELL_TEXT_DARK if is_dark() else CELL_TEXT_LIGHT


class SchemeStyle(QProxyStyle):
    """Fusion, with check boxes whose edge shows on either palette (Reports'
    measure list, the Export dialog, any list with check marks)."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(QPen(indicator_border(option.palette), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(option.rect).adjusted(0.5, 0.5, -1.5, -1.5))
            painter.restore()


def apply_scheme(scheme: str) -> bool:
    """Apply ``system``, ``light`` or ``dark``; return whether the result is dark."""
    app = cast(QApplication, QApplication.instance())
    if not isinstance(app.style(), SchemeStyle):
        app.setStyle(SchemeStyle("Fusion"))
    # The palette is set explicitly (Fusion draws with it everywhere), so the
    # choice holds even where the platform ignores a requested colour scheme.
    dark = system_is_dark() if scheme == "system" else scheme == "dark"
    app.setPalette(dark_palette() if dark else light_palette())
    return dark
