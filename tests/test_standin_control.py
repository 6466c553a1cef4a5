"""Channels, groups and their rules over HTTP: the stand-in's controls drive it with form posts
(as an end-to-end test of `newsbot run` would), PTB's default transport does the rest."""

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from telegram import Bot, ChatMemberAdministrator, InputMediaPhoto
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

from standin import TINY_PNG, FakeTelegram
from standin.server import BotApiServer


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer(FakeTelegram(clock=lambda: 1_800_000_000)) as server:
        yield server


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    token, base_url, base_file_url = server.telegram.token, server.base_url, server.base_file_url
    async with Bot(token, base_url=base_url, base_file_url=base_file_url) as bot:
        yield bot


def control(server: BotApiServer, action: str, **form: Any) -> tuple[int, Any]:
    """POST a form to /standin/<action>; objects go as JSON, like Bot API parameters."""
    fields = {k: json.dumps(v) if isinstance(v, dict) else str(v) for k, v in form.items()}
    url = f"http://127.0.0.1:{server.port}/standin/{action}"
    data = urllib.parse.urlencode(fields).encode()
    try:
        with urllib.request.urlopen(url, data) as response:
            return response.status, json.loads(response.read())["result"]
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def test_a_channel_made_over_http_takes_posts_edits_and_deletes(
    bot: Bot, server: BotApiServer
) -> None:
    status, chat = control(server, "create_chat", type="channel", title="News", username="news",
                           rights={"can_edit_messages": False})  # fmt: skip
    assert status == 200
    assert chat["type"] == "channel"
    member = await bot.get_chat_member("@news", server.telegram.bot["id"])
    assert isinstance(member, ChatMemberAdministrator)
    assert member.can_edit_messages is False
    post = await bot.send_photo("@news", TINY_PNG, caption="Rain")
    assert post.sender_chat is not None
    assert post.sender_chat.id == chat["id"]
    await bot.edit_message_media(
        InputMediaPhoto(TINY_PNG, caption="Wind"), chat["id"], post.message_id
    )
    status, shown = control(server, f"chats/{chat['id']}")
    assert [m["caption"] for m in shown] == ["Wind"]
    control(server, "advance", seconds=48 * 3600)
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await bot.delete_message(chat["id"], post.message_id)
    control(server, "bot_status", chat_id=chat["id"], status="left")
    with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
        await bot.send_message(chat["id"], "x")
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "left"


async def test_topics_pace_and_migration_over_http(
    bot: Bot, server: BotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    _, forum = control(server, "create_chat", type="supergroup", forum="true")
    _, topic = control(server, "add_topic", chat_id=forum["id"], name="Sport")
    thread = topic["message_thread_id"]
    sent = await bot.send_message(forum["id"], "Goal", message_thread_id=thread)
    assert sent.message_thread_id == thread
    control(server, "close_topic", chat_id=forum["id"], message_thread_id=thread)
    with pytest.raises(BadRequest, match="Topic_closed"):
        await bot.send_message(forum["id"], "x", message_thread_id=thread)
    assert control(server, "pace", per_chat=1, window=30)[1] == {"per_chat": 1, "window": 30}
    await bot.send_message(forum["id"], "in General")  # a fresh pace: one slot
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(forum["id"], "x")
    assert flood.value.retry_after == dt.timedelta(seconds=30)
    _, group = control(server, "create_chat", type="group", title="Old")
    _, moved = control(server, "migrate", chat_id=group["id"])
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(group["id"], "x")
    assert migrated.value.new_chat_id == moved["id"]
    assert control(server, "migrate", chat_id=moved["id"])[0] == 400  # a supergroup already
    assert control(server, "nope")[0] == 404


async def test_users_write_into_groups_over_http(bot: Bot, server: BotApiServer) -> None:
    _, group = control(server, "create_chat", type="supergroup", title="Desk")
    status, update = control(server, "send", user_id=42, text="/latest", chat_id=group["id"])
    assert status == 200
    assert update["message"]["chat"]["id"] == group["id"]
    _, posted = control(server, "post", chat_id=group["id"], text="hello")
    assert posted["message"]["text"] == "hello"
