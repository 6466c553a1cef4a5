"""Error handlers: domain errors become replies, blocked chats are noted, the rest is logged."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import render
from bot.i18n import N_, _
from bot.ratelimit import may_have_arrived
from bot.render.errors import error_text
from bot.services import services
from summaries.errors import ArticleNotFoundError, DeletedArticleError, NewsbotError

logger = logging.getLogger(__name__)

SORRY = N_("Sorry, something went wrong on my side. Please try again in a moment.")


async def on_domain_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An expected error: tell the user what happened, in words (theirs), and stop there."""
    error = context.error
    if isinstance(error, DeletedArticleError):  # /post URL of a deleted article
        await _tell(update, context, render.deleted_article(error.article_id))
    elif isinstance(error, ArticleNotFoundError | NewsbotError):
        await _tell(update, context, error_text(error))
    elif isinstance(error, TelegramError) and may_have_arrived(error):
        # No answer in time, but the reply most likely arrived: no apology after it.
        logger.warning("a reply to update %s got no answer in time: %s", _update_id(update), error)
    elif isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_chat:
        # The user blocked the bot: note it and write no more; retrying would only fail again.
        logger.info("chat %s blocked the bot", update.effective_chat.id)
        svc = services(context)
        svc.subscriptions.mark_blocked(update.effective_chat.id, now=svc.clock())
    else:
        return
    raise ApplicationHandlerStop


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything else: log it with the update id, and apologise to the user."""
    logger.error("update %s failed", _update_id(update), exc_info=context.error)
    await _tell(update, context, _(SORRY))


def _update_id(update: object) -> int | None:
    return update.update_id if isinstance(update, Update) else None


async def _tell(update: object, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Reply in the update's chat; never raise from here."""
    if not isinstance(update, Update):
        return
    if update.effective_chat is None or update.inline_query:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, text, parse_mode=None)
    except TelegramError as error:
        logger.warning("could not tell update %s about an error: %s", update.update_id, error)
