"""Readers' words as SQLite FTS5 queries: quoted, so no text can be a syntax error."""

from __future__ import annotations

from summaries.search_words import forms_to_search, words_of

MAX_QUERY_WORDS = 32  # different words (Minister and MINISTER are one): a cheap query still


def fts_query(text: str) -> str | None:
    """User text as an FTS5 query that cannot be a syntax error: every word ANDed, each as
    any of the forms the index may hold it in (summaries.search_words), quoted.

    None when the text has no searchable word (only punctuation or emoji).
    """
    found = words_of(text)[: 4 * MAX_QUERY_WORDS]
    groups = dict.fromkeys(" OR ".join(f'"{f}"' for f in forms_to_search(w)) for w in found)
    return " AND ".join(f"({group})" for group in list(groups)[:MAX_QUERY_WORDS]) or None


def topics_query(topics: tuple[str, ...]) -> str | None:
    """Topics as one FTS5 query: any topic, each with all its words; None if no word at all."""
    groups = [f"({query})" for topic in topics if (query := fts_query(topic))]
    return " OR ".join(groups) or None
