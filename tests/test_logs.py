"""The token never reaches a log line, whatever logs it and at whatever level."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from bot.config import ConfigError, Settings
from bot.logs import RedactTokenFilter, redact, setup_logging

TOKEN = "123456789:AAEhBP0av28TmaqKCq6DH2cJk8V2ek6Qd_o"  # noqa: S105 - a fake


def test_redact_masks_tokens_in_urls() -> None:
    assert redact(f"POST https://api.telegram.org/bot{TOKEN}/getMe") == (
        "POST https://api.telegram.org/bot<token>/getMe"
    )


@pytest.mark.parametrize("level", [logging.DEBUG, logging.INFO, logging.ERROR])
def test_filter_masks_message_args_and_traceback(
    caplog: pytest.LogCaptureFixture, level: int
) -> None:
    logger = logging.getLogger("httpx.test")
    caplog.handler.addFilter(RedactTokenFilter())
    caplog.set_level(logging.DEBUG)
    try:
        raise RuntimeError(f"InvalidToken: {TOKEN}")
    except RuntimeError:
        logger.log(level, "HTTP Request: POST %s", f"https://x/bot{TOKEN}/getMe", exc_info=True)
    text = caplog.text
    assert TOKEN not in text
    assert TOKEN.split(":")[1] not in text
    assert "bot<token>/getMe" in text


def test_json_lines_are_masked_too(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("DEBUG", as_json=True)
    try:
        raise RuntimeError(f"InvalidToken: {TOKEN}")
    except RuntimeError:
        logging.getLogger("telegram.ext").exception("call to bot%s failed", TOKEN)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    event = json.loads(line)
    assert event["level"] == "ERROR"
    assert event["message"] == "call to bot<token> failed"
    assert TOKEN not in line
    assert "InvalidToken: <token>" in event["traceback"]
    setup_logging("WARNING")


def test_a_quoted_or_cut_token_is_masked_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert redact(f"POST /bot{TOKEN.replace(':', '%3A')}/getMe") == "POST /bot<token>/getMe"
    setup_logging("INFO", token=TOKEN)
    secret = TOKEN.split(":")[1]
    for padding in range(255, 300, 3):  # wherever the one-line error is cut
        try:
            raise ValueError("A" * padding + f"/bot{TOKEN}/getUpdates")
        except ValueError:
            logging.getLogger("telegram.ext.Updater").exception("polling failed")
    logging.getLogger("odd").warning("the secret alone, run into text: x%sy", secret)
    err = capsys.readouterr().err
    for start in range(len(secret) - 8):
        assert secret[start : start + 8] not in err
    assert "x<token>y" in err
    setup_logging("WARNING")


def test_tracebacks_only_at_debug(capsys: pytest.CaptureFixture[str]) -> None:
    for level, traceback in [("INFO", False), ("DEBUG", True)]:
        setup_logging(level)
        try:
            raise ValueError(f"bad answer from bot{TOKEN}\n second line")
        except ValueError:
            logging.getLogger("telegram.ext").exception("the call failed")
        err = capsys.readouterr().err
        assert ("Traceback" in err) is traceback
        assert TOKEN not in err
        if not traceback:
            assert err.count("\n") == 1
            assert err.endswith(
                "the call failed (ValueError: bad answer from bot<token> second line)\n"
            )
    setup_logging("WARNING")


def test_settings_repr_and_errors_hide_the_token() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert TOKEN not in repr(settings)
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN + "!"})
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSBOT_ADMIN_IDS": "12,abc"}, "NEWSBOT_ADMIN_IDS"),
        ({"NEWSBOT_TIMEZONE": "Mars/Base"}, "NEWSBOT_TIMEZONE"),
        ({"NEWSBOT_LOG_LEVEL": "LOUD"}, "NEWSBOT_LOG_LEVEL"),
        ({"NEWSBOT_RATE_LIMIT": "no"}, "NEWSBOT_RATE_LIMIT"),
        ({"NEWSBOT_RETENTION_DAYS": "7"}, "NEWSBOT_RETENTION_DAYS must be whole days between 8"),
        ({"NEWSBOT_RETENTION_DAYS": "3651"}, "NEWSBOT_RETENTION_DAYS"),
        ({"NEWSBOT_RETENTION_DAYS": "30.5"}, "NEWSBOT_RETENTION_DAYS"),
        ({"NEWSBOT_RETENTION_DAYS": "-30"}, "NEWSBOT_RETENTION_DAYS"),
        ({"NEWSBOT_RETENTION_DAYS": "9" * 5000}, "NEWSBOT_RETENTION_DAYS"),
    ],
)
def test_bad_settings_name_the_key(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env, need_token=False)


def test_settings_parse(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "NEWSBOT_ADMIN_IDS": "1, 2;3",
            "NEWSBOT_TIMEZONE": "Europe/Rome",
            "TELEGRAM_BASE_URL": "http://127.0.0.1:1/bot",
            "NEWSBOT_DB": str(tmp_path / "x.db"),
            "NEWSBOT_RATE_LIMIT": "0",
            "NEWSBOT_RETENTION_DAYS": " 90 ",
        },
        need_token=False,
    )
    assert not settings.rate_limit
    assert settings.retention_days == 90
    assert Settings.from_env({}, need_token=False).rate_limit
    assert Settings.from_env({}, need_token=False).retention_days == 30
    assert settings.admin_ids == frozenset({1, 2, 3})
    assert str(settings.timezone) == "Europe/Rome"
    assert settings.base_url == "http://127.0.0.1:1/bot"
    assert settings.db_path == tmp_path / "x.db"


def test_routine_lines_from_httpx_and_the_job_scheduler_are_kept_out() -> None:
    setup_logging("INFO")
    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert logging.getLogger("bot.digests").isEnabledFor(logging.INFO)


async def test_a_job_cancelled_by_shutdown_is_not_logged_as_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`newsbot console` and `run` stop their jobs with the scheduler: APScheduler logs the
    cancelled job as "Error running job … (CancelledError)", which is no error. A job that
    fails still is one."""
    setup_logging("WARNING")
    scheduler = AsyncIOScheduler()
    started = asyncio.Event()

    async def slow_job() -> None:
        started.set()
        await asyncio.sleep(60)

    async def failing_job() -> None:
        raise RuntimeError("a real failure")

    scheduler.add_job(slow_job)
    scheduler.add_job(failing_job)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.sleep(0.1)  # the failing job's end is logged
    scheduler.shutdown(wait=False)  # cancels the slow job, as PTB's JobQueue.stop does
    await asyncio.sleep(0.1)
    err = capsys.readouterr().err
    assert "CancelledError" not in err
    assert "Error running job" not in err
    assert "raised an exception (RuntimeError: a real failure)" in err
