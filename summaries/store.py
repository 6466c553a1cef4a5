"""ArticleStore: every SQL statement newsbot runs lives here."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from summaries.articles import image_type, normalize_url, validate
from summaries.dbfile import DatabaseFile, inspect, looks_foreign, read_only_uri
from summaries.errors import (
    ArticleNotFoundError,
    DeletedArticleError,
    DuplicateArticleError,
    EditConflictError,
    InvalidArticleError,
    NotDeletedError,
    StoreError,
)
from summaries.fts import fts_query, topics_query
from summaries.migrations import migrations
from summaries.models import Article, Draft, Summary, to_db_time

MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id or offset can't be bound at all

_ARTICLE_COLUMNS = """
    a.id, a.title, a.body, a.language, a.url, a.photo_url, a.photo_file_id, a.photo_caption,
    a.photo_credit, a.published_at, a.created_by, a.updated_at, a.version,
    EXISTS (SELECT 1 FROM photos p WHERE p.article_id = a.id) AS has_photo
"""


# What /remove and drop_photo clear: the photo goes with its caption and credit.
_NO_PHOTO: dict[str, Any] = {
    "photo_url": None,
    "photo_file_id": None,
    "photo_caption": "",
    "photo_credit": "",
    "photo": None,
}

UPGRADING_COMMANDS = "add, import, edit, delete, undelete, post, restore or run"


def check_caption_has_photo(draft: Draft, what: str) -> None:
    """InvalidArticleError for a photo caption or credit where there is no photo: readers
    would never see it, and /remove promises that the caption and credit go with the photo."""
    has_photo = draft.photo is not None or bool(draft.photo_url or draft.photo_file_id)
    if not has_photo and (draft.photo_caption or draft.photo_credit):
        raise InvalidArticleError(
            f"{what} has no photo, so a photo caption or credit would show nowhere; "
            "add the photo too, or leave them out"
        )


def check_database(path: Path) -> None:
    """StoreError if the file at `path` is another program's database or a newer newsbot's;
    an older newsbot's is fine. Opens it read-only."""
    if found := looks_foreign(path):
        raise refusal(found)
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
            check_schema(inspect(conn, path), upgrade=True)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"cannot use the database {path}: {error}") from None


def refusal(found: DatabaseFile) -> StoreError:
    """The error for another program's database: newsbot writes nothing into it."""
    return StoreError(
        f"{found.path} is not a newsbot database ({found.describe()}); newsbot leaves it "
        "alone: set NEWSBOT_DB to a new file or to a newsbot database"
    )


def check_schema(found: DatabaseFile, *, upgrade: bool) -> None:
    """StoreError unless the database is newsbot's and usable as asked.

    newsbot's schema never goes into another program's database: a file with tables of its
    own and no newsbot history is refused, whatever the command.
    """
    if found.foreign:
        raise refusal(found)
    if found.newer:
        raise StoreError(
            f"{found.path} was written by a newer newsbot (unknown schema steps: "
            f"{', '.join(sorted(found.newer))}); upgrade newsbot to open it"
        )
    if upgrade:
        return
    if found.empty:
        raise StoreError(f"no newsbot database at {found.path} (the file is empty)")
    if found.behind:
        raise StoreError(
            f"{found.path} is from an older newsbot ({found.behind} schema step(s) behind) and "
            "this command only reads; a command that changes data upgrades it "
            f"({UPGRADING_COMMANDS})"
        )


class ArticleStore:
    """Articles and their summaries in one SQLite file (WAL, so readers never block writers).

    It stores summaries and never makes one: summaries.article_summary computes them, with
    the summarizer it is given, and hands them here to keep.
    """

    def __init__(self, db: Database, *, upgrade: bool = True) -> None:
        self.db = db
        self.read_only = not upgrade  # then nothing is written, not even a summary cache
        db.execute("PRAGMA foreign_keys = ON")  # SQLite's default is off, per connection
        db.execute("PRAGMA busy_timeout = 5000")  # the CLI may write while the bot does
        if upgrade:
            migrations.apply(db)  # each pending step once, in its own transaction

    @classmethod
    def open(cls, path: Path | str, *, upgrade: bool = True) -> ArticleStore:
        """Open the newsbot database at `path`, or ':memory:'.

        With upgrade (commands that change data) a missing or empty file becomes a newsbot
        database and an older one is upgraded; without it (commands that only read) the file
        is opened read-only and must be a current newsbot database. Either way a database of
        another program, or of a newer newsbot, is refused before anything is written to it.
        """
        if str(path) == ":memory:":
            return cls(Database(memory=True))
        path = Path(path)
        if found := looks_foreign(path):  # before even a -wal file appears beside it
            raise refusal(found)
        try:
            if upgrade:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(path, check_same_thread=False)
            else:
                conn = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
            try:
                check_schema(inspect(conn, path), upgrade=upgrade)
            except (StoreError, sqlite3.DatabaseError):
                conn.close()
                raise
            db = Database(conn)
            if upgrade:
                db.enable_wal()  # outside any transaction
                # WAL with NORMAL: a commit survives the process being killed (not a power
                # cut in the last instant) and costs no fsync, so a round isn't disk-bound.
                db.execute("PRAGMA synchronous = NORMAL")
            return cls(db, upgrade=upgrade)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot use the database {path}: {error}") from None
        except OSError as error:
            raise StoreError(f"cannot create the database {path}: {error.strerror}") from None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # Writing

    def checked(self, draft: Draft, *, now: datetime) -> Draft:
        """The draft as `add` would store it (InvalidArticleError if it can't be): what its
        summary is made from, before the slow summarizing and outside any transaction."""
        draft = validate(draft, now=now)
        check_caption_has_photo(draft, "the article")
        return draft

    def add(self, draft: Draft, summary: Summary | None = None, *, now: datetime) -> Article:
        """Validate and store a new article, with its summary if given, in one transaction.
        (Without one, its summary is made when first asked for.)"""
        draft = self.checked(draft, now=now)
        stamp = to_db_time(now)
        with self.db.atomic():
            if draft.draft_key and (done := self.id_for_draft(draft.draft_key)) is not None:
                return self._get_any(done)  # published already: the same article, once
            if draft.url:
                self.check_url_free(draft.url)
            cursor = self.db.execute(
                """
                INSERT INTO articles (title, body, language, url, photo_url, photo_file_id,
                    photo_caption, photo_credit, published_at, created_by, created_at, updated_at,
                    draft_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    draft.title,
                    draft.body,
                    draft.language,
                    draft.url,
                    draft.photo_url,
                    draft.photo_file_id,
                    draft.photo_caption,
                    draft.photo_credit,
                    to_db_time(draft.published_at or now),
                    draft.created_by,
                    stamp,
                    stamp,
                    draft.draft_key,
                ],
            )
            article_id = int(cursor.lastrowid or 0)
            if draft.photo is not None:
                self._put_photo(article_id, draft.photo)
            if summary is not None:
                self._put_summary(article_id, summary)
        return self.get(article_id)

    def revised(
        self, article_id: int, *, now: datetime, drop_photo: bool = False, **changes: Any
    ) -> Draft:
        """The article as `update` would store it with these changes (InvalidArticleError if
        it can't be): what its new summary is made from, before anything is written."""
        return self._revision(article_id, drop_photo, changes, now)[1]

    def update(
        self,
        article_id: int,
        *,
        now: datetime,
        expected_version: int | None = None,
        drop_photo: bool = False,
        summary: Summary | None = None,
        **changes: Any,
    ) -> Article:
        """Change some fields of an article (Draft's names); its summary follows its text:
        when the title, body or language change, the summaries kept go, and `summary` (made
        from what `revised` returns) takes their place.

        With `expected_version`, the change is refused (EditConflictError) if someone else
        edited the article since that version was read. With `drop_photo`, the article has
        no photo any more: its bytes, link, file_id, caption and credit all go.
        """
        current, draft = self._revision(article_id, drop_photo, changes, now)
        if drop_photo:
            changes = changes | _NO_PHOTO
        text_changed = (draft.title, draft.body, draft.language) != (
            current.title,
            current.body,
            current.language,
        )
        photo_changed = any(key in changes for key in ("photo", "photo_url"))
        keep_file_id = not photo_changed or "photo_file_id" in changes  # a new one comes along
        with self.db.atomic():
            if draft.url and (other := self._id_for_url(draft.url)) not in (None, article_id):
                raise DuplicateArticleError(
                    f"article {other}{self._deleted_note(other)} already has the url {draft.url}"
                )
            cursor = self.db.execute(
                """
                UPDATE articles SET title = ?, body = ?, language = ?, url = ?, photo_url = ?,
                    photo_file_id = ?, photo_caption = ?, photo_credit = ?, published_at = ?,
                    updated_at = ?, version = version + 1
                WHERE id = ? AND deleted = 0 AND (? IS NULL OR version = ?)
                """,
                [
                    draft.title,
                    draft.body,
                    draft.language,
                    draft.url,
                    draft.photo_url,
                    draft.photo_file_id if keep_file_id else None,
                    draft.photo_caption,
                    draft.photo_credit,
                    to_db_time(draft.published_at or now),
                    to_db_time(now),
                    article_id,
                    expected_version,
                    expected_version,
                ],
            )
            if cursor.rowcount == 0:
                raise EditConflictError(
                    f"article {article_id} was changed or deleted by someone else since you "
                    f"opened it; open it again with /edit {article_id}"
                )
            if draft.photo is not None:
                self._put_photo(article_id, draft.photo)
            if drop_photo:
                self.db.execute("DELETE FROM photos WHERE article_id = ?", [article_id])
            if text_changed:
                self.db.execute("DELETE FROM summaries WHERE article_id = ?", [article_id])
            if summary is not None:
                self._put_summary(article_id, summary)
        return self.get(article_id)

    def _revision(
        self, article_id: int, drop_photo: bool, changes: dict[str, Any], now: datetime
    ) -> tuple[Article, Draft]:
        """The article now, and as it would be with the changes, checked."""
        if drop_photo:
            changes = changes | _NO_PHOTO
        current = self.get(article_id)
        fields = {
            f.name: getattr(current, f.name)
            for f in dataclasses.fields(Draft)
            if hasattr(current, f.name)
        }
        fields["photo"] = None  # bytes are only replaced when `changes` brings new ones
        unknown = set(changes) - {f.name for f in dataclasses.fields(Draft)}
        if unknown:
            raise InvalidArticleError(f"unknown field(s): {', '.join(sorted(unknown))}")
        draft = validate(Draft(**{**fields, **changes}), now=now)
        keeps_stored_photo = current.has_photo and not drop_photo
        if not keeps_stored_photo:
            check_caption_has_photo(draft, f"article {article_id}")
        return current, draft

    def delete(self, article_id: int, *, now: datetime) -> None:
        """Hide an article from listings, search and digests (the row stays, flagged)."""
        self.get(article_id)  # ArticleNotFoundError for unknown or already deleted ids
        with self.db.atomic():
            self.db.execute(
                "UPDATE articles SET deleted = 1, updated_at = ? WHERE id = ?",
                [to_db_time(now), article_id],
            )

    def undelete(self, article_id: int, *, now: datetime) -> Article:
        """Bring a deleted article back to listings, search and digests, as it was.

        It is not news again: an unfinished breaking-news broadcast of it stays finished, so
        nobody is sent it now; digests hold it only for readers whose digests have not yet
        reached its id, as if it had never been deleted.
        """
        if not 0 < article_id <= MAX_ID:
            raise ArticleNotFoundError(article_id)
        stamp = to_db_time(now)
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE articles SET deleted = 0, updated_at = ? WHERE id = ? AND deleted = 1",
                [stamp, article_id],
            )
            if cursor.rowcount == 0:
                self.get(article_id)  # ArticleNotFoundError if there is no such row at all
                raise NotDeletedError(article_id)
            self.db.execute(
                "UPDATE broadcasts SET finished_at = ? WHERE article_id = ? "
                "AND finished_at IS NULL",
                [stamp, article_id],
            )
        return self.get(article_id)

    def check_url_free(self, url: str) -> None:
        """DuplicateArticleError if an article has this url; DeletedArticleError (which says
        how to bring it back) if that article was deleted."""
        if (existing := self._id_for_url(url)) is None:
            return
        if self.is_deleted(existing):
            raise DeletedArticleError(existing)
        raise DuplicateArticleError(f"article {existing} already has the url {url}")

    def is_deleted(self, article_id: int) -> bool:
        """Whether the article exists but was deleted."""
        return self._deleted_note(article_id) != ""

    def set_photo_file_id(self, article_id: int, file_id: str) -> None:
        """Remember the file_id Telegram gave the uploaded photo, so it is sent only once."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE articles SET photo_file_id = ? WHERE id = ?", [file_id, article_id]
            )

    # Reading

    def get(self, article_id: int) -> Article:
        """The article with this id; ArticleNotFoundError if there is none or it was deleted."""
        if not 0 < article_id <= MAX_ID:
            raise ArticleNotFoundError(article_id)
        row = self._one(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id = ? AND a.deleted = 0",
            [article_id],
        )
        if row is None:  # the CLI's message says how to bring a deleted one back
            raise ArticleNotFoundError(article_id, deleted=self.is_deleted(article_id))
        return Article.from_row(row)

    def id_for_draft(self, key: str) -> int | None:
        """The article an admin's draft became, if it was published already."""
        row = self._one("SELECT id FROM articles WHERE draft_key = ?", [key])
        return None if row is None else int(row["id"])

    def _get_any(self, article_id: int) -> Article:
        """An article even if deleted since (for an idempotent publish)."""
        row = self._one(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", [article_id])
        if row is None:  # pragma: no cover - the id came from the table
            raise ArticleNotFoundError(article_id)
        return Article.from_row(row)

    def id_for_url(self, url: str) -> int | None:
        """The id of the article (deleted or not) with this source url."""
        return self._id_for_url(url)

    def photo(self, article_id: int) -> bytes | None:
        """The stored image bytes of an article, if it has some."""
        row = self._one("SELECT data FROM photos WHERE article_id = ?", [article_id])
        return None if row is None else bytes(row["data"])

    def count(self) -> int:
        """How many articles readers can see."""
        row = self._one("SELECT count(*) AS n FROM articles WHERE deleted = 0", [])
        return int(row["n"]) if row else 0

    def latest(self, limit: int = 10, offset: int = 0) -> list[Article]:
        """Articles newest first (by publication time), one page."""
        limit, offset = min(limit, MAX_ID), min(offset, MAX_ID)
        return self._articles(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.deleted = 0 "
            "ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?",
            [limit, offset],
        )

    def next_older(self, article: Article) -> Article | None:
        """The article published just before this one (what "Next" shows), if any."""
        found = self._articles(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.deleted = 0 "
            "AND (a.published_at, a.id) < (?, ?) ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
            [to_db_time(article.published_at), article.id],
        )
        return found[0] if found else None

    def search(self, text: str, limit: int = 10, offset: int = 0) -> list[Article]:
        """Articles whose title or body has every word of `text`, newest first."""
        query = fts_query(text)
        if query is None:
            return []
        limit, offset = min(limit, MAX_ID), min(offset, MAX_ID)
        # Walk the newest-first index and keep rows whose id the FTS match lists: a common word
        # then costs a few rows of the index, where sorting every match took 30x longer at
        # 100,000 articles (BENCHMARKS.md). SQLite's planner prefers the sort, hence INDEXED BY.
        return self._articles(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a INDEXED BY articles_latest "
            "WHERE a.deleted = 0 AND a.id IN "
            "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) "
            "ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?",
            [query, limit, offset],
        )

    def last_id(self) -> int:
        """The highest article id: ids grow in commit order, so it marks what exists now."""
        row = self._one("SELECT coalesce(max(id), 0) AS id FROM articles", [])
        return int(row["id"]) if row else 0

    def new_articles(
        self, after_id: int, until_id: int, topics: tuple[str, ...] = (), limit: int = 10
    ) -> list[Article]:
        """Articles with ids in (after_id, until_id], newest published first; with topics,
        only those matching at least one (a topic's words all appear in title or body)."""
        where = "a.deleted = 0 AND a.id > ? AND a.id <= ?"
        params: list[object] = [after_id, until_id]
        query = topics_query(topics)
        if topics and query is None:
            return []  # topics of punctuation only match nothing
        if query is not None:
            where += " AND a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            params.append(query)
        return self._articles(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a "
            f"WHERE {where} ORDER BY a.published_at DESC, a.id DESC LIMIT ?",
            [*params, limit],
        )

    def cached_summary(
        self, article_id: int, *, method: str, length: int, source_digest: str
    ) -> list[str] | None:
        """The summary kept for the article, made this way from this source; None if none is."""
        row = self._one(
            "SELECT summary FROM summaries WHERE article_id = ? AND method = ? AND sentences = ? "
            "AND source_digest = ?",
            [article_id, method, length, source_digest],
        )
        return None if row is None else list(json.loads(row["summary"]))

    def keep_summary(self, article_id: int, summary: Summary) -> None:
        """Keep a summary for next time (a read-only store keeps nothing; a deleted or
        vanished article has nothing to keep it for)."""
        if self.read_only:
            return
        with self.db.atomic():
            if self._one("SELECT 1 FROM articles WHERE id = ?", [article_id]) is not None:
                self._put_summary(article_id, summary)

    # Internals

    def _put_summary(self, article_id: int, summary: Summary) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO summaries (article_id, method, sentences, source_digest, "
            "summary) VALUES (?, ?, ?, ?, ?)",
            [
                article_id,
                summary.method,
                summary.length,
                summary.source_digest,
                json.dumps(summary.sentences, ensure_ascii=False),
            ],
        )

    def _put_photo(self, article_id: int, data: bytes) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO photos (article_id, mime, data) VALUES (?, ?, ?)",
            [article_id, image_type(data), data],
        )

    def _deleted_note(self, article_id: int) -> str:
        row = self._one("SELECT deleted FROM articles WHERE id = ?", [article_id])
        return " (deleted)" if row and row["deleted"] else ""

    def _id_for_url(self, url: str) -> int | None:
        """Looked up as stored: normalized (validate does it on the way in)."""
        row = self._one("SELECT id FROM articles WHERE url = ?", [normalize_url(url)])
        return None if row is None else int(row["id"])

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        return next(self.db.query(sql, params), None)

    def _articles(self, sql: str, params: list[Any]) -> list[Article]:
        return [Article.from_row(row) for row in self.db.query(sql, params)]
