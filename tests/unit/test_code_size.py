"""Size limits: no module over 700 lines, no function or method over 100.

A module that grows past the limit is split by concept (as the main
window's menus went to ``ui/menus.py``); a long function becomes named
steps that read as its outline. A function's length runs from its ``def``
line to its last line (decorators not counted; nested functions count in
their parent too).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "salesplanner"
MODULE_LINES = 700
FUNCTION_LINES = 100


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _functions(node: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """(qualified name, length in lines) of every function under ``node``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = f"{prefix}{child.name}"
            if not isinstance(child, ast.ClassDef):
                yield name, child.end_lineno - child.lineno + 1
            yield from _functions(child, f"{name}.")
        else:
            yield from _functions(child, prefix)


def test_the_package_is_found() -> None:
    assert len(_modules()) > 50


def test_no_module_over_700_lines() -> None:
    too_long = {}
    for path in _modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MODULE_LINES:
            too_long[str(path.relative_to(PACKAGE.parent))] = lines
    assert too_long == {}, f"modules over {MODULE_LINES} lines (split them by concept): " + \
        ", ".join(f"{name} {lines}" for name, lines in too_long.items())


def test_no_function_over_100_lines() -> None:
    too_long = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, lines in _functions(tree):
            if lines > FUNCTION_LINES:
                too_long[f"{path.relative_to(PACKAGE.parent)}::{name}"] = lines
    assert too_long == {}, f"functions over {FUNCTION_LINES} lines (make them named steps): " + \
        ", ".join(f"{name} {lines}" for name, lines in too_long.items())


def test_the_measures_count_what_they_say() -> None:
    source = ("class A:\n"
              "    @staticmethod\n"
              "    def f():\n"
              "        def g():\n"
              "            pass\n"
              "        return g\n"
              "async def h():\n"
              "    pass\n")
    assert dict(_functions(ast.parse(source))) == {"A.f": 4, "A.f.g": 2, "h": 2}
