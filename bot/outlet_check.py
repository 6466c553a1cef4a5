"""Whether the bot may post to a chat, asked of the Bot API before it becomes an outlet.

A channel takes posts from an administrator with 'Post messages'; a group from a member that
may send; a forum's topic needs its thread id (the Bot API can't list topics: the first post
shows whether it exists). Any refusal is an OutletError saying exactly what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram import Bot, ChatMemberAdministrator, ChatMemberRestricted
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.render import outlets as render
from summaries.errors import OutletError
from summaries.outlet_model import Outlet

_USERNAME = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}")
_CHAT_ID = re.compile(r"-?[0-9]{1,16}")


@dataclass(frozen=True, slots=True)
class CheckedChat:
    """A chat the bot may post to: what the outlet stores, and notes on what it can't do."""

    chat_id: int
    kind: str  # channel, group or supergroup
    title: str
    username: str | None
    thread_id: int | None
    notes: tuple[str, ...]


def chat_ref(text: str) -> str | int:
    """'@name' or a numeric chat id (a t.me/name link works too); OutletError otherwise."""
    text = text.strip().removeprefix("https://").removeprefix("t.me/")
    if _USERNAME.fullmatch(text):
        return text
    if _USERNAME.fullmatch("@" + text):
        return "@" + text
    if _CHAT_ID.fullmatch(text) and int(text) != 0:
        return int(text)
    raise OutletError(render.not_a_chat(text))


async def check_outlet(bot: Bot, outlet: Outlet) -> CheckedChat:
    """check_chat for an outlet about to resume: its chat and topic, named as lists name it
    (@late rather than its id) when Telegram won't say."""
    name = render.chat_name(outlet.chat_id, outlet.title, outlet.username)
    return await check_chat(bot, outlet.chat_id, thread_id=outlet.thread_id, name=name)


async def check_chat(
    bot: Bot, chat: str | int, *, thread_id: int | None = None, name: str | None = None
) -> CheckedChat:
    """Ask getChat and getChatMember; the chat, if the bot may post there (`bot` initialized).
    `name`: how errors name the chat before getChat has (default: as it was given)."""
    asked = name or str(chat)
    try:
        found = await bot.get_chat(chat)
    except ChatMigrated as error:
        raise OutletError(render.migrated(asked, error.new_chat_id)) from None
    except Forbidden:
        raise OutletError(render.removed_from(asked)) from None
    except BadRequest as error:
        if "not found" in error.message.lower():
            raise OutletError(render.not_found(chat)) from None
        raise
    name = render.chat_name(found.id, found.title, found.username)
    if found.type == ChatType.PRIVATE or found.type not in ("channel", "group", "supergroup"):
        raise OutletError(render.not_a_group(str(chat)))
    try:
        member: Any = await bot.get_chat_member(found.id, bot.id)
    except Forbidden:
        raise OutletError(render.removed_from(name)) from None
    except BadRequest:  # a channel's member list is closed to non-administrators
        if found.type != ChatType.CHANNEL:
            raise
        raise OutletError(render.not_channel_admin(name)) from None
    can_photos = _may_post_there(found.type, member, name)
    if found.is_forum and thread_id is None:
        raise OutletError(render.forum_needs_thread(name))
    if thread_id is not None and not found.is_forum:
        raise OutletError(render.not_forum(name))
    admin = isinstance(member, ChatMemberAdministrator)
    notes = render.right_notes(
        found.type,
        can_edit=admin and bool(member.can_edit_messages),
        can_delete=admin and bool(member.can_delete_messages),
        can_photos=can_photos,
        thread=thread_id,
    )
    return CheckedChat(
        found.id, found.type, found.title or "", found.username, thread_id, tuple(notes)
    )


def _may_post_there(chat_type: str, member: Any, name: str) -> bool:
    """OutletError saying what is missing if the bot may not post; whether it may send photos."""
    if chat_type == ChatType.CHANNEL:
        if not isinstance(member, ChatMemberAdministrator):
            raise OutletError(render.not_channel_admin(name))
        if not member.can_post_messages:
            raise OutletError(render.cannot_post(name))
        return True
    if member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        raise OutletError(render.not_member(name))
    if isinstance(member, ChatMemberRestricted):
        if not member.is_member:
            raise OutletError(render.not_member(name))
        if not member.can_send_messages:
            raise OutletError(render.cannot_send(name))
        return bool(member.can_send_photos)
    return True


def may_post(member: Any, chat_type: str) -> bool:
    """Whether a ChatMember record of the bot lets it post (a my_chat_member update's)."""
    if chat_type == ChatType.CHANNEL:
        return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)
    if isinstance(member, ChatMemberRestricted):
        return bool(member.is_member and member.can_send_messages)
    return member.status in (
        ChatMemberStatus.MEMBER,
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.OWNER,
    )
