"""Fetching a feed (RSS, Atom, JSON Feed, or the page that links to one) politely and safely.

Politely: conditional requests with the validators of the last poll, so an unchanged feed
costs a 304 and no body, and a 429/503's Retry-After is handed back for the caller to honour.
Safely: the same checked, pinned hops as /post URL (bot.fetch), and at most 10 MB of body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from bot.fetch import FetchError, checked_get, content_kind, read_capped, within

MAX_FEED_BYTES = 10_000_000
FEED_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# The whole fetch (hops and body) within this many seconds: FEED_TIMEOUT bounds each read, not
# a server trickling a byte every few seconds. 10 MB in a minute is a slow link's pace still;
# `newsbot source add` and /source wait for it, so it must not be much longer.
FEED_DEADLINE = 60.0
# The longest wait a Retry-After is taken at: a server asking for years (or the year 9999) is
# read as a week, and the admin is told that week.
MAX_RETRY_AFTER = timedelta(days=7)
_SECONDS = re.compile(r"[0-9]{1,10}", re.ASCII)  # str.isdigit takes "²" and endless digits
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)


@dataclass(frozen=True, slots=True)
class FeedResponse:
    """What a poll brought: a body to parse (200), or word that nothing changed (304).

    `etag` and `last_modified` are the validators to send next time (on a 304, the ones the
    server repeated, if any).
    """

    url: str  # final, after redirects
    status: int  # 200 or 304
    body: bytes  # b"" on 304
    content_type: str
    etag: str | None
    last_modified: str | None


class FeedHTTPError(FetchError):
    """The feed could not be had; `status` is the HTTP answer's (None when there was none: a
    timeout, a refused address), `retry_after` when the server said when to come back."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: datetime | None = None,
        code: str = "",
        **fields: object,
    ) -> None:
        super().__init__(message, code=code, status=status, **fields)
        self.status = status
        self.retry_after = retry_after


def retry_after(value: str | None, *, now: datetime) -> datetime | None:
    """When a Retry-After header (seconds, or an HTTP date) says to come back; None if it
    says nothing usable. A time already past is `now`; one more than a week ahead, a week."""
    if not value or not value.strip():
        return None
    value = value.strip()
    latest = now + MAX_RETRY_AFTER
    if _SECONDS.fullmatch(value):
        return min(now + timedelta(seconds=int(value)), latest)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; an obsolete form may leave the zone out
        when = when.replace(tzinfo=UTC)
    try:
        return min(max(when.astimezone(UTC), now), latest)
    except OverflowError:  # a date at the very edge of what datetime holds
        return latest


async def fetch_feed(
    url: str,
    *,
    now: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_loopback: bool = False,
    timeouts: httpx.Timeout = FEED_TIMEOUT,
    deadline: float = FEED_DEADLINE,
) -> FeedResponse:
    """The feed at `url`, or a 304 when the validators of the last poll still hold.

    Any content type is accepted (the parser decides; HTML is a page to look for a feed link
    in). All of it takes at most `deadline` seconds. Every failure is a FeedHTTPError (a
    FetchError), its message ready for the admin.
    """
    headers = {"Accept": FEED_ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with (
            within(deadline, "the feed"),
            checked_get(
                url,
                what="the feed",
                headers=headers,
                timeouts=timeouts,
                allow_loopback=allow_loopback,
            ) as (final_url, response),
        ):
            status = response.status_code
            if status not in (200, 304):
                raise _refusal(response, now=now)
            body = b""
            if status == 200:
                body = await read_capped(response, MAX_FEED_BYTES, what="the feed is")
            return FeedResponse(
                url=final_url,
                status=status,
                body=body,
                content_type=content_kind(response),
                etag=response.headers.get("etag") or (etag if status == 304 else None),
                last_modified=response.headers.get("last-modified")
                or (last_modified if status == 304 else None),
            )
    except FeedHTTPError:
        raise
    except FetchError as error:  # no HTTP answer to speak of: the message says why
        refused = FeedHTTPError(str(error), code=error.code)
        refused.fields = error.fields  # the same words for the chat (bot/render/refusals.py)
        raise refused from None


def _refusal(response: httpx.Response, *, now: datetime) -> FeedHTTPError:
    """The error for an answer other than 200 or 304, with the server's Retry-After."""
    status = response.status_code
    when = retry_after(response.headers.get("retry-after"), now=now)
    if status == 429 or (status == 503 and when is not None):
        until = f" until {when:%Y-%m-%d %H:%M:%S} UTC" if when else ""
        message = f"the feed asks us to wait ({status}){until}"
        code = "asks-to-wait"
    else:
        message = f"the feed answered {status}"
        code = "feed-answered"
    return FeedHTTPError(message, status=status, retry_after=when, code=code, until=when)
