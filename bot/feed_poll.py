"""Polling feed sources: fetch politely, parse, read teasers' pages, summarize, store.

Each item is stored in its own transaction (summaries.feed_ingest), so a crash mid-poll
leaves nothing half-written and the next poll finishes the job. The slow parts (parsing,
pages' extraction, summarizing) run off the event loop: readers are answered meanwhile.
The store itself is only used in the event loop's thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import httpx
from telegram.ext import CallbackContext

from bot.feed_fetch import FEED_TIMEOUT, FeedHTTPError, FeedResponse, fetch_feed
from bot.fetch import FetchError, fetch_page
from summaries import article_summary
from summaries.alerts import Alerts
from summaries.article_summary import Summarizer
from summaries.articles import check_url
from summaries.errors import FeedError, NewsbotError, NotAFeedError, SourceNotFoundError
from summaries.extract import MIN_TEXT
from summaries.feed_ingest import (
    ItemPlan,
    draft_for,
    feed_language,
    plan,
    remember_old,
    store_item,
)
from summaries.feed_items import FeedItem, ParsedFeed
from summaries.feed_parse import parse_feed
from summaries.models import Draft, to_db_time
from summaries.sources import Notice, Source, Sources
from summaries.store import ArticleStore

logger = logging.getLogger(__name__)

FIRST_POLL_ITEMS = 20  # a new source's newest items stored; the older are only remembered
PAGES_AT_ONCE = 4  # teasers' pages fetched at once, per poll
# Seconds a whole feed, or a teaser's page, may take to arrive: each read has its timeout, but
# a server trickling a byte at a time would otherwise hold its poll, and so the round and every
# other source's polls, for as long as it likes.
FEED_DEADLINE = 120.0
PAGE_DEADLINE = 60.0


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll of one source did, for the CLI's line, the chat and the log."""

    source: Source
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # items whose article the feed may not change: edited or deleted by hand,
    # or another source's (the same link)
    skipped: int = 0  # items that could not become articles (told in the log)
    not_modified: bool = False  # a 304: nothing fetched, nothing parsed
    malformed: str | None = None  # items were recovered from broken XML
    error: str | None = None  # the poll failed: why

    @property
    def failed(self) -> bool:
        """The poll failed (nothing stored, the source backs off)."""
        return self.error is not None


@dataclass(frozen=True, slots=True)
class PollSettings:
    """How polls behave: from the configuration, or a test's."""

    default_every: int = 900  # seconds between polls of a source with no interval of its own
    first_poll_items: int = FIRST_POLL_ITEMS
    allow_loopback: bool = False  # tests serve feeds and pages from 127.0.0.1
    at_once: int = 4  # sources polled at the same time
    feed_timeout: float | None = None  # seconds a feed's answer is waited for (None: 10, as
    # bot.feed_fetch waits); tests shorten it
    feed_deadline: float = FEED_DEADLINE  # seconds the whole feed may take to arrive
    page_deadline: float = PAGE_DEADLINE  # seconds a teaser's page (and its image) may take


class FeedPoller:
    """Polls sources, never two polls of one source at once (in this process; the store's
    per-item identity check keeps two processes from storing an item twice)."""

    def __init__(
        self,
        store: ArticleStore,
        sources: Sources,
        summarizer: Summarizer,
        settings: PollSettings,
    ) -> None:
        self.store = store
        self.sources = sources
        self.summarizer = summarizer
        self.settings = settings
        self.alerts = Alerts(store.db)
        self._polling: set[int] = set()
        self.stopping = False  # set as the bot stops: polls end after the item in hand
        self.in_round = False  # a round of due polls is under way (the feed job's)
        self.round_task: asyncio.Task[Any] | None = None

    def stop(self) -> None:
        """Wind down: no new poll starts, and the round under way is cancelled where it
        waits (a fetch, a summary), between items: each item is its own transaction, a poll
        cut short records nothing, and what was not stored comes at the next poll. So a
        feed that trickles its answer can't hold the bot's stop up."""
        self.stopping = True
        if self.round_task is not None:
            self.round_task.cancel()

    def track(self, task: asyncio.Task[Any]) -> None:
        """The feed job's round, as a task: `stop` cancels it."""
        self.round_task = task
        task.add_done_callback(lambda _: setattr(self, "round_task", None))

    def begin_round(self) -> bool:
        """Claim the next round of due polls; False while one is under way or stopping."""
        if self.in_round or self.stopping:
            return False
        self.in_round = True
        return True

    async def poll_due(self, now: datetime) -> list[PollReport]:
        """Poll every active source that is due, a few at a time (ends a begun round)."""
        try:
            due = self.sources.due(now, default_every=self.settings.default_every)
            return await self.poll_many((source.id for source in due), now=now)
        finally:
            self.in_round = False

    async def poll_many(self, ids: Iterable[int], *, now: datetime) -> list[PollReport]:
        """Poll these sources now, whatever their intervals, a few at a time, in order."""
        gate = asyncio.Semaphore(self.settings.at_once)

        async def one(source_id: int) -> PollReport | None:
            async with gate:
                return await self.poll(source_id, now=now)

        reports = await asyncio.gather(*(one(source_id) for source_id in ids))
        return [report for report in reports if report is not None]

    async def poll(self, source_id: int, *, now: datetime) -> PollReport | None:
        """Poll one source now; None if a poll of it is already under way here, or if it is
        no source (any more: removed before or during its poll, whose articles stay)."""
        if source_id in self._polling or self.stopping:
            return None
        self._polling.add(source_id)
        try:
            source = self.sources.get(source_id)
            try:
                return await self._poll(source, now)
            except SourceNotFoundError:
                raise
            except (FetchError, FeedError) as error:
                return self._failed(source, error, now, getattr(error, "retry_after", None))
            except Exception as error:  # a bug met by one feed is its poll's
                # failure: it backs off (not polled again every few seconds), and the round's
                # other polls go on. asyncio.CancelledError is no Exception: a stop still stops.
                logger.exception("source %s (%s): poll failed", source.id, source.url)
                kind = type(error).__name__
                problem = NewsbotError(
                    f"an unexpected error ({kind}); see the log", code="poll-crashed", kind=kind
                )
                return self._failed(source, problem, now, None)
        except SourceNotFoundError:
            logger.info("source %s: removed, not polled (or no further)", source_id)
            return None
        finally:
            self._polling.discard(source_id)

    async def _poll(self, source: Source, now: datetime) -> PollReport:
        response = await fetch_feed(
            source.url,
            now=now,
            etag=source.etag,
            last_modified=source.last_modified,
            allow_loopback=self.settings.allow_loopback,
            timeouts=FEED_TIMEOUT
            if self.settings.feed_timeout is None
            else httpx.Timeout(self.settings.feed_timeout),
            deadline=self.settings.feed_deadline,  # the whole answer: a trickle can't hold us
        )
        if response.status == 304:
            self._succeeded(
                source,
                now,
                etag=response.etag or source.etag,
                last_modified=response.last_modified or source.last_modified,
            )
            return PollReport(self.sources.get(source.id), not_modified=True)
        try:
            feed = await asyncio.to_thread(
                parse_feed, response.body, url=response.url, content_type=response.content_type
            )
        except NotAFeedError:
            raise FeedError(
                "the address now answers a web page, not a feed", code="now-a-web-page"
            ) from None
        if feed.malformed:
            logger.warning("source %s: the feed is malformed (%s)", source.id, feed.malformed)
        counts = await self._store(source, feed, now)
        if not counts["stopped"]:
            self._succeeded(source, now, etag=response.etag, last_modified=response.last_modified)
        # else: stopped with items left. The poll is not recorded: the source stays due, and the
        # next poll sends the old validators, so the feed comes whole (not a 304) with the rest.
        return PollReport(
            self.sources.get(source.id),
            new=counts["new"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            kept=counts["kept"],
            skipped=counts["skipped"] + feed.skipped,
            malformed=feed.malformed,
        )

    async def _store(self, source: Source, feed: ParsedFeed, now: datetime) -> dict[str, int]:
        """Store the feed's new and changed items, each in its own transaction; "stopped" is 1
        when the poller was stopped before all were stored."""
        plans = plan(self.store, source, feed, first_poll_limit=self.settings.first_poll_items)
        remember_old(self.store, source, plans, now=now)  # before storing: see its docstring
        counts = {"new": 0, "updated": 0, "unchanged": 0, "kept": 0, "skipped": 0, "stopped": 0}
        language = feed_language(source, feed)
        pages = asyncio.Semaphore(PAGES_AT_ONCE)

        async def prepared(item_plan: ItemPlan) -> Draft | None:
            async with pages:
                return await self._draft(source, item_plan.item, language, now)

        work = [p for p in plans if p.action in ("new", "changed")]
        drafts = await asyncio.gather(*(prepared(p) for p in work))
        for item_plan, draft in zip(work, drafts, strict=True):
            if self.stopping:
                counts["stopped"] = 1
                break
            if draft is None:
                counts["skipped"] += 1
                continue
            summary = await asyncio.to_thread(
                article_summary.for_publishing, draft, self.summarizer
            )
            outcome = store_item(self.store, source, item_plan.item, draft, summary, now=now)
            named = {"added": "new", "updated": "updated", "kept": "kept", "merged": "kept"}
            counts[named.get(outcome, "unchanged")] += 1
        counts["unchanged"] += sum(1 for p in plans if p.action == "unchanged")
        counts["kept"] += sum(1 for p in plans if p.action == "kept")
        return counts

    async def _draft(
        self, source: Source, item: FeedItem, language: str, now: datetime
    ) -> Draft | None:
        """The article for an item, with the story's page read when the feed gives only a
        teaser; None (and a line in the log) when it can't become an article."""
        try:
            draft = draft_for(item, language=language, now=now, source_id=source.id)
            if len(item.body) < MIN_TEXT and item.link:
                story = await self._with_page(source, item.link, draft, now)
                draft = self.store.checked(story, now=now)
        except NewsbotError as error:
            logger.warning("source %s: item %r skipped: %s", source.id, item.title[:80], error)
            return None
        return draft

    async def _with_page(self, source: Source, link: str, draft: Draft, now: datetime) -> Draft:
        """The draft with the story's text from its page (and the page's lead image if the
        item has none); the teaser as it is when the page can't be had."""
        try:
            page = await fetch_page(
                link,
                now=now,
                allow_loopback=self.settings.allow_loopback,
                deadline=self.settings.page_deadline,
                image=False,
            )
        except NewsbotError as error:
            problem = f"the page could not be had ({error})"
        else:
            problem = ""
        if problem:
            logger.warning("source %s: %s: %s; the teaser is stored", source.id, link, problem)
            return draft
        story = dataclasses.replace(draft, body=page.draft.body)
        if draft.photo_url or not page.image_url:
            return story
        try:  # the page's lead image, as a link like the feed's own photos: no bytes stored
            return dataclasses.replace(story, photo_url=check_url(page.image_url, "photo link"))
        except NewsbotError:
            return story

    def _succeeded(
        self, source: Source, now: datetime, *, etag: str | None, last_modified: str | None
    ) -> None:
        """Record a poll that worked, and queue the admins' alert if it had been failing,
        in one transaction: a crash can't lose the alert nor send it twice."""
        next_at = now + timedelta(seconds=source.every or self.settings.default_every)
        with self.store.db.atomic():
            notice = self.sources.polled(
                source.id, now=now, etag=etag, last_modified=last_modified, next_at=next_at
            )
            if notice is Notice.RECOVERED:
                self.alerts.queue("source-recovered", _details(source), now=now)

    def _failed(
        self, source: Source, error: NewsbotError, now: datetime, retry_after: datetime | None
    ) -> PollReport:
        """Record a failed poll (the source backs off), and queue the admins' alert when it
        has now failed long enough, in one transaction. The error's English words are kept
        with its code and fields, which the chat words in each admin's language."""
        logger.warning("source %s (%s): poll failed: %s", source.id, source.url, error)
        with self.store.db.atomic():
            notice = self.sources.failed(
                source.id,
                now=now,
                error=str(error),
                retry_after=retry_after,
                default_every=self.settings.default_every,
                code=error.code,
                fields=error.fields,
            )
            if notice is Notice.FAILING:
                failing = self.sources.get(source.id)
                self.alerts.queue("source-failing", _details(failing), now=now)
        return PollReport(self.sources.get(source.id), error=str(error))


def _details(source: Source) -> dict[str, Any]:
    """What an alert about a source says: kept as it was when the alert was queued."""
    return {
        "source_id": source.id,
        "name": source.name,
        "url": source.url,
        "error": source.last_error,  # the English words; the code and fields word it anew
        "error_code": source.last_error_code,
        "error_fields": source.last_error_json,
        "failures": source.failures,
        "since": to_db_time(source.failing_since) if source.failing_since else None,
    }


__all__ = ["FeedHTTPError", "FeedPoller", "FeedResponse", "PollReport", "PollSettings"]


def feed_poller(context: CallbackContext[Any, Any, Any, Any]) -> FeedPoller:
    """The application's poller (set up by `build_application`)."""
    return cast(FeedPoller, context.bot_data["feed_poller"])
