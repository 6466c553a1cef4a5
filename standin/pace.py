"""Telegram's pace for groups and channels: about 20 messages a minute into one chat.

Beyond it Telegram answers 429 "Too Many Requests: retry after N" with parameters.retry_after
(PTB's RetryAfter). `Pace` keeps a sliding window of accepted sends per chat, read off the
stand-in's own clock, so a test moves time instead of waiting for it.
"""

from collections import deque
from dataclasses import dataclass, field

from standin.errors import ApiError


@dataclass
class Pace:
    """At most `per_chat` sends into one group or channel in any `window` seconds."""

    per_chat: int = 20
    window: int = 60
    sent: dict[int, deque[int]] = field(default_factory=dict)  # chat id -> send times

    def check(self, chat_id: int, now: int) -> None:
        """Refuse a send over the limit with the seconds until the oldest one leaves the window."""
        times = self.sent.setdefault(chat_id, deque())
        while times and times[0] + self.window <= now:
            times.popleft()
        if len(times) >= self.per_chat:
            wait = max(times[0] + self.window - now, 1)
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    def record(self, chat_id: int, now: int) -> None:
        """Count an accepted send (refused ones don't use up the chat's allowance)."""
        self.sent.setdefault(chat_id, deque()).append(now)
