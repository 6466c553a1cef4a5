"""Update JSON the way Telegram sends it: increasing update_id and message_id, real entities.

`UpdateFactory` works alone (feed `Update.de_json(factory.text(...), bot)` to
`Application.process_update`) or inside FakeTelegram, which queues what it builds for getUpdates.
"""

import itertools
import re
import time
from collections.abc import Callable
from typing import Any

from standin.chars import utf16_len

Json = dict[str, Any]
BOT_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@])")


def user(
    user_id: int,
    first_name: str = "Ada",
    *,
    username: str | None = None,
    language_code: str = "en",
) -> Json:
    """A human Telegram user."""
    found: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        found["username"] = username
    found["language_code"] = language_code
    return found


def private_chat(person: Json) -> Json:
    """The private chat with a user: Telegram gives it the user's id."""
    chat: Json = {"id": person["id"], "type": "private", "first_name": person["first_name"]}
    if "username" in person:
        chat["username"] = person["username"]
    return chat


def group_chat(chat_id: int, title: str = "Newsroom") -> Json:
    """A supergroup: negative ids, as Telegram gives them."""
    return {"id": chat_id, "type": "supergroup", "title": title}


def command_entities(text: str) -> list[Json]:
    """The bot_command entities Telegram marks in a user's text (CommandHandler needs them)."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in BOT_COMMAND.finditer(text)
    ]


class UpdateFactory:
    """Builds updates and user messages with fresh ids; the bot's own messages share the ids."""

    def __init__(self, bot: Json, clock: Callable[[], int] | None = None) -> None:
        self.bot = bot
        self.clock = clock or (lambda: int(time.time()))
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    def next_message_id(self) -> int:
        """A message id unused so far (bot and user messages draw from the same counter)."""
        return next(self._message_ids)

    def next_query_id(self) -> str:
        """A callback or inline query id: a long decimal string, like Telegram's."""
        return str(4_382_000_000_000_000_000 + next(self._query_ids))

    def update(self, kind: str, payload: Json) -> Json:
        """Wrap `payload` as an Update of `kind` ("message", "callback_query", ...)."""
        return {"update_id": next(self._update_ids), kind: payload}

    def message(self, sender: Json, chat: Json, **content: Any) -> Json:
        """A Message from `sender` in `chat` with the given content fields."""
        found: Json = {"message_id": self.next_message_id(), "from": sender, "chat": chat}
        return {**found, "date": self.clock(), **content}

    def text_message(self, sender: Json, chat: Json, text: str) -> Json:
        """A text message, with bot_command entities where Telegram sets them."""
        entities = command_entities(text)
        return self.message(
            sender, chat, text=text, **({"entities": entities} if entities else {})
        )

    def text(self, sender: Json, text: str, chat: Json | None = None) -> Json:
        """Update: `sender` writes `text` (in their private chat unless `chat` is given)."""
        return self.update(
            "message", self.text_message(sender, chat or private_chat(sender), text)
        )

    def edited(self, message: Json, text: str) -> Json:
        """Update: the user edits their earlier text message."""
        entities = command_entities(text)
        edited = {**message, "text": text, "edit_date": self.clock()}
        edited.pop("entities", None)
        if entities:
            edited["entities"] = entities
        return self.update("edited_message", edited)

    def photo(self, sender: Json, sizes: list[Json], caption: str | None = None) -> Json:
        """Update: `sender` sends a photo (PhotoSize dicts, smallest first)."""
        extra = {"caption": caption} if caption else {}
        return self.update(
            "message", self.message(sender, private_chat(sender), photo=sizes, **extra)
        )

    def sticker(self, sender: Json, file_id: str, emoji: str = "👍") -> Json:
        """Update: `sender` sends a regular static sticker."""
        sticker = {
            "file_id": file_id, "file_unique_id": file_id[-12:], "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": emoji,
        }  # fmt: skip
        return self.update("message", self.message(sender, private_chat(sender), sticker=sticker))

    def callback_query(self, sender: Json, message: Json, data: str) -> Json:
        """Update: `sender` presses a callback button under the bot's `message`."""
        query = {
            "id": self.next_query_id(), "from": sender, "message": message,
            "chat_instance": str(-abs(hash(message["chat"]["id"])) % 10**18), "data": data,
        }  # fmt: skip
        return self.update("callback_query", query)

    def inline_query(self, sender: Json, query: str, offset: str = "") -> Json:
        """Update: `sender` types `@bot query` in some chat."""
        inline = {
            "id": self.next_query_id(), "from": sender, "query": query, "offset": offset,
            "chat_type": "sender",
        }  # fmt: skip
        return self.update("inline_query", inline)

    def my_chat_member(self, sender: Json, old: str, new: str) -> Json:
        """Update: the bot's membership in `sender`'s private chat changes (blocked: "kicked")."""

        def member(status: str) -> Json:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"user": self.bot, "status": status, **extra}

        return self.member_change(private_chat(sender), sender, member(old), member(new))

    def member_change(self, chat: Json, sender: Json, old: Json, new: Json) -> Json:
        """Update my_chat_member: `sender` changed the bot's ChatMember in `chat`."""
        change = {
            "chat": chat, "from": sender, "date": self.clock(),
            "old_chat_member": old, "new_chat_member": new,
        }  # fmt: skip
        return self.update("my_chat_member", change)
