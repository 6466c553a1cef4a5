"""`newsbot backup | restore`: a copy of the database, safely while the bot runs, and back."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from tempfile import TemporaryDirectory

import click

from bot.cli.base import existing_file, no_database, settings
from bot.cli.health import health_of
from bot.digests import LEASE
from summaries.dbfile import copy_database, read_only_uri
from summaries.leases import ended_here
from summaries.models import to_db_time, utc_now
from summaries.store import ArticleStore


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
    if problems := health_of(source).problems:
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
    if target.exists() and (held := health_of(target)).foreign:  # a damaged one is fine:
        raise click.ClickException(  # that is what backups are for; another program's is not
            f"{target} is {held.problems[0]}; newsbot won't replace it"
        )
    with TemporaryDirectory(prefix="newsbot-restore-") as work:
        staged = Path(work) / "backup.db"  # a private copy: reading it changes nothing of BACKUP's
        try:
            copy_database(backup, staged, still=True)
        except OSError as error:
            raise click.ClickException(f"cannot read {backup}: {error.strerror}") from None
        if problems := health_of(staged).problems:
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
