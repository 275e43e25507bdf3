"""Type sizes of the interface: headings and figures scaled from the user's own font.

Sizes are multiples of the system font, never fixed points, so they follow
the desktop's font settings and scaling.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

#: Scales in use, largest first.
TITLE, HEADING, FIGURE, SUBHEADING, EMPHASIS = 2.0, 1.4, 1.8, 1.6, 1.15


W = TypeVar("W", bound=QWidget)


def emphasise(widget: W, scale: float, bold: bool = True) -> W:
    """Set ``widget``'s font to ``scale`` times its size (bold by default); return it."""
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    widget.setFont(font)
    return widget


def widest(widget: QWidget, texts: list[str], bold: Sequence[str] = ()) -> int:
    """The width in pixels of the widest of ``texts`` in ``widget``'s font (and of
    ``bold`` in its bold face): for sizing table columns from what they will show,
    without the view measuring every cell."""
    metrics = widget.fontMetrics()
    width = max([metrics.horizontalAdvance(t) for t in texts] or [0])
    if bold:
        font = widget.font()
        font.setBold(True)
        strong = QFontMetrics(font)
        width = max([width, *(strong.horizontalAdvance(t) for t in bold)])
    return width
