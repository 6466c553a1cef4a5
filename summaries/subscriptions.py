"""Subscriptions: readers' digest settings, the schedule, deliveries and the sender lease.

Every delivery is claimed in SQLite before it is sent, marked 'sending' as its request leaves
(after any wait for a rate-limit slot), and marked done after, so after a crash the database
knows what went out. A claim still waiting was never sent: it is sent after the restart. One
that was on the wire is in doubt: Telegram has no idempotency key, so resending could
duplicate it. It is counted as delivered (a request that left usually arrived): never sent
again, and its articles are not repeated in the reader's next digest.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from summaries.errors import NotSubscribedError
from summaries.models import Subscription, from_db_time, to_db_time, utc_now
from summaries.schedule import Due, first_due, following_due, local_date

FIRST_DIGEST_LOOKBACK = timedelta(hours=24)


class Subscriptions:
    """Readers and their digests, on the article store's database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.clock = utc_now  # when rows are stamped; tests turn it by hand

    # Settings

    def get(self, chat_id: int) -> Subscription | None:
        """The reader's subscription (in any state), if they ever subscribed."""
        row = next(self.db.query("SELECT * FROM subscribers WHERE chat_id = ?", [chat_id]), None)
        return None if row is None else Subscription.from_row(row)

    def subscribe(
        self,
        chat_id: int,
        at: time,
        zone: ZoneInfo,
        *,
        topics: tuple[str, ...] | None = None,
        now: datetime | None = None,
        keep_status: bool = False,
    ) -> Subscription:
        """Start (or change) a daily digest; an old reader keeps their topics and history.

        With keep_status (a change of time or zone from /settings), a paused digest stays
        paused. A reader who already had today's digest, in whatever zone, gets the next one
        on a later local day: moving west never brings a second digest the same day.
        """
        now = now or self.clock()
        due = first_due(at, zone, now)
        last = self.db.execute(
            "SELECT max(claimed_at) FROM deliveries WHERE chat_id = ? AND kind = 'daily'",
            [chat_id],
        ).fetchone()[0]
        if last is not None:
            last_day = local_date(from_db_time(last), zone)
            if due.day <= last_day:
                due = following_due(last_day, at, zone)
        with self.db.atomic():
            self.db.execute(
                """
                INSERT INTO subscribers (chat_id, time_of_day, timezone, topics, status,
                    due_day, due_at, seen_id, created_at, updated_at)
                VALUES (:chat, :at, :zone, :topics, 'active', :day, :due, :seen, :now, :now)
                ON CONFLICT (chat_id) DO UPDATE SET time_of_day = :at, timezone = :zone,
                    topics = coalesce(:new_topics, topics), blocked = 0,
                    status = CASE WHEN :keep THEN status ELSE 'active' END,
                    due_day = :day, due_at = :due, updated_at = :now
                """,
                {
                    "chat": chat_id,
                    "at": at.strftime("%H:%M"),
                    "zone": zone.key,
                    "topics": ",".join(topics or ()),
                    "day": due.day.isoformat(),
                    "due": to_db_time(due.at),
                    "now": to_db_time(now),
                    "seen": self.last_id_before(now - FIRST_DIGEST_LOOKBACK),
                    "new_topics": None if topics is None else ",".join(topics),
                    "keep": keep_status,
                },
            )
        return self._must_get(chat_id)

    def set_status(
        self, chat_id: int, status: str, *, now: datetime | None = None
    ) -> Subscription:
        """Pause, resume ('active') or unsubscribe; resuming schedules the next digest afresh."""
        current = self._must_get(chat_id)
        if status == "active":
            return self.subscribe(chat_id, current.time_of_day, current.timezone, now=now)
        with self.db.atomic():
            self.db.execute(
                "UPDATE subscribers SET status = ?, updated_at = ? WHERE chat_id = ?",
                [status, to_db_time(now or self.clock()), chat_id],
            )
        return self._must_get(chat_id)

    def set_topics(self, chat_id: int, topics: tuple[str, ...]) -> Subscription:
        """Digests hold only articles matching one of these topics (none: everything)."""
        return self._update(chat_id, topics=",".join(topics))

    def set_flags(self, chat_id: int, **flags: bool) -> Subscription:
        """Turn `nothing_new` or `breaking` on or off."""
        unknown = set(flags) - {"nothing_new", "breaking"}
        if unknown:
            raise ValueError(f"unknown flag(s): {unknown}")
        return self._update(chat_id, **{k: int(v) for k, v in flags.items()})

    # Blocked readers

    def mark_blocked(self, chat_id: int) -> None:
        """Telegram answered 403: keep the settings, stop sending, note when."""
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO blocked_chats (chat_id, blocked_at) VALUES (?, ?)",
                [chat_id, to_db_time(self.clock())],
            )
            self.db.execute("UPDATE subscribers SET blocked = 1 WHERE chat_id = ?", [chat_id])

    def mark_unblocked(self, chat_id: int, *, now: datetime | None = None) -> bool:
        """The reader is back: digests resume from the next due time. True if they had blocked."""
        with self.db.atomic():
            gone = self.db.execute("DELETE FROM blocked_chats WHERE chat_id = ?", [chat_id])
            sub = self.get(chat_id)
            if sub is not None and sub.blocked:
                due = first_due(sub.time_of_day, sub.timezone, now or self.clock())
                self._set_due(chat_id, due, blocked=0)
        return bool(gone.rowcount) or bool(sub and sub.blocked)

    def is_blocked(self, chat_id: int) -> bool:
        """Whether the chat blocked the bot."""
        cursor = self.db.execute("SELECT 1 FROM blocked_chats WHERE chat_id = ?", [chat_id])
        return cursor.fetchone() is not None

    # The schedule and deliveries

    def due(self, now: datetime, limit: int = 500) -> list[Subscription]:
        """Readers whose digest is due at `now`: one indexed range scan, oldest first."""
        rows = self.db.query(
            "SELECT * FROM subscribers INDEXED BY subscribers_due WHERE status = 'active' "
            "AND blocked = 0 AND due_at <= ? ORDER BY due_at LIMIT ?",
            [to_db_time(now), limit],
        )
        return [Subscription.from_row(row) for row in rows]

    def reschedule(self, chat_id: int, due: Due) -> None:
        """Move the reader's next digest (a missed day skipped, or a delivery settled)."""
        with self.db.atomic():
            self._set_due(chat_id, due)

    def claim(
        self,
        chat_id: int,
        kind: str,
        key: str,
        owner: str,
        *,
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
                [chat_id, kind, key, owner, to_db_time(self.clock()), json.dumps(articles or [])],
            )
            if then is not None:
                self._set_due(chat_id, then)
        return cursor.rowcount == 1

    def finish(
        self,
        chat_id: int,
        kind: str,
        key: str,
        state: str,
        *,
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
                    to_db_time(self.clock()),
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
                self._set_due(chat_id, due)

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

    def settle_unfinished(self, owner: str) -> tuple[int, int]:
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
                [to_db_time(self.clock()), owner],
            )
        return len(stale), doubt.rowcount

    def deliveries(self, chat_id: int, kind: str = "daily") -> list[dict[str, Any]]:
        """A reader's deliveries of one kind, oldest first (for tests and statistics)."""
        return list(
            self.db.query(
                "SELECT * FROM deliveries WHERE chat_id = ? AND kind = ? ORDER BY claimed_at, key",
                [chat_id, kind],
            )
        )

    def forget(self, chat_id: int) -> int:
        """Delete everything kept about a private chat (its reader): rows deleted."""
        with self.db.atomic():
            return sum(
                self.db.execute(sql, [chat_id]).rowcount
                for sql in (
                    "DELETE FROM deliveries WHERE chat_id = ?",
                    "DELETE FROM subscribers WHERE chat_id = ?",
                    "DELETE FROM blocked_chats WHERE chat_id = ?",
                )
            )

    # Breaking news

    def start_broadcast(self, article_id: int, created_by: str | None) -> bool:
        """Record that an article goes to breaking-news readers; False if it already did."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO broadcasts (article_id, created_by, created_at) "
                "VALUES (?, ?, ?)",
                [article_id, created_by, to_db_time(self.clock())],
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

    def finish_broadcast(self, article_id: int) -> None:
        """Every recipient has been claimed: the broadcast is done."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE broadcasts SET finished_at = ? WHERE article_id = ?",
                [to_db_time(self.clock()), article_id],
            )

    # The sender lease: one process sends, however many run

    def hold_lease(self, name: str, owner: str, now: datetime, ttl: timedelta) -> str | None:
        """Take or renew the lease; None if we hold it, else the live holder's name."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT owner, expires_at FROM leases WHERE name = ?", [name]
            ).fetchone()
            if row is not None and row[0] != owner and row[1] > to_db_time(now):
                return str(row[0])
            self.db.execute(
                "INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, "
                "expires_at = excluded.expires_at",
                [name, owner, to_db_time(now + ttl)],
            )
        return None

    def release_lease(self, name: str, owner: str) -> None:
        """Give the lease up at shutdown, so a restart need not wait for it to expire."""
        with self.db.atomic():
            self.db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", [name, owner])

    # Internals

    def last_id_before(self, moment: datetime) -> int:
        """The newest article stored by `moment`: what a new reader has 'seen'."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE created_at <= ? ORDER BY created_at DESC, id DESC "
            "LIMIT 1",
            [to_db_time(moment)],
        ).fetchone()
        return int(row[0]) if row else 0

    def _set_due(self, chat_id: int, due: Due, **extra: int) -> None:
        sets = "".join(f", {column} = :{column}" for column in extra)
        self.db.execute(
            f"UPDATE subscribers SET due_day = :day, due_at = :at{sets} WHERE chat_id = :chat",  # noqa: S608
            {"day": due.day.isoformat(), "at": to_db_time(due.at), "chat": chat_id, **extra},
        )

    def _update(self, chat_id: int, **columns: Any) -> Subscription:
        self._must_get(chat_id)
        sets = ", ".join(f"{column} = :{column}" for column in columns)
        with self.db.atomic():
            self.db.execute(
                f"UPDATE subscribers SET {sets}, updated_at = :now WHERE chat_id = :chat",  # noqa: S608
                {**columns, "now": to_db_time(self.clock()), "chat": chat_id},
            )
        return self._must_get(chat_id)

    def _must_get(self, chat_id: int) -> Subscription:
        found = self.get(chat_id)
        if found is None:
            raise NotSubscribedError
        return found
