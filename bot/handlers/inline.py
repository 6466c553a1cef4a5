"""Inline mode: `@bot words` in any chat offers matching articles to post."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.ext import ContextTypes, InlineQueryHandler

from bot import render
from bot.i18n import pgettext
from bot.services import services
from summaries.errors import ArticleNotFoundError
from summaries.fts import fts_query
from summaries.models import Article
from summaries.text import normalize

MAX_RESULTS = 20


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Articles matching the query (an id, words, or nothing for the latest) as results."""
    query = update.inline_query
    if query is None:
        return
    store, text = services(context).store, normalize(query.query).strip()
    articles: list[Article]
    if text.isdecimal():  # the Share button puts the article's id here
        try:
            articles = [store.get(int(text))]
        except ArticleNotFoundError:
            articles = []
    elif text and fts_query(text) is None:  # only emoji or punctuation: say so, above
        button = InlineQueryResultsButton(render.no_words(text), start_parameter="search")
        await query.answer([], cache_time=30, button=button)
        return
    else:
        articles = store.search(text, MAX_RESULTS) if text else store.latest(MAX_RESULTS)
    results = [await _result(article, context) for article in articles]
    await query.answer(results, cache_time=30)


async def _result(
    article: Article, context: ContextTypes.DEFAULT_TYPE
) -> InlineQueryResultArticle:
    svc = services(context)
    summary = await svc.summary(article)
    link = f"https://t.me/{context.bot.username}?start={article.id}"
    return InlineQueryResultArticle(
        id=str(article.id),
        title=render.clip(article.title, 200),
        description=render.clip(" ".join(summary), 200),
        input_message_content=InputTextMessageContent(
            render.summary_text(article, summary, svc.settings.timezone, with_title=True)
        ),
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(pgettext("button", "Open in the bot"), url=link)]]
        ),
    )


HANDLERS = [InlineQueryHandler(inline_query)]
