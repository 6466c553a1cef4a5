"""Groups, supergroups and channels: the bot's place in each, and what that place allows.

Telegram decides every send, edit and delete in these chats by the bot's ChatMember record
(administrator rights, a restricted member's permissions, or left/kicked); `OutletChat` keeps
that record, the forum topics and a migration, and answers with Telegram's own refusals.
"""

from dataclasses import dataclass, field
from typing import Any

from standin.errors import ApiError, bad_request

Json = dict[str, Any]
KINDS = ("group", "supergroup", "channel")
# Rights every ChatMemberAdministrator carries, and those only some chat types have.
ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories",
)  # fmt: skip
TYPE_RIGHTS = {
    "channel": ("can_post_messages", "can_edit_messages"),
    "supergroup": ("can_pin_messages", "can_manage_topics"),
    "group": ("can_pin_messages",),
}
# What Telegram offers when a bot is made an administrator: everything but adding admins.
DEFAULT_RIGHTS = {
    name: name != "can_promote_members" for kind in TYPE_RIGHTS.values() for name in kind
} | {name: name != "can_promote_members" for name in ADMIN_RIGHTS}
PERMISSIONS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
    "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
    "can_react_to_messages",
)  # fmt: skip
STATUSES = ("administrator", "member", "restricted", "left", "kicked")
NEEDS_ADMIN = "need administrator rights in the channel chat"
CANT_EDIT = "message can't be edited"
CANT_DELETE = "message can't be deleted"
DELETE_WINDOW = 48 * 3600  # "A message can only be deleted if it was sent less than 48 hours ago"


@dataclass
class Topic:
    """A forum topic: its thread id is the id of the service message that created it."""

    thread_id: int
    name: str
    closed: bool = False


@dataclass
class BotMember:
    """The bot's ChatMember record in one chat: its status and what it may do there."""

    status: str = "member"
    rights: dict[str, bool] = field(default_factory=dict)  # administrator rights
    permissions: dict[str, bool] = field(default_factory=dict)  # a restricted member's

    def can(self, right: str) -> bool:
        """Whether an administrator holds `right`."""
        return self.status == "administrator" and self.rights.get(right, False)

    def may(self, permission: str) -> bool:
        """Whether the bot may do what a group permission covers (admins always may)."""
        if self.status == "restricted":
            return self.permissions.get(permission, True)
        return self.status in ("administrator", "member")

    def json(self, bot: Json, chat_type: str) -> Json:
        """The ChatMember object Telegram returns for it, by status."""
        found: Json = {"user": bot, "status": self.status}
        if self.status == "administrator":
            names = (*ADMIN_RIGHTS, *TYPE_RIGHTS[chat_type])
            rights = {name: self.rights.get(name, False) for name in names}
            return {**found, "can_be_edited": False, "is_anonymous": False, **rights}
        if self.status == "restricted":
            allowed = {name: self.permissions.get(name, True) for name in PERMISSIONS}
            return {**found, "is_member": True, "until_date": 0, **allowed}
        if self.status == "kicked":
            return {**found, "until_date": 0}
        return found


@dataclass
class OutletChat:
    """A group, supergroup or channel as Telegram keeps it for this bot."""

    json: Json  # the Chat object messages carry
    member: BotMember
    owner: Json  # the user who created it: `from` of its service messages
    topics: dict[int, Topic] = field(default_factory=dict)
    migrated_to: int | None = None

    @property
    def id(self) -> int:
        """The chat id (negative; -100... for supergroups and channels)."""
        return int(self.json["id"])

    @property
    def type(self) -> str:
        """The chat type: group, supergroup or channel."""
        return str(self.json["type"])

    @property
    def word(self) -> str:
        """How Telegram's errors name the chat: "channel chat", "supergroup chat"."""
        return f"{self.type} chat"

    def reachable(self, *, write: bool = True) -> None:
        """Telegram's answer to a call naming a chat the bot left, was removed from, or that
        was upgraded to a supergroup (400 with migrate_to_chat_id, PTB's ChatMigrated).

        An upgraded group is deactivated, not gone: the Bot API refuses only what needs write
        access there (sending, deleteMessage), while the bot's own old messages can still be
        edited (`write=False`: its check_chat_access asks AccessRights::Edit for edits).
        """
        if self.migrated_to is not None:
            if not write:
                return
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated_to,
            )
        if self.member.status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {self.word}")
        if self.member.status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {self.word}")

    def check_send(self, what: str, thread_id: int | None) -> None:
        """A channel takes posts from administrators with can_post_messages; a group from
        members allowed to send `what` ("text messages" or "photos"); a thread must exist."""
        self.reachable()
        if self.type == "channel":
            if not self.member.can("can_post_messages"):
                raise bad_request(NEEDS_ADMIN)
        else:
            permission = "can_send_photos" if what == "photos" else "can_send_messages"
            if not self.member.may(permission):
                raise bad_request(f"not enough rights to send {what} to the chat")
        if thread_id is not None:
            self.check_thread(thread_id)

    def check_thread(self, thread_id: int) -> None:
        """message_thread_id: a topic of a forum; a closed one only for topic managers."""
        topic = self.topics.get(thread_id) if self.json.get("is_forum") else None
        if topic is None:
            raise bad_request("message thread not found")
        if topic.closed and not self.member.can("can_manage_topics"):
            raise bad_request("TOPIC_CLOSED")

    def check_edit(self, from_bot: bool) -> None:
        """The bot edits its own messages; in a channel, as an administrator that can post,
        and others' posts only with can_edit_messages (in an upgraded group, its own)."""
        self.reachable(write=False)
        if self.type != "channel":
            if not from_bot:
                raise bad_request(CANT_EDIT)
            return
        if self.member.status != "administrator":
            raise bad_request(NEEDS_ADMIN)
        if self.member.can("can_edit_messages"):
            return
        if not (from_bot and self.member.can("can_post_messages")):
            raise bad_request(CANT_EDIT)

    def check_delete(self, from_bot: bool) -> None:
        """deleteMessage's rules: outgoing messages in groups; in channels with
        can_post_messages; anyone's with can_delete_messages (in a basic group, any admin)."""
        self.reachable()
        member = self.member
        if member.can("can_delete_messages"):
            return
        if self.type == "group" and member.status == "administrator":
            return
        if from_bot and (self.type != "channel" or member.can("can_post_messages")):
            return
        raise bad_request(CANT_DELETE)

    def check_visible(self) -> None:
        """getChat: a public chat (with a username) is visible to anyone, else to members."""
        if self.migrated_to is not None or self.member.status == "kicked":
            self.reachable()
        if self.member.status == "left" and "username" not in self.json:
            raise bad_request("chat not found")


def outlet_json(chat_id: int, kind: str, title: str, username: str | None, forum: bool) -> Json:
    """The Chat object of a group, supergroup (maybe a forum) or channel."""
    if kind not in KINDS:
        raise ValueError(f"chat type must be one of {KINDS}, not {kind!r}")
    chat: Json = {"id": chat_id, "type": kind, "title": title}
    if username:
        chat["username"] = username
    if forum:
        if kind != "supergroup":
            raise ValueError("only supergroups can be forums")
        chat["is_forum"] = True
    return chat


def bot_member(
    status: str,
    rights: dict[str, bool] | None = None,
    permissions: dict[str, bool] | None = None,
) -> BotMember:
    """A BotMember; a "member" with any permission withheld is "restricted", as Telegram says."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
    if status == "member" and permissions and not all(permissions.values()):
        status = "restricted"
    return BotMember(status, {**DEFAULT_RIGHTS, **(rights or {})}, dict(permissions or {}))
