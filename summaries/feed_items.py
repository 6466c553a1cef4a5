"""A feed's items as newsbot reads them, whatever the format (RSS, Atom, JSON Feed).

The one model between parsing (summaries/feed_parse.py) and storing (summaries/feed_ingest.py):
parsers fill it, the store turns each item into an article, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, cleaned: plain text, absolute links, aware times.

    `body` is plain text, paragraphs separated by a blank line (HTML turned into text,
    entities decoded, scripts and styles gone). `published` is the item's published time,
    else its updated time, else None (the store then uses the poll time); a time in the
    future is the store's to clamp, not the parser's.
    """

    title: str
    body: str
    guid: str | None = None  # RSS guid, Atom id, JSON Feed id: the item's identity if given
    link: str | None = None  # the story's page, absolute
    published: datetime | None = None  # aware, UTC
    photo_url: str | None = None  # media:content, media:thumbnail, an image enclosure, ...
    photo_caption: str = ""  # media:description, or the image's title/alt
    photo_credit: str = ""  # media:credit


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A whole feed: its own title and language, and its usable items in feed order."""

    title: str
    items: tuple[FeedItem, ...]
    language: str | None = None  # as the feed declares it, e.g. "en-us"; None if it doesn't
    malformed: str | None = None  # why the XML was not well formed, when items were recovered
    skipped: int = 0  # entries dropped as unusable (neither a title nor any text)
