"""Corrections told to readers: an admin marks an edit as a correction, with what changed,
and every reader whose digest (scheduled or on demand) or breaking news carried the article is
told, once.

The notices go through the deliveries ledger (kind 'correction', key '<correction id>'):
claimed before they are sent, so each reader gets one however often the job restarts, paced
by the same rate limiter as digests. It works like a breaking-news broadcast: recorded
first, then each recipient claimed until none is left, then finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from summaries.errors import ArticleNotFoundError, InvalidArticleError
from summaries.models import from_db_time, to_db_time

KIND = "correction"


@dataclass(frozen=True, slots=True)
class Correction:
    """What an admin said changed in an article."""

    id: int
    article_id: int
    note: str
    created_by: str | None
    created_at: datetime


class Corrections:
    """Corrections and who is owed a notice of each."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def mark(self, article_id: int, note: str, by: str | None, *, now: datetime) -> int:
        """Record a correction of the article (its notices go out from here); its id."""
        note = note.strip()
        if not note:
            raise InvalidArticleError("say what changed: a correction needs a note")
        with self.db.atomic():
            if (
                self.db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
                is None
            ):
                raise ArticleNotFoundError(article_id)
            cursor = self.db.execute(
                "INSERT INTO corrections (article_id, note, created_by, created_at) "
                "VALUES (?, ?, ?, ?)",
                [article_id, note, by, to_db_time(now)],
            )
        return int(cursor.lastrowid or 0)

    def get(self, correction_id: int) -> Correction | None:
        """One correction, if there is one."""
        row = self.db.execute(
            "SELECT id, article_id, note, created_by, created_at FROM corrections WHERE id = ?",
            [correction_id],
        ).fetchone()
        if row is None:
            return None
        return Correction(row[0], row[1], row[2], row[3], from_db_time(row[4]))

    def open_corrections(self) -> list[Correction]:
        """Corrections whose notices are not all claimed yet, oldest first."""
        rows = self.db.execute(
            "SELECT id FROM corrections WHERE finished_at IS NULL ORDER BY id"
        ).fetchall()
        return [found for (cid,) in rows if (found := self.get(cid)) is not None]

    def recipients(self, correction_id: int, limit: int = 500) -> list[int]:
        """Reader chats that were sent the article (a digest or breaking news that went, or
        is counted as gone) and have no notice of this correction claimed yet; blocked
        readers are left out."""
        rows = self.db.execute(
            "SELECT DISTINCT d.chat_id FROM corrections c, deliveries d, json_each(d.articles) j "
            "WHERE c.id = ? AND d.kind IN ('daily', 'breaking', 'ondemand') "
            "AND d.state IN ('sent', 'in-doubt', 'partial') AND j.value = c.article_id "
            "AND NOT EXISTS (SELECT 1 FROM deliveries n WHERE n.chat_id = d.chat_id "
            "  AND n.kind = 'correction' AND n.key = CAST(c.id AS TEXT)) "
            "AND NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.chat_id = d.chat_id "
            "  AND s.blocked = 1) "
            "ORDER BY d.chat_id LIMIT ?",
            [correction_id, limit],
        )
        return [int(row[0]) for row in rows]

    def readers_of(self, article_id: int) -> int:
        """How many readers a correction of the article would be told (its recipients
        before any notice is claimed): the ones sent it, blocked readers left out."""
        row = self.db.execute(
            "SELECT count(DISTINCT d.chat_id) FROM deliveries d, json_each(d.articles) j "
            "WHERE d.kind IN ('daily', 'breaking', 'ondemand') "
            "AND d.state IN ('sent', 'in-doubt', 'partial') "
            "AND j.value = ? AND NOT EXISTS (SELECT 1 FROM subscribers s "
            "  WHERE s.chat_id = d.chat_id AND s.blocked = 1)",
            [article_id],
        ).fetchone()
        return int(row[0])

    def finish_correction(self, correction_id: int, *, now: datetime) -> None:
        """Every recipient has been claimed: the correction is done."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE corrections SET finished_at = ? WHERE id = ?",
                [to_db_time(now), correction_id],
            )
