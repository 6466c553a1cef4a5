"""The services handlers use, kept in `bot_data` by `build_application`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, cast

from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
from summaries import article_summary
from summaries.activity import ActivityLog
from summaries.alerts import Alerts
from summaries.article_summary import Summarizer
from summaries.deliveries import Deliveries
from summaries.leases import Leases
from summaries.models import Article, Draft, utc_now
from summaries.sources import Sources
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions
from summaries.summarize import DEFAULT_SENTENCES, summarize


@dataclass(frozen=True, slots=True)
class Services:
    """Settings and stores, one set per application."""

    settings: Settings
    store: ArticleStore
    activity: ActivityLog
    subscriptions: Subscriptions
    deliveries: Deliveries
    leases: Leases
    # The bot's one clock: handlers and the digest job read it and pass `now` to the stores.
    clock: Callable[[], datetime] = field(default=utc_now)  # tests turn time here, only
    summarizer: Summarizer = field(default=summarize)  # tests give one of their own

    @property
    def sources(self) -> Sources:
        """The feed sources (summaries/sources.py), over the same database."""
        return Sources(self.store.db)

    @property
    def alerts(self) -> Alerts:
        """Alerts for the admins, queued and not yet sent (summaries/alerts.py)."""
        return Alerts(self.store.db)

    # Summaries are slow (a long article takes a good part of a second), so they are made in
    # a worker thread while the event loop serves other readers; the store is only used
    # here, in the loop's thread, before and after.

    async def summary(self, article: Article, *, sentences: int = DEFAULT_SENTENCES) -> list[str]:
        """The article's summary: kept in the store, or made off the event loop and kept."""
        found = article_summary.cached(self.store, article, sentences=sentences)
        if found is not None:
            return found
        made = await asyncio.to_thread(
            article_summary.compute, article, self.summarizer, sentences=sentences
        )
        self.store.keep_summary(article.id, made)
        return made.sentences

    async def preview_summary(self, article: Article) -> list[str]:
        """A draft's summary for its preview: made off the event loop, and not kept."""
        made = await asyncio.to_thread(article_summary.compute, article, self.summarizer)
        return made.sentences

    async def add_article(self, draft: Draft, *, now: datetime) -> Article:
        """article_summary.add_article, with the summary made off the event loop."""
        checked = self.store.checked(draft, now=now)
        summary = await asyncio.to_thread(article_summary.for_publishing, checked, self.summarizer)
        return self.store.add(checked, summary, now=now)

    async def update_article(
        self,
        article_id: int,
        *,
        now: datetime,
        expected_version: int | None = None,
        drop_photo: bool = False,
        **changes: Any,
    ) -> Article:
        """article_summary.update_article, with any new summary made off the event loop."""
        source = article_summary.text_to_summarize(
            self.store, article_id, now=now, drop_photo=drop_photo, **changes
        )
        summary = None
        if source is not None:
            summary = await asyncio.to_thread(
                article_summary.for_publishing, source, self.summarizer
            )
        return self.store.update(
            article_id,
            now=now,
            expected_version=expected_version,
            drop_photo=drop_photo,
            summary=summary,
            **changes,
        )


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """The application's services (the one cast over `bot_data`)."""
    return cast(Services, context.bot_data["services"])


class DigestRounds(Protocol):
    """What handlers may ask of the digest job (bot/digests.py), which sits beside them."""

    async def run_round(self, bot: ExtBot[Any]) -> dict[str, int]:
        """Send every digest and breaking news due now, after any round under way."""
        ...


def digest_sender(context: CallbackContext[Any, Any, Any, Any]) -> DigestRounds:
    """The application's digest sender (a DigestSender, set up by `build_application`)."""
    return cast(DigestRounds, context.bot_data["digest_sender"])
