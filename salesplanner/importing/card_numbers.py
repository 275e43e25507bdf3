"""Card numbers (PCI DSS): never stored, never shown, never logged.

Any run of 13-19 digits, optionally split by single spaces or dashes, that
passes the Luhn check is treated as a payment card number and masked to its
last four digits (``************1111``) before anything is written: the
plan file, a rejects file, a log line or a message.
"""

from __future__ import annotations

import re

#: A run of digit groups separated by single spaces or dashes, at least 13
#: digits long, not part of a longer digit run.
_CANDIDATE = re.compile(r"(?<![\d])\d+(?:[ -]\d+)*(?![\d])")
_GROUP = re.compile(r"\d+")
#: Card lengths, most common first: a run holding several candidates (a card
#: number followed by its expiry date) is masked on the likeliest one.
_LENGTHS = (16, 15, 14, 19, 13, 18, 17)


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


def _card_spans(run: str) -> list[tuple[int, int]]:
    """Character spans of ``run`` (digit groups with separators) that are card numbers.

    A run without separators is a card only whole (13-19 digits). A run of
    groups (``4111 1111 1111 1111 12 27``) is searched for whole groups
    that together hold 13-19 digits and pass the Luhn check.
    """
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(run)]
    if len(groups) == 1:
        digits = run
        return [(0, len(run))] if 13 <= len(digits) <= 19 and luhn_valid(digits) else []
    spans = []
    i = 0
    while i < len(groups):
        found = None
        options = []
        for j in range(i, len(groups)):
            digits = "".join(run[a:b] for a, b in groups[i:j + 1])
            if len(digits) > 19:
                break
            if len(digits) >= 13:
                options.append((_LENGTHS.index(len(digits)), j, digits))
        # The whole rest of the run first (a card written in odd groups), then
        # the likeliest lengths (a card followed by its expiry date).
        ranked = sorted(options)
        if options and options[-1][1] == len(groups) - 1:
            ranked.insert(0, options[-1])
        for _rank, j, digits in ranked:
            if luhn_valid(digits):
                found = j
                break
        if found is None:
            i += 1
            continue
        spans.append((groups[i][0], groups[found][1]))
        i = found + 1
    return spans


def mask_card_numbers(text: str) -> tuple[str, int]:
    """``text`` with every card number masked, and how many were masked."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        run = match.group(0)
        spans = _card_spans(run)
        if not spans:
            return run
        out, last = [], 0
        for start, end in spans:
            digits = re.sub(r"[ -]", "", run[start:end])
            out.append(run[last:start] + "*" * (len(digits) - 4) + digits[-4:])
            last = end
            count += 1
        return "".join(out) + run[last:]

    if sum(ch.isdigit() for ch in text) < 13:
        return text, 0
    return _CANDIDATE.sub(replace, text), count
