"""FeedPoller end to end against a local site: real-shaped feeds, changes, politeness, bad input.

Each test drives the real poller (the real summarizer, fetcher and parser) on a fresh store,
and looks at what the store holds afterwards: articles, their summaries, the feed's items.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.feed_poll import FeedPoller, PollReport, PollSettings
from summaries.alerts import Alerts
from summaries.feed_items import ParsedFeed
from summaries.feed_parse import parse_feed
from summaries.models import Article
from summaries.sources import Sources
from summaries.store import ArticleStore
from summaries.summarize import summarize
from tests.helpers.feed_server import FeedServer, Route, busy, feed_file, redirect, serve
from tests.helpers.feed_site import (
    Story,
    local_copy,
    page,
    page_routes,
    poller,
    rss,
    story,
)

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with serve() as server:
        yield server


def add(store: ArticleStore, site: FeedServer, path: str = "/feed", name: str = "Harbour") -> int:
    return Sources(store.db).add(site.url(path), name=name, now=NOW).id


def articles(store: ArticleStore) -> list[Article]:
    """Every article not deleted, oldest first."""
    ids = [row["id"] for row in store.db.query("SELECT id FROM articles WHERE deleted = 0")]
    return [store.get(article_id) for article_id in sorted(ids)]


def summaries_of(store: ArticleStore, article_id: int) -> list[str]:
    rows = store.db.query("SELECT summary FROM summaries WHERE article_id = ?", [article_id])
    return [row["summary"] for row in rows]


def serve_feed(
    site: FeedServer, stories: list[Story], path: str = "/feed", **options: object
) -> None:
    site.routes[path] = Route(rss(site, stories), **options)  # type: ignore[arg-type]


async def poll(p: FeedPoller, source_id: int, now: datetime = NOW) -> PollReport:
    report = await p.poll(source_id, now=now)
    assert report is not None
    return report


def assert_whole(store: ArticleStore) -> None:
    """Every article has a title, a body and a summary; every item points at one that exists."""
    for article in articles(store):
        assert article.title
        assert article.body
        assert summaries_of(store, article.id), article.title
    dangling = store.db.execute(
        "SELECT count(*) FROM feed_items WHERE article_id IS NOT NULL "
        "AND article_id NOT IN (SELECT id FROM articles)"
    ).fetchone()[0]
    assert dangling == 0


# Real-shaped feeds


async def test_rss_with_content_and_media_photos(store: ArticleStore, site: FeedServer) -> None:
    site.routes["/feed"] = local_copy("news_rss.xml", site)
    report = await poll(poller(store), add(store, site))
    assert (report.new, report.failed) == (5, False)
    stored = {a.title: a for a in articles(store)}
    flood = stored["Flood barriers hold as river reaches record height in Rotterdam"]
    assert flood.photo_url == site.url("/herald/2026/12/04/maeslant-barrier.jpg")
    assert flood.photo_caption.startswith("The Maeslant barrier closing on the Nieuwe Maas")
    assert flood.photo_credit == "Photograph: Jan Peters/Reuters"
    assert flood.url is not None
    assert "utm_" not in flood.url
    assert all(a.source_id is not None for a in stored.values())
    assert_whole(store)


async def test_teasers_bodies_come_from_their_pages(
    store: ArticleStore, site: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    stories = [story(n, body="") for n in range(1, 4)]
    serve_feed(site, stories)
    site.routes |= page_routes(stories[:2])  # the third story's page is missing
    with caplog.at_level(logging.WARNING):
        report = await poll(poller(store), add(store, site))
    assert report.new == 3
    by_title = {a.title: a for a in articles(store)}
    for s in stories[:2]:
        assert f"Page of story {s.n}. The harbour authority" in by_title[s.headline].body
    assert by_title[stories[2].headline].body == f"{stories[2].headline}: read more."
    assert f"{site.url('/story/3')}: the page could not be had" in caplog.text
    assert "the teaser is stored" in caplog.text
    assert_whole(store)


@pytest.mark.parametrize(
    ("name", "count", "title"),
    [
        ("atom.xml", 3, "Neue Straßenbahnlinie fährt ab Montag"),
        ("feed.json", 4, "Strong aurora expected this weekend"),
        ("feed_v1.json", 2, "Evening sailings cancelled because of high winds"),
        ("wordpress.xml", 2, "Garlic in, onions out: December on the plot"),
    ],
)
async def test_atom_json_and_wordpress_feeds(
    store: ArticleStore, site: FeedServer, name: str, count: int | None, title: str | None
) -> None:
    site.routes["/feed"] = local_copy(name, site)
    report = await poll(poller(store), add(store, site))
    assert not report.failed
    assert report.new >= 1
    if count is not None:
        assert report.new == count
    titles = [a.title for a in articles(store)]
    assert len(titles) == report.new
    if title is not None:
        assert title in titles
    assert_whole(store)


async def test_atom_html_content_is_read_as_text(store: ArticleStore, site: FeedServer) -> None:
    site.routes["/feed"] = local_copy("atom.xml", site)
    await poll(poller(store), add(store, site))
    tram = next(a for a in articles(store) if a.title.startswith("Neue Straßenbahnlinie"))
    assert tram.body.startswith("Ab Montag fährt die neue Linie 6")
    assert "<p>" not in tram.body
    assert "&auml;" not in tram.body
    assert tram.language == "german"


async def test_malformed_xml_stores_what_can_be_recovered(
    store: ArticleStore, site: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    site.routes["/feed"] = local_copy("malformed.xml", site)
    with caplog.at_level(logging.WARNING):
        report = await poll(poller(store), add(store, site))
    assert not report.failed
    assert report.malformed is not None
    assert report.new >= 1
    assert len(articles(store)) == report.new
    assert "the feed is malformed" in caplog.text
    assert_whole(store)


async def test_nothing_recoverable_is_a_failed_poll(store: ArticleStore, site: FeedServer) -> None:
    site.routes["/feed"] = feed_file("broken.xml")
    report = await poll(poller(store), add(store, site))
    assert report.failed
    assert report.error is not None
    assert "malformed" in report.error
    assert articles(store) == []
    assert report.source.failures == 1


async def test_an_etag_makes_the_second_poll_a_304(
    store: ArticleStore, site: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_feed(site, [story(1), story(2)], etag='"v1"')
    p, source_id = poller(store), add(store, site)
    assert (await poll(p, source_id)).new == 2
    parsed: list[str] = []

    def counted(data: bytes, **options: Any) -> ParsedFeed:
        parsed.append(options["url"])
        return parse_feed(data, **options)

    monkeypatch.setattr("bot.feed_poll.parse_feed", counted)
    second = await poll(p, source_id, LATER)
    assert parsed == []  # nothing to parse
    assert second.not_modified
    assert (second.new, second.updated, second.unchanged) == (0, 0, 0)
    first_request, second_request = site.seen("/feed")
    assert "if-none-match" not in first_request.headers
    assert second_request.headers["if-none-match"] == '"v1"'
    assert len(articles(store)) == 2
    assert second.source.last_poll_at == LATER
    assert second.source.etag == '"v1"'


async def test_last_modified_makes_the_second_poll_a_304(
    store: ArticleStore, site: FeedServer
) -> None:
    modified = "Sat, 05 Dec 2026 09:00:00 GMT"
    serve_feed(site, [story(1)], last_modified=modified)
    p, source_id = poller(store), add(store, site)
    assert (await poll(p, source_id)).new == 1
    second = await poll(p, source_id, LATER)
    assert second.not_modified
    assert second.new == 0
    assert site.seen("/feed")[1].headers["if-modified-since"] == modified
    assert len(articles(store)) == 1


# Changes


async def test_a_changed_item_is_updated_in_place(store: ArticleStore, site: FeedServer) -> None:
    serve_feed(site, [story(1), story(2)])
    p, source_id = poller(store), add(store, site)
    await poll(p, source_id)
    before = {a.title: a for a in articles(store)}
    old = before[story(1).headline]
    old_summary = summaries_of(store, old.id)
    changed = story(
        1,
        title="Quay opening delayed by a year",
        body="Story 1 again. The quay will open a year late, the harbour authority said today. "
        "Storms damaged the new foundations in November. Repairs start in January.",
        photo="https://images.example.com/quay.jpg",
        caption="The new quay",
        credit="Photo: Harbour",
    )
    serve_feed(site, [changed, story(2)])
    report = await poll(p, source_id, LATER)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    now = store.get(old.id)
    assert now.title == "Quay opening delayed by a year"
    assert now.body.startswith("Story 1 again.")
    assert (now.photo_url, now.photo_caption, now.photo_credit) == (
        "https://images.example.com/quay.jpg",
        "The new quay",
        "Photo: Harbour",
    )
    assert now.version == old.version + 1
    assert now.updated_at == LATER
    assert summaries_of(store, old.id)
    assert summaries_of(store, old.id) != old_summary
    assert store.get(before[story(2).headline].id).version == before[story(2).headline].version
    assert len(articles(store)) == 2
    assert_whole(store)


async def test_reordered_and_republished_items_bring_nothing_new(
    store: ArticleStore, site: FeedServer
) -> None:
    stories = [story(n) for n in range(1, 5)]
    serve_feed(site, stories)
    p, source_id = poller(store), add(store, site)
    await poll(p, source_id)
    serve_feed(site, list(reversed(stories)))
    reordered = await poll(p, source_id, LATER)
    assert (reordered.new, reordered.updated, reordered.unchanged) == (0, 0, 4)
    serve_feed(site, [story(s.n, guid=f"new-guid-{s.n}") for s in stories])
    republished = await poll(p, source_id, LATER + timedelta(hours=1))
    assert (republished.new, republished.updated) == (0, 0)
    assert len(articles(store)) == 4


async def test_the_same_link_in_two_sources_is_one_article(
    store: ArticleStore, site: FeedServer
) -> None:
    serve_feed(site, [story(1), story(2)], path="/a")
    serve_feed(site, [story(1, guid="other-1"), story(2, guid="other-2")], path="/b")
    p = poller(store)
    first = await poll(p, add(store, site, "/a", "A"))
    second = await poll(p, add(store, site, "/b", "B"))
    assert (first.new, second.new) == (2, 0)
    assert (second.kept, second.unchanged) == (2, 0)  # said so: the other source's articles
    assert len(articles(store)) == 2
    assert store.db.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 4


async def test_an_admins_edit_is_not_overwritten(store: ArticleStore, site: FeedServer) -> None:
    serve_feed(site, [story(1)])
    p, source_id = poller(store), add(store, site)
    await poll(p, source_id)
    (article,) = articles(store)
    store.update(article.id, now=NOW, title="Edited by an admin")
    serve_feed(site, [story(1, title="The feed's new title", body="Other words. And more.")])
    report = await poll(p, source_id, LATER)
    assert (report.updated, report.kept, report.unchanged) == (0, 1, 0)
    kept = store.get(article.id)
    assert (kept.title, kept.body) == ("Edited by an admin", article.body)


async def test_an_admins_delete_is_not_undone(store: ArticleStore, site: FeedServer) -> None:
    serve_feed(site, [story(1)])
    p, source_id = poller(store), add(store, site)
    await poll(p, source_id)
    (article,) = articles(store)
    store.delete(article.id, now=NOW)
    again = await poll(p, source_id, LATER)
    serve_feed(site, [story(1, title="Changed after the delete")])
    changed = await poll(p, source_id, LATER + timedelta(hours=1))
    assert (again.new, changed.new, changed.updated) == (0, 0, 0)
    assert articles(store) == []
    assert store.is_deleted(article.id)


async def test_an_item_that_disappears_is_left_alone(
    store: ArticleStore, site: FeedServer
) -> None:
    serve_feed(site, [story(1), story(2), story(3)])
    p, source_id = poller(store), add(store, site)
    await poll(p, source_id)
    serve_feed(site, [story(1), story(2)])
    report = await poll(p, source_id, LATER)
    assert (report.new, report.updated) == (0, 0)
    assert story(3).headline in [a.title for a in articles(store)]


async def test_a_first_poll_of_500_items_stores_20(store: ArticleStore, site: FeedServer) -> None:
    stories = [story(n) for n in range(1, 501)]
    serve_feed(site, stories)
    p, source_id = poller(store), add(store, site)
    first = await poll(p, source_id)
    assert first.new == 20
    assert {a.title for a in articles(store)} == {s.headline for s in stories[:20]}
    again = await poll(p, source_id, LATER)  # the 480 older are remembered, never stored
    assert (again.new, again.updated, again.unchanged, again.failed) == (0, 0, 20, False)
    assert len(articles(store)) == 20
    assert store.db.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 500


# Being a good citizen


async def test_the_user_agent_names_newsbot(store: ArticleStore, site: FeedServer) -> None:
    stories = [story(1, body="")]
    serve_feed(site, stories)
    site.routes |= page_routes(stories)
    await poll(poller(store), add(store, site))
    for request in site.requests:
        assert request.headers["user-agent"].startswith("newsbot/")
    assert [r.path for r in site.requests] == ["/feed", "/story/1"]


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_honoured(store: ArticleStore, site: FeedServer, status: int) -> None:
    site.routes["/feed"] = busy("7200", status=status)
    p, source_id = poller(store), add(store, site)
    report = await poll(p, source_id)
    assert report.failed
    assert report.source.next_poll_at == NOW + timedelta(hours=2)
    assert await p.poll_due(NOW + timedelta(hours=1)) == []  # past the back-off, not the wait
    assert len(site.seen("/feed")) == 1
    serve_feed(site, [story(1)])
    (due,) = await p.poll_due(NOW + timedelta(hours=2))
    assert due.new == 1
    assert len(site.seen("/feed")) == 2


async def test_failures_back_off_and_alert_once_each_way(
    store: ArticleStore, site: FeedServer
) -> None:
    site.routes["/feed"] = Route(b"down", status=500, content_type="text/plain")
    p = poller(store)
    add(store, site)
    alerts = Alerts(store.db)
    now, waits = NOW, []
    for failures in range(1, 8):
        (report,) = await p.poll_due(now)
        assert report.failed
        assert report.source.failures == failures
        assert report.error == "the feed answered 500"
        next_at = report.source.next_poll_at
        assert next_at is not None
        waits.append(next_at - now)
        assert await p.poll_due(next_at - timedelta(seconds=1)) == []
        if failures < 5:
            assert alerts.open() == []
        now = next_at
    assert waits[:5] == [timedelta(seconds=900 * 2**k) for k in range(5)]
    assert [a.kind for a in alerts.open()] == ["source-failing"]
    assert alerts.open()[0].details["failures"] == 5
    assert len(site.seen("/feed")) == 7
    serve_feed(site, [story(1)])
    (recovered,) = await p.poll_due(now)
    assert not recovered.failed
    assert recovered.source.failures == 0
    (again,) = await p.poll_due(now + timedelta(seconds=900))
    assert not again.failed
    assert [a.kind for a in alerts.open()] == ["source-failing", "source-recovered"]


# Bad input: a clear error, nothing half-made


async def failed_poll(store: ArticleStore, site: FeedServer, p: FeedPoller | None = None) -> str:
    report = await poll(p or poller(store), add(store, site))
    assert report.failed
    assert report.error is not None
    assert (report.new, report.updated) == (0, 0)
    assert articles(store) == []
    assert store.db.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 0
    assert not Sources(store.db).get(report.source.id).first_poll_done
    return report.error


async def test_a_feed_that_takes_too_long(store: ArticleStore, site: FeedServer) -> None:
    site.routes["/feed"] = Route(rss(site, [story(1)]), delay=5)
    p = poller(store, timeout=0.3)
    assert await failed_poll(store, site, p) == "the feed took too long to answer"


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (None, "the feed answered 404"),
        (Route(b"oops", status=502, content_type="text/plain"), "the feed answered 502"),
        (feed_file("page_with_feed.html"), "the address now answers a web page, not a feed"),
        (
            Route(
                b"<!doctype html><html><body><p>Hello</p></body></html>", content_type="text/html"
            ),
            "the address now answers a web page, not a feed",
        ),
        (Route(b"<rss>" + b" " * 10_500_000), "the feed is more than 10 MB; not fetched"),
        (redirect("http://10.0.0.1/feed"), "10.0.0.1 is a private or local address; not fetched"),
        (Route(b"", content_type="application/rss+xml"), "the feed is empty"),
        (Route(b"just words", content_type="text/plain"), "that is not a feed"),
    ],
)
async def test_bad_answers_fail_the_poll(
    store: ArticleStore, site: FeedServer, route: Route | None, error: str
) -> None:
    if route is not None:
        site.routes["/feed"] = route
    assert (await failed_poll(store, site)).startswith(error)


@pytest.mark.parametrize(
    ("location", "host"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::ffff:127.0.0.1]/feed", "::ffff:127.0.0.1"),
        ("http://[fd00::1]/feed", "fd00::1"),
        ("http://192.168.1.1:8080/feed", "192.168.1.1"),
    ],
)
async def test_redirects_to_other_private_addresses_are_refused(
    store: ArticleStore, site: FeedServer, location: str, host: str
) -> None:
    site.routes["/feed"] = redirect(location)
    assert await failed_poll(store, site) == f"{host} is a private or local address; not fetched"


async def test_loopback_is_refused_when_not_allowed(store: ArticleStore, site: FeedServer) -> None:
    """Without allow_loopback even the first hop to the local site is refused: not a request
    reaches it (so a redirect to 127.0.0.1 could never be followed either)."""
    serve_feed(site, [story(1)])
    error = await failed_poll(store, site, poller(store, loopback=False))
    assert error == "127.0.0.1 is a private or local address; not fetched"
    assert site.requests == []


def raw_rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Raw</title>'
        + "".join(f"<item>{item}</item>" for item in items)
        + "</channel></rss>"
    ).encode()


async def test_an_item_with_no_title_and_no_text_is_skipped(
    store: ArticleStore, site: FeedServer
) -> None:
    site.routes["/feed"] = Route(
        raw_rss(
            "<guid>empty</guid><pubDate>Fri, 04 Dec 2026 10:00:00 GMT</pubDate>",
            "<title>A real one</title><guid>real</guid><description>It has words.</description>",
        )
    )
    report = await poll(poller(store), add(store, site))
    assert (report.new, report.skipped, report.failed) == (1, 1, False)
    assert [a.title for a in articles(store)] == ["A real one"]


async def test_a_date_in_the_year_3000_is_the_poll_time(
    store: ArticleStore, site: FeedServer
) -> None:
    serve_feed(site, [story(1, published="Wed, 01 Jan 3000 00:00:00 GMT")])
    await poll(poller(store), add(store, site))
    (article,) = articles(store)
    assert article.published_at == NOW


async def test_an_enormous_item_is_stored_clipped(store: ArticleStore, site: FeedServer) -> None:
    words = "The harbour grew again this year. " * 40_000  # 1.36 MB of text
    serve_feed(site, [story(1, body=words, title="T" * 3000)])
    report = await poll(poller(store), add(store, site))
    assert report.new == 1
    (article,) = articles(store)
    assert len(article.body) == 1_000_000
    assert len(article.title) == 1_000
    assert_whole(store)


async def test_a_feed_of_10000_items(store: ArticleStore, site: FeedServer) -> None:
    stories = [story(n) for n in range(1, 10_001)]
    serve_feed(site, stories)
    p, source_id = poller(store), add(store, site)
    first = await poll(p, source_id)
    assert first.new == 20
    assert len(articles(store)) == 20
    serve_feed(site, [story(0), *stories])
    later = await poll(p, source_id, LATER)
    assert (later.new, later.unchanged) == (1, 20)  # the older 9,980 remembered: not stored
    assert len(articles(store)) == 21


# Concurrency


async def test_two_polls_of_one_source_at_once(store: ArticleStore, site: FeedServer) -> None:
    serve_feed(site, [story(1)], delay=0.3)
    p, source_id = poller(store), add(store, site)
    first, second = await asyncio.gather(p.poll(source_id, now=NOW), p.poll(source_id, now=NOW))
    assert first is not None
    assert first.new == 1
    assert second is None
    assert len(site.seen("/feed")) == 1


async def test_two_pollers_on_one_database_store_each_item_once(
    tmp_path: Path, site: FeedServer
) -> None:
    stories = [story(n, body="") for n in range(1, 9)]
    serve_feed(site, stories)
    site.routes |= page_routes(stories, delay=0.05)
    one, two = ArticleStore.open(tmp_path / "news.db"), ArticleStore.open(tmp_path / "news.db")
    try:
        source_id = add(one, site)
        reports = await asyncio.gather(
            poller(one).poll(source_id, now=NOW), poller(two).poll(source_id, now=NOW)
        )
        assert sum(r.new for r in reports if r is not None) == 8
        urls = [a.url for a in articles(one)]
        assert len(urls) == len(set(urls)) == 8
        assert one.db.execute("SELECT count(*) FROM feed_items").fetchone()[0] == 8
        assert_whole(one)
    finally:
        one.close()
        two.close()


async def test_a_poll_stopped_midway_leaves_the_rest_for_the_next(
    store: ArticleStore, site: FeedServer
) -> None:
    """The bot stops after the first item is stored: the next poll (a new process) must not be
    told "304, nothing changed" by validators of a feed it never finished reading."""
    serve_feed(site, [story(n) for n in range(1, 4)], etag='"v1"')
    source_id = add(store, site)
    stopping = poller(store)

    def summarize_then_stop(text: str, **options: Any) -> list[str]:
        stopping.stop()  # as SIGTERM arrives while the first item is summarized
        return summarize(text, **options)

    stopping.summarizer = summarize_then_stop
    first = await poll(stopping, source_id)
    assert (first.new, first.failed) == (1, False)
    after = await poll(poller(store), source_id, NOW + timedelta(seconds=5))
    assert (after.new, after.not_modified) == (2, False)
    assert len(articles(store)) == 3
    assert_whole(store)


async def test_an_unexpected_error_fails_that_poll_only(
    store: ArticleStore, site: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug met by one feed's poll (here the summarizer's) is that poll's failure: it backs
    off like any other, and the round's other sources are polled and reported."""
    serve_feed(site, [story(1, body="BOOM. " + " ".join(["Words."] * 5))], path="/bad")
    serve_feed(site, [story(2)], path="/good")
    bad, good = add(store, site, "/bad", "Bad"), add(store, site, "/good", "Good")
    p = poller(store)

    def summarize_or_fail(text: str, **options: Any) -> list[str]:
        if "BOOM" in text:
            raise RuntimeError("a bug")
        return summarize(text, **options)

    p.summarizer = summarize_or_fail
    with caplog.at_level(logging.ERROR):
        reports = {r.source.id: r for r in await p.poll_due(NOW)}
    assert reports[good].new == 1
    assert reports[bad].error == "an unexpected error (RuntimeError); see the log"
    assert reports[bad].source.failures == 1
    assert reports[bad].source.next_poll_at == NOW + timedelta(seconds=900)
    assert "RuntimeError: a bug" in caplog.text  # with its traceback
    assert [a.title for a in articles(store)] == [story(2).headline]


async def test_a_json_feed_nested_too_deeply_is_a_clear_failure(
    store: ArticleStore, site: FeedServer
) -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    site.routes["/feed"] = Route(
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Deep", "items": '
        + nested
        + b"}",
        content_type="application/feed+json",
    )
    assert await failed_poll(store, site) == "the feed is nested too deeply to be read"


@pytest.mark.parametrize(
    "item",
    [
        "<title>A guid as a link</title><guid>/" + "g" * 70_000 + "</guid>",
        "<title>A long link</title><guid>a</guid><link>/" + "a" * 70_000 + "</link>",
    ],
)
async def test_an_absurdly_long_link_is_left_out(
    store: ArticleStore, site: FeedServer, item: str
) -> None:
    site.routes["/feed"] = Route(raw_rss(item + "<description>It has words.</description>"))
    report = await poll(poller(store), add(store, site))
    assert (report.new, report.error) == (1, None)
    (article,) = articles(store)
    assert article.url is None
    assert site.requests == [site.seen("/feed")[0]]  # no page fetched for it


async def test_a_guid_that_is_no_link_is_not_made_one(
    store: ArticleStore, site: FeedServer
) -> None:
    """RSS's guid is a permalink unless it says otherwise, and many feeds leave out
    isPermaLink="false" on a bare number: that is no link to resolve against the feed's."""
    site.routes["/feed"] = Route(
        raw_rss(
            "<title>Numbered</title><guid>12345</guid><description>Words here.</description>",
            "<title>Linked</title><guid>https://e.org/story</guid><description>W.</description>",
        )
    )
    report = await poll(poller(store), add(store, site))
    assert report.new == 2
    assert {a.title: a.url for a in articles(store)} == {
        "Numbered": None,
        "Linked": "https://e.org/story",
    }
    assert [r.path for r in site.requests] == ["/feed"]  # no page /12345 asked for


def trickle(body: bytes, pause: float) -> Iterator[bytes]:
    """`body` a few bytes at a time, each a little before the read timeout: never timed out."""
    for start in range(0, len(body), 64):
        time.sleep(pause)
        yield body[start : start + 64]


async def test_a_feed_that_trickles_in_is_cut_off(store: ArticleStore, site: FeedServer) -> None:
    """Each read within its timeout, the whole beyond any reason: without a deadline one such
    feed would hold its round (and so every source's polls) for as long as it likes."""
    body = rss(site, [story(1)])
    site.routes["/feed"] = Route(lambda _: trickle(body, 0.1))
    p = FeedPoller(
        store, Sources(store.db), summarize, PollSettings(allow_loopback=True, feed_deadline=0.5)
    )
    assert await failed_poll(store, site, p) == "the feed took too long to send (over 0.5 s)"


async def test_a_teasers_page_that_trickles_in_is_cut_off(
    store: ArticleStore, site: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    teaser = story(1, body="")
    serve_feed(site, [teaser])
    html = page(teaser)
    site.routes[teaser.path] = Route(lambda _: trickle(html, 0.1), content_type="text/html")
    p = FeedPoller(
        store, Sources(store.db), summarize, PollSettings(allow_loopback=True, page_deadline=0.5)
    )
    with caplog.at_level(logging.WARNING):
        report = await poll(p, add(store, site))
    assert report.new == 1
    assert "the page took too long to send (over 0.5 s)" in caplog.text
    assert "the teaser is stored" in caplog.text


async def test_a_source_removed_during_its_poll(tmp_path: Path, site: FeedServer) -> None:
    """`newsbot source remove` while the bot polls it: that poll ends quietly, storing nothing
    more, and the round's other sources are polled and reported as usual."""
    serve_feed(site, [story(1), story(2)], path="/gone")
    serve_feed(site, [story(3)], path="/stays")
    store = ArticleStore.open(tmp_path / "news.db")
    gone, stays = add(store, site, "/gone", "Gone"), add(store, site, "/stays", "Stays")
    p = poller(store)

    def remove_then_summarize(text: str, **options: Any) -> list[str]:
        if "Story 1." in text:  # the CLI, another connection, removes it meanwhile
            cli = ArticleStore.open(tmp_path / "news.db")
            Sources(cli.db).remove(gone)
            cli.close()
        return summarize(text, **options)

    p.summarizer = remove_then_summarize
    try:
        reports = await p.poll_due(NOW)
        assert [(r.source.id, r.new, r.error) for r in reports] == [(stays, 1, None)]
        assert [a.title for a in articles(store)] == [story(3).headline]
        assert [s.id for s in Sources(store.db).all()] == [stays]
        assert_whole(store)
    finally:
        store.close()


async def test_a_teasers_page_image_is_kept_as_a_link_never_downloaded(
    store: ArticleStore, site: FeedServer
) -> None:
    """A page's lead image could be 10 MB a story: the article links to it, as the feed's own
    photos do, and the poll never fetches it."""
    [teaser] = [story(1, body="")]
    serve_feed(site, [teaser])
    framed = page(teaser).replace(
        b"<head>", b'<head><meta property="og:image" content="/images/lead.jpg">'
    )
    site.routes[teaser.path] = Route(framed, content_type="text/html; charset=utf-8")
    report = await poll(poller(store), add(store, site))
    assert report.new == 1
    [article] = articles(store)
    assert article.photo_url == site.url("/images/lead.jpg")
    assert not article.has_photo  # no bytes in the store
    assert site.seen("/images/lead.jpg") == []
