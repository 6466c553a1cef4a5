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
from datetime import datetime

from sqlite_utils import Database

from summaries.models import to_db_time
from summaries.outlet_model import DUE, SELECT_POSTS, Post, PostMessage
from summaries.outlet_pace import OutletPace

__all__ = ["OutletPosts", "Post", "PostMessage"]


def _messages(messages: list[PostMessage] | tuple[PostMessage, ...]) -> str:
    return json.dumps([message_json(m) for m in messages])


def message_json(m: PostMessage) -> dict[str, object]:
    found: dict[str, object] = {"id": m.message_id, "kind": m.kind}
    if m.file_id:
        found["file_id"] = m.file_id
    return found


class OutletPosts(OutletPace):
    """The ledger's sending side: what may go now (OutletPace), claims, what a crash left."""

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

    def claim(self, post_id: int, owner: str, *, now: datetime) -> bool:
        """Take a queued post to send (the article's version now is what it will show);
        False if it is not queued any more, its outlet paused or removed, or its article
        deleted."""
        with self.db.atomic():
            return (
                self.db.execute(
                    "UPDATE outlet_posts SET state = 'claimed', owner = ?, claimed_at = ?, "
                    "chat_id = (SELECT chat_id FROM outlets WHERE id = outlet_id), "
                    "posted_version = (SELECT version FROM articles WHERE id = article_id) "
                    "WHERE id = ? AND state = 'queued' "
                    "AND (SELECT deleted FROM articles WHERE id = article_id) = 0 "
                    "AND outlet_id IN (SELECT id FROM outlets "
                    "WHERE paused_reason IS NULL AND removed_at IS NULL)",
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
                [json.dumps(message_json(message)), post_id],
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
