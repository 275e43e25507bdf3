"""Layering rules: the domain never imports Qt, the interface holds no SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "salesplanner"
QT_MODULES = ("PySide6", "pyqtgraph", "shiboken6", "salesplanner.ui")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


#: The one sanctioned crossing: the entry point starts the window, importing
#: the interface lazily inside the function that does so.
ALLOWED = {("cli/program.py", "salesplanner.ui.app")}


def test_domain_never_imports_qt() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            n for n in _imports(path) if n.startswith(QT_MODULES)
            and (str(path.relative_to(PACKAGE)), n) not in ALLOWED)
        for path in PACKAGE.rglob("*.py") if "ui" not in path.relative_to(PACKAGE).parts
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_command_line_runs_without_qt() -> None:
    """Importing the command line and the domain loads no Qt module."""
    import subprocess
    import sys

    code = ("import sys, salesplanner.cli, salesplanner.summary, salesplanner.integrity, "
            "salesplanner.demo; print(sorted(m for m in sys.modules if m.startswith(('PySide6', "
            "'pyqtgraph'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_interface_holds_no_sql_or_sessions() -> None:
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    bad = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        text = path.read_text()
        if sql.search(text) or "sqlalchemy" in _imports(path) or "sqlite3" in _imports(path):
            bad.append(str(path.relative_to(PACKAGE)))
    assert bad == []


def test_no_eval_or_exec() -> None:
    found = [str(p) for p in PACKAGE.rglob("*.py") if re.search(r"(?<![.\w])(eval|exec)\(", p.read_text())]
    assert found == []


def test_every_package_is_listed_for_installation() -> None:
    """pyproject lists packages by name (resources/ is mapped in): keep it complete."""
    import tomllib

    root = PACKAGE.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in PACKAGE.rglob("__init__.py")}
    assert found | {"salesplanner.resources"} == listed
