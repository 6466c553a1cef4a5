"""The posts ledger: one row per outlet and article, claimed before it is sent.

queued -> claimed (owner, claimed_at) -> sending (as its first request leaves) -> sent, or
in-doubt (a request was on the wire at a crash or a timeout: counted as posted, never sent
again, as summaries/deliveries.py does for readers), partial (the photo went, the text
failed: the photo is never repeated) or failed (Telegram refused it, with the error).
Queued posts may also end 'dropped' (the article was deleted first) or 'skipped' (left
behind by a long pause). Each message's id and kind are kept, so the post can be corrected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlite_utils import Database

from summaries.models import from_db_time, to_db_time

PER_CHAT = 20  # Telegram takes about 20 messages a minute into one group or channel
WINDOW = timedelta(seconds=60)
POSTED = ("sent", "in-doubt", "partial")  # each counts as posted, and may need correcting

MessageKind = Literal["photo", "text"]


@dataclass(frozen=True, slots=True)
class PostMessage:
    """One message of a post: a photo (with the caption) or a text message."""

    message_id: int
    kind: MessageKind


@dataclass(frozen=True, slots=True)
class Post:
    """A ledger row, with where it goes (the chat its messages went to, once claimed)."""

    id: int
    outlet_id: int
    article_id: int
    chat_id: int
    thread_id: int | None
    state: str
    messages: tuple[PostMessage, ...]
    posted_version: int | None
    error: str | None
    removed: str | None  # 'deleted' or 'withdrawn' once the article's deletion reached it

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Post:
        """Build from an outlet_posts row joined with its outlet's thread."""
        return cls(
            id=row["id"],
            outlet_id=row["outlet_id"],
            article_id=row["article_id"],
            chat_id=row["chat_id"],
            thread_id=row["thread_id"],
            state=row["state"],
            messages=tuple(PostMessage(m["id"], m["kind"]) for m in json.loads(row["messages"])),
            posted_version=row["posted_version"],
            error=row["error"],
            removed=row["removed"],
        )


SELECT_POSTS = (
    "SELECT p.id, p.outlet_id, p.article_id, coalesce(p.chat_id, o.chat_id) AS chat_id, "
    "o.thread_id, p.state, p.messages, p.posted_version, p.error, p.removed "
    "FROM outlet_posts p JOIN outlets o ON o.id = p.outlet_id"
)
# Whether an edit or a delete is owed: messages to correct, and an article that moved on.
DUE = (
    "CASE WHEN state IN ('sent', 'in-doubt', 'partial') AND messages != '[]' "
    "AND removed IS NOT 'deleted' AND EXISTS (SELECT 1 FROM articles a "
    "WHERE a.id = outlet_posts.article_id AND CASE WHEN a.deleted = 1 THEN removed IS NULL "
    "ELSE a.version > coalesce(posted_version, -1) OR removed IS 'withdrawn' END) "
    "THEN 1 ELSE 0 END"
)


def _messages(messages: list[PostMessage] | tuple[PostMessage, ...]) -> str:
    return json.dumps([{"id": m.message_id, "kind": m.kind} for m in messages])


class OutletPosts:
    """The ledger's sending side: what may go now, claims, and what a crash left."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def posts(self, outlet_id: int) -> list[Post]:
        """An outlet's posts in article order (for the CLI, statistics and tests)."""
        sql = f"{SELECT_POSTS} WHERE p.outlet_id = ? ORDER BY p.article_id"
        return [Post.from_row(row) for row in self.db.query(sql, [outlet_id])]

    def get(self, post_id: int) -> Post | None:
        """One post, if it is still there (its outlet may have been removed)."""
        row = next(self.db.query(f"{SELECT_POSTS} WHERE p.id = ?", [post_id]), None)
        return None if row is None else Post.from_row(row)

    def next_posts(
        self,
        now: datetime,
        *,
        per_chat: int = PER_CHAT,
        window: timedelta = WINDOW,
        limit: int = 100,
    ) -> list[Post]:
        """Queued posts of active outlets that may be sent now, in article order per chat.

        Each chat gets what its window still allows: `per_chat` less the messages that left
        for it in the last `window` (from the ledger, so restarts change nothing) and the
        posts claimed for it; a chat held after a 429 gets none. A queued post counts as one
        message here: a photo followed by a text counts two once `mark_sending` says so.
        """
        chats = self.db.execute(
            "SELECT chat_id, json_group_array(id) FROM outlets "
            "WHERE paused_reason IS NULL GROUP BY chat_id ORDER BY chat_id"
        ).fetchall()
        found: list[Post] = []
        for chat_id, outlet_ids in chats:
            budget = min(per_chat - self._used(chat_id, now, window), limit - len(found))
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
        excess = self._used(chat_id, now, window) - per_chat + 1
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

    def claim(self, post_id: int, owner: str, *, now: datetime) -> bool:
        """Take a queued post to send (the article's version now is what it will show);
        False if it is not queued any more, its outlet paused or its article deleted."""
        with self.db.atomic():
            return (
                self.db.execute(
                    "UPDATE outlet_posts SET state = 'claimed', owner = ?, claimed_at = ?, "
                    "chat_id = (SELECT chat_id FROM outlets WHERE id = outlet_id), "
                    "posted_version = (SELECT version FROM articles WHERE id = article_id) "
                    "WHERE id = ? AND state = 'queued' "
                    "AND (SELECT deleted FROM articles WHERE id = article_id) = 0 "
                    "AND outlet_id IN (SELECT id FROM outlets WHERE paused_reason IS NULL)",
                    [owner, to_db_time(now), post_id],
                ).rowcount
                == 1
            )

    def mark_sending(
        self, post_id: int, *, messages: int, now: datetime, version: int | None = None
    ) -> None:
        """The first request leaves now (from here a crash leaves the post in doubt); it
        will be `messages` messages (2: a photo, then the text), counted for the pace.
        `version`: the article's version as rendered, if it moved on since the claim."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE outlet_posts SET state = 'sending', left_at = ?, message_count = ?, "
                "posted_version = coalesce(?, posted_version) "
                "WHERE id = ? AND state = 'claimed'",
                [to_db_time(now), messages, version, post_id],
            )

    def add_message(self, post_id: int, message: PostMessage) -> None:
        """Record one message as soon as Telegram returns it (the photo, before the text is
        sent), so whatever happens next, it is corrected and never sent twice."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE outlet_posts SET messages = json_insert(messages, '$[#]', json(?)) "
                "WHERE id = ? AND state = 'sending'",
                [json.dumps({"id": message.message_id, "kind": message.kind}), post_id],
            )

    def finish(self, post_id: int, messages: list[PostMessage], *, now: datetime) -> None:
        """Every message went: the post is sent, with their ids."""
        self._end(post_id, "sent", now, messages=messages)

    def partial(
        self, post_id: int, messages: list[PostMessage], error: str, *, now: datetime
    ) -> None:
        """The photo went and the text was refused: counted as posted, never repeated."""
        self._end(post_id, "partial", now, messages=messages, error=error)

    def in_doubt(self, post_id: int, *, now: datetime, error: str | None = None) -> None:
        """A request timed out on the wire: it may have arrived, so it is never resent."""
        self._end(post_id, "in-doubt", now, error=error)

    def fail(self, post_id: int, error: str, *, now: datetime) -> None:
        """Telegram refused the post (not a rate limit): it is not tried again."""
        self._end(post_id, "failed", now, error=error)

    def requeue(self, post_id: int) -> bool:
        """Put back a claim whose request certainly did not arrive (a 429, a refused
        connection) and that has no message yet; False if it can't be (then: partial)."""
        with self.db.atomic():
            return (
                self.db.execute(
                    "UPDATE outlet_posts SET state = 'queued', owner = NULL, claimed_at = NULL, "
                    "chat_id = NULL, left_at = NULL, message_count = 0, posted_version = NULL "
                    "WHERE id = ? AND state IN ('claimed', 'sending') AND messages = '[]'",
                    [post_id],
                ).rowcount
                == 1
            )

    def settle_unfinished(self, owner: str, *, now: datetime) -> tuple[int, int]:
        """Posts another process left unfinished when it died: (requeued, in doubt).

        'claimed' never left (it waited for its turn): queued again, to go in its place.
        'sending' was on the wire: it may have arrived, so it is 'in-doubt', never resent.
        Edits and deletes it had in flight are simply due again (see OutletFixes).
        """
        with self.db.atomic():
            requeued = self.db.execute(
                "UPDATE outlet_posts SET state = 'queued', owner = NULL, claimed_at = NULL, "
                "chat_id = NULL, posted_version = NULL WHERE state = 'claimed' AND owner != ?",
                [owner],
            ).rowcount
            doubt = self.db.execute(
                f"UPDATE outlet_posts SET state = 'in-doubt', finished_at = ?, due = {DUE} "  # noqa: S608
                "WHERE state = 'sending' AND owner != ?",
                [to_db_time(now), owner],
            ).rowcount
            self.db.execute(
                "UPDATE outlet_posts SET fix = NULL, fix_state = NULL, fix_version = NULL, "
                "fix_owner = NULL, fix_at = NULL WHERE due = 1 AND fix IS NOT NULL "
                "AND fix_owner != ?",
                [owner],
            )
        return requeued, doubt

    def _end(
        self,
        post_id: int,
        state: str,
        now: datetime,
        *,
        messages: list[PostMessage] | None = None,
        error: str | None = None,
    ) -> None:
        encoded = None if messages is None else _messages(messages)
        with self.db.atomic():
            self.db.execute(
                "UPDATE outlet_posts SET state = ?, finished_at = ?, error = ?, "
                "messages = coalesce(?, messages), "
                "message_count = max(message_count, json_array_length(coalesce(?, messages))) "
                "WHERE id = ? AND state IN ('claimed', 'sending')",
                [state, to_db_time(now), error, encoded, encoded, post_id],
            )
            self.db.execute(f"UPDATE outlet_posts SET due = {DUE} WHERE id = ?", [post_id])  # noqa: S608

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
