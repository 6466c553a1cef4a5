"""TelegramUser: a person on the other side of the chat, acting through the stand-in's state.

Each action builds the Update Telegram would send, records the user's message in the chat and
queues the update for getUpdates; it also returns the Update JSON for `process_update` tests.
"""

from typing import Any

from standin import updates
from standin.state import TINY_PNG, ChatMessage, Json
from standin.telegram_state import TelegramState


class TelegramUser:
    """A user with a private chat with the bot (chat id == user id, as on Telegram)."""

    def __init__(
        self,
        tg: TelegramState,
        user_id: int,
        first_name: str,
        username: str | None,
        language_code: str = "en",
    ) -> None:
        self.tg = tg
        self.id = user_id
        self.json = updates.user(
            user_id, first_name, username=username, language_code=language_code
        )
        self.chat = updates.private_chat(self.json)

    @property
    def sees(self) -> list[ChatMessage]:
        """The private chat as it looks now, both sides, oldest first."""
        return self.tg.messages(self.id)

    @property
    def last(self) -> ChatMessage:
        """The bot's latest message to this user."""
        return self.tg.last_message(self.id)

    def _deliver(self, update: Json) -> Json:
        with self.tg.lock:
            for kind in ("message", "edited_message"):
                if kind in update:
                    self.tg.store(ChatMessage(update[kind], from_bot=False, source=None))
            return self.tg.queue(update)

    def _restart_if_blocked(self) -> None:
        """Writing to a bot you blocked unblocks it first, as Telegram's client does."""
        if self.id in self.tg.blocked_chats:
            self.unblocks_bot()

    def sends(self, text: str, *, chat_id: int | None = None) -> Json:
        """Send a text message (to the private chat, or to a group the bot is in)."""
        chat = self.chat if chat_id is None else self.tg.chats[chat_id]
        if chat_id is None:
            self._restart_if_blocked()
        return self._deliver(self.tg.updates.text(self.json, text, chat))

    def sends_photo(self, caption: str | None = None, content: bytes = TINY_PNG) -> Json:
        """Send a photo; its sizes get file_ids the bot can reuse."""
        self._restart_if_blocked()
        return self._deliver(
            self.tg.updates.photo(self.json, self.tg.files.photo_sizes(content), caption)
        )

    def sends_sticker(self, emoji: str = "👍") -> Json:
        """Send a sticker."""
        self._restart_if_blocked()
        stored = self.tg.files.issue(None, "stickers", "webp")
        return self._deliver(self.tg.updates.sticker(self.json, stored.file_id, emoji))

    def edits(self, message_id: int, text: str) -> Json:
        """Edit one of this user's own text messages."""
        found = self.tg.find_message(self.id, message_id)
        if found is None or found.from_bot or found.text is None:
            raise LookupError(f"user {self.id} has no text message {message_id} to edit")
        return self._deliver(self.tg.updates.edited(found.json, text))

    def presses(self, button: str, *, message_id: int | None = None) -> Json:
        """Press the callback button whose text or callback_data is `button`.

        Without `message_id`, the newest bot message that has such a button.
        """
        candidates = self.tg.bot_messages(self.id)
        if message_id is not None:
            candidates = [m for m in candidates if m.message_id == message_id]
        for message in reversed(candidates):
            for found in message.buttons:
                if button in (found.get("text"), found.get("callback_data")):
                    return self._press(message, found)
        raise LookupError(f"no button {button!r} under the bot's messages to user {self.id}")

    def _press(self, message: ChatMessage, button: dict[str, Any]) -> Json:
        if "callback_data" not in button:
            raise LookupError(f"button {button['text']!r} is not a callback button")
        update = self.tg.updates.callback_query(self.json, message.json, button["callback_data"])
        with self.tg.lock:
            self.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
            return self.tg.queue(update)

    def inline_query(self, query: str, offset: str = "") -> Json:
        """Type `@bot query` in any chat."""
        update = self.tg.updates.inline_query(self.json, query, offset)
        with self.tg.lock:
            self.tg.open_queries[update["inline_query"]["id"]] = update["inline_query"]
            return self.tg.queue(update)

    def blocks_bot(self) -> Json:
        """Block the bot: sends now fail with 403, and the bot gets a my_chat_member update."""
        with self.tg.lock:
            self.tg.blocked_chats.add(self.id)
            return self.tg.queue(self.tg.updates.my_chat_member(self.json, "member", "kicked"))

    def unblocks_bot(self) -> Json:
        """Unblock (restart) the bot."""
        with self.tg.lock:
            self.tg.blocked_chats.discard(self.id)
            return self.tg.queue(self.tg.updates.my_chat_member(self.json, "kicked", "member"))
