"""`newsbot backup | restore | doctor`: looking after a bot that runs for months."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from tempfile import TemporaryDirectory

import click
import httpx

from bot.cli.base import existing_file, no_database, settings
from bot.config import ConfigError, Settings, load_env
from bot.digests import LEASE, _dead_here
from bot.logs import MASK, redact
from summaries.migrations import KNOWN
from summaries.models import to_db_time, utc_now
from summaries.store import UPGRADING_COMMANDS, ArticleStore, copy_database, read_only_uri

EMPTY = "empty: no newsbot data"


@dataclass(frozen=True)
class Health:
    """What a database file is, as far as newsbot is concerned."""

    problems: list[str]  # what makes it unusable; empty: nothing
    behind: int = 0  # schema steps an older newsbot's database has still to take


def _health_of(path: Path, *, still: bool = False) -> Health:
    """Read-only: integrity, and whether the schema is newsbot's and how current."""
    try:
        with closing(sqlite3.connect(read_only_uri(path, immutable=still), uri=True)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                return Health(["the integrity check failed"])
            objects = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
            has_history = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'"
            ).fetchone()
            names = set()
            if has_history:
                names = {row[0] for row in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = 'newsbot'"
                )}  # fmt: skip
    except sqlite3.Error as error:
        return Health([f"not a newsbot database ({error})"])
    if not names:
        return Health([EMPTY if not objects else "not a newsbot database"])
    if names - KNOWN:
        return Health([f"written by a newer newsbot ({', '.join(sorted(names - KNOWN))})"])
    return Health([], behind=len(KNOWN - names))


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
    if not target.absolute().parent.is_dir():
        raise click.ClickException(f"no folder {target.absolute().parent}; create it first")
    if problems := _health_of(source).problems:
        raise click.ClickException(f"{source} can't be backed up: {'; '.join(problems)}")
    try:
        copy_database(source, target)
    except (sqlite3.Error, OSError) as error:
        target.unlink(missing_ok=True)
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
    if problems := _health_of(backup, still=True).problems:
        raise click.ClickException(f"{backup} can't be restored: {'; '.join(problems)}")
    if target.exists() and (held := _health_of(target).problems) and held != [EMPTY]:
        raise click.ClickException(  # another program's file is never overwritten
            f"{target} is not a newsbot database ({'; '.join(held)}); newsbot won't replace it"
        )
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
        target.parent.mkdir(parents=True, exist_ok=True)
        with TemporaryDirectory(dir=target.parent, prefix=".newsbot-restore-") as work:
            staged = Path(work) / "restored.db"
            copy_database(backup, staged, still=True)
            ArticleStore.open(staged).close()  # an older newsbot's backup: upgraded, in a copy
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
