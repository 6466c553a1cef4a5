"""The article as the rest of newsbot sees it: frozen values, built from database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    """The real time in UTC, to the second (stored times are compared as text).

    Read only at the edges (Services.clock's default, once per CLI command) and passed
    down as `now`: nothing else in summaries/ calls it.
    """
    return datetime.now(UTC).replace(microsecond=0)


def to_db_time(moment: datetime) -> str:
    """ISO 8601 in UTC with a fixed width, so text order is time order in SQL."""
    utc = moment.astimezone(UTC)  # OverflowError at the ends of the calendar: callers check
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"  # %Y does not pad years before 1000


def from_db_time(text: str) -> datetime:
    """Inverse of `to_db_time`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Draft:
    """What an author supplies for a new article; `articles.validate` checks it."""

    title: str
    body: str
    language: str = "english"  # "": told from the text (summaries.languages)
    url: str | None = None
    photo: bytes | None = field(default=None, repr=False)  # the image itself, stored in the DB
    photo_url: str | None = None  # or a link Telegram can fetch
    photo_file_id: str | None = None  # or an image Telegram already has
    photo_caption: str = ""
    photo_credit: str = ""
    published_at: datetime | None = None  # None: now
    created_by: str | None = None
    draft_key: str | None = None  # an admin's draft: stored once, however often published


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article. `has_photo` says whether image bytes are in the store."""

    id: int
    title: str
    body: str
    language: str
    url: str | None
    has_photo: bool
    photo_url: str | None
    photo_file_id: str | None
    photo_caption: str
    photo_credit: str
    published_at: datetime
    created_by: str | None
    updated_at: datetime
    version: int = 0  # +1 at every edit
    source_id: int | None = None  # the feed source that brought it; None: made by hand

    @property
    def has_any_photo(self) -> bool:
        """True when there is something to send as a photo: bytes, a link or a file_id."""
        return self.has_photo or bool(self.photo_url or self.photo_file_id)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Article:
        """Build from an `articles` row joined with `has_photo`."""
        return cls(
            id=row["id"],
            title=row["title"],
            body=row["body"],
            language=row["language"],
            url=row["url"],
            has_photo=bool(row["has_photo"]),
            photo_url=row["photo_url"],
            photo_file_id=row["photo_file_id"],
            photo_caption=row["photo_caption"],
            photo_credit=row["photo_credit"],
            published_at=from_db_time(row["published_at"]),
            created_by=row["created_by"],
            updated_at=from_db_time(row["updated_at"]),
            version=row["version"],
            source_id=row.get("source_id"),
        )


@dataclass(frozen=True, slots=True)
class Summary:
    """An article's summary as the store keeps it: the store only files it, under how it was
    made and a digest of what it was made from (summaries.article_summary decides both)."""

    sentences: list[str]
    method: str
    length: int  # the number of sentences asked for
    source_digest: str  # when the article's digest is another, this summary is stale


@dataclass(frozen=True, slots=True)
class Subscription:
    """A reader's daily digest: when (wall-clock time in their zone), what, and its state."""

    chat_id: int
    time_of_day: time
    timezone: ZoneInfo
    topics: tuple[str, ...]
    status: str  # active, paused or unsubscribed (settings kept for a later /subscribe)
    blocked: bool  # Telegram answered 403: the reader blocked the bot
    nothing_new: bool  # send a short notice when there is nothing new
    breaking: bool  # wants breaking news as it is published
    due_day: date | None  # the local date of the next digest
    due_at: datetime | None  # its UTC instant
    seen_id: int  # articles with a higher id are new to the reader (ids grow as rows commit)

    @property
    def active(self) -> bool:
        """Digests are going out."""
        return self.status == "active" and not self.blocked

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Subscription:
        """Build from a `subscribers` row."""
        hour, minute = (int(part) for part in row["time_of_day"].split(":"))
        return cls(
            chat_id=row["chat_id"],
            time_of_day=time(hour, minute),
            timezone=ZoneInfo(row["timezone"]),
            topics=tuple(t for t in row["topics"].split(",") if t),
            status=row["status"],
            blocked=bool(row["blocked"]),
            nothing_new=bool(row["nothing_new"]),
            breaking=bool(row["breaking"]),
            due_day=date.fromisoformat(row["due_day"]) if row["due_day"] else None,
            due_at=from_db_time(row["due_at"]) if row["due_at"] else None,
            seen_id=row["seen_id"],
        )
