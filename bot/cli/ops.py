"""`newsbot backup | restore | doctor`: looking after a bot that runs for months."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

import click
from telegram import Bot, User
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.cli.base import existing_file, no_database, settings
from bot.config import ConfigError, Settings, load_env
from bot.digests import LEASE
from bot.logs import redact, setup_logging
from summaries.dbfile import copy_database, inspect, looks_foreign, read_only_uri
from summaries.leases import ended_here
from summaries.models import to_db_time, utc_now
from summaries.store import UPGRADING_COMMANDS, ArticleStore

EMPTY = "empty: no newsbot data"
DOCTOR_DEADLINE = 15  # seconds for the whole getMe call: within the Dockerfile health check's 20 s


@dataclass(frozen=True)
class Health:
    """What a database file is, as far as newsbot is concerned."""

    problems: list[str]  # what makes it unusable; empty: nothing
    behind: int = 0  # schema steps an older newsbot's database has still to take
    foreign: bool = False  # another program's database, or no database at all


def _health_of(path: Path, *, still: bool = False) -> Health:
    """Read-only: integrity, and whether the schema is newsbot's and how current. Another
    program's database is recognized at a first, immutable look, so nothing appears beside
    it; `still` reads the whole check that way (a backup nobody writes)."""
    found = looks_foreign(path)
    if found is None:
        try:
            with path.open("rb") as file:  # a text file, say, or the start of one
                head = file.read(16)
            if head and head != b"SQLite format 3\x00":
                return Health(["not an SQLite database file"], foreign=True)
            with closing(sqlite3.connect(read_only_uri(path, immutable=still), uri=True)) as conn:
                if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                    return Health(["the integrity check failed"])
                found = inspect(conn, path)
        except (sqlite3.Error, OSError) as error:
            return Health([f"not a newsbot database ({error})"])
    if found.foreign:
        return Health([f"not a newsbot database ({found.describe()})"], foreign=True)
    if found.newer:
        problem = f"written by a newer newsbot ({', '.join(sorted(found.newer))})"
    else:
        return Health([EMPTY] if found.empty else [], behind=found.behind)
    return Health([problem])


def _running_bot(path: Path) -> str | None:
    """The bot process using this database, if one is alive: the digest lease's holder.

    Every running bot that sends digests renews the lease well before it expires; a holder
    that ended on this machine (killed, so it could not give the lease up) does not count.
    """
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
            row = conn.execute(
                "SELECT owner, expires_at FROM leases WHERE name = ?", [LEASE]
            ).fetchone()
    except sqlite3.Error:  # no lease table (an old schema): no bot has run on it since
        return None
    if row is None or row[1] <= to_db_time(utc_now()) or ended_here(row[0]):
        return None
    return str(row[0])


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
def backup_command(target: Path) -> None:
    """Copy the database to TARGET, safely while the bot runs."""
    source = settings().db_path
    if not source.exists():
        raise no_database(source)
    if target.is_dir():
        raise click.ClickException(f"{target} is a directory; give the backup a file name")
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file")
    if not target.absolute().parent.is_dir():
        raise click.ClickException(f"no folder {target.absolute().parent}; create it first")
    if problems := _health_of(source).problems:
        raise click.ClickException(f"{source} can't be backed up: {'; '.join(problems)}")
    try:
        copy_database(source, target)  # nothing at TARGET if it fails or is interrupted
    except (sqlite3.Error, OSError) as error:
        raise click.ClickException(f"backup into {target} failed: {error}") from None
    click.echo(f"backed up {source} to {target} ({target.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("backup", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
def restore_command(backup: Path, yes: bool) -> None:
    """Replace the database with BACKUP (checked first, and upgraded if an older newsbot
    made it; BACKUP itself is never changed). Refused while the bot runs."""
    target = settings().db_path
    existing_file(backup)
    if target.exists() and backup.samefile(target):
        raise click.ClickException(f"{backup} is the database itself; give a backup file")
    if target.exists() and (held := _health_of(target)).foreign:  # a damaged one is fine:
        raise click.ClickException(  # that is what backups are for; another program's is not
            f"{target} is {held.problems[0]}; newsbot won't replace it"
        )
    with TemporaryDirectory(prefix="newsbot-restore-") as work:
        staged = Path(work) / "backup.db"  # a private copy: reading it changes nothing of BACKUP's
        try:
            copy_database(backup, staged, still=True)
        except OSError as error:
            raise click.ClickException(f"cannot read {backup}: {error.strerror}") from None
        if problems := _health_of(staged).problems:
            raise click.ClickException(f"{backup} can't be restored: {'; '.join(problems)}")
        if target.exists() and (holder := _running_bot(target)):
            raise click.ClickException(
                f"a running bot ({holder}) uses {target}; stop the bot first, then restore"
            )
        if target.exists() and not yes:
            if not sys.stdin.isatty():
                raise click.ClickException(
                    f"restore replaces {target}: add --yes (there is no terminal to ask)"
                )
            if not click.confirm(f"Replace {target} with {backup}?", err=True):
                raise click.ClickException("not restored: nothing changed")
        try:
            ArticleStore.open(staged).close()  # an older newsbot's backup: upgraded, in the copy
            target.parent.mkdir(parents=True, exist_ok=True)
            copy_database(staged, target)
        except (sqlite3.Error, OSError) as error:
            raise click.ClickException(f"restore into {target} failed: {error}") from None
    click.echo(f"restored {backup} into {target}")


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
        health = _health_of(path)
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
        said = redact(" ".join(str(error).split()))[:300]
        status = re.search(r"\((\d{3})\)", said)
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest) and not status:
            return False, f"{config.bot_api_name} can't be reached ({said}); check the network"
        return False, (
            f"{config.bot_api_name} did not answer as the Bot API does ({said}): "
            "check TELEGRAM_BASE_URL (it ends in /bot)"
        )
    return True, f"the Bot API knows this bot: @{user.username}"


async def get_me(config: Settings) -> User:
    """getMe through PTB's Bot, all of it within DOCTOR_DEADLINE seconds: a read timeout is
    per read, so a server that trickles a byte at a time would hold a health check forever."""
    request = HTTPXRequest(connect_timeout=10, read_timeout=10, httpx_kwargs={"trust_env": False})
    if config.base_url:  # else PTB's own default, Telegram's server
        bot = Bot(config.token, base_url=config.base_url, request=request)
    else:
        bot = Bot(config.token, request=request)
    try:
        return await asyncio.wait_for(bot.get_me(), DOCTOR_DEADLINE)
    finally:
        await request.shutdown()
