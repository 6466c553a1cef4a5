"""backup, restore and doctor, in a subprocess as an operator runs them."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from summaries.models import to_db_time, utc_now
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
    with closing(sqlite3.connect(f"file:{copy}?mode=ro&immutable=1", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    before = snapshot(db)
    newsbot("add", "--title", "After the backup", stdin=BODY, db=db)
    assert newsbot("backup", str(copy), db=db).returncode == 1  # never overwrites
    restored = newsbot("restore", str(copy), "--yes", db=db)
    assert restored.returncode == 0, restored.stderr
    assert snapshot(db) == before
    assert sorted(p.name for p in tmp_path.glob("backup.db*")) == ["backup.db"]  # untouched


def test_restore_refuses_what_is_not_a_newsbot_database(db: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    before = snapshot(db)
    result = newsbot("restore", str(junk), "--yes", db=db)
    assert result.returncode == 1
    assert "can't be restored" in result.stderr
    assert snapshot(db) == before


def _ended_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.parametrize(
    ("holder", "expires_in", "refused"),
    [
        ("alive here", 90, True),  # `newsbot run` on this machine
        ("elsewhere", 90, True),  # on another machine: alive as long as it renews the lease
        ("ended here", 90, False),  # killed, so it could not give the lease up
        ("elsewhere", -1, False),  # expired: stopped without giving it up
    ],
)
def test_restore_refuses_while_the_bot_runs(
    db: Path, tmp_path: Path, holder: str, expires_in: int, refused: bool
) -> None:
    owner = {
        "alive here": f"{socket.gethostname()}:{os.getpid()}:1a2b3c4d",
        "ended here": f"{socket.gethostname()}:{_ended_pid()}:1a2b3c4d",
        "elsewhere": "other-host:1234:1a2b3c4d",
    }[holder]
    copy = tmp_path / "backup.db"
    assert newsbot("backup", str(copy), db=db).returncode == 0
    newsbot("add", "--title", "After the backup", stdin=BODY, db=db)
    with sqlite3.connect(db) as conn:  # what `newsbot run` holds while it runs
        conn.execute(
            "INSERT INTO leases (name, owner, expires_at) VALUES ('digests', ?, ?)",
            [owner, to_db_time(utc_now() + timedelta(seconds=expires_in))],
        )
    before = snapshot(db)
    result = newsbot("restore", str(copy), "--yes", db=db)
    if refused:
        assert result.returncode == 1
        assert result.stderr == (
            f"Error: a running bot ({owner}) uses {db}; stop the bot first, then restore\n"
        )
        assert snapshot(db) == before
    else:
        assert result.returncode == 0, result.stderr
        assert len(snapshot(db)) == 1


def test_restore_refuses_the_database_itself(db: Path) -> None:
    before = snapshot(db)
    for same in [db, db.parent / "." / db.name]:
        result = newsbot("restore", str(same), "--yes", db=db)
        assert result.returncode == 1
        assert result.stderr == f"Error: {same} is the database itself; give a backup file\n"
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


def test_doctor_checks_the_rest_past_a_bad_token_and_accepts_a_fresh_install(
    db: Path, tmp_path: Path
) -> None:
    malformed = newsbot("doctor", db=db, env={"TELEGRAM_BOT_TOKEN": "not-a-token"})
    assert malformed.returncode == 1
    assert "FIX  TELEGRAM_BOT_TOKEN is not a bot token" in malformed.stdout
    assert "ok   database" in malformed.stdout  # still checked
    several = newsbot(
        "doctor", db=db, env={"NEWSBOT_TIMEZONE": "Mars/Base", "NEWSBOT_LOG_LEVEL": "x"}
    )
    assert "FIX  NEWSBOT_TIMEZONE" in several.stdout
    assert "FIX  NEWSBOT_LOG_LEVEL" in several.stdout  # every bad setting, not the first only
    assert "ok   database" in several.stdout
    assert "not-a-token" not in malformed.stdout + malformed.stderr
    fresh = newsbot("doctor", db=tmp_path / "none-yet.db")
    assert "ok   no database at" in fresh.stdout  # the first run makes it: nothing to fix
    assert not (tmp_path / "none-yet.db").exists()
