"""The steps of a /post or /edit draft: headline, text, photo, link, the preview's buttons,
and a changed field; each step's answer, then the next question or the preview."""

from __future__ import annotations

from telegram import PhotoSize, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import render
from bot.handlers.admin import admins_only
from bot.handlers.buttons import acknowledge
from bot.handlers.draft_refusals import Handlers, refusals, refuse
from bot.handlers.drafts import (
    PREVIEW,
    cancel_draft,
    chat_of,
    draft_of,
    editing_field,
    preview,
    publish,
    reply_to,
)
from bot.i18n import N_, _
from bot.render import steps
from bot.render.errors import error_reason
from summaries.articles import MAX_TITLE, check_url
from summaries.errors import InvalidArticleError

TITLE, BODY, PHOTO, LINK, _PREVIEW, FIELD = range(6)  # PREVIEW (4) is drafts.PREVIEW
FIELDS = {
    "title": N_("headline"),
    "body": N_("text"),
    "photo_caption": N_("photo caption"),
    "photo": N_("photo"),
    "url": N_("source link"),
}
TEXT = filters.TEXT & ~filters.COMMAND


@admins_only
async def got_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The headline; then the text."""
    title = " ".join((reply_to(update).text or "").split())
    if len(title) > MAX_TITLE:
        await reply_to(update).reply_text(steps.title_too_long(len(title), MAX_TITLE))
        return TITLE
    draft_of(context)["title"] = title
    if draft_of(context).get("body"):  # editing one field: back to the preview
        return await preview(update, context)
    await reply_to(update).reply_text(_(steps.ASK_BODY))
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
        await reply_to(update).reply_text(_(steps.EMPTY_BODY))
        return BODY
    if editing_field(context) == "body":
        return await preview(update, context)
    await reply_to(update).reply_text(_(steps.ASK_PHOTO))
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
    await message.reply_text(_(steps.ASK_LINK))
    return LINK


@admins_only
async def skip_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/skip at the photo step."""
    draft_of(context)["asked_link"] = True
    await reply_to(update).reply_text(_(steps.ASK_LINK))
    return LINK


@admins_only
async def got_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The source link; then the preview."""
    try:
        draft_of(context)["url"] = check_url(reply_to(update).text or "", "the link")
    except InvalidArticleError as error:
        refused = steps.bad_link(error_reason(error), skippable=True)
        await reply_to(update).reply_text(refused, parse_mode=None)
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
        await query.edit_message_reply_markup(
            render.fields_keyboard({name: _(label) for name, label in FIELDS.items()})
        )
        return PREVIEW
    if action.startswith("field:"):
        field = action.removeprefix("field:")
        draft_of(context)["field"] = field
        await context.bot.send_message(chat_of(update), _(steps.FIELD_PROMPTS[field]))
        if field == "body":  # the text is collected as /post does: parts, then /done
            draft_of(context)["new_body"] = True  # the first part replaces the old text
            return BODY
        return FIELD
    return await save(update, context, action)


async def save(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> int:
    """Publish (and notify), save, or, for a correction, ask for its one-line note first."""
    if action == "correct" and draft_of(context).get("editing"):
        draft_of(context)["field"] = "correction"
        await context.bot.send_message(chat_of(update), _(steps.CORRECTION_PROMPT))
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
    if field == "correction":  # "Save as a correction": the note, and the edit is saved
        if not text.strip():
            await refuse(update, context, "field")
            return FIELD
        draft["correction"] = text.strip()
        return await publish(update, context, notify=False)
    if field in {"url", "photo_caption"} and text.strip().lower() in {"-", "none"}:  # none
        text = ""
    elif field == "url":
        try:
            text = check_url(text, "the link")
        except InvalidArticleError as error:
            refused = steps.bad_link(error_reason(error), skippable=False)
            await message.reply_text(refused, parse_mode=None)
            return FIELD
    draft[field] = text
    return await preview(update, context)


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
