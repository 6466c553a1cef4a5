"""What a database file is to newsbot: sound and current, behind, newer, or not newsbot's."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from summaries.dbfile import inspect, looks_foreign, read_only_uri

EMPTY = "empty: no newsbot data"


@dataclass(frozen=True)
class Health:
    """What a database file is, as far as newsbot is concerned."""

    problems: list[str]  # what makes it unusable; empty: nothing
    behind: int = 0  # schema steps an older newsbot's database has still to take
    foreign: bool = False  # another program's database, or no database at all


def health_of(path: Path, *, still: bool = False) -> Health:
    """Read-only: integrity, and whether the schema is newsbot's and how current. Another
    program's database is recognized at a first, immutable look, so nothing appears beside
    it; `still` reads the whole check that way (a backup nobody writes)."""
    found = looks_foreign(path)
    if found is None:
        try:
            with path.open("rb") as file:  # a text file, say, or the start of one
                head = file.read(16)
            if head and head != b"SQLite format 3\x00":
                return Health(["not an SQLite database file"], foreign=True)
            with closing(sqlite3.connect(read_only_uri(path, immutable=still), uri=True)) as conn:
                if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                    return Health(["the integrity check failed"])
                found = inspect(conn, path)
        except (sqlite3.Error, OSError) as error:
            return Health([f"not a newsbot database ({error})"])
    if found.foreign:
        return Health([f"not a newsbot database ({found.describe()})"], foreign=True)
    if found.newer:
        problem = f"written by a newer newsbot ({', '.join(sorted(found.newer))})"
    else:
        return Health([EMPTY] if found.empty else [], behind=found.behind)
    return Health([problem])
