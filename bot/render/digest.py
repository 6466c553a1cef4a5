"""The digest and the subscription settings as readers see them (limits as in bot.render)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.i18n import N_, _, current, pgettext
from bot.render import button, clip, esc, fit_sentences, tg_len
from summaries.models import Article, Subscription

ARTICLE_ROOM = 900  # one article's block: headline and one or two sentences
TIMES = ("06:00", "07:00", "08:00", "09:00", "12:00", "17:00", "19:00", "21:00")


# Whole sentences for each case, so a translation can order them as its language does.
_OFF_TOPIC = {
    "digest": N_(
        "Nothing on your topics ({topics}) since your last digest, though there is other "
        "news: see /latest. For all news in your digest, send /topics all."
    ),
    "subscribed": N_(
        "Nothing on your topics ({topics}) since you subscribed, though there is other "
        "news: see /latest. For all news in your digest, send /topics all."
    ),
    "day": N_(
        "Nothing on your topics ({topics}) in the last 24 hours, though there is other "
        "news: see /latest. For all news in your digest, send /topics all."
    ),
}
_NOTHING_NEW = {
    "digest": N_("Nothing new since your last digest."),
    "subscribed": N_("Nothing new since you subscribed."),
    "day": N_("Nothing new in the last 24 hours."),
}
_NOTHING_NEW_LATEST = {
    "digest": N_("Nothing new since your last digest. See /latest."),
    "subscribed": N_("Nothing new since you subscribed. See /latest."),
    "day": N_("Nothing new in the last 24 hours. See /latest."),
}


def nothing_new(
    topics: Sequence[str], *, other_news: bool, since: str, see_latest: bool = False
) -> str:
    """Why a digest is empty, blaming the right thing: the reader's topics, or the news."""
    if topics and other_news:
        return _(_OFF_TOPIC[since]).format(topics=esc(", ".join(topics)))
    return _((_NOTHING_NEW_LATEST if see_latest else _NOTHING_NEW)[since])


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
    heading = _("<b>Your news digest</b> · <i>{day}</i>").format(
        day=current().day(now.astimezone(zone))
    )
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
        return _("You have no daily digest yet. Send /subscribe to choose a time.")
    state = {
        "active": pgettext("digest", "on"),
        "paused": pgettext("digest", "paused"),
        "unsubscribed": pgettext("digest", "off"),
    }[sub.status]
    if sub.blocked:
        state = _("stopped (you had blocked the bot)")
    lines = [
        _("<b>Your daily digest</b>"),
        _("Time: {time} ({zone})").format(
            time=f"{sub.time_of_day:%H:%M}", zone=esc(sub.timezone.key)
        ),
        _("Status: {state}").format(state=state),
        _("Topics: {topics}").format(topics=esc(", ".join(sub.topics)))
        if sub.topics
        else _("Topics: all news"),
        _("Breaking news as it is published: on")
        if sub.breaking
        else _("Breaking news as it is published: off"),
        _("Nothing-new notices: on")  # named as their button is
        if sub.nothing_new
        else _("Nothing-new notices: off"),
    ]
    if sub.active and sub.due_at is not None:
        local = sub.due_at.astimezone(sub.timezone)
        lines.insert(
            3,
            _("Next digest: {day}, {time}").format(
                day=current().day(local), time=current().clock_time(local)
            ),
        )
    return "\n".join(lines)


def settings_keyboard(sub: Subscription) -> InlineKeyboardMarkup:
    """Change time or zone, pause/resume, unsubscribe, and the two switches."""
    toggle = (
        button(pgettext("button", "▶ Resume"), "set:resume")
        if sub.status != "active"
        else button(pgettext("button", "⏸ Pause"), "set:pause")
    )
    breaking = (
        pgettext("button", "Breaking news: on")
        if sub.breaking
        else pgettext("button", "Breaking news: off")
    )
    quiet = (
        pgettext("button", "Nothing-new notices: on")
        if sub.nothing_new
        else pgettext("button", "Nothing-new notices: off")
    )
    return InlineKeyboardMarkup(
        [
            [
                button(pgettext("button", "🕗 Change time"), "set:time"),
                button(pgettext("button", "🌍 Time zone"), "set:zone"),
            ],
            [toggle, button(pgettext("button", "✖ Unsubscribe"), "set:stop")]
            if sub.status != "unsubscribed"
            else [toggle],  # nothing to unsubscribe from: Resume subscribes again
            [button(breaking, "set:breaking"), button(quiet, "set:quiet")],
        ]
    )


def time_picker(zone_name: str) -> InlineKeyboardMarkup:
    """Common times, four a row, and the zone they are in (tap to change it)."""
    rows = [
        [button(t, f"sub:{t.replace(':', '')}") for t in TIMES[i : i + 4]]
        for i in range(0, len(TIMES), 4)
    ]
    change = pgettext("button", "🌍 {zone} (change)").format(zone=zone_name)
    return InlineKeyboardMarkup([*rows, [button(change, "set:zone")]])


# What /subscribe, /topics, /unsubscribe and the settings buttons say.

SUBSCRIBE_USAGE = N_(
    "Send /subscribe 07:30 Europe/Berlin (a time, and a time zone or city), "
    "or just /subscribe to pick a time."
)
NO_TOPICS_AFTER = N_(
    "Nothing changed: 'topics:' needs topics after it, e.g. /subscribe 08:00 Europe/Berlin "
    "topics: economy, climate (or topics: all for all news)."
)
ASK_ZONE_AGAIN = N_("I'm still waiting for your time zone: send another, or /cancel to stop.")
ASK_TOPICS_AGAIN = N_("I'm still waiting for your topics: send them again, or /cancel to stop.")
ASK_TOPICS = N_(
    "Which topics? Send words separated by commas, e.g. "
    "economy, climate change (or 'all' for all news). /cancel to stop."
)
ASK_ZONE = N_(
    "Send your time zone or a city near you, e.g. Europe/Berlin, New York or Tokyo "
    "(/cancel to stop)."
)
UNSUBSCRIBED = N_("Done: no more digests. Send /subscribe to restore your settings.")


def bad_time(error: str) -> str:
    """/subscribe with a time or zone it can't use: why (translated already), and how it is
    used."""
    return f"{clip(error, 300)}\n\n{_(SUBSCRIBE_USAGE)}"


def bad_zone(error: str) -> str:
    """A typed zone it can't use: why (translated already), and that the question is still
    open."""
    return f"{clip(error, 300)}\n\n{_(ASK_ZONE_AGAIN)}"


def topics_refused(error: str, *, still_asking: bool) -> str:
    """Topics it can't use: why (and, while asking for them, that it still is)."""
    return f"{error}\n\n{_(ASK_TOPICS_AGAIN)}" if still_asking else error


def topics_set(topics: Sequence[str]) -> str:
    """The topics just stored."""
    if not topics:
        return _("Topics: all news.")
    return _("Topics: {topics}.").format(topics=", ".join(topics))


def zone_set(zone_name: str) -> str:
    """A zone typed before there is a digest: now the time."""
    return _("Time zone: {zone}. Now pick a time (or /cancel):").format(zone=zone_name)


def pick_time(zone_name: str) -> str:
    """The settings' Change time button: the picker's question."""
    return _("Pick a time ({zone}), or /cancel:").format(zone=zone_name)


def when(zone_name: str, topics: Sequence[str] | None) -> str:
    """The time picker's question for a new digest (with the topics waiting for it)."""
    if topics is None:
        return _(
            "When should your daily digest arrive? Times are in {zone}. (/cancel to stop.)"
        ).format(zone=zone_name)
    if not topics:
        return _(
            "Topics: all news. When should your daily digest arrive? Times are in {zone}. "
            "(/cancel to stop.)"
        ).format(zone=zone_name)
    return _(
        "Topics: {topics}. When should your daily digest arrive? Times are in {zone}. "
        "(/cancel to stop.)"
    ).format(topics=", ".join(topics), zone=zone_name)


def settings_made(sub: Subscription, now: datetime, *, changed: bool, back: bool = False) -> str:
    """The settings just made: changed, subscribed, or back on after /unsubscribe."""
    if back:
        heading = _("Welcome back! Your digest is on again.")
    else:
        heading = _("Changed.") if changed else _("Subscribed!")
    return f"{heading}\n\n" + settings_text(sub, now)
