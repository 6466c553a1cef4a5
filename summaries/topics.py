"""Readers' digest topics: parsed from what they type, within the limits, or refused whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summaries.errors import TopicsError
from summaries.length import clip
from summaries.text import fold, normalize, words

MAX_TOPICS, TOPIC_CHARS = 10, 40
TOPICS_USAGE = "Topics need words: e.g. /topics economy, climate change (or /topics all)."


@dataclass(frozen=True, slots=True)
class TopicsWording:
    """How a refusal tells the person what to do where they typed the topics (a reader's
    /topics, an admin's `channel add --topics`, /channel … topics: …)."""

    then: str  # the lead-in of what to do, e.g. "Nothing changed: send"
    example: str  # how topics are written there
    everything: str  # how to ask for every article there, in parentheses, or ""


READERS = TopicsWording(
    "Nothing changed: send", "/topics economy, climate change", " (or /topics all)"
)


def topics_or_all(text: str) -> tuple[str, ...]:
    """Topics typed; 'all' (or 'none') means every article, as in /topics all."""
    text = re.sub(r"^\s*topics\s*:", "", text, flags=re.IGNORECASE)  # as /subscribe writes it
    return () if fold(text).strip() in {"all", "none"} else parse_topics(text)


def parse_topics(text: str, wording: TopicsWording = READERS) -> tuple[str, ...]:
    """Topics separated by commas, each kept as the reader typed it (normalized as search
    normalizes, spaces collapsed): '<b>x</b>' stays that, shown escaped, and matches on its
    words, as a search for it would. Repeats (the same words, any case or accents) count once.

    A topic without a word (only emoji or punctuation), more than 10 topics, or one longer
    than 40 characters is a TopicsError: nothing is stored, and the reader is told what to
    change. Cutting or dropping instead would change what they asked for without them
    noticing (a topic cut mid-word matches other articles; a dropped one, none). The
    refusal says what to do in `wording`'s terms.
    """
    parts = [" ".join(part.split()) for part in normalize(text).split(",")]
    topics: dict[tuple[str, ...], str] = {}
    for part in filter(None, parts):  # empty ones (",," or a trailing comma) say nothing
        found = tuple(fold(word) for word in words(part))
        if not found:
            raise TopicsError(
                f"Topics need words, and {clip(part, 60)!r} has none. {wording.then} e.g. "
                f"{wording.example}{wording.everything}.",
                code=_code(wording, "topic-without-words"),
                topic=clip(part, 60),
            )
        topics.setdefault(found, part)
    if not topics:  # only commas
        raise TopicsError(
            f"Topics need words: e.g. {wording.example}{wording.everything}.",
            code=_code(wording, "no-topics"),
        )
    return _checked(tuple(topics.values()), wording)


def _code(wording: TopicsWording, code: str) -> str:
    """The refusal's code for the chat, which words it in the reader's language: only a
    reader's (/topics, /subscribe); an admin's keep the English words of `wording`."""
    return code if wording is READERS else ""


def _checked(topics: tuple[str, ...], wording: TopicsWording) -> tuple[str, ...]:
    """The topics, if within the limits; else a TopicsError saying which and what to do."""
    too_long = [topic for topic in topics if len(topic) > TOPIC_CHARS]
    if too_long:
        others = f" (and {len(too_long) - 1} more)" if len(too_long) > 1 else ""
        raise TopicsError(
            f"A topic can be at most {TOPIC_CHARS} characters, and "
            f"{clip(too_long[0], 60)!r} is {len(too_long[0])}{others}. {wording.then} "
            f"shorter topics, e.g. {wording.example}.",
            code=_code(wording, "topic-too-long"),
            topic=clip(too_long[0], 60),
            length=len(too_long[0]),
            most=TOPIC_CHARS,
            more=len(too_long) - 1,
        )
    if len(topics) > MAX_TOPICS:
        raise TopicsError(
            f"That's {len(topics)} topics; the most is {MAX_TOPICS}. {wording.then} "
            f"the {MAX_TOPICS} you want most, separated by commas.",
            code=_code(wording, "too-many-topics"),
            count=len(topics),
            most=MAX_TOPICS,
        )
    return topics


def split_topics(text: str) -> tuple[str, str, str]:
    """'07:30 Berlin Topics: a, b' -> ('07:30 Berlin ', 'topics:', ' a, b'), any case."""
    found = re.search("topics:", text, re.IGNORECASE)  # not lower(): 'İ' grows, shifting
    if found is None:
        return text, "", ""
    return text[: found.start()], found[0].lower(), text[found.end() :]
