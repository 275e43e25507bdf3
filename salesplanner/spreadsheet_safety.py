"""Keeping text from outside from running as a spreadsheet formula.

Following OWASP's CSV injection guidance: any text cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with a
single quote before it is written to a CSV, a clipboard copy or a workbook,
so a spreadsheet shows it as text and never evaluates it. Numbers are
written as numbers and are not touched.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` made safe to put in a spreadsheet cell."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def tsv_cell(value: object) -> str:
    """One cell of tab-separated text that pastes into Excel as a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value).replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return neutralise(text)
