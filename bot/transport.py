"""The HTTP client for Bot API calls, which says when a request has wholly left.

A digest is marked 'sending' (in doubt, should the process die) only once the last byte of
its request is handed to the operating system, which delivers it even if the process is
killed a moment later. Before that, a crash leaves a plain claim, sent after the restart, and
nobody misses a digest for a request that never left. httpcore's trace extension reports the
moment; a context variable carries the callback from the rate limiter's try to the request,
which runs in the same task.
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
    """Within this block, `on_sent()` runs once a request's last byte has left."""
    token = _on_sent.set(on_sent)
    try:
        yield
    finally:
        _on_sent.reset(token)


def request_sent() -> None:
    """For transports without a socket (the stand-in): the request has arrived, tell them."""
    if (on_sent := _on_sent.get()) is not None:
        on_sent()


async def _trace_sending(request: httpx.Request) -> None:
    """httpx's request hook: ask httpcore to report the request body's last byte."""
    if (on_sent := _on_sent.get()) is None:
        return

    async def trace(event: str, info: dict[str, Any]) -> None:
        if event.endswith("send_request_headers.started"):
            on_sent()

    request.extensions["trace"] = trace
