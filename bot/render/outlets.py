"""What admins see of the outlets (channels, groups, forum topics the bot posts to): /channels,
/channel @name, the checks' refusals, the bot's own alerts about them, and /stats' lines.

Callback data (ids and offsets only, within 64 bytes):
`out:page:<offset>`, `out:pause:<id>:<offset>`, `out:resume:<id>:<offset>`, `out:rm:<id>`
(asks), `out:rm:<id>:yes` / `out:rm:<id>:no` (the answer), `out:offer:<chat id>` (the
"Post news here" button of an offer alert; a chat id is at most 14 characters).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, _, ngettext, pgettext
from bot.render import clip, esc
from bot.render.keyboards import button, confirm_keyboard
from summaries.outlet_model import Outlet, OutletStats
from summaries.text import one_plain_line
from summaries.topics import TopicsWording

OUTLETS_PAGE = 5
TITLE_SHOWN = 80  # a page of five, or /stats' lines, stay far below 4096
STATS_SHOWN = 15  # outlets listed in /stats (the rest counted): the message stays below 4096

# What an admin sees is in their language (the CLI, which activates none, stays English).
CHANNEL_USAGE = N_(
    "Which chat? Send /channel and its @username or numeric id, e.g. /channel @mynews "
    "(optionally: topics: economy, climate; in a forum: thread: 42). Add the bot to the "
    "channel as an administrator with 'Post messages' first."
)
NO_OUTLETS = N_(
    "No channels or groups yet. Add the bot to a channel as an administrator with "
    "'Post messages', then send /channel @name (or press the button I send you then)."
)
OUTLET_KEPT = N_("Kept; nothing was removed.")
# What a refused topic list tells the admin to do, where they typed it
CLI_TOPICS = TopicsWording(
    "Nothing was added: give",
    '--topics "economy, climate change"',
    " (or leave --topics out for every article)",
)
CHANNEL_TOPICS = TopicsWording(
    "Send",
    "/channel @name topics: economy, climate change",
    " (or leave topics: out for every article)",
)
CHECKING = N_("Checking the chat…")


def posts_text(posts: int) -> str:
    """'3 posts in the chat': posts sent there and not since deleted or withdrawn."""
    return ngettext("{count} post in the chat", "{count} posts in the chat", posts).format(
        count=posts
    )


# Naming a chat, in the checks' plain-text sentences (the CLI's too: no HTML).


def chat_name(chat: str | int, title: str | None = None, username: str | None = None) -> str:
    """'@mynews', or '"Newsroom" (-100123)', or the id asked for: how a sentence names it."""
    if username:
        return f"@{username}"
    if title := one_plain_line(title or ""):  # a chat's title is anyone's (BEL, U+202E)
        return _('"{title}" ({chat})').format(title=clip(title, TITLE_SHOWN), chat=chat)
    return str(chat)


def not_found(chat: str | int) -> str:
    """getChat said "chat not found"."""
    return _(
        "Telegram knows no chat {chat} that the bot can see: check the @username, or add the "
        "bot to the chat first (a private channel or group is only visible to its members)"
    ).format(chat=chat)


def not_a_group(chat: str) -> str:
    """getChat found a private chat."""
    return _("{chat} is a private chat, not a channel or a group").format(chat=chat)


def migrated(chat: str, new_id: int) -> str:
    """A basic group that became a supergroup."""
    return _("{chat} was upgraded to a supergroup: use its new id {id}").format(
        chat=chat, id=new_id
    )


def not_channel_admin(chat: str) -> str:
    """The bot is in the channel (or not) but no administrator."""
    return _(
        "the bot is not an administrator of {chat}: add it as an administrator with "
        "'Post messages'"
    ).format(chat=chat)


def cannot_post(chat: str) -> str:
    """An administrator without can_post_messages."""
    return _(
        "the bot is an administrator of {chat} but may not post: give it the 'Post messages' right"
    ).format(chat=chat)


def not_member(chat: str) -> str:
    """The bot left or was removed from a group."""
    return _("the bot is not a member of {chat}: add it to the group").format(chat=chat)


def cannot_send(chat: str) -> str:
    """A restricted member without can_send_messages."""
    return _("the bot may not send messages in {chat}: allow it 'Send messages' there").format(
        chat=chat
    )


def forum_needs_thread(chat: str) -> str:
    """A forum without the topic to post to."""
    return _(
        "{chat} is a forum: say which topic with its thread id (the number at the end of a "
        "link to the topic's first message)"
    ).format(chat=chat)


def not_forum(chat: str) -> str:
    """A thread id for a chat without topics."""
    return _("{chat} is not a forum: a thread id is only for a forum's topics").format(chat=chat)


# What a channel's rights let the bot do to posts it didn't make: one whole sentence a case.
_CORRECTIONS = {
    (True, True): lambda: _(
        "Corrections: the bot edits and deletes its own posts; it may edit others' posts, "
        "and may delete them."
    ),
    (True, False): lambda: _(
        "Corrections: the bot edits and deletes its own posts; it can't delete others' "
        "posts: turn on 'Delete messages of others'."
    ),
    (False, True): lambda: _(
        "Corrections: the bot edits and deletes its own posts; it can't edit others' posts: "
        "turn on 'Edit messages of others'."
    ),
    (False, False): lambda: _(
        "Corrections: the bot edits and deletes its own posts; it can't edit or delete "
        "others' posts: turn on 'Edit messages of others' and 'Delete messages of others'."
    ),
}


def right_notes(
    kind: str, *, can_edit: bool, can_delete: bool, can_photos: bool, thread: int | None
) -> list[str]:
    """What the bot can't do there beside posting (plain text, a line each)."""
    notes: list[str] = []
    if kind == "channel":
        notes.append(_CORRECTIONS[can_edit, can_delete]())
    elif not can_photos:
        notes.append(_("The bot may not send photos there: posts go as text only."))
    if thread is not None:
        notes.append(
            _(
                "Topic {thread}: the Bot API can't list a forum's topics, so the first post "
                "shows whether it exists."
            ).format(thread=thread)
        )
    return notes


def filters_text(outlet: Outlet) -> str:
    """'every article', 'topics: a, b', 'sources 1, 2', plain text."""
    topics = ", ".join(outlet.topics)
    sources = ", ".join(str(s) for s in outlet.sources)
    if topics and sources:
        return _("topics: {topics}; sources {sources}").format(topics=topics, sources=sources)
    if topics:
        return _("topics: {topics}").format(topics=topics)
    if sources:
        return _("sources {sources}").format(sources=sources)
    return _("every article")


PAUSED_BECAUSE = {
    "rights": N_("paused: the bot lost its rights there"),
    "topic-gone": N_("paused: its forum topic was deleted (or never existed)"),
    "topic-closed": N_("paused: its forum topic is closed"),
}


def state_text(outlet: Outlet) -> str:
    """'active', 'paused', or why it paused by itself ('paused: its forum topic is closed')."""
    if outlet.paused_reason is None:
        return pgettext("outlet", "active")
    return _(PAUSED_BECAUSE.get(outlet.paused_reason, N_("paused")))


def outlet_label(outlet: Outlet) -> str:
    """How lists name an outlet, plain text: title, @username or id, and its topic."""
    where = f"@{outlet.username}" if outlet.username else str(outlet.chat_id)
    # stored as one plain line since; an older row may still hold a U+202E or a BEL
    title = clip(one_plain_line(outlet.title) or where, TITLE_SHOWN)
    if outlet.thread_id is not None:
        return _("{title} ({where}, topic {thread})").format(
            title=title, where=where, thread=outlet.thread_id
        )
    return f"{title} ({where})"


def added_text(outlet: Outlet, notes: Sequence[str]) -> str:
    """Plain text: the outlet was added (the CLI's lines before the id, the chat's answer)."""
    added = (
        _(
            "Added channel {label} as outlet {id}, for {filters}. New articles are posted there "
            "from now on."
        )
        if outlet.kind == "channel"
        else _(
            "Added forum {label} as outlet {id}, for {filters}. New articles are posted there "
            "from now on."
        )
        if outlet.thread_id is not None  # a topic of a forum supergroup
        else _(
            "Added group {label} as outlet {id}, for {filters}. New articles are posted there "
            "from now on."
        )
    )
    label, filters = outlet_label(outlet), filters_text(outlet)
    lines = [added.format(label=label, id=outlet.id, filters=filters), *notes]
    if outlet.backfill_hours:
        hours = outlet.backfill_hours
        lines.append(
            _("Articles of the last hour are queued too.")
            if hours == 1
            else ngettext(
                "Articles of the last {count} hour are queued too.",
                "Articles of the last {count} hours are queued too.",
                hours,
            ).format(count=hours)
        )
    return "\n".join(lines)


def already_an_outlet(outlet_id: int, chat: str, *, cli: bool = False) -> str:
    """The chat (or topic) has an outlet: how to give it other filters instead."""
    if cli:  # the console script speaks English
        return (
            f"outlet {outlet_id} already posts to {chat}: to change its filters, remove it "
            f"first with newsbot channel remove {outlet_id}, then add it again with the new "
            "filters"
        )
    return _(
        "outlet {id} already posts to {chat}: to change its filters, remove it first with "
        "🗑 Remove {id} in /channels, then add it again with the new filters"
    ).format(id=outlet_id, chat=chat)


def not_added(error: str) -> str:
    """Plain text: /channel (or the offer's button) with a chat it can't use, and why."""
    return _("Not added: {error}.").format(error=clip(error, 1000).rstrip("."))


# /channels


def outlet_entry(outlet: Outlet) -> str:
    """One outlet in the list (HTML)."""
    return "\n".join(
        [
            f"<b>{outlet.id} · {esc(outlet_label(outlet))}</b>",
            esc(clip(filters_text(outlet), 300)),
            f"{esc(posts_text(outlet.posts_sent))} · {esc(state_text(outlet))}",
        ]
    )


def outlets_page(outlets: Sequence[Outlet], *, offset: int, total: int) -> str:
    """/channels: a page of outlets."""
    if not outlets:
        return _(NO_OUTLETS)
    heading = _("<b>Channels and groups</b> ({first}–{last} of {total})").format(
        first=offset + 1, last=offset + len(outlets), total=total
    )
    return "\n\n".join([heading, *(outlet_entry(o) for o in outlets)])


def outlets_keyboard(
    outlets: Sequence[Outlet], *, offset: int, has_more: bool
) -> InlineKeyboardMarkup | None:
    """Pause or Resume, Remove for each outlet; then « Previous / Next »."""
    rows: list[list[InlineKeyboardButton]] = []
    for outlet in outlets:
        oid = outlet.id
        toggle = (
            button(pgettext("button", "⏸ Pause {id}").format(id=oid), f"out:pause:{oid}:{offset}")
            if outlet.active
            else button(
                pgettext("button", "▶ Resume {id}").format(id=oid), f"out:resume:{oid}:{offset}"
            )
        )
        remove = pgettext("button", "🗑 Remove {id}").format(id=oid)
        rows.append([toggle, button(remove, f"out:rm:{oid}")])
    nav = []
    if offset > 0:
        back = max(offset - OUTLETS_PAGE, 0)
        nav.append(button(pgettext("button", "« Previous"), f"out:page:{back}"))
    if has_more:
        nav.append(button(pgettext("button", "Next »"), f"out:page:{offset + OUTLETS_PAGE}"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


def paused(outlet_id: int) -> str:
    """Pause's acknowledgement (also the CLI's line)."""
    return _("Outlet {id} is paused; its new articles wait in its queue.").format(id=outlet_id)


def resumed(outlet_id: int, skipped: int) -> str:
    """Resume's acknowledgement (also the CLI's line)."""
    if not skipped:
        return _("Outlet {id} is resumed.").format(id=outlet_id)
    return ngettext(
        "Outlet {id} is resumed. {count} queued post was skipped: paused for over a day, only "
        "the newest go.",
        "Outlet {id} is resumed. {count} queued posts were skipped: paused for over a day, "
        "only the newest go.",
        skipped,
    ).format(id=outlet_id, count=skipped)


def not_paused(outlet_id: int) -> str:
    """Resume of an outlet that is posting already."""
    return _("Outlet {id} is not paused.").format(id=outlet_id)


def not_resumed(outlet_id: int, why: str) -> str:
    """Resume refused: the bot may not post there (an alert: at most 200 characters)."""
    return clip(_("Outlet {id} stays paused: {why}.").format(id=outlet_id, why=why), 200)


def gone(outlet_id: int) -> str:
    """A button of an outlet removed meanwhile (an alert: at most 200 characters)."""
    return _("Outlet {id} no longer exists. Send /channels for the list.").format(id=outlet_id)


def remove_question(outlet: Outlet) -> str:
    """Remove's confirmation."""
    return _(
        "Remove outlet {id}, {label}? Nothing new is posted there. Its posts stay in the chat "
        "and are still corrected, deleted or withdrawn when their articles change; adding the "
        "chat again posts to it from new articles on. (/cancel keeps it.)"
    ).format(id=outlet.id, label=esc(outlet_label(outlet)))


def remove_keyboard(outlet_id: int) -> InlineKeyboardMarkup:
    """Yes / No under the confirmation."""
    return confirm_keyboard(f"out:rm:{outlet_id}", yes=pgettext("button", "Yes, remove"))


def removed_line(outlet: Outlet, dropped: int) -> str:
    """Remove confirmed, plain text (the CLI's line)."""
    label = outlet_label(outlet)
    if not dropped:
        return _(
            "Removed outlet {id}, {label}. Nothing new goes there. Its posts stay in the chat "
            "and are still corrected, deleted or withdrawn when their articles change; adding "
            "the chat again posts to it from new articles on."
        ).format(id=outlet.id, label=label)
    return ngettext(
        "Removed outlet {id}, {label}. Nothing new goes there. {count} queued post was "
        "dropped. Its posts stay in the chat and are still corrected, deleted or withdrawn "
        "when their articles change; adding the chat again posts to it from new articles on.",
        "Removed outlet {id}, {label}. Nothing new goes there. {count} queued posts were "
        "dropped. Its posts stay in the chat and are still corrected, deleted or withdrawn "
        "when their articles change; adding the chat again posts to it from new articles on.",
        dropped,
    ).format(id=outlet.id, label=label, count=dropped)


def removed(outlet: Outlet, dropped: int = 0) -> str:
    """Remove confirmed (HTML)."""
    return esc(removed_line(outlet, dropped))


# The bot's own alerts (summaries/alerts.py kinds outlet-offer, outlet-paused, outlet-resumed)


def _alert_chat(details: dict[str, object]) -> str:
    title = str(details.get("title") or "")
    username = details.get("username")
    return esc(chat_name(str(details.get("chat_id")), title, str(username) if username else None))


def _ids(details: dict[str, object]) -> str:
    found = details.get("outlets")
    return ", ".join(str(i) for i in found) if isinstance(found, list) else "?"


def _many(details: dict[str, object]) -> int:
    found = details.get("outlets")
    return len(found) if isinstance(found, list) else 1


def offer_alert(details: dict[str, object]) -> tuple[str, InlineKeyboardMarkup]:
    """The bot was made an administrator of a channel: post news there?"""
    text = _(
        "📣 <b>I am now an administrator of {chat}.</b>\n"
        "Press the button to post every new article there (or send /channel with its "
        "@username and topics: … to post only some)."
    ).format(chat=_alert_chat(details))
    here = pgettext("button", "Post news here")
    markup = InlineKeyboardMarkup([[button(here, f"out:offer:{details['chat_id']}")]])
    return text, markup


def paused_alert(details: dict[str, object]) -> str:
    """The bot lost its rights in a chat, or a forum topic went: its outlets pause (their
    queues are kept)."""
    ids, many = _ids(details), _many(details)
    if details.get("status"):  # the bot's new status there: worded in the admin's language
        why = esc(lost_rights(str(details["status"]), str(details.get("chat_type"))))
    else:  # a refused post: its cause in words, not Telegram's error
        why = esc(_why_in_words(details))
    cause = details.get("cause")
    if cause == "topic-closed":
        return ngettext(
            "⏸ <b>I can no longer post to topic {thread} of {chat}</b> ({why}).\n"
            "Outlet {ids} is paused; new articles wait in its queue. The topic is closed. "
            "Reopen it (or let me manage topics), then resume the outlet: /channels, or "
            "newsbot channel resume {ids}.",
            "⏸ <b>I can no longer post to topic {thread} of {chat}</b> ({why}).\n"
            "Outlets {ids} are paused; new articles wait in its queue. The topic is closed. "
            "Reopen it (or let me manage topics), then resume the outlet: /channels, or "
            "newsbot channel resume {ids}.",
            many,
        ).format(thread=details.get("thread_id"), chat=_alert_chat(details), why=why, ids=ids)
    if cause == "topic-gone":
        return ngettext(
            "⏸ <b>I can no longer post to topic {thread} of {chat}</b> ({why}).\n"
            "Outlet {ids} is paused; new articles wait in its queue. The topic was deleted (or "
            "never existed). Remove the outlet (/channels, or newsbot channel remove {ids}) "
            "and add the topic you want by its thread id.",
            "⏸ <b>I can no longer post to topic {thread} of {chat}</b> ({why}).\n"
            "Outlets {ids} are paused; new articles wait in its queue. The topic was deleted "
            "(or never existed). Remove the outlet (/channels, or newsbot channel remove {ids}) "
            "and add the topic you want by its thread id.",
            many,
        ).format(thread=details.get("thread_id"), chat=_alert_chat(details), why=why, ids=ids)
    return ngettext(
        "⏸ <b>I can no longer post to {chat}</b> ({why}).\n"
        "Outlet {ids} is paused; new articles wait in its queue. Make me an administrator "
        "with 'Post messages' again (a member that may send, in a group) and it resumes.",
        "⏸ <b>I can no longer post to {chat}</b> ({why}).\n"
        "Outlets {ids} are paused; new articles wait in their queue. Make me an administrator "
        "with 'Post messages' again (a member that may send, in a group) and they resume.",
        many,
    ).format(chat=_alert_chat(details), why=why, ids=ids)


_TOPIC_CAUSES = {"topic-closed": N_("the topic was closed"),
                 "topic-gone": N_("the topic was deleted")}  # fmt: skip
_REFUSALS = (  # words of Telegram's refusal -> what they mean
    (("kicked", "not a member", "removed", "chat not found"),
     N_("the bot was removed from the chat")),
    (("chat_write_forbidden",), N_("members may not send messages there")),
    (("rights", "forbidden"), N_("the bot lost its right to post there")),
)  # fmt: skip


def _why_in_words(details: dict[str, object]) -> str:
    """Why a refused post paused the outlet, in words: Telegram's error ("Telegram said:
    Forbidden: bot was kicked…", "Topic_closed") stays in the alert's details, for the logs."""
    cause = str(details.get("cause"))
    if cause in _TOPIC_CAUSES:
        return _(_TOPIC_CAUSES[cause])
    said = str(details.get("why") or "").lower()
    if not said:
        return _("rights changed")
    for words, meaning in _REFUSALS:
        if any(word in said for word in words):
            return _(meaning)
    return _("Telegram refused the post")


def resumed_alert(details: dict[str, object]) -> str:
    """The bot got its rights back: its outlets post again."""
    skipped = int(str(details.get("skipped") or 0))
    chat, ids = _alert_chat(details), _ids(details)
    text = ngettext(
        "▶ <b>I can post to {chat} again.</b>\nOutlet {ids} is resumed.",
        "▶ <b>I can post to {chat} again.</b>\nOutlets {ids} are resumed.",
        _many(details),
    ).format(chat=chat, ids=ids)
    if skipped:
        text += " " + ngettext(
            "{count} queued post was skipped (paused for over a day: only the newest go).",
            "{count} queued posts were skipped (paused for over a day: only the newest go).",
            skipped,
        ).format(count=skipped)
    return text


# /stats


def stats_lines(outlets: Sequence[Outlet], stats: Sequence[OutletStats]) -> str:
    """/stats' part on outlets: posts sent, and readers who came through each one's button."""
    if not outlets:
        return ""
    by_id = {s.outlet_id: s for s in stats}
    lines = ["\n\n" + _("<b>Channels and groups</b>")]  # a blank line first, as /stats' others
    for outlet in outlets[:STATS_SHOWN]:
        found = by_id.get(outlet.id)
        posts, readers = (found.posts_sent, found.readers) if found else (0, 0)
        came = ngettext("{count} reader came", "{count} readers came", readers).format(
            count=readers
        )
        lines.append(
            f"{outlet.id} · {esc(outlet_label(outlet))}: {esc(posts_text(posts))}, {came}"
        )
    if len(outlets) > STATS_SHOWN:
        lines.append(
            _("…and {count} more (newsbot channel list)").format(count=len(outlets) - STATS_SHOWN)
        )
    return "\n".join(lines)


def removed_from(chat: str) -> str:
    """getChat answered 403: the bot was kicked or left."""
    return _(
        "the bot is not in {chat} (removed or left): add it again (to a channel as an "
        "administrator with 'Post messages')"
    ).format(chat=chat)


def not_a_chat(text: str) -> str:
    """Neither an @username nor a chat id."""
    return _("{text} is not a chat: give its @username or its numeric id").format(
        text=repr(clip(text, 100))
    )


def lost_rights(status: str, chat_type: str) -> str:
    """Why the bot can no longer post there, from its new ChatMember status (plain text)."""
    if status in ("kicked", "left"):
        return _("the bot was removed from the chat")
    if status == "administrator" and chat_type == "channel":
        return _("its 'Post messages' right was taken away")
    if status == "restricted":
        return _("it may no longer send messages there")
    if chat_type == "channel":
        return _("it is no longer an administrator")
    return _("its rights changed")
