"""The real `newsbot run` process offers a channel it was made administrator of, adds it when
an admin presses the offer, and pauses it when it loses its rights: over HTTP."""

from __future__ import annotations

import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from standin import FakeTelegram
from standin.server import BotApiServer
from tests.helpers.cli import newsbot
from tests.helpers.processes import ensure_stopped, start_run, wait_for

pytestmark = pytest.mark.slow
ADMIN = 4242


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer(timeout_delay=1.0) as server:
        yield server


def outlets(db: Path) -> list[tuple[int, int, str | None]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, chat_id, paused_reason FROM outlets").fetchall()


def texts(tg: FakeTelegram, chat: int) -> list[str]:
    return [m.text or "" for m in tg.bot_messages(chat)]


def test_offer_add_and_lost_rights_end_to_end(server: BotApiServer, tmp_path: Path) -> None:
    tg, db = server.telegram, tmp_path / "news.db"
    admin = tg.user(ADMIN)
    news = tg.channel("Harbour News", username="harbournews", status="left")
    bot = start_run(server, db, NEWSBOT_ADMIN_IDS=str(ADMIN))
    try:
        wait_for(lambda: bool(tg.successful("setMyCommands")), "start-up")
        news.set_bot("administrator")
        wait_for(lambda: any("Post news here" in str(m.buttons) for m in tg.bot_messages(ADMIN)),
                 "the offer")  # fmt: skip
        admin.presses("Post news here")
        wait_for(lambda: outlets(db) == [(1, news.id, None)], "the outlet")
        wait_for(lambda: texts(tg, ADMIN)[-1].startswith("Added channel"), "the answer")
        news.set_bot("kicked")
        wait_for(lambda: outlets(db) == [(1, news.id, "rights")], "the pause")
        wait_for(lambda: texts(tg, ADMIN)[-1].startswith("⏸ I can no longer post"), "the alert")
        bot.send_signal(signal.SIGINT)
        _, errors = bot.communicate(timeout=30)
    finally:
        ensure_stopped(bot)
    assert bot.returncode == 0, errors
    assert tg.token not in errors
    listed = newsbot("channel", "list", db=db).stdout
    assert listed == (
        "1  Harbour News (@harbournews)  every article  0 posts in the chat  "
        "paused: the bot lost its rights there\n"
    )
