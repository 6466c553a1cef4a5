"""What the shipped packages import must be installed by `pip install .` alone (no dev extras)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.helpers.samples import ROOT

SHIPPED = ("bot", "summaries", "standin")  # standin too: the offline console runs on it


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[\[<>=!~ ;]", dep, maxsplit=1)[0] for dep in project["dependencies"]}
    return {name.lower().replace("_", "-") for name in names}


def imported() -> set[str]:
    found = set()
    for package in SHIPPED:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found - set(SHIPPED) - set(sys.stdlib_module_names)


def test_every_third_party_import_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    missing = {}
    for module in imported():
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not owners & declared():
            missing[module] = owners
    assert missing == {}


def test_every_shipped_package_is_in_the_wheel() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert set(setuptools["setuptools"]["packages"]["find"]["include"]) == {
        f"{package}*" for package in SHIPPED
    }
    for package in SHIPPED:
        assert "py.typed" in setuptools["setuptools"]["package-data"][package]
