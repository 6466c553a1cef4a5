"""Outlets: what each channel or group is sent (filters, watermark, backfill, old news),
pausing and resuming, moving a group, deep links and the readers they bring."""

from __future__ import annotations

from datetime import timedelta

import pytest

from summaries.errors import DuplicateOutletError, OutletError, OutletNotFoundError
from summaries.outlet_fixes import OutletFixes
from summaries.outlet_links import parse_start, start_param
from summaries.outlet_posts import OutletPosts, PostMessage
from summaries.outlet_queue import OutletQueue
from summaries.outlets import Outlets
from summaries.store import ArticleStore
from tests.helpers.outlets import T0, story

HOUR = timedelta(hours=1)


def queued(store: ArticleStore, outlet_id: int) -> list[int]:
    """The articles queued for an outlet, in order."""
    return [p.article_id for p in OutletPosts(store.db).posts(outlet_id) if p.state == "queued"]


def test_existing_articles_are_not_posted_new_ones_are_once(store: ArticleStore) -> None:
    old = story(store, "Before the channel")
    outlet = Outlets(store.db).add(-100, kind="channel", title="News", now=T0)
    assert outlet.seen_id == old
    new = story(store, "After the channel", now=T0 + HOUR)
    queue = OutletQueue(store.db)
    assert queue.enqueue(T0 + HOUR) == 1
    assert queue.enqueue(T0 + HOUR) == 0  # a re-run (after a crash) queues nothing twice
    assert queued(store, outlet.id) == [new]
    assert Outlets(store.db).get(outlet.id).seen_id == new


def test_an_enqueue_that_crashed_before_moving_the_watermark_adds_no_second_row(
    store: ArticleStore,
) -> None:
    outlet = Outlets(store.db).add(-100, kind="channel", now=T0)
    new = story(store, "Rail strike", now=T0 + HOUR)
    OutletQueue(store.db).enqueue(T0 + HOUR)
    store.db.execute("UPDATE outlets SET seen_id = 0")  # as if the transaction half ran
    assert OutletQueue(store.db).enqueue(T0 + HOUR) == 0
    assert queued(store, outlet.id) == [new]


def test_filters_topics_sources_or_everything(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    everything = outlets.add(-1, kind="channel", now=T0)
    rail = outlets.add(-2, kind="channel", topics=("rail strike", "ferry"), now=T0)
    feed = outlets.add(-3, kind="group", sources=(7,), now=T0)
    both = outlets.add(-4, kind="group", topics=("ferry",), sources=(7,), now=T0)
    nothing = outlets.add(-5, kind="group", topics=("!!",), now=T0)
    strike = story(store, "Rail strike today", now=T0 + HOUR)  # both words of the topic
    half = story(store, "Rail prices rise", now=T0 + HOUR)  # one word only: not a match
    ferry = story(store, "Ferry cancelled", now=T0 + HOUR, source_id=7)
    other_feed = story(store, "Ferry late", now=T0 + HOUR, source_id=8)
    OutletQueue(store.db).enqueue(T0 + HOUR)
    assert queued(store, everything.id) == [strike, half, ferry, other_feed]
    assert queued(store, rail.id) == [strike, ferry, other_feed]
    assert queued(store, feed.id) == [ferry]
    assert queued(store, both.id) == [ferry]
    assert queued(store, nothing.id) == []


def test_deleted_articles_are_never_queued(store: ArticleStore) -> None:
    outlet = Outlets(store.db).add(-100, kind="channel", now=T0)
    gone = story(store, "Withdrawn at once", now=T0 + HOUR)
    store.delete(gone, now=T0 + HOUR)
    OutletQueue(store.db).enqueue(T0 + HOUR)
    store.undelete(gone, now=T0 + 2 * HOUR)  # back, but not news: the watermark passed it
    OutletQueue(store.db).enqueue(T0 + 2 * HOUR)
    assert queued(store, outlet.id) == []


def test_old_news_is_not_posted_unless_the_outlet_asks(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    plain = outlets.add(-1, kind="channel", now=T0)
    week = outlets.add(-2, kind="channel", backfill_hours=7 * 24, now=T0)
    stored = T0 + HOUR
    fresh = story(store, "Fresh", now=stored, published_at=stored - 23 * HOUR)
    import_ = story(store, "Archive", now=stored, published_at=stored - 25 * HOUR)
    ancient = story(store, "Ancient", now=stored, published_at=stored - 30 * 24 * HOUR)
    OutletQueue(store.db).enqueue(stored)
    assert queued(store, plain.id) == [fresh]
    assert queued(store, week.id) == [fresh, import_]
    assert ancient not in queued(store, week.id)


def test_backfill_queues_recent_existing_articles_once(store: ArticleStore) -> None:
    last_week = story(store, "Last week", now=T0 - 7 * 24 * HOUR)
    yesterday = story(store, "Yesterday", now=T0 - 20 * HOUR)
    outlet = Outlets(store.db).add(-100, kind="channel", backfill_hours=24, now=T0)
    OutletQueue(store.db).enqueue(T0 + HOUR)
    OutletQueue(store.db).enqueue(T0 + 2 * HOUR)
    assert queued(store, outlet.id) == [yesterday]
    assert last_week < yesterday


def test_forum_topics_are_outlets_of_their_own(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    sport = outlets.add(-200, kind="supergroup", thread_id=5, topics=("match",), now=T0)
    whole = outlets.add(-200, kind="supergroup", now=T0)
    with pytest.raises(
        DuplicateOutletError, match=f"outlet {sport.id} already posts to chat -200 topic 5"
    ):
        outlets.add(-200, kind="supergroup", thread_id=5, now=T0)
    with pytest.raises(DuplicateOutletError, match=f"outlet {whole.id}"):
        outlets.add(-200, kind="supergroup", now=T0)
    match = story(store, "The match ended late", now=T0 + HOUR)
    vote = story(store, "The vote", now=T0 + HOUR)
    OutletQueue(store.db).enqueue(T0 + HOUR)
    assert queued(store, sport.id) == [match]
    assert queued(store, whole.id) == [match, vote]
    assert [o.id for o in outlets.of_chat(-200)] == [sport.id, whole.id]
    assert outlets.find(-200, 5) == outlets.get(sport.id)


def test_bad_settings_and_unknown_ids_are_refused(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    with pytest.raises(OutletError, match="not 'private'"):
        outlets.add(1, kind="private", now=T0)
    with pytest.raises(OutletError, match="0 or more"):
        outlets.add(-1, kind="channel", backfill_hours=-1, now=T0)
    with pytest.raises(OutletNotFoundError, match="no outlet with id 9"):
        outlets.get(9)
    with pytest.raises(OutletError, match="not 'bored'"):
        outlets.pause(outlets.add(-1, kind="channel", now=T0).id, "bored", now=T0)  # type: ignore[arg-type]


def test_a_paused_outlet_keeps_queueing_and_sends_nothing(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    outlet = outlets.add(-100, kind="channel", now=T0)
    paused = outlets.pause(outlet.id, "rights", now=T0 + HOUR)
    assert (paused.active, paused.paused_reason, paused.paused_since) == (
        False,
        "rights",
        T0 + HOUR,
    )
    story(store, "While paused", now=T0 + 2 * HOUR)
    OutletQueue(store.db).enqueue(T0 + 2 * HOUR)
    posts = OutletPosts(store.db)
    assert posts.next_posts(T0 + 2 * HOUR) == []
    assert not posts.claim(posts.posts(outlet.id)[0].id, "me", now=T0 + 2 * HOUR)
    assert outlets.pause(outlet.id, "admin", now=T0 + 3 * HOUR).paused_since == T0 + HOUR
    assert outlets.resume(outlet.id, now=T0 + 4 * HOUR) == 0  # a short pause: all of it goes
    assert len(posts.next_posts(T0 + 4 * HOUR)) == 1


def test_resuming_after_a_day_keeps_only_the_newest_few(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    outlet = outlets.add(-100, kind="channel", now=T0)
    outlets.pause(outlet.id, "rights", now=T0)
    ids = [story(store, f"Story {n}", now=T0 + HOUR) for n in range(8)]
    OutletQueue(store.db).enqueue(T0 + HOUR)
    assert outlets.resume(outlet.id, now=T0 + 25 * HOUR, keep=3) == 5
    assert queued(store, outlet.id) == ids[-3:]
    states = [p.state for p in OutletPosts(store.db).posts(outlet.id)]
    assert states == ["skipped"] * 5 + ["queued"] * 3
    assert outlets.get(outlet.id).active


def test_a_group_upgraded_to_a_supergroup_moves_its_outlets(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    a = outlets.add(-1, kind="group", now=T0)
    other = outlets.add(-2, kind="group", now=T0)
    assert outlets.migrate_chat(-1, -1001, now=T0 + HOUR) == 1
    moved = outlets.get(a.id)
    assert (moved.chat_id, moved.kind) == (-1001, "supergroup")
    assert outlets.get(other.id).chat_id == -2
    assert outlets.find(-1) is None


def test_title_and_username_follow_the_chat(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    outlet = outlets.add(-1, kind="channel", title="Old", username="old", now=T0)
    outlets.refresh(-1, title="New", username=None, now=T0 + HOUR)
    assert (outlets.get(outlet.id).title, outlets.get(outlet.id).username) == ("New", None)


def test_a_removed_outlet_keeps_its_posts_and_comes_back_when_added_again(
    store: ArticleStore,
) -> None:
    """Removing stops new posts, but the ledger stays: the posts already in the chat are
    still corrected. Adding the same chat again revives the outlet, from a fresh start."""
    outlets, posts = Outlets(store.db), OutletPosts(store.db)
    outlet = outlets.add(-1, kind="channel", now=T0)
    sent = story(store, "Posted before", now=T0 + HOUR)
    OutletQueue(store.db).enqueue(T0 + HOUR)
    [post] = posts.posts(outlet.id)
    assert posts.claim(post.id, "me", now=T0 + HOUR)
    posts.finish(post.id, [PostMessage(7, "text")], now=T0 + HOUR)
    waiting = story(store, "Queued at the remove", now=T0 + HOUR)
    OutletQueue(store.db).enqueue(T0 + HOUR)
    outlets.record_arrival(outlet.id, 42, sent, now=T0 + HOUR)
    assert outlets.remove(outlet.id, now=T0 + 2 * HOUR) == 1
    assert outlets.all() == []
    assert outlets.of_chat(-1) == []
    with pytest.raises(OutletNotFoundError):
        outlets.get(outlet.id)
    assert {p.article_id: p.state for p in posts.posts(outlet.id)} == {
        sent: "sent",
        waiting: "skipped",
    }
    story(store, "After the remove", now=T0 + 2 * HOUR)
    assert OutletQueue(store.db).enqueue(T0 + 2 * HOUR) == 0
    assert posts.next_posts(T0 + 2 * HOUR) == []
    store.db.execute("UPDATE articles SET version = version + 1 WHERE id = ?", [sent])
    [fix] = OutletFixes(store.db).edits_due(T0 + 2 * HOUR)  # its old post is still corrected
    assert (fix.post.id, fix.post.chat_id) == (post.id, -1)
    again = outlets.add(-1, kind="channel", topics=("bridge",), now=T0 + 3 * HOUR)
    assert (again.id, again.topics, again.posts_sent) == (outlet.id, ("bridge",), 1)
    assert queued(store, again.id) == []  # nothing from before the new start


@pytest.mark.parametrize(
    ("article", "outlet"), [(1, 2), (2**63 - 1, 2**63 - 1), (17, None), (5, 1)]
)
def test_start_parameters_round_trip(article: int, outlet: int | None) -> None:
    param = start_param(article, outlet)
    assert len(param) <= 64
    assert all(c.isascii() and (c.isalnum() or c in "_-") for c in param)
    assert parse_start(param) == (article, outlet)


@pytest.mark.parametrize(
    "param", ["", "a1", "a1o", "o1", "0", "a0o1", "a1o0", "x", "1o2", str(2**63)]
)
def test_start_parameters_that_name_nothing(param: str) -> None:
    assert parse_start(param) is None


def test_a_chat_title_is_stored_as_one_plain_line(store: ArticleStore) -> None:
    """Anyone can name a chat: a right-to-left override or BEL in its title would reorder or
    ring whatever shows it (the CLI's lists, admins' messages)."""
    outlets = Outlets(store.db)
    outlet = outlets.add(-1, kind="channel", title="Rail\u202e news\x07\n desk\u2066", now=T0)
    assert outlet.title == "Rail news desk"
    outlets.refresh(-1, title="\u200fNew\u061c\u200e name\x1b[2J", username=None, now=T0)
    assert outlets.get(outlet.id).title == "New name[2J"


def posted(store: ArticleStore, outlet_id: int, article_id: int) -> None:
    """The outlet's post of the article leaves for the chat (queued first if need be)."""
    posts = OutletPosts(store.db)
    OutletQueue(store.db).enqueue(T0 + HOUR)
    [post] = [p for p in posts.posts(outlet_id) if p.article_id == article_id]
    assert posts.claim(post.id, "me", now=T0 + HOUR)
    posts.finish(post.id, [PostMessage(7, "text")], now=T0 + HOUR)


def test_arrivals_count_each_reader_once_per_outlet_and_article(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    one = outlets.add(-1, kind="channel", now=T0)
    two = outlets.add(-2, kind="channel", now=T0)
    article = story(store, "Read in the bot", now=T0 + HOUR)
    posted(store, one.id, article)
    posted(store, two.id, article)
    assert outlets.record_arrival(one.id, 42, article, now=T0 + HOUR)
    assert not outlets.record_arrival(one.id, 42, article, now=T0 + 2 * HOUR)
    assert outlets.record_arrival(one.id, 43, article, now=T0 + HOUR)
    assert outlets.record_arrival(two.id, 42, article, now=T0 + HOUR)
    assert not outlets.record_arrival(99, 42, article, now=T0 + HOUR)  # no such outlet
    stats = {s.outlet_id: s for s in outlets.stats()}
    assert (stats[one.id].arrivals, stats[one.id].readers) == (2, 2)
    assert (stats[two.id].arrivals, stats[two.id].readers) == (1, 1)


def test_an_arrival_counts_only_through_a_post_the_outlet_sent(store: ArticleStore) -> None:
    """Anyone can type /start a1o1: ten readers doing so for an article outlet 1 never
    posted (only queued, or posted elsewhere) count nothing; one it posted, and later
    deleted, still counts."""
    outlets = Outlets(store.db)
    one = outlets.add(-1, kind="channel", now=T0)
    two = outlets.add(-2, kind="channel", now=T0)
    article = story(store, "Only in two", now=T0 + HOUR)
    posted(store, two.id, article)  # one's post of it stays queued
    assert not any(outlets.record_arrival(one.id, 100 + n, article, now=T0) for n in range(10))
    assert not outlets.record_arrival(one.id, 42, article + 1, now=T0)  # no such article
    store.delete(article, now=T0 + 2 * HOUR)  # its post is deleted in the chat: it was there
    assert outlets.record_arrival(two.id, 42, article, now=T0 + 2 * HOUR)
    stats = {s.outlet_id: (s.arrivals, s.readers) for s in outlets.stats()}
    assert stats == {one.id: (0, 0), two.id: (1, 1)}
