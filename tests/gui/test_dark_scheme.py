"""The dark scheme: unticked check boxes show, and the heat map's and skill
matrix's colours sit on a dark window without glare, their text readable."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QListWidget, QListWidgetItem, QStyle, QStyleOptionButton,
)

from salesplanner.ui import theme
from salesplanner.ui.panels.peaks import HeatMapModel


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, qapp) -> Iterator[str]:
    theme.apply_scheme(request.param)
    yield request.param
    theme.apply_scheme("light")


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) \
        + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def edge_contrast(image: QImage, rect, background: QColor) -> float:
    """The strongest contrast against ``background`` among the pixels of ``rect``."""
    return max(contrast(image.pixelColor(x, y), background)
               for x in range(rect.left(), rect.right() + 1)
               for y in range(rect.top(), rect.bottom() + 1))


def test_an_unticked_check_box_shows(scheme: str, qtbot) -> None:
    box = QCheckBox("The raw sales and call rows")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    option = QStyleOptionButton()
    option.initFrom(box)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    window = box.palette().color(QPalette.ColorRole.Window)
    assert edge_contrast(image, rect, window) >= 2.5, scheme


def test_an_unticked_item_in_a_list_shows(scheme: str, qtbot) -> None:
    view = QListWidget()
    qtbot.addWidget(view)
    item = QListWidgetItem("Calls handled", view)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    view.resize(240, 80)
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()
    row = view.visualItemRect(item)
    base = view.palette().color(QPalette.ColorRole.Base)
    # The indicator is at the row's left, a square the row's height.
    square = row.adjusted(0, 0, -(row.width() - row.height() - 4), 0)
    assert edge_contrast(image, square, base) >= 2.5, scheme


def test_the_indicator_edge_differs_from_the_window(scheme: str) -> None:
    palette = QApplication.palette()
    edge = theme.indicator_border(palette)
    assert contrast(edge, palette.color(QPalette.ColorRole.Base)) >= 2.5 or scheme == "light"
    assert theme.is_dark() == (scheme == "dark")


def test_heat_map_cells_do_not_glare_on_dark(scheme: str) -> None:
    model = HeatMapModel()
    values = np.full((7, 24), np.nan)
    values[:, 9:18] = np.linspace(1, 60, 7 * 9).reshape(7, 9)
    model.set_grid(values, list(range(9, 18)), "volume", {})
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    for row in range(7):
        for col in range(9):
            index = model.index(row, col)
            back = model.data(index, Qt.ItemDataRole.BackgroundRole).color()
            text = model.data(index, Qt.ItemDataRole.ForegroundRole).color()
            assert contrast(text, back) >= 4.5, (scheme, row, col, back.name(), text.name())
            if scheme == "dark":  # no cell much brighter than mid-grey on a dark window
                assert luminance(back) <= 0.25 and back.lightness() <= 150, back.name()
                assert contrast(back, window) < 6
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None


def test_skill_colours_do_not_glare_on_dark(scheme: str) -> None:
    colours = theme.skill_colours()
    text = QColor(theme.cell_text())
    assert sorted(colours) == [1, 2, 3, 4, 5]
    for rating, name in colours.items():
        back = QColor(name)
        assert contrast(text, back) >= 4.5, (scheme, rating)
        if scheme == "dark":
            assert back.lightness() <= 100, (rating, name)
