"""One clock, read at the edges: the domain is given `now`, and tests turn exactly one clock.

The bot reads Services.clock once per update or per stamp of a digest round; a CLI command
reads the real time (summaries.models.utc_now) once. Modules are parsed, not imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from summaries.activity import ActivityLog
from summaries.deliveries import Deliveries
from summaries.leases import Leases
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions
from tests.helpers.samples import ROOT

# What reads the wall clock. time.monotonic and perf_counter measure durations: not a clock.
READS_THE_TIME = {"now", "utcnow", "today", "time", "utc_now"}
# Where the real time may be read: the console script's commands and the demo, once each.
EDGE_PACKAGES = ("bot/cli/", "bot/demo/", "bot/console.py", "bot/launcher.py")


def time_reads(path: Path) -> list[str]:
    """Calls in `path` that read the wall clock, as `line: call`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in READS_THE_TIME and (name != "time" or isinstance(func, ast.Attribute)):
            found.append(f"{node.lineno}: {ast.unparse(func)}")
    return found


def product_modules() -> list[Path]:
    return sorted(
        path
        for root in ("summaries", "bot")
        for path in (ROOT / root).rglob("*.py")
        if not str(path.relative_to(ROOT)).startswith(EDGE_PACKAGES)
    )


@pytest.mark.parametrize("path", product_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_and_the_bot_never_read_the_real_time(path: Path) -> None:
    reads = time_reads(path)
    if str(path.relative_to(ROOT)) == "summaries/models.py":  # utc_now's own body only
        reads = [r for r in reads if not r.endswith("datetime.now")]
    assert reads == [], "take `now` from the caller (the bot: Services.clock)"


def test_the_stores_have_no_clock_of_their_own() -> None:
    store = ArticleStore.open(":memory:")
    for part in (
        store,
        Subscriptions(store.db),
        Deliveries(store.db),
        ActivityLog(store.db),
        Leases(store.db),
    ):
        assert not hasattr(part, "clock"), type(part).__name__


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").glob("*.py")]),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_tests_and_benches_set_no_clock_attribute(path: Path) -> None:
    """Time is turned by replacing Services.clock (Harness.set_clock), nothing else."""
    assigned = [
        f"{node.lineno}: {ast.unparse(target)}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute) and target.attr == "clock"
    ]
    assert assigned == []
