"""Metric formulas: a small expression language, parsed, checked and evaluated safely.

A formula combines base aggregates (``revenue``, ``calls``, ``orders`` ...)
and other metrics with numbers, ``+ - * /``, parentheses and a few
functions::

    revenue / orders
    (upsell_lines + crosssell_lines) / orders
    max(0, revenue - 50000)

The grammar (recursive descent, no ``eval``, nothing ever run as code)::

    expression := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := ("+" | "-") factor | atom
    atom       := NUMBER | NAME | NAME "(" [expression ("," expression)*] ")"
                | "(" expression ")"

Every formula is checked before it is stored: unknown names, wrong
argument counts and sums of unlike units (money + calls) are refused with a
message saying where. Evaluation works on whole NumPy arrays (one value per
group: agent, day, week ...) and never raises on data: a division by zero
gives "no value" (NaN), not an error.

Units are tracked as powers of four base units (money, count, seconds,
hours): ``revenue / orders`` is money per count, shown as money;
``orders / calls`` has no unit, shown as a percentage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import cast
from dataclasses import dataclass

import numpy as np

from salesplanner.errors import UserError

MAX_LENGTH = 500
MAX_DEPTH = 40
BASE_UNITS = ("money", "count", "seconds", "hours")


class FormulaError(UserError):
    """A formula that cannot be used; the message says what and where."""


# -- units ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """Powers of the base units; ``Unit()`` is a pure number (a ratio)."""

    money: int = 0
    count: int = 0
    seconds: int = 0
    hours: int = 0

    def __mul__(self, other: Unit) -> Unit:
        return Unit(*(a + b for a, b in zip(self._powers, other._powers)))

    def __truediv__(self, other: Unit) -> Unit:
        return Unit(*(a - b for a, b in zip(self._powers, other._powers)))

    @property
    def _powers(self) -> tuple[int, ...]:
        return (self.money, self.count, self.seconds, self.hours)

    @property
    def kind(self) -> str:
        """How a value of this unit is shown: ``money``, ``count``, ``percent``,
        ``seconds``, ``hours``, ``money/hour`` or ``ratio``."""
        if self == Unit():
            return "percent"
        if self.money == 1 and not self.seconds and self.hours in (0, -1):
            return "money/hour" if self.hours == -1 else "money"
        if self.seconds == 1 and not self.money and not self.hours:
            return "seconds"
        if self.hours == 1 and not self.money and not self.seconds:
            return "hours"
        if self.count == 1 and not (self.money or self.seconds or self.hours):
            return "count"
        if self.count and not (self.money or self.seconds) and self.hours == -1:
            return "count/hour"
        return "ratio"

    def __str__(self) -> str:
        parts = [f"{name}{'' if p == 1 else f'^{p}'}" for name, p in zip(BASE_UNITS, self._powers)
                 if p]
        return " × ".join(parts) if parts else "a plain number"


MONEY, COUNT, SECONDS, HOURS, NUMBER = Unit(money=1), Unit(count=1), Unit(seconds=1), \
    Unit(hours=1), Unit()


# -- syntax tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    """A number written in the formula."""

    value: float


@dataclass(frozen=True)
class Name:
    """A base aggregate or another metric."""

    name: str
    position: int


@dataclass(frozen=True)
class Unary:
    """``-x``."""

    op: str
    operand: object


@dataclass(frozen=True)
class Binary:
    """``a + b``, ``a / b`` ..."""

    op: str
    left: object
    right: object
    position: int


@dataclass(frozen=True)
class Call:
    """``max(a, b)`` ..."""

    function: str
    args: tuple
    position: int


_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
                    r"|(?P<op>[-+*/(),]))")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out = []
    position = 0
    stripped_end = len(text.rstrip())
    while position < stripped_end:
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            bad = text[position:].lstrip()[:1]
            where = len(text) - len(text[position:].lstrip()) + 1
            raise FormulaError(f"{bad!r} at character {where} is not allowed; use names, "
                               "numbers, + - * / ( ) and commas")
        kind = cast(str, match.lastgroup)  # every alternative of _TOKEN is a named group
        out.append((kind, match.group(kind), match.start(kind) + 1))
        position = match.end()
    out.append(("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, value: str) -> None:
        kind, text, position = self.take()
        if text != value or kind != "op":
            found = "the end" if kind == "end" else repr(text)
            raise FormulaError(f"expected {value!r} at character {position}, found {found}")

    def expression(self) -> object:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"the formula nests more than {MAX_DEPTH} deep; simplify it")
        node = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            _k, op, position = self.take()
            node = Binary(op, node, self.term(), position)
        self.depth -= 1
        return node

    def term(self) -> object:
        node = self.factor()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            _k, op, position = self.take()
            node = Binary(op, node, self.factor(), position)
        return node

    def factor(self) -> object:
        if self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            _k, op, _p = self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError(f"the formula nests more than {MAX_DEPTH} deep; simplify it")
            node = Unary(op, self.factor())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> object:
        kind, text, position = self.take()
        if kind == "number":
            return Num(float(text))
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                self.take()
                args = []
                if not (self.peek()[1] == ")" and self.peek()[0] == "op"):
                    args.append(self.expression())
                    while self.peek()[1] == "," and self.peek()[0] == "op":
                        self.take()
                        args.append(self.expression())
                self.expect(")")
                return Call(text.lower(), tuple(args), position)
            return Name(text, position)
        if kind == "op" and text == "(":
            node = self.expression()
            self.expect(")")
            return node
        found = "the end" if kind == "end" else repr(text)
        raise FormulaError(f"expected a number, a name or '(' at character {position}, "
                           f"found {found}")


def parse(text: str) -> object:
    """The syntax tree of ``text``; :class:`FormulaError` says what is wrong and where."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("the formula is empty; write e.g. revenue / orders")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters; simplify it")
    parser = _Parser(text)
    tree = parser.expression()
    kind, rest, position = parser.peek()
    if kind != "end":
        raise FormulaError(f"unexpected {rest!r} at character {position}")
    return tree


# -- checking and evaluating ------------------------------------------------------------------

#: Functions a formula may call: name -> (argument counts, description).
FUNCTIONS: dict[str, tuple[tuple[int, ...], str]] = {
    "min": ((2,), "the smaller of two values"),
    "max": ((2,), "the larger of two values"),
    "abs": ((1,), "the value without its sign"),
    "round": ((1, 2), "rounded, to a number of decimals if given"),
    "ratio": ((2,), "a / b, with no value where b is zero (the same as /)"),
}


def names_in(tree: object) -> list[str]:
    """Every name the formula uses, in order of first use."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, Name) and node.name not in found:
            found.append(node.name)
        for child in _children(node):
            walk(child)

    walk(tree)
    return found


def _children(node: object) -> tuple:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def unit_of(tree: object, units: Mapping[str, Unit]) -> Unit | None:
    """The formula's unit, given each name's; refuses unknown names and unlike sums.

    Returns None for a formula of literal numbers only (no unit of its own).
    """
    def walk(node: object) -> Unit | None:
        if isinstance(node, Num):
            return None
        if isinstance(node, Name):
            if node.name not in units:
                close = [n for n in units if n.startswith(node.name[:3])][:4]
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise FormulaError(f"{node.name!r} at character {node.position} is not a field "
                                   f"or measure{hint}")
            return units[node.name]
        if isinstance(node, Unary):
            return walk(node.operand)
        if isinstance(node, Binary):
            left, right = walk(node.left), walk(node.right)
            if node.op in "+-":
                if left is not None and right is not None and left != right:
                    raise FormulaError(
                        f"'{node.op}' at character {node.position} combines {left} with "
                        f"{right}; only like units add up")
                return left if left is not None else right
            left, right = left or NUMBER, right or NUMBER
            return left * right if node.op == "*" else left / right
        if isinstance(node, Call):
            spec = FUNCTIONS.get(node.function)
            if spec is None:
                raise FormulaError(f"{node.function}() at character {node.position} is not a "
                                   f"function; use {', '.join(FUNCTIONS)}")
            if len(node.args) not in spec[0]:
                counts = " or ".join(str(c) for c in spec[0])
                raise FormulaError(f"{node.function}() at character {node.position} takes "
                                   f"{counts} argument(s), not {len(node.args)}")
            args = [walk(a) for a in node.args]
            if node.function in ("min", "max"):
                known = [a for a in args if a is not None]
                if len(set(known)) > 1:
                    raise FormulaError(f"{node.function}() at character {node.position} "
                                       f"compares {known[0]} with {known[1]}")
                return known[0] if known else None
            if node.function == "ratio":
                return (args[0] or NUMBER) / (args[1] or NUMBER)
            return args[0]
        raise FormulaError("the formula could not be read")  # pragma: no cover - parse's job

    return walk(tree)


Values = Mapping[str, np.ndarray]


def evaluate(tree: object, values: Values,
             resolve: Callable[[str], np.ndarray] | None = None) -> np.ndarray:
    """The formula over whole arrays (one element per group).

    ``values`` holds the base aggregates; ``resolve`` gives other metrics by
    name. Division by zero and every other undefined result is NaN ("no
    value"); nothing here raises on data.
    """
    def walk(node: object) -> np.ndarray | float:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Name):
            if node.name in values:
                return np.asarray(values[node.name], dtype=float)
            if resolve is not None:
                return np.asarray(resolve(node.name), dtype=float)
            raise FormulaError(f"{node.name!r} has no values")
        if isinstance(node, Unary):
            operand = walk(node.operand)
            return -operand if node.op == "-" else operand
        if isinstance(node, Binary):
            left, right = walk(node.left), walk(node.right)
            if node.op == "+":
                return np.add(left, right)
            if node.op == "-":
                return np.subtract(left, right)
            if node.op == "*":
                return np.multiply(left, right)
            return _divide(left, right)
        if isinstance(node, Call):
            args = [walk(a) for a in node.args]
            if node.function == "min":  # a missing value makes the result missing
                return np.minimum(*args)  # type: ignore[arg-type]  # floats broadcast as arrays
            if node.function == "max":
                return np.maximum(*args)  # type: ignore[arg-type]  # floats broadcast as arrays
            if node.function == "abs":
                return np.abs(args[0])
            if node.function == "round":
                digits = (int(args[1])  # type: ignore[arg-type]  # a scalar, as checked
                          if len(args) > 1 and np.isscalar(args[1])
                          and math.isfinite(args[1]) else 0)  # type: ignore[arg-type]  # as above
                return np.round(args[0], max(-12, min(12, digits)))
            if node.function == "ratio":
                return _divide(*args)
        raise FormulaError("the formula could not be evaluated")

    with np.errstate(all="ignore"):
        result = np.asarray(walk(tree), dtype=float)
    result = np.where(np.isfinite(result), result, np.nan)
    return result


def _divide(left: np.ndarray | float, right: np.ndarray | float) -> np.ndarray:
    right = np.asarray(right, dtype=float)
    return np.divide(left, np.where(right == 0, np.nan, right))
