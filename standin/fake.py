"""FakeTelegram: a synchronous, in-memory Bot API that answers like Telegram, strictly.

Both transports (StandInRequest in process, standin/server.py over HTTP) call `handle`.
It records every call, keeps what each chat shows, and fails on request (fail_next,
blocked_chats, random_faults) so error paths run through the real python-telegram-bot stack.
"""

import copy
import random
from collections.abc import Callable, Collection

from standin.errors import ApiError, SimulatedTimeout
from standin.methods import BY_NAME
from standin.outlets import TelegramChat
from standin.params import Upload, normalise
from standin.state import Call, Fault, Json
from standin.telegram_state import DEFAULT_TOKEN, TelegramState
from standin.users import TelegramUser

TIMED_OUT = 0  # Call.status of an injected timeout: no HTTP status ever arrived


class FakeTelegram(TelegramState):
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
        """A bot named `username`; `seed` fixes file ids and random faults, `clock` dates."""
        super().__init__(token, username=username, first_name=first_name, seed=seed, clock=clock)
        self.faults: dict[str, list[Fault]] = {}
        self.random_fault_rate = 0.0
        self.random_fault_methods: set[str] | None = None
        self.rng = random.Random(seed)  # noqa: S311 - reproducible fault schedules

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
                implementation = BY_NAME.get(method.lower())
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

    # --- users ---------------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Ada",
        *,
        username: str | None = None,
        language_code: str = "en",
    ) -> TelegramUser:
        """A person who can write to the bot; their private chat now exists. language_code is
        their app's language, an IETF tag as Telegram sends it ("de", "pt-br")."""
        person = TelegramUser(self, user_id, first_name, username, language_code)
        self.chats.setdefault(user_id, person.chat)
        return person

    # --- groups and channels ---------------------------------------------------------------

    def channel(
        self,
        title: str = "News",
        *,
        username: str | None = None,
        chat_id: int | None = None,
        status: str = "administrator",
        rights: dict[str, bool] | None = None,
    ) -> TelegramChat:
        """A channel; the bot is an administrator with Telegram's default rights unless told
        otherwise (`rights` overrides some, e.g. {"can_edit_messages": False})."""
        return TelegramChat(
            self, self.add_outlet("channel", title, chat_id=chat_id, username=username,
                                  status=status, rights=rights),
        )  # fmt: skip

    def supergroup(
        self,
        title: str = "Newsroom",
        *,
        username: str | None = None,
        chat_id: int | None = None,
        forum: bool = False,
        status: str = "member",
        rights: dict[str, bool] | None = None,
        permissions: dict[str, bool] | None = None,
    ) -> TelegramChat:
        """A supergroup (a forum if `forum`); the bot a plain member unless told otherwise."""
        return TelegramChat(
            self, self.add_outlet("supergroup", title, chat_id=chat_id, username=username,
                                  forum=forum, status=status, rights=rights,
                                  permissions=permissions),
        )  # fmt: skip

    def basic_group(
        self,
        title: str = "Newsroom",
        *,
        chat_id: int | None = None,
        status: str = "member",
        rights: dict[str, bool] | None = None,
        permissions: dict[str, bool] | None = None,
    ) -> TelegramChat:
        """A basic group (no username, no topics; TelegramChat.migrate() upgrades it)."""
        return TelegramChat(
            self, self.add_outlet("group", title, chat_id=chat_id, status=status,
                                  rights=rights, permissions=permissions),
        )  # fmt: skip

    def outlet(self, chat_id: int) -> TelegramChat:
        """The handle on a group or channel created earlier (e.g. over HTTP)."""
        return TelegramChat(self, self.outlets[chat_id])
