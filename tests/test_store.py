from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram.constants import FileSizeLimit

from summaries.article_summary import add_article, summary_of, update_article
from summaries.articles import MAX_PHOTO_BYTES, megabytes
from summaries.errors import (
    ArticleNotFoundError,
    DeletedArticleError,
    DuplicateArticleError,
    InvalidArticleError,
    NotDeletedError,
    StoreError,
)
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from tests.helpers.samples import BODY, PNG


def test_add_then_get_round_trips_every_field(store: ArticleStore) -> None:
    when = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    article = add_article(
        store,
        Draft(
            title="  Bridge   approved ",
            body=BODY,
            url="https://example.org/bridge",
            photo=PNG,
            photo_caption="The river at dusk.",
            photo_credit="A. Photographer",
            published_at=when,
            created_by="42",
        ),
        now=utc_now(),
    )
    again = store.get(article.id)
    assert again == article
    assert article.title == "Bridge approved"
    assert article.has_photo
    assert store.photo(article.id) == PNG
    assert article.published_at == when
    assert (article.url, article.photo_caption, article.photo_credit, article.created_by) == (
        "https://example.org/bridge",
        "The river at dusk.",
        "A. Photographer",
        "42",
    )


def test_add_stores_the_default_summary(store: ArticleStore) -> None:
    article = add_article(store, Draft(title="Bridge", body=BODY), now=utc_now())
    [[count]] = store.db.execute(
        "SELECT count(*) FROM summaries WHERE article_id = ?", [article.id]
    ).fetchall()
    assert count == 1
    summary = summary_of(store, article.id)
    assert 1 <= len(summary) <= 3
    assert all(sentence in BODY for sentence in summary)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "title is empty"),
        ({"body": "\n\n"}, "body is empty"),
        ({"language": "klingon"}, "unsupported language"),
        ({"url": "javascript:alert(1)"}, "http"),
        ({"photo": b"GIF8 not really"}, "not a JPEG"),
        ({"photo": b"\x89PNG\r\n\x1a\n" + bytes(11 * 2**20)}, "at most 10 MB"),
        # 10 MiB would pass, but Telegram's 10 MB are 10**6 bytes each: refused here, clearly
        (
            {"photo": PNG + bytes(10_200_000 - len(PNG))},
            "the photo is 10.2 MB; Telegram takes at most 10 MB",
        ),
        ({"published_at": datetime(2026, 1, 1)}, "time zone"),  # noqa: DTZ001
    ],
)
def test_bad_drafts_change_nothing(
    store: ArticleStore, changes: dict[str, Any], message: str
) -> None:
    fields = {"title": "Bridge", "body": BODY, **changes}
    with pytest.raises(InvalidArticleError, match=message):
        add_article(store, Draft(**fields), now=utc_now())
    assert store.count() == 0
    assert store.db.execute("SELECT count(*) FROM summaries").fetchone() == (0,)


def test_the_photo_limit_is_telegrams() -> None:
    """The domain can't import telegram, so its copy of the number is held to PTB's here."""
    assert MAX_PHOTO_BYTES == FileSizeLimit.PHOTOSIZE_UPLOAD
    assert megabytes(MAX_PHOTO_BYTES) == "10"
    assert megabytes(MAX_PHOTO_BYTES + 1) == "10.1"  # over the limit never reads as 10


def test_url_is_unique(store: ArticleStore) -> None:
    add_article(store, Draft(title="One", body=BODY, url="https://example.org/a"), now=utc_now())
    with pytest.raises(DuplicateArticleError):
        add_article(
            store, Draft(title="Two", body=BODY, url="https://example.org/a"), now=utc_now()
        )
    assert store.count() == 1


@pytest.mark.parametrize(
    "variant",
    [
        "https://EXAMPLE.org/a",
        "HTTPS://example.org/a",
        "https://example.org/a#x",
        "https://example.org:443/a",
        " https://Example.ORG:443/a#top ",
    ],
)
def test_url_duplicates_are_found_whatever_the_spelling(store: ArticleStore, variant: str) -> None:
    article = add_article(
        store, Draft(title="One", body=BODY, url="https://example.org/a"), now=utc_now()
    )
    assert store.id_for_url(variant) == article.id
    with pytest.raises(DuplicateArticleError):
        add_article(store, Draft(title="Two", body=BODY, url=variant), now=utc_now())
    with pytest.raises(DuplicateArticleError):
        store.check_url_free(variant)
    other = add_article(
        store, Draft(title="Other", body=BODY, url="https://example.org/b"), now=utc_now()
    )
    with pytest.raises(DuplicateArticleError):
        update_article(store, other.id, url=variant, now=utc_now())
    store.delete(article.id, now=utc_now())
    with pytest.raises(DeletedArticleError):
        add_article(store, Draft(title="Three", body=BODY, url=variant), now=utc_now())
    assert store.count() == 1


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("HTTP://Example.ORG:80/Path/?Q=1#frag", "http://example.org/Path/?Q=1"),
        ("https://example.org:8443/a/", "https://example.org:8443/a/"),
        ("http://example.org:443/a", "http://example.org:443/a"),  # not http's default
        ("https://User@Example.org/a", "https://User@example.org/a"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
    ],
)
def test_urls_are_stored_normalized(store: ArticleStore, given: str, stored: str) -> None:
    assert (
        add_article(store, Draft(title="One", body=BODY, url=given), now=utc_now()).url == stored
    )


def test_paths_queries_and_trailing_slashes_name_other_pages(store: ArticleStore) -> None:
    for url in ("https://example.org/a", "https://example.org/a/", "https://example.org/A"):
        add_article(store, Draft(title="One", body=BODY, url=url), now=utc_now())
    add_article(
        store, Draft(title="One", body=BODY, url="https://example.org/a?page=2"), now=utc_now()
    )
    assert store.count() == 4


def test_undelete_restores_search_and_digests_but_no_breaking_news(store: ArticleStore) -> None:
    article = add_article(
        store, Draft(title="Bridge", body=BODY, url="https://example.org/a"), now=utc_now()
    )
    store.db.execute(
        "INSERT INTO broadcasts (article_id, created_at) VALUES (?, '2026-01-01T00:00:00Z')",
        [article.id],
    )
    store.delete(article.id, now=utc_now())
    with pytest.raises(DeletedArticleError, match=f"newsbot undelete {article.id} brings"):
        add_article(
            store, Draft(title="Two", body=BODY, url="https://example.org/a"), now=utc_now()
        )
    assert store.search("bridge") == []
    assert store.undelete(article.id, now=utc_now()).id == article.id
    assert [a.id for a in store.search("bridge")] == [article.id]
    assert [a.id for a in store.new_articles(0, store.last_id())] == [article.id]
    open_broadcasts = store.db.execute(
        "SELECT count(*) FROM broadcasts WHERE finished_at IS NULL"
    ).fetchone()
    assert open_broadcasts == (0,)  # an unfinished breaking-news send is not resumed
    with pytest.raises(NotDeletedError):
        store.undelete(article.id, now=utc_now())
    with pytest.raises(ArticleNotFoundError):
        store.undelete(article.id + 1, now=utc_now())


def test_latest_is_newest_first_and_paged(store: ArticleStore) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = [
        add_article(
            store,
            Draft(title=f"Story {i}", body=BODY, published_at=start + timedelta(hours=i)),
            now=utc_now(),
        ).id
        for i in range(5)
    ]
    assert [a.id for a in store.latest(limit=2)] == [ids[4], ids[3]]
    assert [a.id for a in store.latest(limit=2, offset=2)] == [ids[2], ids[1]]
    assert [a.id for a in store.latest(limit=2, offset=4)] == [ids[0]]


def test_backdated_article_sorts_by_publication_not_by_id(store: ArticleStore) -> None:
    new = add_article(
        store,
        Draft(title="New", body=BODY, published_at=datetime(2026, 5, 1, tzinfo=UTC)),
        now=utc_now(),
    )
    old = add_article(
        store,
        Draft(title="Old", body=BODY, published_at=datetime(2020, 5, 1, tzinfo=UTC)),
        now=utc_now(),
    )
    assert [a.id for a in store.latest()] == [new.id, old.id]


def test_delete_hides_everywhere(store: ArticleStore) -> None:
    article = add_article(store, Draft(title="Bridge", body=BODY), now=utc_now())
    store.delete(article.id, now=utc_now())
    with pytest.raises(ArticleNotFoundError):
        store.get(article.id)
    assert store.latest() == []
    assert store.search("bridge") == []
    assert store.count() == 0
    with pytest.raises(ArticleNotFoundError):
        store.delete(article.id, now=utc_now())


def test_a_caption_or_credit_needs_a_photo(store: ArticleStore) -> None:
    with pytest.raises(InvalidArticleError, match="the article has no photo"):
        add_article(store, Draft(title="Bridge", body=BODY, photo_credit="Reuters"), now=utc_now())
    article = add_article(store, Draft(title="Bridge", body=BODY), now=utc_now())
    with pytest.raises(InvalidArticleError, match=f"article {article.id} has no photo"):
        update_article(store, article.id, photo_caption="The river", now=utc_now())
    pictured = add_article(store, Draft(title="River", body=BODY, photo=PNG), now=utc_now())
    assert (
        update_article(store, pictured.id, photo_caption="The river", now=utc_now()).photo_caption
        == "The river"
    )


def test_update_recomputes_the_summary_only_when_the_text_changes(store: ArticleStore) -> None:
    article = add_article(store, Draft(title="Bridge", body=BODY), now=utc_now())
    update_article(store, article.id, url="https://example.org/bridge", now=utc_now())
    assert summary_of(store, article.id)[0] in BODY
    new_body = "Plans changed completely. The council cancelled the bridge. A ferry runs instead."
    updated = update_article(store, article.id, body=new_body, now=utc_now())
    assert updated.body == new_body
    assert all(sentence in new_body for sentence in summary_of(store, article.id))
    rows = store.db.execute("SELECT count(*) FROM summaries WHERE article_id = ?", [article.id])
    assert rows.fetchone() == (1,)  # the stale one is gone
    assert store.search("ferry")[0].id == article.id  # FTS follows updates
    assert store.search("residents") == []


def test_update_rejects_bad_values_without_changing_anything(store: ArticleStore) -> None:
    article = add_article(store, Draft(title="Bridge", body=BODY), now=utc_now())
    with pytest.raises(InvalidArticleError):
        update_article(store, article.id, title="", now=utc_now())
    with pytest.raises(InvalidArticleError):
        update_article(store, article.id, colour="red", now=utc_now())
    assert store.get(article.id) == article


def test_photo_file_id_is_cached_and_reset_when_the_photo_changes(store: ArticleStore) -> None:
    article = add_article(store, Draft(title="Bridge", body=BODY, photo=PNG), now=utc_now())
    store.set_photo_file_id(article.id, "AgACAgQAAx0")
    assert store.get(article.id).photo_file_id == "AgACAgQAAx0"
    update_article(store, article.id, photo=PNG, now=utc_now())  # the same image: no change
    assert store.get(article.id).photo_file_id == "AgACAgQAAx0"
    update_article(store, article.id, photo=PNG + b"\0", now=utc_now())
    assert store.get(article.id).photo_file_id is None


def test_summary_by_other_method_is_cached(store: ArticleStore) -> None:
    article = add_article(store, Draft(title="Bridge", body=BODY), now=utc_now())
    first = summary_of(store, article.id, method="lexrank", sentences=2)
    assert len(first) == 2
    assert summary_of(store, article.id, method="lexrank", sentences=2) == first
    rows = store.db.execute("SELECT count(*) FROM summaries WHERE article_id = ?", [article.id])
    assert rows.fetchone() == (2,)


def test_file_database_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = ArticleStore.open(tmp_path / "sub" / "news.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store.db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    store.close()


def test_unwritable_location_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create"):
        ArticleStore.open(blocker / "news.db")


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot use the database"):
        ArticleStore.open(path)


def test_concurrent_connections_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    bot, cli = ArticleStore.open(path), ArticleStore.open(path)
    article = cli.add(Draft(title="Bridge", body=BODY), now=utc_now())
    assert bot.get(article.id).title == "Bridge"
    bot.close()
    cli.close()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_pasted_headline_is_not_in_the_stored_summary(
    store: ArticleStore, fixture_article: tuple[str, str]
) -> None:
    headline, body = fixture_article
    article = add_article(
        store, Draft(title="Haunting photo", body=f"{headline}\n\n\n{body}"), now=utc_now()
    )
    summary = summary_of(store, article.id)
    assert summary[0].startswith("MEXICO CITY, July 25")
    assert headline not in summary


def test_summaries_stored_under_older_rules_are_recomputed(
    store: ArticleStore, fixture_article: tuple[str, str]
) -> None:
    headline, body = fixture_article
    article = add_article(
        store, Draft(title=headline, body=f"{headline}\n\n{body}"), now=utc_now()
    )
    old_digest = hashlib.sha256(f"english\0{article.title}\0{article.body}".encode()).hexdigest()
    store.db.execute(  # as newsbot stored it before RULES_VERSION: the headline first
        "UPDATE summaries SET summary = ?, source_digest = ? WHERE article_id = ?",
        [json.dumps([headline]), old_digest, article.id],
    )
    assert summary_of(store, article.id)[0].startswith("MEXICO CITY, July 25")


def test_times_more_than_a_day_ahead_of_now_are_refused(store: ArticleStore) -> None:
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    ahead = add_article(
        store,
        Draft(title="Soon", body=BODY, published_at=now + timedelta(hours=23)),
        now=now,
    )
    with pytest.raises(InvalidArticleError, match=r"in the future; .* \(until 2026-11-26 08:00"):
        add_article(
            store,
            Draft(title="Typo", body=BODY, published_at=datetime(2200, 12, 31, tzinfo=UTC)),
            now=now,
        )
    with pytest.raises(InvalidArticleError, match="in the future"):
        update_article(store, ahead.id, published_at=now + timedelta(days=2), now=now)
    assert [a.title for a in store.latest()] == ["Soon"]


@pytest.mark.parametrize("field", ["title", "body", "photo_caption", "photo_credit"])
def test_control_characters_are_refused_however_an_article_arrives(
    store: ArticleStore, field: str
) -> None:
    fields = {"title": "T", "body": BODY, field: "Binary \x00\x01 junk. More text."}
    with pytest.raises(InvalidArticleError, match="holds a control character"):
        add_article(store, Draft(**fields), now=utc_now())  # type: ignore[arg-type]
    assert store.count() == 0
    tabs = add_article(
        store, Draft(title="Tab\there", body="Line one.\r\nLine\ttwo.\n"), now=utc_now()
    )
    assert tabs.body == "Line one.\nLine\ttwo."
