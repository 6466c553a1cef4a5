"""A Bot API stand-in as strict as Telegram, for tests and the offline console.

`FakeTelegram` answers Bot API calls in memory; `StandInRequest` plugs it into
python-telegram-bot in process; `standin.server.BotApiServer` serves it over HTTP.
It imports only the standard library and `telegram`: the bot depends on it, never the reverse.
"""

from standin.chars import utf16_len
from standin.errors import ApiError, SimulatedTimeout
from standin.fake import TIMED_OUT, FakeTelegram
from standin.html import parse_html
from standin.outlets import TelegramChat
from standin.pace import Pace
from standin.request import StandInRequest
from standin.state import TINY_PNG, Call, ChatMessage
from standin.telegram_state import DEFAULT_TOKEN
from standin.updates import UpdateFactory
from standin.users import TelegramUser

__all__ = [
    "DEFAULT_TOKEN",
    "TIMED_OUT",
    "TINY_PNG",
    "ApiError",
    "Call",
    "ChatMessage",
    "FakeTelegram",
    "Pace",
    "SimulatedTimeout",
    "StandInRequest",
    "TelegramChat",
    "TelegramUser",
    "UpdateFactory",
    "parse_html",
    "utf16_len",
]
