"""backup, restore and doctor, in a subprocess as an operator runs them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.bot_api_server import BotApiServer
from tests.conftest import BODY
from tests.test_cli import newsbot, snapshot


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    assert newsbot("add", "--title", "Kept", stdin=BODY, db=path).returncode == 0
    return path


def test_backup_then_restore(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "backup.db"
    result = newsbot("backup", str(copy), db=db)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    before = snapshot(db)
    newsbot("add", "--title", "After the backup", stdin=BODY, db=db)
    assert newsbot("backup", str(copy), db=db).returncode == 1  # never overwrites
    restored = newsbot("restore", str(copy), "--yes", db=db)
    assert restored.returncode == 0, restored.stderr
    assert snapshot(db) == before


def test_restore_refuses_what_is_not_a_newsbot_database(db: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    before = snapshot(db)
    result = newsbot("restore", str(junk), "--yes", db=db)
    assert result.returncode == 1
    assert "can't be restored" in result.stderr
    assert snapshot(db) == before


def test_doctor(db: Path) -> None:
    no_token = newsbot("doctor", db=db)
    assert no_token.returncode == 1
    assert "FIX  TELEGRAM_BOT_TOKEN is not set" in no_token.stdout
    assert "ok   database" in no_token.stdout
    with BotApiServer() as server:
        env = {"TELEGRAM_BOT_TOKEN": server.telegram.token, "TELEGRAM_BASE_URL": server.base_url}
        healthy = newsbot("doctor", db=db, env=env)
        assert healthy.returncode == 0, healthy.stdout
        assert "the Bot API knows this bot: @newsbot_demo_bot" in healthy.stdout
        wrong = newsbot("doctor", db=db, env={**env, "TELEGRAM_BOT_TOKEN": "999:" + "A" * 35})
        assert wrong.returncode == 1
        assert "refused the token" in wrong.stdout
        assert "A" * 35 not in wrong.stdout
