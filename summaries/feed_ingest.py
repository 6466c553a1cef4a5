"""Feed items into articles, each exactly once, and updated in place when the feed changes it.

An item is the same item when its guid matches (within its source), else its canonical link,
else the hash of its title and text. `plan` says cheaply which items need a page fetch and a
summary; `store_item` checks again inside its one transaction, so a repeated poll, a crash or
a second poller adds nothing twice. An admin's edit or deletion wins over the feed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlite_utils import Database

from summaries.articles import MAX_BODY, MAX_FIELD, MAX_TITLE, MIN_YEAR, check_url, validate
from summaries.errors import InvalidArticleError, SourceNotFoundError
from summaries.feed_items import FeedItem, ParsedFeed
from summaries.feed_seen import (
    ItemKeys,
    article_for_link,
    article_row,
    feed_may_update,
    find_item,
    item_link,
    record_item,
)
from summaries.languages import LANGUAGES_BY_CODE
from summaries.models import Draft, Summary, to_db_time
from summaries.sources import Source
from summaries.store import ArticleStore

FIRST_POLL_LIMIT = 20
# A later poll stores at most this many new items, the newest: a feed that suddenly lists
# 90,000 (a broken or hostile one) is not a flood of articles, digests and channel posts. The
# rest are remembered as at a first poll, never stored later.
POLL_LIMIT = 200
Action = Literal["new", "changed", "unchanged", "old", "kept"]
Outcome = Literal["added", "updated", "unchanged", "kept", "merged"]
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class ItemPlan:
    """What a poll should do with one item.

    new / changed: fetch, summarize and `store_item` it. unchanged: nothing. old: beyond the
    first poll's limit, or remembered so: never stored (`remember_old` records it). kept: its
    article was edited or deleted by hand, or came by hand or from another source: left alone
    (`remember_old` links a kept item seen for the first time to that article).
    """

    item: FeedItem
    action: Action
    article_id: int | None


def _db(db_or_store: Database | ArticleStore) -> Database:
    return db_or_store.db if isinstance(db_or_store, ArticleStore) else db_or_store


def newest_first(items: Sequence[FeedItem]) -> list[FeedItem]:
    """Items by published time, newest first; an item without one sorts as the item before
    it in the feed did (feeds list newest first), so undated items keep their place."""
    keyed: list[tuple[datetime | None, int, FeedItem]] = []
    carried: datetime | None = None
    for position, item in enumerate(items):
        if item.published is not None:
            carried = _utc(item.published)
        keyed.append((carried, position, item))
    keyed.sort(key=lambda k: (k[0] is not None, -k[0].timestamp() if k[0] else 0.0, k[1]))
    return [item for _, _, item in keyed]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def plan(
    db_or_store: Database | ArticleStore,
    source: Source,
    feed: ParsedFeed,
    *,
    first_poll_limit: int = FIRST_POLL_LIMIT,
    poll_limit: int = POLL_LIMIT,
) -> list[ItemPlan]:
    """What to do with each item of a fetched feed (read-only, cheap: no summaries).

    Newest first. Before the source's first poll is done, only its `first_poll_limit` newest
    items may be stored, the rest are "old"; at a later poll, `poll_limit` new ones. An item
    listed twice in one feed (the same guid, link or text) is planned once, as its first.
    """
    db = _db(db_or_store)
    items = newest_first(feed.items) if not source.first_poll_done else list(feed.items)
    plans: list[ItemPlan] = []
    seen: set[tuple[str, str]] = set()
    for rank, item in enumerate(items):
        keys = ItemKeys.of(item)
        mine = {("g", keys.guid or ""), ("l", keys.link or ""), ("t", keys.text)}
        mine -= {("g", ""), ("l", "")}
        if mine & seen:
            continue
        seen |= mine
        plans.append(_plan_one(db, source, item, keys, beyond=rank >= first_poll_limit))
    return _capped(plans, poll_limit) if source.first_poll_done else plans


def _capped(plans: list[ItemPlan], limit: int) -> list[ItemPlan]:
    """At most `limit` new items, the newest; the others become "old" (remembered only)."""
    new = [planned.item for planned in plans if planned.action == "new"]
    if len(new) <= limit:
        return plans
    kept = {id(item) for item in newest_first(new)[:limit]}
    return [
        dataclasses.replace(planned, action="old")
        if planned.action == "new" and id(planned.item) not in kept
        else planned
        for planned in plans
    ]


def _plan_one(
    db: Database, source: Source, item: FeedItem, keys: ItemKeys, *, beyond: bool
) -> ItemPlan:
    row = find_item(db, source.id, keys)
    if row is None:
        if beyond and not source.first_poll_done:  # the first poll's limit
            return ItemPlan(item, "old", None)
        if (other := article_for_link(db, item, keys)) is not None:
            return ItemPlan(item, "kept", other)
        return ItemPlan(item, "new", None)
    article_id = row["article_id"]
    if article_id is None:
        return ItemPlan(item, "old", None)
    if not feed_may_update(article_row(db, article_id), source.id):
        return ItemPlan(item, "kept", article_id)
    action: Action = "unchanged" if row["content_hash"] == keys.content else "changed"
    return ItemPlan(item, action, article_id)


def feed_language(source: Source, feed: ParsedFeed) -> str:
    """The language to summarize a source's items in: its setting, else the feed's own
    declaration if we have that language, else "": each item's is told from its text."""
    if source.language:
        return source.language
    code = (feed.language or "").strip().replace("_", "-").split("-")[0].lower()
    return LANGUAGES_BY_CODE.get(code, "")


def _clean(text: str, limit: int) -> str:
    return _CONTROL.sub("", text)[:limit]


def draft_for(
    item: FeedItem, *, language: str, now: datetime, source_id: int | None = None
) -> Draft:
    """The article an item makes, checked (InvalidArticleError if it can't be one).

    An item without a title takes its text's first words, one without text its title. The
    published time is the item's, else `now`; one before 1900 or in the future is `now` too.
    A photo link that is not http(s) is left out, with its caption and credit.
    """
    title = _clean(" ".join(item.title.split()), MAX_TITLE)
    body = _clean(item.body, MAX_BODY)
    if not title:
        words = " ".join(body.split())
        title = words if len(words) <= 100 else words[:100].rsplit(" ", 1)[0] + "…"
    if not body.strip():
        body = title
    photo_url = None
    if item.photo_url:
        try:
            photo_url = check_url(item.photo_url)
        except InvalidArticleError:
            photo_url = None
    published = now
    if item.published is not None:
        when = _utc(item.published)
        if when.year >= MIN_YEAR and when <= now:
            published = when
    link = item_link(item.link)
    draft = Draft(
        title=title,
        body=body,
        language=language,
        url=link,
        photo_url=photo_url,
        photo_caption=_clean(item.photo_caption, MAX_FIELD) if photo_url else "",
        photo_credit=_clean(item.photo_credit, MAX_FIELD) if photo_url else "",
        published_at=published,
        created_by=None if source_id is None else f"feed:{source_id}",
    )
    return validate(draft, now=now)


def store_item(
    store: ArticleStore,
    source: Source,
    item: FeedItem,
    draft: Draft,
    summary: Summary | None,
    *,
    now: datetime,
) -> Outcome:
    """Make the item's article, or update it in place, in one transaction.

    Identity is looked up again inside it (a crash or a second poller may have stored the
    item since `plan`). added: a new article with `summary`. updated: the feed changed the
    item, and its article follows, as an admin's edit would (version + 1, new summary), but
    never one edited or deleted by hand (kept). merged: another source or an admin has this
    link already: the item is linked to that article and nothing is added. The source
    removed since `plan`: SourceNotFoundError, and nothing is stored.
    """
    db = store.db
    keys = ItemKeys.of(item)
    draft = dataclasses.replace(draft, created_by=draft.created_by or f"feed:{source.id}")
    stamp = to_db_time(now)
    with db.atomic():
        # A write first: the transaction holds the write lock before it reads, so a second
        # poller waits here instead of failing at its first write.
        _claim(db, source.id)
        row = find_item(db, source.id, keys)
        if row is not None:
            return _apply(store, source, row, keys, draft, summary, now=now)
        if draft.url and (other := article_for_link(db, item, keys)) is not None:
            record_item(db, source.id, keys, other, stamp)
            return "merged"
        article = store.add(draft, summary, now=now)
        db.execute("UPDATE articles SET source_id = ? WHERE id = ?", [source.id, article.id])
        record_item(db, source.id, keys, article.id, stamp)
        return "added"


def _claim(db: Database, source_id: int) -> None:
    """Take the write lock with a write to the source's row; SourceNotFoundError when it was
    removed meanwhile (`newsbot source remove` during its poll): nothing more is stored."""
    if db.execute("UPDATE sources SET id = id WHERE id = ?", [source_id]).rowcount == 0:
        raise SourceNotFoundError(source_id)


def _apply(
    store: ArticleStore,
    source: Source,
    row: dict[str, Any],
    keys: ItemKeys,
    draft: Draft,
    summary: Summary | None,
    *,
    now: datetime,
) -> Outcome:
    """An item seen before: update its article if the feed changed it and may."""
    db = store.db
    article_id = row["article_id"]
    if article_id is None or not feed_may_update(article_row(db, article_id), source.id):
        return "kept"
    db.execute("UPDATE feed_items SET seen_at = ? WHERE id = ?", [to_db_time(now), row["id"]])
    if row["content_hash"] == keys.content:
        return "unchanged"
    current = store.get(article_id)
    changes: dict[str, Any] = {"title": draft.title, "body": draft.body}
    drop_photo = False
    if draft.photo is not None:  # the story's page gave the image (the item had none)
        changes |= {"photo": draft.photo}
    elif draft.photo_url is None:
        drop_photo = current.has_any_photo
    else:
        if draft.photo_url != current.photo_url:
            changes["photo_url"] = draft.photo_url
        changes |= {"photo_caption": draft.photo_caption, "photo_credit": draft.photo_credit}
    store.update(
        article_id, now=now, summary=summary, by_feed=True, drop_photo=drop_photo, **changes
    )
    db.execute("UPDATE feed_items SET content_hash = ? WHERE id = ?", [keys.content, row["id"]])
    return "updated"


def remember_old(
    db_or_store: Database | ArticleStore,
    source: Source,
    plans: Sequence[ItemPlan],
    *,
    now: datetime,
) -> None:
    """Record what `plan` said to leave: "old" items as seen (never to be stored), and "kept"
    items seen for the first time as linked to the article at their link. Marks the first
    poll done when the feed had items. Call it right after `plan`, before storing: a crash
    after it leaves only the new items to store, which the next poll does."""
    db = _db(db_or_store)
    stamp = to_db_time(now)
    with db.atomic():
        _claim(db, source.id)
        for planned in plans:
            if planned.action not in ("old", "kept"):
                continue
            keys = ItemKeys.of(planned.item)
            if find_item(db, source.id, keys) is None:
                record_item(db, source.id, keys, planned.article_id, stamp)
        if plans:
            db.execute("UPDATE sources SET first_poll_done = 1 WHERE id = ?", [source.id])
