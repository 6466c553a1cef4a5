"""An admin's draft: kept per admin (user_data, even in a group), previewed, then published.

The steps that fill it are in post_steps.py; this is what they share.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes, ConversationHandler

from bot import render
from bot.delivery.article import send_photo
from bot.i18n import _
from bot.render import steps
from bot.render.errors import error_reason
from bot.services import Services, digest_sender, services
from summaries.articles import validate
from summaries.corrections import Corrections
from summaries.errors import EditConflictError, InvalidArticleError, NewsbotError
from summaries.models import Article, Draft

PREVIEW = 4  # the conversation's preview state (post_steps.py numbers them all)


def draft_of(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    """The chat's draft (a plain dict, so it persists as JSON)."""
    chat_data = context.user_data if context.user_data is not None else {}
    return chat_data.setdefault("draft", {})  # type: ignore[no-any-return]


def editing_field(context: ContextTypes.DEFAULT_TYPE) -> str:
    """The field chosen with Edit a field, until the preview shows its new value ('' if none)."""
    return str(draft_of(context).get("field") or "")


def reply_to(update: Update) -> Message:
    """The message to answer (every step of the draft has one)."""
    message = update.effective_message
    if message is None:  # pragma: no cover - every state handler has a message
        raise RuntimeError("no message to answer")
    return message


async def preview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The draft exactly as readers will see it, then what to do with it."""
    svc, draft, chat = services(context), draft_of(context), chat_of(update)
    draft.pop("field", None)  # a field being changed is done: back at the preview
    try:
        article = as_article(svc, draft)
        summary = await svc.preview_summary(article)
    except InvalidArticleError as error:
        await context.bot.send_message(
            chat,
            steps.fix_it(error_reason(error)),
            parse_mode=None,
        )
        article, summary = None, []
    if article is not None:
        photo = article.has_any_photo and await send_photo(
            context.bot, chat, article, svc, remember=False
        )
        text = render.summary_text(article, summary, svc.settings.timezone, with_title=not photo)
        await context.bot.send_message(chat, text)
    await context.bot.send_message(
        chat,
        _(steps.PREVIEW_NOTE),
        reply_markup=render.publish_keyboard(editing=bool(draft.get("editing"))),
    )
    return PREVIEW


async def publish(update: Update, context: ContextTypes.DEFAULT_TYPE, *, notify: bool) -> int:
    """Store the draft (new, or over the article it edits); with notify, as breaking news."""
    svc, draft, chat = services(context), draft_of(context), chat_of(update)
    user, now = update.effective_user, svc.clock()
    fields = {k: draft.get(k) or "" for k in ("title", "body", "photo_caption")}
    fields["url"] = draft.get("url") or None
    fields["language"] = draft.get("language") or ""  # none: told from the text
    file_id = draft.get("photo_file_id") or None
    if draft.get("editing"):
        changes: dict[str, Any] = dict(fields)
        if draft.get("no_photo") and not file_id:  # /remove: no photo, caption or credit
            changes["drop_photo"] = True
        elif file_id and file_id != svc.store.get(draft["editing"]).photo_file_id:
            changes |= {"photo": await download_photo(context, file_id), "photo_file_id": file_id}
        try:
            article = await svc.update_article(
                draft["editing"], now=now, expected_version=draft["version"], **changes
            )
        except EditConflictError as error:  # the draft is stale: start again from the article
            await cancel_draft(update, context, note=steps.not_saved(error_reason(error)))
            return ConversationHandler.END
        saved, unchanged = True, article.version == draft["version"]
    else:
        new = Draft(
            **fields,  # type: ignore[arg-type]
            published_at=_published(draft),  # a page's own date (/post URL); else now
            created_by=str(user.id) if user else None,
            draft_key=draft.get("key"),
        )
        validate(new, now=now)  # before the download
        data = await download_photo(context, file_id) if file_id else None
        article = await svc.add_article(
            with_photo(new, file_id, data) if file_id else new, now=now
        )
        saved = unchanged = False
    created_by = str(user.id) if user else None
    notified = notify and svc.deliveries.start_broadcast(article.id, created_by, now=now)
    corrected = None
    if saved and draft.get("correction"):  # told by the next digest round (bot/digest_round.py)
        Corrections(svc.store.db).mark(article.id, draft["correction"], created_by, now=now)
        corrected = Corrections(svc.store.db).readers_of(article.id)
    if notified:
        context.application.create_task(digest_sender(context).run_round(context.bot))
    if context.user_data is not None:
        context.user_data.pop("draft", None)
    done = steps.done(
        article.id, saved=saved, notified=notified, corrected=corrected, unchanged=unchanged
    )
    await context.bot.send_message(chat, done, reply_markup=render.view_keyboard(article.id))
    return ConversationHandler.END


async def cancel_draft(update: Update, context: ContextTypes.DEFAULT_TYPE, note: str = "") -> int:
    """Drop the draft and end the conversation; nothing is stored (`note`: why, translated;
    none: "Cancelled")."""
    if context.user_data is not None:
        context.user_data.pop("draft", None)
    await context.bot.send_message(
        chat_of(update),
        note or _(steps.DRAFT_CANCELLED),
        parse_mode=None,
    )
    return ConversationHandler.END


def as_article(svc: Services, draft: dict[str, Any]) -> Article:
    """The draft, checked, as the Article it will become (id 0 until stored)."""
    now = svc.clock()
    checked = validate(
        Draft(
            title=draft.get("title", ""),
            body=draft.get("body", ""),
            url=draft.get("url") or None,
            photo_caption=draft.get("photo_caption", ""),
            language=draft.get("language") or "",
            published_at=_published(draft),
        ),
        now=now,
    )
    new_photo = draft.get("photo_file_id") or None
    old = svc.store.get(draft["editing"]) if draft.get("editing") else None
    if draft.get("no_photo") and old is not None:  # /remove: the old photo is not shown
        old = dataclasses.replace(
            old, has_photo=False, photo_url=None, photo_file_id=None, photo_credit=""
        )
    return Article(
        id=draft.get("editing", 0),
        title=checked.title,
        body=checked.body,
        language=checked.language,
        url=checked.url,
        has_photo=bool(new_photo) or bool(old and old.has_photo),
        photo_url=old.photo_url if old else None,
        photo_file_id=new_photo or (old.photo_file_id if old else None),
        photo_caption=checked.photo_caption,
        photo_credit=old.photo_credit if old else "",
        published_at=checked.published_at or now,
        created_by=None,
        updated_at=now,
    )


def _published(draft: dict[str, Any]) -> datetime | None:
    """The draft's publication time, if it has one (a page's date, or the edited article's)."""
    return datetime.fromisoformat(draft["published_at"]) if draft.get("published_at") else None


def with_photo(draft: Draft, file_id: str | None, data: bytes | None) -> Draft:
    """The draft with its photo's bytes and Telegram file_id."""
    return dataclasses.replace(draft, photo=data, photo_file_id=file_id)


class PhotoDownloadError(NewsbotError):
    """Telegram did not hand the photo over: nothing was stored, the draft is kept."""


async def download_photo(context: ContextTypes.DEFAULT_TYPE, file_id: str) -> bytes:
    """The photo's bytes, kept in the store so the article outlives a change of bot token."""
    try:
        telegram_file = await context.bot.get_file(file_id)
        return bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:
        raise PhotoDownloadError(steps.photo_not_handed_over(error.message)) from error


def chat_of(update: Update) -> int:
    """The chat the admin writes in."""
    if update.effective_chat is None:  # pragma: no cover - admin updates come from chats
        raise RuntimeError("no chat")
    return update.effective_chat.id
