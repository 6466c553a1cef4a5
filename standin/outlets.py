"""TelegramChat: a test's handle on a group, supergroup or channel the stand-in keeps.

Like TelegramUser, each action changes Telegram's side and queues the update Telegram would
send: the bot promoted, demoted or removed (my_chat_member), a channel post, a group upgraded
to a supergroup. Create one with FakeTelegram.channel(), .supergroup() or .basic_group().
"""

from standin.chats import OutletChat, Topic, bot_member
from standin.state import ChatMessage, Json
from standin.telegram_state import TelegramState

TOPIC_COLOR = 7322096  # one of the six icon colours Telegram allows


class TelegramChat:
    """One group or channel: its Chat JSON, the bot's place in it, its topics and messages."""

    def __init__(self, tg: TelegramState, outlet: OutletChat) -> None:
        self.tg = tg
        self.record = outlet

    @property
    def id(self) -> int:
        """The chat id."""
        return self.record.id

    @property
    def json(self) -> Json:
        """The Chat object messages in it carry."""
        return self.record.json

    @property
    def shows(self) -> list[ChatMessage]:
        """Every message the chat shows now, oldest first (edits applied, deletions gone)."""
        return self.tg.messages(self.id)

    @property
    def bot_posts(self) -> list[ChatMessage]:
        """What the bot sent there and has not deleted."""
        return self.tg.bot_messages(self.id)

    def message(self, message_id: int) -> ChatMessage | None:
        """A message as it looks now; None once deleted or if it never was."""
        return self.tg.find_message(self.id, message_id)

    def set_bot(
        self,
        status: str,
        *,
        rights: dict[str, bool] | None = None,
        permissions: dict[str, bool] | None = None,
    ) -> Json:
        """Change the bot's status ("administrator", "member", "left", "kicked"; a member with
        permissions withheld is "restricted"), as the chat's creator would, and queue the
        my_chat_member update with the old and new ChatMember."""
        with self.tg.lock:
            old = self.record.member.json(self.tg.bot, self.record.type)
            self.record.member = bot_member(status, rights, permissions)
            new = self.record.member.json(self.tg.bot, self.record.type)
            change = self.tg.updates.member_change(self.json, self.record.owner, old, new)
            return self.tg.queue(change)

    def add_topic(self, name: str, *, closed: bool = False) -> int:
        """A forum topic; its message_thread_id is the id of its forum_topic_created message."""
        if not self.json.get("is_forum"):
            raise ValueError(f"chat {self.id} is not a forum")
        created = {"name": name, "icon_color": TOPIC_COLOR}
        with self.tg.lock:
            message = self.tg.updates.message(
                self.record.owner, self.json, forum_topic_created=created
            )
            thread_id = int(message["message_id"])
            message.update(message_thread_id=thread_id, is_topic_message=True)
            self.tg.store(ChatMessage(message, from_bot=False))
            self.record.topics[thread_id] = Topic(thread_id, name, closed)
        return thread_id

    def close_topic(self, thread_id: int, *, closed: bool = True) -> None:
        """Close (or reopen) a topic: only topic managers may then write in it."""
        self.record.topics[thread_id].closed = closed

    def delete_topic(self, thread_id: int) -> None:
        """Delete a topic (and its messages): sending there answers "message thread not
        found", as Telegram does for a deleted topic in a group."""
        with self.tg.lock:
            del self.record.topics[thread_id]
            for message in self.tg.messages(self.id):
                if message.json.get("message_thread_id") == thread_id:
                    message.deleted = True

    def post(self, text: str) -> Json:
        """Someone else writes: in a channel a post signed by the channel (a channel_post
        update, which only an administrator bot receives); in a group its creator."""
        with self.tg.lock:
            if self.record.type == "channel":
                message = self.tg.updates.message(self.record.owner, self.json, text=text)
                del message["from"]
                message["sender_chat"] = self.json
                kind = "channel_post"
            else:
                message = self.tg.updates.text_message(self.record.owner, self.json, text)
                kind = "message"
            self.tg.store(ChatMessage(message, from_bot=False, source=text))
            update = self.tg.updates.update(kind, message)
            if kind == "message" or self.record.member.status == "administrator":
                self.tg.queue(update)
            return update

    def migrate(self) -> "TelegramChat":
        """Upgrade a basic group to a supergroup: the bot keeps its place, the old id now
        answers 400 with migrate_to_chat_id, and both service messages arrive as updates."""
        if self.record.type != "group":
            raise ValueError("only basic groups are upgraded to supergroups")
        member = self.record.member
        with self.tg.lock:
            new = self.tg.add_outlet(
                "supergroup", str(self.json["title"]), status=member.status,
                rights=member.rights, permissions=member.permissions,
            )  # fmt: skip
            new.owner = self.record.owner
            self.record.migrated_to = new.id
            notes = ((self.json, "migrate_to_chat_id", new.id),
                     (new.json, "migrate_from_chat_id", self.id))  # fmt: skip
            for chat, field, other in notes:
                message = self.tg.updates.message(self.record.owner, chat, **{field: other})
                self.tg.store(ChatMessage(message, from_bot=False))
                self.tg.queue(self.tg.updates.update("message", message))
        return TelegramChat(self.tg, new)
