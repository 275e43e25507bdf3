"""No import cycles among salesplanner's modules, counting imports inside functions.

An import inside a function hides a cycle from Python (the module is loaded
by the time the function runs) but not from a reader: the two modules still
need each other, so neither can be understood, tested or moved alone. This
test reads every module with :mod:`ast`, takes every ``import`` and
``from ... import`` wherever it stands (module level, function, class),
leaves out those under ``if TYPE_CHECKING:`` (annotations only, never run),
resolves relative imports, and fails naming every cycle it finds.

A package's ``__init__`` stands for the package; ``from pkg import name``
points at the submodule ``pkg.name`` when there is one, else at the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "salesplanner"


def module_name(path: Path, root: Path = ROOT) -> str:
    """``salesplanner/targets/__init__.py`` -> ``salesplanner.targets``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in ``tree`` except those run only for type checkers."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:  # the else branch does run
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def imported_modules(path: Path, modules: set[str], root: Path = ROOT) -> set[str]:
    """The salesplanner modules the file at ``path`` (under ``root``) imports."""
    name = module_name(path, root)
    # The package a relative import counts from: the module's own for an __init__.
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()

    def closest(dotted: str) -> str | None:
        """``dotted`` or the nearest enclosing package that is one of ours."""
        while dotted:
            if dotted in modules:
                return dotted
            dotted = dotted.rpartition(".")[0]
        return None

    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = here.split(".")
                base = base[:len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules
                       else source for alias in node.names]
        for target in targets:
            found = closest(target) if target.startswith("salesplanner") else None
            if found is not None and found != name:
                out.add(found)
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the salesplanner modules it imports, for every module of the package."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imported_modules(p, modules) for p in paths}


def tangles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan): each
    member reaches every other, so every cycle lies inside one group."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def connect(v: str) -> None:  # recursion is fine: the package has a few hundred modules
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(groups)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle through each tangled group (see :func:`tangles`)."""
    return [_one_cycle(graph, group) for group in tangles(graph)]


def _one_cycle(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest cycle from the group's first member back to itself."""
    members = set(group)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return group


def test_the_graph_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "salesplanner"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from . import b\n")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from salesplanner import c\n"
        "def f():\n    from salesplanner.sub import b\n")
    (package / "sub" / "b.py").write_text("from ..a import f\nimport salesplanner.c\n")
    (package / "c.py").write_text("")
    paths = sorted(package.rglob("*.py"))
    names = {module_name(p, tmp_path) for p in paths}
    graph = {module_name(p, tmp_path): imported_modules(p, names, tmp_path) for p in paths}
    assert graph["salesplanner.a"] == {"salesplanner.sub.b"}
    assert graph["salesplanner.sub.b"] == {"salesplanner.a", "salesplanner.c"}
    assert graph["salesplanner.sub"] == {"salesplanner.sub.b"}
    assert cycles(graph) == [["salesplanner.a", "salesplanner.sub.b", "salesplanner.a"]]


def test_no_import_cycles() -> None:
    graph = import_graph()
    lines = []
    for group in tangles(graph):
        members = set(group)
        inside = sorted(f"{a} -> {b}" for a in group for b in graph[a] & members)
        lines.append(" -> ".join(_one_cycle(graph, group)) + "\n    every import among "
                     f"{', '.join(group)}: " + "; ".join(inside))
    assert not lines, "import cycles (imports inside functions count):\n" + "\n".join(lines)


# What the analysis package may not import: anything above it. From the target
# planner it reads only what is stored: the scenario in force
# (targets.stored_scenarios) and the skill weights (targets.skills), both of
# which sit below the planner's method and this package.
ABOVE_ANALYSIS = ("salesplanner.ui", "salesplanner.cli", "salesplanner.export",
                  "salesplanner.reports", "salesplanner.importing", "salesplanner.demo")

STORED_TARGETS = {"salesplanner.targets.stored_scenarios", "salesplanner.targets.skills"}


def test_analysis_imports_only_downwards() -> None:
    graph = import_graph()
    wrong = []
    for module, imports in sorted(graph.items()):
        if not module.startswith("salesplanner.analysis"):
            continue
        for target in sorted(imports):
            upward = target.startswith(ABOVE_ANALYSIS) or (
                target.startswith("salesplanner.targets")
                and target not in STORED_TARGETS)
            if upward:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "the analysis package imports upwards:\n" + "\n".join(wrong)
