"""A feed poll as the poller runs it, without the network: plan, remember, store."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from summaries.article_summary import for_publishing
from summaries.feed_ingest import Outcome, draft_for, plan, remember_old, store_item
from summaries.feed_items import FeedItem, ParsedFeed
from summaries.sources import Sources
from summaries.store import ArticleStore


def item(n: int, **fields: object) -> FeedItem:
    """The n-th story of a feed: guid, link, title and a body of two sentences."""
    values: dict[str, object] = {
        "title": f"Story {n}",
        "body": f"Something happened in town number {n}. People talked about it all day.",
        "guid": f"guid-{n}",
        "link": f"https://news.example.org/story/{n}",
    }
    return FeedItem(**(values | fields))  # type: ignore[arg-type]


def poll(
    store: ArticleStore,
    source_id: int,
    items: Iterable[FeedItem],
    *,
    now: datetime,
    limit: int = 20,
    language: str = "english",
) -> list[Outcome]:
    """One poll of a source serving `items`: what store_item answered for each it was given."""
    source = Sources(store.db).get(source_id)
    plans = plan(store, source, ParsedFeed("A feed", tuple(items)), first_poll_limit=limit)
    remember_old(store, source, plans, now=now)
    outcomes: list[Outcome] = []
    for planned in plans:
        if planned.action in ("new", "changed"):
            draft = draft_for(planned.item, language=language, now=now, source_id=source.id)
            summary = for_publishing(draft)
            outcomes.append(store_item(store, source, planned.item, draft, summary, now=now))
    return outcomes
