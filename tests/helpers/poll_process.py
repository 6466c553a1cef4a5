"""`newsbot source poll` as a process of its own, for crash tests: the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.samples import ROOT


def start_poll(db: Path, *, first_items: int = 20) -> subprocess.Popen[str]:
    """`newsbot source poll` of every source of `db`, fetching from 127.0.0.1 allowed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    env |= {
        "NEWSBOT_DB": str(db),
        "NEWSBOT_FETCH_LOOPBACK": "1",
        "NEWSBOT_FEED_FIRST_ITEMS": str(first_items),
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from bot.launcher import main; main()", "source", "poll"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
