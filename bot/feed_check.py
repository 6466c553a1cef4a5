"""Checking an address before it becomes a source: is it a feed, or a page that names one?

`newsbot source add` and the chat's /source say what they found (the feed's title and how
many items it has) before anything is stored, so a typo or a dead feed is caught at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.feed_fetch import FEED_DEADLINE, fetch_feed
from summaries.errors import FeedError, NewsbotError, NotAFeedError
from summaries.feed_discovery import feed_links
from summaries.feed_items import ParsedFeed
from summaries.feed_parse import parse_feed


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """A feed that answered and parsed, at `url` (the page's feed when `page` is set)."""

    url: str
    feed: ParsedFeed
    page: str | None = None  # the web page given, when the feed was found through it


async def find_feed(
    url: str, *, now: datetime, allow_loopback: bool = False, deadline: float = FEED_DEADLINE
) -> FoundFeed:
    """The feed at `url`, or the first working feed a web page at `url` links to; each fetch
    within `deadline` seconds (a trickling server can't keep `source add` waiting).

    FeedError (or bot.fetch.FetchError) says what is wrong: nothing answered, the page names
    no feed, or what it names is not a feed.
    """
    response = await fetch_feed(url, now=now, allow_loopback=allow_loopback, deadline=deadline)
    try:
        feed = await asyncio.to_thread(
            parse_feed, response.body, url=response.url, content_type=response.content_type
        )
        return FoundFeed(response.url, feed)
    except NotAFeedError:
        html = response.body.decode("utf-8", "replace")
        links = feed_links(html, response.url)
    if not links:
        raise FeedError(
            'that is a web page with no feed link (<link rel="alternate">)', code="no-feed-link"
        )
    failures: list[tuple[str, NewsbotError]] = []
    for link in links[:3]:  # a page may name a dead feed first; three tries are plenty
        try:
            linked = await fetch_feed(
                link, now=now, allow_loopback=allow_loopback, deadline=deadline
            )
            feed = await asyncio.to_thread(
                parse_feed, linked.body, url=linked.url, content_type=linked.content_type
            )
        except NewsbotError as error:  # FetchError or FeedError: try the next
            failures.append((link, error))
            continue
        return FoundFeed(linked.url, feed, page=response.url)
    said = "; ".join(f"{link}: {error}" for link, error in failures)
    raise FeedError(
        f"the page's feed could not be read ({said})", code="feed-unreadable", failures=failures
    )
