"""What each step of an admin's draft says to anything it can't use: what it expects instead.

Each step of the conversation (post_steps.py) ends with these handlers, so a sticker, /done at the
headline step or a preview button while a step waits for a message gets a useful answer rather
than "I don't know /done" or silence.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.handlers.admin import admins_only
from bot.handlers.buttons import acknowledge
from bot.handlers.drafts import cancel_draft, draft_of, editing_field, reply_to
from bot.render import steps

Handlers = list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, Any]]


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, step: str) -> None:
    """Something this step can't use (a sticker, a file, /done too early): what it expects."""
    draft, message = draft_of(context), reply_to(update)
    await message.reply_text(
        steps.expected(
            step,
            field=editing_field(context),
            editing=bool(draft.get("editing")),
            document=message.document is not None,
        ),
        parse_mode=None,
    )


def refusals(name: str) -> Handlers:
    """The step's last handlers: what it can't use is answered with what it expects."""

    @admins_only
    async def refuse_here(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await refuse(update, context, name)

    @admins_only
    async def button_here(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
        """A draft button while the step waits for a message: Cancel works, others wait."""
        query = update.callback_query
        if query is None:
            return None
        if query.data == "post:cancel":
            await acknowledge(query)
            return await cancel_draft(update, context)
        draft = draft_of(context)
        hint = steps.expected(
            name, field=editing_field(context), editing=bool(draft.get("editing"))
        )
        await acknowledge(query, steps.finish_step_first(hint), alert=True)
        return None

    return [
        CommandHandler(steps.DRAFT_COMMANDS, refuse_here, filters=~filters.UpdateType.EDITED),
        MessageHandler(~filters.COMMAND & ~filters.UpdateType.EDITED, refuse_here),
        CallbackQueryHandler(button_here, pattern=r"^post:"),
    ]
