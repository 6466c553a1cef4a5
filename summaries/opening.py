"""Opening the database file: refusing another program's or a newer newsbot's, and
connecting (read-only, or upgradable with WAL) to newsbot's own."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlite_utils import Database

from summaries.dbfile import DatabaseFile, inspect, looks_foreign, read_only_uri
from summaries.errors import StoreError

UPGRADING_COMMANDS = "add, import, edit, delete, undelete, post, restore or run"


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


def connect(path: Path, *, upgrade: bool) -> Database:
    """The newsbot database at `path`, checked (see ArticleStore.open); with upgrade, in WAL."""
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
        return db
    except sqlite3.DatabaseError as error:
        raise StoreError(f"cannot use the database {path}: {error}") from None
    except OSError as error:
        raise StoreError(f"cannot create the database {path}: {error.strerror}") from None
