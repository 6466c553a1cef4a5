from __future__ import annotations

import ast
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

import summaries.migrations as migrations_module
from summaries.article_summary import summary_of
from summaries.errors import StoreError
from summaries.migrations import STEPS, migrations
from summaries.outlet_queue import OutletQueue
from summaries.outlets import Outlets
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions


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


# Upgrades from every earlier schema version, with a row in every table


T0 = "2025-01-01T00:00:00Z"
LATER = "2025-03-01T00:00:00Z"


def fill(db: Database) -> None:
    """Rows in every table this version has, in the columns it had then."""
    tables = set(db.table_names())
    columns = set(db.table("articles").columns_dict)
    for article_id, url in [(1, "https://example.org/a"), (2, None)]:
        row: dict[str, object] = {
            "id": article_id,
            "title": f"Kept {article_id}",
            "body": "It was here first. It stays.",
            "url": url,
            "published_at": T0,
            "created_by": "7",
            "created_at": T0,
            "updated_at": T0,
        }
        if "version" in columns:
            row["version"] = 3
        if "draft_key" in columns:
            row["draft_key"] = f"draft-{article_id}"
        db.table("articles").insert(row)
    db.table("photos").insert({"article_id": 1, "mime": "image/png", "data": b"\x89PNG"})
    if "summaries" in tables:
        db.table("summaries").insert(
            {
                "article_id": 1,
                "method": "lexrank",
                "sentences": 1,
                "source_digest": "d",
                "summary": '["It stays."]',
            }
        )
    if "reads" in tables:
        db.table("reads").insert({"article_id": 1, "day": "2025-01-01", "count": 4})
    if "subscribers" in tables:
        for chat, blocked in [(10, 1), (11, 0), (12, 0)]:
            db.table("subscribers").insert(
                {
                    "chat_id": chat,
                    "time_of_day": "08:00",
                    "timezone": "Europe/Berlin",
                    "topics": "rail",
                    "status": "active",
                    "blocked": blocked,
                    "breaking": 1,
                    "due_day": "2025-01-02",
                    "due_at": "2025-01-02T07:00:00Z",
                    "seen_id": 1,
                    "created_at": T0,
                    "updated_at": T0,
                }
            )
        db.table("deliveries").insert(
            {
                "chat_id": 10,
                "kind": "daily",
                "key": "2025-01-01 Europe/Berlin",
                "state": "sent",
                "owner": "old",
                "claimed_at": T0,
                "finished_at": T0,
                "articles": "[1]",
            }
        )
        db.table("leases").insert({"name": "digests", "owner": "old", "expires_at": T0})
    if "blocked_chats" in tables:
        # 10 blocked; 11 blocked, then subscribed again (the column was cleared, not the
        # table); 13 blocked without ever subscribing
        for chat in (10, 11, 13):
            db.table("blocked_chats").insert({"chat_id": chat, "blocked_at": LATER})
    if "chat_state" in tables:
        db.table("chat_state").insert({"kind": "chat", "key": "10", "value": '{"q": "rail"}'})
        db.table("broadcasts").insert({"article_id": 1, "created_by": "7", "created_at": T0})
    if "sources" in tables:
        db.table("sources").insert(
            {"url": "https://example.org/feed", "name": "A", "added_at": T0}
        )
        db.table("feed_items").insert(
            {
                "source_id": 1,
                "guid": "g",
                "text_hash": "h",
                "article_id": 2,
                "content_hash": "c",
                "seen_at": T0,
            }
        )
        db.execute("UPDATE articles SET source_id = 1 WHERE id = 2")
    if "alerts" in tables:
        db.table("alerts").insert({"kind": "failing", "details": "{}", "created_at": T0})


def snapshot(db: Database) -> dict[str, list[dict[str, object]]]:
    """Every row of every table but the search index's own (its tables, and the row of it
    each article's words are in, filled when the store opens) and the migrations' record."""
    return {
        name: [
            {k: v for k, v in dict(row).items() if k != "search_row"}
            for row in db.query(f'SELECT * FROM "{name}" ORDER BY 1')  # noqa: S608
        ]
        for name in db.table_names()
        if not name.startswith(("articles_fts", "article_words", "_sqlite"))
    }


@pytest.mark.parametrize("version", range(1, len(STEPS)))
def test_every_earlier_version_upgrades_with_nothing_lost(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.db"
    old = Database(path)
    migrations.apply(old, stop_before=STEPS[version])  # the schema after step `version`
    fill(old)
    before = snapshot(old)
    old.close()

    store = ArticleStore.open(path)
    after = snapshot(store.db)
    assert migrations.pending(store.db) == []
    assert "blocked_chats" not in after  # one "blocked": subscribers.blocked
    for table, rows in before.items():
        if table == "blocked_chats":
            continue
        kept = [{k: v for k, v in row.items() if k in rows[0]} for row in after[table]]
        if table == "subscribers" and "blocked_chats" in before:
            for row in rows:  # a blocked reader's time is kept as the row's last change
                row["updated_at"] = LATER if row["chat_id"] == 10 else row["updated_at"]
        assert kept == rows, table
    subs = Subscriptions(store.db)
    if "subscribers" in before:
        assert [subs.is_blocked(chat) for chat in (10, 11, 12)] == [True, False, False]
        assert [s.chat_id for s in subs.due(datetime(2025, 1, 3, tzinfo=UTC))] == [11, 12]
    assert not subs.is_blocked(13)  # no reader: nothing is ever sent to it unasked
    assert store.search("first")[0].id in {1, 2}  # the search index came along
    assert store.id_for_url("https://EXAMPLE.org/a#top") == 1
    assert summary_of(store, 1) == ["It was here first.", "It stays."]
    store.close()


def test_our_step_list_is_the_registered_one() -> None:
    assert [m.name for m in migrations.pending(Database(memory=True))] == STEPS
    assert sorted(STEPS) == STEPS


def test_migrations_import_nothing_of_newsbot() -> None:
    """A step does forever what it did when written: no code that moves on runs in it."""
    source = Path(migrations_module.__file__).read_text(encoding="utf-8")
    imported = [
        node.module or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [name for name in imported if name.split(".")[0] in {"summaries", "bot"}]


def test_feed_sources_step_keeps_articles_as_made_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "v8.db"
    old = Database(path)
    migrations.apply(old, stop_before="m009_feed_sources")
    fill(old)
    old.close()

    store = ArticleStore.open(path)
    rows = list(store.db.query("SELECT id, source_id, hand_edited FROM articles ORDER BY id"))
    assert rows == [
        {"id": 1, "source_id": None, "hand_edited": 0},
        {"id": 2, "source_id": None, "hand_edited": 0},
    ]
    assert store.get(1).source_id is None
    assert store.get(1).version == 3
    assert store.db.table("sources").count == 0
    assert store.db.table("feed_items").count == 0
    source = "INSERT INTO sources (url, name, added_at) VALUES ('https://example.org/f', ?, ?)"
    store.db.execute(source, ["A", T0])
    with pytest.raises(sqlite3.IntegrityError):  # one source per feed link
        store.db.execute(source, ["B", T0])
    item = (
        "INSERT INTO feed_items (source_id, guid, link, text_hash, article_id, content_hash, "
        "seen_at) VALUES (1, ?, ?, 'h', 1, 'c', ?)"
    )
    store.db.execute(item, ["g", None, T0])
    with pytest.raises(sqlite3.IntegrityError):  # one row per guid within a source
        store.db.execute(item, ["g", "https://example.org/a", T0])
    store.db.execute(item, [None, "https://example.org/a", T0])
    with pytest.raises(sqlite3.IntegrityError):  # and per link
        store.db.execute(item, ["h", "https://example.org/a", T0])
    store.close()


def test_outlets_step_posts_only_what_comes_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v10.db"
    old = Database(path)
    migrations.apply(old, stop_before="m011_outlets")
    fill(old)
    old.close()

    store = ArticleStore.open(path)
    assert store.get(2).source_id == 1
    outlets = Outlets(store.db)
    outlet = outlets.add(-100, kind="channel", sources=(1,), now=datetime(2025, 3, 1, tzinfo=UTC))
    assert outlet.seen_id == 2  # the articles from before are not posted
    assert OutletQueue(store.db).enqueue(datetime(2025, 3, 1, tzinfo=UTC)) == 0
    with pytest.raises(sqlite3.IntegrityError):  # one outlet per chat and topic
        store.db.execute(
            "INSERT INTO outlets (chat_id, kind, added_at, updated_at) VALUES (-100, 'c', ?, ?)",
            [T0, T0],
        )
    store.close()
