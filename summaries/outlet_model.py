"""The outlet as the rest of newsbot sees it: a frozen value, built from its row."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from summaries.models import from_db_time

SELECT_OUTLETS = (
    "SELECT o.*, (SELECT count(*) FROM outlet_posts p WHERE p.outlet_id = o.id "
    "AND p.state IN ('sent', 'in-doubt', 'partial')) AS posts_sent FROM outlets o"
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
    paused_reason: str | None  # None: active; 'admin' or 'rights'
    paused_since: datetime | None
    seen_id: int
    added_at: datetime
    posts_sent: int = 0  # sent, in doubt or partial: each counts as posted

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
