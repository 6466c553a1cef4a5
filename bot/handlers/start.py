"""/start (with deep links to an article) and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes, filters

from bot import render
from bot.delivery.article import send_article
from bot.handlers.admin import is_admin
from bot.render import help as render_help
from bot.services import services

MESSAGES = filters.UpdateType.MESSAGE


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a welcome; /start <id> (the t.me/<bot>?start=<id> deep link) opens an article."""
    message = update.effective_message
    if message is None:
        return
    svc = services(context)
    svc.subscriptions.mark_unblocked(message.chat_id, now=svc.clock())  # back after blocking us
    args = context.args or []
    if len(args) == 1 and args[0].isdecimal():
        await send_article(context.bot, message.chat_id, int(args[0]), services(context))
        return
    name = render.esc(update.effective_user.first_name) if update.effective_user else "there"
    await message.reply_text(
        render_help.welcome(name),
        reply_markup=render.start_keyboard(),
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: every command, in plain words (and the admin ones, for admins)."""
    if update.effective_message is None:
        return
    text = render_help.help_text(context.bot.username, admin=is_admin(update, context))
    await update.effective_message.reply_text(text)


HANDLERS = [
    CommandHandler("start", start_command, filters=MESSAGES),
    CommandHandler("help", help_command, filters=MESSAGES),
]
