"""Checks an article draft once, for every way in (CLI, import, the admin chat)."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta, tzinfo
from urllib.parse import urlsplit

from summaries.errors import InvalidArticleError
from summaries.models import Draft
from summaries.text import INVISIBLE, one_plain_line

_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters other than tab and line breaks: a NUL means a binary file, and none of
# them shows in Telegram or survives as text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

MAX_TITLE = 1_000  # Telegram shows ~200 in a caption; longer ones are clipped when rendered
MAX_BODY = 1_000_000
MAX_FIELD = 1_000  # photo caption and credit
# Telegram's limit for sendPhoto uploads: 10 MB, not MiB (PTB's FileSizeLimit.PHOTOSIZE_UPLOAD,
# which tests/test_store.py holds it to; the domain does not import telegram).
MAX_PHOTO_BYTES = 10_000_000
MIN_YEAR, MAX_YEAR = 1900, 2200  # archives go back far; a typo like 0202 or 9999 does not
# Later than this ahead is a typo (2200-12-31) that would pin the article atop /latest; a day
# leaves room for a clock or zone that is a little off.
MAX_AHEAD = timedelta(days=1)

# The image formats Telegram accepts for sendPhoto, by their magic numbers.
_IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(data: bytes) -> str | None:
    """The MIME type of an image Telegram can show, or None if `data` is not one."""
    for signature, mime in _IMAGE_SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


FEED_ADDRESS = "the feed's address"  # check_url's `what` for a news source's link


def check_url(url: str, what: str = "url") -> str:
    """An absolute http(s) link, normalized (see normalize_url), or InvalidArticleError
    naming the field."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.netloc or re.search(r"\s", url):
        raise InvalidArticleError(
            f"{what} must be an http:// or https:// link, not {url!r}",
            code="not-a-feed-address" if what == FEED_ADDRESS else "not-a-link",
            url=url,
        )
    return normalize_url(url)


_DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalize_url(url: str) -> str:
    """The one spelling of an http(s) link, so a duplicate check can't be got round by
    HTTPS://Example.org/a, .../a#top or :443: scheme and host lowercased, fragment and
    default port dropped. Path, query and trailing slash stay: they can name other pages.
    Anything that is not an http(s) link comes back only stripped."""
    url = url.strip().partition("#")[0]
    parts = urlsplit(url)
    scheme, rest = parts.scheme, url[len(parts.scheme) :]  # urlsplit lowercased the scheme
    if scheme not in _DEFAULT_PORTS or not parts.netloc or not rest.startswith("://"):
        return url
    if not rest.startswith(f"://{parts.netloc}"):  # pragma: no cover - urlsplit cleaned it
        return url
    userinfo, at, host = parts.netloc.rpartition("@")
    port = ""
    if (colon := host.rfind(":")) > host.rfind("]"):  # not a colon inside an IPv6 address
        host, port = host[:colon], host[colon + 1 :]
    if port in {"", _DEFAULT_PORTS[scheme]}:
        port = ""
    netloc = f"{userinfo}{at}{host.lower()}{':' if port else ''}{port}"
    return f"{scheme}://{netloc}{rest[3 + len(parts.netloc) :]}"


def parse_published(text: str, zone: tzinfo) -> datetime:
    """An ISO 8601 publication time; one without an offset is in `zone`."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidArticleError(
            f"{text!r} is not an ISO 8601 time such as 2026-11-25T08:30 or 2026-11-25T08:30Z",
            code="not-an-iso-time",
            text=text.strip(),
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def clean_text(text: str) -> str:
    """Text SQLite can store: lone UTF-16 surrogates become U+FFFD; soft hyphens and
    zero-width spaces go, or the index would cut words at them.

    Only a JSON escape such as "\\ud800" can bring a surrogate here: files and stdin are
    decoded strictly and the launcher refuses arguments that are not UTF-8, so no byte the
    user gave turns into U+FFFD silently.
    """
    return _SURROGATE.sub("\ufffd", text).translate(INVISIBLE)


def check_text(text: str, what: str, *, field: str = "") -> str:
    """`text`, or InvalidArticleError if it holds a control character (NUL and the like).

    `field` names a draft's field (title, body, ...) for the chat's words; `what` is English.
    """
    found = _CONTROL.search(text)
    if found:
        code = ord(found.group())
        raise InvalidArticleError(
            f"{what} holds a control character (U+{code:04X} at character {found.start() + 1})"
            f"{'; is it a binary file?' if code == 0 else ''}",
            code="control-character",
            field=field,
            character=f"U+{code:04X}",
            position=found.start() + 1,
        )
    return text


def _normalize_text(text: str) -> str:
    """Unix newlines, no trailing spaces, at most one blank line between paragraphs."""
    text = clean_text(text).removeprefix("\ufeff")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def check_published(published: datetime, now: datetime) -> datetime:
    """A publication time with a zone, between MIN_YEAR and MAX_YEAR, at most a day ahead."""
    if published.tzinfo is None:
        raise InvalidArticleError(
            "the publication time needs a time zone", code="published-without-zone"
        )
    try:
        year = published.astimezone(UTC).year
    except OverflowError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidArticleError(
            f"the publication time must be between the years {MIN_YEAR} and {MAX_YEAR}",
            code="published-out-of-range",
            first=MIN_YEAR,
            last=MAX_YEAR,
        )
    if published > now + MAX_AHEAD:
        limit = (now + MAX_AHEAD).astimezone(UTC)
        raise InvalidArticleError(
            f"the publication time {published.isoformat(timespec='minutes')} is in the future; "
            f"at most a day ahead is allowed (until {limit:%Y-%m-%d %H:%M} UTC)",
            code="published-in-future",
            published=published,
            limit=limit,
        )
    return published


def megabytes(size: int) -> str:
    """A size in MB (10**6 bytes, as Telegram counts) rounded up to a tenth, so a size over a
    limit never reads as the limit itself."""
    tenths = -(-size // 100_000)
    return f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def validate(draft: Draft, *, now: datetime) -> Draft:
    """Return the draft cleaned up, or raise InvalidArticleError saying what to fix.

    `now` is the caller's clock: the publication time when the draft has none, and the limit
    of how far ahead one may be.
    """
    from summaries.languages import (  # loads models on use
        known_language,
        language_named,
        told_language,
    )
    from summaries.tokenizer import SUPPORTED_LANGUAGES

    for field, text in (
        ("title", draft.title),
        ("body", draft.body),
        ("photo_caption", draft.photo_caption),
        ("photo_credit", draft.photo_credit),
    ):
        check_text(text, f"the {field.replace('_', ' ')}", field=field)
    title = one_plain_line(clean_text(draft.title).removeprefix("\ufeff"))  # no U+202E
    body = _normalize_text(draft.body)
    if not title:
        raise InvalidArticleError("the title is empty", code="empty-title")
    if len(title) > MAX_TITLE:
        raise InvalidArticleError(
            f"the title has {len(title)} characters; at most {MAX_TITLE}",
            code="title-too-long",
            length=len(title),
            most=MAX_TITLE,
        )
    if not body:
        raise InvalidArticleError("the body is empty", code="empty-body")
    if len(body) > MAX_BODY:
        raise InvalidArticleError(
            f"the body has {len(body)} characters; at most {MAX_BODY}",
            code="body-too-long",
            length=len(body),
            most=MAX_BODY,
        )
    language = language_named(draft.language) or told_language(title, body)  # none given
    if not known_language(language):
        raise InvalidArticleError(
            f"unsupported language {draft.language!r}; "
            f"use one of {', '.join(SUPPORTED_LANGUAGES)}",
            code="unsupported-language",
            language=draft.language,
            languages=SUPPORTED_LANGUAGES,
        )
    caption = _normalize_text(draft.photo_caption)
    credit = " ".join(clean_text(draft.photo_credit).split())
    if len(caption) > MAX_FIELD or len(credit) > MAX_FIELD:
        raise InvalidArticleError(
            f"photo caption and credit hold at most {MAX_FIELD} characters",
            code="caption-too-long",
            most=MAX_FIELD,
        )
    if draft.photo is not None:
        if len(draft.photo) > MAX_PHOTO_BYTES:
            raise InvalidArticleError(
                f"the photo is {megabytes(len(draft.photo))} MB; Telegram takes at most "
                f"{megabytes(MAX_PHOTO_BYTES)} MB",
                code="photo-too-big",
                size=megabytes(len(draft.photo)),
                most=megabytes(MAX_PHOTO_BYTES),
            )
        if image_type(draft.photo) is None:
            raise InvalidArticleError(
                "the photo is not a JPEG, PNG, GIF or WebP image", code="not-an-image"
            )
    published = check_published(draft.published_at or now, now)
    return dataclasses.replace(
        draft,
        title=title,
        body=body,
        language=language,
        url=check_url(draft.url) if draft.url else None,
        photo_url=check_url(draft.photo_url, "photo link") if draft.photo_url else None,
        photo_caption=caption,
        photo_credit=credit,
        published_at=published,
    )
