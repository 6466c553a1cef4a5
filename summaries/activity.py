"""What readers do, counted for the admins' statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database


class ActivityLog:
    """Small, frequent writes beside the article store, on the same database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count_read(self, article_id: int, *, now: datetime) -> None:
        """One more read of an article on `now`'s day (UTC)."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO reads (article_id, day, count) VALUES (?, ?, 1) "
                "ON CONFLICT (article_id, day) DO UPDATE SET count = count + 1",
                [article_id, now.astimezone(UTC).date().isoformat()],
            )

    def reads(self, article_id: int) -> int:
        """All reads of an article, every day."""
        row = self.db.execute(
            "SELECT coalesce(sum(count), 0) FROM reads WHERE article_id = ?", [article_id]
        ).fetchone()
        return int(row[0])

    def statistics(self, now: datetime) -> Statistics:
        """Everything /stats shows, from a handful of aggregate queries."""
        day, week = now.date().isoformat(), (now - timedelta(days=6)).date().isoformat()
        one = self._one_value
        readers = dict(
            self.db.execute(
                "SELECT CASE WHEN blocked THEN 'blocked' ELSE status END, count(*) "
                "FROM subscribers GROUP BY 1"
            ).fetchall()
        )
        most_read = self.db.execute(
            "SELECT a.id, a.title, sum(r.count) AS n FROM reads r CROSS JOIN articles a "
            "ON a.id = r.article_id WHERE a.deleted = 0 AND r.day >= ? "
            "GROUP BY a.id ORDER BY n DESC, a.id DESC LIMIT 5",
            [week],
        ).fetchall()
        sent = "SELECT count(*) FROM deliveries WHERE kind = ? AND state = 'sent' AND key >= ?"
        return Statistics(
            articles=one("SELECT count(*) FROM articles WHERE deleted = 0"),
            readers={k: int(v) for k, v in readers.items()},
            digests_today=one(sent, ["daily", day]),
            digests_week=one(sent, ["daily", week]),
            reads_today=one("SELECT coalesce(sum(count), 0) FROM reads WHERE day = ?", [day]),
            reads_week=one("SELECT coalesce(sum(count), 0) FROM reads WHERE day >= ?", [week]),
            most_read=[(int(i), str(t), int(n)) for i, t, n in most_read],
        )

    def daily(self, now: datetime, days: int = 14) -> list[tuple[date, int, int]]:
        """(day, reads, new digest readers) for each of the last `days` days, oldest first."""
        first = (now - timedelta(days=days - 1)).date()
        reads = dict(
            self.db.execute(
                "SELECT day, sum(count) FROM reads WHERE day >= ? GROUP BY day",
                [first.isoformat()],
            ).fetchall()
        )
        joined = dict(
            self.db.execute(
                "SELECT substr(created_at, 1, 10), count(*) FROM subscribers "
                "WHERE created_at >= ? GROUP BY 1",
                [first.isoformat()],
            ).fetchall()
        )
        span = [first + timedelta(days=i) for i in range(days)]
        return [
            (d, int(reads.get(d.isoformat(), 0)), int(joined.get(d.isoformat(), 0))) for d in span
        ]

    def _one_value(self, sql: str, params: list[Any] | None = None) -> int:
        return int(self.db.execute(sql, params or []).fetchone()[0])


@dataclass(frozen=True, slots=True)
class Statistics:
    """The admins' numbers; `readers` counts subscribers by state (blocked apart)."""

    articles: int
    readers: dict[str, int]
    digests_today: int
    digests_week: int
    reads_today: int
    reads_week: int
    most_read: list[tuple[int, str, int]]
