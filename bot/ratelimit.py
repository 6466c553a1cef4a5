"""AIORateLimiter with a hook that runs as a request actually leaves, after any wait.

A digest is claimed before it queues for a send slot; the hook marks it 'sending' only once
Telegram's pace allows the request to go. A crash while it waits leaves a plain claim, which
is safely sent after a restart; only a request on the wire is in doubt.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import TelegramError, TimedOut
from telegram.ext import AIORateLimiter

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
                callback, args, kwargs, endpoint, data, rate_limit_args
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
