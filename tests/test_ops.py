"""backup, restore and doctor, in a subprocess as an operator runs them."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from standin.server import BotApiServer
from summaries.migrations import KNOWN, migrations
from summaries.models import to_db_time, utc_now
from tests.helpers.cli import NEWSBOT, newsbot, snapshot
from tests.helpers.samples import BODY


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


def other_programs_database(path: Path, kind: str = "notes") -> bytes:
    """Another program's SQLite file: a table, a table named like SQLite's own in WAL mode,
    or no table yet but the program's application_id."""
    with closing(sqlite3.connect(path)) as conn:
        if kind == "notes":
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            conn.execute("INSERT INTO notes (text) VALUES ('mine, not newsbot''s')")
        elif kind == "SQLiteKV":  # LIKE 'sqlite_%' took it for SQLite's own table
            conn.execute("PRAGMA journal_mode = wal")
            conn.execute("CREATE TABLE SQLiteKV (k, v)")
            conn.execute("INSERT INTO SQLiteKV VALUES (1, 2)")
        else:
            conn.execute("PRAGMA application_id = 1234")
        conn.commit()
    return path.read_bytes()


def older_newsbot_database(path: Path) -> None:
    """A database as last month's newsbot left it: the first schema steps, and an article."""
    old = Database(path)
    migrations.apply(old, stop_before="m004_subscriptions")
    old.table("articles").insert(
        {"title": "From last month", "body": BODY, "published_at": "2026-11-01T08:00:00Z",
         "created_at": "2026-11-01T08:00:00Z", "updated_at": "2026-11-01T08:00:00Z"}
    )  # fmt: skip
    old.close()


def steps(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0])


@pytest.mark.parametrize("kind", ["notes", "SQLiteKV", "marked"])
def test_no_command_writes_into_another_programs_database(tmp_path: Path, kind: str) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": "123456789:" + "A" * 35,
        "TELEGRAM_BASE_URL": "http://127.0.0.1:1/bot",
    }
    other = tmp_path / "other.db"
    before = other_programs_database(other, kind)
    (tmp_path / "one.jsonl").write_text(json.dumps({"title": "T", "body": BODY}) + "\n")
    backup = tmp_path / "backup.db"
    assert newsbot("add", "--title", "Mine", stdin=BODY, db=backup).returncode == 0
    commands = [
        (["list"], ""), (["show", "1"], ""), (["edit", "1", "--title", "X"], ""),
        (["delete", "1"], ""), (["undelete", "1"], ""), (["add", "--title", "T"], BODY),
        (["import", str(tmp_path / "one.jsonl")], ""), (["console"], "/latest\n"),
        (["backup", str(tmp_path / "copy.db")], ""), (["restore", str(backup), "--yes"], ""),
        (["run"], ""),
    ]  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda c: newsbot(*c[0], db=other, stdin=c[1], env=env), commands))
    for (args, _), result in zip(commands, results, strict=True):
        assert result.returncode == 1, (args, result.stdout)
        assert "not a newsbot database" in result.stderr.splitlines()[-1], (args, result.stderr)
    assert other.read_bytes() == before
    assert not (tmp_path / "copy.db").exists()
    doctor = newsbot("doctor", db=other)
    assert f"FIX  database {other}: not a newsbot database" in doctor.stdout
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.glob("other.db*")) == ["other.db"]  # no -wal, -shm


def test_reading_commands_never_create_or_upgrade(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    for args in (["list"], ["show", "1"]):
        result = newsbot(*args, db=empty)
        assert result.returncode == 1
        assert result.stderr == f"Error: no newsbot database at {empty} (the file is empty)\n"
    assert empty.stat().st_size == 0
    old = tmp_path / "old.db"
    older_newsbot_database(old)
    listed = newsbot("list", db=old)
    assert listed.returncode == 1
    assert "is from an older newsbot" in listed.stderr
    assert "a command that changes data upgrades it (add, import, edit," in listed.stderr
    assert steps(old) == 3
    edited = newsbot("edit", "1", "--title", "Upgraded on request", db=old)
    assert edited.returncode == 0, edited.stderr
    assert steps(old) == len(KNOWN)
    assert "Upgraded on request" in newsbot("list", db=old).stdout


def test_a_backup_from_an_older_newsbot_restores_upgraded_and_untouched(
    db: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "last-month.db"
    older_newsbot_database(backup)
    before = backup.read_bytes()
    result = newsbot("restore", str(backup), "--yes", db=db)
    assert result.returncode == 0, result.stderr
    assert backup.read_bytes() == before
    assert sorted(p.name for p in tmp_path.glob("last-month.db*")) == ["last-month.db"]
    assert steps(db) == len(KNOWN)
    assert [row[1] for row in snapshot(db)] == ["From last month"]
    assert "ok   database" in newsbot("doctor", db=db).stdout
    assert not list(tmp_path.glob(".newsbot-restore-*"))  # the staging copy is gone


def test_restore_never_replaces_another_programs_database(tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    assert newsbot("add", "--title", "Mine", stdin=BODY, db=backup).returncode == 0
    other = tmp_path / "other.db"
    before = other_programs_database(other)
    result = newsbot("restore", str(backup), "--yes", db=other)
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {other} is not a newsbot database (it holds notes); newsbot won't replace it\n"
    )
    assert other.read_bytes() == before


def test_restore_asks_and_no_changes_nothing(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "backup.db"
    assert newsbot("backup", str(copy), db=db).returncode == 0
    newsbot("add", "--title", "After the backup", stdin=BODY, db=db)
    before = snapshot(db)
    piped = newsbot("restore", str(copy), db=db)  # no terminal to ask on
    assert piped.returncode == 1
    assert piped.stderr == (
        f"Error: restore replaces {db}: add --yes (there is no terminal to ask)\n"
    )
    primary, replica = os.openpty()  # a terminal, where the operator answers n
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    with subprocess.Popen(
        [*NEWSBOT, "restore", str(copy)], stdin=replica, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**env, "NEWSBOT_DB": str(db)},
    ) as process:  # fmt: skip
        os.close(replica)
        os.write(primary, b"n\n")
        _, err = process.communicate(timeout=60)
    os.close(primary)
    assert process.returncode == 1
    assert err.endswith("Error: not restored: nothing changed\n"), err
    assert "Aborted" not in err
    assert snapshot(db) == before


def test_backup_names_a_missing_folder(db: Path, tmp_path: Path) -> None:
    result = newsbot("backup", str(tmp_path / "nowhere" / "b.db"), db=db)
    assert result.returncode == 1
    assert result.stderr == f"Error: no folder {tmp_path / 'nowhere'}; create it first\n"


def test_ctrl_c_is_one_error_line(tmp_path: Path) -> None:
    primary, replica = os.openpty()  # `add` asks for the text on a terminal
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    with subprocess.Popen(
        [*NEWSBOT, "add", "--title", "Never"], stdin=replica, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**env, "NEWSBOT_DB": str(tmp_path / "n.db")},
    ) as process:  # fmt: skip
        os.close(replica)
        assert process.stderr is not None
        assert process.stderr.readline().startswith("Type the text")
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=60)
        finally:
            process.kill()  # whatever happened, nothing is left to wait for
    os.close(primary)
    assert process.returncode == 1
    assert err == "Error: stopped (Ctrl-C)\n"
    assert not (tmp_path / "n.db").exists()


def test_an_empty_file_stays_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    for args in (["edit", "1", "--title", "x"], ["delete", "1"], ["undelete", "1"]):
        result = newsbot(*args, db=empty)
        assert result.stderr == f"Error: no newsbot database at {empty} (the file is empty)\n"
    assert empty.stat().st_size == 0
    doctor = newsbot("doctor", db=empty)
    assert f"ok   database {empty} is empty" in doctor.stdout


def test_restore_keeps_what_sits_in_the_backups_write_ahead_log(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    assert newsbot("add", "--title", "First", stdin=BODY, db=live).returncode == 0
    holder = sqlite3.connect(live)  # as a running bot does: its WAL isn't checkpointed
    holder.execute("SELECT count(*) FROM articles").fetchall()  # now a reader of the WAL
    assert newsbot("add", "--title", "Second", stdin=BODY, db=live).returncode == 0
    copied = tmp_path / "copied"
    copied.mkdir()
    for name in ("live.db", "live.db-wal"):  # a file-level copy, as a careless backup makes
        (copied / name).write_bytes((tmp_path / name).read_bytes())
    holder.close()
    before = {p.name: p.read_bytes() for p in copied.iterdir()}
    target = tmp_path / "restored.db"
    result = newsbot("restore", str(copied / "live.db"), "--yes", db=target)
    assert result.returncode == 0, result.stderr
    assert [row[1] for row in snapshot(target)] == ["First", "Second"]
    assert {p.name: p.read_bytes() for p in copied.iterdir()} == before  # untouched
