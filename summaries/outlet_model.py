"""Outlets and their posts as the rest of newsbot sees them: frozen values, built from rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from summaries.models import from_db_time

# Outlets not removed (a removed one is kept for its posts' corrections); callers add
# "AND ..." and "ORDER BY ...".
SELECT_OUTLETS = (
    "SELECT o.*, (SELECT count(*) FROM outlet_posts p WHERE p.outlet_id = o.id "
    "AND p.state IN ('sent', 'in-doubt', 'partial') AND p.removed IS NULL) AS posts_sent "
    "FROM outlets o "
    "WHERE o.removed_at IS NULL"
)


@dataclass(frozen=True, slots=True)
class Outlet:
    """A place articles are posted to, as stored."""

    id: int
    chat_id: int
    thread_id: int | None
    kind: str
    title: str
    username: str | None
    topics: tuple[str, ...]
    sources: tuple[int, ...]
    backfill_hours: int
    paused_reason: str | None  # None: active; else a PauseReason (summaries/outlets.py)
    paused_since: datetime | None
    seen_id: int
    added_at: datetime
    posts_sent: int = 0  # sent, in doubt or partial (each counts as posted), and still in
    # the chat: not since deleted or withdrawn

    @property
    def active(self) -> bool:
        """Whether its queue is being posted."""
        return self.paused_reason is None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Outlet:
        """Build from an `outlets` row joined with `posts_sent`."""
        return cls(
            id=row["id"],
            chat_id=row["chat_id"],
            thread_id=row["thread_id"],
            kind=row["kind"],
            title=row["title"],
            username=row["username"],
            topics=tuple(json.loads(row["topics"])),
            sources=tuple(json.loads(row["sources"])),
            backfill_hours=row["backfill_hours"],
            paused_reason=row["paused_reason"],
            paused_since=from_db_time(row["paused_since"]) if row["paused_since"] else None,
            seen_id=row["seen_id"],
            added_at=from_db_time(row["added_at"]),
            posts_sent=row["posts_sent"],
        )


@dataclass(frozen=True, slots=True)
class OutletStats:
    """How an outlet did: posts it carried, and readers its "Read in the bot" button brought."""

    outlet_id: int
    posts_sent: int
    arrivals: int  # (reader, article) pairs, each counted once
    readers: int  # distinct readers


MessageKind = Literal["photo", "text"]


@dataclass(frozen=True, slots=True)
class PostMessage:
    """One message of a post: a photo (with the caption) or a text message."""

    message_id: int
    kind: MessageKind
    file_id: str | None = None  # the photo a photo message shows (its caption alone is edited)


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
            messages=tuple(
                PostMessage(m["id"], m["kind"], m.get("file_id"))
                for m in json.loads(row["messages"])
            ),
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
