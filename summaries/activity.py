"""What readers do, counted for the admins' statistics: reads, and chats that blocked us."""

from __future__ import annotations

from sqlite_utils import Database

from summaries.models import to_db_time, utc_now


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

    def mark_blocked(self, chat_id: int) -> None:
        """The chat blocked the bot (Telegram answered 403): stop writing to it."""
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO blocked_chats (chat_id, blocked_at) VALUES (?, ?)",
                [chat_id, to_db_time(utc_now())],
            )

    def mark_unblocked(self, chat_id: int) -> None:
        """The chat is back (it wrote to us again)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM blocked_chats WHERE chat_id = ?", [chat_id])

    def is_blocked(self, chat_id: int) -> bool:
        """Whether the chat blocked the bot."""
        row = self.db.execute("SELECT 1 FROM blocked_chats WHERE chat_id = ?", [chat_id])
        return row.fetchone() is not None
