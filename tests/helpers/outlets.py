"""Articles and outlets for the outlet tests: a store with a clock-less way to add stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from summaries.models import Draft
from summaries.store import ArticleStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def story(
    store: ArticleStore,
    title: str,
    *,
    now: datetime = T0,
    body: str = "The council met on Monday. It voted on the plan.",
    published_at: datetime | None = None,
    source_id: int | None = None,
) -> int:
    """Store an article as of `now` (published then, unless told); its id."""
    article = store.add(Draft(title, body, published_at=published_at), now=now)
    if source_id is not None:
        store.db.execute("UPDATE articles SET source_id = ? WHERE id = ?", [source_id, article.id])
    return article.id
