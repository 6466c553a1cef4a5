"""A group's members can't hold its news back: the bot answers at most GROUP_REPLIES of
their commands a minute there, and the poster leaves those slots of Telegram's 20 a minute
free. The real app, the strict stand-in (which answers 429 past 20 a minute)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.group_commands import GroupCommandLimit
from bot.outlet_poster import OutletPoster
from summaries.article_summary import add_article
from summaries.models import Draft
from summaries.outlet_pace import GROUP_REPLIES, PER_CHAT
from tests.helpers.clock import Clock
from tests.helpers.harness import READER_ID, Harness, running_harness
from tests.helpers.samples import BODY

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
MINUTE = timedelta(seconds=60)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Harness]:
    """Without PTB's rate limiter (it waits in real time): the pace is the test's clock."""
    async for running in running_harness(tmp_path / "news.db", rate_limit=False):
        yield running


def failed(harness: Harness) -> list[tuple[str, int]]:
    """Calls the stand-in refused (a 429 past Telegram's 20 a minute into the group)."""
    return [(c.method, c.status) for c in harness.tg.calls if not c.ok]


async def test_twenty_helps_in_a_group_leave_the_news_its_place(app: Harness) -> None:
    clock = Clock(START)
    app.set_clock(clock)
    group = app.tg.supergroup("Town square")
    app.services.outlets.add(group.id, kind="supergroup", now=START)
    for n in range(PER_CHAT):
        add_article(app.store, Draft(f"Story {n}", BODY), now=START)
    member = app.tg.user(READER_ID)
    for _ in range(20):
        await app.feed(member.sends("/help", chat_id=group.id))
    assert len(app.tg.bot_messages(group.id)) == GROUP_REPLIES
    poster = OutletPoster(app.services, owner="test-poster")
    await poster.run_round(app.app.bot)
    assert len(app.tg.bot_messages(group.id)) == PER_CHAT  # 5 replies, 15 posts: no 429
    assert failed(app) == []
    clock.now += MINUTE
    app.tg.advance(60)
    await app.feed(member.sends("/latest", chat_id=group.id))  # a new minute: answered
    assert len(app.tg.bot_messages(group.id)) == PER_CHAT + 1
    assert failed(app) == []


async def test_an_article_list_s_buttons_in_a_group_count_too(app: Harness) -> None:
    """Each press of a list's article button sends the article into the group: the presses
    share the commands' allowance (past it, only the press is answered)."""
    app.set_clock(Clock(START))
    group = app.tg.supergroup("Town square")
    article = add_article(app.store, Draft("Bridge", BODY), now=START).id
    member = app.tg.user(READER_ID)
    await app.feed(member.sends("/latest", chat_id=group.id))
    [listing] = app.tg.bot_messages(group.id)
    for _ in range(20):
        update = app.tg.updates.callback_query(member.json, listing.json, f"read:{article}")
        app.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
        await app.feed(update)
    sent = app.tg.bot_messages(group.id)
    assert len(sent) == GROUP_REPLIES  # the list, then 4 articles
    assert len(app.tg.successful("answerCallbackQuery")) == 20  # every spinner stopped
    assert failed(app) == []


async def test_commands_in_private_chats_are_never_limited(app: Harness) -> None:
    app.set_clock(Clock(START))
    reader = app.tg.user(READER_ID)
    for _ in range(GROUP_REPLIES + 3):
        await app.feed(reader.sends("/help"))
    assert len(app.tg.bot_messages(READER_ID)) == GROUP_REPLIES + 3


def test_the_limit_is_per_chat_over_a_sliding_minute(caplog: pytest.LogCaptureFixture) -> None:
    limit = GroupCommandLimit(per_window=2)
    caplog.set_level(logging.INFO, logger="bot.group_commands")
    at = [START + timedelta(seconds=s) for s in (0, 10, 20, 30, 60, 65, 71)]
    assert [limit.allow(-1, t) for t in at] == [True, True, False, False, True, False, True]
    assert limit.allow(-2, START + timedelta(seconds=20))  # another group has its own
    assert len(caplog.records) == 1  # logged once in the minute, not at every refusal
    assert limit.allow(-1, START + timedelta(seconds=125))  # 60 aged out
    assert not limit.allow(-1, START + timedelta(seconds=126))
    assert len(caplog.records) == 2  # a minute after the first: said again
