"""The real `newsbot run` process against the Bot API stand-in served on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.standin import FakeTelegram
from summaries.models import Draft
from summaries.store import ArticleStore
from tests.bot_api_server import BotApiServer
from tests.conftest import BODY, PNG

pytestmark = pytest.mark.slow


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    with BotApiServer(timeout_delay=1.0) as server:
        yield server


def start_bot(server: BotApiServer, db: Path, **env: str) -> subprocess.Popen[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))
    }
    environment |= {
        "TELEGRAM_BOT_TOKEN": server.telegram.token,
        "TELEGRAM_BASE_URL": server.base_url,
        "TELEGRAM_BASE_FILE_URL": server.base_file_url,
        "NEWSBOT_DB": str(db),
        "NEWSBOT_LOG_LEVEL": "DEBUG",  # the most verbose level must not leak the token either
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; main()", "run"],
        env=environment, cwd=db.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> tuple[int, str]:
    process.send_signal(sig)
    out, err = process.communicate(timeout=30)
    return process.returncode, out + err


def seed(db: Path) -> int:
    store = ArticleStore.open(db)
    article = store.add(Draft(title="Bridge & <river>", body=BODY, photo=PNG,
                              photo_caption="The river", url="https://example.org/b"))  # fmt: skip
    store.close()
    return article.id


def test_reader_session_end_to_end(server: BotApiServer, tmp_path: Path) -> None:
    tg: FakeTelegram = server.telegram
    article_id = seed(tmp_path / "news.db")
    tg.fail_next("getUpdates", 502, "Bad Gateway", times=2)  # polling survives network trouble
    bot = start_bot(server, tmp_path / "news.db")
    try:
        wait_for(lambda: bool(tg.successful("setMyCommands")), "the command menu")
        reader = tg.user(77, "Ada")
        reader.sends(f"/read {article_id}")
        wait_for(lambda: len(tg.bot_messages(77)) == 2, "photo and summary")
        photo, summary = tg.bot_messages(77)
        assert photo.caption == "Bridge & <river>\n\nThe river"
        assert "The city council voted" in (summary.text or "")

        tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        reader.sends("/latest")  # the 429 is waited out and the reply still arrives
        wait_for(lambda: (tg.bot_messages(77)[-1].text or "").startswith("Latest news"), "list")
        reader.presses(f"{article_id} · Bridge & <river>")
        wait_for(lambda: len(tg.bot_messages(77)) == 5, "the article from the list")

        tg.user(88, "Bo").blocks_bot()
        code, output = stop(bot)
    finally:
        if bot.poll() is None:
            bot.kill()
    assert code == 0, output
    assert tg.token not in output
    assert tg.token.split(":")[1] not in output
    refused = [c for c in tg.calls if not c.ok and c.method not in {"getUpdates", "sendMessage"}]
    assert refused == []


def test_sigint_stops_cleanly(server: BotApiServer, tmp_path: Path) -> None:
    bot = start_bot(server, tmp_path / "news.db")
    wait_for(lambda: bool(server.telegram.successful("setMyCommands")), "start-up")
    code, output = stop(bot, signal.SIGINT)
    assert code == 0, output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "TELEGRAM_BOT_TOKEN is not set"),
        ("12345:short", "TELEGRAM_BOT_TOKEN is not a bot token"),
    ],
)
def test_bad_token_is_one_line(
    server: BotApiServer, tmp_path: Path, token: str, message: str
) -> None:
    bot = start_bot(server, tmp_path / "news.db", TELEGRAM_BOT_TOKEN=token)
    _, err = bot.communicate(timeout=30)
    assert bot.returncode == 1
    [line] = err.strip().splitlines()
    assert line.startswith(f"Error: {message}")


def test_token_refused_by_telegram(server: BotApiServer, tmp_path: Path) -> None:
    wrong = "999999:" + "B" * 35
    bot = start_bot(server, tmp_path / "news.db", TELEGRAM_BOT_TOKEN=wrong)
    out, err = bot.communicate(timeout=30)
    assert bot.returncode == 1
    assert "TELEGRAM_BOT_TOKEN was refused by Telegram" in err
    assert "Traceback" not in err
    assert "B" * 35 not in out + err
