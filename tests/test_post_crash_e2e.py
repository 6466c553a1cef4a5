"""kill -9 at every step of an admin's /post, five times, with restarts: one article, intact."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from standin.server import BotApiServer
from tests.helpers.processes import ensure_stopped, start_run, wait_for

pytestmark = pytest.mark.slow
ADMIN = 1001


def replies(server: BotApiServer) -> int:
    with server.telegram.lock:
        return len(server.telegram.bot_messages(ADMIN))


def more_replies_than(server: BotApiServer, count: int) -> Callable[[], bool]:
    return lambda: replies(server) > count


def test_kill_during_a_post_five_times(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with BotApiServer() as server:
        admin = server.telegram.user(ADMIN, "Editor")
        steps = [
            ("/post", True),
            ("Headline that survives", True),
            ("The text. It has two sentences.", False),
            ("/done", True),
            ("/skip", True),
            ("/skip", True),
        ]
        bot = start_run(server, db, NEWSBOT_ADMIN_IDS=str(ADMIN))
        kills = 0
        try:
            for number, (step, answered) in enumerate(steps):
                before = replies(server)
                admin.sends(step)
                if answered:  # a part of the text gets no answer; the next step shows it came
                    wait_for(more_replies_than(server, before), f"the answer to {step!r}")
                if number % 2 == 1 and kills < 5:  # crash right after every other step
                    time.sleep(1.5)  # the running bot writes chat state every second
                    bot.send_signal(signal.SIGKILL)
                    bot.communicate(timeout=10)
                    kills += 1
                    bot = start_run(server, db, NEWSBOT_ADMIN_IDS=str(ADMIN))
            for _ in range(2):  # publish; then the bot dies and Publish comes again
                before = replies(server)
                admin.presses("✅ Publish")
                wait_for(more_replies_than(server, before), "the answer to Publish")
                time.sleep(0.2)
                bot.send_signal(signal.SIGKILL)
                bot.communicate(timeout=10)
                kills += 1
                bot = start_run(server, db, NEWSBOT_ADMIN_IDS=str(ADMIN))
            bot.send_signal(signal.SIGTERM)
            bot.communicate(timeout=30)
        finally:
            ensure_stopped(bot)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT title, body FROM articles").fetchall()
    assert rows == [("Headline that survives", "The text. It has two sentences.")]
    assert kills >= 5
