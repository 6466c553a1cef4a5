"""Alerts: what the bot tells its admins on its own (a feed failing, then working again).

An alert is queued in the same transaction as the change it reports (a source's poll
recorded as failing), so a crash can't lose it; the digest round sends it to every admin
through the deliveries ledger (kind 'alert', claimed before it is sent, marked as it
leaves), so a crash can't send it twice either. It is finished once every admin has it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from summaries.models import from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert for every admin: its kind and what the message needs to say."""

    id: int
    kind: str  # source-failing, source-recovered, outlet-paused, outlet-resumed, outlet-offer
    details: dict[str, Any]
    created_at: datetime


class Alerts:
    """The alerts queued and not yet sent to every admin."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def queue(self, kind: str, details: dict[str, Any], *, now: datetime) -> int:
        """Queue an alert (inside the caller's transaction, when there is one)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO alerts (kind, details, created_at) VALUES (?, ?, ?)",
                [kind, json.dumps(details, ensure_ascii=False), to_db_time(now)],
            )
        return int(cursor.lastrowid or 0)

    def open(self, limit: int = 50) -> list[Alert]:
        """Alerts not yet finished, oldest first."""
        rows = self.db.execute(
            "SELECT id, kind, details, created_at FROM alerts WHERE finished_at IS NULL "
            "ORDER BY id LIMIT ?",
            [limit],
        ).fetchall()
        return [Alert(row[0], row[1], json.loads(row[2]), from_db_time(row[3])) for row in rows]

    def finish(self, alert_id: int, *, now: datetime) -> None:
        """Every admin has it (or can't be reached): it is not looked at again."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE alerts SET finished_at = ? WHERE id = ?", [to_db_time(now), alert_id]
            )
