"""A Bot API stand-in as strict as Telegram, for tests and the offline console.

`FakeTelegram` answers Bot API calls in memory; `StandInRequest` plugs it into
python-telegram-bot in process; tests/bot_api_server.py serves it over HTTP.
"""

from bot.standin.chars import utf16_len
from bot.standin.errors import ApiError, SimulatedTimeout
from bot.standin.fake import DEFAULT_TOKEN, TIMED_OUT, FakeTelegram
from bot.standin.html import parse_html
from bot.standin.request import StandInRequest
from bot.standin.state import TINY_PNG, Call, ChatMessage
from bot.standin.updates import UpdateFactory
from bot.standin.users import TelegramUser

__all__ = [
    "DEFAULT_TOKEN",
    "TIMED_OUT",
    "TINY_PNG",
    "ApiError",
    "Call",
    "ChatMessage",
    "FakeTelegram",
    "SimulatedTimeout",
    "StandInRequest",
    "TelegramUser",
    "UpdateFactory",
    "parse_html",
    "utf16_len",
]
