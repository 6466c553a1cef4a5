"""/start (with deep links to an article) and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes, filters

from bot import render
from bot.delivery.article import send_article
from bot.handlers.admin import is_admin
from bot.render import help as render_help
from bot.services import Services, services
from summaries.errors import ArticleNotFoundError
from summaries.outlet_links import parse_start

MESSAGES = filters.UpdateType.MESSAGE


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a welcome; /start <id> (the t.me/<bot>?start=<id> deep link) opens an article,
    and /start a<id>o<outlet> (an outlet post's "Read in the bot") counts the reader's arrival
    through that outlet first (once per reader, outlet and article)."""
    message = update.effective_message
    if message is None:
        return
    svc = services(context)
    now = svc.clock()
    svc.subscriptions.mark_unblocked(message.chat_id, now=now)  # back after blocking us
    args = context.args or []
    wanted = parse_start(args[0]) if len(args) == 1 else None
    if wanted is None and len(args) == 1 and args[0].isdecimal():  # too big: "doesn't exist"
        wanted = (int(args[0]), None)
    if wanted is not None:  # <id>, or a5o2: article 5 through outlet 2's "Read in the bot"
        article_id, outlet_id = wanted
        if outlet_id is not None and _readable(svc, article_id):
            svc.outlets.record_arrival(outlet_id, message.chat_id, article_id, now=now)
        await send_article(context.bot, message.chat_id, article_id, svc)
        return
    user = update.effective_user
    await message.reply_text(
        render_help.welcome(render.esc(user.first_name)) if user else render_help.welcome_anyone(),
        reply_markup=render.start_keyboard(),
    )


def _readable(svc: Services, article_id: int) -> bool:
    """Whether the article can be opened (a forged link's arrival is not counted)."""
    try:
        svc.store.get(article_id)
    except ArticleNotFoundError:
        return False
    return True


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
