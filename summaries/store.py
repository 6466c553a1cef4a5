"""ArticleStore: the articles database, its reads, writes and summary cache in one object."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from summaries.article_writes import ArticleWrites, check_caption_has_photo
from summaries.ids import MAX_ID
from summaries.migrations import migrations
from summaries.opening import (
    UPGRADING_COMMANDS,
    check_database,
    check_schema,
    connect,
    refusal,
)
from summaries.search_index import reindex_if_needed
from summaries.summary_cache import SummaryCache

__all__ = [
    "MAX_ID",
    "UPGRADING_COMMANDS",
    "ArticleStore",
    "check_caption_has_photo",
    "check_database",
    "check_schema",
    "refusal",
]


class ArticleStore(ArticleWrites, SummaryCache):
    """Articles and their summaries in one SQLite file (WAL, so readers never block writers).

    It stores summaries and never makes one: summaries.article_summary computes them, with
    the summarizer it is given, and hands them here to keep.
    """

    def __init__(self, db: Database, *, upgrade: bool = True) -> None:
        self.db = db
        self.read_only = not upgrade  # then nothing is written, not even a summary cache
        db.execute("PRAGMA foreign_keys = ON")  # SQLite's default is off, per connection
        db.execute("PRAGMA busy_timeout = 5000")  # the CLI may write while the bot does
        if upgrade:
            migrations.apply(db)  # each pending step once, in its own transaction
            reindex_if_needed(db)  # after an upgrade, or a change of what is indexed

    @classmethod
    def open(cls, path: Path | str, *, upgrade: bool = True) -> ArticleStore:
        """Open the newsbot database at `path`, or ':memory:'.

        With upgrade (commands that change data) a missing or empty file becomes a newsbot
        database and an older one is upgraded; without it (commands that only read) the file
        is opened read-only and must be a current newsbot database. Either way a database of
        another program, or of a newer newsbot, is refused before anything is written to it.
        """
        if str(path) == ":memory:":
            return cls(Database(memory=True))
        return cls(connect(Path(path), upgrade=upgrade), upgrade=upgrade)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()
