"""FakeTelegram: a synchronous, in-memory Bot API that answers like Telegram, strictly.

Both transports (StandInRequest in process, tests/bot_api_server.py over HTTP) call `handle`.
It records every call, keeps what each chat shows, and fails on request (fail_next,
blocked_chats, random_faults) so error paths run through the real python-telegram-bot stack.
"""

import copy
import random
import threading
import time
from collections.abc import Callable, Collection
from typing import Any

from bot.standin import methods
from bot.standin.errors import ApiError, SimulatedTimeout, bad_request
from bot.standin.params import Upload, normalise
from bot.standin.state import Call, ChatMessage, Fault, Files, Json
from bot.standin.updates import UpdateFactory, group_chat
from bot.standin.users import TelegramUser

DEFAULT_TOKEN = "123456789:AAEhBP0av28TmaqKCq6DH2cJk8V2ek6Qd_o"  # noqa: S105 - fake
TIMED_OUT = 0  # Call.status of an injected timeout: no HTTP status ever arrived


class FakeTelegram:
    """The Bot API's state machine: `handle(method, params, files) -> (status, body)`."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "newsbot_demo_bot",
        first_name: str = "Newsbot Demo",
        seed: int = 0,
        clock: Callable[[], int] | None = None,
    ) -> None:
        self.token = token
        bot_user = {"id": int(token.partition(":")[0]), "is_bot": True, "first_name": first_name}
        self.bot: Json = {**bot_user, "username": username}
        self.me: Json = {
            **self.bot, "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": True, "can_connect_to_business": False,
            "has_main_web_app": False,
        }  # fmt: skip
        self.updates = UpdateFactory(self.bot, clock)
        self.calls: list[Call] = []
        self.blocked_chats: set[int] = set()
        self.chats: dict[int, Json] = {}
        self.files = Files(random.Random(seed))  # noqa: S311 - ids, not secrets
        self.settings: dict[str, Any] = {"webhook": "", "description": "", "short_description": ""}
        self.commands: dict[str, list[Json]] = {}  # key: scope JSON + language code
        self.pending: list[Json] = []  # queued updates, until a getUpdates offset confirms them
        self.open_queries: dict[str, Json] = {}  # callback/inline query id -> the query
        self.chat_messages: dict[int, dict[int, ChatMessage]] = {}
        self.faults: dict[str, list[Fault]] = {}
        self.answers: dict[str, Json] = {}  # query id -> the bot's answer's parameters
        self.random_fault_rate = 0.0
        self.random_fault_methods: set[str] | None = None
        self.rng = random.Random(seed)  # noqa: S311 - reproducible fault schedules
        self.lock = threading.RLock()
        self.arrived = threading.Condition(self.lock)

    # --- the Bot API -------------------------------------------------------------------

    def handle(
        self, method: str, params: Json, files: dict[str, Upload] | None = None
    ) -> tuple[int, Json]:
        """Answer one call as Telegram would; raises SimulatedTimeout for an injected timeout.

        An injected timeout is, unless asked otherwise, Telegram's usual one: the call was
        carried out (the message is in the chat) but the answer never came back in time.
        """
        with self.lock:
            clean = dict(params)
            fault = self._fault(method)
            try:
                if fault is not None and not (fault.timeout and fault.acted):
                    if fault.timeout:  # lost on the way: Telegram never saw it
                        raise SimulatedTimeout(method)
                    raise ApiError(fault.status, fault.description, retry_after=fault.retry_after)
                clean = normalise(params)
                implementation = methods.BY_NAME.get(method.lower())
                if implementation is None:
                    raise ApiError(404, "Not Found")
                result = implementation(self, clean, files or {})
                status, body = 200, {"ok": True, "result": result}
            except ApiError as error:
                status, body = error.status, error.body()
            except SimulatedTimeout:
                self.calls.append(Call(method, clean, TIMED_OUT, {}))
                raise
            body = copy.deepcopy(body)
            if fault is not None and fault.timeout:  # carried out; the answer is lost
                self.calls.append(Call(method, clean, TIMED_OUT, body))
                raise SimulatedTimeout(method)
            self.calls.append(Call(method, clean, status, body))
            return status, copy.deepcopy(body)

    def check_token(self, token: str) -> bool:
        """Whether a URL's token is this bot's (transports answer 401 Unauthorized if not)."""
        return token == self.token

    # --- faults --------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 400,
        description: str = "Bad Request: injected failure",
        *,
        retry_after: int | None = None,
        times: int = 1,
        timeout: bool = False,
        acted: bool = True,
    ) -> None:
        """Fail the next `times` calls of `method` (429 needs retry_after, as Telegram sends).

        timeout=True: no answer at all; with acted=False, Telegram never saw the call either.
        """
        fault = Fault(status, description, retry_after, timeout, times, acted)
        self.faults.setdefault(method.lower(), []).append(fault)

    def random_faults(self, rate: float, *, methods: Collection[str] | None = None) -> None:
        """Fail a `rate` share of calls (to `methods`, or all): 429, 502, or a timeout after
        Telegram acted on the call (its usual kind: the answer comes too late)."""
        self.random_fault_rate = rate
        self.random_fault_methods = {m.lower() for m in methods} if methods else None

    def _fault(self, method: str) -> Fault | None:
        """The fault this call meets, if any: an injected one first, else maybe a random one."""
        queue = self.faults.get(method.lower())
        fault = queue[0] if queue else None
        if fault is not None and queue is not None:
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
        elif self.random_fault_rate and self.rng.random() < self.random_fault_rate:
            wanted = self.random_fault_methods
            if wanted is None or method.lower() in wanted:
                fault = self.rng.choice([
                    Fault(429, "Too Many Requests: retry after 1", retry_after=1),
                    Fault(502, "Bad Gateway"),
                    Fault(0, "timeout", timeout=True),
                ])  # fmt: skip
        return fault

    # --- chats, users and what they see -----------------------------------------------------

    def user(
        self, user_id: int, first_name: str = "Ada", *, username: str | None = None
    ) -> TelegramUser:
        """A person who can write to the bot; their private chat now exists."""
        person = TelegramUser(self, user_id, first_name, username)
        self.chats.setdefault(user_id, person.chat)
        return person

    def add_group(self, chat_id: int, title: str = "Newsroom") -> Json:
        """A supergroup the bot is a member of (chat ids are negative)."""
        return self.chats.setdefault(chat_id, group_chat(chat_id, title))

    def chat(self, chat_id: int) -> Json:
        """A chat the bot may write to, or Telegram's 400/403."""
        if chat_id not in self.chats:
            raise bad_request("chat not found")
        if chat_id in self.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
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
