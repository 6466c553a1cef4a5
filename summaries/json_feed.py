"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) as a ParsedFeed.

It is plain JSON with a short, documented shape, so it is read here rather than by a library;
fields of the wrong type are ignored as if absent, never trusted.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from summaries.errors import FeedError
from summaries.feed_fields import RawItem, absolute_url, build_item, guid_or_none, utc
from summaries.feed_html import first_image, html_to_text, text_paragraphs
from summaries.feed_items import FeedItem, ParsedFeed
from summaries.text import one_plain_line

VERSION_PREFIX = "https://jsonfeed.org/version/1"


def is_json_feed(data: bytes) -> bool:
    """Whether the bytes look like a JSON object that could be a JSON Feed."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_json_feed(data: bytes, *, url: str) -> ParsedFeed:
    """The feed's items in order; FeedError if it is not JSON or not a JSON Feed."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FeedError(
            f"the feed is not valid JSON ({error})", code="feed-not-json", problem=str(error)
        ) from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith(VERSION_PREFIX):
        raise FeedError(
            "that is JSON, but not a JSON Feed (no jsonfeed.org version)", code="json-not-a-feed"
        )
    base = _text(document.get("home_page_url")) or _text(document.get("feed_url")) or url
    base = absolute_url(base, url) or url
    entries = document.get("items")
    items: list[FeedItem] = []
    skipped = 0
    for entry in entries if isinstance(entries, list) else []:
        item = build_item(_raw(entry, base)) if isinstance(entry, dict) else None
        if item is None:
            skipped += 1
        else:
            items.append(item)
    return ParsedFeed(
        title=one_plain_line(_text(document.get("title"))) or urlsplit(url).hostname or url,
        items=tuple(items),
        language=_language(document, entries),
        skipped=skipped,
    )


def _raw(entry: dict[str, Any], base: str) -> RawItem:
    """One item's fields; content_html and content_text compete with summary on length."""
    html = _text(entry.get("content_html"))
    candidates = [
        html_to_text(html),
        text_paragraphs(_text(entry.get("content_text"))),
        text_paragraphs(_text(entry.get("summary"))),
    ]
    link = absolute_url(_text(entry.get("url")), base) or absolute_url(
        _text(entry.get("external_url")), base
    )
    raw = RawItem(
        title=_text(entry.get("title")),
        body=max(candidates, key=len),
        guid=guid_or_none(entry.get("id")),
        link=link,
        published=_date(entry.get("date_published")) or _date(entry.get("date_modified")),
    )
    raw.photo_url = absolute_url(_text(entry.get("image")), base) or absolute_url(
        _text(entry.get("banner_image")), base
    )
    if raw.photo_url is None:
        raw.photo_url = _image_attachment(entry.get("attachments"), base)
    if raw.photo_url is None and (found := first_image(html, link or base)):
        raw.photo_url, raw.photo_caption = found
    return raw


def _image_attachment(attachments: object, base: str) -> str | None:
    """The first attachment whose mime_type is an image."""
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict) and _text(attachment.get("mime_type")).startswith(
            "image/"
        ):
            return absolute_url(_text(attachment.get("url")), base)
    return None


def _language(document: dict[str, Any], entries: object) -> str | None:
    """The feed's language, else the first item's (1.1 allows either level)."""
    found = _text(document.get("language")).strip()
    for entry in entries if isinstance(entries, list) and not found else []:
        if isinstance(entry, dict) and (found := _text(entry.get("language")).strip()):
            break
    return found or None


def _text(value: object) -> str:
    """A string field, or "" when it is missing or not a string."""
    return value if isinstance(value, str) else ""


def _date(value: object) -> datetime | None:
    """An RFC 3339 time as aware UTC, or None when it is missing or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        return utc(datetime.fromisoformat(value.strip()))
    except (ValueError, OverflowError):  # 9999-12-31T23:59-23:00 is past the calendar's end
        return None
