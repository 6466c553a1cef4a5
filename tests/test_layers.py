"""The product's imports run one way, down the layers below, and never in a circle.

Every module of summaries/, bot/ and standin/ is parsed, not imported (a tenth of a second),
and each import is an edge, those inside functions and under TYPE_CHECKING too, and
`from pkg import mod` counts as an import of the module. Importing `a.b.c` also runs
`a/__init__.py` and `a/b/__init__.py`; those implicit edges don't count, as in import-linter.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("summaries", "bot", "standin")

# Bottom to top. A module may import its own group and any group of a lower layer; groups of
# one layer are independent. `x.*` is the package x with every module under it; `x` alone is
# only x. Every product module must be placed; a new one goes where its imports put it.
LAYERS: list[dict[str, tuple[str, ...]]] = [
    {
        "summaries": ("summaries.*",),  # the domain and storage: pure, synchronous
        "standin": ("standin.*",),  # the fake Bot API: stdlib and telegram
    },
    {"i18n": ("bot.i18n",)},  # the reader's language: catalogs and formats, under all of bot
    {  # the adapter's ground floor: each stands alone
        "bot": ("bot",),
        "config": ("bot.config",),
        "logs": ("bot.logs",),
        "render": ("bot.render.*",),
        "transport": ("bot.transport",),
        "stop signals": ("bot.stop_signals",),
        "fetch": ("bot.fetch", "bot.feed_fetch"),  # feed_fetch shares fetch's hop loop
        "demo": ("bot.demo.*",),
        "update order": ("bot.update_order",),
        "persistence": ("bot.persistence",),
        "lifecycle": ("bot.lifecycle",),  # running(app): the one start/stop sequence
    },
    {
        "ratelimit": ("bot.ratelimit",),
        "services": ("bot.services",),
        "feeds": ("bot.feed_poll", "bot.feed_check"),  # polling sources, checking new ones
        "outlets": ("bot.outlet_check",),  # may the bot post to a chat: asked of the Bot API
    },
    {"delivery": ("bot.delivery.*",)},  # what handlers and the digest job both send
    {  # neither knows the other: handlers reach the job only through bot_data
        "handlers": ("bot.handlers.*", "bot.errors"),
        "jobs": ("bot.digests", "bot.digest_round", "bot.feed_job", "bot.outlet_poster"),
    },
    {"app": ("bot.app",)},  # build_application: wires it all together
    {"console": ("bot.console",)},
    {"cli": ("bot.cli.*",)},
    {"launcher": ("bot.launcher",)},  # the console script: the very top
]

STDLIB = frozenset(sys.stdlib_module_names)
# Outside the product, all a group may import (a group not listed: anything not forbidden).
ALLOWED_OUTSIDE: dict[str, frozenset[str]] = {"standin": STDLIB | {"telegram"}}
FORBIDDEN_OUTSIDE: dict[str, frozenset[str]] = {"summaries": frozenset({"telegram"})}
# Known edges against the map, left out of the graph, each with the reason it is still there.
TOLERATED: dict[tuple[str, str], str] = {}


@cache
def modules() -> dict[str, Path]:
    """Every product module by its dotted name."""
    found: dict[str, Path] = {}
    for root in PRODUCT:
        for path in sorted((ROOT / root).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The modules `name` imports: product modules by full name, others by their top name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield _product_or_top(alias.name, known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"  # a submodule, or a name in module `base`
                yield full if full in known else _product_or_top(base, known)


def _product_or_top(target: str, known: dict[str, Path]) -> str:
    """The longest product module `target` names, else its top-level package."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return parts[0]


def group_of(name: str) -> tuple[int, str] | None:
    """The layer and group a module is placed in: its longest matching pattern."""
    best: tuple[int, int, str] | None = None
    for layer, groups in enumerate(LAYERS):
        for group, patterns in groups.items():
            for pattern in patterns:
                stem = pattern.removesuffix(".*")
                matches = name == stem or (pattern != stem and name.startswith(stem + "."))
                if matches and (best is None or len(stem) > best[0]):
                    best = (len(stem), layer, group)
    return None if best is None else (best[1], best[2])


@cache
def graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Product edges, and each module's imports from outside the product (top names)."""
    known = modules()
    inside: dict[str, set[str]] = {name: set() for name in known}
    outside: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target in imports(name, path, known):
            if target in known:
                if target != name and (name, target) not in TOLERATED:
                    inside[name].add(target)
            elif target.split(".")[0] not in PRODUCT:  # a product name that isn't a file: skip
                outside[name].add(target)
    return inside, outside


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected component of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while (top := stack.pop()) != node:
                component.add(top)
            components.append(component | {node})

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [_cycle_in(sorted(c), edges) for c in components if len(c) > 1]


def _cycle_in(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """A path from the component's first module back to itself, by breadth-first search."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(edges[node] & members):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle in {component}")  # pragma: no cover - Tarjan found one


def test_every_module_has_a_layer() -> None:
    unplaced = [name for name in modules() if group_of(name) is None]
    assert not unplaced, f"place these in LAYERS: {unplaced}"


def test_no_import_cycles() -> None:
    found = [" → ".join(cycle) for cycle in cycles(graph()[0])]
    assert not found, "import cycles:\n" + "\n".join(found)


def test_imports_run_down_the_layers() -> None:
    wrong = []
    for name, targets in sorted(graph()[0].items()):
        here = group_of(name)
        for target in sorted(targets):
            there = group_of(target)
            if here is None or there is None:
                continue  # unplaced modules fail the test above
            if there[1] != here[1] and there[0] >= here[0]:
                way = "up" if there[0] > here[0] else "sideways"
                wrong.append(f"{name} → {target} ({here[1]} → {there[1]}, {way})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_imports_from_outside_the_product() -> None:
    wrong = []
    for name, targets in sorted(graph()[1].items()):
        placed = group_of(name)
        group = "" if placed is None else placed[1]
        allowed, forbidden = ALLOWED_OUTSIDE.get(group), FORBIDDEN_OUTSIDE.get(group, frozenset())
        for target in sorted(targets):
            top = target.split(".")[0]
            if top in forbidden or (allowed is not None and top not in allowed):
                wrong.append(f"{name} → {target} ({group})")
    assert not wrong, "imports a group may not make:\n" + "\n".join(wrong)


def test_the_check_sees_a_cycle_and_a_relative_import() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c", "a"]]
    known = {"bot.x": ROOT, "bot.x.y": ROOT}
    assert _product_or_top("bot.x.y.z", known) == "bot.x.y"
    assert _product_or_top("telegram.ext", known) == "telegram"
