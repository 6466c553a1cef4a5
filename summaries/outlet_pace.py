"""Pace: Telegram takes about 20 messages a minute into one group or channel, so the poster
asks what may go now, counting what left in the last minute from the ledger (a restart
changes nothing), and holds a chat after a 429 until its retry_after has passed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from summaries.models import from_db_time, to_db_time
from summaries.outlet_model import SELECT_POSTS, Post

PER_CHAT = 20
WINDOW = timedelta(seconds=60)
# In a group the bot also answers members' commands, and those replies take the same 20 a
# minute: at most GROUP_REPLIES commands a minute are answered there (bot/group_commands.py),
# and posts keep the rest, so a member sending /help twenty times can't cause a 429.
GROUP_REPLIES = 5
GROUP_KINDS = "'group', 'supergroup'"


class OutletPace:
    """The pace questions over the posts ledger; OutletPosts is made of this and the claims."""

    db: Database

    def next_posts(
        self,
        now: datetime,
        *,
        per_chat: int = PER_CHAT,
        window: timedelta = WINDOW,
        limit: int = 100,
    ) -> list[Post]:
        """Queued posts of active outlets that may be sent now, in article order per chat.

        Each chat gets what its window still allows: `per_chat` (less GROUP_REPLIES in a
        group) less the messages that left for it in the last `window` (from the ledger, so
        restarts change nothing) and the posts claimed for it; a chat held after a 429 gets
        none. A queued post counts as one
        message here: a photo followed by a text counts two once `mark_sending` says so.
        """
        chats = self.db.execute(
            f"SELECT chat_id, json_group_array(id), max(kind IN ({GROUP_KINDS})) "  # noqa: S608
            "FROM outlets WHERE paused_reason IS NULL AND removed_at IS NULL "
            "GROUP BY chat_id ORDER BY chat_id"
        ).fetchall()
        found: list[Post] = []
        for chat_id, outlet_ids, group in chats:
            room = per_chat - GROUP_REPLIES if group else per_chat
            budget = min(room - self._used(chat_id, now, window), limit - len(found))
            if budget <= 0 or self._held_until(chat_id, now) is not None:
                continue
            rows = self.db.query(
                f"{SELECT_POSTS} JOIN articles a ON a.id = p.article_id "  # noqa: S608
                "WHERE p.state = 'queued' AND a.deleted = 0 "
                "AND p.outlet_id IN (SELECT value FROM json_each(?)) "
                "ORDER BY p.article_id, p.outlet_id LIMIT ?",
                [outlet_ids, budget],
            )
            found += [Post.from_row(row) for row in rows]
        return found

    def next_free_at(
        self, chat_id: int, now: datetime, *, per_chat: int = PER_CHAT, window: timedelta = WINDOW
    ) -> datetime:
        """When the chat can take its next message: now, or when enough of the last window's
        messages have aged out of it, or the end of a hold, whichever is last."""
        held = self._held_until(chat_id, now) or now
        rows = self.db.execute(
            "SELECT left_at, message_count FROM outlet_posts "
            "WHERE chat_id = ? AND left_at > ? ORDER BY left_at",
            [chat_id, to_db_time(now - window)],
        ).fetchall()
        excess = self._used(chat_id, now, window) - self._room(chat_id, per_chat) + 1
        free = now
        for left_at, count in rows:
            if excess <= 0:
                break
            excess -= count
            free = from_db_time(left_at) + window
        if excess > 0:  # claims not yet on the wire fill it: try again a window later
            free = now + window
        return max(free, held)

    def hold_chat(self, chat_id: int, until: datetime) -> None:
        """Nothing goes to the chat before `until` (a 429's retry_after)."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO chat_holds (chat_id, until) VALUES (?, ?) ON CONFLICT (chat_id) "
                "DO UPDATE SET until = max(until, excluded.until)",
                [chat_id, to_db_time(until)],
            )

    def _room(self, chat_id: int, per_chat: int) -> int:
        """What the chat's minute holds for posts: `per_chat`, less GROUP_REPLIES in a group."""
        group = self.db.execute(
            f"SELECT 1 FROM outlets WHERE chat_id = ? AND kind IN ({GROUP_KINDS})",  # noqa: S608
            [chat_id],
        ).fetchone()
        return per_chat - GROUP_REPLIES if group else per_chat

    def _used(self, chat_id: int, now: datetime, window: timedelta) -> int:
        """Messages that left for the chat in the window, and claims about to."""
        cutoff = to_db_time(now - window)
        left = self.db.execute(
            "SELECT coalesce(sum(message_count), 0) FROM outlet_posts "
            "WHERE chat_id = ? AND left_at > ?",
            [chat_id, cutoff],
        ).fetchone()[0]
        claimed = self.db.execute(
            "SELECT count(*) FROM outlet_posts WHERE chat_id = ? AND state = 'claimed'",
            [chat_id],
        ).fetchone()[0]
        return int(left) + int(claimed)

    def _held_until(self, chat_id: int, now: datetime) -> datetime | None:
        row = self.db.execute(
            "SELECT until FROM chat_holds WHERE chat_id = ? AND until > ?",
            [chat_id, to_db_time(now)],
        ).fetchone()
        return None if row is None else from_db_time(row[0])
