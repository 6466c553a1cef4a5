"""The sender lease and its holders' names: one process sends digests, however many run on the
same database."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlite_utils import Database

from summaries.models import to_db_time


class Leases:
    """Named leases in SQLite, each held by one owner until it expires or is given up."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def hold(self, name: str, owner: str, now: datetime, ttl: timedelta) -> str | None:
        """Take or renew the lease; None if we hold it, else the live holder's name."""
        with self.db.atomic():
            row = self.db.execute(
                "SELECT owner, expires_at FROM leases WHERE name = ?", [name]
            ).fetchone()
            if row is not None and row[0] != owner and row[1] > to_db_time(now):
                return str(row[0])
            self.db.execute(
                "INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, "
                "expires_at = excluded.expires_at",
                [name, owner, to_db_time(now + ttl)],
            )
        return None

    def release(self, name: str, owner: str) -> None:
        """Give the lease up at shutdown, so a restart need not wait for it to expire."""
        with self.db.atomic():
            self.db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", [name, owner])


def new_owner() -> str:
    """This process's name in leases and claims: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def ended_here(owner: str) -> bool:
    """Whether a lease owner ('host:pid:…', as `new_owner` names it) was a process of this
    machine that has ended: its lease need not be waited out."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdecimal():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, as another user
        return False
    return False
