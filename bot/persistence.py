"""python-telegram-bot persistence in the newsbot database: chat data and conversations.

A restart (or a crash) in the middle of an admin's /post keeps the draft and the step it was
at. Everything is JSON; bot_data (the services) and callback data are not persisted.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from typing import Any

from sqlite_utils import Database
from telegram.ext import BasePersistence, PersistenceInput

ConversationDict = dict[tuple[int | str, ...], object]


class SqlitePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Chat data, user data and conversation states in the `chat_state` table."""

    def __init__(self, db: Database, update_interval: float = 1) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, callback_data=False),
            update_interval=update_interval,  # seconds a crash can lose; writes are small
        )
        self.db = db
        # What each row holds, as written: PTB hands over every chat that sent an update, at
        # every save, changed or not; an unchanged one costs no commit.
        self._written: dict[tuple[str, str], str] = {}

    # reading, once at start-up

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Every user's data."""
        return {int(k): v for k, v in self._all("user").items()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Every chat's data."""
        return {int(k): v for k, v in self._all("chat").items()}

    async def get_bot_data(self) -> dict[Any, Any]:
        """Not persisted: bot_data holds the live services."""
        return {}

    async def get_callback_data(self) -> None:
        """Not persisted: our callback data are plain strings."""
        return

    async def get_conversations(self, name: str) -> ConversationDict:
        """A ConversationHandler's states, by (chat id, user id)."""
        return {tuple(json.loads(k)): v for k, v in self._all(f"conversation:{name}").items()}

    # writing

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Store one user's data."""
        self._put("user", str(user_id), data)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Store one chat's data."""
        self._put("chat", str(chat_id), data)

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def update_callback_data(self, data: Any) -> None:
        """Not persisted."""

    async def update_conversation(
        self, name: str, key: tuple[int | str, ...], new_state: object | None
    ) -> None:
        """Store (or, at the end of the conversation, forget) one conversation's state."""
        if new_state is None:
            self._drop(f"conversation:{name}", json.dumps(list(key)))
        else:
            self._put(f"conversation:{name}", json.dumps(list(key)), new_state)

    async def drop_chat_data(self, chat_id: int) -> None:
        """Forget a chat."""
        self._drop("chat", str(chat_id))

    async def drop_user_data(self, user_id: int) -> None:
        """Forget a user."""
        self._drop("user", str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Not persisted."""

    async def flush(self) -> None:
        """Every write is committed at once: nothing to flush."""

    # the table

    def _all(self, kind: str) -> MutableMapping[str, Any]:
        rows = self.db.execute("SELECT key, value FROM chat_state WHERE kind = ?", [kind])
        found = {}
        for key, value in rows:
            self._written[kind, key] = value
            found[key] = json.loads(value)
        return found

    def _put(self, kind: str, key: str, value: Any) -> None:
        if value == {}:  # nothing kept for this chat: no row (most readers never have any)
            if (kind, key) in self._written:
                self._drop(kind, key)
            return
        encoded = json.dumps(value, ensure_ascii=False, default=str)
        if self._written.get((kind, key)) == encoded:
            return
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO chat_state (kind, key, value) VALUES (?, ?, ?)",
                [kind, key, encoded],
            )
        self._written[kind, key] = encoded

    def _drop(self, kind: str, key: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM chat_state WHERE kind = ? AND key = ?", [kind, key])
        self._written.pop((kind, key), None)
