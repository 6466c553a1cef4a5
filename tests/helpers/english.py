"""Finding catalog sentences left in English in what the bot said to someone who reads another
language."""

from __future__ import annotations

import re
from functools import cache

from babel.messages.pofile import read_po

from bot.i18n import LOCALES

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@cache
def _sources() -> tuple[list[str], list[re.Pattern[str]]]:
    """The template's long English sentences: whole, and (those with placeholders) as patterns
    whose literal words must all be there, in order."""
    with (LOCALES / "newsbot.pot").open("rb") as file:
        template = read_po(file)
    whole: list[str] = []
    patterns: list[re.Pattern[str]] = []
    for message in template:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            if not isinstance(text, str) or len(text) <= 25 or "<" in text:
                continue
            parts = _PLACEHOLDER.split(text)
            if len(parts) == 1:
                whole.append(text)
            elif sum(len(part.strip()) for part in parts) >= 20:
                patterns.append(re.compile(".+?".join(re.escape(part) for part in parts)))
    return whole, patterns


def english_left(texts: list[str], *, placeholders: bool = False) -> list[str]:
    """The English catalog sentences found in `texts` (with `placeholders`, also those with
    {fields}, matched around whatever filled them)."""
    whole, patterns = _sources()
    found = [e for e in whole for text in texts if e in text]
    if placeholders:
        found += [p.pattern for p in patterns for text in texts if p.search(text)]
    return found
