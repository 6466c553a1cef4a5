"""One digest selection: /digest and the daily round choose, and show, the same articles."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.delivery.digest import ARTICLES
from summaries.models import Draft
from tests.helpers.clock import Clock
from tests.helpers.harness import READER_ID, Harness
from tests.helpers.samples import BODY


def digests(h: Harness) -> list[str]:
    return [m.text or "" for m in h.tg.bot_messages(READER_ID) if "news digest" in (m.text or "")]


async def test_digest_now_and_the_daily_round_choose_the_same(harness: Harness) -> None:
    clock = Clock(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    sender = harness.set_clock(clock)
    reader, zone = harness.tg.user(READER_ID), ZoneInfo("Asia/Kolkata")
    sub = harness.services.subscriptions.subscribe(
        READER_ID, time(14), zone, topics=("bridge",), now=clock.now
    )
    for n in range(ARTICLES + 3):  # more than a digest holds, and some off its topics
        when = clock.now - timedelta(hours=n)
        harness.store.add(
            Draft(title=f"Bridge news {n}", body=BODY, published_at=when),
            now=harness.services.clock(),
        )
        sport = Draft(title=f"Match report {n}", body="The team won.", published_at=when)
        harness.store.add(sport, now=harness.services.clock())
    assert sub.due_at is not None
    clock.now = sub.due_at  # one reader, one moment: asked for, then due
    await harness.feed(reader.sends("/digest"))
    [asked] = digests(harness)
    await sender.run_round(harness.app.bot)
    assert digests(harness) == [asked, asked]  # the same articles, in the same digest
    assert asked.count("Bridge news") == ARTICLES
    assert "Match report" not in asked
