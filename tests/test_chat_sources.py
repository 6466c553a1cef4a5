"""Admins' /sources and /source URL in the chat, against feeds served from 127.0.0.1."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Update

from bot.feed_poll import FeedPoller
from standin import TelegramUser
from tests.helpers.feed_server import FeedServer, Route, feed_file, serve
from tests.helpers.harness import ADMIN_ID, READER_ID, Harness

NOT_ADMIN = "This command is for admins."
TITLE = "Harbour Herald – World News"  # news_rss.xml's title; it has 5 full stories
NO_FEED_PAGE = b"<html><head><title>Plain</title></head><body><p>Nothing here.</p></body></html>"


@pytest.fixture
def site() -> Iterator[FeedServer]:
    routes = {
        "/feed.xml": feed_file("news_rss.xml", etag='"v1"'),
        "/world": feed_file("page_with_feed.html"),
        "/plain.html": Route(NO_FEED_PAGE, content_type="text/html"),
    }
    with serve(routes) as server:
        yield server


@pytest.fixture
def admin(harness: Harness) -> TelegramUser:
    """The admin; the bot may fetch from 127.0.0.1, and each reading of its clock is a minute
    later than the one before (so every list shows a new last poll)."""
    minutes = itertools.count()
    start = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    settings = dataclasses.replace(harness.services.settings, fetch_loopback=True)
    harness.app.bot_data["services"] = dataclasses.replace(
        harness.services, settings=settings, clock=lambda: start + timedelta(minutes=next(minutes))
    )
    poller = poller_of(harness)
    poller.settings = dataclasses.replace(poller.settings, allow_loopback=True)
    return harness.tg.user(ADMIN_ID)


def poller_of(harness: Harness) -> FeedPoller:
    poller: FeedPoller = harness.app.bot_data["feed_poller"]
    return poller


def all_calls_ok(harness: Harness) -> None:
    """Every call the bot made passed the stand-in's checks (Telegram's limits included)."""
    assert [(c.method, c.params) for c in harness.tg.calls if not c.ok] == []


def labels(user: TelegramUser) -> list[str]:
    return [b["text"] for b in user.last.buttons]


async def add(harness: Harness, admin: TelegramUser, url: str) -> str:
    await harness.feed(admin.sends(f"/source {url}"))
    return admin.last.text or ""


async def test_source_adds_a_feed_after_checking_it(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    before = len(harness.tg.bot_messages(ADMIN_ID))
    answer = await add(harness, admin, site.url("/feed.xml"))
    assert answer.startswith(f"Added source 1: {TITLE} (5 items).")
    assert "polled every 15 minutes" in answer
    # one message: "Checking the feed…", then edited with the result
    assert len(harness.tg.bot_messages(ADMIN_ID)) == before + 1
    assert harness.tg.successful("editMessageText")
    [source] = harness.services.sources.all()
    assert (source.id, source.url, source.name) == (1, site.url("/feed.xml"), TITLE)
    assert source.last_poll_at is None
    assert harness.store.count() == 0
    all_calls_ok(harness)


async def test_source_takes_the_feed_a_page_links_to(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    answer = await add(harness, admin, site.url("/world"))
    assert answer.startswith(f"Added source 1: {TITLE} (5 items).")
    assert f"The page {site.url('/world')} links to its feed; I took {site.url('/feed.xml')}" in (
        answer
    )
    assert [s.url for s in harness.services.sources.all()] == [site.url("/feed.xml")]
    all_calls_ok(harness)


async def test_source_refusals_store_nothing(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    await harness.feed(admin.sends("/source"))
    assert (admin.last.text or "").startswith("Which feed? Send /source and its address")
    refusals = {
        "not-a-link": "Not added: the feed's address must be an http:// or https:// link",
        site.url("/missing.xml"): "Not added: the feed answered 404.",
        site.url("/plain.html"): "Not added: that is a web page with no feed link",
        "http://10.1.2.3/feed.xml": "Not added: 10.1.2.3 is a private or local address",
    }
    for url, expected in refusals.items():
        assert (await add(harness, admin, url)).startswith(expected), url
    assert harness.services.sources.all() == []
    await add(harness, admin, site.url("/feed.xml"))
    requests = len(site.requests)
    duplicate = f"Not added: source 1 already reads {site.url('/feed.xml')}."
    assert await add(harness, admin, site.url("/feed.xml")) == duplicate
    assert len(site.requests) == requests  # known already: not even fetched
    assert await add(harness, admin, site.url("/world")) == duplicate  # the page's feed
    assert [s.id for s in harness.services.sources.all()] == [1]
    all_calls_ok(harness)


async def test_non_admins_are_refused_and_change_nothing(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    await add(harness, admin, site.url("/feed.xml"))
    await harness.feed(admin.sends("/sources"))
    admins_list = harness.tg.last_message(ADMIN_ID)
    requests = len(site.requests)
    stranger = harness.tg.user(READER_ID)
    for text in ["/sources", f"/source {site.url('/world')}", "/source"]:
        await harness.feed(stranger.sends(text))
        assert stranger.last.text == NOT_ADMIN, text
    forged = ["src:poll:1:0", "src:pause:1:0", "src:resume:1:0", "src:rm:1", "src:rm:1:yes"]
    for data in [*forged, "src:page:0"]:  # an admin's button data, replayed by a reader
        update = harness.tg.updates.callback_query(stranger.json, admins_list.json, data)
        harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
        await harness.feed(update)
    alerts = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    assert alerts == [NOT_ADMIN] * 6
    [source] = harness.services.sources.all()
    assert (source.paused, source.last_poll_at) == (False, None)
    assert len(site.requests) == requests
    assert harness.store.count() == 0
    assert harness.tg.last_message(ADMIN_ID).message_id == admins_list.message_id
    all_calls_ok(harness)


async def test_poll_now_stores_the_articles_and_says_how_it_went(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    await add(harness, admin, site.url("/feed.xml"))
    await harness.feed(admin.sends("/sources"))
    listing = admin.last
    assert f"1 · {TITLE}" in (listing.text or "")
    assert "🆕 new: not polled yet" in (listing.text or "")
    assert labels(admin) == ["⟳ Poll 1", "⏸ Pause 1", "🗑 Remove 1"]

    await harness.feed(admin.presses("⟳ Poll 1"))
    assert admin.last.text == f"Source 1 ({TITLE}): 5 new, 0 updated, 0 unchanged."
    assert "Polling source 1…" in [
        c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")
    ]
    assert harness.store.count() == 5
    shown = harness.tg.find_message(ADMIN_ID, listing.message_id)
    assert shown is not None
    assert "✅ ok" in (shown.text or "")
    assert "5 items · last poll 5 Dec 2026" in (shown.text or "")
    await harness.feed(admin.sends("/latest"))
    assert len(admin.last.buttons) == 5

    await harness.feed(admin.presses("⟳ Poll 1"))  # the server's ETag still holds: a 304
    assert admin.last.text == f"Source 1 ({TITLE}): not modified since the last poll."
    site.routes["/feed.xml"] = Route(b"gone", status=410, content_type="text/plain")
    await harness.feed(admin.presses("⟳ Poll 1"))
    assert admin.last.text == f"Source 1 ({TITLE}): failed: the feed answered 410"
    shown = harness.tg.find_message(ADMIN_ID, listing.message_id)
    assert shown is not None
    assert "⚠ failing since 5 Dec 2026, " in (shown.text or "")
    assert "(1 poll in a row): the feed answered 410" in (shown.text or "")
    assert harness.store.count() == 5
    all_calls_ok(harness)


async def test_poll_now_while_a_poll_is_under_way(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    await add(harness, admin, site.url("/feed.xml"))
    await harness.feed(admin.sends("/sources"))
    site.routes["/feed.xml"] = feed_file("news_rss.xml", delay=0.5)  # a slow feed
    now = harness.services.clock()
    report, _ = await asyncio.gather(
        poller_of(harness).poll(1, now=now),  # the feed job's poll, say; it starts first
        harness.feed(admin.presses("⟳ Poll 1")),
    )
    assert report is not None
    assert report.new == 5
    assert admin.last.text == (
        f"A poll of source 1 ({TITLE}) is under way; /sources shows its outcome once it ends."
    )
    assert harness.store.count() == 5
    all_calls_ok(harness)


async def test_pause_and_resume_change_the_state_shown(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    await add(harness, admin, site.url("/feed.xml"))
    await harness.feed(admin.sends("/sources"))
    await harness.feed(admin.presses("⏸ Pause 1"))
    assert harness.services.sources.get(1).paused
    assert "⏸ paused" in (admin.last.text or "")
    assert labels(admin) == ["⟳ Poll 1", "▶ Resume 1", "🗑 Remove 1"]
    await harness.feed(admin.presses("▶ Resume 1"))
    assert not harness.services.sources.get(1).paused
    assert "🆕 new: not polled yet" in (admin.last.text or "")
    assert labels(admin) == ["⟳ Poll 1", "⏸ Pause 1", "🗑 Remove 1"]
    acknowledged = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    assert acknowledged == [
        "Source 1 is paused.",
        "Source 1 is resumed; it is polled in a moment.",
    ]
    all_calls_ok(harness)


async def test_remove_asks_first_and_keeps_the_articles(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    await add(harness, admin, site.url("/feed.xml"))
    await harness.feed(admin.sends("/sources"))
    await harness.feed(admin.presses("⟳ Poll 1"))
    await harness.feed(admin.presses("🗑 Remove 1"))
    question = f"Remove source 1 ({TITLE})? Its articles stay. (/cancel keeps it.)"
    assert admin.last.text == question
    await harness.feed(admin.presses("No"))
    assert admin.last.text == "Kept; nothing was removed."
    await harness.feed(admin.presses("🗑 Remove 1"))
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == "Cancelled: source 1 is kept."
    assert [s.id for s in harness.services.sources.all()] == [1]

    await harness.feed(admin.presses("🗑 Remove 1"))
    await harness.feed(admin.presses("Yes, remove"))
    assert admin.last.text == f"Removed source 1 ({TITLE}); its 5 articles stay."
    assert harness.services.sources.all() == []
    assert harness.store.count() == 5
    assert len(harness.store.latest()) == 5
    await harness.feed(admin.presses("⟳ Poll 1"))  # the old list's button
    alerts = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    assert alerts[-1] == "Source 1 no longer exists. Send /sources for the list."
    await harness.feed(admin.sends("/sources"))
    assert admin.last.text == (
        "No sources yet. Add a feed with /source and its address, e.g. "
        "/source https://example.org/feed.xml"
    )
    all_calls_ok(harness)


async def test_many_sources_are_paged(harness: Harness, admin: TelegramUser) -> None:
    now = harness.services.clock()
    for n in range(1, 8):
        name = f"Feed <{n}> & co " + "x" * 300 if n == 7 else f"Feed {n}"
        url = f"https://feeds.example.org/{n}.xml"
        harness.services.sources.add(url, name=name[:200], now=now)
    await harness.feed(admin.sends("/sources"))
    assert (admin.last.text or "").startswith("Sources (1–5 of 7)")
    assert labels(admin)[-1] == "Next »"
    await harness.feed(admin.presses("Next »"))
    assert (admin.last.text or "").startswith("Sources (6–7 of 7)")
    assert "7 · Feed <7> & co xxx" in (admin.last.text or "")  # escaped, shown as typed
    assert labels(admin) == [
        "⟳ Poll 6",
        "⏸ Pause 6",
        "🗑 Remove 6",
        "⟳ Poll 7",
        "⏸ Pause 7",
        "🗑 Remove 7",
        "« Previous",
    ]
    await harness.feed(admin.presses("« Previous"))
    assert (admin.last.text or "").startswith("Sources (1–5 of 7)")
    all_calls_ok(harness)


async def test_admins_see_both_commands_in_help_and_menu(
    harness: Harness, admin: TelegramUser
) -> None:
    menus = {
        key: [c["command"] for c in commands] for key, commands in harness.tg.commands.items()
    }
    admins = [names for key, names in menus.items() if str(ADMIN_ID) in key]
    assert admins
    assert {"sources", "source"} <= set(admins[0])
    assert all("sources" not in names for key, names in menus.items() if str(ADMIN_ID) not in key)
    await harness.feed(admin.sends("/help"))
    assert "/sources – the news feeds" in (admin.last.text or "")
    assert "/source address – read a new feed" in (admin.last.text or "")
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/help"))
    assert "/sources" not in (reader.last.text or "")


async def test_poll_now_does_not_hold_up_other_chats(
    harness: Harness, admin: TelegramUser, site: FeedServer
) -> None:
    await add(harness, admin, site.url("/feed.xml"))
    await harness.feed(admin.sends("/sources"))
    site.routes["/feed.xml"] = feed_file("news_rss.xml", delay=0.5)  # a slow feed
    reader = harness.tg.user(READER_ID)
    press, latest = admin.presses("⟳ Poll 1"), reader.sends("/latest")
    bot = harness.app.bot
    await asyncio.gather(
        harness.app.process_update(Update.de_json(press, bot)),
        harness.app.process_update(Update.de_json(latest, bot)),
    )
    sent = [c.params.get("chat_id") for c in harness.tg.successful("sendMessage")]
    assert sent[-2:] == [READER_ID, ADMIN_ID]  # the reader's answer came during the poll
    assert admin.last.text == f"Source 1 ({TITLE}): 5 new, 0 updated, 0 unchanged."
    all_calls_ok(harness)
