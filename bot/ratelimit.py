"""AIORateLimiter, plus: sends that certainly failed are tried again, and a hook for digests.

The Bot API has no idempotency key, so a request is sent again only when it certainly did not
reach Telegram: a 5xx answer, a refused connection, a connect or pool timeout (a 429 is waited
out by AIORateLimiter itself). A timeout waiting for the answer, or a connection lost after
the request went out, may have been acted on (usually it was: Telegram was slow to answer),
so it is never repeated: a reader sees no message twice.

A digest is claimed before it queues for a send slot; its hook marks it 'sending' only once
its request starts to leave (bot/transport.py). A crash before that leaves a plain claim,
which is safely sent after a restart; only a request on the wire is in doubt.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import AIORateLimiter

from bot.transport import reporting_sent

logger = logging.getLogger(__name__)
OnTheWire = Callable[[bool], None]  # True as a try leaves; False when it failed (not delivered)
Send = Callable[..., Coroutine[Any, Any, Any]]

RETRIES = (0.5, 1.0)  # seconds to wait before each further try of a send that failed
NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,  # the proxy refused the tunnel: the request itself never went
    httpx.UnsupportedProtocol,
)
# Calls that only read (or set the same thing again): repeating them is harmless, so a
# timeout is worth another try too.
SAFE_TO_REPEAT = frozenset({"getFile", "getMe", "getChat", "getMyCommands", "setMyCommands"})


def may_have_arrived(error: TelegramError) -> bool:
    """Whether Telegram may have acted on a request that failed.

    Yes for a timeout waiting for its answer, or a connection lost once the request was out.
    No for an answer (429, 4xx, 5xx) or a connection that never got the request out.
    """
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return False  # BadRequest is a NetworkError in PTB, but it is Telegram's answer
    cause = error.__cause__
    if isinstance(error, TimedOut):
        return not isinstance(cause, NEVER_SENT)
    return isinstance(cause, httpx.TransportError) and not isinstance(cause, NEVER_SENT)


def certainly_failed(error: TelegramError) -> bool:
    """A failure worth another try: Telegram answered 5xx, or never got the request."""
    return (
        isinstance(error, NetworkError)
        and not isinstance(error, BadRequest)
        and not may_have_arrived(error)
    )


class HookedRateLimiter(AIORateLimiter):
    """Retries sends that certainly failed. Pass `rate_limit_args=hook` to have hook(True)
    called as each try's request starts to leave and hook(False) after a try that certainly
    failed."""

    async def process_request(  # rate_limit_args may also be a hook
        self,
        callback: Send,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | OnTheWire | None,
    ) -> Any:
        """Run the request through `tries` (with the hook, if one came); else as the base."""
        hook = rate_limit_args if callable(rate_limit_args) else None
        limit_args = None if callable(rate_limit_args) else rate_limit_args
        return await super().process_request(
            tries(callback, hook, repeatable=endpoint in SAFE_TO_REPEAT),
            args,
            kwargs,
            endpoint,
            data,
            limit_args,
        )


def tries(callback: Send, hook: OnTheWire | None = None, *, repeatable: bool = False) -> Send:
    """The request, tried again (twice, after a short wait) while it certainly failed, or,
    for a `repeatable` one (it only reads), while it timed out as well."""

    async def attempt(*call_args: Any, **call_kwargs: Any) -> Any:
        if hook is None:
            return await callback(*call_args, **call_kwargs)
        try:
            with reporting_sent(lambda: hook(True)):  # as the request's first byte leaves
                return await callback(*call_args, **call_kwargs)
        except TelegramError as error:
            if not may_have_arrived(error):
                hook(False)  # it did not leave after all: a plain claim again
            raise

    async def send(*call_args: Any, **call_kwargs: Any) -> Any:
        for pause in RETRIES:
            try:
                return await attempt(*call_args, **call_kwargs)
            except TelegramError as error:
                if not (certainly_failed(error) or (repeatable and may_have_arrived(error))):
                    raise  # a 4xx, or perhaps delivered: never twice
                logger.info("trying a request again after %s", error)
                await asyncio.sleep(pause)
        return await attempt(*call_args, **call_kwargs)

    return send
