"""Full text, a page at a time: the Full text button sends page 1, the page buttons under it
turn the same message to another page."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.handlers.buttons import acknowledge
from bot.render import pages as render_pages
from bot.services import services
from summaries.errors import ArticleNotFoundError

logger = logging.getLogger(__name__)


async def full_text_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Full text under a summary: page 1 as a new message, with the buttons to turn pages."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    await acknowledge(query)  # before the work: Telegram wants an answer within seconds
    article = services(context).store.get(int(query.data.partition(":")[2]))
    page = await asyncio.to_thread(render_pages.full_text_page, article, 1)  # off the loop
    await context.bot.send_message(query.message.chat.id, page.text, reply_markup=page.markup)


async def page_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """« ‹ Page N of M › »: the same message shows page N; a page or article that is gone
    since the button was made is said so in the answer, never as an error."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    _prefix, article_id, wanted = query.data.split(":")
    try:
        article = services(context).store.get(int(article_id))
    except ArticleNotFoundError:
        await acknowledge(query, render_pages.article_gone(int(article_id)))
        await _without_buttons(update)
        return
    page = await asyncio.to_thread(render_pages.full_text_page, article, int(wanted))
    stale = page.number != int(wanted) and int(wanted) > 0
    shown = page.shown_in(query.message)  # its own label, or a page pressed twice
    if stale:
        note: str | None = render_pages.page_gone(int(wanted), page)
    else:  # a press that changes nothing says where the reader is: never a silent press
        note = render_pages.page_here(page) if shown else None
    await acknowledge(query, note)
    if shown:  # nothing to edit
        return
    chat_id, message_id = query.message.chat.id, query.message.message_id
    try:  # by ids: a message Telegram calls inaccessible (deleted, say) has them too
        await context.bot.edit_message_text(
            page.text, chat_id, message_id, reply_markup=page.markup
        )
    except BadRequest as error:
        if "not modified" in error.message:  # shown by a press that came in between
            return
        logger.info("page %s of article %s sent anew: %s", page.number, article.id, error)
        await context.bot.send_message(chat_id, page.text, reply_markup=page.markup)


async def _without_buttons(update: Update) -> None:
    """Take the page buttons of a deleted article away, so they are not pressed again."""
    if update.callback_query is None:
        return
    try:
        await update.callback_query.edit_message_reply_markup(None)
    except TelegramError as error:  # too old to edit, or already without them
        logger.info("could not remove the page buttons: %s", error)


HANDLERS = [
    CallbackQueryHandler(full_text_pressed, pattern=r"^full:[0-9]+$"),
    CallbackQueryHandler(page_pressed, pattern=r"^page:[0-9]+:[0-9]+$"),
]
