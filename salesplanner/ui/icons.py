"""Toolbar and side-bar icons from resources/icons, tinted for the theme.

The SVGs are drawn in one ink colour; :func:`icon` swaps it for the
palette's text colour and renders each size Qt asks for, so icons are crisp
at any scaling and readable on light and dark backgrounds.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import cast

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

INK = "#2d3748"
#: Sizes rendered up front (each at the screen's pixel ratio); Qt scales
#: from the nearest for any other.
SIZES = (16, 22, 32)


@cache
def _svg(name: str) -> str:
    return (files("salesplanner.resources") / "icons" / f"{name}.svg").read_text(encoding="utf-8")


def _render(svg: str, size: int) -> QPixmap:
    app = cast(QGuiApplication | None, QGuiApplication.instance())
    ratio = max(1.0, app.devicePixelRatio()) if app else 1.0
    pixmap = QPixmap(QSize(int(size * ratio), int(size * ratio)))
    pixmap.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def icon(name: str, palette: QPalette | None = None) -> QIcon:
    """The icon ``name`` in the palette's text colour."""
    svg = _svg(name)
    if palette is not None and name != "app":
        svg = svg.replace(INK, palette.color(QPalette.ColorRole.WindowText).name())
    result = QIcon()
    for size in SIZES:
        result.addPixmap(_render(svg, size))
    return result
