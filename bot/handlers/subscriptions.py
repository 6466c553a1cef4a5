"""Setting up a reader's daily digest: /subscribe, /topics, and the questions they ask."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import (
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.handlers.questions import (
    AWAITING,
    PENDING_TOPICS,
    answered,
    ask,
)
from bot.i18n import _
from bot.render import digest as render_digest
from bot.render.errors import error_text
from bot.services import Services, services
from summaries.errors import TopicsError
from summaries.models import Subscription
from summaries.schedule import ScheduleError, parse_time_of_day
from summaries.topics import split_topics, topics_or_all
from summaries.zones import resolve_zone

MESSAGES = filters.UpdateType.MESSAGE


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe [HH:MM [zone or city]] [topics: a, b]: start or change the daily digest."""
    message = update.effective_message
    if message is None:
        return
    svc, chat = services(context), message.chat_id
    text, found, topics_text = split_topics(" ".join(context.args or []))
    if found and not topics_text.strip():  # "topics:" and nothing after: refused, not ignored
        await message.reply_text(_(render_digest.NO_TOPICS_AFTER), parse_mode=None)
        return
    try:
        topics = topics_or_all(topics_text) if found else None
    except TopicsError as error:
        await message.reply_text(error_text(error), parse_mode=None)
        return
    words = _merge_am_pm(text.split())
    current = svc.subscriptions.get(chat)
    if not words:
        await _without_a_time(update, context, current, topics)
        return
    try:
        at = parse_time_of_day(words[0])
        zone = (
            resolve_zone(" ".join(words[1:]))
            if len(words) > 1
            else (current.timezone if current else svc.settings.timezone)
        )
    except ScheduleError as error:
        await message.reply_text(render_digest.bad_time(error_text(error)), parse_mode=None)
        return
    topics = topics if topics is not None else pending_topics(context)
    sub = svc.subscriptions.subscribe(chat, at, zone, topics=topics, now=svc.clock())
    answered(context, "time")
    if len(words) > 1:
        stop_asking(context, "zone")
    if topics is not None:
        stop_asking(context, "topics")
    await confirm(update, context, sub.chat_id, was=current)


async def _without_a_time(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    current: Subscription | None,
    topics: tuple[str, ...] | None,
) -> None:
    """/subscribe with no time: back on with the stored one, else the picker (topics wait)."""
    svc = services(context)
    if current is None or (topics is None and current.status != "unsubscribed"):
        await _pick_time(update, context, topics)
        return
    chat = current.chat_id
    if topics is None:  # welcome back
        sub = svc.subscriptions.set_status(chat, "active", now=svc.clock())
        await context.bot.send_message(
            chat,
            render_digest.settings_made(sub, svc.clock(), changed=False, back=True),
            reply_markup=render_digest.settings_keyboard(sub),
        )
        return
    svc.subscriptions.subscribe(
        chat, current.time_of_day, current.timezone, topics=topics, now=svc.clock()
    )
    stop_asking(context, "topics")
    await confirm(update, context, chat, was=current)


async def topics_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/topics a, b: digests hold only matching articles; /topics all: everything again."""
    message = update.effective_message
    if message is None:
        return
    text = " ".join(context.args or [])
    if not text.strip():
        context.chat_data[AWAITING] = "topics"  # type: ignore[index]
        await message.reply_text(_(render_digest.ASK_TOPICS))
        return
    if await _set_topics(update, context, text):
        stop_asking(context, "topics")


async def answer_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """If we asked for a time zone or topics, this text is the answer: True if it was.

    An answer we can't use keeps the question open (the reply says so), so the next try is
    an answer too, not a search; only a usable answer or /cancel closes it.
    """
    message, chat_data = update.effective_message, context.chat_data
    if message is None or message.text is None or not chat_data or AWAITING not in chat_data:
        return False
    question, svc = chat_data[AWAITING], services(context)
    if question == "topics":
        if await _set_topics(update, context, message.text, still_asking=True):
            chat_data.pop(AWAITING, None)
        return True
    try:
        zone = resolve_zone(message.text)
    except ScheduleError as error:
        await message.reply_text(render_digest.bad_zone(error_text(error)), parse_mode=None)
        return True
    chat_data.pop(AWAITING, None)
    current = svc.subscriptions.get(message.chat_id)
    if current is None:
        chat_data["zone"] = zone.key  # nothing stored yet: the time picked next uses it
        sent = await message.reply_text(
            render_digest.zone_set(zone.key),
            reply_markup=render_digest.time_picker(zone.key),
        )
        ask(context, "time", sent)
        return True
    svc.subscriptions.subscribe(
        message.chat_id, current.time_of_day, zone, now=svc.clock(), keep_status=True
    )
    await confirm(update, context, message.chat_id, was=current)
    return True


async def _set_topics(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *, still_asking: bool = False
) -> bool:
    """Store the topics typed, or say why not (then nothing changes): True if stored.

    Without a digest yet, they are kept for it and the time picker opens: the reader meant
    to get news on these topics, and only the time is missing.
    """
    message, svc = update.effective_message, services(context)
    if message is None:
        return False
    try:
        topics = topics_or_all(text)
    except TopicsError as error:
        refused = render_digest.topics_refused(error_text(error), still_asking=still_asking)
        await message.reply_text(refused, parse_mode=None)
        return False
    if svc.subscriptions.get(message.chat_id) is None:
        await _pick_time(update, context, topics)
        return True
    svc.subscriptions.set_topics(message.chat_id, topics, now=svc.clock())
    await message.reply_text(render_digest.topics_set(topics), parse_mode=None)
    return True


async def confirm(
    update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, *, was: Subscription | None
) -> None:
    """Show the settings just made (as a new message: the old one may be a picker)."""
    svc = services(context)
    sub = svc.subscriptions.get(chat)
    if sub is None:  # pragma: no cover - just subscribed
        return
    changed = was is not None and was.status == sub.status  # a new time or zone, same state
    text = render_digest.settings_made(sub, svc.clock(), changed=changed)
    await context.bot.send_message(chat, text, reply_markup=render_digest.settings_keyboard(sub))


async def _pick_time(
    update: Update, context: ContextTypes.DEFAULT_TYPE, topics: tuple[str, ...] | None
) -> None:
    """The time picker (a question /cancel closes); topics given already wait for the time."""
    message, svc = update.effective_message, services(context)
    if message is None:
        return
    current = svc.subscriptions.get(message.chat_id)
    zone = current.timezone if current else chosen_zone(context, svc)
    if topics is not None and context.chat_data is not None:
        context.chat_data[PENDING_TOPICS] = list(topics)
    waiting = topics if context.chat_data is not None else None  # kept, so shown
    sent = await message.reply_text(
        render_digest.when(zone.key, waiting),
        reply_markup=render_digest.time_picker(zone.key),
        parse_mode=None,
    )
    ask(context, "time", sent)


def pending_topics(context: ContextTypes.DEFAULT_TYPE) -> tuple[str, ...] | None:
    """Topics given before the time was picked (used once), or None: keep the stored ones."""
    pending = context.chat_data.pop(PENDING_TOPICS, None) if context.chat_data else None
    return None if pending is None else tuple(pending)


def chosen_zone(context: ContextTypes.DEFAULT_TYPE, svc: Services) -> ZoneInfo:
    """A zone typed before any subscription existed, else the configured default."""
    name = (context.chat_data or {}).get("zone")
    return ZoneInfo(name) if name else svc.settings.timezone


def stop_asking(context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """A command settled what we had asked (e.g. /topics a, b after /topics): stop asking."""
    if context.chat_data and context.chat_data.get(AWAITING) == question:
        del context.chat_data[AWAITING]


def _merge_am_pm(words: list[str]) -> list[str]:
    """'7:30 pm Berlin' -> ['7:30pm', 'Berlin']; likewise 'p.m.' and '19 h'."""
    if len(words) > 1 and words[1].lower() in {"am", "pm", "a.m.", "p.m.", "h"}:
        return [words[0] + words[1], *words[2:]]
    return words


HANDLERS = [
    CommandHandler("subscribe", subscribe_command, filters=MESSAGES),
    CommandHandler("topics", topics_command, filters=MESSAGES),
]
