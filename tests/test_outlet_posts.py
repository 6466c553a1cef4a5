"""The posts ledger: claimed before it is sent, settled after a crash, never sent twice, and
paced to what Telegram takes into one chat."""

from __future__ import annotations

from datetime import timedelta

from summaries.outlet_fixes import OutletFixes
from summaries.outlet_pace import GROUP_REPLIES, PER_CHAT
from summaries.outlet_posts import OutletPosts, PostMessage
from summaries.outlet_queue import OutletQueue
from summaries.outlets import Outlets
from summaries.store import ArticleStore
from tests.helpers.outlets import SECOND, T0, story

MINUTE = timedelta(minutes=1)
PHOTO, TEXT = PostMessage(11, "photo"), PostMessage(12, "text")


def channel_with(store: ArticleStore, count: int, chat_id: int = -100) -> int:
    """An outlet with `count` queued posts; its id."""
    outlet = Outlets(store.db).add(chat_id, kind="channel", now=T0)
    for n in range(count):
        story(store, f"Story {n}", now=T0)
    OutletQueue(store.db).enqueue(T0)
    return outlet.id


def send(posts: OutletPosts, post_id: int, *, now: timedelta, messages: int = 1) -> None:
    """Claim, mark and finish one post at T0 + now."""
    at = T0 + now
    assert posts.claim(post_id, "me", now=at)
    posts.mark_sending(post_id, messages=messages, now=at)
    sent = [PHOTO, TEXT][:messages] if messages == 2 else [TEXT]
    posts.finish(post_id, sent, now=at)


def test_a_post_goes_queued_claimed_sending_sent_with_its_messages(store: ArticleStore) -> None:
    outlet_id = channel_with(store, 1)
    posts = OutletPosts(store.db)
    [post] = posts.next_posts(T0)
    assert (post.state, post.chat_id, post.messages) == ("queued", -100, ())
    assert posts.claim(post.id, "me", now=T0)
    assert not posts.claim(post.id, "other", now=T0)  # never twice
    assert posts.next_posts(T0) == []
    posts.mark_sending(post.id, messages=2, now=T0)
    posts.add_message(post.id, PHOTO)
    assert posts.posts(outlet_id)[0].messages == (PHOTO,)
    posts.finish(post.id, [PHOTO, TEXT], now=T0)
    done = posts.posts(outlet_id)[0]
    assert (done.state, done.messages, done.posted_version) == ("sent", (PHOTO, TEXT), 0)
    assert Outlets(store.db).get(outlet_id).posts_sent == 1


def test_partial_failed_in_doubt_and_requeued_posts(store: ArticleStore) -> None:
    outlet_id = channel_with(store, 4)
    posts = OutletPosts(store.db)
    a, b, c, d = (p.id for p in posts.next_posts(T0))
    for post_id in (a, b, c, d):
        assert posts.claim(post_id, "me", now=T0)
        posts.mark_sending(post_id, messages=2, now=T0)
    posts.add_message(a, PHOTO)
    posts.partial(a, [PHOTO], "Bad Request: text is too long", now=T0)
    assert not posts.requeue(a)  # its photo went: never repeated
    posts.fail(b, "Forbidden: bot is not a member", now=T0)
    posts.in_doubt(c, now=T0, error="timed out")
    assert posts.requeue(d)  # a 429 before anything went: it goes again
    states = {p.id: (p.state, p.messages, p.error) for p in posts.posts(outlet_id)}
    assert states == {
        a: ("partial", (PHOTO,), "Bad Request: text is too long"),
        b: ("failed", (), "Forbidden: bot is not a member"),
        c: ("in-doubt", (), "timed out"),
        d: ("queued", (), None),
    }
    assert Outlets(store.db).get(outlet_id).posts_sent == 2  # partial and in doubt count
    assert [p.id for p in posts.next_posts(T0 + MINUTE)] == [d]


def test_a_crash_requeues_claims_and_leaves_requests_on_the_wire_in_doubt(
    store: ArticleStore,
) -> None:
    outlet_id = channel_with(store, 3)
    posts = OutletPosts(store.db)
    waiting, on_wire, done = (p.id for p in posts.next_posts(T0))
    for post_id in (waiting, on_wire, done):
        posts.claim(post_id, "dead", now=T0)
    posts.mark_sending(on_wire, messages=1, now=T0)
    posts.mark_sending(done, messages=1, now=T0)
    posts.finish(done, [TEXT], now=T0)
    assert posts.settle_unfinished("dead", now=T0) == (0, 0)  # our own claims: ours to finish
    assert posts.settle_unfinished("alive", now=T0 + MINUTE) == (1, 1)
    states = {p.id: p.state for p in posts.posts(outlet_id)}
    assert states == {waiting: "queued", on_wire: "in-doubt", done: "sent"}
    assert [p.id for p in posts.next_posts(T0 + 2 * MINUTE)] == [waiting]  # never on_wire


def test_forty_posts_to_one_channel_go_twenty_a_minute_in_order(store: ArticleStore) -> None:
    outlet_id = channel_with(store, 40)
    posts = OutletPosts(store.db)
    order = [p.article_id for p in posts.posts(outlet_id)]
    first = posts.next_posts(T0)
    assert [p.article_id for p in first] == order[:20]
    for n, post in enumerate(first):
        send(posts, post.id, now=n * SECOND)
    assert posts.next_posts(T0 + 30 * SECOND) == []
    assert posts.next_free_at(-100, T0 + 30 * SECOND) == T0 + MINUTE
    # a minute after the first left, it has aged out: one more may go, then as time passes
    assert [p.article_id for p in posts.next_posts(T0 + MINUTE)] == order[20:21]
    assert [p.article_id for p in posts.next_posts(T0 + MINUTE + 4 * SECOND)] == order[20:25]
    assert len(posts.next_posts(T0 + 2 * MINUTE)) == 20


def test_photo_and_text_posts_count_two_and_claims_count_too(store: ArticleStore) -> None:
    channel_with(store, 20)
    channel_with(store, 3, chat_id=-200)
    posts = OutletPosts(store.db)
    mine = [p for p in posts.next_posts(T0) if p.chat_id == -100]
    for n, post in enumerate(mine[:5]):
        send(posts, post.id, now=n * SECOND, messages=2)
    assert posts.claim(mine[5].id, "me", now=T0 + 5 * SECOND)
    later = T0 + 10 * SECOND
    # 10 messages went and 1 is claimed: 9 left in this minute; the other channel has its own
    assert [p.chat_id for p in posts.next_posts(later)].count(-100) == 9
    assert [p.chat_id for p in posts.next_posts(later)].count(-200) == 3
    assert len(posts.next_posts(later, limit=4)) == 4
    assert posts.next_free_at(-100, later) == later


def test_the_pace_counts_what_left_before_a_restart(store: ArticleStore) -> None:
    channel_with(store, 25)
    for n, post in enumerate(OutletPosts(store.db).next_posts(T0)):
        send(OutletPosts(store.db), post.id, now=n * SECOND)
    assert OutletPosts(store.db).next_posts(T0 + 30 * SECOND) == []  # a new instance: same


def test_a_held_chat_gets_nothing_until_the_hold_ends(store: ArticleStore) -> None:
    channel_with(store, 2)
    channel_with(store, 1, chat_id=-200)
    posts = OutletPosts(store.db)
    posts.hold_chat(-100, T0 + 30 * SECOND)
    posts.hold_chat(-100, T0 + 10 * SECOND)  # a shorter hold does not shorten it
    assert [p.chat_id for p in posts.next_posts(T0 + 29 * SECOND)] == [-200]
    assert posts.next_free_at(-100, T0) == T0 + 30 * SECOND
    # -100's outlet was there for the third story too
    assert [p.chat_id for p in posts.next_posts(T0 + 30 * SECOND)] == [-200] + [-100] * 3
    assert posts.next_free_at(-100, T0 + 30 * SECOND) == T0 + 30 * SECOND


def test_a_group_leaves_room_for_the_bot_s_replies_a_channel_does_not(
    store: ArticleStore,
) -> None:
    """The bot answers a few members' commands a minute in a group (bot/group_commands.py):
    those replies count in the group's 20 a minute, so posts take only the rest there."""
    channel_with(store, 0)
    group = Outlets(store.db).add(-200, kind="group", now=T0).id
    for n in range(25):
        story(store, f"Story {n}", now=T0)
    OutletQueue(store.db).enqueue(T0)
    posts = OutletPosts(store.db)
    found = [p.outlet_id for p in posts.next_posts(T0)]
    assert (found.count(group), len(found) - found.count(group)) == (15, 20)
    for n, post in enumerate(p for p in posts.next_posts(T0) if p.outlet_id == group):
        send(posts, post.id, now=n * SECOND)
    assert posts.next_free_at(-200, T0 + 20 * SECOND) == T0 + MINUTE
    assert posts.next_free_at(-100, T0 + 20 * SECOND) == T0 + 20 * SECOND


def test_forum_topics_of_one_chat_share_its_pace_in_article_order(store: ArticleStore) -> None:
    outlets = Outlets(store.db)
    sport = outlets.add(-300, kind="supergroup", thread_id=5, now=T0)
    whole = outlets.add(-300, kind="supergroup", now=T0)
    for n in range(15):
        story(store, f"Story {n}", now=T0)
    OutletQueue(store.db).enqueue(T0)
    found = OutletPosts(store.db).next_posts(T0)
    assert len(found) == PER_CHAT - GROUP_REPLIES  # a group: its members' commands' room
    assert [p.article_id for p in found] == sorted(p.article_id for p in found)
    assert {p.thread_id for p in found if p.outlet_id == sport.id} == {5}
    assert {p.thread_id for p in found if p.outlet_id == whole.id} == {None}


def test_the_poster_s_questions_read_the_ledger_by_index(store: ArticleStore) -> None:
    channel_with(store, 3)
    posts, fixes = OutletPosts(store.db), OutletFixes(store.db)
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        posts.next_posts(T0)
        posts.next_free_at(-100, T0)
        posts.settle_unfinished("me", now=T0)
        fixes.edits_due(T0)
        fixes.deletes_due(T0)
    finally:
        store.db.conn.set_trace_callback(None)
    statements = [sql for sql in seen if "outlet_posts" in sql and "EXPLAIN" not in sql]
    assert len(statements) >= 7
    for sql in statements:
        plan = [row[-1] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        scans = [step for step in plan if step.startswith("SCAN") and "INDEX" not in step]
        assert not [s for s in scans if "outlet_posts" in s or s.startswith("SCAN p")], (sql, plan)
