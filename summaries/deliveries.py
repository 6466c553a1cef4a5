"""Deliveries: each digest and breaking-news message, claimed before it is sent.

Every delivery is claimed in SQLite before it is sent, marked 'sending' as its request leaves
(after any wait for a rate-limit slot or a connection), and marked done after, so after a
crash the database knows what went out. A claim that had not left was never sent: it is sent
after the restart. One that was on the wire is in doubt: Telegram has no idempotency key, so
resending could duplicate it. It is counted as delivered (a request that left usually
arrived): never sent again, and its articles are not repeated in the reader's next digest.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from summaries.models import to_db_time
from summaries.schedule import Due
from summaries.subscriptions import set_due


class Deliveries:
    """What was sent to whom, and what a crash left unfinished."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(
        self,
        chat_id: int,
        kind: str,
        key: str,
        owner: str,
        *,
        now: datetime,
        then: Due | None,
        articles: list[int] | None = None,
    ) -> bool:
        """Record that this delivery (of `articles`) is about to be sent, and move the schedule
        on, at once.

        False if the delivery was already claimed (sent, or in flight at a crash): never twice.
        """
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO deliveries "
                "(chat_id, kind, key, state, owner, claimed_at, articles) "
                "VALUES (?, ?, ?, 'claimed', ?, ?, ?)",
                [chat_id, kind, key, owner, to_db_time(now), json.dumps(articles or [])],
            )
            if then is not None:
                set_due(self.db, chat_id, then)
        return cursor.rowcount == 1

    def finish(
        self,
        chat_id: int,
        kind: str,
        key: str,
        state: str,
        *,
        now: datetime,
        articles: list[int] | None = None,
        error: str | None = None,
        seen_id: int | None = None,
    ) -> None:
        """Mark a claimed delivery sent, empty or failed; `seen_id` moves what counts as new."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE deliveries SET state = ?, finished_at = ?, articles = ?, error = ? "
                "WHERE chat_id = ? AND kind = ? AND key = ?",
                [
                    state,
                    to_db_time(now),
                    json.dumps(articles or []),
                    error,
                    chat_id,
                    kind,
                    key,
                ],
            )
            if seen_id is not None:
                self.db.execute(
                    "UPDATE subscribers SET seen_id = max(seen_id, ?) WHERE chat_id = ?",
                    [seen_id, chat_id],
                )

    def release(self, chat_id: int, kind: str, key: str, due: Due | None) -> None:
        """Undo a claim whose send certainly failed (e.g. 502), so the next round retries it."""
        with self.db.atomic():
            self.db.execute(
                "DELETE FROM deliveries WHERE chat_id = ? AND kind = ? AND key = ? "
                "AND state IN ('claimed', 'sending')",
                [chat_id, kind, key],
            )
            if due is not None:
                set_due(self.db, chat_id, due)

    def mark_sending(self, chat_id: int, kind: str, key: str, *, sending: bool = True) -> None:
        """The request is leaving now (from here a crash leaves the delivery in doubt), or,
        with sending=False, it came back refused, so it is a plain claim again."""
        old, new = ("claimed", "sending") if sending else ("sending", "claimed")
        with self.db.atomic():
            self.db.execute(
                "UPDATE deliveries SET state = ? WHERE chat_id = ? AND kind = ? AND key = ? "
                "AND state = ?",
                [new, chat_id, kind, key, old],
            )

    def settle_unfinished(self, owner: str, *, now: datetime) -> tuple[int, int]:
        """Deliveries another process left unfinished when it died: (requeued, in doubt).

        'claimed' never reached Telegram (it was waiting for a send slot): it is undone, and
        the reader is due again (today's digest goes out, a past day's is skipped as usual).
        'sending' was on the wire: it may have arrived, so it is not resent ('in-doubt'), and
        its articles count as seen, as a sent digest's do.
        """
        with self.db.atomic():
            stale = self.db.execute(
                "SELECT chat_id, kind, key, claimed_at FROM deliveries "
                "WHERE state = 'claimed' AND owner != ?",
                [owner],
            ).fetchall()
            for chat_id, kind, key, claimed_at in stale:
                day = key.split(" ")[0]  # daily keys are "<local date> <zone>"
                self.db.execute(
                    "DELETE FROM deliveries WHERE chat_id = ? AND kind = ? AND key = ?",
                    [chat_id, kind, key],
                )
                if kind == "daily":  # back to the day it was claimed for, at that time
                    self.db.execute(
                        "UPDATE subscribers SET due_day = ?, due_at = ? "
                        "WHERE chat_id = ? AND due_day > ?",
                        [day, claimed_at, chat_id, day],
                    )
            self.db.execute(
                "UPDATE subscribers SET seen_id = max(seen_id, coalesce(("
                "  SELECT max(article.value) FROM deliveries d, json_each(d.articles) article"
                "  WHERE d.chat_id = subscribers.chat_id AND d.kind = 'daily'"
                "  AND d.state = 'sending' AND d.owner != ?), 0)) "
                "WHERE chat_id IN (SELECT chat_id FROM deliveries "
                "  WHERE kind = 'daily' AND state = 'sending' AND owner != ?)",
                [owner, owner],
            )
            doubt = self.db.execute(
                "UPDATE deliveries SET state = 'in-doubt', finished_at = ? "
                "WHERE state = 'sending' AND owner != ?",
                [to_db_time(now), owner],
            )
        return len(stale), doubt.rowcount

    def record_on_demand(self, chat_id: int, articles: list[int], *, now: datetime) -> None:
        """Note the articles a reader's /digest carried (kind 'ondemand'): it is sent at once,
        never retried, so there is no claim to settle, but a correction of one of them must
        find the reader. Each /digest is its own row, pruned with the rest by retention."""
        stamp = to_db_time(now)
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO deliveries "
                "(chat_id, kind, key, state, owner, claimed_at, finished_at, articles) "
                "VALUES (?, 'ondemand', ? || ' ' || (SELECT count(*) FROM deliveries "
                "  WHERE chat_id = ? AND kind = 'ondemand' AND claimed_at = ?), "
                "'sent', '', ?, ?, ?)",
                [chat_id, stamp, chat_id, stamp, stamp, stamp, json.dumps(articles)],
            )

    def had_digest(self, chat_id: int) -> bool:
        """Whether a daily digest ever went out to the reader (sent, or counted as sent)."""
        cursor = self.db.execute(
            "SELECT 1 FROM deliveries WHERE chat_id = ? AND kind = 'daily' "
            "AND state IN ('sent', 'in-doubt', 'partial') LIMIT 1",
            [chat_id],
        )
        return cursor.fetchone() is not None

    def deliveries(self, chat_id: int, kind: str = "daily") -> list[dict[str, Any]]:
        """A reader's deliveries of one kind, oldest first (for tests and statistics)."""
        return list(
            self.db.query(
                "SELECT * FROM deliveries WHERE chat_id = ? AND kind = ? ORDER BY claimed_at, key",
                [chat_id, kind],
            )
        )

    def prune(self, now: datetime, keep: timedelta) -> int:
        """Delete deliveries older than `keep`, so they don't grow forever (a row per reader
        per day): how many went. /stats counts the last 7 days, and "no second digest the
        same day" looks at the last one or two, so `keep` must be longer.

        Kept however old: a claim not settled (settle_unfinished's to settle), each reader's
        newest digest (had_digest: "nothing new since your last digest"), and the deliveries
        of an unfinished broadcast or correction (their recipients would be sent those
        again). Broadcasts stay: one row per article, the record that its news went out, so
        an article edited with "Publish and notify" years later is never sent as breaking
        news twice.
        """
        cutoff = to_db_time(now - keep)
        with self.db.atomic():
            return self.db.execute(
                "DELETE FROM deliveries WHERE claimed_at < :cutoff "
                "AND state NOT IN ('claimed', 'sending') "
                "AND NOT (kind = 'breaking' AND key IN ("
                "  SELECT CAST(article_id AS TEXT) FROM broadcasts WHERE finished_at IS NULL)) "
                "AND NOT (kind = 'correction' AND key IN ("
                "  SELECT CAST(id AS TEXT) FROM corrections WHERE finished_at IS NULL)) "
                "AND NOT (kind = 'daily' AND state IN ('sent', 'in-doubt', 'partial') "
                "  AND NOT EXISTS (SELECT 1 FROM deliveries newer "
                "    WHERE newer.chat_id = deliveries.chat_id AND newer.kind = 'daily' "
                "    AND newer.state IN ('sent', 'in-doubt', 'partial') "
                "    AND newer.claimed_at > deliveries.claimed_at))",
                {"cutoff": cutoff},
            ).rowcount

    def start_broadcast(self, article_id: int, created_by: str | None, *, now: datetime) -> bool:
        """Record that an article goes to breaking-news readers; False if it already did."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO broadcasts (article_id, created_by, created_at) "
                "VALUES (?, ?, ?)",
                [article_id, created_by, to_db_time(now)],
            )
        return cursor.rowcount == 1

    def open_broadcasts(self) -> list[int]:
        """Articles whose breaking-news broadcast is not finished, oldest first."""
        rows = self.db.execute(
            "SELECT article_id FROM broadcasts WHERE finished_at IS NULL ORDER BY created_at"
        )
        return [int(row[0]) for row in rows]

    def broadcast_recipients(self, article_id: int, limit: int = 500) -> list[int]:
        """Breaking-news readers this article has not been claimed for yet."""
        rows = self.db.execute(
            "SELECT s.chat_id FROM subscribers s INDEXED BY subscribers_breaking "
            "WHERE s.breaking = 1 AND s.status = 'active' AND s.blocked = 0 AND NOT EXISTS "
            "(SELECT 1 FROM deliveries d WHERE d.chat_id = s.chat_id AND d.kind = 'breaking' "
            "AND d.key = ?) ORDER BY s.chat_id LIMIT ?",
            [str(article_id), limit],
        )
        return [int(row[0]) for row in rows]

    def finish_broadcast(self, article_id: int, *, now: datetime) -> None:
        """Every recipient has been claimed: the broadcast is done."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE broadcasts SET finished_at = ? WHERE article_id = ?",
                [to_db_time(now), article_id],
            )
