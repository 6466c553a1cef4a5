"""Digests from the real `newsbot run` process: many readers, faults, kill -9 and restart."""

from __future__ import annotations

import random
import signal
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.digest_round import CONCURRENCY
from standin.server import BotApiServer
from summaries.article_summary import add_article
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions
from tests.helpers.clock import ZONES as DIGEST_ZONES
from tests.helpers.processes import ensure_stopped, start_run, wait_for
from tests.helpers.samples import BODY

pytestmark = pytest.mark.slow

ZONES = [*DIGEST_ZONES, "UTC"]  # the five DST-tested zones, and UTC
READERS = 240


def seed_due_readers(db: Path, server: BotApiServer) -> list[int]:
    """READERS subscribers in several zones whose time came two minutes ago, and news."""
    store = ArticleStore.open(db)
    subs, now = Subscriptions(store.db), datetime.now(UTC)
    zones = [z for z in ZONES if now.astimezone(ZoneInfo(z)).time().hour > 0]  # not near midnight
    chats = []
    for i in range(READERS):
        chat, zone = 5000 + i, ZoneInfo(zones[i % len(zones)])
        server.telegram.user(chat)
        at = (now - timedelta(minutes=2)).astimezone(zone).time().replace(second=0, microsecond=0)
        subs.subscribe(chat, at, zone, now=now - timedelta(minutes=5))
        chats.append(chat)
    for title in ["Bridge approved", "Night trains return"]:
        add_article(store, Draft(title=title, body=BODY), now=utc_now())
    store.close()
    return chats


def digest_counts(server: BotApiServer, chats: list[int]) -> Counter[int]:
    with server.telegram.lock:
        return Counter(
            chat
            for chat in chats
            for m in server.telegram.bot_messages(chat)
            if "Your news digest" in (m.text or "")
        )


def states(db: Path) -> dict[int, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT chat_id, state FROM deliveries WHERE kind = 'daily'"))


def test_kill_mid_fan_out_then_restart(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with BotApiServer(timeout_delay=6.0) as server:
        chats = seed_due_readers(db, server)
        blocked = set(chats[::40])  # six readers blocked the bot
        server.telegram.blocked_chats |= blocked
        server.telegram.random_faults(0.1, methods=["sendMessage"])  # 429, 502 and timeouts
        first = start_run(server, db)
        try:  # kill -9 once a third of the readers have their digest
            wait_for(
                lambda: sum(digest_counts(server, chats).values()) >= READERS // 3,
                "a third of the digests",
                timeout=60,
            )
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=10)
            at_kill = states(db)
            second = start_run(server, db)
            wait_for(
                lambda: (
                    all(s != "claimed" for s in states(db).values())
                    and len(states(db)) >= READERS - len(blocked) - 8
                ),
                "every reader settled",
                timeout=120,
            )
            server.telegram.random_faults(0)

            def everyone_settled() -> bool:
                counts, final = digest_counts(server, chats), states(db)
                return all(counts[c] or final.get(c) in {"failed", "in-doubt"} for c in chats)

            wait_for(everyone_settled, "every reader's digest, or a final state", timeout=60)
            second.send_signal(signal.SIGTERM)
            _, log = second.communicate(timeout=30)
        finally:
            for process in (first, locals().get("second")):
                ensure_stopped(process)
        counts, final = digest_counts(server, chats), states(db)
    assert second.returncode == 0, log
    assert max(counts.values()) == 1  # nobody got two
    assert all(final.get(chat) in {"failed", "in-doubt"} for chat in blocked)
    assert all(counts[chat] == 0 for chat in blocked)
    in_doubt = {chat for chat, state in final.items() if state == "in-doubt"}
    with sqlite3.connect(db) as conn:  # in doubt from the kill (no error) or a timeout
        errors = dict(conn.execute("SELECT chat_id, error FROM deliveries WHERE kind = 'daily'"))
    from_kill = {chat for chat in in_doubt if errors[chat] is None}
    on_the_wire = {chat for chat, state in at_kill.items() if state == "sending"}
    waiting = {chat for chat, state in at_kill.items() if state == "claimed"}
    assert from_kill <= on_the_wire  # only requests that had left are in doubt
    assert all(counts[chat] == 1 or chat in blocked for chat in waiting)  # the rest: sent
    missed = {chat for chat in chats if counts[chat] == 0} - blocked
    assert missed <= from_kill  # only a send on the wire at the kill can be missing: a timeout
    # was carried out by Telegram (the stand-in), and counted as delivered, not sent again
    assert len(from_kill) <= CONCURRENCY  # at most the sends in flight at once
    assert all(
        final[chat] == "sent" for chat in chats if counts[chat] == 1 and chat not in in_doubt
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    print(  # noqa: T201
        f"waiting at the kill: {len(waiting)} (sent after the restart); on the wire, in doubt: "
        f"{len(from_kill)}, of them delivered: {len(from_kill - missed)}; timeouts in doubt: "
        f"{len(in_doubt - from_kill)}"
    )


def _in_doubt(db: Path) -> int:
    return sum(1 for state in states(db).values() if state == "in-doubt")


def test_five_kills_in_a_row(tmp_path: Path) -> None:
    """kill -9 at random points of one round, five times, then a clean run: no duplicates, no
    misses but requests on the wire, no corrupt rows."""
    db = tmp_path / "news.db"
    rng = random.Random(5)
    with BotApiServer(timeout_delay=6.0) as server:
        chats = seed_due_readers(db, server)
        for _ in range(5):
            bot = start_run(server, db)
            try:
                target = sum(digest_counts(server, chats).values()) + rng.randint(5, 25)

                def progressed(t: int = target) -> bool:
                    sent = sum(digest_counts(server, chats).values())
                    return sent >= t or not _waiting(db, chats)

                wait_for(progressed, "some progress", timeout=60)
            finally:
                bot.send_signal(signal.SIGKILL)
                bot.communicate(timeout=10)
        last = start_run(server, db)
        try:

            def settled() -> bool:
                counts, final = digest_counts(server, chats), states(db)
                return all(counts[c] or final.get(c) == "in-doubt" for c in chats)

            wait_for(settled, "every reader settled", timeout=90)
            last.send_signal(signal.SIGTERM)
            last.communicate(timeout=30)
        finally:
            ensure_stopped(last)
        counts, final = digest_counts(server, chats), states(db)
    assert max(counts.values()) == 1  # five kills, and still nobody got two
    missed = {chat for chat in chats if counts[chat] == 0}
    assert missed <= {chat for chat, state in final.items() if state == "in-doubt"}
    assert len(missed) <= 5 * CONCURRENCY
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    print(f"after five kills: {sum(counts.values())} digests, {len(missed)} missed")  # noqa: T201


def _waiting(db: Path, chats: list[int]) -> bool:
    """Whether some reader has no delivery row yet (the round has work left)."""
    return len(states(db)) < len(chats)
