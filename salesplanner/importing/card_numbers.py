"""Card numbers (PCI DSS): never stored, never shown, never logged.

Any run of 13-19 digits, optionally split by single spaces or dashes, that
passes the Luhn check is treated as a payment card number and masked to its
last four digits (``************1111``) before anything is written: the
plan file, a rejects file, a log line or a message.
"""

from __future__ import annotations

import re

#: 13-19 digits, each group separated by at most one space or dash, not part
#: of a longer digit run.
_CANDIDATE = re.compile(r"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])")


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn (mod 10) check."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_card_numbers(text: str) -> tuple[str, int]:
    """``text`` with every card number masked, and how many were masked."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        digits = re.sub(r"[ -]", "", match.group(0))
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            count += 1
            return "*" * (len(digits) - 4) + digits[-4:]
        return match.group(0)

    if not any(ch.isdigit() for ch in text):
        return text, 0
    return _CANDIDATE.sub(replace, text), count
