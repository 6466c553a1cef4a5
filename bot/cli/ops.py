"""`newsbot backup | restore | doctor`: looking after a bot that runs for months."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from http import HTTPStatus
from pathlib import Path

import click
import httpx

from bot.cli.base import existing_file, no_database, settings
from bot.config import ConfigError, Settings, load_env
from bot.digests import LEASE, _dead_here
from bot.logs import MASK, redact
from summaries.migrations import KNOWN
from summaries.models import to_db_time, utc_now


def _reading(path: Path, *, still: bool = False) -> str:
    """A read-only URI; `still` for a file nobody writes (a backup): then SQLite leaves no
    -wal and -shm files beside it."""
    return f"file:{path}?mode=ro" + ("&immutable=1" if still else "")


def _copy(source: Path, target: Path, *, still: bool = False) -> None:
    """SQLite's online backup: a consistent copy even while the bot writes."""
    with (
        sqlite3.connect(_reading(source, still=still), uri=True) as src,
        sqlite3.connect(target) as dst,
    ):
        src.backup(dst)


def _problems_of(path: Path, *, still: bool = False) -> list[str]:
    """What is wrong with a database file (empty list: nothing)."""
    try:
        with sqlite3.connect(_reading(path, still=still), uri=True) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                return ["the integrity check failed"]
            names = {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
    except sqlite3.Error as error:
        return [f"not a newsbot database ({error})"]
    problems = []
    if names - KNOWN:
        problems.append(f"written by a newer newsbot ({', '.join(sorted(names - KNOWN))})")
    if KNOWN - names:
        problems.append(f"schema behind ({len(KNOWN - names)} step(s) to apply; any command does)")
    return problems


def _running_bot(path: Path) -> str | None:
    """The bot process using this database, if one is alive: the digest lease's holder.

    Every running bot that sends digests renews the lease well before it expires; a holder
    that ended on this machine (killed, so it could not give the lease up) does not count.
    """
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute(
                "SELECT owner, expires_at FROM leases WHERE name = ?", [LEASE]
            ).fetchone()
    except sqlite3.Error:  # no lease table (an old schema): no bot has run on it since
        return None
    if row is None or row[1] <= to_db_time(utc_now()) or _dead_here(row[0]):
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
    try:
        _copy(source, target)
    except (sqlite3.Error, OSError) as error:
        target.unlink(missing_ok=True)
        raise click.ClickException(f"backup failed: {error}") from None
    click.echo(f"backed up {source} to {target} ({target.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("backup", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
def restore_command(backup: Path, yes: bool) -> None:
    """Replace the database with BACKUP (checked first). Refused while the bot runs."""
    target = settings().db_path
    existing_file(backup)
    if target.exists() and backup.samefile(target):
        raise click.ClickException(f"{backup} is the database itself; give a backup file")
    if problems := _problems_of(backup, still=True):
        raise click.ClickException(f"{backup} can't be restored: {'; '.join(problems)}")
    if target.exists() and (holder := _running_bot(target)):
        raise click.ClickException(
            f"a running bot ({holder}) uses {target}; stop the bot first, then restore"
        )
    if target.exists() and not yes:
        click.confirm(f"Replace {target} with {backup}?", abort=True, err=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup, target, still=True)
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
        problems = _problems_of(path)
        report(
            not problems,
            f"database {path}: " + ("; ".join(problems) or "integrity ok, schema current"),
        )
        if not problems:  # a file that isn't a database has no journal mode to tell
            with closing(sqlite3.connect(_reading(path), uri=True)) as conn:
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            report(
                mode == "wal", f"journal mode {mode} (wal: the CLI can write while the bot runs)"
            )
    if config.token and bad & {"TELEGRAM_BASE_URL", "TELEGRAM_BASE_FILE_URL"}:
        report(False, "the Bot API was not asked: fix TELEGRAM_BASE_URL first")
    elif config.token:
        report(*_bot_api(config))
    raise SystemExit(1 if failures else 0)


def _bot_api(config: Settings) -> tuple[bool, str]:
    """Whether the Bot API answers getMe with this token: Telegram answers 401 for a token it
    doesn't know and 404 for a path that isn't the Bot API's, so the two are told apart."""
    base = config.base_url or "https://api.telegram.org/bot"
    try:
        response = httpx.post(f"{base}{config.token}/getMe", timeout=10, trust_env=False)
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        reason = redact(str(error).replace(config.token, MASK))
        return False, f"{base_name(config)} can't be reached ({reason}); check the network"
    try:
        answer = response.json()
    except ValueError:  # an HTML error page, say: some other server
        answer = None
    if not isinstance(answer, dict):
        answer = {}
    if response.status_code == HTTPStatus.UNAUTHORIZED:
        return False, "the Bot API refused the token: check TELEGRAM_BOT_TOKEN"
    if not answer.get("ok") or not isinstance(answer.get("result"), dict):
        return False, (
            f"{base_name(config)} answered {response.status_code}, not as the Bot API does: "
            "check TELEGRAM_BASE_URL (it ends in /bot)"
        )
    return True, f"the Bot API knows this bot: @{answer['result'].get('username')}"


def base_name(config: Settings) -> str:
    """Where the Bot API is said to be, for messages: never the URL with the token."""
    return "the server at TELEGRAM_BASE_URL" if config.base_url else "api.telegram.org"
