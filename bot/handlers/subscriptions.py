"""Daily digests from the reader's side: /subscribe, /settings, /topics, /digest, /unsubscribe."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot import render
from bot.delivery.article import send_messages
from bot.delivery.digest import digest_articles, digest_messages, nothing_new_notice
from bot.handlers.buttons import acknowledge
from bot.handlers.questions import (
    AWAITING,
    PENDING_TOPICS,
    answered,
    ask,
    refused_as_cancelled,
)
from bot.render import digest as render_digest
from bot.services import Services, services
from summaries.errors import NotSubscribedError
from summaries.models import Subscription
from summaries.schedule import ScheduleError, parse_time_of_day, resolve_zone
from summaries.text import fold, normalize, words

MESSAGES = filters.UpdateType.MESSAGE
USAGE = (
    "Send /subscribe 07:30 Europe/Berlin (a time, and a time zone or city), "
    "or just /subscribe to pick a time."
)
TOPICS_USAGE = "Topics need words: e.g. /topics economy, climate change (or /topics all)."
NO_TOPICS_AFTER = (
    "Nothing changed: 'topics:' needs topics after it, e.g. /subscribe 08:00 Europe/Berlin "
    "topics: economy, climate (or topics: all for all news)."
)
MAX_TOPICS, TOPIC_CHARS = 10, 40
ASK_ZONE_AGAIN = "\n\nI'm still waiting for your time zone: send another, or /cancel to stop."
ASK_TOPICS_AGAIN = "\n\nI'm still waiting for your topics: send them again, or /cancel to stop."


class TopicsError(ValueError):
    """Topics the reader typed that we won't store (nothing is changed): the reason, to show."""


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe [HH:MM [zone or city]] [topics: a, b]: start or change the daily digest."""
    message = update.effective_message
    if message is None:
        return
    svc, chat = services(context), message.chat_id
    text, found, topics_text = _split_topics(" ".join(context.args or []))
    if found and not topics_text.strip():  # "topics:" and nothing after: refused, not ignored
        await message.reply_text(NO_TOPICS_AFTER, parse_mode=None)
        return
    try:
        topics = _topics_or_all(topics_text) if found else None
    except TopicsError as error:
        await message.reply_text(str(error), parse_mode=None)
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
        await message.reply_text(f"{render.clip(str(error), 300)}.\n\n{USAGE}", parse_mode=None)
        return
    topics = topics if topics is not None else _pending_topics(context)
    sub = svc.subscriptions.subscribe(chat, at, zone, topics=topics, now=svc.clock())
    answered(context, "time")
    if len(words) > 1:
        _answered(context, "zone")
    if topics is not None:
        _answered(context, "topics")
    await _confirm(update, context, sub.chat_id, was=current)


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
            "Welcome back! Your digest is on again.\n\n"
            + render_digest.settings_text(sub, svc.clock()),
            reply_markup=render_digest.settings_keyboard(sub),
        )
        return
    svc.subscriptions.subscribe(
        chat, current.time_of_day, current.timezone, topics=topics, now=svc.clock()
    )
    _answered(context, "topics")
    await _confirm(update, context, chat, was=current)


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
    await message.reply_text("Done: no more digests. Send /subscribe to restore your settings.")


async def topics_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/topics a, b: digests hold only matching articles; /topics all: everything again."""
    message = update.effective_message
    if message is None:
        return
    text = " ".join(context.args or [])
    if not text.strip():
        context.chat_data[AWAITING] = "topics"  # type: ignore[index]
        await message.reply_text(
            "Which topics? Send words separated by commas, e.g. "
            "economy, climate change (or 'all' for all news). /cancel to stop."
        )
        return
    if await _set_topics(update, context, text):
        _answered(context, "topics")


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
    await send_messages(
        context.bot, message.chat_id, await digest_messages(svc, articles, zone, now)
    )


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The time picker and the settings buttons."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    if query.data.startswith("sub:") and await refused_as_cancelled(update, context):
        return  # a cancelled picker's time; the settings buttons stay live
    await acknowledge(query)
    svc, chat = services(context), query.message.chat.id
    action, _, arg = query.data.partition(":")
    current = svc.subscriptions.get(chat)
    if action == "sub":
        answered(context, "time")
        _answered(context, "zone")  # a time picked instead: the zone shown on the picker stays
        at = parse_time_of_day(f"{arg[:2]}:{arg[2:]}")
        zone = current.timezone if current else _chosen_zone(context, svc)
        topics = _pending_topics(context)
        svc.subscriptions.subscribe(
            chat, at, zone, topics=topics, now=svc.clock(), keep_status=True
        )
        await _confirm(update, context, chat, was=current)
        return
    if arg == "zone":
        context.chat_data[AWAITING] = "zone"  # type: ignore[index]
        await context.bot.send_message(
            chat,
            "Send your time zone or a city near you, e.g. Europe/Berlin, New York or Tokyo "
            "(/cancel to stop).",
        )
        return
    if arg == "time":
        zone = current.timezone if current else _chosen_zone(context, svc)
        sent = await context.bot.send_message(
            chat,
            f"Pick a time ({zone.key}), or /cancel:",
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
        await message.reply_text(
            f"{render.clip(str(error), 300)}.{ASK_ZONE_AGAIN}",
            parse_mode=None,
        )
        return True
    chat_data.pop(AWAITING, None)
    current = svc.subscriptions.get(message.chat_id)
    if current is None:
        chat_data["zone"] = zone.key  # nothing stored yet: the time picked next uses it
        sent = await message.reply_text(
            f"Time zone: {zone.key}. Now pick a time (or /cancel):",
            reply_markup=render_digest.time_picker(zone.key),
        )
        ask(context, "time", sent)
        return True
    svc.subscriptions.subscribe(
        message.chat_id, current.time_of_day, zone, now=svc.clock(), keep_status=True
    )
    await _confirm(update, context, message.chat_id, was=current)
    return True


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
        topics = _topics_or_all(text)
    except TopicsError as error:
        more = ASK_TOPICS_AGAIN if still_asking else ""
        await message.reply_text(f"{error}{more}", parse_mode=None)
        return False
    if svc.subscriptions.get(message.chat_id) is None:
        await _pick_time(update, context, topics)
        return True
    svc.subscriptions.set_topics(message.chat_id, topics, now=svc.clock())
    shown = ", ".join(topics) if topics else "all news"
    await message.reply_text(f"Topics: {shown}.", parse_mode=None)
    return True


async def _confirm(
    update: Update, context: ContextTypes.DEFAULT_TYPE, chat: int, *, was: Subscription | None
) -> None:
    """Show the settings just made (as a new message: the old one may be a picker)."""
    svc = services(context)
    sub = svc.subscriptions.get(chat)
    if sub is None:  # pragma: no cover - just subscribed
        return
    changed = was is not None and was.status == sub.status  # a new time or zone, same state
    heading = "Changed." if changed else "Subscribed!"
    text = f"{heading}\n\n" + render_digest.settings_text(sub, svc.clock())
    await context.bot.send_message(chat, text, reply_markup=render_digest.settings_keyboard(sub))


async def _pick_time(
    update: Update, context: ContextTypes.DEFAULT_TYPE, topics: tuple[str, ...] | None
) -> None:
    """The time picker (a question /cancel closes); topics given already wait for the time."""
    message, svc = update.effective_message, services(context)
    if message is None:
        return
    current = svc.subscriptions.get(message.chat_id)
    zone = current.timezone if current else _chosen_zone(context, svc)
    first = ""
    if topics is not None and context.chat_data is not None:
        context.chat_data[PENDING_TOPICS] = list(topics)
        first = f"Topics: {', '.join(topics) or 'all news'}. "
    sent = await message.reply_text(
        f"{first}When should your daily digest arrive? Times are in {zone.key}. "
        "(/cancel to stop.)",
        reply_markup=render_digest.time_picker(zone.key),
        parse_mode=None,
    )
    ask(context, "time", sent)


def _pending_topics(context: ContextTypes.DEFAULT_TYPE) -> tuple[str, ...] | None:
    """Topics given before the time was picked (used once), or None: keep the stored ones."""
    pending = context.chat_data.pop(PENDING_TOPICS, None) if context.chat_data else None
    return None if pending is None else tuple(pending)


def _topics_or_all(text: str) -> tuple[str, ...]:
    """Topics typed; 'all' (or 'none') means every article, as in /topics all."""
    text = re.sub(r"^\s*topics\s*:", "", text, flags=re.IGNORECASE)  # as /subscribe writes it
    return () if fold(text).strip() in {"all", "none"} else _topics(text)


def _chosen_zone(context: ContextTypes.DEFAULT_TYPE, svc: Services) -> ZoneInfo:
    """A zone typed before any subscription existed, else the configured default."""
    name = (context.chat_data or {}).get("zone")
    return ZoneInfo(name) if name else svc.settings.timezone


def _topics(text: str) -> tuple[str, ...]:
    """Topics separated by commas, each kept as the reader typed it (normalized as search
    normalizes, spaces collapsed): '<b>x</b>' stays that, shown escaped, and matches on its
    words, as a search for it would. Repeats (the same words, any case or accents) count once.

    A topic without a word (only emoji or punctuation), more than 10 topics, or one longer
    than 40 characters is a TopicsError: nothing is stored, and the reader is told what to
    change. Cutting or dropping instead would change what they asked for without them
    noticing (a topic cut mid-word matches other articles; a dropped one, none).
    """
    parts = [" ".join(part.split()) for part in normalize(text).split(",")]
    topics: dict[tuple[str, ...], str] = {}
    for part in filter(None, parts):  # empty ones (",," or a trailing comma) say nothing
        found = tuple(fold(word) for word in words(part))
        if not found:
            raise TopicsError(
                f"Topics need words, and {render.clip(part, 60)!r} has none. Nothing changed: "
                "send e.g. /topics economy, climate change (or /topics all)."
            )
        topics.setdefault(found, part)
    if not topics:  # only commas
        raise TopicsError(TOPICS_USAGE)
    return _checked(tuple(topics.values()))


def _checked(topics: tuple[str, ...]) -> tuple[str, ...]:
    """The topics, if within the limits; else a TopicsError saying which and what to do."""
    too_long = [topic for topic in topics if len(topic) > TOPIC_CHARS]
    if too_long:
        others = f" (and {len(too_long) - 1} more)" if len(too_long) > 1 else ""
        raise TopicsError(
            f"A topic can be at most {TOPIC_CHARS} characters, and "
            f"{render.clip(too_long[0], 60)!r} is {len(too_long[0])}{others}. Nothing changed: "
            "send shorter topics, e.g. /topics economy, climate change."
        )
    if len(topics) > MAX_TOPICS:
        raise TopicsError(
            f"That's {len(topics)} topics; the most is {MAX_TOPICS}. Nothing changed: send "
            f"the {MAX_TOPICS} you want most, separated by commas."
        )
    return topics


def _answered(context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """A command settled what we had asked (e.g. /topics a, b after /topics): stop asking."""
    if context.chat_data and context.chat_data.get(AWAITING) == question:
        del context.chat_data[AWAITING]


def _split_topics(text: str) -> tuple[str, str, str]:
    """'07:30 Berlin Topics: a, b' -> ('07:30 Berlin ', 'topics:', ' a, b'), any case."""
    found = re.search("topics:", text, re.IGNORECASE)  # not lower(): 'İ' grows, shifting
    if found is None:
        return text, "", ""
    return text[: found.start()], found[0].lower(), text[found.end() :]


def _merge_am_pm(words: list[str]) -> list[str]:
    """'7:30 pm Berlin' -> ['7:30pm', 'Berlin']; likewise 'p.m.' and '19 h'."""
    if len(words) > 1 and words[1].lower() in {"am", "pm", "a.m.", "p.m.", "h"}:
        return [words[0] + words[1], *words[2:]]
    return words


HANDLERS = [
    CommandHandler("subscribe", subscribe_command, filters=MESSAGES),
    CommandHandler("settings", settings_command, filters=MESSAGES),
    CommandHandler("unsubscribe", unsubscribe_command, filters=MESSAGES),
    CommandHandler("topics", topics_command, filters=MESSAGES),
    CommandHandler("digest", digest_command, filters=MESSAGES),
    CallbackQueryHandler(settings_button, pattern=r"^sub:\d{4}$|^set:[a-z]+$"),
    ChatMemberHandler(member_changed, ChatMemberHandler.MY_CHAT_MEMBER),
]
