"""In a group the bot answers at most GROUP_REPLIES members' commands and buttons a minute.

Telegram takes about 20 messages a minute into one group, counting the bot's replies with its
news posts; the poster leaves GROUP_REPLIES of them free (summaries/outlet_pace.py). Without
this limit a member sending /help twenty times (or pressing an article list's buttons, each
of which sends the article) would use up the minute and the next post would get a 429, every
minute. Commands past the limit are ignored and presses answered with nothing (no handler
sees them), logged at info once a minute per chat. Kept in memory: a restart forgets at most
a minute.
"""

from __future__ import annotations

import logging
from collections import deque
from datetime import datetime

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.handlers.buttons import acknowledge
from bot.services import services
from summaries.outlet_pace import GROUP_REPLIES, WINDOW

logger = logging.getLogger(__name__)
GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})


def counted(update: Update) -> bool:
    """A member's command (or a photo captioned /post) or button press in a group: what
    may make the bot send there. Edited messages start no command; channels' posts reach
    no handler that answers."""
    chat = update.effective_chat
    if chat is None or chat.type not in GROUPS:
        return False
    if update.callback_query is not None:
        return True
    message = update.message
    return message is not None and (message.text or message.caption or "").startswith("/")


class GroupCommandLimit:
    """When each group's last answered commands came, to refuse those past the limit."""

    def __init__(self, per_window: int = GROUP_REPLIES) -> None:
        self.per_window = per_window
        self.answered: dict[int, deque[datetime]] = {}
        self.told: dict[int, datetime] = {}  # when the log last said a chat was over

    def allow(self, chat_id: int, now: datetime) -> bool:
        """Whether a command in the chat may be answered now (and if so, it is counted)."""
        recent = self.answered.setdefault(chat_id, deque())
        while recent and now - recent[0] >= WINDOW:
            recent.popleft()
        if len(recent) < self.per_window:
            recent.append(now)
            return True
        if chat_id not in self.told or now - self.told[chat_id] >= WINDOW:
            self.told[chat_id] = now
            logger.info("chat %s: over %d commands and buttons a minute, the rest ignored "
                        "(news posts keep their slots)", chat_id, self.per_window)  # fmt: skip
        return False

    async def check(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Let a group's command or press through to its handler, or stop it here."""
        if not isinstance(update, Update) or not counted(update) or update.effective_chat is None:
            return
        if self.allow(update.effective_chat.id, services(context).clock()):
            return
        if update.callback_query is not None:  # the spinner stops; nothing goes to the chat
            await acknowledge(update.callback_query)
        raise ApplicationHandlerStop


def group_command_limit() -> TypeHandler[object, ContextTypes.DEFAULT_TYPE, None]:
    """A fresh limit for one application, registered before every other handler group."""
    return TypeHandler(Update, GroupCommandLimit().check)
