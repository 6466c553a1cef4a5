"""Which failed requests may have reached Telegram, and which are tried again."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpcore
import httpx
import pytest
from telegram import Bot
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

import bot.ratelimit
from bot.ratelimit import leaving, may_have_arrived, tries
from bot.transport import _trace_sending, bot_api_request, reporting_sent, request_sent
from standin import DEFAULT_TOKEN
from standin.server import BotApiServer
from tests.helpers.net import free_port


class Listener:
    """A TCP server on 127.0.0.1 that reads each request and then hangs up or stays silent."""

    def __init__(self, *, hang_up: bool) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.hang_up, self.received = hang_up, 0
        threading.Thread(target=self.serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/bot"

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if conn.recv(65536):
                self.received += 1
            if self.hang_up:
                conn.close()  # the request arrived; the connection is lost before any answer


@pytest.fixture
def hangs_up() -> Iterator[Listener]:
    listener = Listener(hang_up=True)
    yield listener
    listener.sock.close()


@pytest.fixture
def silent() -> Iterator[Listener]:
    listener = Listener(hang_up=False)
    yield listener
    listener.sock.close()


async def fail_through_ptb(base_url: str) -> TelegramError:
    """The error python-telegram-bot's own HTTPXRequest raises for one sendMessage."""
    request = HTTPXRequest(read_timeout=0.3, connect_timeout=0.3)
    bot = Bot(DEFAULT_TOKEN, base_url=base_url, request=request)
    await request.initialize()
    try:
        await bot.send_message(1, "x")
    except TelegramError as error:
        return error
    finally:
        await request.shutdown()
    raise AssertionError("the request did not fail")


async def test_no_answer_in_time_may_have_arrived(silent: Listener) -> None:
    error = await fail_through_ptb(silent.url)
    assert silent.received == 1
    assert may_have_arrived(error)


async def test_a_connection_lost_after_sending_may_have_arrived(hangs_up: Listener) -> None:
    error = await fail_through_ptb(hangs_up.url)
    assert hangs_up.received == 1
    assert may_have_arrived(error)


async def test_a_refused_connection_did_not_arrive() -> None:
    error = await fail_through_ptb(f"http://127.0.0.1:{free_port()}/bot")
    assert isinstance(error, NetworkError)
    assert not may_have_arrived(error)


@pytest.mark.parametrize(
    "error",
    [
        NetworkError("Bad Gateway"),  # a 5xx: Telegram answered
        BadRequest("Message is too long"),
        Forbidden("Forbidden: bot was blocked by the user"),
        RetryAfter(1),
    ],
)
def test_answers_from_telegram_did_not_arrive(error: TelegramError) -> None:
    assert not may_have_arrived(error)


async def sent_reports(base_url: str) -> list[str]:
    """What reporting_sent hears while the real HTTP client sends one message."""
    request, heard = bot_api_request(), list[str]()
    bot = Bot(DEFAULT_TOKEN, base_url=base_url, request=request)
    await request.initialize()
    try:
        with reporting_sent(lambda: heard.append("sent")):
            await bot.send_message(42, "x")
    except TelegramError as error:
        heard.append(type(error).__name__)
    finally:
        await request.shutdown()
    return heard


async def test_the_http_client_reports_a_request_leaving() -> None:
    with BotApiServer() as server:
        server.telegram.user(42)
        assert await sent_reports(server.base_url) == ["sent"]
        assert server.telegram.bot_messages(42)[0].text == "x"


async def test_a_request_that_never_left_is_not_reported() -> None:
    assert await sent_reports(f"http://127.0.0.1:{free_port()}/bot") == ["NetworkError"]


class Script:
    """A request that fails with the given errors, in turn, then succeeds."""

    def __init__(self, *errors: TelegramError) -> None:
        self.errors, self.calls, self.hook = list(errors), 0, list[bool]()

    async def __call__(self, *args: Any, **kwargs: Any) -> str:
        self.calls += 1
        request_sent()  # as the stand-in, and the real transport, report a request leaving
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.ratelimit, "RETRIES", (0, 0))


async def test_a_5xx_is_tried_again_with_the_hook_told() -> None:
    script = Script(NetworkError("Bad Gateway"), NetworkError("Bad Gateway"))
    with leaving(script.hook.append):
        assert await tries(script)() == "sent"
    assert script.calls == 3
    assert script.hook == [True, False, True, False, True]  # back to a plain claim between


async def test_a_request_that_may_have_arrived_is_never_repeated() -> None:
    script = Script(TimedOut())
    with pytest.raises(TimedOut), leaving(script.hook.append):
        await tries(script)()
    assert script.calls == 1
    assert script.hook == [True]  # still 'sending': in doubt


async def test_a_bad_request_is_not_repeated_and_three_5xx_give_up() -> None:
    refused = Script(BadRequest("Can't parse entities"))
    with pytest.raises(BadRequest):
        await tries(refused)()
    assert refused.calls == 1
    down = Script(*[NetworkError("Bad Gateway")] * 3)
    with pytest.raises(NetworkError):
        await asyncio.wait_for(tries(down)(), timeout=5)
    assert down.calls == 3


async def test_a_proxy_tunnel_is_not_the_request_leaving() -> None:
    heard: list[str] = []
    request = httpx.Request("POST", "https://api.telegram.org/botX/sendMessage")
    with reporting_sent(lambda: heard.append("sent")):
        await _trace_sending(request)
    trace = request.extensions["trace"]
    started = "http11.send_request_headers.started"
    await trace(started, {"request": httpcore.Request("CONNECT", "https://api.telegram.org")})
    assert heard == []  # the proxy's CONNECT goes first; the request has not left yet
    await trace(started, {"request": httpcore.Request("POST", "https://api.telegram.org/")})
    assert heard == ["sent"]
