"""A poll in a process of its own, as `newsbot source poll` runs one: for crash tests.

`python -m tests.helpers.poll_runner` reads the settings from the environment (NEWSBOT_DB,
NEWSBOT_FETCH_LOOPBACK, NEWSBOT_FEED_FIRST_ITEMS), opens the store, polls every source now
through FeedPoller.poll_many with the real summarizer, prints one line per report, and exits.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.feed_poll import FeedPoller, PollSettings
from summaries.models import utc_now
from summaries.sources import Sources
from summaries.store import ArticleStore
from summaries.summarize import summarize
from tests.helpers.samples import ROOT


async def poll_all() -> list[str]:
    settings = Settings.from_env(os.environ, need_token=False)
    store = ArticleStore.open(settings.db_path)
    try:
        sources = Sources(store.db)
        poller = FeedPoller(
            store,
            sources,
            summarize,
            PollSettings(
                default_every=settings.feed_interval,
                first_poll_items=settings.feed_first_items,
                allow_loopback=settings.fetch_loopback,
            ),
        )
        reports = await poller.poll_many([s.id for s in sources.all()], now=utc_now())
        return [
            f"source {r.source.id}: {r.new} new, {r.updated} updated, {r.unchanged} unchanged"
            + (f", failed: {r.error}" if r.error else "")
            for r in reports
        ]
    finally:
        store.close()


def start_poll(db: Path, *, first_items: int = 20) -> subprocess.Popen[str]:
    """This module as a child process polling every source of `db`, loopback allowed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    env |= {
        "NEWSBOT_DB": str(db),
        "NEWSBOT_FETCH_LOOPBACK": "1",
        "NEWSBOT_FEED_FIRST_ITEMS": str(first_items),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.poll_runner"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


if __name__ == "__main__":
    for line in asyncio.run(poll_all()):
        print(line)  # noqa: T201 - the process's answer
