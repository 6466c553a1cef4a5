"""A reader's digest once set: /settings and its buttons, /digest now, /unsubscribe, blocks."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
)

from bot.delivery.article import send_messages
from bot.delivery.digest import digest_articles, digest_messages, nothing_new_notice
from bot.handlers.buttons import acknowledge
from bot.handlers.questions import AWAITING, answered, ask, refused_as_cancelled
from bot.handlers.subscriptions import (
    MESSAGES,
    chosen_zone,
    confirm,
    pending_topics,
    stop_asking,
)
from bot.i18n import _
from bot.render import digest as render_digest
from bot.services import services
from summaries.errors import NotSubscribedError
from summaries.schedule import parse_time_of_day


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings: the subscription, with buttons to change it."""
    message = update.effective_message
    if message is None:
        return
    svc = services(context)
    sub = svc.subscriptions.get(message.chat_id)
    markup = render_digest.settings_keyboard(sub) if sub else None
    await message.reply_text(render_digest.settings_text(sub, svc.clock()), reply_markup=markup)


async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe: no more digests; the settings stay for a later /subscribe."""
    message = update.effective_message
    if message is None:
        return
    svc = services(context)
    svc.subscriptions.set_status(message.chat_id, "unsubscribed", now=svc.clock())
    await message.reply_text(_(render_digest.UNSUBSCRIBED))


async def digest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest: the digest right now (the daily one still comes at its time)."""
    message = update.effective_message
    if message is None:
        return
    svc, now = services(context), services(context).clock()
    sub = svc.subscriptions.get(message.chat_id)
    if sub is not None:
        seen, topics = sub.seen_id, sub.topics
    else:  # not subscribed: the last day's news
        seen, topics = svc.subscriptions.last_id_before(now - timedelta(days=1)), ()
    until = svc.store.last_id()
    articles = digest_articles(svc, seen, topics, until)
    if not articles:
        notice = (
            nothing_new_notice(svc, sub, until, see_latest=True)
            if sub is not None
            else render_digest.nothing_new((), other_news=False, since="day", see_latest=True)
        )
        await message.reply_text(notice)
        return
    zone = sub.timezone if sub else svc.settings.timezone
    try:
        await send_messages(
            context.bot, message.chat_id, await digest_messages(svc, articles, zone, now)
        )
    finally:  # even a reply cut short may have carried them: a correction finds the reader
        svc.deliveries.record_on_demand(message.chat_id, [a.id for a in articles], now=now)


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The time picker and the settings buttons."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    if query.data.startswith("sub:") and await refused_as_cancelled(update, context):
        return  # a cancelled picker's time; the settings buttons stay live
    await acknowledge(query)
    svc, chat = services(context), query.message.chat.id
    action, _sep, arg = query.data.partition(":")
    current = svc.subscriptions.get(chat)
    if action == "sub":
        answered(context, "time")
        stop_asking(context, "zone")  # a time picked instead: the zone shown on the picker stays
        at = parse_time_of_day(f"{arg[:2]}:{arg[2:]}")
        zone = current.timezone if current else chosen_zone(context, svc)
        topics = pending_topics(context)
        svc.subscriptions.subscribe(
            chat, at, zone, topics=topics, now=svc.clock(), keep_status=True
        )
        await confirm(update, context, chat, was=current)
        return
    if arg == "zone":
        context.chat_data[AWAITING] = "zone"  # type: ignore[index]
        await context.bot.send_message(chat, _(render_digest.ASK_ZONE))
        return
    if arg == "time":
        zone = current.timezone if current else chosen_zone(context, svc)
        sent = await context.bot.send_message(
            chat,
            render_digest.pick_time(zone.key),
            reply_markup=render_digest.time_picker(zone.key),
        )
        ask(context, "time", sent)
        return
    if current is None:
        raise NotSubscribedError
    if arg in {"pause", "resume", "stop"}:
        status = {"pause": "paused", "resume": "active", "stop": "unsubscribed"}[arg]
        svc.subscriptions.set_status(chat, status, now=svc.clock())
    elif arg == "breaking":
        svc.subscriptions.set_flags(chat, now=svc.clock(), breaking=not current.breaking)
    elif arg == "quiet":
        svc.subscriptions.set_flags(chat, now=svc.clock(), nothing_new=not current.nothing_new)
    sub = svc.subscriptions.get(chat)
    if sub is not None:
        await query.edit_message_text(
            render_digest.settings_text(sub, svc.clock()),
            reply_markup=render_digest.settings_keyboard(sub),
        )


async def member_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reader blocked (kicked) or unblocked the bot: pause or resume their digest."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    svc = services(context)
    subs, now = svc.subscriptions, svc.clock()
    if change.new_chat_member.status in {"kicked", "left"}:
        subs.mark_blocked(change.chat.id, now=now)
    elif change.new_chat_member.status == "member":
        subs.mark_unblocked(change.chat.id, now=now)


HANDLERS = [
    CommandHandler("settings", settings_command, filters=MESSAGES),
    CommandHandler("unsubscribe", unsubscribe_command, filters=MESSAGES),
    CommandHandler("digest", digest_command, filters=MESSAGES),
    CallbackQueryHandler(settings_button, pattern=r"^sub:[0-9]{4}$|^set:[a-z]+$"),
    ChatMemberHandler(member_changed, ChatMemberHandler.MY_CHAT_MEMBER),
]
