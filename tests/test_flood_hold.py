"""A 429 in one group or channel holds that chat only: readers' replies, digests and other
channels go on (AIORateLimiter alone holds every request for as long as Telegram said)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.outlet_poster import OutletPoster
from bot.ratelimit import (
    HookedRateLimiter,
    flood_group,
    floods_answered_by_caller,
    retry_seconds,
)
from standin import FakeTelegram, Pace, StandInRequest
from summaries.article_summary import add_article
from summaries.models import Draft
from summaries.outlet_posts import OutletPosts
from tests.helpers.clock import STANDIN_START, Clock
from tests.helpers.harness import running_harness
from tests.helpers.samples import BODY, PNG

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
MINUTE = timedelta(seconds=60)


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # v22 warns on RetryAfter without it


@pytest.fixture
def tg() -> FakeTelegram:
    """Telegram, stricter today than the limiter's 20 a minute per chat (it varies)."""
    tg = FakeTelegram(clock=lambda: STANDIN_START)
    tg.pace = Pace(5, 60)
    return tg


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[ExtBot[Any]]:
    """The bot as `newsbot run` builds it: the rate limiter that waits out 429s."""
    request = StandInRequest(tg, long_poll=False)
    limiter = HookedRateLimiter(max_retries=3)
    async with ExtBot(
        tg.token, request=request, get_updates_request=request, rate_limiter=limiter
    ) as bot:
        yield bot


async def flood(bot: ExtBot[Any], tg: FakeTelegram, chat_id: int) -> None:
    """Fill the chat's minute: its next message gets a 429 (retry after 60 s, the stand-in's
    clock standing still)."""
    for n in range(5):
        await bot.send_message(chat_id, f"story {n}")


@pytest.mark.parametrize(
    ("data", "group"),
    [
        ({"chat_id": -1001}, -1001),
        ({"chat_id": "-1001"}, -1001),
        ({"chat_id": "@news"}, "@news"),
        ({"chat_id": 42}, None),
        ({"chat_id": "42"}, None),
        ({}, None),
    ],
)
def test_which_requests_go_to_a_group(data: dict[str, Any], group: int | str | None) -> None:
    assert flood_group(data) == group


async def test_a_reader_is_answered_while_a_flooded_channel_waits(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel, reader = tg.channel(), tg.user(7)
    await flood(bot, tg, channel.id)
    waiting = asyncio.create_task(bot.send_message(channel.id, "the 21st"))
    await asyncio.sleep(0.2)  # it met the 429 and waits its minute
    assert not waiting.done()
    assert [c.status for c in tg.calls][-1] == 429

    await asyncio.wait_for(bot.send_message(reader.id, "your article"), timeout=5)
    other = tg.channel("Sport")
    await asyncio.wait_for(bot.send_message(other.id, "another channel"), timeout=5)
    assert [m.text for m in reader.sees] == ["your article"]
    waiting.cancel()


async def test_the_flooded_channel_itself_waits_its_turn(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    """A second request to the held chat does not knock on Telegram's door meanwhile."""
    channel = tg.channel()
    await flood(bot, tg, channel.id)
    first = asyncio.create_task(bot.send_message(channel.id, "the 21st"))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(bot.send_message(channel.id, "the 22nd"))
    await asyncio.sleep(0.2)
    assert [c.status for c in tg.calls].count(429) == 1
    assert not first.done()
    assert not second.done()
    first.cancel()
    second.cancel()


async def test_reads_about_a_flooded_chat_do_not_wait(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    """/channel asks getChat and getChatMember of a chat the poster may be flooding."""
    channel = tg.channel("News", username="news")
    await flood(bot, tg, channel.id)
    waiting = asyncio.create_task(bot.send_message(channel.id, "the 21st"))
    await asyncio.sleep(0.2)
    chat = await asyncio.wait_for(bot.get_chat("@news"), timeout=5)
    member = await asyncio.wait_for(bot.get_chat_member(channel.id, bot.id), timeout=5)
    assert (chat.id, member.status) == (channel.id, "administrator")
    assert not waiting.done()
    waiting.cancel()


async def test_a_caller_with_its_own_queue_gets_the_429_at_once(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel = tg.channel()
    await flood(bot, tg, channel.id)
    with floods_answered_by_caller():
        with pytest.raises(RetryAfter) as flood_error:
            await asyncio.wait_for(bot.send_message(channel.id, "the 21st"), timeout=5)
        assert flood_error.value.retry_after == dt.timedelta(seconds=60)
        calls = len(tg.calls)
        with pytest.raises(RetryAfter) as held:  # held here: Telegram is not asked again
            await asyncio.wait_for(bot.send_message(channel.id, "the 22nd"), timeout=5)
        assert len(tg.calls) == calls
        assert 59 <= retry_seconds(held.value) <= 61
    assert len(channel.bot_posts) == 5


async def test_the_poster_holds_a_flooded_channel_and_its_round_goes_on(tmp_path: Path) -> None:
    """With the rate limiter of `newsbot run`: a round meets 429s in both channels, records
    them as holds and ends at once; nothing waits a minute inside a request."""
    async for app in running_harness(tmp_path / "news.db", rate_limit=True):
        clock = Clock(START)
        app.set_clock(clock)
        app.tg.pace = Pace(2, 60)
        news, sport = app.tg.channel("News"), app.tg.channel("Sport")
        for chat in (news, sport):
            app.services.outlets.add(chat.id, now=START, kind="channel")
        for n in range(3):
            draft = Draft(f"Story {n}", BODY, photo=PNG, published_at=START)
            add_article(app.store, draft, now=START)
        poster = OutletPoster(app.services, owner="test-poster")
        counts = await asyncio.wait_for(poster.run_round(app.app.bot), timeout=20)
        assert (counts.get("sent"), counts.get("retry")) == (4, 2)
        assert [len(chat.bot_posts) for chat in (news, sport)] == [2, 2]
        posts = OutletPosts(app.store.db)
        assert all(posts.next_free_at(chat.id, START) >= START + MINUTE for chat in (news, sport))
