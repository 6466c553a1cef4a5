"""The daily digest round: one repeating job finds every due reader with one indexed query.

Each delivery is claimed in SQLite before it is sent and marked after (summaries/
subscriptions.py), so a crash neither resends nor skips; one process sends, by lease.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import date, datetime, timedelta
from typing import Any, cast

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes, ExtBot

from bot.handlers.delivery import send_article
from bot.render import digest as render_digest
from bot.services import Services
from summaries.errors import ArticleNotFoundError
from summaries.models import Article, Subscription
from summaries.schedule import Due, catch_up, following_due

logger = logging.getLogger(__name__)

LEASE = "digests"
LEASE_TTL = timedelta(seconds=90)
BATCH = 500
CONCURRENCY = 8  # sends in flight: enough to keep pace with Telegram, few in doubt at a crash
ARTICLES = 8
RETRY_AFTER_FAILURE = timedelta(seconds=10)  # after a 5xx or a timeout: soon, not in a loop

Messages = list[tuple[str, InlineKeyboardMarkup | None]]


def new_owner() -> str:
    """This process's name in leases and claims: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DigestSender:
    """Sends due digests; holds the lease and remembers what it has logged."""

    def __init__(self, svc: Services, owner: str | None = None) -> None:
        self.svc = svc
        self.owner = owner or new_owner()
        self._settled = False
        self._other_holder: str | None = None

    async def run_round(self, bot: ExtBot[Any]) -> dict[str, int]:
        """Send every digest due now; returns how many ended in each state."""
        svc, subs = self.svc, self.svc.subscriptions
        now = svc.clock()
        holder = subs.hold_lease(LEASE, self.owner, now, LEASE_TTL)
        if holder is not None and _dead_here(holder):  # killed on this machine: don't wait
            logger.warning(
                "taking over the digest lease of %s, which is no longer running", holder
            )
            subs.release_lease(LEASE, holder)
            holder = subs.hold_lease(LEASE, self.owner, now, LEASE_TTL)
        if holder is not None:
            if holder != self._other_holder:
                logger.warning(
                    "another newsbot process (%s) holds the digest lease on this "
                    "database; this one sends no digests",
                    holder,
                )
            self._other_holder = holder
            return {}
        if not self._settled:  # deliveries a process left unfinished when it died
            self._settled = True
            requeued, in_doubt = subs.settle_unfinished(self.owner)
            if requeued or in_doubt:
                logger.warning(
                    "a stopped process left %d digest(s) unsent (sending them now) and %d on "
                    "the wire (not resent: they may have arrived; their articles come next time)",
                    requeued,
                    in_doubt,
                )
        counts: dict[str, int] = {}
        round_ = Round(bot, svc, self.owner, now, until_id=svc.store.last_id())
        while batch := subs.due(now, BATCH):
            for outcome in await asyncio.gather(*(round_.deliver(sub) for sub in batch)):
                counts[outcome] = counts.get(outcome, 0) + 1
            subs.hold_lease(LEASE, self.owner, svc.clock(), LEASE_TTL)
        for article_id in subs.open_broadcasts():  # breaking news, resumed after a restart
            for outcome in await round_.broadcast(article_id):
                counts[outcome] = counts.get(outcome, 0) + 1
        if counts:
            logger.info("digest round: %s", counts)
        return counts

    def stop(self) -> None:
        """Give the lease up, so a restarted bot sends at once."""
        self.svc.subscriptions.release_lease(LEASE, self.owner)


def _dead_here(owner: str) -> bool:
    """Whether a lease owner ('host:pid:…') was a process of this machine that has ended."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdecimal():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, as another user
        return False
    return False


def digest_sender(context: ContextTypes.DEFAULT_TYPE) -> DigestSender:
    """The application's sender (set up by build_application)."""
    return cast(DigestSender, context.bot_data["digest_sender"])


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue's repeating job."""
    await digest_sender(context).run_round(context.bot)


class Round:
    """One digest round: what exists now, and what is made once for many readers."""

    def __init__(
        self, bot: ExtBot[Any], svc: Services, owner: str, now: datetime, *, until_id: int
    ) -> None:
        self.bot, self.svc, self.owner, self.now = bot, svc, owner, now
        self.until_id = until_id  # one snapshot of the articles for the whole round
        self.slots = asyncio.Semaphore(CONCURRENCY)
        self._found: dict[tuple[int, tuple[str, ...]], list[Article]] = {}
        self._messages: dict[tuple[tuple[int, ...], str, date], Messages] = {}

    async def deliver(self, sub: Subscription) -> str:
        """One reader's digest: skip a day missed while down, else claim, send, mark."""
        subs, now, day = self.svc.subscriptions, self.now, sub.due_day
        if day is None or sub.due_at is None:  # pragma: no cover - the due query needs both
            return "unscheduled"
        today = catch_up(Due(day, sub.due_at), sub.time_of_day, sub.timezone, now)
        if today is not None:  # down for a whole local day: that one is dropped, today counts
            subs.reschedule(sub.chat_id, today)
            if today.at > now:
                return "missed-day"
            day = today.day
        after = following_due(day, sub.time_of_day, sub.timezone)
        found = self._new_articles(sub)
        if not found and not sub.nothing_new:
            subs.reschedule(sub.chat_id, after)
            return "nothing-new"
        async with self.slots:  # claim only with a send slot: few claims wait, few in doubt
            if not subs.claim(sub.chat_id, "daily", day.isoformat(), self.owner, then=after):
                return "already-claimed"
            return await self._send(sub, found, day.isoformat(), after)

    async def _send(self, sub: Subscription, found: list[Article], key: str, after: Due) -> str:
        subs, chat, sent = self.svc.subscriptions, sub.chat_id, 0

        def on_the_wire(leaving: bool) -> None:  # called as each try leaves, and if it fails
            subs.mark_sending(chat, "daily", key, sending=leaving)

        try:
            for text, markup in self._rendered(found, sub):
                if self.svc.settings.rate_limit:
                    await self.bot.send_message(
                        chat, text, reply_markup=markup, rate_limit_args=on_the_wire
                    )
                else:
                    on_the_wire(True)
                    await self.bot.send_message(chat, text, reply_markup=markup)
                sent += 1
        except Forbidden:
            subs.finish(chat, "daily", key, "failed", error="blocked")
            subs.mark_blocked(chat)
            return "blocked"
        except (RetryAfter, TimedOut, NetworkError) as error:
            if sent:  # part of it arrived: resending would repeat that part
                subs.finish(chat, "daily", key, "partial", error=str(error))
                return "partial"
            retry = Due(after.day - timedelta(days=1), self.now + RETRY_AFTER_FAILURE)
            subs.release(chat, "daily", key, retry)  # certainly not delivered: again soon
            logger.info("digest to %s failed (%s); retrying in 10 seconds", chat, error)
            return "retry"
        except BadRequest as error:  # our message broke a rule: a retry would fail the same
            logger.error("digest to %s refused: %s", chat, error.message)
            subs.finish(chat, "daily", key, "failed", error=error.message)
            return "failed"
        ids = [article.id for article in found]
        subs.finish(chat, "daily", key, "sent", articles=ids, seen_id=self.until_id)
        return "sent"

    async def broadcast(self, article_id: int) -> list[str]:
        """Breaking news to every reader who asked for it, once each, resumable."""
        subs, tried, outcomes = self.svc.subscriptions, set[int](), list[str]()
        try:
            self.svc.store.get(article_id)
        except ArticleNotFoundError:  # deleted before it went out: nothing to send
            subs.finish_broadcast(article_id)
            return outcomes
        while chats := [c for c in subs.broadcast_recipients(article_id) if c not in tried]:
            tried.update(chats)
            outcomes += await asyncio.gather(*(self._breaking(c, article_id) for c in chats))
        if "retry" not in outcomes:  # a failed send is tried again in the next round
            subs.finish_broadcast(article_id)
        return outcomes

    async def _breaking(self, chat: int, article_id: int) -> str:
        subs, key = self.svc.subscriptions, str(article_id)
        async with self.slots:
            if not subs.claim(chat, "breaking", key, self.owner, then=None):
                return "already-claimed"
            subs.mark_sending(chat, "breaking", key)
            try:
                await send_article(self.bot, chat, article_id, self.svc, breaking=True)
            except Forbidden:
                subs.finish(chat, "breaking", key, "failed", error="blocked")
                subs.mark_blocked(chat)
                return "blocked"
            except (RetryAfter, TimedOut, NetworkError):
                subs.release(chat, "breaking", key, None)
                return "retry"
            except (BadRequest, ArticleNotFoundError) as error:
                subs.finish(chat, "breaking", key, "failed", error=str(error))
                return "failed"
            subs.finish(chat, "breaking", key, "sent", articles=[article_id])
            return "breaking-sent"

    def _new_articles(self, sub: Subscription) -> list[Article]:
        """What is new to this reader: found once for every reader who has seen the same."""
        key = (sub.seen_id, sub.topics)
        if key not in self._found:
            self._found[key] = self.svc.store.new_articles(
                sub.seen_id, self.until_id, sub.topics, ARTICLES
            )
        return self._found[key]

    def _rendered(self, found: list[Article], sub: Subscription) -> Messages:
        """The digest's messages: made once for every reader with the same news and day."""
        day = self.now.astimezone(sub.timezone).date()
        key = (tuple(a.id for a in found), sub.timezone.key, day)
        if key not in self._messages:
            items = [(a, self.svc.store.summary(a.id, sentences=2)) for a in found]
            self._messages[key] = render_digest.digest_messages(items, sub.timezone, self.now)
        return self._messages[key]
