"""SummaryCache: the summaries kept for each article, so each is made once."""

from __future__ import annotations

import json

from sqlite_utils import Database

from summaries.article_queries import ArticleQueries
from summaries.models import Summary


class SummaryCache(ArticleQueries):
    """The summaries kept over `db`; a read-only store keeps none."""

    read_only: bool

    def cached_summary(
        self, article_id: int, *, method: str, length: int, source_digest: str
    ) -> list[str] | None:
        """The summary kept for the article, made this way from this source; None if none is."""
        row = self._one(
            "SELECT summary FROM summaries WHERE article_id = ? AND method = ? AND sentences = ? "
            "AND source_digest = ?",
            [article_id, method, length, source_digest],
        )
        return None if row is None else list(json.loads(row["summary"]))

    def keep_summary(self, article_id: int, summary: Summary) -> None:
        """Keep a summary for next time (a read-only store keeps nothing; a deleted or
        vanished article has nothing to keep it for)."""
        if self.read_only:
            return
        with self.db.atomic():
            if self._one("SELECT 1 FROM articles WHERE id = ?", [article_id]) is not None:
                put_summary(self.db, article_id, summary)


def put_summary(db: Database, article_id: int, summary: Summary) -> None:
    """Keep `summary` for the article, in place of one made the same way (inside the caller's
    transaction)."""
    db.execute(
        "INSERT OR REPLACE INTO summaries (article_id, method, sentences, source_digest, "
        "summary) VALUES (?, ?, ?, ?, ?)",
        [
            article_id,
            summary.method,
            summary.length,
            summary.source_digest,
            json.dumps(summary.sentences, ensure_ascii=False),
        ],
    )
