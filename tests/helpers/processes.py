"""`newsbot run` as its own process against the stand-in over HTTP, and waiting on it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from standin.server import BotApiServer


def start_run(server: BotApiServer, db: Path, **extra: str) -> subprocess.Popen[str]:
    """`newsbot run` polling `server`, its digest job every half second; `extra`: more env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": server.telegram.token,
        "TELEGRAM_BASE_URL": server.base_url,
        "NEWSBOT_DB": str(db),
        "NEWSBOT_DIGEST_INTERVAL": "0.5",
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from bot.launcher import main; main()", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll `condition` until it holds; AssertionError naming `what` after `timeout` seconds
    (a minute: starting `newsbot run` on a loaded 2-core machine has taken over 20 s)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def ensure_stopped(process: subprocess.Popen[str] | None) -> None:
    """After a test, whatever happened: no bot process left running, its pipes closed."""
    if process is not None and process.poll() is None:
        process.kill()
        process.communicate()
