"""News sources (feeds): what to poll, when, and how each is doing.

The store decides when admins hear about a failing source, and remembers that they did, so
a restart neither repeats the notice nor loses the one for its recovery.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from summaries.articles import check_url
from summaries.error_fields import fields_from_json, fields_json
from summaries.errors import (
    DuplicateSourceError,
    InvalidArticleError,
    SourceError,
    SourceNotFoundError,
)
from summaries.ids import is_row_id
from summaries.languages import LANGUAGES_BY_CODE
from summaries.models import from_db_time, to_db_time
from summaries.text import one_plain_line

MIN_EVERY, MAX_EVERY = 5, 7 * 24 * 3600  # seconds between polls
MAX_BACKOFF = timedelta(days=1)
MAX_RETRY_AFTER = timedelta(days=7)  # a server's Retry-After beyond this is its mistake
FAILING_AFTER = 5  # polls failed in a row ...
FAILING_FOR = timedelta(hours=6)  # ... or failing this long: admins are told, once
MAX_NAME = 200
MAX_ERROR = 1_000


class Notice(StrEnum):
    """What admins should be told after a poll: nothing, or once each way."""

    NONE = "none"
    FAILING = "failing"
    RECOVERED = "recovered"


@dataclass(frozen=True, slots=True)
class Source:
    """A feed newsbot polls. Times are UTC; None means never (or not set)."""

    id: int
    url: str
    name: str
    language: str | None  # None: the feed's own declaration
    every: int | None  # seconds between polls; None: the default
    paused: bool
    etag: str | None
    last_modified: str | None
    last_poll_at: datetime | None
    next_poll_at: datetime | None
    failures: int  # polls failed in a row
    failing_since: datetime | None
    last_error: str | None  # in English: the CLI's words, and the chat's for a row without a code
    last_error_code: str | None  # which reason (bot/render/feed_errors.py words it), if known
    last_error_json: str | None  # that reason's fields (summaries.error_fields)
    retry_after: datetime | None
    told_failing: bool  # admins were told it is failing (and will hear when it recovers)
    items: int  # articles it brought that readers can see
    added_at: datetime
    first_poll_done: bool

    @property
    def last_error_fields(self) -> dict[str, object]:
        """The last error's fields, to word it by its code (empty when it has none)."""
        return fields_from_json(self.last_error_json)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Source:
        """Build from a `sources` row with its `items` count."""

        def time(name: str) -> datetime | None:
            return from_db_time(row[name]) if row[name] else None

        return cls(
            id=row["id"],
            url=row["url"],
            name=row["name"],
            language=row["language"],
            every=row["every"],
            paused=bool(row["paused"]),
            etag=row["etag"],
            last_modified=row["last_modified"],
            last_poll_at=time("last_poll_at"),
            next_poll_at=time("next_poll_at"),
            failures=row["failures"],
            failing_since=time("failing_since"),
            last_error=row["last_error"],
            last_error_code=row["last_error_code"],
            last_error_json=row["last_error_fields"],
            retry_after=time("retry_after"),
            told_failing=bool(row["told_failing"]),
            items=row["items"],
            added_at=from_db_time(row["added_at"]),
            first_poll_done=bool(row["first_poll_done"]),
        )


def source_language(language: str) -> str:
    """Our name for a language given as a name ("german") or a code ("de", "de-AT");
    SourceError for one the summarizer doesn't have."""
    wanted = language.strip().lower()
    primary = wanted.replace("_", "-").split("-")[0]
    if wanted in LANGUAGES_BY_CODE.values():
        return wanted
    if primary in LANGUAGES_BY_CODE:
        return LANGUAGES_BY_CODE[primary]
    names = ", ".join(sorted(set(LANGUAGES_BY_CODE.values())))  # no, nb, nn: one norwegian
    raise SourceError(f"unsupported language {language!r}; use one of {names} (or its code)")


def check_every(every: int | None) -> int | None:
    """An interval between polls in range, or SourceError."""
    if every is not None and not MIN_EVERY <= every <= MAX_EVERY:
        raise SourceError(
            f"a source is polled every {MIN_EVERY} seconds at most often and every "
            f"{MAX_EVERY // 86400} days at least, not every {every} seconds"
        )
    return every


_SELECT = (
    "SELECT s.*, (SELECT count(*) FROM articles a WHERE a.source_id = s.id "
    "AND a.deleted = 0) AS items FROM sources s"
)


def take_write_lock(db: Database) -> None:
    """Hold the write lock before a transaction reads what it will write: in WAL mode a
    transaction that read first and then writes after another connection committed (the CLI,
    a second poller) fails at once with "database is locked" instead of waiting its turn."""
    db.execute("UPDATE sources SET id = id WHERE 0")


class Sources:
    """The sources table, each change in one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        url: str,
        *,
        name: str,
        language: str | None = None,
        every: int | None = None,
        now: datetime,
    ) -> Source:
        """A new source, due at once; DuplicateSourceError if its feed is read already."""
        try:
            url = check_url(url, "the feed link")
        except InvalidArticleError as error:
            raise SourceError(str(error), code=error.code, **error.fields) from None
        name = one_plain_line(name)  # it is printed in terminals and shown in chats
        if not name or len(name) > MAX_NAME:
            raise SourceError(f"a source needs a name of 1 to {MAX_NAME} characters")
        language = None if language is None else source_language(language)
        check_every(every)
        with self.db.atomic():
            take_write_lock(self.db)
            if (found := self._id_for_url(url)) is not None:
                raise DuplicateSourceError(found, url)
            cursor = self.db.execute(
                "INSERT INTO sources (url, name, language, every, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [url, name, language, every, to_db_time(now)],
            )
        return self.get(int(cursor.lastrowid or 0))

    def get(self, source_id: int) -> Source:
        """The source with this id; SourceNotFoundError if there is none (an id SQLite
        can't hold, from a forged button, is none too)."""
        if not is_row_id(source_id):
            raise SourceNotFoundError(source_id)
        row = next(self.db.query(f"{_SELECT} WHERE s.id = ?", [source_id]), None)
        if row is None:
            raise SourceNotFoundError(source_id)
        return Source.from_row(row)

    def all(self) -> list[Source]:
        """Every source, oldest first."""
        return [Source.from_row(row) for row in self.db.query(f"{_SELECT} ORDER BY s.id")]

    def remove(self, source_id: int) -> None:
        """Stop reading a source. Its articles stay (they keep its id, never given again);
        its seen items go with it: they only meant something to its polls."""
        self.get(source_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM feed_items WHERE source_id = ?", [source_id])
            self.db.execute("DELETE FROM sources WHERE id = ?", [source_id])

    def pause(self, source_id: int) -> Source:
        """Poll it no more until resumed."""
        return self._set(source_id, "paused = 1", [])

    def resume(self, source_id: int, *, now: datetime) -> Source:
        """Poll it again, now (or when the server's Retry-After allows)."""
        stamp = to_db_time(now)
        return self._set(
            source_id,
            "paused = 0, next_poll_at = max(?, coalesce(retry_after, ?))",
            [stamp, stamp],
        )

    def set_every(self, source_id: int, every: int | None) -> Source:
        """Change how often it is polled (None: the default)."""
        return self._set(source_id, "every = ?", [check_every(every)])

    def due(self, now: datetime, *, default_every: int) -> list[Source]:
        """Active sources to poll now, never polled first, then the longest due. A healthy
        source is also due when its interval (or `default_every`), perhaps shortened since,
        has passed since its last poll; a failing one waits out its back-off."""
        active = [Source.from_row(row) for row in self.db.query(f"{_SELECT} WHERE s.paused = 0")]

        def due_at(source: Source) -> datetime | None:
            if source.next_poll_at is None or source.last_poll_at is None:
                return None
            if source.failures:
                return source.next_poll_at
            every = timedelta(seconds=source.every or default_every)
            return min(source.next_poll_at, source.last_poll_at + every)

        found = [(at, s) for s in active if (at := due_at(s)) is None or at <= now]
        found.sort(key=lambda pair: (pair[0] is not None, pair[0] or now, pair[1].id))
        return [source for _, source in found]

    def polled(
        self,
        source_id: int,
        *,
        now: datetime,
        etag: str | None,
        last_modified: str | None,
        next_at: datetime,
        stored: int = 0,
    ) -> Notice:
        """Record a successful poll (a 304 counts); RECOVERED once if admins were told it was
        failing. `stored` is not needed: `Source.items` counts its articles."""
        del stored
        with self.db.atomic():
            take_write_lock(self.db)
            told = self.get(source_id).told_failing
            self.db.execute(
                "UPDATE sources SET etag = ?, last_modified = ?, last_poll_at = ?, "
                "next_poll_at = ?, failures = 0, failing_since = NULL, last_error = NULL, "
                "last_error_code = NULL, last_error_fields = NULL, retry_after = NULL, "
                "told_failing = 0 WHERE id = ?",
                [etag, last_modified, to_db_time(now), to_db_time(next_at), source_id],
            )
        return Notice.RECOVERED if told else Notice.NONE

    def failed(
        self,
        source_id: int,
        *,
        now: datetime,
        error: str,
        retry_after: datetime | None,
        default_every: int,
        code: str = "",
        fields: Mapping[str, object] | None = None,
    ) -> Notice:
        """Record a failed poll and back off: the interval doubles with each failure in a row,
        up to a day, and never earlier than the server's Retry-After (itself at most a week).
        FAILING once, when it has failed FAILING_AFTER times in a row or for FAILING_FOR.

        `error` is why, in English; `code` and `fields` name it (NewsbotError's), so the chat
        can say it in each admin's language. Without a code, or with fields JSON can't keep,
        only the English is kept; so too with fields longer than MAX_ERROR as JSON."""
        kept = fields_json(fields or {}) if code else None
        kept = kept if kept is None or len(kept) <= MAX_ERROR else None
        with self.db.atomic():
            take_write_lock(self.db)
            source = self.get(source_id)
            failures = source.failures + 1
            since = source.failing_since or now
            every = timedelta(seconds=source.every or default_every)
            wait = min(every * 2 ** min(failures - 1, 32), MAX_BACKOFF)
            next_at = now + wait
            if retry_after is not None:
                retry_after = min(retry_after, now + MAX_RETRY_AFTER)
                next_at = max(next_at, retry_after)
            tell = not source.told_failing and (
                failures >= FAILING_AFTER or now - since >= FAILING_FOR
            )
            self.db.execute(
                "UPDATE sources SET last_poll_at = ?, next_poll_at = ?, failures = ?, "
                "failing_since = ?, last_error = ?, last_error_code = ?, last_error_fields = ?, "
                "retry_after = ?, told_failing = told_failing OR ? WHERE id = ?",
                [
                    to_db_time(now),
                    to_db_time(next_at),
                    failures,
                    to_db_time(since),
                    error[:MAX_ERROR],
                    code if kept is not None else None,
                    kept,
                    None if retry_after is None else to_db_time(retry_after),
                    tell,
                    source_id,
                ],
            )
        return Notice.FAILING if tell else Notice.NONE

    def _set(self, source_id: int, assignments: str, params: list[Any]) -> Source:
        if not is_row_id(source_id):  # SQLite can't bind it: no such source
            raise SourceNotFoundError(source_id)
        with self.db.atomic():
            cursor = self.db.execute(
                f"UPDATE sources SET {assignments} WHERE id = ?",  # noqa: S608 - ours only
                [*params, source_id],
            )
        if cursor.rowcount == 0:
            raise SourceNotFoundError(source_id)
        return self.get(source_id)

    def _id_for_url(self, url: str) -> int | None:
        row = next(self.db.query("SELECT id FROM sources WHERE url = ?", [url]), None)
        return None if row is None else int(row["id"])
