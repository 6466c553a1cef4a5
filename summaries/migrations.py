"""The schema's history. Append new steps; never edit one that has shipped."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("newsbot")


@migrations()
def m001_articles(db: Database) -> None:
    """Articles, their images, and full-text search kept in sync by triggers."""
    db.execute(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            language TEXT NOT NULL DEFAULT 'english',
            url TEXT,
            photo_url TEXT,
            photo_file_id TEXT,
            photo_caption TEXT NOT NULL DEFAULT '',
            photo_credit TEXT NOT NULL DEFAULT '',
            published_at TEXT NOT NULL,
            created_by TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    # Newest first is every listing's order; the partial index skips deleted rows.
    db.execute(
        "CREATE INDEX articles_latest ON articles (published_at DESC, id DESC) WHERE deleted = 0"
    )
    db.execute("CREATE UNIQUE INDEX articles_url ON articles (url) WHERE url IS NOT NULL")
    db.execute(
        """
        CREATE TABLE photos (
            article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            mime TEXT NOT NULL,
            data BLOB NOT NULL
        )
        """
    )
    # porter: a search for "elections" finds "election"; unicode61 underneath folds accents.
    db.table("articles").enable_fts(
        ["title", "body"], create_triggers=True, tokenize="porter unicode61 remove_diacritics 2"
    )


@migrations()
def m002_summaries(db: Database) -> None:
    """Summaries computed when an article is stored, keyed by what they were made from."""
    db.execute(
        """
        CREATE TABLE summaries (
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            method TEXT NOT NULL,
            sentences INTEGER NOT NULL,
            source_digest TEXT NOT NULL,
            summary TEXT NOT NULL,
            PRIMARY KEY (article_id, method, sentences)
        ) WITHOUT ROWID
        """
    )


@migrations()
def m003_activity(db: Database) -> None:
    """Reads per article and day (for statistics), and chats that blocked the bot."""
    db.execute(
        """
        CREATE TABLE reads (
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (article_id, day)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        "CREATE TABLE blocked_chats (chat_id INTEGER PRIMARY KEY, blocked_at TEXT NOT NULL)"
    )


KNOWN = frozenset(step.name for step in migrations._migrations)
