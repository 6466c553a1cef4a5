"""Which articles go to which outlet: each new, matching article is queued once per outlet.

New is an id beyond the outlet's watermark (`seen_id`). An article that arrives already
old (an archive import, a feed's first poll of week-old items) is not news for a channel:
it is queued only if it was published at most OLD_AFTER (or the outlet's larger
`backfill_hours`) before it was stored. Deleted articles are never queued.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlite_utils import Database

from summaries.fts import topics_query
from summaries.models import to_db_time
from summaries.outlet_model import SELECT_OUTLETS, Outlet
from summaries.search_index import MATCHING

OLD_AFTER = timedelta(days=1)
_INSERT = (
    "INSERT OR IGNORE INTO outlet_posts (outlet_id, article_id, queued_at) "
    "SELECT ?, a.id, ? FROM articles a"
)


def _matching(outlet: Outlet) -> tuple[str, list[object]] | None:
    """The outlet's filters as SQL over articles `a`; None if they can match nothing."""
    where, params = "a.deleted = 0", list[object]()
    if outlet.topics:
        query = topics_query(outlet.topics)
        if query is None:
            return None  # topics of punctuation only match nothing
        where += f" AND {MATCHING}"
        params.append(query)
    if outlet.sources:
        where += " AND a.source_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(outlet.sources)))
    return where, params


def queue_backfill(db: Database, outlet: Outlet, now: datetime) -> int:
    """Queue the outlet's matching articles published within its backfill hours (at add)."""
    matching = _matching(outlet)
    if matching is None:
        return 0
    where, params = matching
    since = to_db_time(now - timedelta(hours=outlet.backfill_hours))
    sql = f"{_INSERT} WHERE {where} AND a.id <= ? AND a.published_at >= ? ORDER BY a.id"
    return db.execute(sql, [outlet.id, to_db_time(now), *params, outlet.seen_id, since]).rowcount


class OutletQueue:
    """Moves every outlet's watermark, queueing what is new for it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue(self, now: datetime) -> int:
        """Queue each article stored since the last call for every outlet it matches (paused
        outlets too: their queue is kept for when they resume); how many posts were queued.

        One transaction per outlet moves its watermark with its rows, and (outlet, article)
        is unique, so a crash part-way leaves nothing to undo: the next call carries on.
        """
        queued = 0
        outlets = [
            Outlet.from_row(row) for row in self.db.query(f"{SELECT_OUTLETS} ORDER BY o.id")
        ]
        for outlet in outlets:
            with self.db.atomic():
                until = int(
                    self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
                )
                seen = self.db.execute(
                    "SELECT seen_id FROM outlets WHERE id = ?", [outlet.id]
                ).fetchone()
                if seen is None or until <= seen[0]:
                    continue
                matching = _matching(outlet)
                if matching is not None:
                    where, params = matching
                    window = max(OLD_AFTER, timedelta(hours=outlet.backfill_hours))
                    old = f"-{window.total_seconds():.0f} seconds"
                    sql = (
                        f"{_INSERT} WHERE {where} AND a.id > ? AND a.id <= ? AND a.published_at"
                        " >= strftime('%Y-%m-%dT%H:%M:%SZ', a.created_at, ?) ORDER BY a.id"
                    )
                    queued += self.db.execute(
                        sql, [outlet.id, to_db_time(now), *params, seen[0], until, old]
                    ).rowcount
                self.db.execute(
                    "UPDATE outlets SET seen_id = ? WHERE id = ? AND seen_id < ?",
                    [until, outlet.id, until],
                )
        return queued
