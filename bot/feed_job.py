"""The feed job: every few seconds, the sources that are due are polled (bot/feed_poll.py).

A round runs as a task of its own, so the job never waits for it (a slow feed must not hold
the job queue up) and never starts a second one while it runs.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram.ext import ContextTypes

from bot.feed_poll import FeedPoller, feed_poller
from bot.services import services

logger = logging.getLogger(__name__)

LOOK_EVERY = 5.0  # seconds between looks for due sources: one small query


async def feed_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue's repeating job: start a round of due polls unless one is running."""
    poller = feed_poller(context)
    if poller.begin_round():
        now = services(context).clock()
        poller.track(context.application.create_task(_round(poller, now), name="feed round"))


async def _round(poller: FeedPoller, now: datetime) -> None:
    """Poll what is due; the poller logs failures, this logs what came in."""
    for report in await poller.poll_due(now):
        if report.new or report.updated:
            logger.info(
                "source %s (%s): %d new, %d updated, %d unchanged",
                report.source.id,
                report.source.name,
                report.new,
                report.updated,
                report.unchanged,
            )
