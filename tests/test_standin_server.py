"""The stand-in over real HTTP, driven by PTB's default transport (HTTPXRequest)."""

import asyncio
import datetime as dt
import json
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from standin import TINY_PNG, FakeTelegram
from standin.server import BotApiServer


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer(timeout_delay=1.0) as server:
        server.telegram.user(42, "Ada")
        yield server


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    token, base_url, base_file_url = server.telegram.token, server.base_url, server.base_file_url
    async with Bot(token, base_url=base_url, base_file_url=base_file_url) as bot:
        yield bot


async def test_get_me_over_http(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == "newsbot_demo_bot"
    assert me.supports_inline_queries


async def test_send_message_with_a_form_body(bot: Bot, server: BotApiServer) -> None:
    message = await bot.send_message(42, "<b>Rain &amp; wind</b>", parse_mode="HTML")
    assert message.text == "Rain & wind"
    [call] = server.telegram.successful("sendMessage")
    assert call.params["chat_id"] == 42  # the form's "42", typed once by the fake
    assert server.telegram.last_message(42).entities == [
        {"offset": 0, "length": 11, "type": "bold"}
    ]


async def test_send_photo_uploads_multipart_bytes_intact(bot: Bot, server: BotApiServer) -> None:
    sent = await bot.send_photo(42, TINY_PNG, caption="<i>Rain</i>", parse_mode="HTML")
    assert sent.caption == "Rain"
    stored = server.telegram.files.by_id[sent.photo[-1].file_id]
    assert stored.content == TINY_PNG  # binary survives email.parser byte for byte
    again = await bot.send_photo(42, sent.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == sent.photo[-1].file_unique_id
    downloaded = await (await bot.get_file(sent.photo[-1].file_id)).download_as_bytearray()
    assert bytes(downloaded) == TINY_PNG


async def test_long_poll_delivers_an_update_queued_while_waiting(
    bot: Bot, server: BotApiServer
) -> None:
    polling = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)  # let the request reach the server (no assertion depends on it)
    server.telegram.user(42).sends("/start")
    [update] = await polling
    assert update.message is not None
    assert update.message.text == "/start"


async def test_a_429_surfaces_as_retry_after(
    bot: Bot, server: BotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # v22 warns on RetryAfter without it
    server.telegram.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7
    )
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(42, "x")
    assert flood.value.retry_after == dt.timedelta(seconds=7)


async def test_an_injected_timeout_times_out_the_client(server: BotApiServer) -> None:
    server.telegram.fail_next("sendMessage", timeout=True)
    request = HTTPXRequest(read_timeout=0.2)
    async with Bot(server.telegram.token, base_url=server.base_url, request=request) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(42, "x")


async def test_a_wrong_token_is_unauthorized(server: BotApiServer) -> None:
    with pytest.raises(InvalidToken):  # initialize() calls getMe, and shuts down on failure
        async with Bot("1:wrong", base_url=server.base_url):
            pass


def test_json_bodies_and_unknown_methods(server: BotApiServer) -> None:
    url = f"{server.base_url}{server.telegram.token}"

    def post(method: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
        request = urllib.request.Request(  # noqa: S310 - a loopback URL we built
            f"{url}/{method}", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    markup = {"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]}
    status, body = post("sendMessage", {"chat_id": 42, "text": "hi", "reply_markup": markup})
    assert status == 200
    assert body["result"]["reply_markup"] == markup  # type: ignore[index]
    assert post("nope", {}) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


def test_runs_as_a_module_and_answers() -> None:
    command = [sys.executable, "-m", "standin.server", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            token = process.stdout.readline().strip().partition("=")[2]
            base_url = process.stdout.readline().strip().partition("=")[2]
            with urllib.request.urlopen(f"{base_url}{token}/getMe") as response:  # noqa: S310
                assert json.loads(response.read())["result"]["is_bot"] is True
            control = base_url.removesuffix("/bot") + "/standin"
            form = b"user_id=42&text=%2Fstart"
            with urllib.request.urlopen(f"{control}/send", form) as response:  # noqa: S310
                assert json.loads(response.read())["result"]["message"]["text"] == "/start"
            with urllib.request.urlopen(f"{control}/chats/42") as response:  # noqa: S310
                [shown] = json.loads(response.read())["result"]
                assert shown["text"] == "/start"
        finally:
            process.terminate()
    assert FakeTelegram().token == token
