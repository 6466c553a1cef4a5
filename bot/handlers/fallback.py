"""Everything no other handler took: short, helpful answers in private chats, silence elsewhere."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot import render
from bot.delivery.article import send_article
from bot.handlers.articles import search_reply
from bot.handlers.buttons import acknowledge
from bot.handlers.subscriptions import answer_prompt
from bot.i18n import _
from bot.services import services
from summaries.text import normalize

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown /command: say so, and where to look."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    command = render.clip(message.text.split()[0], 50)
    await message.reply_text(render.unknown_command(command))


async def plain_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Words sent without a command are a search: that is what a reader means."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    if await answer_prompt(update, context):  # the answer to a question we asked
        return
    text = normalize(message.text).strip()  # a number with a zero-width space is a number
    if text.isdecimal() and len(text) < 19:  # a bare number: the article with that id
        await send_article(context.bot, message.chat_id, int(text), services(context))
        return
    await search_reply(update, context, text)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button whose data no handler knows (an old message, or forged data)."""
    if update.callback_query is not None:
        await acknowledge(update.callback_query, _(render.STALE_BUTTON))


async def anything_else(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice...: point to what works."""
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(_(render.NOT_UNDERSTOOD))


HANDLERS = [
    MessageHandler(PRIVATE & filters.COMMAND, unknown_command),
    MessageHandler(PRIVATE & filters.TEXT, plain_text),
    MessageHandler(PRIVATE, anything_else),
    CallbackQueryHandler(stale_button),
]
