"""ArticleWrites: adding, editing, deleting and undeleting articles, each checked first."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from summaries.article_queries import ArticleQueries
from summaries.articles import image_type, validate
from summaries.errors import (
    ArticleNotFoundError,
    DeletedArticleError,
    DuplicateArticleError,
    EditConflictError,
    InvalidArticleError,
    NotDeletedError,
)
from summaries.ids import is_row_id
from summaries.models import Article, Draft, Summary, to_db_time
from summaries.search_index import index_article
from summaries.summary_cache import put_summary

# What /remove and drop_photo clear: the photo goes with its caption and credit.
_NO_PHOTO: dict[str, Any] = {
    "photo_url": None,
    "photo_file_id": None,
    "photo_caption": "",
    "photo_credit": "",
    "photo": None,
}


def check_caption_has_photo(draft: Draft, what: str) -> None:
    """InvalidArticleError for a photo caption or credit where there is no photo: readers
    would never see it, and /remove promises that the caption and credit go with the photo."""
    has_photo = draft.photo is not None or bool(draft.photo_url or draft.photo_file_id)
    if not has_photo and (draft.photo_caption or draft.photo_credit):
        raise InvalidArticleError(
            f"{what} has no photo, so a photo caption or credit would show nowhere; "
            "add the photo too, or leave them out",
            code="caption-without-photo",
        )


class ArticleWrites(ArticleQueries):
    """The article writes over `db`, each in one transaction."""

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
            index_article(self.db, article_id, draft.title, draft.body, draft.language)
            if draft.photo is not None:
                self._put_photo(article_id, draft.photo)
            if summary is not None:
                put_summary(self.db, article_id, summary)
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
        by_feed: bool = False,
        **changes: Any,
    ) -> Article:
        """Change some fields of an article (Draft's names); its summary follows its text:
        when the title, body or language change, the summaries kept go, and `summary` (made
        from what `revised` returns) takes their place.

        With `expected_version`, the change is refused (EditConflictError) if someone else
        edited the article since that version was read. With `drop_photo`, the article has
        no photo any more: its bytes, link, file_id, caption and credit all go.

        An edit marks the article hand-edited, so its feed never overwrites it; `by_feed` is
        the feed's own update (summaries.feed_ingest), which leaves that mark as it is.
        """
        current, draft = self._revision(article_id, drop_photo, changes, now)
        if self._same(current, draft, changes, drop_photo=drop_photo):
            if expected_version is not None and current.version != expected_version:
                raise EditConflictError(
                    f"article {article_id} was changed by someone else since you opened it; "
                    f"open it again with /edit {article_id}"
                )
            return current  # nothing to edit anywhere: the version stays
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
                    f"article {other}{self._deleted_note(other)} already has the url {draft.url}",
                    code="url-taken",
                    id=other,
                    url=draft.url,
                    deleted=self.is_deleted(other),
                )
            cursor = self.db.execute(
                """
                UPDATE articles SET title = ?, body = ?, language = ?, url = ?, photo_url = ?,
                    photo_file_id = ?, photo_caption = ?, photo_credit = ?, published_at = ?,
                    updated_at = ?, version = version + 1,
                    hand_edited = CASE WHEN ? THEN hand_edited ELSE 1 END
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
                    by_feed,
                    article_id,
                    expected_version,
                    expected_version,
                ],
            )
            if cursor.rowcount == 0:
                raise EditConflictError(
                    f"article {article_id} was changed or deleted by someone else since you "
                    f"opened it; open it again with /edit {article_id}",
                    code="edit-conflict",
                    id=article_id,
                )
            if text_changed:
                index_article(self.db, article_id, draft.title, draft.body, draft.language)
            if draft.photo is not None:
                self._put_photo(article_id, draft.photo)
            if drop_photo:
                self.db.execute("DELETE FROM photos WHERE article_id = ?", [article_id])
            if text_changed:
                self.db.execute("DELETE FROM summaries WHERE article_id = ?", [article_id])
            if summary is not None:
                put_summary(self.db, article_id, summary)
        return self.get(article_id)

    def _same(
        self, current: Article, draft: Draft, changes: dict[str, Any], *, drop_photo: bool
    ) -> bool:
        """Whether the edit leaves the article as it is (values equal to the stored ones):
        then it is no change, and no channel post is edited for it."""
        if drop_photo and current.has_any_photo:
            return False
        if draft.photo is not None:
            if draft.photo != self.photo(current.id):
                return False
        elif "photo_file_id" in changes and draft.photo_file_id != current.photo_file_id:
            return False
        fields = ("title", "body", "language", "url", "photo_url", "photo_caption",
                  "photo_credit", "published_at")  # fmt: skip
        return all(getattr(draft, name) == getattr(current, name) for name in fields)

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
            raise InvalidArticleError(
                f"unknown field(s): {', '.join(sorted(unknown))}",
                code="unknown-fields",
                names=sorted(unknown),
            )
        draft = validate(Draft(**{**fields, **changes}), now=now)
        keeps_stored_photo = current.has_photo and not drop_photo
        if not keeps_stored_photo:
            check_caption_has_photo(draft, f"article {article_id}")
        return current, draft

    def delete(self, article_id: int, *, now: datetime) -> None:
        """Hide an article from listings, search and digests (the row stays, flagged); its
        feed, if it has one, does not bring it back (hand_edited)."""
        self.get(article_id)  # ArticleNotFoundError for unknown or already deleted ids
        with self.db.atomic():
            self.db.execute(
                "UPDATE articles SET deleted = 1, hand_edited = 1, updated_at = ? WHERE id = ?",
                [to_db_time(now), article_id],
            )

    def undelete(self, article_id: int, *, now: datetime) -> Article:
        """Bring a deleted article back to listings, search and digests, as it was.

        It is not news again: an unfinished breaking-news broadcast of it stays finished, so
        nobody is sent it now; digests hold it only for readers whose digests have not yet
        reached its id, as if it had never been deleted.
        """
        if not is_row_id(article_id):
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
        raise DuplicateArticleError(
            f"article {existing} already has the url {url}", code="url-taken", id=existing, url=url
        )

    def set_photo_file_id(self, article_id: int, file_id: str) -> None:
        """Remember the file_id Telegram gave the uploaded photo, so it is sent only once."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE articles SET photo_file_id = ? WHERE id = ?", [file_id, article_id]
            )

    def _put_photo(self, article_id: int, data: bytes) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO photos (article_id, mime, data) VALUES (?, ?, ?)",
            [article_id, image_type(data), data],
        )
