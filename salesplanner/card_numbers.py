"""Card numbers (PCI DSS): never stored, never shown, never logged.

Any run of 13-19 decimal digits that passes the Luhn check is treated as a
payment card number and masked to its last four digits
(``************1111``) before anything is written: the plan file (rows,
import history, audit trail), a rejects file, a log line or a message.

What counts as a digit and a separator is wider than a keyboard's:

- digits are any Unicode decimal digits (full-width ``４１１１``, Arabic-Indic
  ...), read by their value;
- digit groups may be split by up to three spaces of any kind (space, tab,
  line ends, no-break, en, em, thin, narrow no-break, ideographic ...),
  invisible format characters (soft hyphen, zero-width space, word joiner),
  dashes (``-``, Unicode hyphens and dashes, the minus sign, full-width),
  in any mix (``4111 - 1111``, a line end inside a quoted field), or
  by one dot, slash or underscore (and their full-width forms).
- Not commas, colons or pipes: amounts (``1,234,567``), times
  (``12:30:15``) and numbers a program lists (``0.5589|62.18``) are written
  with them and are never masked; nor a card split across two
  cells (each cell is read on its own).

Dots, slashes and underscores also write dates, times, decimals, versions
and file-name stamps (``31.01.2027 12.30.15``, ``20270131_123015``), so a
number split by one of them is a card only in a card's shape: every group
but the last of 4-6 digits, the last of 1-6. Spaces and dashes keep the
older, looser reading (any groups). The digits after a number's decimal
point (``0.4415618415007559``, a float written out by a program) are not a
card on their own.
"""

from __future__ import annotations

import json
import re
import unicodedata

#: Space-like separators: every Unicode space (space, tab, line ends, no-break,
#: en/em/figure/thin/hair, narrow no-break, ideographic ...), the invisible
#: format characters a copy and paste can bring along (soft hyphen,
#: zero-width space and joiners, word joiner, byte-order mark).
SPACES = (" \t\n\r\v\f\u0085\u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200b))
          + "\u2028\u2029\u202f\u205f\u3000"
          + "\u00ad\u200b\u200c\u200d\u2060\ufeff")
#: Dashes: hyphen-minus, Unicode hyphens and dashes, minus sign, full-width hyphen-minus.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
#: Separators that also write dates, decimals and stamps (with full-width forms).
SHAPED = "./_\uff0e\uff0f\uff3f"
SEPARATORS = SPACES + DASHES + SHAPED
_DOTS = ".\uff0e"

_SEP_CLASS = "[" + re.escape(SEPARATORS) + "]"
_LOOSE_CLASS = "[" + re.escape(SPACES + DASHES) + "]"
_SHAPED_CLASS = "[" + re.escape(SHAPED) + "]"
#: Spaces and dashes between two groups, up to this many (``4111 - 1111``,
#: a line end inside a quoted field: ``\r\n``).
LOOSE_RUN = 3
#: A run of digit groups, not part of a longer digit run, separated by up to
#: three spaces or dashes or by one dot, slash or underscore. (Python's
#: ``\d`` is any Unicode decimal digit.)
_CANDIDATE = re.compile(
    rf"(?<!\d)\d+(?:(?:{_LOOSE_CLASS}{{1,{LOOSE_RUN}}}|{_SHAPED_CLASS})\d+)*(?!\d)")
_GROUP = re.compile(r"\d+")


def _quick_test(digit: str, strong: str, any_separator: str) -> str:
    # A card is 13 digits with at most a space or dash between neighbours,
    # or (split by a dot, slash or underscore) has two groups of 4+ digits
    # in a row (with 13 digits in groups of at most 6, the first two groups
    # are not the last). Dotted dates and times have neither.
    return (rf"{digit}(?:{strong}{{0,{LOOSE_RUN}}}{digit}){{12}}"
            rf"|{digit}{{4}}{any_separator}{digit}{{4}}")


def _re2_class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):04x}}}" for c in chars) + "]"


#: Text without a match holds no card number (a quick test before the real one).
_ENOUGH = re.compile(_quick_test(r"\d", "[" + re.escape(SPACES + DASHES) + "]", _SEP_CLASS))
#: The same test in RE2 syntax, for Arrow's compute functions over whole columns.
ENOUGH_RE2 = _quick_test(r"\p{Nd}", _re2_class(SPACES + DASHES), _re2_class(SEPARATORS))
#: Card lengths, most common first: a run holding several candidates (a card
#: number followed by its expiry date) is masked on the likeliest one.
_LENGTHS = (16, 15, 14, 19, 13, 18, 17)


def ascii_digits(digits: str) -> str:
    """Decimal digits of any script as ASCII digits (``４１`` -> ``41``)."""
    if digits.isascii():
        return digits
    return "".join(str(unicodedata.decimal(ch)) for ch in digits)


def luhn_valid(digits: str) -> bool:
    """Whether a string of decimal digits (any script) passes the Luhn (mod 10) check."""
    if not digits or not digits.isdecimal():
        return False
    total = 0
    for i, ch in enumerate(reversed(ascii_digits(digits))):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _shaped(sizes: list[int]) -> bool:
    """Whether groups of these sizes are a card written in groups (4-6 each, the last 1-6).

    Not 3-digit groups: ``4.111.111.111.111.111`` cannot be told from an
    amount written with thousands separators, and amounts are never masked.
    """
    return all(4 <= n <= 6 for n in sizes[:-1]) and 1 <= sizes[-1] <= 6


def _card_spans(run: str) -> list[tuple[int, int]]:
    """Character spans of ``run`` (digit groups with separators) that are card numbers.

    A run without separators is a card only whole (13-19 digits). A run of
    groups (``4111 1111 1111 1111 12 27``) is searched for whole groups
    that together hold 13-19 digits and pass the Luhn check; groups joined
    by a dot, slash or underscore count only in a card's shape.
    """
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(run)]
    if len(groups) == 1:
        digits = run
        return [(0, len(run))] if 13 <= len(digits) <= 19 and luhn_valid(digits) else []
    # shaped[k]: the separator after group k is a dot, slash or underscore.
    shaped = [run[groups[k][1]] in SHAPED for k in range(len(groups) - 1)]
    # fraction[k]: group k follows a digit and a dot: the decimals of a number
    # (``0.4415618415007559``, a float written out), not a card on its own.
    fraction = [k > 0 and run[groups[k][0] - 1] in _DOTS for k in range(len(groups))]
    sizes = [b - a for a, b in groups]
    spans = []
    i = 0
    while i < len(groups):
        found = None
        options = []
        for j in range(i, len(groups)):
            count = sum(sizes[i:j + 1])
            if count > 19:
                break
            if count < 13 or (i == j and fraction[i]):
                continue
            if not any(shaped[i:j]) or _shaped(sizes[i:j + 1]):
                digits = "".join(run[a:b] for a, b in groups[i:j + 1])
                options.append((_LENGTHS.index(count), j, digits))
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


def may_hold_card(text: str) -> bool:
    """Whether ``text`` might hold a card number (a quick test; false means it holds none)."""
    return len(text) >= 13 and _ENOUGH.search(text) is not None


def mask_card_numbers(text: str) -> tuple[str, int]:
    """``text`` with every card number masked, and how many were masked."""
    if not may_hold_card(text):
        return text, 0
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        run = match.group(0)
        spans = _card_spans(run)
        if not spans:
            return run
        out, last = [], 0
        for start, end in spans:
            digits = [ch for ch in run[start:end] if ch.isdecimal()]
            out.append(run[last:start] + "*" * (len(digits) - 4) + "".join(digits[-4:]))
            last = end
            count += 1
        return "".join(out) + run[last:]

    return _CANDIDATE.sub(replace, text), count


def mask_text(text: str) -> str:
    """``text`` with every card number masked (for names, paths and messages)."""
    return mask_card_numbers(text)[0]


def _mask_string(text: str) -> str:
    """A string masked; one holding JSON (a stored record's own JSON column)
    is masked inside, so that its numbers stay numbers and it stays JSON."""
    if not may_hold_card(text):
        return text
    if text.lstrip()[:1] in ("{", "["):
        try:
            inner = json.loads(text)
        except ValueError:
            pass
        else:
            masked = mask_values(inner)
            return text if masked == inner else json.dumps(masked)
    return mask_text(text)


def mask_values(value: object) -> object:
    """A JSON-like value with card numbers masked in every string in it.

    Dictionary keys are strings too; numbers are left alone (a float's
    digits are not a card written down, and masking them would break the
    JSON), also inside strings that hold JSON. Tuples come back as lists,
    as JSON has them.
    """
    if isinstance(value, str):
        return _mask_string(value)
    if isinstance(value, dict):
        return {mask_values(k) if isinstance(k, str) else k: mask_values(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_values(v) for v in value]
    return value
