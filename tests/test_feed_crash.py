"""kill -9 in the middle of a big poll, five times, then a clean poll: as if it never crashed.

The real `newsbot source poll` polls a local feed of 200 teasers (each story's page served
a little slowly), and is killed at random moments while it stores; then one poll
runs to its end. Nothing may be stored twice or half, and the store must equal that of a
poll that never crashed.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from summaries.models import utc_now
from summaries.sources import Sources
from summaries.store import ArticleStore
from tests.helpers.feed_server import FeedServer, Route, serve
from tests.helpers.feed_site import page_routes, rss, story
from tests.helpers.poll_process import start_poll
from tests.helpers.processes import ensure_stopped, wait_for

pytestmark = pytest.mark.slow
ITEMS = 200


@pytest.fixture
def site() -> Iterator[FeedServer]:
    stories = [story(n, body="") for n in range(1, ITEMS + 1)]
    with serve(page_routes(stories, delay=0.01)) as server:
        server.routes["/feed"] = Route(rss(server, stories), etag='"big"')
        yield server


def new_database(path: Path, site: FeedServer) -> Path:
    store = ArticleStore.open(path)
    try:
        Sources(store.db).add(site.url("/feed"), name="Big feed", now=utc_now())
    finally:
        store.close()
    return path


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def poll_to_the_end(db: Path) -> str:
    process = start_poll(db, first_items=ITEMS)
    try:
        out, err = process.communicate(timeout=300)
    finally:
        ensure_stopped(process)
    assert process.returncode == 0, err
    return out


def stored(db: Path) -> dict[str, tuple[str, str]]:
    """url -> (title, body) of every article, checking on the way that the store is whole."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT id, url, title, body FROM articles").fetchall()
        urls = [url for _, url, _, _ in rows]
        assert len(urls) == len(set(urls)), "an article stored twice"
        for article_id, _, title, body in rows:
            assert title, article_id
            assert body, article_id
            summaries = conn.execute(
                "SELECT count(*) FROM summaries WHERE article_id = ?", [article_id]
            ).fetchone()[0]
            assert summaries >= 1, f"article {article_id} has no summary"
        items = conn.execute("SELECT guid, article_id FROM feed_items").fetchall()
        guids = [guid for guid, _ in items]
        assert len(guids) == len(set(guids)), "a feed item recorded twice"
        linked = [article_id for _, article_id in items]
        assert sorted(linked) == sorted(article_id for article_id, _, _, _ in rows)
    return {url: (title, body) for _, url, title, body in rows}


def stored_or_ended(db: Path, target: int, process: subprocess.Popen[str]) -> Callable[[], bool]:
    return lambda: count(db, "articles") >= target or process.poll() is not None


def test_kill_9_during_a_big_poll_five_times(tmp_path: Path, site: FeedServer) -> None:
    db = new_database(tmp_path / "news.db", site)
    seed = random.randrange(1_000_000)  # in the failure's message, to run it again
    rnd = random.Random(seed)
    kills: list[tuple[int | None, int, int]] = []  # (exit code, articles before, after)
    while sum(code == -signal.SIGKILL for code, _, _ in kills) < 5:
        assert len(kills) < 10, (seed, kills)  # a poll that ends before its kill is rare
        before = count(db, "articles")
        process = start_poll(db, first_items=ITEMS)
        try:
            if not kills or before >= ITEMS - 1:  # any moment: starting, reading pages, storing
                time.sleep(rnd.uniform(0.1, 1.5))
            else:  # a moment while it stores: after a random number of new articles
                target = before + rnd.randint(1, min(40, ITEMS - 1 - before))
                stored_it = stored_or_ended(db, target, process)
                wait_for(stored_it, f"article {target} (seed {seed})", timeout=180)
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=30)
        finally:
            ensure_stopped(process)
        kills.append((process.returncode, before, count(db, "articles")))
        stored(db)  # whole after every crash, not only at the end
    assert {code for code, _, _ in kills} <= {-signal.SIGKILL, 0}, (seed, kills)
    assert any(0 < after < ITEMS for _, _, after in kills), (seed, kills)  # killed mid-store
    assert "failed" not in poll_to_the_end(db)
    crashed = stored(db)

    reference = new_database(tmp_path / "never-crashed.db", site)
    assert "200 new" in poll_to_the_end(reference)
    assert crashed == stored(reference)
    assert len(crashed) == ITEMS
    assert count(db, "feed_items") == ITEMS


def test_two_poll_processes_at_once_store_each_item_once(tmp_path: Path, site: FeedServer) -> None:
    db = new_database(tmp_path / "news.db", site)
    first, second = start_poll(db, first_items=ITEMS), start_poll(db, first_items=ITEMS)
    try:
        outs = [process.communicate(timeout=300) for process in (first, second)]
    finally:
        ensure_stopped(first)
        ensure_stopped(second)
    assert (first.returncode, second.returncode) == (0, 0), outs
    assert len(stored(db)) == ITEMS
    assert count(db, "feed_items") == ITEMS
