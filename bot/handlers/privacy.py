"""/forget: everything newsbot keeps about a reader, deleted on request."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot import render
from bot.handlers.buttons import acknowledge
from bot.handlers.language import reset_menu
from bot.handlers.questions import answered, ask, refused_as_cancelled
from bot.i18n import _, pgettext
from bot.services import services


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget: says what goes, and asks first."""
    if update.effective_message is None:
        return
    sent = await update.effective_message.reply_text(
        _(render.FORGET),
        reply_markup=render.confirm_keyboard("forget", yes=pgettext("button", "Yes, forget me")),
    )
    ask(context, "forget", sent)


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The confirmation: only the person in the chat can confirm for themselves."""
    query = update.callback_query
    if (
        query is None
        or query.data is None
        or query.message is None
        or update.effective_user is None
        or await refused_as_cancelled(update, context)
    ):
        return
    await acknowledge(query)
    answered(context, "forget")
    if not query.data.endswith(":yes"):
        await query.edit_message_text(_(render.FORGET_KEPT))
        return
    chat, user = query.message.chat.id, update.effective_user.id
    services(context).subscriptions.forget(chat)  # their language too
    context.application.drop_chat_data(chat)  # from memory and from the database
    context.application.drop_user_data(user)
    await query.edit_message_text(_(render.FORGOTTEN))
    await reset_menu(context, user)


HANDLERS = [
    CommandHandler("forget", forget_command, filters=filters.UpdateType.MESSAGE),
    CallbackQueryHandler(forget_button, pattern=r"^forget:(yes|no)$"),
]
