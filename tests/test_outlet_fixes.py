"""Corrections: posts edited in place when their article changes, deleted (or withdrawn)
with it, and readers who were sent it told of a correction once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from summaries.corrections import Corrections
from summaries.deliveries import Deliveries
from summaries.errors import ArticleNotFoundError, InvalidArticleError
from summaries.outlet_fixes import OutletFixes
from summaries.outlet_posts import OutletPosts, PostMessage
from summaries.outlet_queue import OutletQueue
from summaries.outlets import Outlets
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions
from tests.helpers.outlets import T0, story

HOUR = timedelta(hours=1)
TEXT = PostMessage(12, "text")


def posted(store: ArticleStore, count: int = 1, *, sent: int | None = None) -> list[int]:
    """A channel with `count` articles queued, the first `sent` of them sent; post ids."""
    Outlets(store.db).add(-100, kind="channel", now=T0)
    for n in range(count):
        story(store, f"Story {n}", now=T0)
    OutletQueue(store.db).enqueue(T0)
    posts = OutletPosts(store.db)
    ids = [p.id for p in posts.next_posts(T0)]
    for post_id in ids[: count if sent is None else sent]:
        posts.claim(post_id, "me", now=T0)
        posts.mark_sending(post_id, messages=1, now=T0)
        posts.finish(post_id, [TEXT], now=T0)
    return ids


def article_of(store: ArticleStore, post_id: int) -> int:
    return int(
        store.db.execute("SELECT article_id FROM outlet_posts WHERE id = ?", [post_id]).fetchone()[
            0
        ]
    )


def test_an_edited_article_s_sent_post_is_edited_once(store: ArticleStore) -> None:
    [post] = posted(store)
    fixes = OutletFixes(store.db)
    assert fixes.edits_due(T0) == []
    store.update(article_of(store, post), title="Story 0, corrected", now=T0 + HOUR)
    [due] = fixes.edits_due(T0 + HOUR)
    assert (due.post.id, due.version, due.post.messages, due.post.chat_id) == (
        post,
        1,
        (TEXT,),
        -100,
    )
    assert fixes.claim_edit(post, 1, "me", now=T0 + HOUR)
    assert not fixes.claim_edit(post, 1, "other", now=T0 + HOUR)
    assert fixes.edits_due(T0 + HOUR) == []  # in flight
    fixes.mark_edit_sending(post, now=T0 + HOUR)
    fixes.finish_edit(post, 1, now=T0 + HOUR)
    assert fixes.edits_due(T0 + 2 * HOUR) == []
    assert OutletPosts(store.db).posts(1)[0].posted_version == 1


def test_edited_twice_while_an_edit_is_in_flight_the_newest_goes_once_after(
    store: ArticleStore,
) -> None:
    [post] = posted(store)
    article = article_of(store, post)
    fixes = OutletFixes(store.db)
    store.update(article, title="First fix", now=T0 + HOUR)
    assert fixes.claim_edit(post, 1, "me", now=T0 + HOUR)
    fixes.mark_edit_sending(post, now=T0 + HOUR)
    store.update(article, title="Second fix", now=T0 + HOUR)
    store.update(article, title="Third fix", now=T0 + HOUR)
    fixes.finish_edit(post, 1, now=T0 + HOUR)
    assert [(f.post.id, f.version) for f in fixes.edits_due(T0 + HOUR)] == [(post, 3)]
    assert fixes.claim_edit(post, 3, "me", now=T0 + HOUR)
    fixes.finish_edit(post, 3, now=T0 + HOUR)
    assert fixes.edits_due(T0 + HOUR) == []


def test_a_queued_post_of_an_edited_article_needs_no_edit(store: ArticleStore) -> None:
    [post] = posted(store, sent=0)
    store.update(article_of(store, post), title="Edited before it went", now=T0 + HOUR)
    assert OutletFixes(store.db).edits_due(T0 + HOUR) == []
    posts = OutletPosts(store.db)
    assert posts.claim(post, "me", now=T0 + HOUR)  # it goes as the article is now
    posts.mark_sending(post, messages=1, now=T0 + HOUR)
    posts.finish(post, [TEXT], now=T0 + HOUR)
    assert OutletFixes(store.db).edits_due(T0 + HOUR) == []


def test_an_article_edited_between_claim_and_send_is_edited_after(store: ArticleStore) -> None:
    [post] = posted(store, sent=0)
    posts = OutletPosts(store.db)
    assert posts.claim(post, "me", now=T0)  # rendered at version 0
    store.update(article_of(store, post), title="Changed meanwhile", now=T0)
    posts.mark_sending(post, messages=1, now=T0)
    posts.finish(post, [TEXT], now=T0)
    assert [f.version for f in OutletFixes(store.db).edits_due(T0)] == [1]


def test_an_edit_in_flight_at_a_crash_is_simply_due_again(store: ArticleStore) -> None:
    [post] = posted(store)
    fixes = OutletFixes(store.db)
    store.update(article_of(store, post), title="Fixed", now=T0 + HOUR)
    fixes.claim_edit(post, 1, "dead", now=T0 + HOUR)
    fixes.mark_edit_sending(post, now=T0 + HOUR)
    OutletPosts(store.db).settle_unfinished("alive", now=T0 + 2 * HOUR)
    assert [f.post.id for f in fixes.edits_due(T0 + 2 * HOUR)] == [post]


def test_a_refused_edit_is_not_retried_until_the_article_changes_again(
    store: ArticleStore,
) -> None:
    [post] = posted(store)
    article = article_of(store, post)
    fixes = OutletFixes(store.db)
    store.update(article, title="Fixed", now=T0 + HOUR)
    fixes.claim_edit(post, 1, "me", now=T0 + HOUR)
    fixes.fail_edit(post, "Bad Request: message to edit not found", now=T0 + HOUR)
    assert fixes.edits_due(T0 + HOUR) == []
    store.update(article, title="Fixed again", now=T0 + 2 * HOUR)
    assert [f.version for f in fixes.edits_due(T0 + 2 * HOUR)] == [2]


def test_a_deleted_article_s_sent_posts_are_deleted_and_queued_ones_dropped(
    store: ArticleStore,
) -> None:
    sent, waiting = posted(store, 2, sent=1)
    fixes = OutletFixes(store.db)
    store.delete(article_of(store, sent), now=T0 + HOUR)
    store.delete(article_of(store, waiting), now=T0 + HOUR)
    assert fixes.edits_due(T0 + HOUR) == []
    assert [f.post.id for f in fixes.deletes_due(T0 + HOUR)] == [sent]
    assert OutletPosts(store.db).next_posts(T0 + HOUR) == []
    assert {p.id: p.state for p in OutletPosts(store.db).posts(1)}[waiting] == "dropped"
    assert fixes.claim_delete(sent, "me", now=T0 + HOUR)
    fixes.mark_delete_sending(sent, now=T0 + HOUR)
    fixes.finish_delete(sent, "deleted", now=T0 + HOUR)
    assert fixes.deletes_due(T0 + HOUR) == []
    store.undelete(article_of(store, sent), now=T0 + 2 * HOUR)  # gone from the chat: stays gone
    assert fixes.edits_due(T0 + 2 * HOUR) == []
    assert store.db.execute("SELECT count(*) FROM outlet_posts WHERE due = 1").fetchone()[0] == 0


def test_a_withdrawn_post_is_edited_back_when_its_article_returns(store: ArticleStore) -> None:
    [post] = posted(store)
    article = article_of(store, post)
    fixes = OutletFixes(store.db)
    store.delete(article, now=T0 + 50 * HOUR)
    fixes.claim_delete(post, "me", now=T0 + 50 * HOUR)
    fixes.finish_delete(post, "withdrawn", now=T0 + 50 * HOUR)  # too old to delete
    assert OutletPosts(store.db).posts(1)[0].removed == "withdrawn"
    assert fixes.deletes_due(T0 + 50 * HOUR) == []
    store.undelete(article, now=T0 + 51 * HOUR)
    [due] = fixes.edits_due(T0 + 51 * HOUR)
    assert (due.post.id, due.post.removed) == (post, "withdrawn")
    fixes.claim_edit(post, due.version, "me", now=T0 + 51 * HOUR)
    fixes.finish_edit(post, due.version, now=T0 + 51 * HOUR)
    assert OutletPosts(store.db).posts(1)[0].removed is None
    assert fixes.edits_due(T0 + 51 * HOUR) == []
    with pytest.raises(ValueError, match="not 'gone'"):
        fixes.finish_delete(post, "gone", now=T0)  # type: ignore[arg-type]


def test_a_post_in_doubt_without_message_ids_cannot_be_corrected(store: ArticleStore) -> None:
    [post] = posted(store, sent=0)
    posts = OutletPosts(store.db)
    posts.claim(post, "dead", now=T0)
    posts.mark_sending(post, messages=1, now=T0)
    posts.settle_unfinished("alive", now=T0)
    store.update(article_of(store, post), title="Fixed", now=T0 + HOUR)
    assert OutletFixes(store.db).edits_due(T0 + HOUR) == []


def deliver(
    store: ArticleStore, chat_id: int, kind: str, key: str, state: str, articles: list[int]
) -> None:
    deliveries = Deliveries(store.db)
    assert deliveries.claim(chat_id, kind, key, "me", now=T0, then=None, articles=articles)
    deliveries.finish(chat_id, kind, key, state, now=T0, articles=articles)


def test_readers_sent_the_article_are_told_of_its_correction_once(store: ArticleStore) -> None:
    fixed = story(store, "Fixed")
    other = story(store, "Other")
    deliver(store, 1, "daily", "2026-03-02 UTC", "sent", [other, fixed])
    deliver(store, 2, "breaking", str(fixed), "in-doubt", [fixed])
    deliver(store, 3, "daily", "2026-03-02 UTC", "sent", [other])  # not this article
    deliver(store, 4, "daily", "2026-03-02 UTC", "failed", [fixed])  # never reached them
    deliver(store, 5, "daily", "2026-03-01 UTC", "partial", [fixed])
    deliver(store, 5, "daily", "2026-03-02 UTC", "sent", [fixed])  # twice: one notice
    corrections = Corrections(store.db)
    correction = corrections.mark(fixed, "The vote was on Tuesday.", "7", now=T0 + HOUR)
    assert [c.id for c in corrections.open_corrections()] == [correction]
    assert corrections.recipients(correction) == [1, 2, 5]
    deliveries = Deliveries(store.db)
    assert deliveries.claim(1, "correction", str(correction), "me", now=T0 + HOUR, then=None)
    assert not deliveries.claim(1, "correction", str(correction), "me", now=T0 + HOUR, then=None)
    assert corrections.recipients(correction) == [2, 5]
    corrections.finish_correction(correction, now=T0 + HOUR)
    assert corrections.open_corrections() == []
    found = corrections.get(correction)
    assert found is not None
    assert (found.article_id, found.note, found.created_by) == (
        fixed,
        "The vote was on Tuesday.",
        "7",
    )


def test_a_correction_needs_a_note_and_an_article(store: ArticleStore) -> None:
    corrections = Corrections(store.db)
    with pytest.raises(InvalidArticleError, match="note"):
        corrections.mark(story(store, "Fixed"), "  ", "7", now=T0)
    with pytest.raises(ArticleNotFoundError):
        corrections.mark(99, "Changed", "7", now=T0)


def test_readers_who_blocked_the_bot_are_not_told(store: ArticleStore) -> None:
    fixed = story(store, "Fixed")
    for chat, blocked in [(1, 0), (2, 1)]:
        store.db.table("subscribers").insert(
            {
                "chat_id": chat,
                "time_of_day": "08:00",
                "timezone": "UTC",
                "blocked": blocked,
                "created_at": "2026-03-01T00:00:00Z",
                "updated_at": "2026-03-01T00:00:00Z",
            }
        )
        deliver(store, chat, "daily", "2026-03-02 UTC", "sent", [fixed])
    correction = Corrections(store.db).mark(fixed, "Corrected the date.", None, now=T0)
    assert Corrections(store.db).recipients(correction) == [1]


def test_a_reader_sent_the_article_by_an_on_demand_digest_is_told(store: ArticleStore) -> None:
    fixed, other = story(store, "Fixed"), story(store, "Other")
    deliveries = Deliveries(store.db)
    deliveries.record_on_demand(7, [other, fixed], now=T0)
    deliveries.record_on_demand(7, [fixed], now=T0)  # twice in a second: two rows, one notice
    deliveries.record_on_demand(8, [other], now=T0)
    corrections = Corrections(store.db)
    assert corrections.readers_of(fixed) == 1
    assert corrections.readers_of(other) == 2
    correction = corrections.mark(fixed, "The vote was on Tuesday.", "7", now=T0 + HOUR)
    assert corrections.recipients(correction) == [7]


def test_on_demand_digests_go_with_forget_and_retention(store: ArticleStore) -> None:
    fixed = story(store, "Fixed")
    deliveries = Deliveries(store.db)
    deliveries.record_on_demand(7, [fixed], now=T0)
    deliveries.record_on_demand(8, [fixed], now=T0)
    deliveries.record_on_demand(8, [fixed], now=T0 + timedelta(days=40))
    assert Subscriptions(store.db).forget(7) == 1
    assert deliveries.prune(T0 + timedelta(days=41), timedelta(days=30)) == 1
    assert [len(deliveries.deliveries(c, "ondemand")) for c in (7, 8)] == [0, 1]
    assert Corrections(store.db).readers_of(fixed) == 1
