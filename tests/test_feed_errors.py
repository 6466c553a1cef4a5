"""A failing feed's reason in the admin's language: the poller stores a code and its fields
beside the English words; /sources, Poll now and the failing alert word it anew for each
admin, the CLI keeps the English, and rows stored before codes show their words as they are."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.cli.sources import state_words
from bot.feed_poll import FeedPoller
from bot.i18n import using
from bot.render.feed_errors import poll_error, source_error
from bot.render.feeds import state
from standin import TelegramUser
from summaries.error_fields import fields_from_json, fields_json
from summaries.migrations import migrations
from summaries.sources import Sources
from summaries.store import ArticleStore
from tests.helpers.english import english_left
from tests.helpers.feed_server import FeedServer, Route, serve
from tests.helpers.harness import ADMIN_ID, Harness, local_admin

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
PAGE = b"<html><head><title>Plain</title></head><body><p>Nothing here.</p></body></html>"


@pytest.fixture
def site() -> Iterator[FeedServer]:
    routes = {
        "/gone.xml": Route(b"gone", status=410, content_type="text/plain"),
        "/busy.xml": Route(b"", status=429, headers={"Retry-After": "7200"}),
        "/page.xml": Route(PAGE, content_type="text/html"),
    }
    with serve(routes) as server:
        yield server


def admin_in(harness: Harness, language: str) -> TelegramUser:
    return local_admin(harness, language, NOW)


async def listing(harness: Harness, admin: TelegramUser) -> str:
    await harness.feed(admin.sends("/sources"))
    return admin.last.text or ""


async def test_a_german_admin_reads_why_a_feed_fails_in_german(
    harness: Harness, site: FeedServer
) -> None:
    admin = admin_in(harness, "de")
    source = harness.services.sources.add(site.url("/gone.xml"), name="Hafenbote", now=NOW)
    await listing(harness, admin)
    await harness.feed(admin.presses(f"⟳ Abrufen {source.id}"))
    assert (
        admin.last.text
        == f"Quelle {source.id} (Hafenbote): fehlgeschlagen: der Feed antwortete mit 410"
    )
    shown = await listing(harness, admin)
    assert (
        "⚠ fehlerhaft seit 5. Dez. 2026, 10:00 (1 Abruf in Folge): der Feed antwortete mit 410"
        in (shown)
    )
    assert "answered" not in shown
    said = [m.text or "" for m in harness.tg.bot_messages(ADMIN_ID)]
    assert english_left(said, placeholders=True) == []
    stored = harness.services.sources.get(source.id)
    assert stored.last_error == "the feed answered 410"  # the CLI's words stay English
    assert (stored.last_error_code, stored.last_error_fields) == (
        "feed-answered",
        {"status": 410, "until": None},
    )
    assert state_words(stored) == (
        "failing since 2026-12-05 09:00 UTC (1 poll): the feed answered 410"
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", "der Feed bittet uns, bis 05.12.2026, 11:00:00 UTC zu warten (429)"),
        ("uk", "стрічка просить зачекати (429) до 5 груд. 2026\u202fр., 11:00:00 UTC"),
        ("en", "the feed asks us to wait (429) until 5 Dec 2026, 11:00:00 UTC"),
    ],
)
async def test_a_servers_retry_after_is_kept_as_a_time_and_worded_per_language(
    harness: Harness, site: FeedServer, language: str, words: str
) -> None:
    admin = admin_in(harness, language)
    source = harness.services.sources.add(site.url("/busy.xml"), name="Busy", now=NOW)
    poller: FeedPoller = harness.app.bot_data["feed_poller"]
    report = await poller.poll(source.id, now=NOW)
    assert report is not None
    assert report.error == "the feed asks us to wait (429) until 2026-12-05 11:00:00 UTC"
    stored = harness.services.sources.get(source.id)
    assert stored.last_error_fields == {"status": 429, "until": NOW + timedelta(hours=2)}
    assert words in await listing(harness, admin)


async def test_a_feed_that_became_a_page_is_worded_too(harness: Harness, site: FeedServer) -> None:
    admin = admin_in(harness, "ru")
    source = harness.services.sources.add(site.url("/page.xml"), name="Page", now=NOW)
    poller: FeedPoller = harness.app.bot_data["feed_poller"]
    await poller.poll(source.id, now=NOW)
    assert harness.services.sources.get(source.id).last_error_code == "now-a-web-page"
    assert "по этому адресу теперь веб-страница, а не лента" in await listing(harness, admin)


def test_a_crashed_poll_and_a_missing_reason_are_worded() -> None:
    with using("es"):
        crashed = poll_error(
            "poll-crashed", {"kind": "KeyError"}, "an unexpected error (KeyError)"
        )
        assert crashed == "un error inesperado (KeyError); ver el registro"
        assert poll_error(None, {}, None) == "sin motivo indicado"
        # fields that don't fit the code (another version's): the English words, as stored
        assert poll_error("feed-answered", {}, "the feed answered 500") == "the feed answered 500"
        assert poll_error("a-code-from-later", {}, "words") == "words"


async def test_a_failing_alert_is_worded_in_the_admins_language(
    harness: Harness, site: FeedServer
) -> None:
    admin = admin_in(harness, "de")
    await harness.feed(admin.sends("/help"))  # first contact: the admin's language is stored
    sender = harness.set_clock(lambda: NOW)
    source = harness.services.sources.add(site.url("/gone.xml"), name="Hafenbote", now=NOW)
    poller: FeedPoller = harness.app.bot_data["feed_poller"]
    for minute in range(5):
        await poller.poll(source.id, now=NOW + timedelta(minutes=minute))
    await sender.run_round(harness.app.bot)
    [alert] = [
        m.text or "" for m in harness.tg.bot_messages(ADMIN_ID) if "Hafenbote" in (m.text or "")
    ]
    assert "der Feed antwortete mit 410" in alert
    assert "answered" not in alert


def old_database(path: Path) -> None:
    """A database from before codes (up to m014), with a source that failed in English."""
    db = Database(path)
    migrations.apply(db, stop_before="m016_source_error_codes")
    db.execute(
        "INSERT INTO sources (id, url, name, added_at, last_poll_at, failures, failing_since, "
        "last_error) VALUES (1, 'https://example.org/feed', 'Old', ?, ?, 2, ?, ?)",
        ["2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z", "2026-12-01T08:30:00Z",
         "the feed answered 503"],
    )  # fmt: skip
    db.conn.commit()
    db.close()


def test_a_row_from_before_codes_shows_its_english_words(tmp_path: Path) -> None:
    old_database(tmp_path / "old.db")
    store = ArticleStore.open(tmp_path / "old.db")
    source = Sources(store.db).get(1)
    assert (source.last_error_code, source.last_error_fields) == (None, {})
    with using("de"):
        assert source_error(source) == "the feed answered 503"
        assert state(source, UTC).endswith("(2 Abrufe in Folge): the feed answered 503")
    store.close()


def test_a_recovered_source_forgets_its_error(tmp_path: Path) -> None:
    store = ArticleStore.open(tmp_path / "s.db")
    sources = Sources(store.db)
    source = sources.add("https://example.org/feed", name="S", now=NOW)
    sources.failed(source.id, now=NOW, error="the feed answered 500", retry_after=None,
                   default_every=60, code="feed-answered", fields={"status": 500})  # fmt: skip
    assert sources.get(source.id).last_error_code == "feed-answered"
    sources.polled(source.id, now=NOW, etag=None, last_modified=None, next_at=NOW)
    found = sources.get(source.id)
    assert (found.last_error, found.last_error_code, found.last_error_json) == (None, None, None)
    store.close()


def test_fields_json_can_not_keep_keeps_only_the_english(tmp_path: Path) -> None:
    store = ArticleStore.open(tmp_path / "s.db")
    sources = Sources(store.db)
    source = sources.add("https://example.org/feed", name="S", now=NOW)
    sources.failed(source.id, now=NOW, error="words", retry_after=None, default_every=60,
                   code="feed-unreadable", fields={"failures": [("x", ValueError())]})  # fmt: skip
    found = sources.get(source.id)
    assert (found.last_error, found.last_error_code, found.last_error_json) == (
        "words",
        None,
        None,
    )
    sources.failed(source.id, now=NOW, error="long", retry_after=None, default_every=60,
                   code="not-http", fields={"url": "x" * 2000})  # fmt: skip
    assert sources.get(source.id).last_error_code is None  # too long to keep: the English
    store.close()


def test_error_fields_round_trip_times_and_refuse_what_json_cant_hold() -> None:
    fields = {"status": 429, "until": NOW, "host": "bücher.example", "none": None}
    assert fields_from_json(fields_json(fields)) == fields
    assert fields_json({"error": ValueError("x")}) is None
    assert fields_json({"naive": datetime(2026, 1, 1)}) is None  # noqa: DTZ001 - refused
    assert fields_from_json(None) == {}
    assert fields_from_json("not json") == {}
    assert fields_from_json('{"t": {"$time": "yesterday"}}') == {}
    assert fields_from_json("[1, 2]") == {}
