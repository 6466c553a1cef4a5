"""What admins see of the outlets (channels, groups, forum topics the bot posts to): /channels,
/channel @name, the checks' refusals, the bot's own alerts about them, and /stats' lines.

Callback data (ids and offsets only, within 64 bytes):
`out:page:<offset>`, `out:pause:<id>:<offset>`, `out:resume:<id>:<offset>`, `out:rm:<id>`
(asks), `out:rm:<id>:yes` / `out:rm:<id>:no` (the answer), `out:offer:<chat id>` (the
"Post news here" button of an offer alert; a chat id is at most 14 characters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import clip, esc
from bot.render.keyboards import button, confirm_keyboard
from summaries.outlet_model import Outlet, OutletStats
from summaries.topics import TopicsWording

OUTLETS_PAGE = 5
TITLE_SHOWN = 80  # a page of five, or /stats' lines, stay far below 4096
STATS_SHOWN = 15  # outlets listed in /stats (the rest counted): the message stays below 4096

CHANNEL_USAGE = (
    "Which chat? Send /channel and its @username or numeric id, e.g. /channel @mynews "
    "(optionally: topics: economy, climate; in a forum: thread: 42). Add the bot to the "
    "channel as an administrator with 'Post messages' first."
)
NO_OUTLETS = (
    "No channels or groups yet. Add the bot to a channel as an administrator with "
    "'Post messages', then send /channel @name (or press the button I send you then)."
)
OUTLET_KEPT = "Kept; nothing was removed."
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
CHECKING = "Checking the chat…"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 post', '2 posts', '0 hours': a number with its noun, singular only for one."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def posts_text(posts: int) -> str:
    """'3 posts in the chat': posts sent there and not since deleted or withdrawn."""
    return f"{count(posts, 'post')} in the chat"


# Naming a chat, in the checks' plain-text sentences (the CLI's too: no HTML).


def chat_name(chat: str | int, title: str | None = None, username: str | None = None) -> str:
    """'@mynews', or '"Newsroom" (-100123)', or the id asked for: how a sentence names it."""
    if username:
        return f"@{username}"
    if title:
        return f'"{clip(title, TITLE_SHOWN)}" ({chat})'
    return str(chat)


def not_found(chat: str | int) -> str:
    """getChat said "chat not found"."""
    return (
        f"Telegram knows no chat {chat} that the bot can see: check the @username, or add the "
        "bot to the chat first (a private channel or group is only visible to its members)"
    )


def not_a_group(chat: str) -> str:
    """getChat found a private chat."""
    return f"{chat} is a private chat, not a channel or a group"


def migrated(chat: str, new_id: int) -> str:
    """A basic group that became a supergroup."""
    return f"{chat} was upgraded to a supergroup: use its new id {new_id}"


def not_channel_admin(chat: str) -> str:
    """The bot is in the channel (or not) but no administrator."""
    return (
        f"the bot is not an administrator of {chat}: "
        "add it as an administrator with 'Post messages'"
    )


def cannot_post(chat: str) -> str:
    """An administrator without can_post_messages."""
    return (
        f"the bot is an administrator of {chat} but may not post: "
        "give it the 'Post messages' right"
    )


def not_member(chat: str) -> str:
    """The bot left or was removed from a group."""
    return f"the bot is not a member of {chat}: add it to the group"


def cannot_send(chat: str) -> str:
    """A restricted member without can_send_messages."""
    return f"the bot may not send messages in {chat}: allow it 'Send messages' there"


def forum_needs_thread(chat: str) -> str:
    """A forum without the topic to post to."""
    return (
        f"{chat} is a forum: say which topic with its thread id (the number at the end of a "
        "link to the topic's first message)"
    )


def not_forum(chat: str) -> str:
    """A thread id for a chat without topics."""
    return f"{chat} is not a forum: a thread id is only for a forum's topics"


def right_notes(
    kind: str, *, can_edit: bool, can_delete: bool, can_photos: bool, thread: int | None
) -> list[str]:
    """What the bot can't do there beside posting (plain text, a line each)."""
    notes: list[str] = []
    if kind == "channel":
        notes.append(_others_posts(can_edit=can_edit, can_delete=can_delete))
    elif not can_photos:
        notes.append("The bot may not send photos there: posts go as text only.")
    if thread is not None:
        notes.append(
            f"Topic {thread}: the Bot API can't list a forum's topics, so the first post "
            "shows whether it exists."
        )
    return notes


def _others_posts(*, can_edit: bool, can_delete: bool) -> str:
    """What the bot may do to other administrators' posts, and the rights that allow it."""
    own = "Corrections: the bot edits and deletes its own posts"
    if can_edit and can_delete:
        return f"{own}; it may edit others' posts, and may delete them."
    if not can_edit and not can_delete:
        return (
            f"{own}; it can't edit or delete others' posts: turn on 'Edit messages of "
            "others' and 'Delete messages of others'."
        )
    if not can_edit:
        return f"{own}; it can't edit others' posts: turn on 'Edit messages of others'."
    return f"{own}; it can't delete others' posts: turn on 'Delete messages of others'."


def filters_text(outlet: Outlet) -> str:
    """'every article', 'topics: a, b', 'sources 1, 2', plain text."""
    parts = []
    if outlet.topics:
        parts.append("topics: " + ", ".join(outlet.topics))
    if outlet.sources:
        parts.append("sources " + ", ".join(str(s) for s in outlet.sources))
    return "; ".join(parts) or "every article"


PAUSED_BECAUSE = {
    "rights": "paused: the bot lost its rights there",
    "topic-gone": "paused: its forum topic was deleted (or never existed)",
    "topic-closed": "paused: its forum topic is closed",
}


def state_text(outlet: Outlet) -> str:
    """'active', 'paused', or why it paused by itself ('paused: its forum topic is closed')."""
    if outlet.paused_reason is None:
        return "active"
    return PAUSED_BECAUSE.get(outlet.paused_reason, "paused")


def outlet_label(outlet: Outlet) -> str:
    """How lists name an outlet, plain text: title, @username or id, and its topic."""
    where = f"@{outlet.username}" if outlet.username else str(outlet.chat_id)
    thread = f", topic {outlet.thread_id}" if outlet.thread_id is not None else ""
    return f"{clip(outlet.title or where, TITLE_SHOWN)} ({where}{thread})"


def added_text(outlet: Outlet, notes: Sequence[str]) -> str:
    """Plain text: the outlet was added (the CLI's lines before the id, the chat's answer)."""
    kind = {"channel": "channel", "group": "group", "supergroup": "group"}[outlet.kind]
    if outlet.thread_id is not None:  # a topic of a forum supergroup
        kind = "forum"
    lines = [
        f"Added {kind} {outlet_label(outlet)} as outlet {outlet.id}, for "
        f"{filters_text(outlet)}. New articles are posted there from now on.",
        *notes,
    ]
    if outlet.backfill_hours:
        lines.append(
            "Articles of the last hour are queued too."
            if outlet.backfill_hours == 1
            else f"Articles of the last {outlet.backfill_hours} hours are queued too."
        )
    return "\n".join(lines)


def already_an_outlet(outlet_id: int, chat: str, *, cli: bool = False) -> str:
    """The chat (or topic) has an outlet: how to give it other filters instead."""
    remove = f"newsbot channel remove {outlet_id}" if cli else f"🗑 Remove {outlet_id} in /channels"
    return (
        f"outlet {outlet_id} already posts to {chat}: to change its filters, remove it first "
        f"with {remove}, then add it again with the new filters"
    )


def not_added(error: str) -> str:
    """Plain text: /channel (or the offer's button) with a chat it can't use, and why."""
    return f"Not added: {clip(error, 1000).rstrip('.')}."


# /channels


def outlet_entry(outlet: Outlet) -> str:
    """One outlet in the list (HTML)."""
    return "\n".join(
        [
            f"<b>{outlet.id} · {esc(outlet_label(outlet))}</b>",
            esc(clip(filters_text(outlet), 300)),
            f"{posts_text(outlet.posts_sent)} · {esc(state_text(outlet))}",
        ]
    )


def outlets_page(outlets: Sequence[Outlet], *, offset: int, total: int) -> str:
    """/channels: a page of outlets."""
    if not outlets:
        return NO_OUTLETS
    heading = f"<b>Channels and groups</b> ({offset + 1}–{offset + len(outlets)} of {total})"
    return "\n\n".join([heading, *(outlet_entry(o) for o in outlets)])


def outlets_keyboard(
    outlets: Sequence[Outlet], *, offset: int, has_more: bool
) -> InlineKeyboardMarkup | None:
    """Pause or Resume, Remove for each outlet; then « Previous / Next »."""
    rows: list[list[InlineKeyboardButton]] = []
    for outlet in outlets:
        oid = outlet.id
        toggle = (
            button(f"⏸ Pause {oid}", f"out:pause:{oid}:{offset}")
            if outlet.active
            else button(f"▶ Resume {oid}", f"out:resume:{oid}:{offset}")
        )
        rows.append([toggle, button(f"🗑 Remove {oid}", f"out:rm:{oid}")])
    nav = []
    if offset > 0:
        nav.append(button("« Previous", f"out:page:{max(offset - OUTLETS_PAGE, 0)}"))
    if has_more:
        nav.append(button("Next »", f"out:page:{offset + OUTLETS_PAGE}"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


def paused(outlet_id: int) -> str:
    """Pause's acknowledgement (also the CLI's line)."""
    return f"Outlet {outlet_id} is paused; its new articles wait in its queue."


def resumed(outlet_id: int, skipped: int) -> str:
    """Resume's acknowledgement (also the CLI's line)."""
    text = f"Outlet {outlet_id} is resumed."
    if skipped:
        posts = "1 queued post was" if skipped == 1 else f"{skipped} queued posts were"
        text += f" {posts} skipped: paused for over a day, only the newest go."
    return text


def not_paused(outlet_id: int) -> str:
    """Resume of an outlet that is posting already."""
    return f"Outlet {outlet_id} is not paused."


def not_resumed(outlet_id: int, why: str) -> str:
    """Resume refused: the bot may not post there (an alert: at most 200 characters)."""
    return clip(f"Outlet {outlet_id} stays paused: {why}.", 200)


def gone(outlet_id: int) -> str:
    """A button of an outlet removed meanwhile (an alert: at most 200 characters)."""
    return f"Outlet {outlet_id} no longer exists. Send /channels for the list."


REMOVE_KEEPS = (
    "Its posts stay in the chat and are still corrected, deleted or withdrawn when their "
    "articles change; adding the chat again posts to it from new articles on."
)


def remove_question(outlet: Outlet) -> str:
    """Remove's confirmation."""
    return (
        f"Remove outlet {outlet.id}, {esc(outlet_label(outlet))}? Nothing new is posted "
        f"there. {REMOVE_KEEPS} (/cancel keeps it.)"
    )


def remove_keyboard(outlet_id: int) -> InlineKeyboardMarkup:
    """Yes / No under the confirmation."""
    return confirm_keyboard(f"out:rm:{outlet_id}", yes="Yes, remove")


def _dropped(dropped: int) -> str:
    if not dropped:
        return ""
    return f" {count(dropped, 'queued post')} {'was' if dropped == 1 else 'were'} dropped."


def removed_line(outlet: Outlet, dropped: int) -> str:
    """Remove confirmed, plain text (the CLI's line)."""
    return (
        f"Removed outlet {outlet.id}, {outlet_label(outlet)}. Nothing new goes there."
        f"{_dropped(dropped)} {REMOVE_KEEPS}"
    )


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


def _outlets_are(details: dict[str, object], what: str) -> str:
    """'Outlet 3 is paused', 'Outlets 3, 4 are paused'."""
    found = details.get("outlets")
    if isinstance(found, list) and len(found) > 1:
        return f"Outlets {_ids(details)} are {what}"
    return f"Outlet {_ids(details)} is {what}"


def offer_alert(details: dict[str, object]) -> tuple[str, InlineKeyboardMarkup]:
    """The bot was made an administrator of a channel: post news there?"""
    text = (
        f"📣 <b>I am now an administrator of {_alert_chat(details)}.</b>\n"
        "Press the button to post every new article there (or send /channel with its "
        "@username and topics: … to post only some)."
    )
    markup = InlineKeyboardMarkup([[button("Post news here", f"out:offer:{details['chat_id']}")]])
    return text, markup


def paused_alert(details: dict[str, object]) -> str:
    """The bot lost its rights in a chat, or a forum topic went: its outlets pause (their
    queues are kept)."""
    ids = _ids(details)
    found = details.get("outlets")
    its = "their" if isinstance(found, list) and len(found) > 1 else "its"
    why = esc(_why_in_words(details))
    cause = details.get("cause")
    if cause in ("topic-gone", "topic-closed"):
        where = f"topic {details.get('thread_id')} of {_alert_chat(details)}"
        if cause == "topic-closed":
            what = (
                f"The topic is closed. Reopen it (or let me manage topics), then resume the "
                f"outlet: /channels, or newsbot channel resume {ids}."
            )
        else:
            what = (
                "The topic was deleted (or never existed). Remove the outlet (/channels, or "
                f"newsbot channel remove {ids}) and add the topic you want by its thread id."
            )
        return (
            f"⏸ <b>I can no longer post to {where}</b> ({why}).\n"
            f"{_outlets_are(details, 'paused')}; new articles wait in its queue. {what}"
        )
    return (
        f"⏸ <b>I can no longer post to {_alert_chat(details)}</b> "
        f"({why}).\n"
        f"{_outlets_are(details, 'paused')}; new articles wait in {its} queue. Make me an "
        "administrator with 'Post messages' again (a member that may send, in a group) and "
        f"{'they resume' if its == 'their' else 'it resumes'}."
    )


def _why_in_words(details: dict[str, object]) -> str:
    """Why the bot can't post, in words: a refused post's error ("Telegram said: Forbidden:
    bot was kicked…", "Topic_closed") is kept in the alert's details for the logs, not shown."""
    topic = {"topic-closed": "the topic was closed", "topic-gone": "the topic was deleted"}
    if (cause := details.get("cause")) in topic:
        return topic[str(cause)]
    why = str(details.get("why") or "its rights changed")
    said = why.removeprefix("Telegram said: ")
    if said == why:  # a my_chat_member update's reason: in words already (lost_rights)
        return why
    words = said.lower()
    if any(w in words for w in ("kicked", "not a member", "removed", "chat not found")):
        return "the bot was removed from the chat"
    if "chat_write_forbidden" in words:
        return "members may not send messages there"
    if any(w in words for w in ("rights", "forbidden")):
        return "the bot lost its right to post there"
    return "Telegram refused the post"


def resumed_alert(details: dict[str, object]) -> str:
    """The bot got its rights back: its outlets post again."""
    skipped = int(str(details.get("skipped") or 0))
    text = f"▶ <b>I can post to {_alert_chat(details)} again.</b>\n"
    text += f"{_outlets_are(details, 'resumed')}."
    if skipped:
        posts = "1 queued post was" if skipped == 1 else f"{skipped} queued posts were"
        text += f" {posts} skipped (paused for over a day: only the newest go)."
    return text


# /stats


def stats_lines(outlets: Sequence[Outlet], stats: Sequence[OutletStats]) -> str:
    """/stats' part on outlets: posts sent, and readers who came through each one's button."""
    if not outlets:
        return ""
    by_id = {s.outlet_id: s for s in stats}
    lines = ["\n\n<b>Channels and groups</b>"]  # after /stats' last line, as its sections are
    for outlet in outlets[:STATS_SHOWN]:
        found = by_id.get(outlet.id)
        posts, readers = (found.posts_sent, found.readers) if found else (0, 0)
        came = f"{count(readers, 'reader')} came"
        lines.append(f"{outlet.id} · {esc(outlet_label(outlet))}: {posts_text(posts)}, {came}")
    if len(outlets) > STATS_SHOWN:
        lines.append(f"…and {len(outlets) - STATS_SHOWN} more (newsbot channel list)")
    return "\n".join(lines)


def removed_from(chat: str) -> str:
    """getChat answered 403: the bot was kicked or left."""
    return (
        f"the bot is not in {chat} (removed or left): add it again (to a channel as an "
        "administrator with 'Post messages')"
    )


def not_a_chat(text: str) -> str:
    """Neither an @username nor a chat id."""
    return f"{clip(text, 100)!r} is not a chat: give its @username or its numeric id"


def lost_rights(status: str, chat_type: str) -> str:
    """Why the bot can no longer post there, from its new ChatMember status (plain text)."""
    if status in ("kicked", "left"):
        return "the bot was removed from the chat"
    if status == "administrator" and chat_type == "channel":
        return "its 'Post messages' right was taken away"
    if status == "restricted":
        return "it may no longer send messages there"
    return "it is no longer an administrator" if chat_type == "channel" else "its rights changed"


def parse_channel_args(text: str) -> tuple[str, str | None, str | None]:
    """'/channel @name topics: a, b thread: 5' → ('@name', 'a, b', '5'); usage if no chat."""
    chat, _, rest = text.strip().partition(" ")
    thread = re.search(r"\bthread\s*:\s*(\S+)", rest, flags=re.IGNORECASE)
    if thread is not None:
        rest = rest[: thread.start()] + rest[thread.end() :]
    topics = re.search(r"\btopics\s*:(.*)", rest, flags=re.IGNORECASE | re.DOTALL)
    return chat, (topics.group(1) if topics else None), (thread.group(1) if thread else None)
