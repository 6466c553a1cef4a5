"""Admins write articles in the chat: /post (a guided draft with a preview), /edit, and a
captioned photo starting with /post that publishes at once. The draft and the step survive a
restart (SqlitePersistence)."""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

from telegram import Message, PhotoSize, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import render
from bot.digests import digest_sender
from bot.fetch import fetch_article
from bot.handlers.admin import admins_only
from bot.services import Services, services
from summaries.articles import MAX_TITLE, check_url, validate
from summaries.errors import EditConflictError, InvalidArticleError, NewsbotError
from summaries.models import Article, Draft
from summaries.summarize import summarize

TITLE, BODY, PHOTO, LINK, PREVIEW, FIELD = range(6)
FIELDS = {
    "title": "headline",
    "body": "text",
    "photo_caption": "photo caption",
    "photo": "photo",
    "url": "source link",
}
TEXT = filters.TEXT & ~filters.COMMAND


def _draft(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    """The chat's draft (a plain dict, so it persists as JSON)."""
    chat_data = context.chat_data if context.chat_data is not None else {}
    return chat_data.setdefault("draft", {})  # type: ignore[no-any-return]


def _reply(update: Update) -> Message:
    message = update.effective_message
    if message is None:  # pragma: no cover - every state handler has a message
        raise RuntimeError("no message to answer")
    return message


@admins_only
async def post_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """/post: a new draft, step by step; /post URL: a draft filled from that page."""
    if context.chat_data is not None:
        context.chat_data["draft"] = {}
    if context.args:
        return await _draft_from_page(update, context, context.args[0])
    await _reply(update).reply_text("A new article. Send its headline. (/cancel stops.)")
    return TITLE


async def _draft_from_page(update: Update, context: ContextTypes.DEFAULT_TYPE, url: str) -> int:
    """Fetch and extract the page, show its lead image, then the usual preview."""
    svc, chat = services(context), _chat(update)
    await _reply(update).reply_text("Reading the page…")
    try:
        page = await fetch_article(url, allow_loopback=svc.settings.fetch_loopback)
    except NewsbotError as error:
        await _reply(update).reply_text(f"Can't use that page: {error}.", parse_mode=None)
        return ConversationHandler.END
    draft = _draft(context)
    draft |= {
        "title": page.title,
        "body": page.body,
        "url": page.url or "",
        "language": page.language,
    }
    if page.photo:
        sent = await context.bot.send_photo(chat, page.photo, caption="The page's lead image")
        draft["photo_file_id"] = sent.photo[-1].file_id
    return await _preview(update, context)


@admins_only
async def edit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """/edit ID: the article as a draft, with its preview and the fields to change."""
    args = context.args or []
    if len(args) != 1 or not args[0].isdecimal():
        await _reply(update).reply_text("Which article? Send /edit and its number, e.g. /edit 3")
        return None
    article = services(context).store.get(int(args[0]))
    if context.chat_data is not None:
        context.chat_data["draft"] = {
            "editing": article.id,
            "version": article.version,
            "title": article.title,
            "body": article.body,
            "photo_caption": article.photo_caption,
            "url": article.url or "",
            "photo_file_id": article.photo_file_id or "",
        }
    return await _preview(update, context)


@admins_only
async def got_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The headline; then the text."""
    title = " ".join((_reply(update).text or "").split())
    if len(title) > MAX_TITLE:
        await _reply(update).reply_text(
            f"That headline is too long ({len(title)} characters, "
            f"at most {MAX_TITLE}). Send a shorter one."
        )
        return TITLE
    _draft(context)["title"] = title
    if _draft(context).get("body"):  # editing one field: back to the preview
        return await _preview(update, context)
    await _reply(update).reply_text(
        "Now the text: send it in one message or several (forwarded ones too), then /done."
    )
    return BODY


@admins_only
async def got_body_part(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """One more part of the text."""
    draft = _draft(context)
    draft["body"] = "\n\n".join(p for p in (draft.get("body", ""), _reply(update).text) if p)
    return BODY


@admins_only
async def body_done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/done: the text is complete; then the photo."""
    if not _draft(context).get("body", "").strip():
        await _reply(update).reply_text("The text is empty: send it first, then /done.")
        return BODY
    await _reply(update).reply_text(
        "Send the photo (its caption becomes the photo's caption), or /skip."
    )
    return PHOTO


@admins_only
async def got_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The photo: its file_id now, its bytes when the article is published."""
    message, draft = _reply(update), _draft(context)
    largest: PhotoSize = message.photo[-1]
    draft["photo_file_id"] = largest.file_id
    draft["photo_caption"] = message.caption or draft.get("photo_caption", "")
    if draft.get("editing") or draft.get("asked_link"):
        return await _preview(update, context)
    draft["asked_link"] = True
    await message.reply_text("The source link (https://...), or /skip.")
    return LINK


@admins_only
async def skip_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/skip at the photo step."""
    _draft(context)["asked_link"] = True
    await _reply(update).reply_text("The source link (https://...), or /skip.")
    return LINK


@admins_only
async def got_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The source link; then the preview."""
    try:
        _draft(context)["url"] = check_url(_reply(update).text or "", "the link")
    except InvalidArticleError as error:
        await _reply(update).reply_text(f"{error}. Send a link, or /skip.", parse_mode=None)
        return LINK
    return await _preview(update, context)


@admins_only
async def skip_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/skip at the link step."""
    return await _preview(update, context)


@admins_only
async def wrong_kind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, a file, a voice note... where the draft expects something else."""
    message = _reply(update)
    hint = "Send it as a photo, not as a file." if message.document else "That isn't what I need."
    await message.reply_text(f"{hint} Follow the last question, or /cancel.")


@admins_only
async def preview_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """Publish, Publish and notify, Save, Edit a field, a field, or Cancel."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    await query.answer()
    action = query.data.removeprefix("post:")
    if action == "cancel":
        return await _cancel(update, context)
    if action == "edit":
        await query.edit_message_reply_markup(render.fields_keyboard(FIELDS))
        return PREVIEW
    if action.startswith("field:"):
        field = action.removeprefix("field:")
        if context.chat_data is not None:
            context.chat_data["field"] = field
        await context.bot.send_message(_chat(update), f"Send the new {FIELDS[field]}.")
        return FIELD
    return await _publish(update, context, notify=action == "notify")


@admins_only
async def got_field(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The new value of the field being edited; then the preview again."""
    message, draft = _reply(update), _draft(context)
    field = (context.chat_data or {}).get("field", "title")
    if field == "photo":
        if not message.photo:
            await message.reply_text("Send a photo.")
            return FIELD
        return await got_photo(update, context)
    text = message.text or ""
    if field == "url":
        try:
            text = check_url(text, "the link")
        except InvalidArticleError as error:
            await message.reply_text(f"{error}. Send a link.", parse_mode=None)
            return FIELD
    draft[field] = text
    return await _preview(update, context)


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel at any step: the draft is dropped, nothing is stored."""
    return await _cancel(update, context)


@admins_only
async def quick_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo captioned '/post Headline' + lines of text: published at once."""
    message = _reply(update)
    first, _, body = (message.caption or "").partition("\n")
    title = first.removeprefix("/post").strip()
    svc = services(context)
    draft = Draft(
        title=title, body=body, created_by=str(message.from_user.id) if message.from_user else None
    )
    validate(draft)  # before the download: a bad caption changes nothing
    data = await _download(context, message.photo[-1].file_id)
    article = svc.store.add(_with_photo(draft, message.photo[-1].file_id, data))
    await message.reply_text(
        f"Published as article {article.id}.", reply_markup=render.view_keyboard(article.id)
    )


# Internals


async def _preview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The draft exactly as readers will see it, then what to do with it."""
    svc, draft, chat = services(context), _draft(context), _chat(update)
    try:
        article = _as_article(svc, draft)
        summary = summarize(
            article.body, title=article.title, sentences=3, language=article.language
        )
    except InvalidArticleError as error:
        await context.bot.send_message(
            chat, f"{error}. Fix it with Edit a field, or /cancel.", parse_mode=None
        )
        article, summary = None, []
    if article is not None:
        photo = draft.get("photo_file_id")
        if photo:
            await context.bot.send_photo(chat, photo, caption=render.photo_caption(article))
        text = render.summary_text(article, summary, svc.settings.timezone, with_title=not photo)
        await context.bot.send_message(chat, text)
    await context.bot.send_message(
        chat,
        "That is how readers will see it.",
        reply_markup=render.publish_keyboard(editing=bool(draft.get("editing"))),
    )
    return PREVIEW


async def _publish(update: Update, context: ContextTypes.DEFAULT_TYPE, *, notify: bool) -> int:
    svc, draft, chat = services(context), _draft(context), _chat(update)
    user = update.effective_user
    fields = {k: draft.get(k) or "" for k in ("title", "body", "photo_caption")}
    fields["url"] = draft.get("url") or None
    fields["language"] = draft.get("language") or "english"
    file_id = draft.get("photo_file_id") or None
    if draft.get("editing"):
        changes: dict[str, Any] = dict(fields)
        if file_id and file_id != svc.store.get(draft["editing"]).photo_file_id:
            changes |= {"photo": await _download(context, file_id), "photo_file_id": file_id}
        try:
            article = svc.store.update(
                draft["editing"], expected_version=draft["version"], **changes
            )
        except EditConflictError as error:  # the draft is stale: start again from the article
            await _cancel(update, context, note=f"Not saved: {error}.")
            return ConversationHandler.END
        done = f"Saved article {article.id}."
    else:
        new = Draft(**fields, created_by=str(user.id) if user else None)  # type: ignore[arg-type]
        validate(new)  # before the download
        data = await _download(context, file_id) if file_id else None
        article = svc.store.add(_with_photo(new, file_id, data) if file_id else new)
        done = f"Published as article {article.id}."
    if notify and svc.subscriptions.start_broadcast(article.id, str(user.id) if user else None):
        done += " Breaking news is on its way to the readers who asked for it."
        context.application.create_task(digest_sender(context).run_round(context.bot))
    if context.chat_data is not None:
        context.chat_data.pop("draft", None)
    await context.bot.send_message(chat, done, reply_markup=render.view_keyboard(article.id))
    return ConversationHandler.END


async def _cancel(
    update: Update, context: ContextTypes.DEFAULT_TYPE, note: str = "Cancelled"
) -> int:
    if context.chat_data is not None:
        context.chat_data.pop("draft", None)
    await context.bot.send_message(
        _chat(update),
        f"{note}; nothing was stored." if note == "Cancelled" else note,
        parse_mode=None,
    )
    return ConversationHandler.END


def _as_article(svc: Services, draft: dict[str, Any]) -> Article:
    """The draft, checked, as the Article it will become (id 0 until stored)."""
    checked = validate(
        Draft(
            title=draft.get("title", ""),
            body=draft.get("body", ""),
            url=draft.get("url") or None,
            photo_caption=draft.get("photo_caption", ""),
            language=draft.get("language") or "english",
        )
    )
    now = svc.clock()
    return Article(
        id=draft.get("editing", 0),
        title=checked.title,
        body=checked.body,
        language=checked.language,
        url=checked.url,
        has_photo=bool(draft.get("photo_file_id")),
        photo_url=None,
        photo_file_id=draft.get("photo_file_id") or None,
        photo_caption=checked.photo_caption,
        photo_credit="",
        published_at=now,
        created_by=None,
        updated_at=now,
    )


def _with_photo(draft: Draft, file_id: str | None, data: bytes | None) -> Draft:
    return dataclasses.replace(draft, photo=data, photo_file_id=file_id)


async def _download(context: ContextTypes.DEFAULT_TYPE, file_id: str) -> bytes:
    """The photo's bytes, kept in the store so the article outlives a change of bot token."""
    telegram_file = await context.bot.get_file(file_id)
    return bytes(await telegram_file.download_as_bytearray())


def _chat(update: Update) -> int:
    if update.effective_chat is None:  # pragma: no cover - admin updates come from chats
        raise RuntimeError("no chat")
    return update.effective_chat.id


Handlers = list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, Any]]
ENTRY: Handlers = [
    CommandHandler("post", post_command, filters=~filters.UpdateType.EDITED),
    CommandHandler("edit", edit_command, filters=~filters.UpdateType.EDITED),
]
STEPS: dict[object, Handlers] = {
    TITLE: [MessageHandler(TEXT, got_title)],
    BODY: [MessageHandler(TEXT, got_body_part), CommandHandler("done", body_done)],
    PHOTO: [MessageHandler(filters.PHOTO, got_photo), CommandHandler("skip", skip_photo)],
    LINK: [MessageHandler(TEXT, got_link), CommandHandler("skip", skip_link)],
    PREVIEW: [CallbackQueryHandler(preview_button, pattern=r"^post:")],
    FIELD: [MessageHandler(TEXT | filters.PHOTO, got_field)],
}
ANYWHERE: Handlers = [
    CommandHandler("cancel", cancel_command),
    MessageHandler(~filters.COMMAND & ~filters.UpdateType.EDITED, wrong_kind),
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
