"""Corrections in place: posts whose article changed are edited, or deleted with it.

An article's edit (its version grows) or deletion marks its posted posts `due` (a trigger
of m011). An edit or a delete is recorded before its request (claim_*, mark_*_sending) and
marked after (finish_*). An edit is idempotent at Telegram ("message is not modified" means
it arrived), and so is a delete ("message to delete not found"): one in flight at a crash is
simply due again, and the poster sends it once more. An article edited again while its
edit was on the wire stays due after finish_edit, for its newest version, once.

An undeleted article's 'withdrawn' posts are edited back to the story (they are due again);
posts that were 'deleted' are gone from the chat and stay gone: undeleting is not news.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlite_utils import Database

from summaries.models import to_db_time
from summaries.outlet_model import DUE, SELECT_POSTS, Post, PostMessage
from summaries.outlet_posts import message_json

Removal = Literal["deleted", "withdrawn"]


@dataclass(frozen=True, slots=True)
class Fix:
    """A post owing an edit (to `version`) or a delete."""

    post: Post
    version: int  # the article's version now


_OWED = (
    f"{SELECT_POSTS.replace('SELECT ', 'SELECT a.version AS version, ', 1)} "
    "JOIN articles a ON a.id = p.article_id "
    "WHERE p.due = 1 AND p.fix IS NULL AND p.messages != '[]' "
    "AND p.state IN ('sent', 'in-doubt', 'partial') AND p.removed IS NOT 'deleted' "
)


class OutletFixes:
    """Edits and deletes owed to posts that went out."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def edits_due(self, now: datetime, limit: int = 100) -> list[Fix]:
        """Posts showing an older version of a live article (or withdrawn, for an undeleted
        one), none in flight, oldest post first. `now` is for symmetry with the poster's
        other questions: nothing here waits."""
        del now
        rows = self.db.query(
            f"{_OWED} AND a.deleted = 0 AND (p.posted_version < a.version "
            "OR p.removed = 'withdrawn') ORDER BY p.id LIMIT ?",
            [limit],
        )
        return [Fix(Post.from_row(row), int(row["version"])) for row in rows]

    def deletes_due(self, now: datetime, limit: int = 100) -> list[Fix]:
        """Posts of deleted articles still in their chats, none in flight, oldest first."""
        del now
        rows = self.db.query(
            f"{_OWED} AND a.deleted = 1 AND p.removed IS NULL ORDER BY p.id LIMIT ?", [limit]
        )
        return [Fix(Post.from_row(row), int(row["version"])) for row in rows]

    def claim_edit(self, post_id: int, version: int, owner: str, *, now: datetime) -> bool:
        """Take an edit of the post to `version`; False if another is in flight."""
        return self._claim(post_id, "edit", version, owner, now)

    def claim_delete(self, post_id: int, owner: str, *, now: datetime) -> bool:
        """Take the delete of the post's messages; False if another fix is in flight."""
        return self._claim(post_id, "delete", None, owner, now)

    def mark_edit_sending(self, post_id: int, *, now: datetime) -> None:
        """The edit's first request leaves now."""
        self._sending(post_id, "edit", now)

    def mark_delete_sending(self, post_id: int, *, now: datetime) -> None:
        """The delete's first request leaves now."""
        self._sending(post_id, "delete", now)

    def finish_edit(
        self,
        post_id: int,
        version: int,
        *,
        now: datetime,
        messages: list[PostMessage] | None = None,
    ) -> None:
        """The post shows `version` now (a withdrawn one shows the story again); it stays
        due if the article changed again meanwhile. `messages`: what the post is made of
        now, when the edit changed that (a text added or deleted, a new photo)."""
        with self.db.atomic():
            if messages is not None:
                self.db.execute(
                    "UPDATE outlet_posts SET messages = ? WHERE id = ? AND fix = 'edit'",
                    [json.dumps([message_json(m) for m in messages]), post_id],
                )
            self.db.execute(
                "UPDATE outlet_posts SET posted_version = max(coalesce(posted_version, 0), ?), "
                "removed = NULL, removed_at = NULL, edited_at = ?, fix_error = NULL "
                "WHERE id = ? AND fix = 'edit'",
                [version, to_db_time(now), post_id],
            )
            self._settle(post_id)

    def finish_delete(self, post_id: int, how: Removal, *, now: datetime) -> None:
        """The post's messages were deleted, or (Telegram deletes only posts younger than
        48 hours) edited to say the story was withdrawn."""
        if how not in ("deleted", "withdrawn"):
            raise ValueError(f"a post is 'deleted' or 'withdrawn', not {how!r}")
        with self.db.atomic():
            self.db.execute(
                "UPDATE outlet_posts SET removed = ?, removed_at = ?, fix_error = NULL "
                "WHERE id = ? AND fix = 'delete'",
                [how, to_db_time(now), post_id],
            )
            self._settle(post_id)

    def fail_edit(self, post_id: int, error: str, *, now: datetime) -> None:
        """Telegram refused the edit (the message is gone, rights lost): not tried again
        until the article changes again."""
        self._fail(post_id, "edit", error, now)

    def fail_delete(self, post_id: int, error: str, *, now: datetime) -> None:
        """Telegram refused the delete and the withdrawal: not tried again."""
        self._fail(post_id, "delete", error, now)

    def release(self, post_id: int) -> None:
        """Give a claimed fix up unfinished (a 429, no answer): it is due again, and an edit
        or a delete is safe to repeat."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE outlet_posts SET fix = NULL, fix_state = NULL, fix_version = NULL, "
                "fix_owner = NULL WHERE id = ?",
                [post_id],
            )

    def _claim(
        self, post_id: int, fix: str, version: int | None, owner: str, now: datetime
    ) -> bool:
        with self.db.atomic():
            return (
                self.db.execute(
                    "UPDATE outlet_posts SET fix = ?, fix_state = 'claimed', fix_version = ?, "
                    "fix_owner = ?, fix_at = ? WHERE id = ? AND fix IS NULL AND due = 1",
                    [fix, version, owner, to_db_time(now), post_id],
                ).rowcount
                == 1
            )

    def _sending(self, post_id: int, fix: str, now: datetime) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE outlet_posts SET fix_state = 'sending', fix_at = ? "
                "WHERE id = ? AND fix = ?",
                [to_db_time(now), post_id, fix],
            )

    def _fail(self, post_id: int, fix: str, error: str, now: datetime) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE outlet_posts SET fix = NULL, fix_state = NULL, fix_version = NULL, "
                "fix_owner = NULL, fix_at = ?, fix_error = ?, due = 0 WHERE id = ? AND fix = ?",
                [to_db_time(now), error, post_id, fix],
            )

    def _settle(self, post_id: int) -> None:
        """The fix is over: the post is due only if its article moved on meanwhile."""
        self.db.execute(
            f"UPDATE outlet_posts SET due = {DUE}, fix = NULL, "  # noqa: S608 - our own SQL
            "fix_state = NULL, fix_version = NULL, fix_owner = NULL WHERE id = ?",
            [post_id],
        )
