"""Time in a test's hands, and the zones whose daylight saving time digests are tested in."""

from __future__ import annotations

from datetime import datetime

STANDIN_START = 1_800_000_000  # the stand-in's own clock in chat tests, in Unix seconds

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Chatham",
]


class Clock:
    """A clock that says `now` until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
