"""One round of sending: each due reader's digest, and breaking news, claim → send → mark.

Made by DigestSender (digests.py) for each look at the schedule; it keeps what many readers
share (the new articles, the rendered digest) for the length of the round.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import Any

from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.delivery.article import send_article
from bot.delivery.digest import Messages, digest_articles, digest_messages, nothing_new_notice
from bot.i18n import SOURCE, current, using
from bot.ratelimit import certainly_failed, leaving, may_have_arrived
from bot.render import alerts as render_alerts
from bot.render import digest as render_digest
from bot.render.correction import correction_notice
from bot.services import Services
from summaries.alerts import Alert
from summaries.corrections import KIND as CORRECTION
from summaries.corrections import Correction, Corrections
from summaries.deliveries import Deliveries
from summaries.errors import ArticleNotFoundError
from summaries.models import Article, Subscription
from summaries.schedule import Due, catch_up, following_due

logger = logging.getLogger(__name__)

CONCURRENCY = 8  # sends in flight: enough to keep pace with Telegram, few in doubt at a crash
RETRY_AFTER_FAILURE = timedelta(seconds=10)  # after a 5xx or a timeout: soon, not in a loop


class Round:
    """One digest round: what exists now, and what is made once for many readers."""

    def __init__(
        self, bot: ExtBot[Any], svc: Services, owner: str, now: datetime, *, until_id: int
    ) -> None:
        self.bot, self.svc, self.owner, self.now = bot, svc, owner, now
        self.until_id = until_id  # one snapshot of the articles for the whole round
        self.lease_lost = False  # set by the lease keeper: claim nothing more
        self.slots = asyncio.Semaphore(CONCURRENCY)
        self._found: dict[tuple[int, tuple[str, ...]], list[Article]] = {}
        self._messages: dict[tuple[tuple[int, ...], str, date, str], Messages] = {}

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
            if self.lease_lost:
                return "lease-lost"
            key = f"{day.isoformat()} {sub.timezone.key}"  # a local date, in that zone
            ids = [article.id for article in found]
            claimed = self.svc.deliveries.claim(
                sub.chat_id, "daily", key, self.owner,
                now=self.svc.clock(), then=after, articles=ids,
            )  # fmt: skip
            if not claimed:
                return "already-claimed"
            return await self._send(sub, found, key, after)

    async def _send(self, sub: Subscription, found: list[Article], key: str, after: Due) -> str:
        """Send the digest's messages; one that timed out probably arrived, so go on."""
        deliveries, chat, doubt = self.svc.deliveries, sub.chat_id, None
        on_the_wire = WireMarks(deliveries, chat, "daily", key)
        with using(self._language(chat)):
            messages = await self._rendered(found, sub)
        for sent, (text, markup) in enumerate(messages):
            try:
                with leaving(on_the_wire):
                    await self.bot.send_message(chat, text, reply_markup=markup)
            except TelegramError as error:
                if may_have_arrived(error):  # Telegram was slow to answer: count it as sent
                    doubt = str(error)
                elif sent:  # part of it arrived: resending would repeat that part
                    deliveries.finish(
                        chat, "daily", key, "partial", now=self.svc.clock(), error=str(error)
                    )
                    return "partial"
                else:
                    retry = Due(after.day - timedelta(days=1), self.now + RETRY_AFTER_FAILURE)
                    return self._failed(chat, "daily", key, error, retry)
        state = "sent" if doubt is None else "in-doubt"
        ids = [article.id for article in found]
        deliveries.finish(
            chat, "daily", key, state,
            now=self.svc.clock(), articles=ids, error=doubt, seen_id=self.until_id,
        )  # fmt: skip
        return state

    async def broadcast(self, article_id: int) -> list[str]:
        """Breaking news to every reader who asked for it, once each, resumable."""
        deliveries, tried, outcomes = self.svc.deliveries, set[int](), list[str]()
        try:
            self.svc.store.get(article_id)
        except ArticleNotFoundError:  # deleted before it went out: nothing to send
            deliveries.finish_broadcast(article_id, now=self.svc.clock())
            return outcomes
        while chats := [c for c in deliveries.broadcast_recipients(article_id) if c not in tried]:
            tried.update(chats)
            outcomes += await asyncio.gather(*(self._breaking(c, article_id) for c in chats))
        if "retry" not in outcomes:  # a failed send is tried again in the next round
            deliveries.finish_broadcast(article_id, now=self.svc.clock())
        return outcomes

    async def _breaking(self, chat: int, article_id: int) -> str:
        deliveries, key = self.svc.deliveries, str(article_id)
        async with self.slots:
            if self.lease_lost:
                return "lease-lost"
            now = self.svc.clock()
            if not deliveries.claim(chat, "breaking", key, self.owner, now=now, then=None):
                return "already-claimed"
            on_the_wire = WireMarks(deliveries, chat, "breaking", key)
            try:
                with using(self._language(chat)):
                    await send_article(
                        self.bot, chat, article_id, self.svc, on_the_wire=on_the_wire
                    )
            except TelegramError as error:
                if on_the_wire.some_left and not may_have_arrived(error):  # the photo went
                    deliveries.finish(
                        chat, "breaking", key, "partial", now=self.svc.clock(), error=str(error)
                    )
                    return "partial"
                return self._failed(chat, "breaking", key, error, None)
            except ArticleNotFoundError as error:  # deleted while it went out
                deliveries.finish(
                    chat, "breaking", key, "failed", now=self.svc.clock(), error=str(error)
                )
                return "failed"
            deliveries.finish(
                chat, "breaking", key, "sent", now=self.svc.clock(), articles=[article_id]
            )
            return "breaking-sent"

    async def correction(self, correction: Correction) -> list[str]:
        """A correction's notice to every reader whose digest or breaking news carried the
        article, once each (claimed, marked as it leaves), resumable, as a broadcast is."""
        corrections, tried, outcomes = Corrections(self.svc.store.db), set[int](), list[str]()
        article = self.svc.store.get_any(correction.article_id)
        while chats := [c for c in corrections.recipients(correction.id) if c not in tried]:
            if self.lease_lost:
                return outcomes
            tried.update(chats)
            outcomes += await asyncio.gather(
                *(self._correction(c, correction, article.title) for c in chats)
            )
        if "retry" not in outcomes and "lease-lost" not in outcomes:
            corrections.finish_correction(correction.id, now=self.svc.clock())
        return outcomes

    async def _correction(self, chat: int, correction: Correction, title: str) -> str:
        deliveries, key = self.svc.deliveries, str(correction.id)
        async with self.slots:
            if self.lease_lost:
                return "lease-lost"
            now = self.svc.clock()
            if not deliveries.claim(chat, CORRECTION, key, self.owner, now=now, then=None):
                return "already-claimed"
            with using(self._language(chat)):
                text, markup = correction_notice(correction.article_id, title, correction.note)
            try:
                with leaving(WireMarks(deliveries, chat, CORRECTION, key)):
                    await self.bot.send_message(chat, text, reply_markup=markup)
            except TelegramError as error:
                return self._failed(chat, CORRECTION, key, error, None)
            deliveries.finish(chat, CORRECTION, key, "sent", now=self.svc.clock())
            return "correction-sent"

    async def alert(self, alert: Alert) -> list[str]:
        """An alert to every admin, once each (claimed, marked as it leaves), resumable."""
        chats = sorted(self.svc.settings.admin_ids)
        outcomes = list(await asyncio.gather(*(self._alert(c, alert) for c in chats)))
        if "retry" not in outcomes and "lease-lost" not in outcomes:
            self.svc.alerts.finish(alert.id, now=self.svc.clock())
        return outcomes

    async def _alert(self, chat: int, alert: Alert) -> str:
        deliveries, key = self.svc.deliveries, str(alert.id)
        async with self.slots:
            if self.lease_lost:
                return "lease-lost"
            now = self.svc.clock()
            if not deliveries.claim(chat, "alert", key, self.owner, now=now, then=None):
                return "already-claimed"
            try:
                with (
                    leaving(WireMarks(deliveries, chat, "alert", key)),
                    using(self._language(chat)),
                ):
                    text, markup = render_alerts.alert_message(alert)
                    await self.bot.send_message(chat, text, reply_markup=markup)
            except TelegramError as error:
                return self._failed(chat, "alert", key, error, None)
            deliveries.finish(chat, "alert", key, "sent", now=self.svc.clock())
            return "alert-sent"

    def _failed(
        self, chat: int, kind: str, key: str, error: TelegramError, retry: Due | None
    ) -> str:
        """Settle a send Telegram did not confirm: blocked, in doubt, retry later, or failed."""
        deliveries, now = self.svc.deliveries, self.svc.clock()
        if isinstance(error, Forbidden):  # blocked: no more tries, the reader is marked
            deliveries.finish(chat, kind, key, "failed", now=now, error="blocked")
            self.svc.subscriptions.mark_blocked(chat, now=now)
            return "blocked"
        if may_have_arrived(error):  # no answer from Telegram: it may have it, so not resent
            deliveries.finish(chat, kind, key, "in-doubt", now=now, error=str(error))
            return "in-doubt"
        if isinstance(error, RetryAfter) or certainly_failed(error):  # not delivered: again soon
            deliveries.release(chat, kind, key, retry)
            logger.info("%s to %s failed (%s); retrying later", kind, chat, error)
            return "retry"
        logger.error("%s to %s refused: %s", kind, chat, error)  # our message broke a rule
        deliveries.finish(chat, kind, key, "failed", now=now, error=str(error))
        return "failed"

    def _language(self, chat: int) -> str:
        """The reader's (or admin's) language, for what is sent to them unasked."""
        return self.svc.subscriptions.language(chat) or SOURCE

    def _new_articles(self, sub: Subscription) -> list[Article]:
        """What is new to this reader: found once for every reader who has seen the same."""
        key = (sub.seen_id, sub.topics)
        if key not in self._found:
            self._found[key] = digest_articles(self.svc, sub.seen_id, sub.topics, self.until_id)
        return self._found[key]

    async def _rendered(self, found: list[Article], sub: Subscription) -> Messages:
        """The digest's messages: made once for every reader with the same news and day."""
        if not found:  # the notice says why, and that depends on the reader
            notice = nothing_new_notice(self.svc, sub, self.until_id)
            return render_digest.digest_messages([], sub.timezone, self.now, notice=notice)
        day = self.now.astimezone(sub.timezone).date()
        key = (tuple(a.id for a in found), sub.timezone.key, day, current().language)
        if key not in self._messages:
            self._messages[key] = await digest_messages(self.svc, found, sub.timezone, self.now)
        return self._messages[key]


class WireMarks:
    """The `leaving()` hook for one delivery, which may take several requests.

    Marks it 'sending' as each request starts to leave. After a try that certainly failed it
    goes back to a plain claim (safe to send again after a crash) only if none of its earlier
    requests went out: a photo already shown must never be shown again.
    """

    def __init__(self, deliveries: Deliveries, chat: int, kind: str, key: str) -> None:
        self.deliveries, self.chat, self.kind, self.key = deliveries, chat, kind, key
        self.in_flight = False  # a request left and has not come back refused
        self.some_left = False  # an earlier request went out (sent, or in doubt)

    def __call__(self, leaving: bool) -> None:
        """True as a request starts to leave; False when it came back certainly refused."""
        if leaving:
            self.some_left = self.some_left or self.in_flight  # the previous one went out
            self.in_flight = True
            self.deliveries.mark_sending(self.chat, self.kind, self.key)
        else:
            self.in_flight = False
            if not self.some_left:
                self.deliveries.mark_sending(self.chat, self.kind, self.key, sending=False)
