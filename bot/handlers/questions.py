"""Questions the bot leaves open in a chat, and /cancel, which closes whichever are open.

Open questions: a typed answer (a time zone, topics), and a message with buttons (the digest's
time picker, the /forget, /delete and source removal confirmations); one of each may be open at
once. /cancel takes the buttons away, so a late press can't act on a question already
cancelled, and says of each question it closed what stays as it was.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, ContextTypes, filters

from bot.handlers.buttons import acknowledge
from bot.i18n import _
from bot.render import questions as render_questions
from bot.services import services

logger = logging.getLogger(__name__)

# chat_data: plain text answers this question ("zone" or "topics") until it is answered with
# something usable or the reader sends /cancel
AWAITING = "awaiting"
ASKED = "asked"  # chat_data: the open picker or confirmation: {"kind", "message_id", ...}
PENDING_TOPICS = "pending_topics"  # chat_data: topics given before a digest time was picked
CANCELLED = "cancelled"  # chat_data: message ids of the last questions /cancel closed
KEEP_CANCELLED = 20


def ask(context: ContextTypes.DEFAULT_TYPE, kind: str, sent: Message, **details: Any) -> None:
    """Note a message whose buttons ask something ("time", "forget", "delete")."""
    if context.chat_data is not None:
        context.chat_data[ASKED] = {"kind": kind, "message_id": sent.message_id, **details}


def answered(context: ContextTypes.DEFAULT_TYPE, kind: str, message_id: int | None = None) -> None:
    """A button of that kind was pressed (under that message, if given): no longer open."""
    asked = (context.chat_data or {}).get(ASKED)
    if not asked or asked.get("kind") != kind or context.chat_data is None:
        return
    if message_id is None or asked.get("message_id") == message_id:
        del context.chat_data[ASKED]


def open_questions(context: ContextTypes.DEFAULT_TYPE) -> list[str]:
    """The questions open: a typed one ("zone") and one with buttons ("delete:41"), either,
    both or none; /cancel closes all of them.

    A draft notes them when it starts, so /cancel can tell a question asked since from one
    asked before (that one outlives the draft, and the next /cancel closes it).
    """
    chat_data = context.chat_data or {}
    questions = [str(chat_data[AWAITING])] if chat_data.get(AWAITING) else []
    if asked := chat_data.get(ASKED):
        questions.append(f"{asked['kind']}:{asked['message_id']}")
    return questions


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel: close the open question (typed or with buttons); nothing it asked changes."""
    message = update.effective_message
    if message is None:
        return
    text = await close_question(update, context)
    await message.reply_text(text or _(render_questions.NOTHING_TO_CANCEL), parse_mode=None)


async def close_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """Close the open questions (a typed one, one with buttons, or both), their buttons too:
    what to say, naming each one closed, or None if none was open."""
    message, chat_data = update.effective_message, context.chat_data
    if message is None:
        return None
    typed = chat_data.pop(AWAITING, None) if chat_data else None
    asked = chat_data.pop(ASKED, None) if chat_data else None
    if chat_data:
        chat_data.pop(PENDING_TOPICS, None)
    if asked:
        _remember_cancelled(context, asked["message_id"])
        await _take_buttons_away(context, message.chat_id, asked["message_id"])
    kinds = [kind for kind in (typed, (asked or {}).get("kind")) if kind]
    if not kinds:
        return None
    subscribed = services(context).subscriptions.get(message.chat_id) is not None
    return "\n".join(  # each question closed, named in a sentence of its own
        render_questions.cancelled(
            kind,
            subscribed=subscribed,
            article=(asked or {}).get("article"),
            source=(asked or {}).get("source"),
            outlet=(asked or {}).get("outlet"),
        )
        for kind in kinds
    )


def was_cancelled(context: ContextTypes.DEFAULT_TYPE, message_id: int) -> bool:
    """Whether /cancel closed the question under that message (a late press must do nothing)."""
    return message_id in (context.chat_data or {}).get(CANCELLED, [])


async def refused_as_cancelled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A press under a question /cancel closed: say so, change nothing (True if it was)."""
    query = update.callback_query
    if query is None or query.message is None:
        return False
    if not was_cancelled(context, query.message.message_id):
        return False
    await acknowledge(query, _(render_questions.BUTTON_CANCELLED), alert=True)
    return True


def _remember_cancelled(context: ContextTypes.DEFAULT_TYPE, message_id: int) -> None:
    """Keep the last few cancelled questions: Telegram may refuse to take their buttons off."""
    if context.chat_data is not None:
        recent = context.chat_data.get(CANCELLED, [])
        context.chat_data[CANCELLED] = [*recent, message_id][-KEEP_CANCELLED:]


async def _take_buttons_away(context: ContextTypes.DEFAULT_TYPE, chat: int, message: int) -> None:
    """The cancelled question's buttons go; a message Telegram won't edit any more stays."""
    try:
        await context.bot.edit_message_reply_markup(chat, message, reply_markup=None)
    except TelegramError as error:  # too old, deleted, or already without buttons
        logger.info("could not take the buttons off message %s: %s", message, error)


HANDLERS = [CommandHandler("cancel", cancel_command, filters=filters.UpdateType.MESSAGE)]
