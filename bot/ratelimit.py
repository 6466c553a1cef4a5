"""AIORateLimiter, plus: sends that certainly failed are tried again, and a hook for digests.

The Bot API has no idempotency key, so a request is sent again only when it certainly did not
reach Telegram: a 5xx answer, a refused connection, a connect or pool timeout (a 429 is waited
out by AIORateLimiter itself). A timeout waiting for the answer, or a connection lost after
the request went out, may have been acted on (usually it was: Telegram was slow to answer),
so it is never repeated: a reader sees no message twice.

A 429 in a group or channel is that chat's flood limit, not the bot's: it holds that chat
alone (AIORateLimiter would hold every request, readers' replies and digests too, for as long
as Telegram said, up to a minute), and a caller that keeps its own queue (the channel poster)
gets it at once, inside `floods_answered_by_caller()`, instead of waiting in the request.

A digest is claimed before it queues for a send slot; each of its sends runs inside
`leaving(hook)`, which marks it 'sending' only once the request starts to leave
(bot/transport.py), with the rate limiter or without it. A crash before that leaves a plain
claim, which is safely sent after a restart; only a request on the wire is in doubt.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Coroutine, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
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


class _Leaving:
    """One send inside `leaving()`: whether its request (this try's) has left."""

    def __init__(self, hook: OnTheWire) -> None:
        self.hook, self.left = hook, False

    def sent(self) -> None:
        self.left = True
        self.hook(True)

    def failed(self, error: TelegramError) -> None:
        """A try came back: if it left and certainly did not arrive, it is a plain claim again."""
        if self.left and not may_have_arrived(error):
            self.left = False
            self.hook(False)


_leaving: ContextVar[_Leaving | None] = ContextVar("leaving", default=None)
_caller_answers_floods: ContextVar[bool] = ContextVar("caller_answers_floods", default=False)


@contextmanager
def floods_answered_by_caller() -> Iterator[None]:
    """Inside: a group's or channel's 429 (or a hold one left) is raised at once, for a caller
    with its own queue to hold that chat, rather than waited out inside the request."""
    token = _caller_answers_floods.set(True)
    try:
        yield
    finally:
        _caller_answers_floods.reset(token)


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait, in seconds (an int or a timedelta, by PTB setting)."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def flood_group(data: dict[str, Any]) -> int | str | None:
    """The group or channel a request goes to, as AIORateLimiter tells them (a negative id, or
    an @username, which only channels and supergroups have); None for a private chat or none."""
    chat_id = data.get("chat_id")
    if isinstance(chat_id, str):
        try:
            chat_id = int(chat_id)
        except ValueError:
            return chat_id
    return chat_id if isinstance(chat_id, int) and chat_id < 0 else None


def leaving(hook: OnTheWire | None) -> AbstractContextManager[None]:
    """Around one send of a claimed delivery: hook(True) as its request starts to leave,
    hook(False) after a try that certainly did not arrive. The one way to mark a delivery,
    the same with the rate limiter (which tries again) or without; no hook, no marks."""
    return nullcontext() if hook is None else _marking(_Leaving(hook))


@contextmanager
def _marking(send: _Leaving) -> Iterator[None]:
    token = _leaving.set(send)
    try:
        with reporting_sent(send.sent):
            yield
    except TelegramError as error:  # the last try, or the only one without the rate limiter
        send.failed(error)
        raise
    finally:
        _leaving.reset(token)


class HookedRateLimiter(AIORateLimiter):
    """AIORateLimiter whose sends that certainly failed are tried again, each try reported to
    the `leaving()` block around the send, if any, and whose 429s in a group or channel hold
    that chat only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._holds: dict[int | str, _Hold] = {}  # flooded groups, until their wait is over

    async def process_request(
        self,
        callback: Send,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Run the request through `tries`; a private chat's as the base class does (a 429
        there is the bot's own flood limit, so every request waits), a group's by itself."""
        callback = tries(callback, repeatable=endpoint in SAFE_TO_REPEAT)
        if endpoint.startswith("get"):  # a read sends nothing: no chat's pace or hold applies
            return await self._run_request(
                chat=False, group=False, allow_paid_broadcast=False,
                callback=callback, args=args, kwargs=kwargs,
            )  # fmt: skip
        group = flood_group(data)
        if group is None or data.get("allow_paid_broadcast"):
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        retries = max(rate_limit_args or self._max_retries, 0)
        for attempt in range(retries + 1):
            await self._wait_for(group)
            try:
                return await self._run_request(
                    chat=True, group=group, allow_paid_broadcast=False,
                    callback=callback, args=args, kwargs=kwargs,
                )  # fmt: skip
            except RetryAfter as error:
                wait = retry_seconds(error) + 0.1
                self._holds[group] = _Hold(wait)
                if _caller_answers_floods.get() or attempt == retries:
                    raise
                logger.info("chat %s is flooded; its requests wait %.1f s", group, wait)
        raise AssertionError("unreachable: the last try returns or raises")

    async def _wait_for(self, group: int | str) -> None:
        """Wait out the group's hold, or raise it as a 429 for a caller with its own queue."""
        while (hold := self._holds.get(group)) is not None:
            if hold.over.is_set():
                if self._holds.get(group) is hold:
                    del self._holds[group]
                return
            if _caller_answers_floods.get():
                raise RetryAfter(timedelta(seconds=math.ceil(hold.wait)))  # at most that long
            await hold.over.wait()  # then look again: a newer 429 may hold it longer


class _Hold:
    """A group's wait after a 429: over when the event loop's timer fires (no clock read)."""

    def __init__(self, wait: float) -> None:
        self.wait, self.over = wait, asyncio.Event()
        asyncio.get_running_loop().call_later(wait, self.over.set)


def tries(callback: Send, *, repeatable: bool = False) -> Send:
    """The request, tried again (twice, after a short wait) while it certainly failed, or,
    for a `repeatable` one (it only reads), while it timed out as well."""

    async def attempt(*call_args: Any, **call_kwargs: Any) -> Any:
        try:
            return await callback(*call_args, **call_kwargs)
        except TelegramError as error:
            if (send := _leaving.get()) is not None:
                send.failed(error)  # before the next try: a crash now leaves a plain claim
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
