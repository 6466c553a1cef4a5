"""A feed's bytes as a ParsedFeed: RSS and Atom by feedparser, JSON Feed by json_feed.

Only bytes come in: nothing here fetches (feedparser is never given a URL), so the caller's
fetcher keeps its limits and timeouts. Every way a feed can be unusable ends in FeedError
with words a user can act on; NotAFeedError means a web page, whose feed link the caller
can look for.
"""

from __future__ import annotations

import io
import re
import xml.sax
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from summaries.errors import FeedError, NotAFeedError
from summaries.feed_fields import RawItem, absolute_url, build_item, guid_or_none
from summaries.feed_html import first_image, html_to_text, text_paragraphs
from summaries.feed_items import FeedItem, ParsedFeed
from summaries.feed_media import MediaPhoto, media_photos
from summaries.json_feed import is_json_feed, parse_json_feed
from summaries.text import one_plain_line

MAX_FEED_BYTES = 10_000_000
# The start of an HTML page, after any BOM, whitespace, XML declaration or comments.
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html)",
    re.IGNORECASE | re.DOTALL,
)
# A feed's root element, to tell a broken feed from something that never was one.
_FEED_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>]")


def parse_feed(data: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """The feed's usable items in feed order; relative links resolve against `url`."""
    try:
        return _parse(data, url=url, content_type=content_type)
    except RecursionError:  # JSON (or markup) nested thousands deep: nobody's real feed
        raise FeedError("the feed is nested too deeply to be read", code="feed-too-deep") from None


def _parse(data: bytes, *, url: str, content_type: str) -> ParsedFeed:
    if len(data) > MAX_FEED_BYTES:
        raise FeedError("the feed is more than 10 MB", code="too-big", most=10)
    if not data.strip():
        raise FeedError("the feed is empty", code="feed-empty")
    # By the bytes first: servers label feeds wrongly more often than not.
    starts_with_markup = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    if is_json_feed(data) or ("json" in content_type.lower() and not starts_with_markup):
        return parse_json_feed(data, url=url)
    if _HTML_START.match(data[:4096]):
        raise NotAFeedError("that is a web page, not a feed", code="web-page-not-feed")
    # No content-location: feedparser would resolve a bare RSS guid as a URL; links are made
    # absolute below instead. No sanitizing: html_to_text keeps only the text anyway.
    # A stream, never bare bytes: feedparser opens bytes that name a file ("/etc/passwd"
    # as a response body would be read from this machine's disk).
    parsed: Any = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": content_type} if content_type else {},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    malformed = _xml_error(parsed)
    if not parsed.entries:
        if malformed and _FEED_ROOT.search(data[:65536]):
            raise FeedError(
                f"the feed is malformed ({malformed}) and no item could be read",
                code="feed-malformed",
                problem=malformed,
            )
        if malformed or not parsed.get("version"):
            raise FeedError(
                "that is not a feed (no RSS, Atom or JSON Feed in it)", code="not-a-feed"
            )
    photos = media_photos(data) if not malformed else None
    if photos is not None and len(photos) != len(parsed.entries):
        photos = None  # the readers disagree on what the items are: feedparser's media only
    items: list[FeedItem] = []
    for index, entry in enumerate(parsed.entries):
        media = photos[index] if photos is not None else _feedparser_photo(entry)
        item = build_item(_raw(entry, url, media))
        if item is not None:
            items.append(item)
    feed = parsed.feed
    return ParsedFeed(
        title=one_plain_line(_text(feed.get("title_detail"), feed.get("title", "")))
        or urlsplit(url).hostname
        or url,
        items=tuple(items),
        language=(feed.get("language") or "").strip() or None,
        malformed=malformed,
        skipped=len(parsed.entries) - len(items),
    )


def _xml_error(parsed: Any) -> str | None:
    """Why the XML is not well formed, on one line, or None; feedparser's bozo also flags
    harmless things (a content type it did not expect, an encoding override), ignored here."""
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # Netscape's RSS 0.91 DTD defines HTML's entities (&nbsp;); feedparser, not loading
    # DTDs, calls them undefined, then reads them right.
    if parsed.get("version") == "rss091n" and "undefined entity" in str(error):
        return None
    if isinstance(error, xml.sax.SAXParseException):
        return f"{error.getMessage()} at line {error.getLineNumber()}"
    return None


def _raw(entry: Any, url: str, media: MediaPhoto | None) -> RawItem:
    """An entry's fields as plain text and absolute links; the longest text is the body."""
    contents = [_text(part, part.get("value", "")) for part in entry.get("content", [])]
    summary = _text(entry.get("summary_detail"), entry.get("summary", ""))
    link = _link(entry, url)
    raw = RawItem(
        title=_text(entry.get("title_detail"), entry.get("title", "")),
        body=max([*contents, summary], key=len),
        guid=guid_or_none(entry.get("id")),
        link=link,
        # dict.get: FeedParserDict.get maps a missing updated to published, with a warning.
        published=_date(dict.get(entry, "published_parsed"))
        or _date(dict.get(entry, "updated_parsed")),
    )
    base = link or url
    if media is not None:
        raw.photo_url = absolute_url(media.url, base)
        raw.photo_caption, raw.photo_credit = media.caption, media.credit
    if raw.photo_url is None:
        raw.photo_url = _image_enclosure(entry, base)
    if raw.photo_url is None:
        for html in [part.get("value", "") for part in entry.get("content", [])] + [
            entry.get("summary", "")
        ]:
            if found := first_image(html, base):
                raw.photo_url, raw.photo_caption = found
                break
    return raw


def _text(detail: Any, value: str) -> str:
    """A text construct as plain paragraphs: HTML (the usual case) is read as HTML."""
    kind = (detail or {}).get("type", "text/html")
    return html_to_text(value) if "html" in kind else text_paragraphs(value)


def _link(entry: Any, url: str) -> str | None:
    """The story's page: the rel=alternate link (an HTML one first), else entry.link."""
    alternates = [link for link in entry.get("links", []) if link.get("rel") == "alternate"]
    alternates.sort(key=lambda link: "html" not in link.get("type", "text/html"))
    own = entry.get("link")
    if entry.get("guidislink") and not _is_absolute(own):
        own = None  # a bare guid ("12345") feedparser took for a permalink: no link at all
    for candidate in [*(link.get("href") for link in alternates), own]:
        if absolute := absolute_url(candidate, url):
            return absolute
    return None


def _is_absolute(value: Any) -> bool:
    parts = urlsplit(str(value or "").strip())
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _image_enclosure(entry: Any, base: str) -> str | None:
    """The first enclosure with an image/* type."""
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/"):
            return absolute_url(link.get("href"), base)
    return None


def _feedparser_photo(entry: Any) -> MediaPhoto | None:
    """What feedparser kept of Media RSS, when the XML could not be read again."""
    images = [
        content
        for content in entry.get("media_content", [])
        if content.get("medium") == "image" or content.get("type", "").startswith("image/")
    ]
    images += entry.get("media_thumbnail", [])
    found = next((image["url"] for image in images if image.get("url")), None)
    if found is None:
        return None
    credits = entry.get("media_credit") or [{}]
    return MediaPhoto(found, credit=credits[0].get("content", "") or "")


def _date(moment: Any) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime; None if absent or impossible."""
    if moment is None:
        return None
    try:
        year, month, day, hour, minute, second = moment[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
