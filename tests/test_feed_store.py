from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from summaries import feed_ingest
from summaries.article_summary import add_article, for_publishing, source_digest, update_article
from summaries.errors import DuplicateSourceError, SourceError, SourceNotFoundError
from summaries.feed_ingest import draft_for, plan, remember_old, store_item
from summaries.feed_items import FeedItem, ParsedFeed
from summaries.models import Draft
from summaries.sources import Notice, Source, Sources
from summaries.store import ArticleStore
from tests.helpers.feeds import item, poll
from tests.helpers.samples import ROOT

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
FEED = "https://news.example.org/feed.xml"


@pytest.fixture
def sources(store: ArticleStore) -> Sources:
    return Sources(store.db)


@pytest.fixture
def source_id(sources: Sources) -> int:
    return sources.add(FEED, name="Example News", now=NOW).id


def count(store: ArticleStore, table: str = "articles") -> int:
    [[n]] = store.db.execute(f"SELECT count(*) FROM {table}").fetchall()  # noqa: S608
    return int(n)


# Identity


def test_the_same_guid_is_the_same_item_even_under_another_link(
    store: ArticleStore, source_id: int
) -> None:
    assert poll(store, source_id, [item(1)], now=NOW) == ["added"]
    moved = item(1, link="https://news.example.org/moved/1")
    assert poll(store, source_id, [moved], now=NOW) == []
    assert count(store) == 1


@pytest.mark.parametrize(
    "spelling",
    [
        "https://news.example.org/story/1?utm_source=rss&utm_medium=feed",
        "https://news.example.org/story/1/",
        "HTTPS://NEWS.example.org:443/story/1/#top",
        "https://news.example.org/story/1?fbclid=x",
    ],
)
def test_the_same_link_is_the_same_item_without_guids(
    store: ArticleStore, source_id: int, spelling: str
) -> None:
    assert poll(store, source_id, [item(1, guid=None)], now=NOW) == ["added"]
    assert poll(store, source_id, [item(1, guid=None, link=spelling)], now=NOW) == []
    [article] = store.latest()
    assert article.url == "https://news.example.org/story/1"
    assert article.source_id == source_id


def test_an_item_with_neither_guid_nor_link_is_known_by_its_text(
    store: ArticleStore, source_id: int
) -> None:
    bare = item(1, guid=None, link=None)
    assert poll(store, source_id, [bare], now=NOW) == ["added"]
    assert poll(store, source_id, [bare], now=NOW) == []
    assert poll(store, source_id, [item(2, guid=None, link=None)], now=NOW) == ["added"]
    assert count(store) == 2
    assert all(a.url is None for a in store.latest())


def test_republished_with_new_guids_or_reordered_adds_nothing(
    store: ArticleStore, source_id: int
) -> None:
    assert poll(store, source_id, [item(n) for n in range(1, 6)], now=NOW) == ["added"] * 5
    reordered = [item(n) for n in (3, 1, 5, 2, 4)]
    assert poll(store, source_id, reordered, now=NOW) == []
    new_guids = [item(n, guid=f"urn:again:{n}") for n in range(1, 6)]
    assert poll(store, source_id, new_guids, now=NOW) == []
    assert count(store) == 5


def test_one_feed_listing_an_item_twice_plans_it_once(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    twice = ParsedFeed("A feed", (item(1), item(1, guid="other"), item(2)))
    plans = plan(store, sources.get(source_id), twice)
    assert [(p.item.guid, p.action) for p in plans] == [("guid-1", "new"), ("guid-2", "new")]


def test_the_same_link_from_two_sources_is_one_article(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    other = sources.add("https://wire.example.com/rss", name="Wire", now=NOW).id
    assert poll(store, source_id, [item(1)], now=NOW) == ["added"]
    [article] = store.latest()
    wired = item(1, guid="wire-1", link="https://news.example.org/story/1?utm_source=wire")
    [planned] = plan(store, sources.get(other), ParsedFeed("Wire", (wired,)))
    assert (planned.action, planned.article_id) == ("kept", article.id)
    # a poller that stores it anyway (it planned before the first source stored it) merges
    source = sources.get(other)
    draft = draft_for(wired, language="english", now=NOW, source_id=other)
    assert store_item(store, source, wired, draft, None, now=NOW) == "merged"
    assert poll(store, other, [wired, item(2, guid="wire-2")], now=NOW) == ["added"]
    assert count(store) == 2
    assert store.get(article.id).source_id == source_id
    # the other source's changed copy never changes the first source's article
    assert poll(store, other, [item(1, guid="wire-1", title="Wire's title")], now=NOW) == []
    assert store.get(article.id).title == "Story 1"


def test_a_link_an_admin_stored_by_hand_is_merged_not_duplicated(
    store: ArticleStore, source_id: int
) -> None:
    mine = add_article(
        store,
        Draft(title="Mine", body="Written by hand. Twice checked.", url=item(1).link),
        now=NOW,
    )
    assert poll(store, source_id, [item(1)], now=NOW) == []
    assert count(store) == 1
    assert store.get(mine.id).title == "Mine"
    [[linked]] = store.db.execute("SELECT article_id FROM feed_items").fetchall()
    assert linked == mine.id


# Updated in place


def summary_digests(store: ArticleStore, article_id: int) -> list[str]:
    return [
        row["source_digest"]
        for row in store.db.query(
            "SELECT source_digest FROM summaries WHERE article_id = ?", [article_id]
        )
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Story 1, corrected"},
        {"body": "Something else happened in town. Nobody talked about it."},
        {"photo_url": "https://news.example.org/photo/1.jpg", "photo_caption": "The town"},
    ],
)
def test_a_changed_item_updates_its_article_in_place(
    store: ArticleStore, source_id: int, change: dict[str, str]
) -> None:
    poll(store, source_id, [item(1)], now=NOW)
    [before] = store.latest()
    later = NOW + timedelta(hours=1)
    assert poll(store, source_id, [item(1, **change)], now=later) == ["updated"]
    [after] = store.latest()
    assert after.id == before.id
    assert after.version == before.version + 1
    assert after.updated_at == later
    assert after.published_at == before.published_at
    for field, value in change.items():
        assert getattr(after, field) == value
    assert summary_digests(store, after.id) == [source_digest(after)]
    # an admin may still edit it: the feed's update did not mark it hand-edited
    [[hand]] = store.db.execute("SELECT hand_edited FROM articles").fetchall()
    assert hand == 0


def test_a_dropped_photo_goes_with_its_caption(store: ArticleStore, source_id: int) -> None:
    photo = {"photo_url": "https://news.example.org/p.jpg", "photo_caption": "Cap"}
    poll(store, source_id, [item(1, **photo)], now=NOW)
    assert poll(store, source_id, [item(1)], now=NOW) == ["updated"]
    [article] = store.latest()
    assert (article.photo_url, article.photo_caption, article.has_any_photo) == (None, "", False)


def test_an_unchanged_item_keeps_its_summary_and_version(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    poll(store, source_id, [item(1)], now=NOW)
    [before] = store.latest()
    source = sources.get(source_id)
    draft = draft_for(item(1), language="english", now=NOW, source_id=source_id)
    later = NOW + timedelta(hours=1)
    assert store_item(store, source, item(1), draft, None, now=later) == "unchanged"
    assert store.get(before.id) == before
    assert summary_digests(store, before.id) == [source_digest(before)]


def test_an_article_edited_by_hand_is_kept(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    poll(store, source_id, [item(1)], now=NOW)
    [article] = store.latest()
    update_article(store, article.id, now=NOW, title="The editor's title")
    [planned] = plan(store, sources.get(source_id), ParsedFeed("f", (item(1, title="New"),)))
    assert planned.action == "kept"
    source = sources.get(source_id)
    changed = item(1, title="New")
    draft = draft_for(changed, language="english", now=NOW, source_id=source_id)
    assert store_item(store, source, changed, draft, None, now=NOW) == "kept"
    assert store.get(article.id).title == "The editor's title"


def test_an_article_deleted_by_hand_is_not_revived(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    poll(store, source_id, [item(1)], now=NOW)
    [article] = store.latest()
    store.delete(article.id, now=NOW)
    assert poll(store, source_id, [item(1)], now=NOW) == []
    assert poll(store, source_id, [item(1, guid="new", body="Changed. Quite so.")], now=NOW) == []
    source = sources.get(source_id)
    changed = item(1, title="New")
    draft = draft_for(changed, language="english", now=NOW, source_id=source_id)
    assert store_item(store, source, changed, draft, None, now=NOW) == "kept"
    assert store.latest() == []
    assert store.is_deleted(article.id)


def test_an_item_gone_from_the_feed_is_left_alone(store: ArticleStore, source_id: int) -> None:
    poll(store, source_id, [item(1), item(2)], now=NOW)
    before = store.latest()
    assert poll(store, source_id, [item(2)], now=NOW) == []
    assert store.latest() == before


# The first poll


def test_the_first_poll_stores_the_newest_and_remembers_the_rest(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    # 500 items, listed oldest first: the limit goes by published time, not feed order
    items = [item(n, published=NOW - timedelta(hours=500 - n)) for n in range(500)]
    assert poll(store, source_id, items, now=NOW) == ["added"] * 20
    assert sorted(a.title for a in store.latest(50)) == sorted(
        f"Story {n}" for n in range(480, 500)
    )
    assert count(store, "feed_items") == 500
    assert sources.get(source_id).first_poll_done
    assert sources.get(source_id).items == 20
    # served again, even changed, the old ones are never stored; a new item is
    again = [item(n, title=f"Story {n}, updated") for n in range(480)]
    assert poll(store, source_id, [item(600), *again, *items], now=NOW) == ["added"]
    assert count(store) == 21


def test_the_first_poll_keeps_feed_order_for_undated_items(
    store: ArticleStore, source_id: int
) -> None:
    items = [item(n) for n in range(10)]  # no times: newest first, as feeds list them
    assert poll(store, source_id, items, now=NOW, limit=3) == ["added"] * 3
    assert sorted(a.title for a in store.latest()) == ["Story 0", "Story 1", "Story 2"]


def test_a_crash_in_the_first_poll_is_finished_by_the_next(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    items = [item(n) for n in range(30)]
    source = sources.get(source_id)
    plans = plan(store, source, ParsedFeed("f", tuple(items)))
    remember_old(store, source, plans, now=NOW)
    for planned in plans[:5]:  # then the process dies
        draft = draft_for(planned.item, language="english", now=NOW, source_id=source_id)
        store_item(store, source, planned.item, draft, None, now=NOW)
    assert poll(store, source_id, items, now=NOW) == ["added"] * 15
    assert sorted(int(a.title.split()[1]) for a in store.latest(50)) == list(range(20))


# Times


@pytest.mark.parametrize(
    "published",
    [
        datetime(3000, 1, 1, tzinfo=UTC),
        NOW + timedelta(hours=2),
        datetime(1850, 1, 1, tzinfo=UTC),
        None,
    ],
)
def test_a_time_out_of_range_or_missing_is_the_poll_time(
    store: ArticleStore, source_id: int, published: datetime | None
) -> None:
    assert poll(store, source_id, [item(1, published=published)], now=NOW) == ["added"]
    assert store.latest()[0].published_at == NOW


def test_the_item_time_is_kept_in_utc(store: ArticleStore, source_id: int) -> None:
    berlin = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    poll(store, source_id, [item(1, published=berlin)], now=NOW)
    assert store.latest()[0].published_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_draft_for_makes_a_checked_draft() -> None:
    feed_item = FeedItem(
        title="",
        body="A body without a title. It has two sentences.",
        link="https://example.org/a?utm_source=x",
        photo_url="javascript:alert(1)",
        photo_caption="dropped with the photo",
    )
    draft = draft_for(feed_item, language="german", now=NOW, source_id=7)
    assert draft.title == "A body without a title. It has two sentences."
    assert (draft.url, draft.photo_url, draft.photo_caption) == ("https://example.org/a", None, "")
    assert (draft.language, draft.created_by, draft.published_at) == ("german", "feed:7", NOW)


# Exactly once


def test_storing_the_same_item_again_adds_nothing(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    source = sources.get(source_id)
    draft = draft_for(item(1), language="english", now=NOW, source_id=source_id)
    summary = for_publishing(draft)
    outcomes = [store_item(store, source, item(1), draft, summary, now=NOW) for _ in range(3)]
    assert outcomes == ["added", "unchanged", "unchanged"]
    assert count(store) == 1
    assert count(store, "feed_items") == 1


def test_a_failure_inside_store_item_leaves_nothing_half_written(
    store: ArticleStore, sources: Sources, source_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = sources.get(source_id)
    draft = draft_for(item(1), language="english", now=NOW, source_id=source_id)

    def crash(*args: object) -> None:
        raise RuntimeError("killed after the insert")

    monkeypatch.setattr(feed_ingest, "record_item", crash)
    with pytest.raises(RuntimeError):
        store_item(store, source, item(1), draft, for_publishing(draft), now=NOW)
    assert (count(store), count(store, "summaries"), count(store, "feed_items")) == (0, 0, 0)
    monkeypatch.undo()
    assert poll(store, source_id, [item(1)], now=NOW) == ["added"]
    assert count(store) == 1


def test_a_killed_poll_leaves_no_duplicate_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    first = ArticleStore.open(path)
    source_id = Sources(first.db).add(FEED, name="Example", now=NOW).id
    poll(first, source_id, [item(1), item(2)], now=NOW)
    first.db.conn.execute("BEGIN")
    first.db.execute(
        "INSERT INTO articles (title, body, published_at, created_at, updated_at) "
        "VALUES ('half', 'written', 'x', 'x', 'x')"
    )
    first.db.conn.close()  # the process dies here: its transaction never commits
    second = ArticleStore.open(path)
    assert poll(second, source_id, [item(1), item(2), item(3)], now=NOW) == ["added"]
    assert sorted(a.title for a in second.latest()) == ["Story 1", "Story 2", "Story 3"]
    second.close()


def test_admin_edits_and_deletes_mark_the_article_hand_edited(store: ArticleStore) -> None:
    ids = [add_article(store, Draft(title=f"T{n}", body="One. Two."), now=NOW).id for n in (1, 2)]
    update_article(store, ids[0], now=NOW, title="Edited")
    store.delete(ids[1], now=NOW)
    rows = store.db.execute("SELECT hand_edited FROM articles ORDER BY id").fetchall()
    assert rows == [(1,), (1,)]


# Sources


def test_sources_add_get_all_and_duplicates(sources: Sources) -> None:
    first = sources.add(
        "https://A.example.org/feed#x", name="  A  news ", language="de", every=600, now=NOW
    )
    assert (first.url, first.name, first.language, first.every) == (
        "https://a.example.org/feed",
        "A news",
        "german",
        600,
    )
    assert (first.paused, first.failures, first.items, first.first_poll_done) == (
        False,
        0,
        0,
        False,
    )
    assert first.added_at == NOW
    with pytest.raises(DuplicateSourceError, match=f"source {first.id}") as caught:
        sources.add("https://a.example.org:443/feed", name="Again", now=NOW)
    assert caught.value.source_id == first.id
    second = sources.add("https://b.example.org/rss", name="B", language="Greek", now=NOW)
    assert second.language == "greek"
    assert sources.all() == [first, second]
    assert sources.get(second.id) == second


@pytest.mark.parametrize(
    ("url", "fields", "message"),
    [
        ("ftp://example.org/feed", {}, "http"),
        (FEED, {"language": "klingon"}, "unsupported language"),
        (FEED, {"every": 4}, "every 5 seconds"),
        (FEED, {"every": 7 * 86400 + 1}, "7 days"),
        (FEED, {"name": "  "}, "name"),
    ],
)
def test_sources_refuse_bad_settings(
    sources: Sources, url: str, fields: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {"name": "A"} | fields
    with pytest.raises(SourceError, match=message):
        sources.add(url, now=NOW, **values)  # type: ignore[arg-type]
    assert sources.all() == []


def test_removing_a_source_keeps_its_articles(
    store: ArticleStore, sources: Sources, source_id: int
) -> None:
    poll(store, source_id, [item(1)], now=NOW)
    sources.remove(source_id)
    with pytest.raises(SourceNotFoundError):
        sources.get(source_id)
    with pytest.raises(SourceNotFoundError):
        sources.remove(source_id)
    assert [a.source_id for a in store.latest()] == [source_id]
    assert count(store, "feed_items") == 0
    again = sources.add(FEED, name="Back", now=NOW)
    assert again.id != source_id  # ids are never given twice
    assert poll(store, again.id, [item(1), item(2)], now=NOW) == ["added"]


def test_due_pause_and_resume(sources: Sources) -> None:
    a = sources.add("https://a.example.org/f", name="A", now=NOW).id
    b = sources.add("https://b.example.org/f", name="B", every=60, now=NOW).id
    c = sources.add("https://c.example.org/f", name="C", now=NOW).id
    sources.polled(b, now=NOW, etag='"e"', last_modified=None, next_at=NOW + timedelta(minutes=1))
    sources.polled(c, now=NOW, etag=None, last_modified=None, next_at=NOW + timedelta(seconds=30))
    assert [s.id for s in sources.due(NOW, default_every=900)] == [a]
    later = NOW + timedelta(minutes=2)
    assert [s.id for s in sources.due(later, default_every=900)] == [a, c, b]
    sources.pause(a)
    assert [s.id for s in sources.due(later, default_every=900)] == [c, b]
    assert sources.get(b).etag == '"e"'
    resumed = sources.resume(a, now=later)
    assert (resumed.paused, resumed.next_poll_at) == (False, later)
    assert [s.id for s in sources.due(later, default_every=900)] == [a, c, b]
    with pytest.raises(SourceNotFoundError):
        sources.pause(999)


def test_failures_back_off_doubling_up_to_a_day(sources: Sources, source_id: int) -> None:
    waits = []
    now = NOW
    for _ in range(12):
        sources.failed(source_id, now=now, error="timed out", retry_after=None, default_every=600)
        source = sources.get(source_id)
        assert source.next_poll_at is not None
        waits.append(source.next_poll_at - now)
        assert [s.id for s in sources.due(now, default_every=600)] == []
        now = source.next_poll_at
    minutes = [int(w.total_seconds() // 60) for w in waits]
    assert minutes == [10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440, 1440, 1440]
    assert sources.get(source_id).last_error == "timed out"


def test_retry_after_is_respected(sources: Sources, source_id: int) -> None:
    later = NOW + timedelta(hours=3)
    sources.failed(source_id, now=NOW, error="429", retry_after=later, default_every=60)
    source = sources.get(source_id)
    assert (source.next_poll_at, source.retry_after) == (later, later)
    assert sources.due(later - timedelta(seconds=1), default_every=60) == []
    assert sources.resume(source_id, now=NOW).next_poll_at == later
    far = NOW + timedelta(days=365)
    sources.failed(source_id, now=NOW, error="429", retry_after=far, default_every=60)
    assert sources.get(source_id).next_poll_at == NOW + timedelta(days=7)


def test_admins_are_told_once_after_five_failures_and_once_on_recovery(
    store: ArticleStore, source_id: int
) -> None:
    notices = []
    for n in range(8):
        sources = Sources(store.db)  # a restart between polls changes nothing
        notices.append(
            sources.failed(
                source_id,
                now=NOW + timedelta(minutes=n),
                error="boom",
                retry_after=None,
                default_every=60,
            )
        )
    assert notices == [Notice.NONE] * 4 + [Notice.FAILING] + [Notice.NONE] * 3
    poll_ok = {"etag": None, "last_modified": None, "next_at": NOW + timedelta(hours=1)}
    assert Sources(store.db).polled(source_id, now=NOW, **poll_ok) == Notice.RECOVERED  # type: ignore[arg-type]
    assert Sources(store.db).polled(source_id, now=NOW, **poll_ok) == Notice.NONE  # type: ignore[arg-type]
    recovered = Sources(store.db).get(source_id)
    assert (recovered.failures, recovered.failing_since, recovered.last_error) == (0, None, None)


def test_admins_are_told_after_six_hours_of_failing(sources: Sources, source_id: int) -> None:
    def fail(at: datetime) -> Notice:
        return sources.failed(source_id, now=at, error="x", retry_after=None, default_every=60)

    assert fail(NOW) == Notice.NONE
    assert fail(NOW + timedelta(hours=5, minutes=59)) == Notice.NONE
    assert fail(NOW + timedelta(hours=6)) == Notice.FAILING
    assert fail(NOW + timedelta(hours=7)) == Notice.NONE
    assert sources.get(source_id).failing_since == NOW
    assert (
        sources.polled(source_id, now=NOW, etag=None, last_modified=None, next_at=NOW)
        == Notice.RECOVERED
    )
    # a success before any notice tells nobody anything
    assert fail(NOW) == Notice.NONE
    assert (
        sources.polled(source_id, now=NOW, etag=None, last_modified=None, next_at=NOW)
        == Notice.NONE
    )


KILLED_POLL = """
import os, signal, sys
from datetime import datetime
from summaries import feed_ingest
from summaries.store import ArticleStore
from tests.helpers.feeds import item, poll
from tests.helpers.samples import ROOT

record = feed_ingest.record_item
calls = []

def record_then_die(*args):
    calls.append(1)
    if len(calls) == 3:  # the third item's article is inserted, not yet committed
        os.kill(os.getpid(), signal.SIGKILL)
    record(*args)

feed_ingest.record_item = record_then_die
store = ArticleStore.open(sys.argv[1])
poll(store, 1, [item(n) for n in range(5)], now=datetime.fromisoformat(sys.argv[2]))
"""


def test_kill_9_mid_poll_leaves_nothing_half_written(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    store = ArticleStore.open(path)
    assert Sources(store.db).add(FEED, name="Example", now=NOW).id == 1
    died = subprocess.run(
        [sys.executable, "-c", KILLED_POLL, str(path), NOW.isoformat()],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert died.returncode == -signal.SIGKILL, died.stderr
    assert (count(store), count(store, "feed_items"), count(store, "summaries")) == (2, 2, 2)
    assert poll(store, 1, [item(n) for n in range(5)], now=NOW) == ["added"] * 3
    assert (count(store), count(store, "feed_items"), count(store, "summaries")) == (5, 5, 5)
    assert sorted(a.title for a in store.latest()) == [f"Story {n}" for n in range(5)]
    store.close()


@pytest.mark.parametrize("record", ["polled", "failed"])
def test_a_polls_record_waits_for_no_one_mid_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: str
) -> None:
    """In WAL mode a transaction that reads, then writes after another connection committed,
    fails at once ("database is locked"): recording a poll takes the write lock first, so
    the other writer (the CLI, a second poller) waits its turn instead."""
    store = ArticleStore.open(tmp_path / "news.db")
    sources = Sources(store.db)
    source_id = sources.add(FEED, name="Example News", now=NOW).id
    other = sqlite3.connect(tmp_path / "news.db", timeout=0.1, isolation_level=None)
    others_writes: list[bool] = []
    read = Sources.get

    def read_while_another_writes(self: Sources, wanted: int) -> Source:
        found = read(self, wanted)
        try:
            other.execute("UPDATE sources SET name = 'Renamed' WHERE id = ?", [wanted])
            others_writes.append(True)
        except sqlite3.OperationalError:
            others_writes.append(False)
        return found

    monkeypatch.setattr(Sources, "get", read_while_another_writes)
    later = NOW + timedelta(minutes=15)
    if record == "polled":
        sources.polled(source_id, now=NOW, etag=None, last_modified=None, next_at=later)
    else:
        sources.failed(source_id, now=NOW, error="503", retry_after=None, default_every=900)
    assert others_writes[0] is False  # it waited (and here gave up): no lost update
    other.close()
    store.close()


def test_an_unknown_feed_language_is_refused_naming_each_language_once(sources: Sources) -> None:
    with pytest.raises(SourceError) as refused:
        sources.add(FEED, name="A", language="klingon", now=NOW)
    assert str(refused.value).count("norwegian") == 1  # its codes no, nb and nn: one language
