"""The feed-polling benchmarks still run: each in its --quick mode, as its own process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers.samples import ROOT

pytestmark = pytest.mark.slow


def run_bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_feed_poll_quick_stores_every_item_then_sees_304s_and_unchanged_items() -> None:
    out = run_bench("feed_poll.py", "--quick", "--profile")
    assert "10 sources x 10 items; 2 teaser-only sources (20 pages" in out
    for row in ("**first poll**", "**second poll**", "**third poll**", "- summarize: "):
        assert row in out


def test_read_latency_quick_answers_reads_idle_and_during_both_polls() -> None:
    out = run_bench("feed_read_latency.py", "--quick")
    assert "| idle (baseline) | 100 |" in out
    assert "100 new items in" in out
    assert "10 304s in" in out
