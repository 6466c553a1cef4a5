"""The reader's language: found for every update, chosen with /language.

Every update is answered in the language stored for its user; the first time someone writes,
that is the one their Telegram app uses (when newsbot speaks it; English otherwise).
"""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, TypeHandler, filters

from bot.handlers.buttons import acknowledge
from bot.i18n import LANGUAGES, SOURCE, activate, match, using
from bot.render import help as render_help
from bot.render import language as render_language
from bot.services import services

logger = logging.getLogger(__name__)


async def use_reader_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before any handler: answer this update in its user's language (stored at first sight).

    Only private chats store one: a reader's settings are their private chat's.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot:
        activate(SOURCE)
        return
    svc = services(context)
    language = svc.subscriptions.language(user.id)
    if language is None:
        language = match(user.language_code)
        if chat is not None and chat.type == chat.PRIVATE:
            language = svc.subscriptions.set_language(
                user.id, language, now=svc.clock(), chosen=False
            )
    activate(language)


def reader_language(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> str:
    """The stored language of a reader (English if none), for what is sent unasked."""
    return services(context).subscriptions.language(chat_id) or SOURCE


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language: a button for each language newsbot speaks."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    current = reader_language(context, user.id)
    await message.reply_text(
        render_language.language_question(current),
        reply_markup=render_language.language_keyboard(current),
    )


async def language_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A language chosen: stored, used from this very answer on, and the chat's menu too."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    language = query.data.removeprefix("lang:")
    svc = services(context)
    svc.subscriptions.set_language(user.id, language, now=svc.clock())
    activate(language)
    await acknowledge(query)
    await query.edit_message_text(render_language.language_set())
    admin = user.id in svc.settings.admin_ids
    try:  # the menu Telegram shows in this chat, whatever language the app is in
        await context.bot.set_my_commands(
            render_help.commands(admin=admin), scope=BotCommandScopeChat(user.id)
        )
    except TelegramError as error:
        logger.info("no command menu for chat %s: %s", user.id, error)


async def reset_menu(context: ContextTypes.DEFAULT_TYPE, chat: int) -> None:
    """After /forget: the menu /language set for the chat goes (an admin's is English again,
    as at start-up); Telegram's own language picks the menu from here."""
    try:
        if chat in services(context).settings.admin_ids:
            with using(SOURCE):
                commands = render_help.commands(admin=True)
            await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat))
        else:
            await context.bot.delete_my_commands(scope=BotCommandScopeChat(chat))
    except TelegramError as error:
        logger.info("could not reset the command menu of chat %s: %s", chat, error)


HOOK = TypeHandler(Update, use_reader_language)
"""Registered in a group of its own before the others, so it runs for every update."""

HANDLERS = [
    CommandHandler("language", language_command, filters=filters.UpdateType.MESSAGE),
    CallbackQueryHandler(language_button, pattern=rf"^lang:({'|'.join(LANGUAGES)})$"),
]
