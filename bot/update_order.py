"""Updates from different chats are handled at once; one chat's updates in the order they came.

By default python-telegram-bot handles one update at a time, so every reader waits for every
other reader's replies, each a round trip to Telegram. Handling all updates at once instead
would let one person's quick messages overtake each other, which the admin's /post
conversation (a ConversationHandler) must not see. So each chat gets its own queue: an
asyncio.Lock, which wakes its waiters first come, first served.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates in hand at once, most of them waiting on Telegram: 32 at a 100 ms round trip is
# 320 a second, ten times Telegram's own pace. More opens more connections, and httpcore's
# pool does work quadratic in them on every request (encode/httpcore#1035): with 256, a burst
# of 200 readers stalled the bot for 5 seconds (bench/load.py).
MAX_CONCURRENT_UPDATES = 32
UNBOUNDED = 2**31 - 1  # PTB's own limit, which would count updates waiting for their turn


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, in order within a chat (or a user, for inline queries).

    PTB's own limit is taken before an update's turn in its chat comes, so one chat's burst
    would hold every slot while it waits for itself: the limit here is taken inside the
    chat's turn instead, and PTB's is left unbounded (an update waiting costs little).
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(UNBOUNDED)
        self.handling = max_concurrent_updates
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._queues: dict[int, tuple[asyncio.Lock, int]] = {}  # lock, updates holding it

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the same chat's earlier updates and a free slot, then handle this one."""
        key = order_key(update)
        queue = self._queues.get(key) if key is not None else None
        lock = asyncio.Lock() if queue is None else queue[0]
        if key is not None:
            self._queues[key] = (lock, 1 if queue is None else queue[1] + 1)
        started = False
        try:
            async with lock, self._slots:
                started = True
                await coroutine
        finally:
            if not started and inspect.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting: never run, so close it quietly
            if key is not None:
                lock, holders = self._queues[key]
                if holders == 1:  # nobody else queued for this chat: forget it
                    del self._queues[key]
                else:
                    self._queues[key] = (lock, holders - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the queues empty as their updates finish."""


def order_key(update: object) -> int | None:
    """The chat whose updates must stay in order; the user for updates without a chat."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
