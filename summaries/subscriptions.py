"""Readers' digest settings and their schedule: when each reader's next digest is due.

What was sent, and the claims that keep a crash from sending twice, are in deliveries.py.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from summaries.errors import NotSubscribedError
from summaries.models import Subscription, from_db_time, to_db_time
from summaries.schedule import Due, first_due, following_due, local_date

FIRST_DIGEST_LOOKBACK = timedelta(hours=24)


class Subscriptions:
    """Readers and their digests, on the article store's database."""

    def __init__(self, db: Database) -> None:
        self.db = db

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
        now: datetime,
        keep_status: bool = False,
    ) -> Subscription:
        """Start (or change) a daily digest; an old reader keeps their topics and history.

        With keep_status (a change of time or zone from /settings), a paused digest stays
        paused. A reader who already had today's digest, in whatever zone, gets the next one
        on a later local day: moving west never brings a second digest the same day.
        """
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

    def set_status(self, chat_id: int, status: str, *, now: datetime) -> Subscription:
        """Pause, resume ('active') or unsubscribe; resuming schedules the next digest afresh."""
        current = self._must_get(chat_id)
        if status == "active":
            return self.subscribe(chat_id, current.time_of_day, current.timezone, now=now)
        self.db.table("subscribers").update(
            chat_id, {"status": status, "updated_at": to_db_time(now)}
        )  # in a transaction of its own
        return self._must_get(chat_id)

    def set_topics(self, chat_id: int, topics: tuple[str, ...], *, now: datetime) -> Subscription:
        """Digests hold only articles matching one of these topics (none: everything)."""
        return self._update(chat_id, now, topics=",".join(topics))

    def set_flags(self, chat_id: int, *, now: datetime, **flags: bool) -> Subscription:
        """Turn `nothing_new` or `breaking` on or off."""
        unknown = set(flags) - {"nothing_new", "breaking"}
        if unknown:
            raise ValueError(f"unknown flag(s): {unknown}")
        return self._update(chat_id, now, **{k: int(v) for k, v in flags.items()})

    # Language

    def language(self, chat_id: int) -> str | None:
        """The reader's language code as stored (None: never seen, or forgotten)."""
        row = self.db.execute(
            "SELECT language FROM reader_languages WHERE chat_id = ?", [chat_id]
        ).fetchone()
        return None if row is None else str(row[0])

    def set_language(
        self, chat_id: int, language: str, *, now: datetime, chosen: bool = True
    ) -> str:
        """Store the reader's language: a choice (/language) replaces it; Telegram's
        (chosen=False, at first contact) is only stored when none is.

        Returns the language in force afterwards.
        """
        with self.db.atomic():
            self.db.execute(
                """
                INSERT INTO reader_languages (chat_id, language, updated_at)
                VALUES (:chat, :language, :now)
                ON CONFLICT (chat_id) DO UPDATE SET language = :language, updated_at = :now
                    WHERE :chosen
                """,
                {"chat": chat_id, "language": language, "chosen": chosen, "now": to_db_time(now)},
            )
        return self.language(chat_id) or language

    # Blocked readers

    def mark_blocked(self, chat_id: int, *, now: datetime) -> None:
        """Telegram answered 403: keep the settings, stop sending, note when (updated_at).

        Only a reader has a row to mark: nothing is sent to any other chat unasked.
        """
        with suppress(NotFoundError):  # update() runs in a transaction of its own
            self.db.table("subscribers").update(
                chat_id, {"blocked": 1, "updated_at": to_db_time(now)}
            )

    def mark_unblocked(self, chat_id: int, *, now: datetime) -> bool:
        """The reader is back: digests resume from the next due time. True if they had blocked."""
        with self.db.atomic():
            sub = self.get(chat_id)
            if sub is None or not sub.blocked:
                return False
            due = first_due(sub.time_of_day, sub.timezone, now)
            set_due(self.db, chat_id, due, blocked=0)
        return True

    def is_blocked(self, chat_id: int) -> bool:
        """Whether the reader blocked the bot (subscribers.blocked, the one record of it)."""
        sub = self.get(chat_id)
        return sub is not None and sub.blocked

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
            set_due(self.db, chat_id, due)

    def forget(self, chat_id: int) -> int:
        """Delete everything kept about a private chat (its reader): rows deleted."""
        with self.db.atomic():
            return sum(
                self.db.execute(sql, [chat_id]).rowcount
                for sql in (
                    "DELETE FROM deliveries WHERE chat_id = ?",
                    "DELETE FROM subscribers WHERE chat_id = ?",
                    "DELETE FROM reader_languages WHERE chat_id = ?",
                )
            )

    # Internals

    def last_id_before(self, moment: datetime) -> int:
        """The newest article stored by `moment`: what a new reader has 'seen'."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE created_at <= ? ORDER BY created_at DESC, id DESC "
            "LIMIT 1",
            [to_db_time(moment)],
        ).fetchone()
        return int(row[0]) if row else 0

    def _update(self, chat_id: int, now: datetime, **columns: Any) -> Subscription:
        try:
            self.db.table("subscribers").update(
                chat_id, {**columns, "updated_at": to_db_time(now)}
            )  # in a transaction of its own
        except NotFoundError:
            raise NotSubscribedError from None
        return self._must_get(chat_id)

    def _must_get(self, chat_id: int) -> Subscription:
        found = self.get(chat_id)
        if found is None:
            raise NotSubscribedError
        return found


def set_due(db: Database, chat_id: int, due: Due, **extra: int) -> None:
    """Move the reader's next digest (in the caller's transaction)."""
    sets = "".join(f", {column} = :{column}" for column in extra)
    db.execute(
        f"UPDATE subscribers SET due_day = :day, due_at = :at{sets} WHERE chat_id = :chat",  # noqa: S608
        {"day": due.day.isoformat(), "at": to_db_time(due.at), "chat": chat_id, **extra},
    )
