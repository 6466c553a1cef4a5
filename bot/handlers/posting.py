"""Admins write articles in the chat: /post (a guided draft with a preview), /post URL, /edit,
and a captioned photo starting with /post that publishes at once. The steps of a draft are in
post_steps.py; the draft and the step survive a restart (SqlitePersistence)."""

from __future__ import annotations

import secrets
import warnings
from typing import Any

from telegram import Update
from telegram.ext import (
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import render
from bot.fetch import fetch_page
from bot.handlers.admin import admins_only
from bot.handlers.arguments import article_id
from bot.handlers.draft_refusals import Handlers
from bot.handlers.drafts import (
    cancel_draft,
    chat_of,
    download_photo,
    draft_of,
    preview,
    reply_to,
    with_photo,
)
from bot.handlers.post_steps import STEPS, TITLE
from bot.handlers.questions import close_question, open_questions
from bot.i18n import _
from bot.render import questions as render_questions
from bot.render import steps
from bot.render.errors import error_reason
from bot.services import services
from summaries.articles import check_url, normalize_url, validate
from summaries.errors import NewsbotError
from summaries.models import Draft


@admins_only
async def post_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """/post: a new draft, step by step; /post URL: a draft filled from that page."""
    await _drop_unfinished(update, context)
    if context.user_data is not None:  # the key: publishing it is once
        context.user_data["draft"] = {"key": secrets.token_hex(8), **_beside(context)}
    if context.args:
        return await _draft_from_page(update, context, context.args[0])
    await reply_to(update).reply_text(_(steps.ASK_TITLE))
    return TITLE


async def _draft_from_page(update: Update, context: ContextTypes.DEFAULT_TYPE, url: str) -> int:
    """Fetch and extract the page, show its lead image, then the usual preview."""
    svc, chat = services(context), chat_of(update)
    try:
        check_url(url, "the link")  # a malformed link is refused before "Reading the page"
        svc.store.check_url_free(url)  # stored already, or deleted: say so before fetching
        await reply_to(update).reply_text(_(steps.READING_PAGE))
        fetched = await fetch_page(
            url, now=svc.clock(), allow_loopback=svc.settings.fetch_loopback
        )
        if fetched.draft.url and fetched.draft.url != normalize_url(url):  # a redirect
            svc.store.check_url_free(fetched.draft.url)
    except NewsbotError as error:
        await reply_to(update).reply_text(steps.bad_page(error_reason(error)), parse_mode=None)
        return ConversationHandler.END
    page, draft = fetched.draft, draft_of(context)
    draft |= {
        "title": page.title,
        "body": page.body,
        "url": page.url or "",
        "language": page.language,
    }
    if fetched.published:  # the page's own date; without one, the time it is published
        draft["published_at"] = fetched.published.isoformat()
    if fetched.unsupported_language:
        await reply_to(update).reply_text(
            render.unsupported_language(fetched.unsupported_language), parse_mode=None
        )
    if page.photo:
        sent = await context.bot.send_photo(chat, page.photo, caption=_(steps.LEAD_IMAGE))
        draft["photo_file_id"] = sent.photo[-1].file_id
    return await preview(update, context)


@admins_only
async def edit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """/edit ID: the article as a draft, with its preview and the fields to change."""
    if (wanted := await article_id(update, context, "edit")) is None:
        return None
    article = services(context).store.get(wanted)
    await _drop_unfinished(update, context)
    if context.user_data is not None:
        context.user_data["draft"] = {
            **_beside(context),
            "editing": article.id,
            "version": article.version,
            "title": article.title,
            "body": article.body,
            "photo_caption": article.photo_caption,
            "url": article.url or "",
            "photo_file_id": article.photo_file_id or "",
            "language": article.language,
            "published_at": article.published_at.isoformat(),
        }
    return await preview(update, context)


async def _drop_unfinished(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A new draft replaces the open one: if that one had content, say it is gone."""
    old = (context.user_data or {}).get("draft") or {}
    if old.get("editing") and _unchanged(context, old):
        return  # an edit nobody changed loses nothing
    if old.get("title") or old.get("body") or old.get("editing"):
        text = steps.dropped(old.get("title", ""), editing=old.get("editing"))
        await reply_to(update).reply_text(text, parse_mode=None)


def _unchanged(context: ContextTypes.DEFAULT_TYPE, draft: dict[str, Any]) -> bool:
    """Whether an edit's draft still says what its article says (nothing would be lost)."""
    try:
        article = services(context).store.get(draft["editing"])
    except NewsbotError:  # deleted meanwhile: say the edit went
        return False
    now = (article.title, article.body, article.photo_caption, article.url or "")
    then = tuple(draft.get(k) or "" for k in ("title", "body", "photo_caption", "url"))
    photo = (draft.get("photo_file_id") or "") == (article.photo_file_id or "")
    return now == then and photo and not draft.get("no_photo")


def _beside(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    """The questions open as the draft starts: /cancel in the draft leaves them for later."""
    questions = open_questions(context)
    return {"questions": questions} if questions else {}


def _asked_before(draft: dict[str, Any]) -> set[str]:
    """The questions noted when the draft started (one "question" in drafts saved by an
    older newsbot)."""
    return set(draft.get("questions", [])) | (
        {draft["question"]} if draft.get("question") else set()
    )


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """/cancel: a question asked since the draft began (/delete, /forget, a picker) is the
    one the reader means, so it closes (with any other open, each named) and the draft
    stays; otherwise the draft is dropped.
    """
    if set(open_questions(context)) - _asked_before(draft_of(context)):
        closed = await close_question(update, context) or ""
        await reply_to(update).reply_text(
            f"{closed}\n\n{_(render_questions.DRAFT_STILL_OPEN)}", parse_mode=None
        )
        return None  # the draft stays at its step
    return await cancel_draft(update, context)


@admins_only
async def quick_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo captioned '/post Headline' + lines of text: published at once."""
    message = reply_to(update)
    first, _sep, body = (message.caption or "").partition("\n")
    title = first.removeprefix("/post").strip()
    svc = services(context)
    draft = Draft(
        title=title,
        body=body,
        created_by=str(message.from_user.id) if message.from_user else None,
        draft_key=f"message:{message.chat_id}:{message.message_id}",  # redelivered: once
    )
    now = svc.clock()
    validate(draft, now=now)  # before the download: a bad caption changes nothing
    data = await download_photo(context, message.photo[-1].file_id)
    article = await svc.add_article(with_photo(draft, message.photo[-1].file_id, data), now=now)
    await message.reply_text(steps.done(article.id), reply_markup=render.view_keyboard(article.id))


ENTRY: Handlers = [
    CommandHandler("post", post_command, filters=~filters.UpdateType.EDITED),
    CommandHandler("edit", edit_command, filters=~filters.UpdateType.EDITED),
]
ANYWHERE: Handlers = [
    CommandHandler("cancel", cancel_command),
]


def handlers() -> Handlers:
    """Fresh handlers for one application (a ConversationHandler holds its chats' steps)."""
    with warnings.catch_warnings():  # per_message=False is right: one draft per chat and user
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        conversation: ConversationHandler[ContextTypes.DEFAULT_TYPE] = ConversationHandler(
            entry_points=ENTRY,
            states=STEPS,
            fallbacks=ANYWHERE,
            name="post",
            persistent=True,
            allow_reentry=True,  # /post or /edit again starts over
        )
    quick = MessageHandler(filters.PHOTO & filters.CaptionRegex(r"^/post\b"), quick_post)
    return [quick, conversation]
