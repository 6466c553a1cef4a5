"""AIORateLimiter, plus: transient failures retried for replies, and a hook for digests.

Replies to readers (everything but digests and breaking news) are retried after a 5xx, a
lost connection or a timeout, twice, with a short backoff: a reader who asked for something
should get it, and a rare duplicate reply is the lesser harm.

A digest is claimed before it queues for a send slot; its hook marks it 'sending' only once
Telegram's pace allows the request to go. A crash while it waits leaves a plain claim, which
is safely sent after a restart; only a request on the wire is in doubt, and it is not retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import AIORateLimiter

logger = logging.getLogger(__name__)
OnTheWire = Callable[[bool], None]  # True as a try leaves; False when it failed (not delivered)


def may_have_arrived(error: TelegramError) -> bool:
    """Whether Telegram may have taken a request that failed: a timeout waiting for its answer.

    A refused connection, a connect or pool timeout, a 429 or a 5xx answer mean it did not.
    """
    if not isinstance(error, TimedOut):
        return False
    return not isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)


class HookedRateLimiter(AIORateLimiter):
    """Pass `rate_limit_args=hook`: hook(True) just before each try, hook(False) if it fails."""

    async def process_request(  # rate_limit_args may also be a hook
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | OnTheWire | None,
    ) -> Any:
        """Run the hook (each try, just before it) and then the request; else as the base."""
        if not callable(rate_limit_args):
            return await super().process_request(
                _retrying(callback), args, kwargs, endpoint, data, rate_limit_args
            )
        hook = rate_limit_args

        async def send(*call_args: Any, **call_kwargs: Any) -> Any:
            hook(True)
            try:
                return await callback(*call_args, **call_kwargs)
            except TelegramError as error:
                if not may_have_arrived(error):  # 429, 5xx, no connection: it did not arrive
                    hook(False)
                raise

        return await super().process_request(send, args, kwargs, endpoint, data, None)


RETRIES = (0.5, 1.0)  # seconds to wait before each further try of a reply


def _retrying(
    callback: Callable[..., Coroutine[Any, Any, Any]],
) -> Callable[..., Coroutine[Any, Any, Any]]:
    """The request, tried again after a 5xx, a lost connection or a timeout (not a 4xx)."""

    async def tries(*call_args: Any, **call_kwargs: Any) -> Any:
        for pause in RETRIES:
            try:
                return await callback(*call_args, **call_kwargs)
            except NetworkError as error:  # TimedOut is one; so is BadRequest, a 4xx: no retry
                if isinstance(error, BadRequest):
                    raise
                logger.info("retrying a request after %s", error)
                await asyncio.sleep(pause)
        return await callback(*call_args, **call_kwargs)

    return tries
