"""Outlets: channels, groups and forum topics the bot posts every matching article to.

An outlet is where (a chat, and in a forum group maybe one topic), what (topics with the
readers' /topics rule, feed source ids, or everything) and whether (active, or paused by an
admin or because the bot lost its rights). Its posts live in summaries/outlet_posts.py.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Literal

from sqlite_utils import Database

from summaries.errors import DuplicateOutletError, OutletError, OutletNotFoundError
from summaries.ids import MAX_THREAD_ID, is_row_id, is_thread_id
from summaries.models import to_db_time
from summaries.outlet_model import SELECT_OUTLETS, Outlet, OutletStats
from summaries.outlet_queue import queue_backfill
from summaries.text import one_plain_line

KINDS = frozenset({"channel", "group", "supergroup"})
PAUSE_REASONS = frozenset({"admin", "rights", "topic-gone", "topic-closed"})
RESUME_KEEP = 5  # after a pause of over a day, only this many of the newest queued posts go
LONG_PAUSE = timedelta(days=1)

# admin: asked; rights: the bot may not post in the chat; topic-gone / topic-closed: the
# forum topic it posts to was deleted, or closed (the chat's other topics still work)
PauseReason = Literal["admin", "rights", "topic-gone", "topic-closed"]
__all__ = ["Outlet", "OutletStats", "Outlets"]


class Outlets:
    """The outlets table: adding, pausing, moving and reading outlets."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        chat_id: int,
        *,
        now: datetime,
        kind: str,
        thread_id: int | None = None,
        title: str = "",
        username: str | None = None,
        topics: tuple[str, ...] = (),
        sources: tuple[int, ...] = (),
        backfill_hours: int = 0,
    ) -> Outlet:
        """Start posting to a chat (or one forum topic of it) from now on.

        Articles stored before are not posted (the watermark starts at the newest id), but
        with `backfill_hours` those published within that many hours are queued, once (an
        article the outlet already carried, before a remove, is never posted twice there).
        """
        if kind not in KINDS:
            raise OutletError(f"an outlet is a {', '.join(sorted(KINDS))}, not {kind!r}")
        if backfill_hours < 0:
            raise OutletError("backfill_hours is 0 or more")
        if thread_id is not None and not is_thread_id(thread_id):
            raise OutletError(f"a forum topic's id is 1 to {MAX_THREAD_ID}, not {thread_id}")
        stamp = to_db_time(now)
        title = one_plain_line(title)  # a chat's title is anyone's: shown in chats, terminals
        with self.db.atomic():
            if (found := self.find(chat_id, thread_id)) is not None:
                raise DuplicateOutletError(found.id, chat_id, thread_id)
            values = [kind, title, username, json.dumps(list(topics)),
                      json.dumps(list(sources)), backfill_hours, stamp, stamp]  # fmt: skip
            revived = self.db.execute(
                "SELECT id FROM outlets WHERE chat_id = ? AND coalesce(thread_id, 0) = ? "
                "AND removed_at IS NOT NULL",
                [chat_id, thread_id or 0],
            ).fetchone()
            if revived is not None:  # one outlet per place: a removed one there comes back
                self.db.execute(
                    "UPDATE outlets SET kind = ?, title = ?, username = ?, topics = ?, "
                    "sources = ?, backfill_hours = ?, added_at = ?, updated_at = ?, "
                    "removed_at = NULL, paused_reason = NULL, paused_since = NULL, "
                    "seen_id = (SELECT coalesce(max(id), 0) FROM articles) WHERE id = ?",
                    [*values, revived[0]],
                )
                outlet_id = int(revived[0])
            else:
                outlet_id = int(
                    self.db.execute(
                        "INSERT INTO outlets (chat_id, thread_id, kind, title, username, "
                        "topics, sources, backfill_hours, seen_id, added_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                        "(SELECT coalesce(max(id), 0) FROM articles), ?, ?)",
                        [chat_id, thread_id, *values],
                    ).lastrowid
                    or 0
                )
            outlet = self.get(outlet_id)
            if backfill_hours:
                queue_backfill(self.db, outlet, now)
        return outlet

    def get(self, outlet_id: int) -> Outlet:
        """The outlet with this id; OutletNotFoundError if there is none (an id SQLite can't
        hold, from a forged button, is none too)."""
        if not is_row_id(outlet_id):
            raise OutletNotFoundError(outlet_id)
        row = next(self.db.query(f"{SELECT_OUTLETS} AND o.id = ?", [outlet_id]), None)
        if row is None:
            raise OutletNotFoundError(outlet_id)
        return Outlet.from_row(row)

    def find(self, chat_id: int, thread_id: int | None = None) -> Outlet | None:
        """The outlet of this chat (and forum topic), if there is one."""
        row = next(
            self.db.query(
                f"{SELECT_OUTLETS} AND o.chat_id = ? AND coalesce(o.thread_id, 0) = ?",
                [chat_id, thread_id or 0],
            ),
            None,
        )
        return None if row is None else Outlet.from_row(row)

    def all(self) -> list[Outlet]:
        """Every outlet, in the order they were added."""
        return [Outlet.from_row(row) for row in self.db.query(f"{SELECT_OUTLETS} ORDER BY o.id")]

    def of_chat(self, chat_id: int) -> list[Outlet]:
        """The outlets of one chat (a forum group may have one per topic)."""
        rows = self.db.query(f"{SELECT_OUTLETS} AND o.chat_id = ? ORDER BY o.id", [chat_id])
        return [Outlet.from_row(row) for row in rows]

    def remove(self, outlet_id: int, *, now: datetime) -> int:
        """Post nothing more there; how many queued posts were dropped with it.

        The outlet is kept, marked removed (no list shows it), with its posts: they are
        still edited, deleted or withdrawn when their articles change, as readers of the
        chat deserve. Its queued posts end 'skipped'. Adding the chat (and topic) again
        revives it, same id, from a fresh watermark.
        """
        self.get(outlet_id)
        stamp = to_db_time(now)
        with self.db.atomic():
            dropped = self.db.execute(
                "UPDATE outlet_posts SET state = 'skipped', finished_at = ? "
                "WHERE outlet_id = ? AND state = 'queued'",
                [stamp, outlet_id],
            ).rowcount
            self.db.execute(
                "UPDATE outlets SET removed_at = ?, paused_reason = NULL, paused_since = NULL, "
                "updated_at = ? WHERE id = ?",
                [stamp, stamp, outlet_id],
            )
        return dropped

    def pause(self, outlet_id: int, reason: PauseReason, *, now: datetime) -> Outlet:
        """Stop posting (PauseReason says why); the queue is kept and grows meanwhile.
        Pausing a paused outlet keeps when it first paused."""
        if reason not in PAUSE_REASONS:
            raise OutletError(f"a pause is for {', '.join(sorted(PAUSE_REASONS))}, not {reason!r}")
        with self.db.atomic():
            self.get(outlet_id)
            self.db.execute(
                "UPDATE outlets SET paused_reason = ?, "
                "paused_since = coalesce(paused_since, ?), updated_at = ? WHERE id = ?",
                [reason, to_db_time(now), to_db_time(now), outlet_id],
            )
        return self.get(outlet_id)

    def resume(self, outlet_id: int, *, now: datetime, keep: int = RESUME_KEEP) -> int:
        """Post again; how many queued posts were skipped.

        After a pause of over a day the backlog is stale: only the newest `keep` queued posts
        go, the others are marked 'skipped' (the poster can say how many). A shorter pause
        posts the whole queue.
        """
        outlet = self.get(outlet_id)
        skipped = 0
        with self.db.atomic():
            if outlet.paused_since is not None and now - outlet.paused_since > LONG_PAUSE:
                skipped = self.db.execute(
                    "UPDATE outlet_posts SET state = 'skipped', finished_at = ? "
                    "WHERE outlet_id = ? AND state = 'queued' AND article_id NOT IN ("
                    "  SELECT article_id FROM outlet_posts WHERE outlet_id = ? "
                    "  AND state = 'queued' ORDER BY article_id DESC LIMIT ?)",
                    [to_db_time(now), outlet_id, outlet_id, max(keep, 0)],
                ).rowcount
            self.db.execute(
                "UPDATE outlets SET paused_reason = NULL, paused_since = NULL, updated_at = ? "
                "WHERE id = ?",
                [to_db_time(now), outlet_id],
            )
        return skipped

    def migrate_chat(self, old_chat_id: int, new_chat_id: int, *, now: datetime) -> int:
        """A group became a supergroup (a new chat id): its outlets move, how many did.

        Posts already sent keep their own chat id: their messages stay where they went.
        """
        with self.db.atomic():
            return self.db.execute(
                "UPDATE outlets SET chat_id = ?, kind = 'supergroup', updated_at = ? "
                "WHERE chat_id = ?",
                [new_chat_id, to_db_time(now), old_chat_id],
            ).rowcount

    def refresh(self, chat_id: int, *, title: str, username: str | None, now: datetime) -> None:
        """The chat's title (shown as one plain line) and @username as last seen (every
        outlet of the chat)."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE outlets SET title = ?, username = ?, updated_at = ? WHERE chat_id = ?",
                [one_plain_line(title), username, to_db_time(now), chat_id],
            )

    def record_arrival(
        self, outlet_id: int, chat_id: int, article_id: int, *, now: datetime
    ) -> bool:
        """A reader came to the bot through the outlet's button; False if they had before
        for this article (each reader counts once per outlet and article), or if the outlet
        never posted it: anyone can type /start a1o1, so only a link a post carried counts
        (a post since deleted or withdrawn still did)."""
        if not (is_row_id(outlet_id) and is_row_id(article_id)):
            return False
        with self.db.atomic():
            return (
                self.db.execute(
                    "INSERT OR IGNORE INTO outlet_arrivals "
                    "(outlet_id, article_id, chat_id, arrived_at) "
                    "SELECT outlet_id, article_id, ?, ? FROM outlet_posts "
                    "WHERE outlet_id = ? AND article_id = ? "
                    "AND state IN ('sent', 'in-doubt', 'partial') LIMIT 1",  # it left for the chat
                    [chat_id, to_db_time(now), outlet_id, article_id],
                ).rowcount
                == 1
            )

    def stats(self) -> list[OutletStats]:
        """Per outlet, in order: its posts still in the chat (not deleted or withdrawn), and
        readers it brought to the bot."""
        rows = self.db.execute(
            "SELECT o.id, (SELECT count(*) FROM outlet_posts p WHERE p.outlet_id = o.id "
            "  AND p.state IN ('sent', 'in-doubt', 'partial') AND p.removed IS NULL), "
            "(SELECT count(*) FROM outlet_arrivals a WHERE a.outlet_id = o.id), "
            "(SELECT count(DISTINCT chat_id) FROM outlet_arrivals a WHERE a.outlet_id = o.id) "
            "FROM outlets o WHERE o.removed_at IS NULL ORDER BY o.id"
        )
        return [OutletStats(*map(int, row)) for row in rows]
