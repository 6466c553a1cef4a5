"""A post in a channel or group: sent once, corrected in place, deleted or withdrawn.

Functions of plain values (chat id, thread id, the article, its rendered ChannelPost); the
caller keeps the ledger. Each request runs inside `leaving(on_the_wire)`, so the ledger is
marked as it leaves. Edits are idempotent ("message is not modified" is success), so an edit
in flight at a crash is safe to repeat; a send is not, and a failure after a message went
out carries the messages already sent (`PostError.sent`), never to be sent again.

Edit rules (the messages are kept; the layout changes only as far as it must):
  - the photo message: its caption (editMessageCaption) while it shows the article's
    file_id, else the new photo and caption (editMessageMedia); the keyboard if it is last;
  - the text message: editMessageText with the keyboard;
  - the summary outgrew the caption: the photo's caption shrinks, a text message follows;
  - the summary fits the caption again: the text message is deleted (past 48 hours, when
    Telegram refuses, it is edited to the caption's words, without the keyboard);
  - a photo added: the text message becomes the photo (the Bot API's editMessageMedia may
    "add media to text messages"), and a text message follows if the summary needs one;
  - the photo removed: its message is deleted (past 48 hours it stays: no edit removes a
    photo), the text message, kept or sent, carries the post.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from telegram import InlineKeyboardMarkup, InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot import i18n
from bot.delivery.article import PhotoStore, photo_sources
from bot.ratelimit import (
    OnTheWire,
    floods_answered_by_caller,
    leaving,
    may_have_arrived,
    retry_seconds,
)
from bot.render.channel import ChannelPost, withdrawn_caption, withdrawn_text
from summaries.models import Article

logger = logging.getLogger(__name__)

Kind = Literal["photo", "text"]
ErrorKind = Literal[
    "rights", "topic-gone", "topic-closed", "migrated", "retry", "gone", "in-doubt", "failed"
]
HTML = ParseMode.HTML
NOT_MODIFIED = "message is not modified"
CANT_DELETE = "message can't be deleted"
NOT_FOUND = ("message to edit not found", "message to delete not found")
# Telegram's words when the bot may no longer write there: the outlet must pause.
NO_RIGHTS = (
    "need administrator rights",
    "not enough rights",
    "have no rights",
    "chat_write_forbidden",
)
# A forum topic the post goes to: deleted (or never there), or closed to all but managers.
TOPIC_GONE = ("message thread not found", "topic_deleted")
TOPIC_CLOSED = "topic_closed"


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One message of a post; `file_id` is the photo it shows (None: a text, or not known)."""

    message_id: int
    kind: Kind
    file_id: str | None = None


class PostError(Exception):
    """A post's request Telegram refused or never answered, as the caller must act on it:

    rights (pause the chat's outlets), topic-gone / topic-closed (pause the outlet of that
    forum topic: deleted, or closed), migrated (`new_chat_id`), retry (after `retry_after`
    seconds), gone (a message was deleted by the chat: stop editing the post), in-doubt (no
    answer: it may have arrived, never resend), failed (anything else). `sent` holds the
    post's messages as they stand: those already sent are never sent again.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        sent: Sequence[SentMessage] = (),
        new_chat_id: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind, self.message, self.sent = kind, message, tuple(sent)
        self.new_chat_id, self.retry_after = new_chat_id, retry_after


def error_kind(error: TelegramError) -> ErrorKind:
    """What a refused (or unanswered) request means for the outlet and the post."""
    words = error.message.lower()
    if isinstance(error, ChatMigrated):
        return "migrated"
    if isinstance(error, RetryAfter):
        return "retry"
    if isinstance(error, Forbidden) or any(w in words for w in NO_RIGHTS):
        return "rights"
    if any(w in words for w in TOPIC_GONE):
        return "topic-gone"
    if TOPIC_CLOSED in words:
        return "topic-closed"
    return _not_refused(error, words)


def _not_refused(error: TelegramError, words: str) -> ErrorKind:
    """The kinds that don't stop an outlet: a message gone, no answer, anything else."""
    if any(w in words for w in NOT_FOUND):
        return "gone"
    return "in-doubt" if may_have_arrived(error) else "failed"


def post_error(error: TelegramError, sent: Sequence[SentMessage] = ()) -> PostError:
    """The PostError for a TelegramError, with the post's messages as they stand."""
    return PostError(
        error_kind(error), error.message, sent=sent,
        new_chat_id=error.new_chat_id if isinstance(error, ChatMigrated) else None,
        retry_after=retry_seconds(error) if isinstance(error, RetryAfter) else None,
    )  # fmt: skip


@contextmanager
def _classified(sent: Sequence[SentMessage]) -> Iterator[None]:
    """Telegram's errors as PostErrors; a 429 comes back at once (kind "retry") for the
    poster to hold the chat, never waited out in the request while other chats wait."""
    try:
        with floods_answered_by_caller():
            yield
    except TelegramError as error:
        raise post_error(error, list(sent)) from error


async def send_post(
    bot: ExtBot[Any],
    chat_id: int,
    thread_id: int | None,
    article: Article,
    post: ChannelPost,
    *,
    photos: PhotoStore,
    on_the_wire: OnTheWire | None = None,
    on_message: Callable[[SentMessage], None] | None = None,
) -> list[SentMessage]:
    """Send the post: its photo (from file_id, stored bytes or link; a new file_id is kept),
    then its text. A failure after the photo went out carries the photo (PostError.sent).
    `on_message` is told of the photo as soon as it is back, before the text leaves (so a
    crash then still knows which message to correct)."""
    sent: list[SentMessage] = []
    last = post.keyboard
    if post.photo:
        markup = None if post.text is not None else last
        with _classified(sent):
            sent.append(
                await _photo(bot, chat_id, article, post.caption, markup, photos,
                             on_the_wire, thread_id=thread_id)
            )  # fmt: skip
        if on_message is not None and post.text is not None:
            on_message(sent[-1])
    if post.text is not None:
        with _classified(sent):
            sent.append(await _text(bot, chat_id, thread_id, post.text, last, on_the_wire))
    return sent


async def edit_post(
    bot: ExtBot[Any],
    chat_id: int,
    thread_id: int | None,
    article: Article,
    post: ChannelPost,
    messages: Sequence[SentMessage],
    *,
    photos: PhotoStore,
    on_the_wire: OnTheWire | None = None,
) -> list[SentMessage]:
    """Bring the post's messages in line with `post` (the module's edit rules); returns the
    messages the post is now made of. PostError kind "gone": an admin deleted one of them."""
    old_photo = next((m for m in messages if m.kind == "photo"), None)
    old_text = next((m for m in messages if m.kind == "text"), None)
    now: list[SentMessage] = []
    with _classified(now):
        if post.photo:
            markup = None if post.text is not None else post.keyboard
            shown = old_photo or old_text  # a text message can become the photo
            if shown is None:
                raise PostError("gone", "the post has no messages to edit")
            if shown is old_text:
                old_text = None
            now.append(
                await _edit_photo(bot, chat_id, article, post.caption, markup, shown, photos,
                                  on_the_wire)
            )  # fmt: skip
        elif old_photo is not None:
            await _delete(bot, chat_id, old_photo.message_id, on_the_wire)  # refused: it stays
        if post.text is not None:
            if old_text is None:
                now.append(
                    await _text(bot, chat_id, thread_id, post.text, post.keyboard, on_the_wire)
                )
            else:
                await _edit_text(bot, chat_id, old_text.message_id, post.text, post.keyboard,
                                 on_the_wire)  # fmt: skip
                now.append(old_text)
        elif (
            old_text is not None
            and await _delete(bot, chat_id, old_text.message_id, on_the_wire) == "refused"
        ):
            await _edit_text(bot, chat_id, old_text.message_id, post.caption or "", None,
                                 on_the_wire)  # fmt: skip
            now.append(old_text)
    return sorted(now, key=lambda m: m.message_id)


async def delete_post(
    bot: ExtBot[Any],
    chat_id: int,
    article: Article,
    messages: Sequence[SentMessage],
    *,
    on_the_wire: OnTheWire | None = None,
) -> Literal["deleted", "withdrawn", "gone"]:
    """Delete each message; one Telegram won't delete (older than 48 hours, or in a group
    since upgraded) is edited to say the story was withdrawn, without its keyboard. "gone":
    none was there any more."""
    outcomes: list[str] = []
    with _classified(messages):
        for message in messages:
            outcome = await _delete(bot, chat_id, message.message_id, on_the_wire)
            if outcome == "refused":
                outcomes.append(await _withdraw(bot, chat_id, article, message, on_the_wire))
            else:
                outcomes.append(outcome)
    if "withdrawn" in outcomes:
        return "withdrawn"
    return "deleted" if "deleted" in outcomes else "gone"


# The requests.


async def _photo(
    bot: ExtBot[Any],
    chat_id: int,
    article: Article,
    caption: str | None,
    markup: InlineKeyboardMarkup | None,
    photos: PhotoStore,
    on_the_wire: OnTheWire | None,
    *,
    thread_id: int | None = None,
    replacing: int | None = None,
) -> SentMessage:
    """sendPhoto (or editMessageMedia of message `replacing`) from each source in turn, the
    next only if Telegram refused this one; the file_id Telegram gives is remembered."""
    refused: BadRequest | None = None
    for source in photo_sources(article, photos):
        try:
            with leaving(on_the_wire):
                if replacing is None:
                    message = await bot.send_photo(
                        chat_id, source, caption=caption, parse_mode=HTML,
                        reply_markup=markup, message_thread_id=thread_id,
                    )  # fmt: skip
                else:
                    media = InputMediaPhoto(source, caption=caption, parse_mode=HTML)
                    edited = await bot.edit_message_media(
                        media, chat_id, replacing, reply_markup=markup
                    )
                    if not isinstance(edited, Message):  # pragma: no cover - inline edits only
                        raise PostError("failed", "editMessageMedia answered without a message")
                    message = edited
        except BadRequest as error:
            if error_kind(error) != "failed" or NOT_MODIFIED in error.message.lower():
                raise  # the chat refuses (not this source), or the photo is already shown
            logger.warning("photo of article %s refused: %s", article.id, error.message)
            refused = error
            continue
        file_id = message.photo[-1].file_id
        if file_id != article.photo_file_id:
            photos.set_photo_file_id(article.id, file_id)
        return SentMessage(message.message_id, "photo", file_id)
    if refused is not None:
        raise refused
    raise PostError("failed", f"article {article.id} has no photo to send")


async def _edit_photo(
    bot: ExtBot[Any],
    chat_id: int,
    article: Article,
    caption: str | None,
    markup: InlineKeyboardMarkup | None,
    shown: SentMessage,
    photos: PhotoStore,
    on_the_wire: OnTheWire | None,
) -> SentMessage:
    """The caption alone while the message shows the article's file_id; else the photo too."""
    try:
        if shown.kind == "photo" and shown.file_id and shown.file_id == article.photo_file_id:
            with leaving(on_the_wire):
                await bot.edit_message_caption(
                    chat_id, shown.message_id, caption=caption, parse_mode=HTML,
                    reply_markup=markup,
                )  # fmt: skip
            return shown
        return await _photo(bot, chat_id, article, caption, markup, photos, on_the_wire,
                            replacing=shown.message_id)  # fmt: skip
    except BadRequest as error:
        if NOT_MODIFIED not in error.message.lower():
            raise
        return SentMessage(shown.message_id, "photo", shown.file_id or article.photo_file_id)


async def _text(
    bot: ExtBot[Any],
    chat_id: int,
    thread_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None,
    on_the_wire: OnTheWire | None,
) -> SentMessage:
    with leaving(on_the_wire):
        message = await bot.send_message(
            chat_id, text, parse_mode=HTML, reply_markup=markup, message_thread_id=thread_id
        )
    return SentMessage(message.message_id, "text")


async def _edit_text(
    bot: ExtBot[Any],
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    on_the_wire: OnTheWire | None,
) -> None:
    try:
        with leaving(on_the_wire):
            await bot.edit_message_text(
                text, chat_id, message_id, parse_mode=HTML, reply_markup=markup
            )
    except BadRequest as error:
        if NOT_MODIFIED not in error.message.lower():
            raise  # "not modified": the edit arrived already


async def _delete(
    bot: ExtBot[Any], chat_id: int, message_id: int, on_the_wire: OnTheWire | None
) -> Literal["deleted", "refused", "gone"]:
    """deleteMessage: "refused" when Telegram won't (older than 48 hours, or the group was
    upgraded to a supergroup: deleting needs write access there, editing does not), "gone"
    if deleted."""
    try:
        with leaving(on_the_wire):
            await bot.delete_message(chat_id, message_id)
    except ChatMigrated:
        return "refused"  # its messages stay in the old group, where they can still be edited
    except BadRequest as error:
        words = error.message.lower()
        if CANT_DELETE in words:
            return "refused"
        if "message to delete not found" in words:
            return "gone"
        raise
    return "deleted"


async def _withdraw(
    bot: ExtBot[Any],
    chat_id: int,
    article: Article,
    message: SentMessage,
    on_the_wire: OnTheWire | None,
) -> Literal["withdrawn", "gone"]:
    """Say the story was withdrawn in a message that can't be deleted, keyboard removed."""
    with i18n.using(i18n.of_article(article.language)):  # the story's language, as its post's
        text, caption = withdrawn_text(article), withdrawn_caption(article)
    try:
        if message.kind == "text":
            await _edit_text(bot, chat_id, message.message_id, text, None,
                             on_the_wire)  # fmt: skip
        else:
            try:
                with leaving(on_the_wire):
                    await bot.edit_message_caption(
                        chat_id, message.message_id, caption=caption,
                        parse_mode=HTML,
                    )  # fmt: skip
            except BadRequest as error:
                if NOT_MODIFIED not in error.message.lower():
                    raise
    except BadRequest as error:
        if error_kind(error) == "gone":
            return "gone"
        raise
    return "withdrawn"
