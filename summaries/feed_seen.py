"""Which feed item is which: its keys, the row of an item seen before, the article at a link.

An item is the same item when its guid matches (within its source), else its canonical link,
else the hash of its title and text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from summaries.articles import check_url
from summaries.errors import InvalidArticleError
from summaries.feed_identity import canonical_link, content_hash, text_hash
from summaries.feed_items import FeedItem


@dataclass(frozen=True, slots=True)
class ItemKeys:
    """An item's identity: guid, canonical link, text hash; and what its article shows."""

    guid: str | None
    link: str | None
    text: str
    content: str

    @classmethod
    def of(cls, item: FeedItem) -> ItemKeys:
        """The keys of an item as the feed gives it."""
        guid = (item.guid or "").strip() or None
        return cls(guid, item_link(item.link), text_hash(item.title, item.body), _content(item))


def item_link(link: str | None) -> str | None:
    """The canonical link, if the item has an http(s) one."""
    if not link or not link.strip():
        return None
    try:
        return canonical_link(check_url(link))
    except InvalidArticleError:
        return None


def _content(item: FeedItem) -> str:
    return content_hash(item.title, item.body, item.photo_url)


def find_item(db: Database, source_id: int, keys: ItemKeys) -> dict[str, Any] | None:
    """The feed_items row of this item: by guid, else by link, else by text."""
    for column, value in (("guid", keys.guid), ("link", keys.link), ("text_hash", keys.text)):
        if value is None:
            continue
        row = next(
            db.query(
                f"SELECT * FROM feed_items WHERE source_id = ? AND {column} = ? "  # noqa: S608
                "ORDER BY id LIMIT 1",
                [source_id, value],
            ),
            None,
        )
        if row is not None:
            return row
    return None


def article_row(db: Database, article_id: int) -> dict[str, Any] | None:
    """What the feed needs to know of an article: whose, deleted, edited by hand."""
    return next(
        db.query(
            "SELECT id, url, source_id, deleted, hand_edited FROM articles WHERE id = ?",
            [article_id],
        ),
        None,
    )


def feed_may_update(article: dict[str, Any] | None, source_id: int) -> bool:
    """Whether the feed may update this article: its own, untouched by hand, not deleted."""
    return (
        article is not None
        and article["source_id"] == source_id
        and not article["deleted"]
        and not article["hand_edited"]
    )


def article_for_link(db: Database, item: FeedItem, keys: ItemKeys) -> int | None:
    """An article already at this item's link (another source's, or made by hand)."""
    spellings = {keys.link, check_url(item.link) if keys.link and item.link else None} - {None}
    for url in spellings:
        row = next(db.query("SELECT id FROM articles WHERE url = ?", [url]), None)
        if row is not None:
            return int(row["id"])
    return None


def record_item(
    db: Database, source_id: int, keys: ItemKeys, article_id: int | None, stamp: str
) -> None:
    """Remember an item as seen: stored as `article_id`, or (None) never to be stored."""
    db.execute(
        "INSERT INTO feed_items (source_id, guid, link, text_hash, article_id, content_hash, "
        "seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [source_id, keys.guid, keys.link, keys.text, article_id, keys.content, stamp],
    )
