"""TelegramState: what Telegram keeps for one bot, which its methods and users act on.

The chats and what they show, issued files, settings, queued updates and the record of calls;
FakeTelegram adds dispatch and faults on top. Kept apart so that the methods (methods.py,
messages.py) and TelegramUser depend on this state, not on FakeTelegram, which uses them.
"""

import random
import threading
import time
from collections.abc import Callable
from typing import Any

from standin.chats import OutletChat, bot_member, outlet_json
from standin.errors import ApiError, bad_request
from standin.pace import Pace
from standin.state import Call, ChatMessage, Files, Json
from standin.updates import UpdateFactory, user

DEFAULT_TOKEN = "123456789:AAEhBP0av28TmaqKCq6DH2cJk8V2ek6Qd_o"  # noqa: S105 - fake


class TelegramState:
    """One bot's world on Telegram's side: chats, messages, files, settings, updates."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "newsbot_demo_bot",
        first_name: str = "Newsbot Demo",
        seed: int = 0,
        clock: Callable[[], int] | None = None,
    ) -> None:
        """A bot named `username` with no chats yet; `seed` fixes the file ids it issues."""
        self.token = token
        bot_user = {"id": int(token.partition(":")[0]), "is_bot": True, "first_name": first_name}
        self.bot: Json = {**bot_user, "username": username}
        self.me: Json = {
            **self.bot, "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": True, "can_connect_to_business": False,
            "has_main_web_app": False,
        }  # fmt: skip
        base_clock = clock or (lambda: int(time.time()))
        self.clock_offset = 0  # seconds added by advance(): the 48-hour rule, the pace
        self.updates = UpdateFactory(self.bot, lambda: base_clock() + self.clock_offset)
        self.calls: list[Call] = []
        self.blocked_chats: set[int] = set()
        self.chats: dict[int, Json] = {}
        self.outlets: dict[int, OutletChat] = {}  # groups, supergroups, channels
        self.usernames: dict[str, int] = {}  # public chats' @username (lower case) -> id
        self.pace: Pace | None = Pace()  # None: no per-chat limit in groups and channels
        self.serials = {"supergroup": 1_000_000_000, "group": 4_000_000_000}
        self.files = Files(random.Random(seed))  # noqa: S311 - ids, not secrets
        self.settings: dict[str, Any] = {"webhook": "", "description": "", "short_description": ""}
        self.commands: dict[str, list[Json]] = {}  # key: scope JSON + language code
        self.pending: list[Json] = []  # queued updates, until a getUpdates offset confirms them
        self.open_queries: dict[str, Json] = {}  # callback/inline query id -> the query
        self.chat_messages: dict[int, dict[int, ChatMessage]] = {}
        self.answers: dict[str, Json] = {}  # query id -> the bot's answer's parameters
        self.lock = threading.RLock()
        self.arrived = threading.Condition(self.lock)

    # --- chats and what they show ----------------------------------------------------------

    def now(self) -> int:
        """Telegram's time, in Unix seconds: message dates, the 48-hour rule, the pace."""
        return self.updates.clock()

    def advance(self, seconds: int) -> None:
        """Move the stand-in's clock on (tests never wait for Telegram's time to pass)."""
        self.clock_offset += seconds

    def add_group(self, chat_id: int, title: str = "Newsroom") -> Json:
        """A supergroup the bot is a member of (chat ids are negative), paced as every group
        is (a test that floods it on purpose turns `pace` off)."""
        if chat_id not in self.chats:
            self.add_outlet("supergroup", title, chat_id=chat_id)
        return self.chats[chat_id]

    def add_outlet(
        self,
        kind: str,
        title: str,
        *,
        chat_id: int | None = None,
        username: str | None = None,
        forum: bool = False,
        status: str = "member",
        rights: dict[str, bool] | None = None,
        permissions: dict[str, bool] | None = None,
    ) -> OutletChat:
        """A group, supergroup or channel with the bot in it as `status`; ids as Telegram's:
        -100... for supergroups and channels, plain negative for basic groups."""
        if chat_id is None:
            series = "group" if kind == "group" else "supergroup"
            self.serials[series] += 1
            serial = self.serials[series]
            chat_id = -serial if kind == "group" else -(10**12 + serial)
        if chat_id in self.chats:
            raise ValueError(f"chat {chat_id} exists already")
        json = outlet_json(chat_id, kind, title, username, forum)
        owner = user(1_000_000 + abs(chat_id) % 1_000_000, "Editor")
        outlet = OutletChat(json, bot_member(status, rights, permissions), owner)
        self.outlets[chat_id] = outlet
        self.chats[chat_id] = json
        if username:
            self.usernames[username.lower()] = chat_id
        return outlet

    def chat_id_of(self, chat_id: int | str) -> int:
        """A numeric chat id, resolving a public chat's `@username`; else "chat not found"."""
        if isinstance(chat_id, str):
            found = self.usernames.get(chat_id.removeprefix("@").lower())
            if not chat_id.startswith("@") or found is None:
                raise bad_request("chat not found")
            return found
        return chat_id

    def chat(self, chat_id: int | str, *, write: bool = True) -> Json:
        """A chat the bot may address, or Telegram's 400/403 (an upgraded group: 400 with
        migrate_to_chat_id, unless only its old messages are edited: `write=False`;
        membership itself is checked by each method)."""
        chat_id = self.chat_id_of(chat_id)
        if chat_id not in self.chats:
            raise bad_request("chat not found")
        if chat_id in self.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        outlet = self.outlets.get(chat_id)
        if outlet is not None and outlet.migrated_to is not None:
            outlet.reachable(write=write)
        return self.chats[chat_id]

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[ChatMessage]:
        """Every message in the chat, both sides, oldest first, as it looks now."""
        found = self.chat_messages.get(chat_id, {}).values()
        return [m for m in found if include_deleted or not m.deleted]

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        """What the bot has sent to the chat and not deleted."""
        return [m for m in self.messages(chat_id) if m.from_bot]

    def last_message(self, chat_id: int) -> ChatMessage:
        """The bot's latest message in the chat; LookupError if there is none."""
        sent = self.bot_messages(chat_id)
        if not sent:
            raise LookupError(f"the bot has sent nothing to chat {chat_id}")
        return sent[-1]

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        """A message that is still in the chat."""
        found = self.chat_messages.get(chat_id, {}).get(message_id)
        return None if found is None or found.deleted else found

    def store(self, message: ChatMessage) -> ChatMessage:
        """Keep a message (new or replaced by an edit) under its chat and id."""
        self.chat_messages.setdefault(message.chat_id, {})[message.message_id] = message
        return message

    def successful(self, method: str) -> list[Call]:
        """The calls of `method` that Telegram would have accepted."""
        return [c for c in self.calls if c.method.lower() == method.lower() and c.ok]

    # --- getUpdates -------------------------------------------------------------------------

    def queue(self, update: Json) -> Json:
        """Queue an update for getUpdates and wake a waiting long poll."""
        with self.arrived:
            self.pending.append(update)
            self.arrived.notify_all()
        return update

    def wait_for_updates(self, offset: int, timeout: float, step: float = 0.05) -> bool:
        """Block up to `timeout` seconds until an update >= offset is queued (HTTP long poll)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while not any(u["update_id"] >= offset for u in self.pending):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.arrived.wait(min(step, left))
            return True
