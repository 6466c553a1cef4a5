"""find_feed (`newsbot source add`, /source): a hostile or broken site gives an answer in time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.feed_check import find_feed
from summaries.errors import NewsbotError
from tests.helpers.feed_server import Route, serve, trickle

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


async def test_a_trickling_feed_is_given_up_at_the_deadline() -> None:
    with (
        serve({"/feed": trickle()}) as server,
        pytest.raises(NewsbotError, match=r"^the feed took too long to send \(over 0.5 s\)$"),
    ):
        await find_feed(server.url("/feed"), now=NOW, allow_loopback=True, deadline=0.5)


async def test_a_page_whose_feed_trickles_says_so() -> None:
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed"></head>'
    routes = {"/": Route(page, content_type="text/html"), "/feed": trickle()}
    with (
        serve(routes) as server,
        pytest.raises(NewsbotError, match=r"/feed: the feed took too long to send \(over 0.5 s\)"),
    ):
        await find_feed(server.url("/"), now=NOW, allow_loopback=True, deadline=0.5)
