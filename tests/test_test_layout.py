"""Tests stay independent: no test module imports another, and conftest.py holds only fixtures.

Shared helpers live in tests/helpers/, so a test module can be read, moved or deleted alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers.samples import ROOT

TESTS = ROOT / "tests"
SOURCES = sorted(path for path in TESTS.rglob("*.py") if "__pycache__" not in path.parts)


def imported(path: Path) -> set[str]:
    """Every module `path` names in an import; `from tests import x` counts as tests.x too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found |= {module, *(f"{module}.{alias.name}" for alias in node.names)}
    return found


def is_test_module_or_conftest(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "conftest" or last.startswith("test_")


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(TESTS)))
def test_nothing_imports_a_test_module_or_conftest(path: Path) -> None:
    assert {m for m in imported(path) if is_test_module_or_conftest(m)} == set()


def test_conftest_defines_only_fixtures() -> None:
    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    defined = [node for node in tree.body if isinstance(node, kinds)]
    not_fixtures = [
        node.name
        for node in defined
        if not any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)
    ]
    constants = [ast.unparse(n) for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign)]
    assert (not_fixtures, constants) == ([], [])


def test_helpers_are_one_package() -> None:
    assert (TESTS / "helpers" / "__init__.py").is_file()
    loose = [p.name for p in TESTS.glob("*.py") if not is_test_module_or_conftest(p.stem)]
    assert loose == []
