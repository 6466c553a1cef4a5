"""What a number may be before it becomes a row id or a forum topic: one rule for every
number typed in the chat, pressed on a button (forged ones too) or given to the CLI.

SQLite can't bind an integer over 2**63 - 1 (the query raises OverflowError), so a lookup by
a bigger id answers "not found" here, before any SQL. Telegram's forum topic ids
(message_thread_id) fit 32 bits: the Bot API refuses bigger ones, but only at the first post.
Digits are ASCII only: str.isdecimal() and int() also take '٣' or '５', which nobody types
as an id on purpose.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # SQLite's largest integer
MAX_THREAD_ID = 2**31 - 1  # a forum topic's message_thread_id
_DIGITS = re.compile(r"[0-9]{1,30}")


def is_row_id(number: int) -> bool:
    """Whether `number` can be a row's id (1..MAX_ID); any other finds nothing."""
    return 0 < number <= MAX_ID


def is_thread_id(number: int) -> bool:
    """Whether `number` can be a forum topic's id (1..MAX_THREAD_ID)."""
    return 0 < number <= MAX_THREAD_ID


def parse_number(text: str, maximum: int = MAX_ID) -> int | None:
    """The whole number 1..`maximum` that `text` spells in ASCII digits; None otherwise."""
    if _DIGITS.fullmatch(text) is None:
        return None
    number = int(text)
    return number if 0 < number <= maximum else None


def parse_thread_id(text: str) -> int | None:
    """A forum topic's id as typed; None if it is not one."""
    return parse_number(text, MAX_THREAD_ID)
