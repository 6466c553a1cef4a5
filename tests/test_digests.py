"""Daily digests through the real PTB stack: exactly once, on time, through faults."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.digest_round import WireMarks
from bot.digests import DigestSender
from standin import TIMED_OUT
from summaries import article_summary
from summaries.models import Draft
from summaries.schedule import following_due
from summaries.subscriptions import Subscriptions
from tests.helpers.clock import ZONES, Clock
from tests.helpers.harness import READER_ID, Harness, running_harness
from tests.helpers.samples import BODY, PNG

START = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)


def digests_to(h: Harness, chat: int) -> list[str]:
    return [m.text or "" for m in h.tg.bot_messages(chat) if "Your news digest" in (m.text or "")]


def add_article(h: Harness, clock: Clock, title: str, body: str = BODY) -> int:
    return article_summary.add_article(
        h.store, Draft(title=title, body=body, published_at=clock.now), now=h.services.clock()
    ).id


def one_reader_and_news(harness: Harness) -> tuple[Clock, DigestSender, Subscriptions]:
    """Reader 1 wants a digest at 08:00 UTC, and there is news: the usual start. Today at noon,
    whenever the suite runs: from the real time, a test run between 07:00 and 08:00 UTC met
    the digest's due time within its hour of rounds."""
    clock = Clock(datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0))
    sender = harness.set_clock(clock)
    subs = harness.services.subscriptions
    harness.tg.user(1)
    subs.subscribe(1, time(8), ZoneInfo("UTC"), now=clock.now)
    add_article(harness, clock, "Bridge approved")
    return clock, sender, subs


async def run_minutes(h: Harness, sender: DigestSender, clock: Clock, minutes: int) -> None:
    for _ in range(minutes):
        clock.now += timedelta(minutes=1)
        await sender.run_round(h.app.bot)


async def test_each_reader_gets_one_digest_a_day_in_their_zone(harness: Harness) -> None:
    real_now = datetime.now(UTC)
    clock = Clock(real_now.replace(second=0, microsecond=0))
    sender = harness.set_clock(clock)
    readers: dict[int, tuple[time, ZoneInfo]] = {}
    for i in range(25):
        chat, zone = 3000 + i, ZONES[i % len(ZONES)]
        harness.tg.user(chat)
        at = time((i * 5) % 24, (i * 7) % 60)
        harness.services.subscriptions.subscribe(chat, at, ZoneInfo(zone), now=clock.now)
        readers[chat] = (at, ZoneInfo(zone))
    add_article(harness, clock, "Bridge approved")
    sent_at: dict[int, list[datetime]] = {chat: [] for chat in readers}
    for _ in range(2 * 24 * 60 // 5):  # two days, looking every 5 minutes of fake time
        clock.now += timedelta(minutes=5)
        before = {chat: len(digests_to(harness, chat)) for chat in readers}
        await sender.run_round(harness.app.bot)
        for chat in readers:
            if len(digests_to(harness, chat)) > before[chat]:
                sent_at[chat].append(clock.now)
    for chat, (at, tz) in readers.items():
        [when] = sent_at[chat]  # one digest: the second day had nothing new
        local = when.astimezone(tz)
        due = datetime.combine(local.date(), at, tzinfo=tz)
        assert timedelta(0) <= local - due < timedelta(minutes=5), (chat, local, at)
        [text] = digests_to(harness, chat)
        assert "1 · Bridge approved" in text
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_nothing_new_means_no_digest_unless_asked(harness: Harness) -> None:
    clock = Clock(datetime.now(UTC))
    sender = harness.set_clock(clock)
    subs = harness.services.subscriptions
    for chat, asked in [(1, False), (2, True)]:
        harness.tg.user(chat)
        subs.subscribe(chat, time(8), ZoneInfo("UTC"), now=clock.now)
        subs.set_flags(chat, nothing_new=asked, now=harness.services.clock())
    await run_minutes(harness, sender, clock, 24 * 60 + 1)
    assert digests_to(harness, 1) == []
    [notice] = digests_to(harness, 2)
    assert "Nothing new since you subscribed." in notice  # no digest came before this one
    await run_minutes(harness, sender, clock, 24 * 60)
    assert "Nothing new since your last digest." in digests_to(harness, 2)[-1]


async def test_a_digest_empty_because_of_topics_says_so(harness: Harness) -> None:
    clock = Clock(datetime.now(UTC))
    sender = harness.set_clock(clock)
    subs = harness.services.subscriptions
    reader = harness.tg.user(READER_ID)
    subs.subscribe(READER_ID, time(8), ZoneInfo("UTC"), now=clock.now)
    subs.set_flags(READER_ID, nothing_new=True, now=harness.services.clock())
    await harness.feed(reader.sends("/topics zzzz, trains"))
    add_article(harness, clock, "Bridge approved")
    await harness.feed(reader.sends("/digest"))
    expected = (
        "Nothing on your topics (zzzz, trains) since you subscribed, though there is other "
        "news: see /latest. For all news in your digest, send /topics all."
    )
    assert reader.last.text == expected  # not "nothing new since your last digest"
    await run_minutes(harness, sender, clock, 24 * 60 + 1)
    [notice] = digests_to(harness, READER_ID)
    assert notice.endswith(expected)  # the daily notice blames the topics too
    await harness.feed(reader.sends("/topics all"))
    await harness.feed(reader.sends("/digest"))
    assert reader.last.text == "Nothing new since your last digest. See /latest."


async def test_digest_for_a_reader_without_one_says_which_day(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/digest"))
    assert reader.last.text == "Nothing new in the last 24 hours. See /latest."


async def test_topics_filter_the_digest(harness: Harness) -> None:
    clock = Clock(datetime.now(UTC))
    sender = harness.set_clock(clock)
    harness.tg.user(1)
    harness.services.subscriptions.subscribe(
        1, time(8), ZoneInfo("UTC"), topics=("rail", "climate change"), now=clock.now
    )
    add_article(harness, clock, "Night trains", "The rail operator adds night trains. More.")
    add_article(harness, clock, "Heat record", "Climate change made July hotter. Again.")
    add_article(harness, clock, "Bridge approved")
    await run_minutes(harness, sender, clock, 24 * 60 + 1)
    [text] = digests_to(harness, 1)
    assert "Night trains" in text
    assert "Heat record" in text
    assert "Bridge approved" not in text


async def test_faults_429_502_403(harness: Harness) -> None:
    clock = Clock(datetime.now(UTC))
    sender = harness.set_clock(clock)
    subs = harness.services.subscriptions
    for chat in (1, 2, 3):
        harness.tg.user(chat)
        subs.subscribe(chat, time(8), ZoneInfo("UTC"), now=clock.now)
    add_article(harness, clock, "Bridge approved")
    harness.tg.blocked_chats.add(3)
    harness.tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    harness.tg.fail_next("sendMessage", 502, "Bad Gateway", times=4)  # beyond PTB's retries
    await run_minutes(harness, sender, clock, 24 * 60 + 5)
    assert len(digests_to(harness, 1)) == 1
    assert len(digests_to(harness, 2)) == 1
    assert subs.is_blocked(3)
    tries_to_3 = [c for c in harness.tg.calls if c.params.get("chat_id") == 3]
    await run_minutes(harness, sender, clock, 24 * 60)
    assert [c for c in harness.tg.calls if c.params.get("chat_id") == 3] == tries_to_3


async def test_a_send_in_flight_at_a_crash_is_not_repeated(harness: Harness) -> None:
    clock, sender, subs = one_reader_and_news(harness)
    sub = subs.get(1)
    assert sub is not None
    assert sub.due_day is not None
    [bridge] = [article.id for article in harness.store.new_articles(0, 10**9)]
    # a process claimed the delivery, sent it, and died before marking it
    key = f"{sub.due_day.isoformat()} UTC"
    harness.services.deliveries.claim(
        1,
        "daily",
        key,
        "crashed-process",
        then=None,
        articles=[bridge],
        now=harness.services.clock(),
    )
    harness.services.deliveries.mark_sending(1, "daily", key)
    clock.now = sub.due_at or clock.now
    await sender.run_round(harness.app.bot)
    assert digests_to(harness, 1) == []  # not sent twice
    assert harness.services.deliveries.deliveries(1)[0]["state"] == "in-doubt"
    add_article(harness, clock, "Second story")
    await run_minutes(harness, sender, clock, 24 * 60 + 1)
    [text] = digests_to(harness, 1)
    assert "Second story" in text
    assert "Bridge approved" not in text  # counted as delivered: not repeated


async def test_a_second_process_sends_nothing(harness: Harness) -> None:
    clock = Clock(datetime.now(UTC).replace(hour=7, minute=58, second=0) + timedelta(days=1))
    first = harness.set_clock(clock)
    second = DigestSender(harness.services, owner="second-process")
    harness.tg.user(1)
    harness.services.subscriptions.subscribe(1, time(8), ZoneInfo("UTC"), now=clock.now)
    add_article(harness, clock, "Bridge approved")
    for _ in range(4):  # the first process looks every 30 seconds, renewing its lease
        await first.run_round(harness.app.bot)
        clock.now += timedelta(seconds=30)
    assert digests_to(harness, 1) == []  # 07:59:30: not yet due
    clock.now += timedelta(seconds=40)  # 08:00:10: due, and the lease is the first's
    assert await second.run_round(harness.app.bot) == {}
    assert digests_to(harness, 1) == []
    await first.run_round(harness.app.bot)
    assert len(digests_to(harness, 1)) == 1
    await second.run_round(harness.app.bot)
    assert len(digests_to(harness, 1)) == 1


async def test_missed_day_while_down_is_skipped_not_doubled(harness: Harness) -> None:
    clock = Clock(datetime(2026, 11, 25, 12, tzinfo=UTC))
    sender = harness.set_clock(clock)
    harness.tg.user(1)
    harness.services.subscriptions.subscribe(1, time(8), ZoneInfo("UTC"), now=clock.now)
    add_article(harness, clock, "Bridge approved")
    clock.now = datetime(2026, 11, 26, 15, tzinfo=UTC)  # down at 08:00, back the same day
    await sender.run_round(harness.app.bot)
    assert len(digests_to(harness, 1)) == 1
    add_article(harness, clock, "Second story")
    clock.now = datetime(2026, 11, 28, 9, tzinfo=UTC)  # down all of the 27th
    await sender.run_round(harness.app.bot)
    assert len(digests_to(harness, 1)) == 2  # the 28th's, once; the 27th's is gone
    assert "Second story" in digests_to(harness, 1)[-1]
    sub = harness.services.subscriptions.get(1)
    assert sub is not None
    assert sub.due_day == date(2026, 11, 29)


async def test_subscribe_commands(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 07:30 Europe/Berlin topics: economy, climate"))
    assert (reader.last.text or "").startswith("Subscribed!")
    assert "Time: 07:30 (Europe/Berlin)" in (reader.last.text or "")
    assert "Topics: economy, climate" in (reader.last.text or "")
    for bad in ["/subscribe 25:00", "/subscribe 7:30 Atlantis", "/subscribe soon"]:
        await harness.feed(reader.sends(bad))
        assert "/subscribe 07:30 Europe/Berlin" in (reader.last.text or "")
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert (sub.time_of_day, sub.timezone.key) == (time(7, 30), "Europe/Berlin")  # unchanged
    await harness.feed(reader.sends("/settings"))
    assert re.search(r"Next digest: \w{3} \d+ \w{3}, 07:30", reader.last.text or "")
    await harness.feed(reader.presses("⏸ Pause"))
    assert "Status: paused" in (reader.last.text or "")
    await harness.feed(reader.presses("▶ Resume"))
    assert "Status: on" in (reader.last.text or "")
    await harness.feed(reader.presses("🕗 Change time"))
    await harness.feed(reader.presses("09:00"))
    assert (reader.last.text or "").startswith("Changed.")  # not "Subscribed!" again
    assert "Time: 09:00 (Europe/Berlin)" in (reader.last.text or "")
    await harness.feed(reader.sends("/unsubscribe"))
    await harness.feed(reader.sends("/settings"))
    assert "✖ Unsubscribe" not in [b["text"] for b in reader.last.buttons]  # nothing to stop
    await harness.feed(reader.sends("/subscribe"))
    assert "Welcome back" in (reader.last.text or "")
    assert "Topics: economy, climate" in (reader.last.text or "")


async def test_picker_and_typed_city(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe"))
    await harness.feed(reader.presses("🌍 Europe/Berlin (change)"))
    await harness.feed(reader.sends("Atlantis"))
    assert "I don't know the time zone" in (reader.last.text or "")
    await harness.feed(reader.presses("🌍 Europe/Berlin (change)"))  # asked once; again
    await harness.feed(reader.sends("new york"))
    assert "America/New_York" in (reader.last.text or "")
    await harness.feed(reader.presses("08:00"))
    assert "Time: 08:00 (America/New_York)" in (reader.last.text or "")
    await harness.feed(reader.sends("/topics rail, climate"))
    assert "Topics: rail, climate" in (reader.last.text or "")
    await harness.feed(reader.sends("/topics all"))
    assert "Topics: all news" in (reader.last.text or "")


async def test_topics_that_look_like_html_are_shown_as_typed(harness: Harness) -> None:
    article_summary.add_article(
        harness.store, Draft(title="Rail & <b>x</b> news", body=BODY), now=harness.services.clock()
    )
    article_summary.add_article(
        harness.store,
        Draft(title="Other news", body="Nothing to see. Move on."),
        now=harness.services.clock(),
    )
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 8:00 Berlin"))
    await harness.feed(reader.sends("/topics <b>x</b>, &amp;"))
    assert reader.last.text == "Topics: <b>x</b>, &amp;."
    await harness.feed(reader.sends("/settings"))
    assert "Topics: <b>x</b>, &amp;\n" in (reader.last.text or "")  # escaped, so shown
    await harness.feed(reader.sends("/digest"))
    assert "1 · Rail & <b>x</b> news" in digests_to(harness, READER_ID)[-1]
    assert "Other news" not in digests_to(harness, READER_ID)[-1]
    assert [c for c in harness.tg.calls if not c.ok] == []
    await harness.feed(reader.sends("/topics topics: trains"))  # as /subscribe takes them
    assert reader.last.text == "Topics: trains."


async def test_times_and_cities_as_people_write_them(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    for command, shown in [
        ("/subscribe noon Москва", "Time: 12:00 (Europe/Moscow)"),
        ("/subscribe 7h30 münchen", "Time: 07:30 (Europe/Berlin)"),
        ("/subscribe 19 h 東京", "Time: 19:00 (Asia/Tokyo)"),
        ("/subscribe 7.30 p.m. Wien", "Time: 19:30 (Europe/Vienna)"),
        ("/subscribe midnight", "Time: 00:00 (Europe/Vienna)"),
    ]:
        await harness.feed(reader.sends(command))
        assert shown in (reader.last.text or ""), command
    await harness.feed(reader.presses("🌍 Time zone"))
    await harness.feed(reader.sends("Київ"))
    assert "Time: 00:00 (Europe/Kyiv)" in (reader.last.text or "")
    await harness.feed(reader.sends("/subscribe 8:00 EST"))
    assert "doesn't say where you are" in (reader.last.text or "")  # still refused


async def test_digest_now_and_blocking(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/digest"))
    assert "Nothing new" in (reader.last.text or "")
    article_summary.add_article(
        harness.store, Draft(title="Bridge approved", body=BODY), now=harness.services.clock()
    )
    await harness.feed(reader.sends("/digest"))
    assert "1 · Bridge approved" in (reader.last.text or "")
    await harness.feed(reader.presses("1 · Bridge approved"))
    assert "The city council voted" in (reader.last.text or "")
    await harness.feed(reader.sends("/subscribe 8:00"))
    await harness.feed(reader.blocks_bot())
    assert harness.services.subscriptions.is_blocked(READER_ID)
    await harness.feed(reader.unblocks_bot())
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert sub.active


@pytest.mark.parametrize("count", [30])
async def test_long_digest_is_split_within_limits(harness: Harness, count: int) -> None:
    for i in range(count):
        sentences = " ".join(f"Sentence {n} is long, " + "very " * 60 + "long." for n in range(4))
        article_summary.add_article(
            harness.store,
            Draft(title=f"Story {i} " + "long words " * 40, body=sentences),
            now=harness.services.clock(),
        )
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/digest"))
    parts = digests_to(harness, READER_ID)
    assert len(parts) >= 2
    assert all(len(p) <= 4096 for p in parts)
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_a_claim_still_waiting_at_a_crash_is_sent_after_restart(harness: Harness) -> None:
    clock = Clock(datetime.now(UTC))
    sender = harness.set_clock(clock)
    subs = harness.services.subscriptions
    harness.tg.user(1)
    sub = subs.subscribe(1, time(8), ZoneInfo("UTC"), now=clock.now)
    add_article(harness, clock, "Bridge approved")
    assert sub.due_day is not None
    after = following_due(sub.due_day, sub.time_of_day, sub.timezone)
    harness.services.deliveries.claim(
        1,
        "daily",
        f"{sub.due_day.isoformat()} UTC",
        "crashed-process",
        then=after,
        now=harness.services.clock(),
    )
    clock.now = sub.due_at or clock.now  # it died waiting for a send slot: nothing left
    await sender.run_round(harness.app.bot)
    [text] = digests_to(harness, 1)  # so it is sent now, once
    assert "Bridge approved" in text
    assert harness.services.deliveries.deliveries(1)[0]["state"] == "sent"


@pytest.mark.parametrize("acted", [True, False])
async def test_a_timeout_waiting_for_telegram_is_in_doubt_never_resent(
    harness: Harness, acted: bool
) -> None:
    clock, sender, _ = one_reader_and_news(harness)
    harness.tg.fail_next("sendMessage", timeout=True, acted=acted)  # no answer in time
    await run_minutes(harness, sender, clock, 24 * 60 + 1)
    [delivery] = harness.services.deliveries.deliveries(1)
    assert delivery["state"] == "in-doubt"
    assert len([c for c in harness.tg.calls if c.method == "sendMessage"]) == 1  # not resent
    # Usually Telegram acted on it: the reader has it once. If it never did, the reader
    # misses that digest: the bot can't tell the two apart, and never risks a second copy.
    assert len(digests_to(harness, 1)) == (1 if acted else 0)
    add_article(harness, clock, "Second story")
    await run_minutes(harness, sender, clock, 24 * 60)
    text = digests_to(harness, 1)[-1]
    assert "Second story" in text
    assert "Bridge approved" not in text  # counted as delivered: not repeated the next day


async def test_moving_west_brings_no_second_digest_the_same_day(harness: Harness) -> None:
    clock = Clock(datetime(2026, 3, 10, 6, 0, tzinfo=UTC))
    sender = harness.set_clock(clock)
    subs = harness.services.subscriptions
    harness.tg.user(1)
    subs.subscribe(1, time(7, 30), ZoneInfo("Europe/Berlin"), now=clock.now)
    add_article(harness, clock, "Bridge approved")
    await run_minutes(harness, sender, clock, 35)  # 07:35 in Berlin: the 10 March digest
    assert len(digests_to(harness, 1)) == 1
    # now in Los Angeles, where it is still 9 March: 23:45 there must not bring another
    sub = subs.subscribe(1, time(23, 45), ZoneInfo("America/Los_Angeles"), now=clock.now)
    assert sub.due_day == date(2026, 3, 10)
    add_article(harness, clock, "Second story")
    await run_minutes(harness, sender, clock, 60)
    assert len(digests_to(harness, 1)) == 1
    await run_minutes(harness, sender, clock, 24 * 60)  # LA's 10 March, 23:45: it comes
    assert len(digests_to(harness, 1)) == 2
    assert "Second story" in digests_to(harness, 1)[-1]


async def test_settings_edge_cases(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 7:30 pm Berlin Topics: Rail, climate"))
    assert "Time: 19:30 (Europe/Berlin)" in (reader.last.text or "")
    assert "Topics: Rail, climate" in (reader.last.text or "")  # as typed
    await harness.feed(reader.presses("⏸ Pause"))
    await harness.feed(reader.presses("🌍 Time zone"))
    await harness.feed(reader.sends("Tokyo"))
    assert "Time: 19:30 (Asia/Tokyo)" in (reader.last.text or "")
    assert "Status: paused" in (reader.last.text or "")  # changing the zone doesn't resume
    for bad in ["/topics --", "/topics ,,,", "/subscribe 8:00 topics: ,,,"]:
        await harness.feed(reader.sends(bad))
        assert (reader.last.text or "").startswith("Topics need words"), bad
    await harness.feed(reader.sends("/topics " + "x" * 4085))
    await harness.feed(reader.sends("/settings"))
    assert "Your daily digest" in (reader.last.text or "")
    await harness.feed(reader.sends("/subscribe 7:30 " + "y" * 4080))
    assert "I don't know the time zone" in (reader.last.text or "")
    await harness.feed(reader.presses("🌍 Time zone"))
    await harness.feed(reader.sends("Atlantis"))
    await harness.feed(reader.sends("/cancel"))  # the question stays open until /cancel
    await harness.feed(reader.sends("bridge"))  # then this is a search again
    assert (reader.last.text or "").startswith(("Nothing found", "Search:"))
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_forget_deletes_what_is_kept_about_the_reader(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 8:00 Berlin topics: rail"))
    await harness.feed(reader.sends("bridge"))  # a saved search in chat data
    await harness.app.update_persistence()
    await harness.feed(reader.sends("/forget"))
    assert "digest subscription" in (reader.last.text or "")
    await harness.feed(reader.presses("No"))
    assert harness.services.subscriptions.get(READER_ID) is not None
    await harness.feed(reader.sends("/forget"))
    await harness.feed(reader.presses("Yes, forget me"))
    assert reader.last.text == "Done: everything newsbot kept about you is deleted."
    assert harness.services.subscriptions.get(READER_ID) is None
    await harness.app.update_persistence()
    rows = harness.store.db.execute(
        "SELECT kind, key FROM chat_state WHERE key = ?", [str(READER_ID)]
    ).fetchall()
    assert rows == []


async def test_a_digest_telegram_refuses_is_not_retried_forever(harness: Harness) -> None:
    clock, sender, _ = one_reader_and_news(harness)
    harness.tg.fail_next("sendMessage", 400, "Bad Request: can't parse entities")
    await run_minutes(harness, sender, clock, 24 * 60 + 30)
    assert (
        harness.services.deliveries.deliveries(1)[0]["state"] == "failed"
    )  # a 4xx is ours to fix, not to repeat
    assert len([c for c in harness.tg.calls if c.method == "sendMessage"]) == 1


LONG = " ".join(
    f"Sentence {n} of the report on the council's plan for the river crossing, its budget and "
    "the timetable that residents asked for over more than a decade of waiting, with the "
    "engineers' survey of the banks, the ferry operators' objections and the mayor's answer."
    for n in range(12)
)


async def digest_day(h: Harness) -> list[list[str]]:
    """40 readers in five zones, eight long stories (two-part digests): a day of rounds."""
    clock = Clock(START)
    sender = h.set_clock(clock)
    chats = [7000 + i for i in range(40)]
    for i, chat in enumerate(chats):
        h.tg.user(chat)
        zone = ZoneInfo(ZONES[i % len(ZONES)])
        h.services.subscriptions.subscribe(chat, time(8, i), zone, now=clock.now)
    for n in range(8):
        add_article(h, clock, f"Story {n}", LONG)
    for _ in range(24 * 60 // 5 + 2):
        clock.now += timedelta(minutes=5)
        await sender.run_round(h.app.bot)
    return [[m.text or "" for m in h.tg.bot_messages(chat)] for chat in chats]


async def test_faults_change_no_digest(harness: Harness, tmp_path: Path) -> None:
    async for calm in running_harness(tmp_path / "calm.db"):
        expected = await digest_day(calm)
    assert all(len(chat) == 2 for chat in expected)  # each digest is two messages
    harness.tg.rng.seed(4)  # a schedule with all three kinds of fault
    harness.tg.random_faults(0.1)  # 429, 502, and timeouts Telegram acted on
    assert await digest_day(harness) == expected  # every part once: none missing, none twice
    assert {429, 502, TIMED_OUT} <= {c.status for c in harness.tg.calls if not c.ok}


async def test_breaking_news_whose_summary_fails_after_its_photo_is_not_resent(
    harness: Harness,
) -> None:
    subs, deliveries = harness.services.subscriptions, harness.services.deliveries
    harness.tg.user(1)
    subs.subscribe(1, time(8), ZoneInfo("UTC"), now=datetime.now(UTC))
    subs.set_flags(1, breaking=True, now=harness.services.clock())
    article = article_summary.add_article(
        harness.store, Draft(title="Flood", body=BODY, photo=PNG), now=harness.services.clock()
    )
    deliveries.start_broadcast(article.id, None, now=harness.services.clock())
    harness.tg.fail_next("sendMessage", 502, "Bad Gateway", times=3)  # beyond the retries
    sender = harness.app.bot_data["digest_sender"]
    for _ in range(3):
        await sender.run_round(harness.app.bot)
    photos = [m for m in harness.tg.bot_messages(1) if m.photo]
    assert len(photos) == 1  # the photo went out once, and is never sent again
    assert deliveries.deliveries(1, "breaking")[0]["state"] == "partial"


def test_wire_marks_undo_a_claim_only_before_anything_left(harness: Harness) -> None:
    deliveries = harness.services.deliveries
    harness.services.subscriptions.subscribe(
        1, time(8), ZoneInfo("UTC"), now=harness.services.clock()
    )

    def state() -> str:
        return str(deliveries.deliveries(1, "breaking")[0]["state"])

    deliveries.claim(1, "breaking", "7", "me", then=None, now=harness.services.clock())
    marks = WireMarks(deliveries, 1, "breaking", "7")
    marks(True)
    assert state() == "sending"
    marks(False)  # the first request came back refused: nothing of it left
    assert state() == "claimed"
    marks(True)  # tried again: it went out (no failure reported)
    marks(True)  # the second request leaves
    marks(False)  # and is refused: the first one was shown, so this stays in doubt
    assert state() == "sending"


async def test_a_zone_the_bot_cannot_use_keeps_the_question_open(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 7:30 Berlin"))
    await harness.feed(reader.presses("🌍 Time zone"))
    assert "/cancel" in (reader.last.text or "")
    await harness.feed(reader.sends("narnia"))  # a typo: the question stays
    said = reader.last.text or ""
    assert "I don't know the time zone 'narnia'" in said
    assert "a name like Europe/Berlin" in said  # an example of what works
    assert "still waiting for your time zone" in said
    assert "/cancel" in said
    await harness.feed(reader.sends("EST"))  # not a place: refused, still asking
    assert "America/New_York" in (reader.last.text or "")
    assert "still waiting for your time zone" in (reader.last.text or "")
    await harness.feed(reader.sends("sydney"))  # the next try is an answer, not a search
    assert "Time: 07:30 (Australia/Sydney)" in (reader.last.text or "")
    await harness.feed(reader.sends("bridge"))  # answered: words are a search again
    assert (reader.last.text or "").startswith(("Nothing found", "Search:"))
    await harness.feed(reader.presses("🌍 Time zone"))
    await harness.feed(reader.sends("atlantis"))
    await harness.feed(reader.sends("/cancel"))
    assert reader.last.text == "Cancelled: your time zone stays as it was."
    await harness.feed(reader.sends("tokyo"))  # a search now: the zone stays Sydney's
    assert (reader.last.text or "").startswith(("Nothing found", "Search:"))
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert sub.timezone.key == "Australia/Sydney"
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_a_zone_typed_before_subscribing_may_be_retried_with_accents(
    harness: Harness,
) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe"))
    await harness.feed(reader.presses("🌍 Europe/Berlin (change)"))
    await harness.feed(reader.sends("Sao Paolo"))  # misspelt
    assert "still waiting for your time zone" in (reader.last.text or "")
    await harness.feed(reader.sends("São Paulo"))
    assert "Time zone: America/Sao_Paulo" in (reader.last.text or "")
    await harness.feed(reader.presses("08:00"))
    assert "Time: 08:00 (America/Sao_Paulo)" in (reader.last.text or "")


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("São Paulo", "America/Sao_Paulo"),
        ("SÃO PAULO", "America/Sao_Paulo"),
        ("America/São_Paulo", "America/Sao_Paulo"),
        ("Zürich", "Europe/Zurich"),
        ("UTC", "UTC"),
    ],
)
async def test_subscribe_with_accents_and_any_case(
    harness: Harness, typed: str, zone: str
) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/subscribe 8:00 {typed}"))
    assert f"Time: 08:00 ({zone})" in (reader.last.text or "")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("est", "America/New_York"), ("PST", "America/Los_Angeles"), ("CET", "Europe/Paris"),
     ("GMT", "Europe/London"), ("IST", "Asia/Kolkata"), ("Etc/GMT+5", "UTC-5")],
)  # fmt: skip
async def test_subscribe_refuses_abbreviations_and_offsets(
    harness: Harness, typed: str, suggested: str
) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/subscribe 8:00 {typed}"))
    assert suggested in (reader.last.text or "")
    assert "/subscribe 07:30 Europe/Berlin" in (reader.last.text or "")
    assert harness.services.subscriptions.get(READER_ID) is None  # nothing stored
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_topics_too_long_or_too_many_are_refused_and_nothing_changes(
    harness: Harness,
) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 8:00 Berlin topics: rail"))
    long_topic = "renewable energy subsidies for northern farmers"
    assert len(long_topic) > 40
    await harness.feed(reader.sends(f"/topics climate, {long_topic}"))
    said = reader.last.text or ""
    assert "at most 40 characters" in said
    assert f"'{long_topic}' is {len(long_topic)}" in said
    assert "Nothing changed" in said
    eleven = ", ".join(f"topic {n}" for n in range(11))
    await harness.feed(reader.sends(f"/topics {eleven}"))
    assert "That's 11 topics; the most is 10. Nothing changed" in (reader.last.text or "")
    await harness.feed(reader.sends(f"/subscribe 9:00 topics: {eleven}"))
    assert "That's 11 topics" in (reader.last.text or "")
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert (sub.topics, sub.time_of_day) == (("rail",), time(8))  # untouched
    ten = tuple(f"topic {n} " + "x" * (33 - len(str(n))) for n in range(10))  # 40 characters
    assert {len(topic) for topic in ten} == {40}
    await harness.feed(reader.sends("/topics " + ", ".join(ten)))
    assert (reader.last.text or "").startswith("Topics: topic 0")
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert sub.topics == ten  # the limits themselves are fine, and nothing is cut
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_topics_asked_for_stay_asked_until_usable_or_cancelled(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 8:00 Berlin"))
    await harness.feed(reader.sends("/topics"))
    await harness.feed(reader.sends("x" * 50))
    assert "at most 40 characters" in (reader.last.text or "")
    assert "still waiting for your topics" in (reader.last.text or "")
    await harness.feed(reader.sends("rail, climate"))
    assert reader.last.text == "Topics: rail, climate."
    await harness.feed(reader.sends("/topics"))
    await harness.feed(reader.sends("/topics economy"))  # answered by the command itself
    await harness.feed(reader.sends("bridge"))
    assert (reader.last.text or "").startswith(("Nothing found", "Search:"))
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert sub.topics == ("economy",)


async def test_the_digest_job_deletes_old_deliveries_hourly(harness: Harness) -> None:
    clock, sender, _ = one_reader_and_news(harness)
    deliveries = harness.services.deliveries
    retention = timedelta(days=harness.services.settings.retention_days)
    then = clock.now - retention + timedelta(minutes=30)
    for chat in (1, 2):
        assert deliveries.claim(chat, "daily", "old", "old-process", then=None, now=then)
        deliveries.finish(chat, "daily", "old", "failed", error="refused", now=then)
    await sender.run_round(harness.app.bot)  # the first round prunes: not old enough yet
    assert [d["key"] for d in deliveries.deliveries(2)] == ["old"]
    await run_minutes(harness, sender, clock, 59)  # old enough now, but within the hour
    assert [d["key"] for d in deliveries.deliveries(2)] == ["old"]
    await run_minutes(harness, sender, clock, 1)  # an hour on: past the window, and pruned
    assert deliveries.deliveries(2) == []
    assert [d["key"] for d in deliveries.deliveries(1)] == []  # no digest was due yet
    await run_minutes(harness, sender, clock, 24 * 60)
    assert len(digests_to(harness, 1)) == 1
    assert [d["state"] for d in deliveries.deliveries(1)] == ["sent"]
