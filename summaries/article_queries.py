"""ArticleQueries: the reads of articles and photos, one row or one page at a time."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from summaries.articles import normalize_url
from summaries.errors import ArticleNotFoundError
from summaries.fts import fts_query, topics_query
from summaries.ids import MAX_ID, is_row_id
from summaries.models import Article, to_db_time
from summaries.search_index import MATCHING

_ARTICLE_COLUMNS = """
    a.id, a.title, a.body, a.language, a.url, a.photo_url, a.photo_file_id, a.photo_caption,
    a.photo_credit, a.published_at, a.created_by, a.updated_at, a.version, a.source_id,
    EXISTS (SELECT 1 FROM photos p WHERE p.article_id = a.id) AS has_photo
"""


class ArticleQueries:
    """The article reads over `db`; ArticleStore is made of this and the writes."""

    db: Database

    def get(self, article_id: int) -> Article:
        """The article with this id; ArticleNotFoundError if there is none or it was deleted."""
        if not is_row_id(article_id):
            raise ArticleNotFoundError(article_id)
        row = self._one(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id = ? AND a.deleted = 0",
            [article_id],
        )
        if row is None:  # the CLI's message says how to bring a deleted one back
            raise ArticleNotFoundError(article_id, deleted=self.is_deleted(article_id))
        return Article.from_row(row)

    def id_for_draft(self, key: str) -> int | None:
        """The article an admin's draft became, if it was published already."""
        row = self._one("SELECT id FROM articles WHERE draft_key = ?", [key])
        return None if row is None else int(row["id"])

    def get_any(self, article_id: int) -> Article:
        """An article even if deleted since (a withdrawn post still names its headline)."""
        return self._get_any(article_id)

    def _get_any(self, article_id: int) -> Article:
        """An article even if deleted since (for an idempotent publish)."""
        if not is_row_id(article_id):
            raise ArticleNotFoundError(article_id)
        row = self._one(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", [article_id])
        if row is None:  # pragma: no cover - the id came from the table
            raise ArticleNotFoundError(article_id)
        return Article.from_row(row)

    def id_for_url(self, url: str) -> int | None:
        """The id of the article (deleted or not) with this source url."""
        return self._id_for_url(url)

    def photo(self, article_id: int) -> bytes | None:
        """The stored image bytes of an article, if it has some."""
        if not is_row_id(article_id):
            return None
        row = self._one("SELECT data FROM photos WHERE article_id = ?", [article_id])
        return None if row is None else bytes(row["data"])

    def count(self) -> int:
        """How many articles readers can see."""
        row = self._one("SELECT count(*) AS n FROM articles WHERE deleted = 0", [])
        return int(row["n"]) if row else 0

    def latest(self, limit: int = 10, offset: int = 0) -> list[Article]:
        """Articles newest first (by publication time), one page."""
        limit, offset = min(limit, MAX_ID), min(offset, MAX_ID)
        return self._articles(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.deleted = 0 "
            "ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?",
            [limit, offset],
        )

    def next_older(self, article: Article) -> Article | None:
        """The article published just before this one (what "Next" shows), if any."""
        found = self._articles(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.deleted = 0 "
            "AND (a.published_at, a.id) < (?, ?) ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
            [to_db_time(article.published_at), article.id],
        )
        return found[0] if found else None

    def search(self, text: str, limit: int = 10, offset: int = 0) -> list[Article]:
        """Articles whose title or body has every word of `text`, newest first."""
        query = fts_query(text)
        if query is None:
            return []
        limit, offset = min(limit, MAX_ID), min(offset, MAX_ID)
        # Walk the newest-first index and keep rows whose id the FTS match lists: a common word
        # then costs a few rows of the index, where sorting every match took 30x longer at
        # 100,000 articles (BENCHMARKS.md). SQLite's planner prefers the sort, hence INDEXED BY.
        return self._articles(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a INDEXED BY articles_latest "
            f"WHERE a.deleted = 0 AND {MATCHING} "
            "ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?",
            [query, limit, offset],
        )

    def last_id(self) -> int:
        """The highest article id: ids grow in commit order, so it marks what exists now."""
        row = self._one("SELECT coalesce(max(id), 0) AS id FROM articles", [])
        return int(row["id"]) if row else 0

    def new_articles(
        self, after_id: int, until_id: int, topics: tuple[str, ...] = (), limit: int = 10
    ) -> list[Article]:
        """Articles with ids in (after_id, until_id], newest published first; with topics,
        only those matching at least one (a topic's words all appear in title or body)."""
        where = "a.deleted = 0 AND a.id > ? AND a.id <= ?"
        params: list[object] = [after_id, until_id]
        query = topics_query(topics)
        if topics and query is None:
            return []  # topics of punctuation only match nothing
        if query is not None:
            where += f" AND {MATCHING}"
            params.append(query)
        return self._articles(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a "
            f"WHERE {where} ORDER BY a.published_at DESC, a.id DESC LIMIT ?",
            [*params, limit],
        )

    def is_deleted(self, article_id: int) -> bool:
        """Whether the article exists but was deleted."""
        if not is_row_id(article_id):
            return False
        return self._deleted_note(article_id) != ""

    def _deleted_note(self, article_id: int) -> str:
        row = self._one("SELECT deleted FROM articles WHERE id = ?", [article_id])
        return " (deleted)" if row and row["deleted"] else ""

    def _id_for_url(self, url: str) -> int | None:
        """Looked up as stored: normalized (validate does it on the way in)."""
        row = self._one("SELECT id FROM articles WHERE url = ?", [normalize_url(url)])
        return None if row is None else int(row["id"])

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        return next(self.db.query(sql, params), None)

    def _articles(self, sql: str, params: list[Any]) -> list[Article]:
        return [Article.from_row(row) for row in self.db.query(sql, params)]
