"""The real `newsbot run` process takes news from a feed by itself, and tells admins when a
feed fails: against the Bot API stand-in and a feed served on 127.0.0.1."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from standin import FakeTelegram
from standin.server import BotApiServer
from summaries.models import utc_now
from summaries.sources import Sources
from summaries.store import ArticleStore
from tests.helpers.feed_server import Route, feed_file, serve
from tests.helpers.processes import ensure_stopped, start_run, wait_for

pytestmark = pytest.mark.slow
ADMIN = 4242


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer(timeout_delay=1.0) as server:
        yield server


def start_bot(server: BotApiServer, db: Path) -> subprocess.Popen[str]:
    """`newsbot run` with one admin, feeds due every 5 s, fetching from 127.0.0.1 allowed."""
    return start_run(
        server,
        db,
        NEWSBOT_ADMIN_IDS=str(ADMIN),
        NEWSBOT_FEED_INTERVAL="5",
        NEWSBOT_FETCH_LOOPBACK="1",
    )


def articles(db: Path) -> list[tuple[int, str, int | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, title, source_id FROM articles ORDER BY id").fetchall()


def add_source(db: Path, url: str, name: str, *, failed_before: int = 0) -> int:
    """A source polled every 5 s; `failed_before`: polls it failed an hour ago, in a row."""
    store = ArticleStore.open(db)
    try:
        sources = Sources(store.db)
        source = sources.add(url, name=name, every=5, now=utc_now() - timedelta(hours=1))
        for _ in range(failed_before):
            at = utc_now() - timedelta(hours=1)
            sources.failed(source.id, now=at, error="refused", retry_after=None, default_every=5)
        return source.id
    finally:
        store.close()


def test_run_polls_feeds_and_tells_admins_of_a_failing_one(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    with serve(
        {"/news": feed_file("news_rss.xml", etag='"1"'), "/dead": Route(status=503)}
    ) as site:
        news = add_source(db, site.url("/news"), "Harbour Herald")
        add_source(db, site.url("/dead"), "Dead Feed", failed_before=4)
        tg = server.telegram
        tg.user(ADMIN, "Admin")
        bot = start_bot(server, db)
        try:
            wait_for(lambda: len(articles(db)) == 5, "the feed's five stories", timeout=60)
            assert {source for _, _, source in articles(db)} == {news}
            # A reader finds a feed story like any other.
            reader = tg.user(77, "Ada")
            reader.sends("/latest")
            wait_for(lambda: any("Latest news" in (m.text or "") for m in tg.bot_messages(77)),
                     "the list")  # fmt: skip
            latest = next(m for m in tg.bot_messages(77) if "Latest" in (m.text or ""))
            buttons = json.dumps(latest.json["reply_markup"])
            assert all(f'"read:{article_id}"' in buttons for article_id, _, _ in articles(db))
            # Its fifth failure in a row: the admin is told, once.
            wait_for(lambda: len(alerts(tg)) == 1, "the admin's alert", timeout=30)
            wait_for(lambda: len(site.seen("/news")) >= 2, "a second poll", timeout=30)
            assert site.seen("/news")[-1].headers.get("if-none-match") == '"1"'
            code = bot.poll()
            assert code is None, "the bot stopped"
        finally:
            bot.send_signal(signal.SIGTERM)
            out, err = bot.communicate(timeout=30)
            ensure_stopped(bot)
    assert bot.returncode == 0, out + err
    assert "Traceback" not in out + err
    assert len(articles(db)) == 5  # the second poll was a 304: nothing twice
    [alert] = alerts(tg)
    assert "(Dead Feed) is failing" in alert
    assert "the feed answered 503" in alert


def alerts(tg: FakeTelegram) -> list[str]:
    return [m.text or "" for m in tg.bot_messages(ADMIN) if "Dead Feed" in (m.text or "")]


def test_a_feed_that_trickles_does_not_hold_up_the_stop(
    server: BotApiServer, tmp_path: Path
) -> None:
    db = tmp_path / "news.db"
    stop_serving = threading.Event()

    def trickle(_: object) -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>'
        while not stop_serving.wait(0.5):  # a byte now and then: no read ever times out
            yield b" "

    with serve({"/slow": Route(trickle, headers={"Content-Length": "1000000"})}) as site:
        add_source(db, site.url("/slow"), "Slow Feed")
        bot = start_bot(server, db)
        try:
            wait_for(lambda: bool(site.seen("/slow")), "the poll's request", timeout=60)
            code, output = None, ""
            bot.send_signal(signal.SIGTERM)
            out, err = bot.communicate(timeout=30)  # not the poll's two-minute deadline
            code, output = bot.returncode, out + err
        finally:
            stop_serving.set()
            ensure_stopped(bot)
    assert code == 0, output
    assert "Traceback" not in output
    assert articles(db) == []
