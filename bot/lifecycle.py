"""One start/stop sequence for an Application: `async with running(app)`.

`newsbot run`, the console, the tests and the benches all start and stop the bot through it,
in the order python-telegram-bot's run_polling documents: initialize → post_init → the
updater (polling or a webhook) → start; then updater stop → stop → post_stop → shutdown →
post_shutdown. Our hooks are the application's own post_init/post_shutdown (bot/app.py).
We don't call run_polling itself: it raises SystemExit wherever the loop is on a signal,
which during start-up cuts a request half-way and ends with a traceback and exit code 1.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application

App = Application[Any, Any, Any, Any, Any, Any]
STOPPING = "stopping"  # bot_data[STOPPING]: callables that wind background work down first
Receive = Callable[[], Awaitable[None]]


class NotTheBotApiError(Exception):
    """The server's answer to getMe isn't the Bot API's (JSON of another shape)."""


@asynccontextmanager
async def running(
    app: App,
    *,
    start: bool = True,
    receive: Receive | None = None,
    stop: asyncio.Event | None = None,
) -> AsyncIterator[App]:
    """The application, started for the length of the block, then stopped, each step whole.

    `receive` starts the updater (polling or a webhook); without it no updates come in, as
    with the stand-in, which hands them to process_update. `start=False` leaves the job queue
    and background work unstarted too, for tests that feed updates and run rounds themselves.
    `stop`, a stop signal's event, ends a slow first call (getMe) at once, since nothing has
    started, and skips the steps not yet begun; the block should return when it is set.
    Whatever happens, the steps that began are undone, and post_shutdown always runs.
    """
    stop = stop or asyncio.Event()
    try:
        initialized = await _initialized_unless_stopped(app, stop)
        try:
            if initialized and not stop.is_set() and app.post_init is not None:
                await app.post_init(app)
            if initialized and start and not stop.is_set():
                if receive is not None:
                    await receive()
                await app.start()
            yield app
        finally:
            try:
                if app.updater is not None and app.updater.running:
                    await app.updater.stop()
                if app.running:
                    for wind_down in app.bot_data.get(STOPPING, ()):
                        wind_down()  # e.g. feed polls: no new one, and the rest end soon
                    await app.stop()  # waits for background work, e.g. breaking news
                    if app.post_stop is not None:
                        await app.post_stop(app)
            finally:
                await app.shutdown()  # before post_shutdown: it still writes the chat data
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def _initialized_unless_stopped(app: App, stop: asyncio.Event) -> bool:
    """app.initialize() (getMe, with retries), or False if a stop signal comes first."""
    if stop.is_set():
        return False
    initializing = asyncio.ensure_future(app.initialize())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({initializing, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not initializing.done():
        initializing.cancel()
        with suppress(asyncio.CancelledError):
            await initializing
        return False
    try:
        initializing.result()
    except TelegramError:
        raise
    except (TypeError, KeyError, ValueError, AttributeError) as error:  # from parsing getMe
        raise NotTheBotApiError(f"{type(error).__name__}: {error}") from None
    return True
