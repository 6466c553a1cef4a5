"""fetch_feed against a local site: validators, 304s, refusals, Retry-After, caps, redirects."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import httpx
import pytest

from bot.feed_fetch import (
    FEED_ACCEPT,
    FEED_TIMEOUT,
    FeedHTTPError,
    FeedResponse,
    fetch_feed,
    retry_after,
)
from bot.fetch import USER_AGENT, FetchError
from tests.helpers.feed_server import (
    FeedServer,
    Route,
    busy,
    feed_file,
    redirect,
    serve,
    trickle,
)
from tests.helpers.processes import wait_for

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Town news'
    b"</title><item><title>Bridge approved</title><link>https://example.org/bridge</link>"
    b"</item></channel></rss>"
)
ETAG = '"v1"'
MODIFIED = "Sat, 05 Dec 2026 09:00:00 GMT"


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with serve({"/feed": Route(RSS, etag=ETAG, last_modified=MODIFIED)}) as server:
        yield server


async def get(
    site: FeedServer,
    path: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeouts: httpx.Timeout = FEED_TIMEOUT,
) -> FeedResponse:
    """`path` of the local site, loopback allowed."""
    return await fetch_feed(
        site.url(path),
        now=NOW,
        etag=etag,
        last_modified=last_modified,
        allow_loopback=True,
        timeouts=timeouts,
    )


async def test_a_feed_comes_with_its_validators(site: FeedServer) -> None:
    response = await get(site, "/feed")
    assert response == FeedResponse(
        url=site.url("/feed"),
        status=200,
        body=RSS,
        content_type="application/rss+xml",
        etag=ETAG,
        last_modified=MODIFIED,
    )


async def test_the_request_names_newsbot_and_the_kinds_it_takes(site: FeedServer) -> None:
    await get(site, "/feed")
    [request] = site.requests
    assert request.headers["user-agent"] == USER_AGENT
    assert "newsbot" in request.headers["user-agent"]
    assert request.headers["accept"] == FEED_ACCEPT
    assert request.headers["accept"].startswith("application/rss+xml, application/atom+xml")
    assert "if-none-match" not in request.headers
    assert "if-modified-since" not in request.headers


async def test_an_unchanged_feed_is_a_304_without_a_body(site: FeedServer) -> None:
    first = await get(site, "/feed")
    again = await get(site, "/feed", etag=first.etag, last_modified=first.last_modified)
    assert (again.status, again.body, again.etag, again.last_modified) == (
        304,
        b"",
        ETAG,
        MODIFIED,
    )
    sent = site.requests[-1].headers
    assert (sent["if-none-match"], sent["if-modified-since"]) == (ETAG, MODIFIED)


async def test_last_modified_alone_is_sent_and_honoured(site: FeedServer) -> None:
    site.routes["/dated"] = Route(RSS, last_modified=MODIFIED)
    again = await get(site, "/dated", last_modified=MODIFIED)
    assert (again.status, again.body, again.etag, again.last_modified) == (
        304,
        b"",
        None,
        MODIFIED,
    )
    assert "if-none-match" not in site.requests[-1].headers


async def test_a_changed_feed_comes_whole_with_new_validators(site: FeedServer) -> None:
    site.routes["/feed"] = Route(RSS.replace(b"Bridge", b"Tunnel"), etag='"v2"')
    response = await get(site, "/feed", etag=ETAG, last_modified=MODIFIED)
    assert (response.status, response.etag, response.last_modified) == (200, '"v2"', None)
    assert b"Tunnel approved" in response.body


async def test_any_content_type_is_taken_the_parser_decides(site: FeedServer) -> None:
    page = b'<html><head><link rel="alternate" href="/feed"></head></html>'
    site.routes["/page"] = Route(page, content_type="text/html; charset=utf-8")
    response = await get(site, "/page")
    assert (response.content_type, response.body) == ("text/html", page)


async def test_a_gzipped_feed_is_unpacked(site: FeedServer) -> None:
    site.routes["/gz"] = Route(gzip.compress(RSS), headers={"Content-Encoding": "gzip"})
    assert (await get(site, "/gz")).body == RSS


@cache
def gzip_bomb(gigabytes: int = 1) -> list[bytes]:
    """`gigabytes` GB of zeros, gzipped (about 1 MB per GB), in 64 kB chunks to stream."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    packed = b"".join(packer.compress(zeros) for _ in range(gigabytes * 1024)) + packer.flush()
    return [packed[i : i + 65536] for i in range(0, len(packed), 65536)]


async def test_a_gzip_bomb_is_stopped_at_the_cap_without_inflating_it(site: FeedServer) -> None:
    site.routes["/bomb"] = Route(lambda _: iter(gzip_bomb()), headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(FeedHTTPError, match=r"^the feed is more than 10 MB; not fetched$"):
            await get(site, "/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000  # a 1 GB bomb: decoded no further than the cap


async def test_a_feed_encoded_twice_or_unknown_is_refused(site: FeedServer) -> None:
    site.routes["/2gz"] = Route(
        gzip.compress(gzip.compress(RSS)), headers={"Content-Encoding": "gzip, gzip"}
    )
    site.routes["/br"] = Route(b"\x0b\x02\x80", headers={"Content-Encoding": "br"})
    with pytest.raises(
        FeedHTTPError,
        match=r"^the feed is sent in an encoding newsbot doesn't read \(gzip, gzip\)$",
    ):
        await get(site, "/2gz")
    with pytest.raises(FeedHTTPError, match=r"doesn't read \(br\)$"):
        await get(site, "/br")


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("deflate", zlib.compress(RSS)),
        ("deflate", zlib.compress(RSS)[2:-4]),  # raw deflate, as some servers send it
        ("identity", RSS),
        ("x-gzip", gzip.compress(RSS)),
    ],
)
async def test_deflate_and_identity_are_read(site: FeedServer, coding: str, body: bytes) -> None:
    site.routes["/coded"] = Route(body, headers={"Content-Encoding": coding})
    assert (await get(site, "/coded")).body == RSS
    assert site.requests[-1].headers["accept-encoding"] == "gzip, deflate"


async def test_damaged_gzip_is_refused(site: FeedServer) -> None:
    site.routes["/bad"] = Route(b"\x1f\x8bnot gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FeedHTTPError, match=r"^the feed is sent as damaged gzip data$"):
        await get(site, "/bad")


@pytest.mark.parametrize("status", [404, 410, 500])
async def test_an_error_answer_names_its_status(site: FeedServer, status: int) -> None:
    site.routes["/broken"] = Route(b"oops", status=status, content_type="text/plain")
    with pytest.raises(FeedHTTPError, match=rf"^the feed answered {status}$") as caught:
        await get(site, "/broken")
    assert (caught.value.status, caught.value.retry_after) == (status, None)
    assert isinstance(caught.value, FetchError)  # what /post's callers already catch


@pytest.mark.parametrize(
    ("status", "header", "until"),
    [
        (429, "120", datetime(2026, 12, 5, 10, 2, tzinfo=UTC)),
        (503, "3600", datetime(2026, 12, 5, 11, 0, tzinfo=UTC)),
        (429, "Sat, 05 Dec 2026 12:30:00 GMT", datetime(2026, 12, 5, 12, 30, tzinfo=UTC)),
        (503, "Sat, 05 Dec 2026 12:30:00 GMT", datetime(2026, 12, 5, 12, 30, tzinfo=UTC)),
    ],
)
async def test_a_busy_feed_says_until_when(
    site: FeedServer, status: int, header: str, until: datetime
) -> None:
    site.routes["/busy"] = busy(header, status)
    with pytest.raises(FeedHTTPError) as caught:
        await get(site, "/busy")
    assert (caught.value.status, caught.value.retry_after) == (status, until)
    assert (
        str(caught.value)
        == f"the feed asks us to wait ({status}) until {until:%Y-%m-%d %H:%M:%S} UTC"
    )


async def test_a_busy_feed_asking_for_years_is_waited_a_week(site: FeedServer) -> None:
    site.routes["/busy"] = busy("Fri, 31 Dec 9999 23:59:59 GMT", 503)
    with pytest.raises(
        FeedHTTPError, match=r"^the feed asks us to wait \(503\) until 2026-12-12 10:00:00 UTC$"
    ) as caught:
        await get(site, "/busy")
    assert caught.value.retry_after == NOW + timedelta(days=7)


@pytest.mark.parametrize("header", ["99999999999999999999", "²"])
async def test_a_garbled_retry_after_is_no_retry_after(site: FeedServer, header: str) -> None:
    site.routes["/busy"] = busy(header, 429)
    with pytest.raises(FeedHTTPError, match=r"^the feed asks us to wait \(429\)$") as caught:
        await get(site, "/busy")
    assert caught.value.retry_after is None


@pytest.mark.parametrize("path", ["/" + "a" * 100_000, ":99999/feed", ":port/feed", "/feed\x00"])
async def test_an_address_httpx_refuses_is_not_a_link(site: FeedServer, path: str) -> None:
    with pytest.raises(FeedHTTPError, match=r"^that address is not a link newsbot can fetch$"):
        await fetch_feed("http://127.0.0.1" + path, now=NOW, allow_loopback=True)


async def test_a_busy_feed_without_retry_after(site: FeedServer) -> None:
    site.routes["/429"] = busy(None, 429)
    site.routes["/503"] = busy(None, 503)
    with pytest.raises(FeedHTTPError, match=r"^the feed asks us to wait \(429\)$") as caught:
        await get(site, "/429")
    assert (caught.value.status, caught.value.retry_after) == (429, None)
    with pytest.raises(FeedHTTPError, match=r"^the feed answered 503$"):
        await get(site, "/503")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("0", NOW),
        (" 30 ", NOW + timedelta(seconds=30)),
        ("Fri, 04 Dec 2026 08:00:00 GMT", NOW),  # already past: come back now
        ("Sunday, 06-Dec-26 10:00:00 GMT", NOW + timedelta(days=1)),  # RFC 850, still valid
        ("soon", None),
        ("-5", None),
        ("99999999999999999999", None),  # no real wait is that long: not a wait at all
        ("²", None),  # a digit to str.isdigit, not to HTTP
        ("١٢٠", None),  # Arabic-Indic digits, likewise
        ("9999999999", NOW + timedelta(days=7)),  # taken at a week at most
        ("Fri, 31 Dec 9999 23:59:59 GMT", NOW + timedelta(days=7)),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(header: str | None, expected: object) -> None:
    assert retry_after(header, now=NOW) == expected


async def test_a_slow_feed_is_given_up(site: FeedServer) -> None:
    site.routes["/slow"] = Route(RSS, delay=60)  # cut short when the server stops
    with pytest.raises(FeedHTTPError, match=r"^the feed took too long to answer$") as caught:
        await get(site, "/slow", timeouts=httpx.Timeout(0.2))
    assert caught.value.status is None


async def test_a_trickling_feed_is_given_up_at_the_deadline(site: FeedServer) -> None:
    site.routes["/trickle"] = trickle()  # a byte every 0.05 s: no read ever times out
    with pytest.raises(
        FeedHTTPError, match=r"^the feed took too long to send \(over 0.5 s\)$"
    ) as caught:
        await fetch_feed(site.url("/trickle"), now=NOW, allow_loopback=True, deadline=0.5)
    assert caught.value.status is None


def megabytes(count: int) -> Iterator[bytes]:
    return (b"<!-- padding -->".ljust(1_000_000, b" ") for _ in range(count))


@pytest.mark.parametrize("declared", [False, True])
async def test_a_feed_over_10_mb_is_refused_without_reading_it_all(
    site: FeedServer, declared: bool
) -> None:
    headers = {"Content-Length": "64000000"} if declared else {}
    site.routes["/huge"] = Route(lambda _: megabytes(64), headers=headers)
    with pytest.raises(FeedHTTPError, match=r"^the feed is more than 10 MB; not fetched$"):
        await get(site, "/huge")
    [request] = site.requests
    wait_for(lambda: request.finished, "the server to notice the client left")
    assert request.sent < 64_000_000  # the client hung up long before the end


async def test_exactly_10_mb_is_fine(site: FeedServer) -> None:
    site.routes["/big"] = Route(lambda _: megabytes(10))
    assert len((await get(site, "/big")).body) == 10_000_000


async def test_a_redirect_chain_is_followed_to_the_final_url(site: FeedServer) -> None:
    site.routes["/old"] = redirect("/middle", 301)
    site.routes["/middle"] = redirect(site.url("/feed"), 308)
    response = await get(site, "/old")
    assert (response.url, response.body) == (site.url("/feed"), RSS)
    assert [r.path for r in site.requests] == ["/old", "/middle", "/feed"]
    assert all(r.headers["accept"] == FEED_ACCEPT for r in site.requests)  # on every hop


async def test_a_redirect_loop_stops(site: FeedServer) -> None:
    site.routes["/loop"] = redirect("/loop")
    with pytest.raises(FeedHTTPError, match=r"^more than 5 redirects$"):
        await get(site, "/loop")
    assert len(site.requests) == 6


async def test_local_addresses_are_refused_unless_allowed(site: FeedServer) -> None:
    with pytest.raises(FeedHTTPError, match="private or local address; not fetched") as caught:
        await fetch_feed(site.url("/feed"), now=NOW)
    assert caught.value.status is None
    assert site.requests == []  # refused before connecting


async def test_a_redirect_to_a_private_address_is_refused(site: FeedServer) -> None:
    site.routes["/to-private"] = redirect("http://10.1.2.3/feed.xml")
    with pytest.raises(FeedHTTPError, match=r"^10\.1\.2\.3 is a private or local address"):
        await get(site, "/to-private")
    assert [r.path for r in site.requests] == ["/to-private"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml"])
async def test_only_http_feeds(url: str) -> None:
    with pytest.raises(FeedHTTPError, match="only http:// and https://"):
        await fetch_feed(url, now=NOW)


async def test_a_feed_that_changes_between_polls(site: FeedServer) -> None:
    polls: list[int] = []

    def body(_: object) -> bytes:
        polls.append(1)
        return RSS.replace(b"Town news", f"Town news {len(polls)}".encode())

    site.routes["/live"] = Route(body)
    assert b"Town news 1" in (await get(site, "/live")).body
    assert b"Town news 2" in (await get(site, "/live")).body


async def test_files_are_served_with_their_kind_and_validators(
    site: FeedServer, tmp_path: Path
) -> None:
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'
    )
    (tmp_path / "a.xml").write_bytes(atom)
    (tmp_path / "r.xml").write_bytes(RSS)
    (tmp_path / "f.json").write_bytes(b'{"version": "https://jsonfeed.org/version/1.1"}')
    site.routes["/a"] = feed_file("a.xml", folder=tmp_path, etag='"a1"')
    site.routes["/r"] = feed_file("r.xml", folder=tmp_path)
    site.routes["/f"] = feed_file("f.json", folder=tmp_path)
    first = await get(site, "/a")
    assert (first.content_type, first.body, first.etag) == ("application/atom+xml", atom, '"a1"')
    assert (await get(site, "/a", etag='"a1"')).status == 304
    assert (await get(site, "/r")).content_type == "application/rss+xml"
    assert (await get(site, "/f")).content_type == "application/feed+json"


async def test_an_unexpected_httpx_error_is_named(
    site: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def send(*_: object, **__: object) -> httpx.Response:
        raise httpx.StreamConsumed()  # not an httpx.HTTPError

    monkeypatch.setattr(httpx.AsyncClient, "send", send)
    with pytest.raises(
        FeedHTTPError, match=r"^the feed could not be fetched \(httpx said StreamConsumed\)$"
    ):
        await get(site, "/feed")


async def test_an_answer_shorter_than_declared_is_cut_short(site: FeedServer) -> None:
    site.routes["/short"] = Route(lambda _: iter([RSS]), headers={"Content-Length": "1000000"})
    with pytest.raises(
        FeedHTTPError, match=r"^the feed could not be fetched: the answer was cut short$"
    ):
        await get(site, "/short")


async def test_a_server_hanging_up_without_an_answer_says_so(site: FeedServer) -> None:
    site.routes["/feed"] = Route(RSS, delay=60)  # a delayed answer is never sent once stopping
    site.stopping.set()
    with pytest.raises(
        FeedHTTPError,
        match=r"^the feed could not be fetched: the server hung up without a proper answer$",
    ):
        await get(site, "/feed")


async def test_nothing_listening_is_still_nothing_answered() -> None:
    with serve() as server:
        url = server.url("/feed")
    with pytest.raises(
        FeedHTTPError, match=r"^the feed could not be fetched: nothing answered at 127"
    ):
        await fetch_feed(url, now=NOW, allow_loopback=True)


@pytest.mark.parametrize("login", ["user:pass@", "user@", ":pass@"])
async def test_addresses_with_credentials_are_refused(site: FeedServer, login: str) -> None:
    url = site.url("/feed").replace("//", "//" + login)
    site.routes["/to-login"] = redirect(url)
    for start in (url, site.url("/to-login")):
        with pytest.raises(
            FeedHTTPError, match=r"^addresses with a user name or password are not supported$"
        ):
            await fetch_feed(start, now=NOW, allow_loopback=True)
    assert [r.path for r in site.requests] == ["/to-login"]  # the login address never reached
