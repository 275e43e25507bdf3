"""Showing values the way the user's locale writes them.

Numbers, money and dates follow the system locale (a machine left on the
bare ``C`` locale is treated as British English, the product's home market);
money uses the plan's currency symbol. Values arrive raw from the domain:
money in minor units, dates as ISO text. A moment at midnight exactly is a
date without a time (a file that gave only the day), shown without "00:00".
Agents are named once: code and name, never the code twice.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime

from salesplanner.browse import BOOL, DATE, DATETIME, INT, MONEY, NUMBER, PERCENT
from salesplanner.currency import Currency, currency


def user_locale() -> QLocale:
    """The locale to format with."""
    locale = QLocale.system()
    if locale.language() == QLocale.Language.C:
        return QLocale("en_GB")
    return locale


#: The most characters a cell or label shows of one text; the rest is elided.
#: Qt lays out a whole string to paint even part of it: a 50 MB text froze
#: and then crashed the window.
SHOWN_CHARS = 1_000


def elide(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def name_without_code(code: str, name: str | None) -> str:
    """An agent's name without its code in front: systems that write the code
    into the name ("AG1 Daisy Ali", "AG1 - Daisy Ali") would show it twice
    beside a code column."""
    name = (name or "").strip()
    if code and name.casefold().startswith(code.casefold()):
        rest = name[len(code):]
        if not rest or not rest[0].isalnum():  # "AG1 Daisy", not "AG10 Daisy"
            return re.sub(r"^[\s\-\u2013\u2014:|/,.]+", "", rest)
    return name


def agent_label(code: str, name: str | None) -> str:
    """An agent as one cell: the code and the name once each ("AG1 Daisy Ali")."""
    name = name_without_code(code, name)
    return f"{code} {name}" if name and name != code else code


class Formatter:
    """Formats raw values of each column kind for display.

    A value that is not of its column's kind (a plan edited by another
    program) is shown as it is stored, never raised over.
    """

    def __init__(self, plan_currency: str = "GBP", locale: QLocale | None = None) -> None:
        self.locale = locale or user_locale()
        self.currency: Currency = currency(plan_currency)

    def text(self, value: object, kind: str) -> str:
        """Display text for ``value`` of column kind ``kind``."""
        if value is None:
            return ""
        try:
            return elide(self._text(value, kind))
        except (TypeError, ValueError, OverflowError):
            return elide(str(value))

    def _text(self, value: Any, kind: str) -> str:  # a cell of the plan: converted or refused
        loc = self.locale
        if kind == MONEY:
            major = self.currency.to_major(int(value))
            return loc.toCurrencyString(major, self.currency.symbol, self.currency.digits)
        if kind == INT:
            return loc.toString(int(value))
        if kind == NUMBER:
            number = float(value)
            return loc.toString(number, "f", 0 if number.is_integer() else 1)
        if kind == PERCENT:
            return loc.toString(float(value) * 100, "f", 1) + "%"
        if kind == BOOL:
            return "Yes" if value else "No"
        if kind == DATE:
            day = QDate.fromString(str(value)[:10], Qt.DateFormat.ISODate)
            return loc.toString(day, QLocale.FormatType.ShortFormat) if day.isValid() else str(value)
        if kind == DATETIME:
            moment = QDateTime.fromString(str(value)[:19].replace(" ", "T"), Qt.DateFormat.ISODate)
            if not moment.isValid():
                return str(value)
            day_text = loc.toString(moment.date(), QLocale.FormatType.ShortFormat)
            if moment.time() == QTime(0, 0):  # only the day is known
                return day_text
            return day_text + " " + loc.toString(moment.time(), "HH:mm")
        return str(value)

    def edit_text(self, value: object, kind: str) -> str:
        """The text an editor starts with (plain, re-typable)."""
        if value is None:
            return ""
        try:
            return self._edit_text(value, kind)
        except (TypeError, ValueError, OverflowError):
            return str(value)

    def _edit_text(self, value: Any, kind: str) -> str:
        if kind == MONEY:
            return f"{self.currency.to_major(int(value)):.{self.currency.digits}f}"
        if kind == PERCENT:
            return f"{float(value) * 100:g}%"
        if kind == DATE:
            day = QDate.fromString(str(value)[:10], Qt.DateFormat.ISODate)
            return day.toString("dd/MM/yyyy") if day.isValid() else str(value)
        if kind == BOOL:
            return "Yes" if value else "No"
        if kind == NUMBER:
            return f"{float(value):g}"
        return str(value)

    @staticmethod
    def alignment(kind: str) -> Qt.AlignmentFlag:
        """Numbers right-aligned, everything else left."""
        if kind in (MONEY, INT, NUMBER, PERCENT):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


#: Text colours for red, amber and green ratings (dark enough to read on white
#: and on the dark theme's base).
RAG_COLOURS = {"red": "#c0392b", "amber": "#b9770e", "green": "#1e8449"}
