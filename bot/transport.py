"""The HTTP client for Bot API calls, which says when a request starts to leave.

A digest is marked 'sending' (in doubt, should the process die) just before the first byte
of its request goes out: not earlier, while it waits for a connection and can't have reached
Telegram (a crash then leaves a plain claim, sent after the restart), and not later, since
Telegram may act on a request before the process notes that it left (a crash then would
send it twice). httpcore's trace extension reports the moment; a context variable carries
the callback from `leaving()` around the send (bot/ratelimit.py) to the request, which runs
in the same task, with the rate limiter or without.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpx
from telegram.request import HTTPXRequest

CONNECTIONS = 256  # python-telegram-bot's own default for Bot API calls

_on_sent: ContextVar[Callable[[], None] | None] = ContextVar("on_sent", default=None)


def bot_api_request() -> HTTPXRequest:
    """PTB's HTTPXRequest, as ApplicationBuilder makes it, telling `reporting_sent` callers."""
    hooks = {"request": [_trace_sending]}
    return HTTPXRequest(connection_pool_size=CONNECTIONS, httpx_kwargs={"event_hooks": hooks})


@contextmanager
def reporting_sent(on_sent: Callable[[], None]) -> Iterator[None]:
    """Within this block, `on_sent()` runs as a request's first byte is about to leave."""
    token = _on_sent.set(on_sent)
    try:
        yield
    finally:
        _on_sent.reset(token)


def request_sent() -> None:
    """For transports without a socket (the stand-in's on_sent): the request has arrived."""
    if (on_sent := _on_sent.get()) is not None:
        on_sent()


async def _trace_sending(request: httpx.Request) -> None:
    """httpx's request hook: ask httpcore to report when it starts writing the request."""
    if (on_sent := _on_sent.get()) is None:
        return

    async def trace(event: str, info: dict[str, Any]) -> None:
        tunnel = getattr(info.get("request"), "method", b"") == b"CONNECT"  # a proxy's, first
        if event.endswith("send_request_headers.started") and not tunnel:
            on_sent()

    request.extensions["trace"] = trace
