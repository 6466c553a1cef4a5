"""Alerts: what the bot tells its admins on its own (a feed failing, then working again).

An alert is queued in the same transaction as the change it reports (a source's poll
recorded as failing), so a crash can't lose it; the digest round sends it to every admin
through the deliveries ledger (kind 'alert', claimed before it is sent, marked as it
leaves), so a crash can't send it twice either. It is finished once every admin has it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from summaries.models import from_db_time, to_db_time

logger = logging.getLogger(__name__)
DAY = timedelta(days=1)
OFFERS_A_DAY = 20  # "Post news here" offers, all chats together, in any 24 hours
RIGHTS_A_DAY = 4  # a chat's outlet-paused (and as many outlet-resumed) alerts in 24 hours


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
        """Queue an alert (inside the caller's transaction, when there is one); its id, or 0
        when a chat's alerts are over their day's allowance (see `_allowed`)."""
        with self.db.atomic():
            if not self._allowed(kind, details.get("chat_id"), details.get("thread_id"), now):
                logger.info("%s alert for chat %s not queued: enough today", kind,
                            details.get("chat_id"))  # fmt: skip
                return 0
            cursor = self.db.execute(
                "INSERT INTO alerts (kind, details, created_at) VALUES (?, ?, ?)",
                [kind, json.dumps(details, ensure_ascii=False), to_db_time(now)],
            )
        return int(cursor.lastrowid or 0)

    def _allowed(self, kind: str, chat_id: object, thread_id: object, now: datetime) -> bool:
        """Whether a chat's alert may still go today: a channel's owner can promote and
        demote the bot at will, and each time would reach every admin.

        An offer ("Post news here") goes once a day per chat, OFFERS_A_DAY in all; a paused
        or resumed outlet's news RIGHTS_A_DAY times a day per chat (and forum topic: each
        topic's pause is news of its own); its state shows in /channels anyway. Source
        alerts have no such limit (a source fails once, then works again).
        """
        limits = {"outlet-offer": 1, "outlet-paused": RIGHTS_A_DAY, "outlet-resumed": RIGHTS_A_DAY}
        if kind not in limits:
            return True
        since = to_db_time(now - DAY)
        same = "SELECT count(*) FROM alerts WHERE kind = ? AND created_at > ?"
        of_chat = self.db.execute(
            f"{same} AND json_extract(details, '$.chat_id') = ? "
            "AND json_extract(details, '$.thread_id') IS ?",
            [kind, since, chat_id, thread_id],
        ).fetchone()[0]
        if int(of_chat) >= limits[kind]:
            return False
        if kind != "outlet-offer":
            return True
        return int(self.db.execute(same, [kind, since]).fetchone()[0]) < OFFERS_A_DAY

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
