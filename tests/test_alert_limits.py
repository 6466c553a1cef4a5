"""What one hostile channel owner can make the bot tell every admin: promoting and demoting
the bot at will, at most one "Post news here" offer a chat a day (20 in all), and a few
paused/resumed alerts a chat (and forum topic) a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from summaries.alerts import OFFERS_A_DAY, RIGHTS_A_DAY, Alerts
from summaries.store import ArticleStore

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def offer(alerts: Alerts, chat_id: int, now: datetime) -> int:
    return alerts.queue("outlet-offer", {"chat_id": chat_id, "title": "Spam"}, now=now)


def test_one_offer_per_chat_a_day(store: ArticleStore) -> None:
    alerts = Alerts(store.db)
    first = offer(alerts, -100, T0)
    assert first
    assert [offer(alerts, -100, T0 + n * MINUTE) for n in range(1, 4)] == [0, 0, 0]
    assert offer(alerts, -200, T0 + MINUTE)  # another chat
    assert offer(alerts, -100, T0 + timedelta(days=1, seconds=1))  # the next day
    assert [a.details["chat_id"] for a in alerts.open()] == [-100, -200, -100]


def test_fifteen_channels_flipped_four_times_make_fifteen_offers(store: ArticleStore) -> None:
    alerts = Alerts(store.db)
    queued = [
        offer(alerts, -1000 - chat, T0 + (flip * 15 + chat) * MINUTE)
        for flip in range(4)
        for chat in range(15)
    ]
    assert sum(1 for q in queued if q) == 15
    assert len(alerts.open(limit=100)) == 15


def test_at_most_twenty_offers_a_day_in_all(store: ArticleStore) -> None:
    alerts = Alerts(store.db)
    assert sum(1 for chat in range(50) if offer(alerts, -chat - 1, T0 + chat * MINUTE)) == (
        OFFERS_A_DAY
    )
    assert offer(alerts, -999, T0 + timedelta(days=1, minutes=1))  # the oldest ones aged out


def test_paused_and_resumed_alerts_are_capped_per_chat_and_topic(store: ArticleStore) -> None:
    alerts = Alerts(store.db)
    details = {"chat_id": -5, "outlets": [1], "why": "demoted"}
    for kind in ("outlet-paused", "outlet-resumed"):
        sent = [alerts.queue(kind, details, now=T0 + n * MINUTE) for n in range(10)]
        assert sum(1 for s in sent if s) == RIGHTS_A_DAY
    topic = details | {"thread_id": 7, "cause": "topic-closed"}
    assert alerts.queue("outlet-paused", topic, now=T0 + MINUTE)  # a forum topic's own news
    failing = {"source_id": 1, "name": "Feed", "failures": 3}
    assert all(alerts.queue("source-failing", failing, now=T0) for _ in range(6))  # not capped
