"""Reading: /read, /latest, /search, and the article and list buttons."""

from __future__ import annotations

import secrets
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot import render
from bot.delivery.article import send_article
from bot.handlers.arguments import article_id
from bot.handlers.buttons import acknowledge
from bot.i18n import _
from bot.services import services
from summaries.fts import fts_query

MESSAGES = filters.UpdateType.MESSAGE  # commands in edited messages are not commands again
MAX_SAVED_SEARCHES = 20


async def read_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/read <id>: the article's captioned photo, then its summary."""
    message = update.effective_message
    if message is None or (wanted := await article_id(update, context, "read")) is None:
        return
    await send_article(context.bot, message.chat_id, wanted, services(context))


async def latest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/latest: the newest headlines as buttons."""
    if update.effective_message is None:
        return
    text, markup = _latest_page(context, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def search_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/search <words>: matching headlines as buttons."""
    if update.effective_message is None:
        return
    query = " ".join(context.args or [])
    if not query.strip():
        await update.effective_message.reply_text(_(render.SEARCH_FOR_WHAT))
        return
    await search_reply(update, context, query)


async def search_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, query: str) -> None:
    """Answer a search (from /search or plain text) with the first page of results."""
    if update.effective_message is None:
        return
    if fts_query(query) is None:  # only punctuation or emoji: nothing to look for
        await update.effective_message.reply_text(render.no_words(query), parse_mode=None)
        return
    key = _save_search(context.chat_data, query)
    text, markup = _search_page(context, key, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every article and list button: read, next, and list pages (full text: pages.py)."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    await acknowledge(query)  # before the work: Telegram wants an answer within seconds
    action, _sep, arg = query.data.partition(":")
    svc, chat_id = services(context), query.message.chat.id
    if action == "read":
        await send_article(context.bot, chat_id, int(arg), svc)
    elif action == "next":
        older = svc.store.next_older(svc.store.get(int(arg)))
        if older is None:
            await context.bot.send_message(chat_id, _(render.OLDEST_ARTICLE))
        else:
            await send_article(context.bot, chat_id, older.id, svc)
    else:
        await _turn_page(update, context, action, arg)


async def _turn_page(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, arg: str
) -> None:
    """« Newer / Older under a list: the same message shows the other page."""
    if update.callback_query is None:
        return
    if action == "latest":
        text, markup = _latest_page(context, int(arg))
    else:
        key, _sep, offset = arg.partition(":")
        text, markup = _search_page(context, key, int(offset))
    try:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:  # a stale page pressed again: the list already shows it
        if "not modified" not in error.message:
            raise


def _latest_page(context: ContextTypes.DEFAULT_TYPE, offset: int) -> tuple[str, Any]:
    store = services(context).store
    articles = store.latest(render.PAGE_SIZE + 1, offset)
    if not articles and offset > 0:  # past the end (articles deleted since): the first page
        offset, articles = 0, store.latest(render.PAGE_SIZE + 1, 0)
    if not articles:
        return _(render.NO_NEWS_YET), None
    shown = articles[: render.PAGE_SIZE]
    markup = render.list_keyboard(
        shown, page_data="latest", offset=offset, has_more=len(articles) > render.PAGE_SIZE
    )
    return render.latest_heading(offset, len(shown)), markup


def _save_search(chat_data: dict[Any, Any] | None, query: str) -> str:
    """Keep the query in chat_data under a short key: callback data can't hold the text."""
    if chat_data is None:
        return "0"
    saved: dict[str, str] = chat_data.setdefault("searches", {})
    key = secrets.token_hex(3)  # random: an old message's key can't name a newer search
    saved[key] = query[:500]
    for old in list(saved)[:-MAX_SAVED_SEARCHES]:
        del saved[old]
    return key


def _search_page(context: ContextTypes.DEFAULT_TYPE, key: str, offset: int) -> tuple[str, Any]:
    query = (context.chat_data or {}).get("searches", {}).get(key)
    if query is None:
        return _(render.SEARCH_EXPIRED), None
    found = services(context).store.search(query, render.PAGE_SIZE + 1, offset)
    if not found:
        return render.nothing_found(query), None
    shown = found[: render.PAGE_SIZE]
    markup = render.list_keyboard(
        shown, page_data=f"s:{key}", offset=offset, has_more=len(found) > render.PAGE_SIZE
    )
    heading = render.search_heading(query, offset, len(shown))
    return heading, markup


HANDLERS = [
    CommandHandler("read", read_command, filters=MESSAGES),
    CommandHandler("latest", latest_command, filters=MESSAGES),
    CommandHandler("search", search_command, filters=MESSAGES),
    CallbackQueryHandler(button_pressed, pattern=r"^(read|next|latest):\d+$|^s:\w+:\d+$"),
]
