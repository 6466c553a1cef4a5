"""running(app): python-telegram-bot's documented order, and a stop that comes while starting."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import ApplicationBuilder

from bot.lifecycle import App, running
from standin import FakeTelegram, StandInRequest


def recorded(steps: list[str]) -> App:
    """A plain application on the stand-in whose every step is noted in `steps`."""

    def note(step: str) -> Any:
        async def hook(app: App) -> None:
            steps.append(step)

        return hook

    tg = FakeTelegram()
    request = StandInRequest(tg, long_poll=False)
    builder: Any = ApplicationBuilder().token(tg.token).request(request)
    builder = builder.get_updates_request(request).updater(None)
    app: App = (
        builder.post_init(note("post_init"))
        .post_stop(note("post_stop"))
        .post_shutdown(note("post_shutdown"))
        .build()
    )
    return app


async def test_the_steps_run_in_python_telegram_bots_order() -> None:
    steps: list[str] = []
    app = recorded(steps)

    async def receive() -> None:
        steps.append("receive")

    async with running(app, receive=receive):
        assert app.running
        steps.append("body")
    assert steps == ["post_init", "receive", "body", "post_stop", "post_shutdown"]
    assert not app.running


async def test_unstarted_it_is_initialized_and_shut_down_only() -> None:
    steps: list[str] = []
    app = recorded(steps)
    async with running(app, start=False):
        assert not app.running
        steps.append("body")
    assert steps == ["post_init", "body", "post_shutdown"]


async def test_a_stop_before_starting_starts_nothing_and_still_cleans_up() -> None:
    steps: list[str] = []
    app = recorded(steps)
    stop = asyncio.Event()
    stop.set()  # a signal while loading: not even getMe is asked
    async with running(app, stop=stop):
        steps.append("body")
    assert steps == ["body", "post_shutdown"]


async def test_an_error_in_the_block_still_stops_everything() -> None:
    steps: list[str] = []
    app = recorded(steps)
    try:
        async with running(app):
            raise RuntimeError("boom")
    except RuntimeError:
        steps.append("raised")
    assert steps == ["post_init", "post_stop", "post_shutdown", "raised"]
    assert not app.running
