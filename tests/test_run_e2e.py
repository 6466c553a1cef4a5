"""The real `newsbot run` process against the Bot API stand-in served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from standin import FakeTelegram
from standin.server import BotApiServer
from summaries.article_summary import add_article
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from tests.helpers.net import free_port
from tests.helpers.processes import ensure_stopped, wait_for
from tests.helpers.samples import BODY, PNG

pytestmark = pytest.mark.slow


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
        [sys.executable, "-c", "from bot.launcher import main; main()", "run"],
        env=environment, cwd=db.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> tuple[int, str]:
    process.send_signal(sig)
    out, err = process.communicate(timeout=30)
    return process.returncode, out + err


def seed(db: Path) -> int:
    store = ArticleStore.open(db)
    article = add_article(store, Draft(title="Bridge & <river>", body=BODY, photo=PNG,
                              photo_caption="The river", url="https://example.org/b"),
                          now=utc_now())  # fmt: skip
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
        ensure_stopped(bot)
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
    assert "TELEGRAM_BOT_TOKEN was refused by the Bot API (401 Unauthorized)" in err
    assert "Traceback" not in err
    assert "B" * 35 not in out + err


def post_update(port: int, update: dict[str, object], secret: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/hook",
        data=json.dumps(update).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:  # not listening yet
        return 0


def test_webhook_mode(server: BotApiServer, tmp_path: Path) -> None:
    tg, port = server.telegram, free_port()
    article_id = seed(tmp_path / "news.db")
    bot = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from bot.launcher import main; main()",
            "run",
            "--webhook-url",
            "https://bot.example.org/hook",
            "--listen",
            "127.0.0.1",
            "--port",
            str(port),
            "--secret-token",
            "s3cret",
        ],
        env={
            **os.environ,
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_BASE_URL": server.base_url,
            "NEWSBOT_DB": str(tmp_path / "news.db"),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: bool(tg.successful("setWebhook")), "setWebhook")
        [call] = tg.successful("setWebhook")
        assert call.params["url"] == "https://bot.example.org/hook"
        assert call.params["secret_token"] == "s3cret"  # noqa: S105 - a test value
        reader = tg.user(77)
        update = tg.updates.text(reader.json, f"/read {article_id}", reader.chat)
        wait_for(lambda: post_update(port, update, "s3cret") == 200, "the webhook to listen")
        wait_for(lambda: len(tg.bot_messages(77)) == 2, "photo and summary by webhook")
        forged = tg.updates.text(reader.json, "/latest", reader.chat)
        assert post_update(port, forged, "wrong") == 403
        code, output = stop(bot)
    finally:
        ensure_stopped(bot)
    assert code == 0, output
    assert len(tg.bot_messages(77)) == 2  # the forged update was not answered
    assert tg.token not in output


def catches(pid: int, sig: int) -> bool:
    """Whether the process has a handler for `sig` (its SigCgt mask in /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(
        next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16
    )
    return bool(caught >> (sig - 1) & 1)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("after", [0.0, 0.1, 0.3])
def test_a_stop_signal_while_loading_exits_quietly(
    server: BotApiServer, tmp_path: Path, sig: int, after: float
) -> None:
    """From the moment newsbot's code runs (Python's own start comes first), a stop signal
    while it loads, builds the application or starts up ends it with 0 and no traceback."""
    bot = start_bot(server, tmp_path / "news.db")
    try:
        # SIGTERM, not `sig`: Python's own start already catches SIGINT (KeyboardInterrupt),
        # and the launcher takes both at once, so a caught SIGTERM means newsbot's code runs
        wait_for(lambda: catches(bot.pid, signal.SIGTERM), "the launcher's handler", timeout=10)
        time.sleep(after)  # importing, building the application, or starting
        code, output = stop(bot, sig)
    finally:
        ensure_stopped(bot)
    assert code == 0, output
    assert "Traceback" not in output
