"""Readers' subscriptions (schedule, one indexed due query), deliveries' claims, the lease."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from summaries.deliveries import Deliveries
from summaries.errors import NotSubscribedError
from summaries.leases import Leases
from summaries.models import utc_now
from summaries.schedule import following_due
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)  # 10:00 in Berlin


@pytest.fixture
def subs(store: ArticleStore) -> Subscriptions:
    return Subscriptions(store.db)


@pytest.fixture
def sent(store: ArticleStore) -> Deliveries:
    return Deliveries(store.db)


def test_subscribe_schedules_and_resubscribe_keeps_history(subs: Subscriptions) -> None:
    sub = subs.subscribe(1, time(8), BERLIN, topics=("climate",), now=NOW)
    assert (sub.due_day, sub.due_at) == (date(2026, 11, 26), datetime(2026, 11, 26, 7, tzinfo=UTC))
    assert sub.seen_id == 0  # no article is older than a day: everything is new
    assert sub.topics == ("climate",)
    subs.set_status(1, "unsubscribed", now=NOW)
    assert subs.due(NOW + timedelta(days=2)) == []
    again = subs.set_status(1, "active", now=NOW + timedelta(days=3))
    assert again.topics == ("climate",)  # settings restored
    assert again.seen_id == sub.seen_id  # what was new stays new
    assert again.due_day == date(2026, 11, 29)


def test_due_finds_exactly_the_due(subs: Subscriptions) -> None:
    yesterday = datetime(2026, 11, 24, 12, tzinfo=UTC)  # 13:00 in Berlin: all due tomorrow
    for chat, hour in [(1, 8), (2, 9), (3, 11)]:
        subs.subscribe(chat, time(hour), BERLIN, now=yesterday)
    subs.subscribe(4, time(8), BERLIN, now=yesterday)
    subs.set_status(4, "paused", now=utc_now())
    subs.subscribe(5, time(8), BERLIN, now=yesterday)
    subs.mark_blocked(5, now=utc_now())
    due = subs.due(datetime(2026, 11, 25, 8, 0, 30, tzinfo=UTC))  # 09:00:30 Berlin
    assert [s.chat_id for s in due] == [1, 2]


def test_due_query_uses_the_partial_index(subs: Subscriptions) -> None:
    plan = subs.db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM subscribers INDEXED BY subscribers_due "
        "WHERE status = 'active' AND blocked = 0 AND due_at <= ? ORDER BY due_at LIMIT 5",
        ["2026"],
    ).fetchall()
    assert "USING INDEX subscribers_due (due_at<?)" in str(plan)


def test_claim_is_once_and_moves_the_schedule(subs: Subscriptions, sent: Deliveries) -> None:
    sub = subs.subscribe(1, time(8), BERLIN, now=NOW)
    assert sub.due_day is not None
    after = following_due(sub.due_day, sub.time_of_day, sub.timezone)
    assert sent.claim(1, "daily", "2026-11-26", "me", then=after, now=utc_now())
    assert not sent.claim(1, "daily", "2026-11-26", "other", then=after, now=utc_now())
    sent.finish(1, "daily", "2026-11-26", "sent", articles=[3, 4], seen_id=4, now=utc_now())
    [delivery] = sent.deliveries(1)
    assert (delivery["state"], delivery["articles"]) == ("sent", "[3, 4]")
    now_sub = subs.get(1)
    assert now_sub is not None
    assert now_sub.due_day == date(2026, 11, 27)
    assert now_sub.seen_id == 4


def test_unfinished_deliveries_of_a_dead_process(subs: Subscriptions, sent: Deliveries) -> None:
    for chat, articles in [(1, [5, 7]), (2, [5, 7]), (3, [])]:  # 3: a "nothing new" notice
        sub = subs.subscribe(chat, time(8), BERLIN, now=NOW)
        assert sub.due_day is not None
        after = following_due(sub.due_day, sub.time_of_day, sub.timezone)
        sent.claim(
            chat,
            "daily",
            "2026-11-26",
            "dead-process",
            then=after,
            articles=articles,
            now=utc_now(),
        )
    for chat in (2, 3):  # their requests had left; 1 was still waiting for a send slot
        sent.mark_sending(chat, "daily", "2026-11-26")
    assert sent.settle_unfinished("new-process", now=utc_now()) == (1, 2)
    assert sent.deliveries(1) == []  # never sent: due again, for the same day
    requeued = subs.get(1)
    assert requeued is not None
    assert (requeued.due_day, requeued.seen_id) == (date(2026, 11, 26), 0)
    assert sent.deliveries(2)[0]["state"] == "in-doubt"
    assert not sent.claim(
        2, "daily", "2026-11-26", "new-process", then=None, now=utc_now()
    )  # never resent
    in_doubt, notice = subs.get(2), subs.get(3)
    assert in_doubt is not None
    assert in_doubt.seen_id == 7  # its articles count as delivered: not in the next digest
    assert notice is not None
    assert notice.seen_id == 0


def test_lease_is_exclusive_until_it_expires(store: ArticleStore) -> None:
    leases = Leases(store.db)
    ttl = timedelta(seconds=90)
    assert leases.hold("digests", "a", NOW, ttl) is None
    assert leases.hold("digests", "b", NOW + timedelta(seconds=30), ttl) == "a"
    assert leases.hold("digests", "a", NOW + timedelta(seconds=60), ttl) is None  # renewed
    assert leases.hold("digests", "b", NOW + timedelta(seconds=120), ttl) == "a"
    assert leases.hold("digests", "b", NOW + timedelta(seconds=151), ttl) is None  # expired
    leases.release("digests", "b")
    assert leases.hold("digests", "a", NOW + timedelta(seconds=152), ttl) is None


def test_blocked_reader_comes_back_with_settings(subs: Subscriptions) -> None:
    subs.subscribe(1, time(8), BERLIN, topics=("rail",), now=NOW)
    subs.mark_blocked(1, now=utc_now())
    assert subs.is_blocked(1)
    assert subs.due(NOW + timedelta(days=5)) == []
    assert subs.mark_unblocked(1, now=NOW + timedelta(days=5))
    sub = subs.get(1)
    assert sub is not None
    assert sub.active
    assert sub.topics == ("rail",)
    assert sub.due_day == date(2026, 12, 1)


def test_changing_a_missing_subscription_says_so(subs: Subscriptions) -> None:
    with pytest.raises(NotSubscribedError, match="/subscribe"):
        subs.set_status(99, "paused", now=utc_now())
