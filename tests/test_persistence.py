"""Chat, user and conversation state in SQLite: written when it changes, and only if any."""

from __future__ import annotations

from pathlib import Path

from bot.persistence import SqlitePersistence
from summaries.store import ArticleStore


def rows(store: ArticleStore) -> list[tuple[str, str, str]]:
    return list(store.db.execute("SELECT kind, key, value FROM chat_state ORDER BY kind, key"))


async def test_only_changed_non_empty_state_is_written(tmp_path: Path) -> None:
    store = ArticleStore.open(tmp_path / "news.db")
    persistence = SqlitePersistence(store.db)
    await persistence.update_chat_data(11, {})  # a reader who only read: nothing to keep
    await persistence.update_user_data(11, {})
    assert rows(store) == []
    await persistence.update_chat_data(12, {"searches": ["rome"]})
    changes = store.db.conn.total_changes
    await persistence.update_chat_data(12, {"searches": ["rome"]})  # the same, next tick
    assert store.db.conn.total_changes == changes  # no write at all
    await persistence.update_chat_data(12, {"searches": ["rome", "bridge"]})
    assert rows(store) == [("chat", "12", '{"searches": ["rome", "bridge"]}')]
    await persistence.update_chat_data(12, {})  # emptied: the row goes
    assert rows(store) == []
    again = SqlitePersistence(store.db)  # a restart reads what is there
    await persistence.update_chat_data(13, {"zone": "Europe/Rome"})
    assert await again.get_chat_data() == {13: {"zone": "Europe/Rome"}}
    await again.drop_chat_data(13)
    assert rows(store) == []
    store.close()
