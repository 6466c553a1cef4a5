"""One FeedItem from a feed entry's raw fields, whatever the format: the rules both the XML
and the JSON Feed readers share (a title from the text, limits, absolute http(s) links).

Fields are clipped to the store's limits here so that validate() never refuses a feed item
for its size: a feed is not a user who can be asked to shorten it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from summaries.articles import MAX_BODY, MAX_FIELD, MAX_TITLE
from summaries.feed_items import FeedItem

TITLE_FROM_TEXT = 120  # characters: a headline made from an untitled item's first sentence
MAX_LINK = 8_000  # characters: far beyond a real story's link, far below what HTTP refuses
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")
# Control characters other than tab and line breaks, which the store refuses as a sign of a
# binary file; in a feed they are debris (the loose parser and JSON let them through).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(slots=True)
class RawItem:
    """An entry's fields as read, text already plain; build_item() checks and clips them."""

    title: str = ""
    body: str = ""
    guid: str | None = None
    link: str | None = None
    published: datetime | None = None
    photo_url: str | None = None
    photo_caption: str = ""
    photo_credit: str = ""


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return _SPACES.sub(" ", text).strip()


def clip(text: str, limit: int, *, boundary: str = " ") -> str:
    """`text` cut to at most `limit` characters at the last `boundary`, marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    at = cut.rfind(boundary)
    if at > limit // 2:
        cut = cut[:at]
    return cut.rstrip() + "…"


def title_from_text(body: str) -> str:
    """A headline for an untitled item (a microblog post): its first line or sentence."""
    first = one_line(body.split("\n", 1)[0])
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0]
    return clip(sentence, TITLE_FROM_TEXT)


def absolute_url(value: str | None, base: str) -> str | None:
    """`value` made absolute against `base`, or None unless it is an http(s) link no longer
    than MAX_LINK (a longer one is junk, and would fail its page's fetch, not the item)."""
    if not value or not value.strip() or len(value) > MAX_LINK:
        return None
    # As browsers do (WHATWG URL): tabs and line breaks inside a link are dropped; a space,
    # which the store would refuse, is escaped.
    url = urljoin(base, re.sub(r"[\t\r\n]", "", value.strip()).replace(" ", "%20"))
    parts = urlsplit(url)
    usable = parts.scheme in {"http", "https"} and parts.netloc and len(url) <= MAX_LINK
    return url if usable else None


def utc(moment: datetime) -> datetime:
    """An aware UTC time; a time without an offset is taken to be UTC, as feeds mean it."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def guid_or_none(value: object) -> str | None:
    """An identity stripped of spaces; an empty one is no identity."""
    text = str(value).strip() if value is not None else ""
    return clip(text, MAX_FIELD, boundary="") if text else None


def build_item(raw: RawItem) -> FeedItem | None:
    """The item, or None when it has neither a title nor any text (nothing to show)."""
    title, body = one_line(_CONTROL.sub("", raw.title)), _CONTROL.sub("", raw.body).strip()
    if not title and not body:
        return None
    if not title:
        title = title_from_text(body)
    if len(body) > MAX_BODY:
        body = clip(body, MAX_BODY, boundary="\n\n")
    return FeedItem(
        title=clip(title, MAX_TITLE),
        body=body,
        guid=raw.guid,
        link=raw.link,
        published=raw.published,
        photo_url=raw.photo_url,
        photo_caption=clip(one_line(_CONTROL.sub("", raw.photo_caption)), MAX_FIELD),
        photo_credit=clip(one_line(_CONTROL.sub("", raw.photo_credit)), MAX_FIELD),
    )
