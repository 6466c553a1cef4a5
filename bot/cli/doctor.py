"""`newsbot doctor`: the configuration, the database and the Bot API checked; what to fix."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import click
import httpx
from telegram import Bot, User
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.cli.health import EMPTY, Health, health_of
from bot.config import ConfigError, Settings, load_env
from bot.logs import redact, setup_logging
from summaries.dbfile import read_only_uri
from summaries.store import UPGRADING_COMMANDS

READ_TIMEOUT = 10  # seconds a server that took the connection may take to answer
DOCTOR_DEADLINE = 15  # seconds for the whole getMe call: within the Dockerfile health check's 20 s


@click.command("doctor")
def doctor_command() -> None:
    """Check the configuration, the database and the Bot API; say what to fix."""
    failures = 0

    def report(ok: bool, line: str) -> None:
        nonlocal failures
        failures += not ok
        click.echo(f"{'ok ' if ok else 'FIX'}  {line}")

    env, config, bad = load_env(), None, set[str]()
    while config is None:  # every bad setting is told, and the checks go on without it
        try:
            config = Settings.from_env(env, need_token=False)
        except ConfigError as error:
            report(False, str(error))
            named = [key for key in env if key.startswith(("NEWSBOT_", "TELEGRAM_"))
                     and str(error).startswith(key)]  # fmt: skip
            if not named:
                raise SystemExit(1) from None
            bad.add(named[0])
            env = {key: value for key, value in env.items() if key != named[0]}
    if "TELEGRAM_BOT_TOKEN" not in bad:  # (a malformed one was told above)
        report(
            bool(config.token),
            "TELEGRAM_BOT_TOKEN is set and looks like a bot token"
            if config.token
            else "TELEGRAM_BOT_TOKEN is not set: newsbot run needs it",
        )
    path = config.db_path
    if not path.exists():  # a fresh install: nothing wrong, the first run makes it
        report(True, f"no database at {path} yet: `newsbot run` (or `newsbot add`) creates it")
    else:
        health = health_of(path)
        if health.problems == [EMPTY]:  # as fresh as no file: the first run fills it
            report(True, f"database {path} is empty: `newsbot run` (or `newsbot add`) fills it")
        else:
            _report_database(report, path, health)
    if config.token and bad & {"TELEGRAM_BASE_URL", "TELEGRAM_BASE_FILE_URL"}:
        report(False, "the Bot API was not asked: fix TELEGRAM_BASE_URL first")
    elif config.token:
        report(*_bot_api(config))
    raise SystemExit(1 if failures else 0)


def _report_database(report: Callable[[bool, str], None], path: Path, health: Health) -> None:
    """doctor's lines on a database file: integrity and schema, then its journal mode."""
    behind = (
        f"an older newsbot's schema ({health.behind} step(s) behind): a command that "
        f"changes data upgrades it ({UPGRADING_COMMANDS})"
    )
    report(
        not health.problems and not health.behind,
        f"database {path}: "
        + ("; ".join(health.problems) or (behind if health.behind else "")
           or "integrity ok, schema current"),
    )  # fmt: skip
    if not health.problems:  # a file that isn't a database has no journal mode to tell
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        report(mode == "wal", f"journal mode {mode} (wal: the CLI can write while the bot runs)")


def _bot_api(config: Settings) -> tuple[bool, str]:
    """Whether the Bot API answers getMe with this token, asked through PTB's own Bot as `run`
    asks it. PTB raises InvalidToken for 401 and 404 alike, but Telegram answers 401
    Unauthorized for a token it doesn't know and 404 for a path that isn't the Bot API's, so
    the two are told apart by the answer's words."""
    # The report lines say what failed; PTB's own log lines (one quotes the server's answer,
    # which may repeat the token) would only repeat it, so they stay quiet, and masked.
    setup_logging("CRITICAL", token=config.token)
    try:
        user = asyncio.run(get_me(config))
    except TimeoutError:
        return False, (
            f"{config.bot_api_name} did not answer within {DOCTOR_DEADLINE} seconds; "
            "check the network and TELEGRAM_BASE_URL"
        )
    except InvalidToken as error:
        if "Unauthorized" in str(error):
            return False, "the Bot API refused the token: check TELEGRAM_BOT_TOKEN"
        return False, (
            f"{config.bot_api_name} answered 404, not as the Bot API does: "
            "check TELEGRAM_BASE_URL (it ends in /bot)"
        )
    except (TelegramError, TypeError, KeyError, ValueError, AttributeError) as error:
        return False, _what_failed(config, error)
    return True, f"the Bot API knows this bot: @{user.username}"


def _what_failed(config: Settings, error: Exception) -> str:
    """What went wrong with a getMe that failed, for the FIX line."""
    said = redact(" ".join(str(error).split()))[:300]
    status = re.search(r"\((\d{3})\)", said)
    if isinstance(error, TimedOut) and isinstance(error.__cause__, httpx.ReadTimeout):
        return (
            f"{config.bot_api_name} took the connection but sent no answer within "
            f"{READ_TIMEOUT} seconds; check TELEGRAM_BASE_URL and the server behind it"
        )
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest) and not status:
        return f"{config.bot_api_name} can't be reached ({said}); check the network"
    return (
        f"{config.bot_api_name} did not answer as the Bot API does ({said}): "
        "check TELEGRAM_BASE_URL (it ends in /bot)"
    )


async def get_me(config: Settings) -> User:
    """getMe through PTB's Bot, all of it within DOCTOR_DEADLINE seconds: a read timeout is
    per read, so a server that trickles a byte at a time would hold a health check forever."""
    request = HTTPXRequest(
        connect_timeout=10, read_timeout=READ_TIMEOUT, httpx_kwargs={"trust_env": False}
    )
    if config.base_url:  # else PTB's own default, Telegram's server
        bot = Bot(config.token, base_url=config.base_url, request=request)
    else:
        bot = Bot(config.token, request=request)
    try:
        return await asyncio.wait_for(bot.get_me(), DOCTOR_DEADLINE)
    finally:
        await request.shutdown()
