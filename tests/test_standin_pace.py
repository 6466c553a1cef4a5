"""Telegram's pace in groups and channels (about 20 messages a minute per chat), on the
stand-in's own clock: a test moves time, it never waits."""

import datetime as dt

import pytest
from telegram import Bot
from telegram.error import BadRequest, RetryAfter

from standin import TINY_PNG, FakeTelegram, Pace
from tests.helpers.clock import STANDIN_START

START = STANDIN_START


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # v22 warns on RetryAfter without it


@pytest.fixture
def tg(standin_tg: FakeTelegram) -> FakeTelegram:
    return standin_tg


@pytest.fixture
def bot(standin_bot: Bot) -> Bot:
    return standin_bot


async def flood_wait(bot: Bot, chat_id: int) -> dt.timedelta:
    with pytest.raises(RetryAfter, match="Flood control exceeded") as flood:
        await bot.send_message(chat_id, "one too many")
    wait = flood.value.retry_after
    assert isinstance(wait, dt.timedelta)
    return wait


async def test_the_21st_message_in_a_minute_waits_for_a_slot(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    for second in range(20):
        await bot.send_message(channel.id, f"story {second}")
        tg.advance(1)
    assert await flood_wait(bot, channel.id) == dt.timedelta(seconds=40)  # the first leaves at 60
    [refused] = [c for c in tg.calls if c.status == 429]
    assert refused.response["parameters"] == {"retry_after": 40}
    assert refused.response["description"] == "Too Many Requests: retry after 40"
    tg.advance(39)
    assert await flood_wait(bot, channel.id) == dt.timedelta(seconds=1)
    tg.advance(1)
    await bot.send_message(channel.id, "a slot freed")
    assert await flood_wait(bot, channel.id) == dt.timedelta(seconds=1)  # the second's turn
    assert len(channel.bot_posts) == 21


async def test_photos_count_and_refusals_do_not(bot: Bot, tg: FakeTelegram) -> None:
    group = tg.supergroup()
    for _ in range(10):
        await bot.send_photo(group.id, TINY_PNG)
    for _ in range(5):
        with pytest.raises(BadRequest):
            await bot.send_message(group.id, "<b>", parse_mode="HTML")
    for _ in range(10):
        await bot.send_message(group.id, "x")
    assert await flood_wait(bot, group.id) == dt.timedelta(seconds=60)


async def test_each_chat_has_its_own_pace_and_private_chats_none(
    bot: Bot, tg: FakeTelegram
) -> None:
    first, second = tg.channel(), tg.basic_group()
    tg.user(42)
    for _ in range(20):
        await bot.send_message(first.id, "x")
    await flood_wait(bot, first.id)
    for _ in range(20):
        await bot.send_message(second.id, "x")
    for _ in range(30):
        await bot.send_message(42, "x")


async def test_the_pace_can_be_tighter_or_off(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    tg.pace = Pace(per_chat=2, window=10)
    await bot.send_message(channel.id, "x")
    await bot.send_message(channel.id, "x")
    assert await flood_wait(bot, channel.id) == dt.timedelta(seconds=10)
    tg.pace = None
    for _ in range(50):
        await bot.send_message(channel.id, "x")
    assert len(channel.bot_posts) == 52


async def test_add_group_is_paced_like_every_group(bot: Bot, tg: FakeTelegram) -> None:
    """The readers' tests' supergroup is held to the same 20 a minute: no chat is lenient."""
    group = tg.add_group(-100123)
    for _ in range(20):
        await bot.send_message(group["id"], "x")
    with pytest.raises(RetryAfter):
        await bot.send_message(group["id"], "x")
