"""Sending one article to a chat: captioned photo, then the summary with its buttons."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot import render
from bot.i18n import _
from bot.ratelimit import OnTheWire, leaving, may_have_arrived
from bot.services import Services
from summaries.models import Article

logger = logging.getLogger(__name__)


async def send_article(
    bot: ExtBot[Any],
    chat_id: int,
    article_id: int,
    svc: Services,
    *,
    on_the_wire: OnTheWire | None = None,
) -> None:
    """The article's photo (if any) captioned with its headline, then its summary.

    A reader's own request counts as a read. Breaking news (sent with an `on_the_wire` hook,
    as digests are: marked as each request leaves, never retried after a timeout) does not.
    """
    breaking = on_the_wire is not None
    article = svc.store.get(article_id)  # ArticleNotFoundError: the error handler answers
    summary = await svc.summary(article)
    photo_sent = article.has_any_photo and await send_photo(
        bot, chat_id, article, svc, on_the_wire=on_the_wire
    )
    label = _("🔴 Breaking news") if breaking else ""
    text = render.summary_text(
        article, summary, svc.settings.timezone, with_title=not photo_sent, label=label
    )
    next_one = svc.store.next_older(article) is not None
    with leaving(on_the_wire):
        await bot.send_message(
            chat_id, text, reply_markup=render.article_keyboard(article, has_next=next_one)
        )
    if not breaking:
        svc.activity.count_read(
            article.id, now=svc.clock()
        )  # after the reply: the reader never waits for it


async def send_photo(
    bot: ExtBot[Any],
    chat_id: int,
    article: Article,
    svc: Services,
    *,
    on_the_wire: OnTheWire | None = None,
    remember: bool = True,
) -> bool:
    """Send the photo, preferring Telegram's cached file_id; False if Telegram refused it.

    A refused photo must not stop the summary: the caller then puts the headline in the text.
    Nor must a photo whose answer never came: it was most likely shown, and it is not resent.
    """
    for source in _photo_sources(article, svc):
        try:
            with leaving(on_the_wire):  # each source its own request: a refused one is undone
                message = await bot.send_photo(
                    chat_id, source, caption=render.photo_caption(article)
                )
        except BadRequest as error:  # a stale file_id (new bot token) or an image it rejects
            logger.warning("photo of article %s refused: %s", article.id, error.message)
            continue
        except TelegramError as error:
            if not may_have_arrived(error):
                raise
            logger.info(
                "photo of article %s: no answer in time (%s); on to the summary", article.id, error
            )
            return True  # it most likely arrived: the summary follows it, as usual
        if remember:  # not for a draft's preview: the article isn't what it shows yet
            _remember_file_id(message, article, svc)
        return True
    return False


def _remember_file_id(message: Message, article: Article, svc: Services) -> None:
    """Keep the file_id Telegram gave an upload, so the image is uploaded only once."""
    if message.photo and message.photo[-1].file_id != article.photo_file_id:
        svc.store.set_photo_file_id(article.id, message.photo[-1].file_id)


async def send_messages(
    bot: ExtBot[Any], chat_id: int, messages: Iterable[tuple[str, InlineKeyboardMarkup | None]]
) -> None:
    """A reply of several messages. One that got no answer in time almost always arrived, so
    the rest still follow; any other failure ends the reply, as it would a single message."""
    for text, markup in messages:
        try:
            await bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramError as error:
            if not may_have_arrived(error):
                raise
            logger.info("a part of a reply to %s got no answer in time: %s", chat_id, error)


class PhotoStore(Protocol):
    """Where a photo's bytes are kept and its Telegram file_id remembered (the ArticleStore)."""

    def photo(self, article_id: int) -> bytes | None:
        """The stored image bytes, if any."""

    def set_photo_file_id(self, article_id: int, file_id: str) -> None:
        """Remember the file_id Telegram gave the photo."""


def _photo_sources(article: Article, svc: Services) -> Iterator[str | bytes]:
    return photo_sources(article, svc.store)


def photo_sources(article: Article, photos: PhotoStore) -> Iterator[str | bytes]:
    """Telegram's file_id, then the stored bytes, then the link: each only if the one before
    was refused, so the bytes (up to 10 MB) are read from the database only when needed."""
    if article.photo_file_id:
        yield article.photo_file_id
    if article.has_photo and (data := photos.photo(article.id)) is not None:
        yield data
    if article.photo_url:
        yield article.photo_url
