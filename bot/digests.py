"""The daily digest round: one repeating job finds every due reader with one indexed query.

Each delivery is claimed in SQLite before it is sent and marked after (summaries/
deliveries.py), so a crash neither resends nor skips; one process sends, by lease
(summaries/leases.py).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import ContextTypes, ExtBot

from bot.digest_round import Round
from bot.services import Services, digest_sender
from summaries.corrections import Corrections
from summaries.leases import ended_here, new_owner

logger = logging.getLogger(__name__)

LEASE = "digests"
LEASE_TTL = timedelta(seconds=90)
BATCH = 500
PRUNE_EVERY = timedelta(hours=1)  # old deliveries go in one indexed delete, hourly


class DigestSender:
    """Sends due digests; holds the lease and remembers what it has logged."""

    def __init__(self, svc: Services, owner: str | None = None) -> None:
        self.svc = svc
        self.owner = owner or new_owner()
        self._holding = False  # whether this process held the lease at its last look
        self._other_holder: str | None = None
        self._round = asyncio.Lock()  # the job's rounds and a Publish-and-notify's, one at a time
        self._pruned_at: datetime | None = None  # when old rows were last deleted

    async def run_round(self, bot: ExtBot[Any]) -> dict[str, int]:
        """Send every digest due now; returns how many ended in each state.

        Rounds never overlap (each has its 8 sends in flight; two would double what a crash
        leaves in doubt): one asked for while another runs waits for it, then looks afresh.
        """
        async with self._round:
            return await self._run_round(bot)

    async def _run_round(self, bot: ExtBot[Any]) -> dict[str, int]:
        svc, subs = self.svc, self.svc.subscriptions
        now = svc.clock()
        if not self._take_lease(now):
            return {}
        self._prune(now)
        counts: dict[str, int] = {}
        round_ = Round(bot, svc, self.owner, now, until_id=svc.store.last_id())
        keeper = asyncio.create_task(self._keep_lease(round_))  # a round may outlast the lease
        try:
            while not round_.lease_lost and (batch := subs.due(now, BATCH)):
                for outcome in await asyncio.gather(*(round_.deliver(sub) for sub in batch)):
                    counts[outcome] = counts.get(outcome, 0) + 1
            await self._shared(round_, counts)
        finally:
            keeper.cancel()
        if counts:
            logger.info("digest round: %s", counts)
        return counts

    async def _shared(self, round_: Round, counts: dict[str, int]) -> None:
        """What goes to many chats at once: breaking news, corrections, alerts."""
        svc = self.svc
        broadcasts = svc.deliveries.open_broadcasts()  # breaking news, resumed after a restart
        for article_id in broadcasts:
            if round_.lease_lost:
                break
            for outcome in await round_.broadcast(article_id):
                counts[outcome] = counts.get(outcome, 0) + 1
        for correction in Corrections(svc.store.db).open_corrections():  # readers told
            if round_.lease_lost:
                break
            for outcome in await round_.correction(correction):
                counts[outcome] = counts.get(outcome, 0) + 1
        for alert in svc.alerts.open():  # admins told of failing feeds, once each
            if round_.lease_lost:
                break
            for outcome in await round_.alert(alert):
                counts[outcome] = counts.get(outcome, 0) + 1

    def _take_lease(self, now: datetime) -> bool:
        """Hold the lease (taking it from a dead local process); settle what was left behind."""
        leases = self.svc.leases
        holder = leases.hold(LEASE, self.owner, now, LEASE_TTL)
        if holder is not None and ended_here(holder):  # killed on this machine: don't wait
            logger.warning(
                "taking over the digest lease of %s, which is no longer running", holder
            )
            leases.release(LEASE, holder)
            holder = leases.hold(LEASE, self.owner, now, LEASE_TTL)
        if holder is not None:
            if holder != self._other_holder:
                logger.warning(
                    "another newsbot process (%s) holds the digest lease on this "
                    "database; this one sends no digests",
                    holder,
                )
            self._other_holder, self._holding = holder, False
            return False
        if not self._holding:  # newly ours: settle what the previous holder left unfinished
            self._holding = True
            requeued, in_doubt = self.svc.deliveries.settle_unfinished(self.owner, now=now)
            if requeued or in_doubt:
                logger.warning(
                    "a stopped process left %d digest(s) unsent (sending them now) and %d on "
                    "the wire (not resent: they may have arrived, so they count as delivered)",
                    requeued,
                    in_doubt,
                )
        return True

    def _prune(self, now: datetime) -> None:
        """Delete deliveries older than NEWSBOT_RETENTION_DAYS, hourly: each
        reader's newest digest is kept however old, so every round would look at it again."""
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        keep = timedelta(days=self.svc.settings.retention_days)
        if deliveries := self.svc.deliveries.prune(now, keep):
            logger.info(
                "deleted %d deliveries older than %d days",
                deliveries,
                self.svc.settings.retention_days,
            )

    async def _keep_lease(self, round_: Round) -> None:
        """Renew the lease while a round runs; if another process took it, stop claiming."""
        while True:
            await asyncio.sleep(LEASE_TTL.total_seconds() / 3)
            holder = self.svc.leases.hold(LEASE, self.owner, self.svc.clock(), LEASE_TTL)
            if holder is not None:
                logger.error("lost the digest lease to %s mid-round; stopping this round", holder)
                round_.lease_lost, self._holding = True, False
                return

    def stop(self) -> None:
        """Give the lease up, so a restarted bot sends at once."""
        self.svc.leases.release(LEASE, self.owner)


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue's repeating job."""
    await digest_sender(context).run_round(context.bot)
