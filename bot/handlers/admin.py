"""Admin powers: who has them (checked on every action), /delete and /stats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot import render
from bot.handlers.arguments import article_id
from bot.handlers.buttons import acknowledge
from bot.handlers.questions import answered, ask, refused_as_cancelled
from bot.i18n import _
from bot.render import outlets as render_outlets
from bot.render.chart import stats_chart
from bot.services import services

MESSAGES = filters.UpdateType.MESSAGE
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[Any]]
H = TypeVar("H", bound=Handler)


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the update comes from a user id in NEWSBOT_ADMIN_IDS."""
    user = update.effective_user
    return user is not None and user.id in services(context).settings.admin_ids


def admins_only(callback: H) -> H:
    """Run the handler for admins; anyone else is told so, and nothing changes.

    Every admin entry point, button and conversation step is wrapped, so replaying an
    admin's callback data or joining a conversation half-way gets a non-admin nothing.
    """

    @wraps(callback)
    async def checked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Any:
        if is_admin(update, context):
            return await callback(update, context)
        if update.callback_query is not None:
            await acknowledge(update.callback_query, _(render.NOT_ADMIN), alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(_(render.NOT_ADMIN))
        return None

    return checked  # type: ignore[return-value]


@admins_only
async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delete ID: asks first; the article leaves /latest, search and future digests."""
    message = update.effective_message
    if message is None or (wanted := await article_id(update, context, "delete")) is None:
        return
    article = services(context).store.get(wanted)
    sent = await message.reply_text(
        render.delete_question(article),
        reply_markup=render.confirm_keyboard(f"del:{article.id}"),
    )
    ask(context, "delete", sent, article=article.id)


@admins_only
async def delete_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The confirmation's buttons."""
    query = update.callback_query
    if query is None or query.data is None or await refused_as_cancelled(update, context):
        return
    await acknowledge(query)
    if query.message is not None:  # another article's confirmation may still be open
        answered(context, "delete", query.message.message_id)
    _prefix, article_id, answer = query.data.split(":")
    if answer != "yes":
        await query.edit_message_text(_(render.DELETE_KEPT))
        return
    svc = services(context)
    svc.store.delete(int(article_id), now=svc.clock())  # a second press: "doesn't exist"
    await query.edit_message_text(render.deleted(article_id))


@admins_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: articles, subscribers, digests sent, most-read articles; per outlet, posts
    sent and readers who came through its "Read in the bot" button."""
    if update.effective_message is None:
        return
    svc, message = services(context), update.effective_message
    now = svc.clock()
    chart = stats_chart(svc.activity.daily(now))
    await message.reply_photo(chart, caption=_(render.STATS_CHART))
    outlets = render_outlets.stats_lines(svc.outlets.all(), svc.outlets.stats())
    await message.reply_text(render.stats_text(svc.activity.statistics(now)) + outlets)


HANDLERS = [
    CommandHandler("delete", delete_command, filters=MESSAGES),
    CommandHandler("stats", stats_command, filters=MESSAGES),
    CallbackQueryHandler(delete_button, pattern=r"^del:\d+:(yes|no)$"),
]
