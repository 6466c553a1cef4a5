"""Feeds made to order for poll tests: RSS whose stories' pages the local site serves.

`rss(stories)` writes a feed; `page(story)` the story's web page, with enough text for the
extractor; `local_copy` serves a file of tests/data/feeds/ with its links on the local site.
`poller(store)` is a FeedPoller as the bot makes one, loopback allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html import escape

from bot.feed_poll import FeedPoller, PollSettings
from summaries.sources import Sources
from summaries.store import ArticleStore
from summaries.summarize import summarize
from tests.helpers.feed_server import FEEDS, FeedServer, Route

SENTENCES = (
    "The harbour authority said on Tuesday that the new quay would open next spring.",
    "Work on the foundations began two years ago and ran three months late.",
    "Fishermen welcomed the news but asked for more mooring places for small boats.",
    "The council will pay a third of the cost, and the port the rest.",
    "A public meeting about the plans is held next week in the town hall.",
)


@dataclass(frozen=True)
class Story:
    """One item of a made feed: its page is /story/<n> on the local site."""

    n: int
    title: str = ""
    body: str = ""  # "" : a teaser feed (the text is on the page)
    guid: str | None = None
    photo: str | None = None
    caption: str = ""
    credit: str = ""
    published: str | None = "Fri, 04 Dec 2026 10:00:00 GMT"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def headline(self) -> str:
        return self.title or f"Quay number {self.n} opens next spring"

    @property
    def path(self) -> str:
        return f"/story/{self.n}"


def story(n: int, **fields: object) -> Story:
    """The n-th story with its full text in the feed and a guid."""
    text = f"Story {n}. " + " ".join(SENTENCES)
    values: dict[str, object] = {"body": text, "guid": f"story-{n}"}
    return replace(Story(n), **(values | fields))  # type: ignore[arg-type]


def rss(site: FeedServer, stories: Iterable[Story], *, title: str = "Harbour News") -> bytes:
    """An RSS 2.0 feed of `stories`, in order, linking to their pages on `site`."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>{escape(title)}</title><link>{site.base_url}/</link><language>en</language>"
    ]
    for s in stories:
        item = [f"<title>{escape(s.headline)}</title><link>{site.url(s.path)}</link>"]
        if s.guid is not None:
            item.append(f'<guid isPermaLink="false">{escape(s.guid)}</guid>')
        if s.published is not None:
            item.append(f"<pubDate>{s.published}</pubDate>")
        if s.body:
            item.append(f"<content:encoded><![CDATA[<p>{escape(s.body)}</p>]]></content:encoded>")
        else:
            item.append(f"<description>{escape(s.headline)}: read more.</description>")
        if s.photo:
            item.append(
                f'<media:content url="{escape(s.photo)}" medium="image" type="image/jpeg">'
                f"<media:description>{escape(s.caption)}</media:description>"
                f"<media:credit>{escape(s.credit)}</media:credit></media:content>"
            )
        parts.append("<item>" + "".join(item) + "</item>")
    return ("".join(parts) + "</channel></rss>").encode()


def page(s: Story) -> bytes:
    """The story's web page: an article of several paragraphs, in a site's frame."""
    paragraphs = "".join(f"<p>{escape(f'Page of story {s.n}. {line}')}</p>" for line in SENTENCES)
    return (
        f'<!doctype html><html lang="en"><head><title>{escape(s.headline)}</title></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{escape(s.headline)}</h1>"
        f"{paragraphs}{paragraphs}</article><footer>Copyright 2026</footer></body></html>"
    ).encode()


def page_routes(stories: Iterable[Story], *, delay: float = 0.0) -> dict[str, Route]:
    return {
        s.path: Route(page(s), content_type="text/html; charset=utf-8", delay=delay)
        for s in stories
    }


def local_copy(name: str, site: FeedServer, **options: object) -> Route:
    """A file of tests/data/feeds/ with every https://*.example.* link on `site` instead."""
    body = re.sub(
        rb"https://[a-z.]+\.example\.[a-z]+", site.base_url.encode(), (FEEDS / name).read_bytes()
    )
    kind = "application/feed+json" if name.endswith(".json") else "application/xml"
    return Route(body, content_type=kind, **options)  # type: ignore[arg-type]


def poller(
    store: ArticleStore, *, first: int = 20, timeout: float | None = None, loopback: bool = True
) -> FeedPoller:
    """A poller as the bot makes one, on `store`, with the real summarizer."""
    settings = PollSettings(first_poll_items=first, allow_loopback=loopback)
    if timeout is not None:
        settings = replace(settings, feed_timeout=timeout)
    return FeedPoller(store, Sources(store.db), summarize, settings)
