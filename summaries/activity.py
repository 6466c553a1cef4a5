"""What readers do, counted for the admins' statistics."""

from __future__ import annotations

from sqlite_utils import Database

from summaries.models import utc_now


class ActivityLog:
    """Small, frequent writes beside the article store, on the same database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count_read(self, article_id: int) -> None:
        """One more read of an article today (UTC)."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO reads (article_id, day, count) VALUES (?, ?, 1) "
                "ON CONFLICT (article_id, day) DO UPDATE SET count = count + 1",
                [article_id, utc_now().date().isoformat()],
            )

    def reads(self, article_id: int) -> int:
        """All reads of an article, every day."""
        row = self.db.execute(
            "SELECT coalesce(sum(count), 0) FROM reads WHERE article_id = ?", [article_id]
        ).fetchone()
        return int(row[0])
