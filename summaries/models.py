"""The article as the rest of newsbot sees it: frozen values, built from database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def utc_now() -> datetime:
    """The current time in UTC, to the second (stored times are compared as text)."""
    return datetime.now(UTC).replace(microsecond=0)


def to_db_time(moment: datetime) -> str:
    """ISO 8601 in UTC with a fixed width, so text order is time order in SQL."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_db_time(text: str) -> datetime:
    """Inverse of `to_db_time`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Draft:
    """What an author supplies for a new article; `articles.validate` checks it."""

    title: str
    body: str
    language: str = "english"
    url: str | None = None
    photo: bytes | None = field(default=None, repr=False)  # the image itself, stored in the DB
    photo_url: str | None = None  # or a link Telegram can fetch
    photo_file_id: str | None = None  # or an image Telegram already has
    photo_caption: str = ""
    photo_credit: str = ""
    published_at: datetime | None = None  # None: now
    created_by: str | None = None


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
        )
