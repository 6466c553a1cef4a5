from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from summaries.article_summary import summary_of
from summaries.errors import StoreError
from summaries.migrations import migrations
from summaries.store import ArticleStore


def test_old_database_upgrades_in_place_without_losing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m002_summaries")  # the schema as first shipped
    old.table("articles").insert(
        {
            "title": "Kept",
            "body": "It was here first. It stays.",
            "published_at": "2025-01-01T00:00:00Z",
            "created_at": "2025-01-01T00:00:00Z",
            "updated_at": "2025-01-01T00:00:00Z",
        }
    )
    old.close()

    store = ArticleStore.open(path)
    assert [m.name for m in migrations.pending(store.db)] == []
    [article] = store.latest()
    assert article.title == "Kept"
    assert summary_of(store, article.id) == ["It was here first.", "It stays."]
    assert store.search("first")[0].id == article.id  # the FTS index came along
    store.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    ArticleStore.open(tmp_path / "a.db").close()
    store = ArticleStore.open(tmp_path / "a.db")
    names = [m.name for m in migrations.applied(store.db)]
    assert names == sorted(set(names))
    store.close()


def test_database_from_a_newer_newsbot_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    ArticleStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('newsbot', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer newsbot"):
        ArticleStore.open(path)
    assert path.read_bytes() == before


def test_stored_urls_are_normalized_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m007_normalized_urls")
    for url in ("https://EXAMPLE.org/a#x", "https://example.org:443/a", "http://Example.org/b"):
        old.table("articles").insert(
            {
                "title": "Kept",
                "body": "It was here first. It stays.",
                "url": url,
                "published_at": "2025-01-01T00:00:00Z",
                "created_at": "2025-01-01T00:00:00Z",
                "updated_at": "2025-01-01T00:00:00Z",
            }
        )
    old.close()

    store = ArticleStore.open(path)
    urls = [row["url"] for row in store.db.query("SELECT url FROM articles ORDER BY id")]
    # the second spells the first's link: it stays as it was, the unique index allows one
    assert urls == ["https://example.org/a", "https://example.org:443/a", "http://example.org/b"]
    assert store.id_for_url("https://Example.org/a") == 1
    assert store.id_for_url("http://example.org/b#c") == 3
    store.close()
