"""/channel's arguments read strictly: `@name [topics: a, b] [thread: ID]` and nothing else.

A word it doesn't know (`topic:`, `--topics`, `thread 5`, a second chat) is refused by name:
ignored, it would make an outlet that posts every article, which the admin did not ask for.
"""

from __future__ import annotations

import difflib
import re

from bot.i18n import N_, _
from summaries.errors import OutletError
from summaries.ids import MAX_THREAD_ID, parse_thread_id

CHANNEL_FORM = "/channel @name [topics: a, b] [thread: ID]"
UNKNOWN_WORD = N_("{word} is not part of /channel: write it as {form}")
UNKNOWN_WORD_HINT = N_(
    "{word} is not part of /channel (did you mean {keyword}?): write it as {form}"
)
TWICE = N_("{keyword} is given twice: write it once, as in {form}")
NOT_A_THREAD = N_("{text} is not a thread id: a forum topic's number, from 1 to {most}")

_KEYWORDS = ("topics", "thread")
_CLAUSE = re.compile(r"(?<!\S)(topics|thread)\s*:", re.IGNORECASE)


def parse_channel_args(text: str) -> tuple[str, str | None, int | None]:
    """'@name topics: a, b thread: 5' → ('@name', 'a, b', 5); OutletError naming the first
    word that is none of these (nothing is added then)."""
    chat, *more = text.split(maxsplit=1) or [""]  # a line break separates words too
    rest = more[0] if more else ""
    clauses = list(_CLAUSE.finditer(rest))
    if stray := rest[: clauses[0].start() if clauses else len(rest)].split():
        raise OutletError(unknown_word(stray[0]))
    values: dict[str, str] = {}
    for n, found in enumerate(clauses):
        keyword = found.group(1).lower()
        if keyword in values:
            raise OutletError(_(TWICE).format(keyword=f"{keyword}:", form=CHANNEL_FORM))
        end = clauses[n + 1].start() if n + 1 < len(clauses) else len(rest)
        values[keyword] = rest[found.end() : end]
    return chat, values.get("topics"), _thread(values.get("thread"))


def unknown_word(word: str) -> str:
    """Why a word is refused, with the keyword it looks like a typo of, if any."""
    shown = repr(word[:30])
    close = difflib.get_close_matches(word.strip("-:,").lower(), _KEYWORDS, n=1, cutoff=0.6)
    if close:
        return _(UNKNOWN_WORD_HINT).format(word=shown, keyword=f"{close[0]}:", form=CHANNEL_FORM)
    return _(UNKNOWN_WORD).format(word=shown, form=CHANNEL_FORM)


def _thread(text: str | None) -> int | None:
    """thread: takes one number (the shared rule of summaries.ids); a word after it is not
    part of /channel."""
    if text is None:
        return None
    first, *more = text.split() or [""]
    if more:
        raise OutletError(unknown_word(more[0]))
    thread = parse_thread_id(first)
    if thread is None:
        raise OutletError(_(NOT_A_THREAD).format(text=repr(first[:20]), most=MAX_THREAD_ID))
    return thread
