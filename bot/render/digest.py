"""The digest and the subscription settings as readers see them (limits as in bot.render)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.render import button, clip, esc, fit_sentences, tg_len
from summaries.models import Article, Subscription

ARTICLE_ROOM = 900  # one article's block: headline and one or two sentences
TIMES = ("06:00", "07:00", "08:00", "09:00", "12:00", "17:00", "19:00", "21:00")


SINCE = {
    "digest": "since your last digest",
    "subscribed": "since you subscribed",
    "day": "in the last 24 hours",
}


def nothing_new(
    topics: Sequence[str], *, other_news: bool, since: str, see_latest: bool = False
) -> str:
    """Why a digest is empty, blaming the right thing: the reader's topics, or the news."""
    when = SINCE[since]
    if topics and other_news:
        return (
            f"Nothing on your topics ({esc(', '.join(topics))}) {when}, though there is other "
            "news: see /latest. For all news in your digest, send /topics all."
        )
    return f"Nothing new {when}." + (" See /latest." if see_latest else "")


def digest_messages(
    items: Sequence[tuple[Article, Sequence[str]]],
    zone: tzinfo,
    now: datetime,
    *,
    notice: str = "",
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """One message (more if 4096 units can't hold them) listing the new articles.

    No articles: the heading and `notice` (from nothing_new), for readers who want to know.
    """
    local = now.astimezone(zone)
    heading = f"<b>Your news digest</b> · <i>{local:%a} {local.day} {local:%b}</i>"
    if not items:
        return [
            (f"{heading}\n\n{notice or nothing_new((), other_news=False, since='digest')}", None)
        ]
    messages: list[tuple[str, InlineKeyboardMarkup | None]] = []
    blocks: list[str] = []
    buttons: list[InlineKeyboardButton] = []
    used = tg_len(heading)
    for article, summary in items:
        number = article.id  # as /latest shows it, so "/read 7" opens the story numbered 7
        title = clip(article.title, 250)
        body = fit_sentences(summary, ARTICLE_ROOM - tg_len(title) - 8)
        block = f"<b>{number} · {esc(title)}</b>\n{esc(body)}"
        size = tg_len(f"{number} · {title}\n{body}") + 2
        if blocks and used + size > MessageLimit.MAX_TEXT_LENGTH:
            messages.append(_message(heading, blocks, buttons))
            blocks, buttons, used = [], [], tg_len(heading)
        blocks.append(block)
        buttons.append(button(f"{number} · {article.title}", f"read:{article.id}"))
        used += size
    messages.append(_message(heading, blocks, buttons))
    return messages


def _message(
    heading: str, blocks: list[str], buttons: list[InlineKeyboardButton]
) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n\n".join([heading, *blocks])
    return text, InlineKeyboardMarkup([[b] for b in buttons])


def settings_text(sub: Subscription | None, now: datetime) -> str:
    """/settings: everything about the reader's digest, in their local time."""
    if sub is None:
        return "You have no daily digest yet. Send /subscribe to choose a time."
    state = {"active": "on", "paused": "paused", "unsubscribed": "off"}[sub.status]
    if sub.blocked:
        state = "stopped (you had blocked the bot)"
    lines = [
        "<b>Your daily digest</b>",
        f"Time: {sub.time_of_day:%H:%M} ({esc(sub.timezone.key)})",
        f"Status: {state}",
        f"Topics: {esc(', '.join(sub.topics)) if sub.topics else 'all news'}",
        f"Breaking news as it is published: {'on' if sub.breaking else 'off'}",
        f"Notice when nothing is new: {'on' if sub.nothing_new else 'off'}",
    ]
    if sub.active and sub.due_at is not None:
        local = sub.due_at.astimezone(sub.timezone)
        lines.insert(3, f"Next digest: {local:%a} {local.day} {local:%b}, {local:%H:%M}")
    return "\n".join(lines)


def settings_keyboard(sub: Subscription) -> InlineKeyboardMarkup:
    """Change time or zone, pause/resume, unsubscribe, and the two switches."""
    toggle = (
        button("▶ Resume", "set:resume")
        if sub.status != "active"
        else button("⏸ Pause", "set:pause")
    )
    return InlineKeyboardMarkup(
        [
            [button("🕗 Change time", "set:time"), button("🌍 Time zone", "set:zone")],
            [toggle, button("✖ Unsubscribe", "set:stop")]
            if sub.status != "unsubscribed"
            else [toggle],  # nothing to unsubscribe from: Resume subscribes again
            [
                button(f"Breaking news: {'on' if sub.breaking else 'off'}", "set:breaking"),
                button(f"Nothing-new notices: {'on' if sub.nothing_new else 'off'}", "set:quiet"),
            ],
        ]
    )


def time_picker(zone_name: str) -> InlineKeyboardMarkup:
    """Common times, four a row, and the zone they are in (tap to change it)."""
    rows = [
        [button(t, f"sub:{t.replace(':', '')}") for t in TIMES[i : i + 4]]
        for i in range(0, len(TIMES), 4)
    ]
    return InlineKeyboardMarkup([*rows, [button(f"🌍 {zone_name} (change)", "set:zone")]])


# What /subscribe, /topics, /unsubscribe and the settings buttons say.

SUBSCRIBE_USAGE = (
    "Send /subscribe 07:30 Europe/Berlin (a time, and a time zone or city), "
    "or just /subscribe to pick a time."
)
NO_TOPICS_AFTER = (
    "Nothing changed: 'topics:' needs topics after it, e.g. /subscribe 08:00 Europe/Berlin "
    "topics: economy, climate (or topics: all for all news)."
)
ASK_ZONE_AGAIN = "\n\nI'm still waiting for your time zone: send another, or /cancel to stop."
ASK_TOPICS_AGAIN = "\n\nI'm still waiting for your topics: send them again, or /cancel to stop."
ASK_TOPICS = (
    "Which topics? Send words separated by commas, e.g. "
    "economy, climate change (or 'all' for all news). /cancel to stop."
)
ASK_ZONE = (
    "Send your time zone or a city near you, e.g. Europe/Berlin, New York or Tokyo "
    "(/cancel to stop)."
)
UNSUBSCRIBED = "Done: no more digests. Send /subscribe to restore your settings."


def bad_time(error: str) -> str:
    """/subscribe with a time or zone it can't use: why, and how it is used."""
    return f"{clip(error, 300)}.\n\n{SUBSCRIBE_USAGE}"


def bad_zone(error: str) -> str:
    """A typed zone it can't use: why, and that the question is still open."""
    return f"{clip(error, 300)}.{ASK_ZONE_AGAIN}"


def topics_refused(error: str, *, still_asking: bool) -> str:
    """Topics it can't use: why (and, while asking for them, that it still is)."""
    return f"{error}{ASK_TOPICS_AGAIN if still_asking else ''}"


def topics_set(topics: Sequence[str]) -> str:
    """The topics just stored."""
    return f"Topics: {', '.join(topics) if topics else 'all news'}."


def zone_set(zone_name: str) -> str:
    """A zone typed before there is a digest: now the time."""
    return f"Time zone: {zone_name}. Now pick a time (or /cancel):"


def pick_time(zone_name: str) -> str:
    """The settings' Change time button: the picker's question."""
    return f"Pick a time ({zone_name}), or /cancel:"


def when(zone_name: str, topics: Sequence[str] | None) -> str:
    """The time picker's question for a new digest (with the topics waiting for it)."""
    first = "" if topics is None else f"Topics: {', '.join(topics) or 'all news'}. "
    return (
        f"{first}When should your daily digest arrive? Times are in {zone_name}. "
        "(/cancel to stop.)"
    )


def settings_made(sub: Subscription, now: datetime, *, changed: bool, back: bool = False) -> str:
    """The settings just made: changed, subscribed, or back on after /unsubscribe."""
    if back:
        heading = "Welcome back! Your digest is on again."
    else:
        heading = "Changed." if changed else "Subscribed!"
    return f"{heading}\n\n" + settings_text(sub, now)
