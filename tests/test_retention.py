"""Old deliveries are deleted after the retention window, keeping what the
schedule and /stats still read; every lookup the digest job, settle_unfinished, pruning and
/stats make is covered by an index."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from summaries.activity import ActivityLog
from summaries.deliveries import Deliveries
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions
from tests.helpers.samples import BODY

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)
KEEP = timedelta(days=30)
OLD = NOW - timedelta(days=40)
UTC_ZONE = ZoneInfo("UTC")


def deliver(sent: Deliveries, at: datetime, chat: int, kind: str, key: str, state: str) -> None:
    """A delivery claimed at `at` and left in `state`."""
    assert sent.claim(chat, kind, key, "old-owner", then=None, articles=[1], now=at)
    if state == "sending":
        sent.mark_sending(chat, kind, key)
    elif state != "claimed":
        sent.finish(chat, kind, key, state, articles=[1], now=at)


def kept(store: ArticleStore) -> set[tuple[int, str, str]]:
    rows = store.db.execute("SELECT chat_id, kind, key FROM deliveries").fetchall()
    return {(int(c), str(k), str(key)) for c, k, key in rows}


def test_old_deliveries_go_and_what_is_still_read_stays(store: ArticleStore) -> None:
    subs, sent, activity = Subscriptions(store.db), Deliveries(store.db), ActivityLog(store.db)
    for chat in (1, 2, 3, 4):
        subs.subscribe(chat, time(8), UTC_ZONE, now=OLD - timedelta(days=1))
    old_news = store.add(Draft(title="Old news", body=BODY), now=utc_now()).id
    new_news = store.add(Draft(title="New news", body=BODY), now=utc_now()).id
    # reader 1: old digests, and this week's
    deliver(sent, OLD, 1, "daily", "2026-10-16 UTC", "sent")
    deliver(sent, OLD + timedelta(days=5), 1, "daily", "2026-10-21 UTC", "sent")
    deliver(sent, NOW - timedelta(days=2), 1, "daily", "2026-11-23 UTC", "sent")
    deliver(sent, NOW - KEEP, 1, "daily", "2026-10-26 UTC", "empty")  # at the edge: kept
    # reader 2 stopped getting digests long ago: the newest stays ("since your last digest")
    deliver(sent, OLD - timedelta(days=1), 2, "daily", "2026-10-15 UTC", "sent")
    deliver(sent, OLD, 2, "daily", "2026-10-16 UTC", "in-doubt")
    deliver(sent, OLD + timedelta(days=1), 2, "daily", "2026-10-17 UTC", "empty")
    # reader 3: unsettled claims stay for settle_unfinished, however old
    deliver(sent, OLD, 3, "daily", "2026-10-16 UTC", "claimed")
    deliver(sent, OLD, 3, "daily", "2026-10-17 UTC", "sending")
    # reader 4 never had a digest: a failed one goes, and had_digest stays false
    deliver(sent, OLD, 4, "daily", "2026-10-16 UTC", "failed")
    # a finished broadcast's deliveries go, its record stays; an unfinished one keeps its own
    assert sent.start_broadcast(old_news, "admin", now=OLD)
    assert sent.start_broadcast(new_news, "admin", now=OLD)
    deliver(sent, OLD, 1, "breaking", str(old_news), "sent")
    deliver(sent, OLD, 2, "breaking", str(new_news), "sent")
    sent.finish_broadcast(old_news, now=OLD)
    stats = activity.statistics(NOW)
    had = [sent.had_digest(chat) for chat in (1, 2, 3, 4)]

    assert sent.prune(NOW, KEEP) == 6

    assert kept(store) == {
        (1, "daily", "2026-11-23 UTC"),
        (1, "daily", "2026-10-26 UTC"),
        (2, "daily", "2026-10-16 UTC"),
        (3, "daily", "2026-10-16 UTC"),
        (3, "daily", "2026-10-17 UTC"),
        (2, "breaking", str(new_news)),
    }
    assert sent.open_broadcasts() == [new_news]
    assert not sent.start_broadcast(
        old_news, "admin", now=utc_now()
    )  # its news went out: never again
    assert [sent.had_digest(chat) for chat in (1, 2, 3, 4)] == had == [True, True, False, False]
    assert activity.statistics(NOW) == stats
    assert sent.prune(NOW, KEEP) == 0  # nothing more: the next round's is cheap
    assert sent.prune(NOW + timedelta(days=60), KEEP) == 1  # reader 1's newest stays


def test_the_same_day_is_still_known_after_pruning(store: ArticleStore) -> None:
    """ "No second digest the same day" reads the last day or two, far inside the window."""
    subs, sent = Subscriptions(store.db), Deliveries(store.db)
    subs.subscribe(1, time(8), UTC_ZONE, now=NOW - timedelta(days=1))
    deliver(sent, NOW - timedelta(hours=1), 1, "daily", "2026-11-25 UTC", "sent")
    sent.prune(NOW, timedelta(days=8))
    assert not sent.claim(1, "daily", "2026-11-25 UTC", "new-owner", then=None, now=utc_now())
    moved = subs.subscribe(1, time(23), ZoneInfo("America/New_York"), now=NOW)
    assert moved.due_day is not None
    assert moved.due_day.isoformat() == "2026-11-26"  # not a second digest on the 25th


def test_a_reader_blocked_then_subscribing_again_is_unblocked_everywhere(
    store: ArticleStore,
) -> None:
    subs, sent, activity = Subscriptions(store.db), Deliveries(store.db), ActivityLog(store.db)
    subs.subscribe(1, time(8), UTC_ZONE, now=NOW)
    subs.set_flags(1, breaking=True, now=utc_now())
    subs.mark_blocked(1, now=utc_now())
    article = store.add(Draft(title="Bridge approved", body=BODY), now=utc_now()).id
    assert subs.is_blocked(1)
    assert subs.due(NOW + timedelta(days=2)) == []
    assert sent.broadcast_recipients(article) == []
    assert activity.statistics(NOW).readers == {"blocked": 1}

    subs.subscribe(1, time(8), UTC_ZONE, now=NOW)

    assert not subs.is_blocked(1)
    assert [s.chat_id for s in subs.due(NOW + timedelta(days=2))] == [1]
    assert sent.broadcast_recipients(article) == [1]
    assert activity.statistics(NOW).readers == {"active": 1}
    assert not subs.mark_unblocked(1, now=utc_now())  # nothing left to unblock


TABLES = ("deliveries", "broadcasts", "subscribers", "reads")


def plans_of_every_lookup(store: ArticleStore) -> dict[str, list[str]]:
    """Run what the digest job, settle_unfinished, pruning and /stats run, recording each
    statement as SQLite saw it; then the query plan of each that reads our big tables."""
    subs, sent, activity = Subscriptions(store.db), Deliveries(store.db), ActivityLog(store.db)
    article = store.add(Draft(title="Bridge approved", body=BODY), now=utc_now()).id
    subs.subscribe(1, time(8), UTC_ZONE, now=NOW)
    subs.set_flags(1, breaking=True, now=utc_now())
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        sent.prune(NOW, KEEP)  # the job, hourly
        sent.settle_unfinished("me", now=utc_now())  # the job, on taking the lease
        for sub in subs.due(NOW + timedelta(days=1)):  # the job, each round
            sent.had_digest(sub.chat_id)
            sent.claim(
                sub.chat_id,
                "daily",
                "2026-11-26 UTC",
                "me",
                then=None,
                articles=[1],
                now=utc_now(),
            )
            sent.mark_sending(sub.chat_id, "daily", "2026-11-26 UTC")
            sent.finish(
                sub.chat_id, "daily", "2026-11-26 UTC", "sent", seen_id=article, now=utc_now()
            )
        assert sent.start_broadcast(article, "admin", now=utc_now())
        for broadcast in sent.open_broadcasts():
            for chat in sent.broadcast_recipients(broadcast):
                sent.claim(chat, "breaking", str(broadcast), "me", then=None, now=utc_now())
                sent.release(chat, "breaking", str(broadcast), None)
            sent.finish_broadcast(broadcast, now=utc_now())
        subs.mark_blocked(1, now=utc_now())
        subs.subscribe(1, time(8), UTC_ZONE, now=NOW)  # reads the last digest's time
        activity.statistics(NOW)  # /stats
        activity.daily(NOW)
    finally:
        store.db.conn.set_trace_callback(None)
    plans = {}
    for sql in seen:
        words = sql.split(None, 1)
        if not words or words[0].upper() not in {"SELECT", "UPDATE", "DELETE", "INSERT"}:
            continue
        if not any(re.search(rf"\b{table}\b", sql) for table in TABLES):
            continue
        rows = store.db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        plans[" ".join(sql.split())] = [str(row[3]) for row in rows]
    return plans


def test_every_lookup_is_covered_by_an_index(store: ArticleStore) -> None:
    plans = plans_of_every_lookup(store)
    assert len(plans) >= 20
    for sql, plan in plans.items():
        for line in plan:
            if line.startswith("SCAN") and "VIRTUAL TABLE" not in line:
                assert " USING " in line, (sql, plan)  # never a full scan
                assert "INDEX" in line, (sql, plan)
    everything = "\n".join(line for plan in plans.values() for line in plan)
    for index in (
        "deliveries_sending",
        "deliveries_state",
        "deliveries_claimed",
        "deliveries_sent",
        "broadcasts_finished",
        "subscribers_due",
        "subscribers_breaking",
        "subscribers_state",
        "subscribers_created",
        "reads_day",
    ):
        assert index in everything
