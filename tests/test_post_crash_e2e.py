"""kill -9 at every step of an admin's /post, five times, with restarts: one article, intact."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.handlers.drafts import PREVIEW
from bot.handlers.post_steps import BODY, PHOTO
from standin.server import BotApiServer
from tests.helpers.processes import ensure_stopped, start_run, wait_for

pytestmark = pytest.mark.slow
ADMIN = 1001


def replies(server: BotApiServer) -> int:
    with server.telegram.lock:
        return len(server.telegram.bot_messages(ADMIN))


def answers(server: BotApiServer) -> int:
    """Messages to the admin, and answered button presses."""
    with server.telegram.lock:
        presses = len(server.telegram.successful("answerCallbackQuery"))
    return replies(server) + presses


def more_answers_than(server: BotApiServer, count: int) -> Callable[[], bool]:
    return lambda: answers(server) > count


def more_replies_than(server: BotApiServer, count: int) -> Callable[[], bool]:
    return lambda: replies(server) > count


def saved_step(db: Path) -> int | None:
    """The /post step the running bot has saved for the admin (it saves every second)."""
    with sqlite3.connect(db, timeout=10) as conn:
        row = conn.execute(
            "SELECT value FROM chat_state WHERE kind = 'conversation:post' AND key = ?",
            [f"[{ADMIN}, {ADMIN}]"],
        ).fetchone()
    return None if row is None else int(row[0])


def saved_at(db: Path, step: int) -> Callable[[], bool]:
    return lambda: saved_step(db) == step


def test_kill_during_a_post_five_times(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with BotApiServer() as server:
        admin = server.telegram.user(ADMIN, "Editor")
        steps = [
            ("/post", True, None),
            ("Headline that survives", True, BODY),
            ("The text. It has two sentences.", False, None),
            ("/done", True, PHOTO),
            ("/skip", True, None),
            ("/skip", True, PREVIEW),
        ]
        bot = start_run(server, db, NEWSBOT_ADMIN_IDS=str(ADMIN))
        kills = 0
        try:
            for step, answered, saved_as in steps:
                before = replies(server)
                admin.sends(step)
                if answered:  # a part of the text gets no answer; the next step shows it came
                    wait_for(
                        more_replies_than(server, before), f"the answer to {step!r}", timeout=60
                    )
                if saved_as is not None:  # crash once the step is saved (a second, or more)
                    wait_for(saved_at(db, saved_as), f"{step!r} saved")
                    bot.send_signal(signal.SIGKILL)
                    bot.communicate(timeout=10)
                    kills += 1
                    bot = start_run(server, db, NEWSBOT_ADMIN_IDS=str(ADMIN))
            for again in (False, True):  # publish; then the bot dies and Publish comes again
                before, pressed = replies(server), answers(server)
                admin.presses("✅ Publish")
                if not again:  # "Published as article 1."
                    wait_for(
                        more_replies_than(server, before), "the answer to Publish", timeout=60
                    )
                else:  # that, or the closed draft was saved before the kill: "no longer works"
                    wait_for(
                        more_answers_than(server, pressed),
                        "the answer to Publish again",
                        timeout=60,
                    )
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
