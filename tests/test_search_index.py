"""The search index is kept by the store: on upgrade, on every write, and when its words change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from summaries import search_index
from summaries.migrations import migrations
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from tests.helpers.cli import newsbot_here

T0 = "2026-01-02T03:04:05Z"


def test_a_database_from_before_the_new_index_is_indexed_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m015_search_words")
    old.table("articles").insert_all(
        [
            {"title": "Выборы в Москве", "body": "Избиратели пришли.", "language": "russian",
             "published_at": T0, "created_at": T0, "updated_at": T0},
            {"title": "Bridge approved", "body": "The council voted.", "language": "english",
             "published_at": T0, "created_at": T0, "updated_at": T0},
        ]
    )  # fmt: skip
    old.close()
    store = ArticleStore.open(path)
    assert [a.title for a in store.search("Москва")] == ["Выборы в Москве"]
    assert [a.title for a in store.search("bridges")] == ["Bridge approved"]
    tables = set(store.db.table_names())
    assert "articles_fts" not in tables  # the old index and its triggers are gone
    assert not [t for t in store.db.triggers if t.name.startswith("articles_a")]
    store.close()


def test_an_edit_reindexes_and_old_words_no_longer_match(store: ArticleStore) -> None:
    article = store.add(Draft(title="Bridge approved", body="The council voted."), now=utc_now())
    store.update(article.id, now=utc_now(), title="Tunnel approved")
    assert store.search("bridge") == []
    assert [a.id for a in store.search("tunnels")] == [article.id]
    store.update(article.id, now=utc_now(), body="Ціни на мʼясо.", language="ukrainian")
    assert [a.id for a in store.search("м'ясо")] == [article.id]


def test_deleted_articles_are_not_found_and_restored_ones_are(store: ArticleStore) -> None:
    article = store.add(Draft(title="Bridge approved", body="The council voted."), now=utc_now())
    store.delete(article.id, now=utc_now())
    assert store.search("bridge") == []
    store.undelete(article.id, now=utc_now())
    assert [a.id for a in store.search("bridge")] == [article.id]


def test_a_change_of_what_makes_the_words_indexes_everything_again_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "news.db"
    store = ArticleStore.open(path)
    store.add(Draft(title="Bridge approved", body="The council voted."), now=utc_now())
    store.close()
    monkeypatch.setattr(search_index, "index_version", lambda: "2 (a stemmer was upgraded)")
    monkeypatch.setattr(search_index, "words_to_index", lambda title, body, language: "newword")
    store = ArticleStore.open(path)  # opened for writing: indexed again with the new words
    assert [a.title for a in store.search("newword")] == ["Bridge approved"]
    assert search_index.reindex_if_needed(store.db) == 0  # current now: nothing to do
    store.close()


def test_the_index_does_not_store_the_words_again(store: ArticleStore) -> None:
    # Contentless: the words (more text than the article's) are not kept a second time.
    store.add(Draft(title="Bridge approved", body="The council voted."), now=utc_now())
    assert store.db.execute("SELECT words FROM article_words").fetchall() == [(None,)]


def test_rows_left_behind_by_edits_are_cleared_once_they_are_a_quarter(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "MIN_LEFT_BEHIND", 2)
    ids = [
        store.add(Draft(title=f"Story {n}", body="The council voted."), now=utc_now()).id
        for n in range(12)
    ]
    for n in range(3):  # three rows left behind of twelve articles: not more than a quarter
        store.update(ids[0], now=utc_now(), title=f"Bridge {n}")
    assert search_index.reindex_if_needed(store.db) == 0
    store.update(ids[1], now=utc_now(), title="Tunnel")  # ... and now more than a quarter
    assert search_index.reindex_if_needed(store.db) == 12
    rows = store.db.execute("SELECT count(*) FROM article_words").fetchone()[0]
    assert rows == 12
    assert [a.id for a in store.search("bridge")] == [ids[0]]
    assert [a.id for a in store.search("story")] == ids[11:1:-1]
    assert store.search("bridge 0") == []  # an edit's old words match nothing


def test_a_read_only_open_does_not_write_the_index(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    ArticleStore.open(path).close()
    before = path.stat().st_mtime_ns
    store = ArticleStore.open(path, upgrade=False)
    assert store.search("anything") == []
    store.close()
    assert path.stat().st_mtime_ns == before


def test_a_command_that_meets_a_held_write_lock_says_the_database_is_busy(
    tmp_path: Path,
) -> None:
    # Another newsbot holding the write lock past busy_timeout (5 s): making the search index
    # again after an upgrade holds it a minute or more for a large database.
    db = tmp_path / "news.db"
    ArticleStore.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = newsbot_here("add", "--title", "Bridge", "--body-file", "-", db=db,
                              stdin="The council voted.")  # fmt: skip
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    assert result.stderr.startswith("Error: the database is busy: another newsbot is writing")
    assert result.stderr.count("\n") == 1
    store = ArticleStore.open(db)
    assert store.count() == 0  # nothing half-written
    store.close()
