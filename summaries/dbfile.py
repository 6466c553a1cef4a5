"""Whose database a file is, read without writing a byte: newsbot never writes into another
program's database, nor leaves -wal and -shm files beside it to find out."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from summaries.migrations import KNOWN


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """An SQLite URI that opens `path` read-only (any name: '?' and '#' are escaped);
    `immutable` for a file nobody writes (a backup): then no -wal or -shm file is made."""
    return path.absolute().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")


def copy_database(source: Path, target: Path, *, still: bool = False) -> None:
    """newsbot's one way to copy a database (backup, restore, the console's demo copy); a
    failed or interrupted copy to a new `target` leaves nothing behind (no copy beats a
    doubtful one), and one over an existing database leaves it as it was (SQLite's backup
    writes the target in one transaction).

    A live database is copied with SQLite's online backup, consistent even while the bot
    writes. A `still` one (a backup file nobody writes) is copied as it lies, with the
    write-ahead log beside it if any (a file copied from a live database may keep its newest
    changes there): opening it in place would leave -shm and -wal files beside it.
    """
    made = [path for path in (target, target.with_name(target.name + "-wal")) if not path.exists()]
    try:
        if still:
            shutil.copyfile(source, target)
            wal = source.with_name(source.name + "-wal")
            if wal.is_file() and wal.stat().st_size:
                shutil.copyfile(wal, target.with_name(target.name + "-wal"))
            return
        with (
            closing(sqlite3.connect(read_only_uri(source), uri=True)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
    except BaseException:  # Ctrl-C too
        for leftover in made:
            leftover.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class DatabaseFile:
    """What an SQLite file holds, as far as newsbot is concerned."""

    path: Path
    objects: tuple[str, ...]  # its tables, views, indexes and triggers, by name
    applied: frozenset[str]  # newsbot's schema steps recorded in it
    marked: bool  # PRAGMA application_id or user_version set: some program claims it

    @property
    def ours(self) -> bool:
        """A newsbot database (of any version)."""
        return bool(self.applied)

    @property
    def empty(self) -> bool:
        """Nothing in it yet: anyone's to fill."""
        return not self.objects and not self.marked

    @property
    def foreign(self) -> bool:
        """Another program's: newsbot must leave it as it is."""
        return not self.ours and not self.empty

    @property
    def newer(self) -> frozenset[str]:
        """Schema steps of a newer newsbot, which this one can't read."""
        return self.applied - KNOWN

    @property
    def behind(self) -> int:
        """Schema steps an older newsbot's database has still to take."""
        return len(KNOWN - self.applied) if self.ours else 0

    def describe(self) -> str:
        """Its own tables, for a refusal: 'notes, tags, ...'."""
        shown = ", ".join(self.objects[:3]) + (", ..." if len(self.objects) > 3 else "")
        return f"it holds {shown}" if shown else "another program has marked it as its own"


def inspect(conn: sqlite3.Connection, path: Path) -> DatabaseFile:
    """Read what `conn` (opened on `path`) holds; sqlite3.DatabaseError if it is no database."""
    # substr, not LIKE: LIKE's _ is a wildcard and it ignores case, so 'SQLiteKV' would pass
    objects = tuple(row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE substr(name, 1, 7) <> 'sqlite_' ORDER BY name"
    ))  # fmt: skip
    marked = any(conn.execute(f"PRAGMA {name}").fetchone()[0]
                 for name in ("application_id", "user_version"))  # fmt: skip
    applied: frozenset[str] = frozenset()
    if "_sqlite_migrations" in objects:
        applied = frozenset(row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'newsbot'"
        ))  # fmt: skip
    return DatabaseFile(path, objects, applied, marked)


def inspect_file(path: Path, *, still: bool = False) -> DatabaseFile:
    """Inspect the file at `path` read-only; `still` (immutable) for a file nobody writes."""
    with closing(sqlite3.connect(read_only_uri(path, immutable=still), uri=True)) as conn:
        return inspect(conn, path)


def looks_foreign(path: Path) -> DatabaseFile | None:
    """The file, if a first look finds another program's database in it; else None.

    The look is immutable, so a WAL-mode file gets no -wal or -shm beside it. It can miss
    what sits only in a write-ahead log (a newsbot database a bot has just made), which is
    never foreign, and the full check on the real connection follows anyway.
    """
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        found = inspect_file(path, still=True)
    except (sqlite3.DatabaseError, OSError):  # not a database, or changing: the full check says
        return None
    return found if found.foreign else None
