"""The stand-in is shipped on its own terms: it imports only `telegram`, and has no cycles."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.helpers.samples import ROOT

STANDIN = ROOT / "standin"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, TYPE_CHECKING blocks included; `from p import m` is p.m."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                is_module = (ROOT / submodule.replace(".", "/")).with_suffix(".py").exists()
                found.add(submodule if is_module else node.module)
    return found


MODULES = {module_name(path): imports(path) for path in sorted(STANDIN.glob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_it_imports_only_the_standard_library_telegram_and_itself(module: str) -> None:
    allowed = {"standin", "telegram", *sys.stdlib_module_names}
    assert {name for name in MODULES[module] if name.split(".")[0] not in allowed} == set()


def test_no_module_of_it_imports_itself_back() -> None:
    graph = {m: {i for i in found if i in MODULES} for m, found in MODULES.items()}
    graph["standin"] = set()  # the package only re-exports: its modules come first

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo.extend(graph[module])
        return seen

    assert {module for module in graph if module in reachable(module)} == set()
