"""Admins hear of a failing feed once, and once more when it works again: never per poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.feed_poll import FeedPoller, PollSettings
from summaries.alerts import Alerts
from summaries.summarize import summarize
from tests.helpers.clock import Clock
from tests.helpers.feed_server import Route, feed_file, serve
from tests.helpers.harness import ADMIN_ID, Harness

START = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def alerts_to(h: Harness, chat: int) -> list[str]:
    return [m.text or "" for m in h.tg.bot_messages(chat) if "The news source" in (m.text or "")]


async def fail_polls(poller: FeedPoller, clock: Clock, source_id: int, times: int) -> None:
    for _ in range(times):
        clock.now += timedelta(minutes=1)  # poll() ignores the back-off: fewer than 6 hours
        report = await poller.poll(source_id, now=clock.now)
        assert report is not None
        assert report.failed


async def test_a_failing_source_is_told_once_and_its_recovery_once(harness: Harness) -> None:
    clock = Clock(START)
    sender = harness.set_clock(clock)
    admin = harness.tg.user(ADMIN_ID)
    with serve({"/feed": Route(b"gone", status=500, content_type="text/plain")}) as site:
        source = harness.services.sources.add(
            site.url("/feed"), name="Harbour <Herald>", now=START
        )
        poller = FeedPoller(harness.store, harness.services.sources, summarize,
                            PollSettings(allow_loopback=True))  # fmt: skip
        await fail_polls(poller, clock, source.id, 4)
        await sender.run_round(harness.app.bot)
        assert alerts_to(harness, admin.id) == []  # four failures: not yet
        await fail_polls(poller, clock, source.id, 3)
        await sender.run_round(harness.app.bot)
        await sender.run_round(harness.app.bot)
        [failing] = alerts_to(harness, admin.id)
        assert f"source {source.id} (Harbour <Herald>) is failing" in failing  # escaped: shown
        assert "5 polls in a row" in failing
        assert "answered 500" in failing
        site.routes["/feed"] = feed_file("news_rss.xml")
        clock.now += timedelta(days=1)
        report = await poller.poll(source.id, now=clock.now)
        assert report is not None
        assert report.new == 5
        await sender.run_round(harness.app.bot)
        await sender.run_round(harness.app.bot)
    failing_again, recovered = alerts_to(harness, admin.id)
    assert failing_again == failing
    assert f"source {source.id} (Harbour <Herald>) works again" in recovered
    assert Alerts(harness.store.db).open() == []


async def test_an_alert_on_the_wire_at_a_timeout_is_not_sent_again(harness: Harness) -> None:
    clock = Clock(START)
    sender = harness.set_clock(clock)
    admin = harness.tg.user(ADMIN_ID)
    with serve({"/feed": Route(b"", status=404, content_type="text/plain")}) as site:
        source = harness.services.sources.add(site.url("/feed"), name="Gazette", now=START)
        poller = FeedPoller(harness.store, harness.services.sources, summarize,
                            PollSettings(allow_loopback=True))  # fmt: skip
        await fail_polls(poller, clock, source.id, 5)
    harness.tg.fail_next("sendMessage", timeout=True)  # it arrived; the answer was lost
    await sender.run_round(harness.app.bot)
    await sender.run_round(harness.app.bot)
    assert len(alerts_to(harness, admin.id)) == 1
    assert Alerts(harness.store.db).open() == []
