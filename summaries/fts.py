"""Readers' words as SQLite FTS5 queries: quoted, so no text can be a syntax error."""

from __future__ import annotations

from summaries.text import words

MAX_QUERY_WORDS = 32  # a 4,000-character message still makes a cheap query


def fts_query(text: str) -> str | None:
    """User text as an FTS5 query that cannot be a syntax error: every word quoted, ANDed.

    Words are taken as the index takes them (summaries.text.words: NFKC, no zero-width
    characters), so a word with an invisible character inside still matches; accents and
    case are folded by the index's tokenizer, which reads the quoted words too. None when
    the text has no searchable word (only punctuation or emoji).
    """
    found = words(text)[:MAX_QUERY_WORDS]
    return " ".join(f'"{word}"' for word in found) or None


def topics_query(topics: tuple[str, ...]) -> str | None:
    """Topics as one FTS5 query: any topic, each with all its words; None if no word at all."""
    groups = [f"({query})" for topic in topics if (query := fts_query(topic))]
    return " OR ".join(groups) or None
