"""Admins write articles in the chat: /post (a guided draft with a preview), /edit, and a
captioned photo starting with /post that publishes at once. The draft and the step survive a
restart (SqlitePersistence)."""

from __future__ import annotations

import secrets
import warnings
from typing import Any

from telegram import PhotoSize, Update
from telegram.ext import (
    CallbackQueryHandler,
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
from bot.handlers.buttons import acknowledge
from bot.handlers.draft_refusals import Handlers, refusals, refuse
from bot.handlers.drafts import (
    PREVIEW,
    cancel_draft,
    chat_of,
    download_photo,
    draft_of,
    editing_field,
    preview,
    publish,
    reply_to,
    with_photo,
)
from bot.handlers.questions import close_question, open_question
from bot.render import questions as render_questions
from bot.render import steps
from bot.services import services
from summaries.articles import MAX_TITLE, check_url, normalize_url, validate
from summaries.errors import InvalidArticleError, NewsbotError
from summaries.models import Draft

TITLE, BODY, PHOTO, LINK, _, FIELD = range(6)  # PREVIEW (4) is drafts.PREVIEW
FIELDS = {
    "title": "headline",
    "body": "text",
    "photo_caption": "photo caption",
    "photo": "photo",
    "url": "source link",
}
TEXT = filters.TEXT & ~filters.COMMAND


@admins_only
async def post_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """/post: a new draft, step by step; /post URL: a draft filled from that page."""
    await _drop_unfinished(update, context)
    if context.user_data is not None:  # the key: publishing it is once
        context.user_data["draft"] = {"key": secrets.token_hex(8), **_beside(context)}
    if context.args:
        return await _draft_from_page(update, context, context.args[0])
    await reply_to(update).reply_text("A new article. Send its headline. (/cancel stops.)")
    return TITLE


async def _draft_from_page(update: Update, context: ContextTypes.DEFAULT_TYPE, url: str) -> int:
    """Fetch and extract the page, show its lead image, then the usual preview."""
    svc, chat = services(context), chat_of(update)
    try:
        check_url(url, "the link")  # a malformed link is refused before "Reading the page"
        svc.store.check_url_free(url)  # stored already, or deleted: say so before fetching
        await reply_to(update).reply_text("Reading the page…")
        fetched = await fetch_page(
            url, now=svc.clock(), allow_loopback=svc.settings.fetch_loopback
        )
        if fetched.draft.url and fetched.draft.url != normalize_url(url):  # a redirect
            svc.store.check_url_free(fetched.draft.url)
    except NewsbotError as error:
        await reply_to(update).reply_text(f"Can't use that page: {error}.", parse_mode=None)
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
        sent = await context.bot.send_photo(chat, page.photo, caption="The page's lead image")
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
    """The question open as the draft starts: /cancel in the draft leaves it for later."""
    question = open_question(context)
    return {"question": question} if question else {}


@admins_only
async def got_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The headline; then the text."""
    title = " ".join((reply_to(update).text or "").split())
    if len(title) > MAX_TITLE:
        await reply_to(update).reply_text(
            f"That headline is too long ({len(title)} characters, "
            f"at most {MAX_TITLE}). Send a shorter one."
        )
        return TITLE
    draft_of(context)["title"] = title
    if draft_of(context).get("body"):  # editing one field: back to the preview
        return await preview(update, context)
    await reply_to(update).reply_text(
        "Now the text: send it in one message or several (forwarded ones too), then /done."
    )
    return BODY


@admins_only
async def got_body_part(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """One more part of the text (the first part of a new text replaces the old one)."""
    draft = draft_of(context)
    so_far = "" if draft.pop("new_body", False) else draft.get("body", "")
    draft["body"] = "\n\n".join(p for p in (so_far, reply_to(update).text) if p)
    return BODY


@admins_only
async def body_done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/done: the text is complete; then the photo (or, changing the text, the preview)."""
    draft = draft_of(context)
    if draft.pop("new_body", False):  # no new part came: the text stays as it was
        return await preview(update, context)
    if not draft.get("body", "").strip():
        await reply_to(update).reply_text("The text is empty: send it first, then /done.")
        return BODY
    if editing_field(context) == "body":
        return await preview(update, context)
    await reply_to(update).reply_text(
        "Send the photo (its caption becomes the photo's caption), or /skip."
    )
    return PHOTO


@admins_only
async def got_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The photo: its file_id now, its bytes when the article is published."""
    message, draft = reply_to(update), draft_of(context)
    largest: PhotoSize = message.photo[-1]
    draft["photo_file_id"] = largest.file_id
    draft["photo_caption"] = message.caption or draft.get("photo_caption", "")
    draft.pop("no_photo", None)
    if editing_field(context) or draft.get("editing") or draft.get("asked_link"):
        return await preview(update, context)
    draft["asked_link"] = True
    await message.reply_text("The source link (https://...), or /skip.")
    return LINK


@admins_only
async def skip_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/skip at the photo step."""
    draft_of(context)["asked_link"] = True
    await reply_to(update).reply_text("The source link (https://...), or /skip.")
    return LINK


@admins_only
async def got_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The source link; then the preview."""
    try:
        draft_of(context)["url"] = check_url(reply_to(update).text or "", "the link")
    except InvalidArticleError as error:
        await reply_to(update).reply_text(
            f"{render.sentence(str(error))}. Send a link, or /skip.", parse_mode=None
        )
        return LINK
    return await preview(update, context)


@admins_only
async def skip_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/skip at the link step."""
    return await preview(update, context)


@admins_only
async def remove_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/remove while changing the photo: the article will have none (nor caption, credit)."""
    if editing_field(context) != "photo":
        await refuse(update, context, "field")
        return FIELD
    draft = draft_of(context)
    draft |= {"photo_file_id": "", "photo_caption": "", "no_photo": True}
    return await preview(update, context)


@admins_only
async def preview_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """Publish, Publish and notify, Save, Edit a field, a field, or Cancel."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    await acknowledge(query)
    action = query.data.removeprefix("post:")
    if action == "cancel":
        return await cancel_draft(update, context)
    if action == "edit":
        await query.edit_message_reply_markup(render.fields_keyboard(FIELDS))
        return PREVIEW
    if action.startswith("field:"):
        field = action.removeprefix("field:")
        draft_of(context)["field"] = field
        await context.bot.send_message(chat_of(update), steps.FIELD_PROMPTS[field])
        if field == "body":  # the text is collected as /post does: parts, then /done
            draft_of(context)["new_body"] = True  # the first part replaces the old text
            return BODY
        return FIELD
    return await publish(update, context, notify=action == "notify")


@admins_only
async def got_field(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The new value of the field being edited; then the preview again."""
    message, draft = reply_to(update), draft_of(context)
    legacy = (context.user_data or {}).get("field")  # a draft stored by an older newsbot
    field = editing_field(context) or legacy or "title"
    if (field == "photo") != bool(message.photo):  # a photo for text, or text for the photo
        await refuse(update, context, "field")
        return FIELD
    if field == "photo":
        return await got_photo(update, context)
    text = message.text or ""
    if field in {"url", "photo_caption"} and text.strip().lower() in {"-", "none"}:  # none
        text = ""
    elif field == "url":
        try:
            text = check_url(text, "the link")
        except InvalidArticleError as error:
            reason = render.sentence(str(error))
            await message.reply_text(f"{reason}. Send a link.", parse_mode=None)
            return FIELD
    draft[field] = text
    return await preview(update, context)


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """/cancel: a question asked since the draft began (/delete, /forget, a picker) is the
    one the reader means, so it closes and the draft stays; otherwise the draft is dropped.
    """
    if open_question(context) not in {None, draft_of(context).get("question")}:
        closed = await close_question(update, context) or ""
        await reply_to(update).reply_text(
            f"{closed}\n\n{render_questions.DRAFT_STILL_OPEN}", parse_mode=None
        )
        return None  # the draft stays at its step
    return await cancel_draft(update, context)


@admins_only
async def quick_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo captioned '/post Headline' + lines of text: published at once."""
    message = reply_to(update)
    first, _, body = (message.caption or "").partition("\n")
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
    await message.reply_text(
        f"Published as article {article.id}.", reply_markup=render.view_keyboard(article.id)
    )


ENTRY: Handlers = [
    CommandHandler("post", post_command, filters=~filters.UpdateType.EDITED),
    CommandHandler("edit", edit_command, filters=~filters.UpdateType.EDITED),
]
STEPS: dict[object, Handlers] = {
    TITLE: [MessageHandler(TEXT, got_title), *refusals("title")],
    BODY: [
        MessageHandler(TEXT, got_body_part),
        CommandHandler("done", body_done),
        *refusals("body"),
    ],
    PHOTO: [
        MessageHandler(filters.PHOTO, got_photo),
        CommandHandler("skip", skip_photo),
        *refusals("photo"),
    ],
    LINK: [MessageHandler(TEXT, got_link), CommandHandler("skip", skip_link), *refusals("link")],
    PREVIEW: [CallbackQueryHandler(preview_button, pattern=r"^post:"), *refusals("preview")],
    FIELD: [
        MessageHandler(TEXT | filters.PHOTO, got_field),
        CommandHandler("remove", remove_photo),
        *refusals("field"),
    ],
}
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
