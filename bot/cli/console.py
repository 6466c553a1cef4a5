"""`newsbot console`: chat with the real bot offline, in the terminal."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sqlite3
import tempfile
from pathlib import Path

import click

from bot.cli.base import open_store, settings
from bot.console import USER_ID, run_console
from bot.demo import seed
from bot.i18n import LANGUAGES
from bot.logs import setup_logging
from summaries.dbfile import copy_database
from summaries.store import check_database

# As Telegram's apps send them: "pt-br", not "pt_BR".
APP_LANGUAGES = [code.replace("_", "-").lower() for code in LANGUAGES]
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")


def app_language(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Any code a Telegram app may send (de-at, pt, fr): the bot picks its catalog, or English."""
    code = value.strip().lower().replace("_", "-")
    if not LANGUAGE_CODE.fullmatch(code):
        raise click.BadParameter(
            f"{value!r} is not a language code; try one of {', '.join(APP_LANGUAGES)}"
        )
    return code


@click.command("console")
@click.option(
    "--demo", is_flag=True, help="Use a throwaway database with a few demo articles (ids from 1)."
)
@click.option(
    "--language",
    default="en",
    show_default=True,
    callback=app_language,
    help=(
        "The language code your Telegram app sends: the bot answers in it "
        f"({', '.join(APP_LANGUAGES)}; others, such as de-at or fr, get the nearest or English)."
    ),
)
def console_command(demo: bool, language: str) -> None:
    """Chat with the real bot offline: no token, Telegram simulated in the process (only the
    pages and feeds you ask for, with /post URL or /source, are fetched).

    Type what you would type in Telegram (/latest, /read 3, /search words, plain words), or
    press a button by typing its number or label. Reads stdin when it is not a terminal, so
    it can be scripted; ends at the end of input (or Ctrl-D, /quit). Without --demo it runs
    on a copy of the configured database, which it never changes (the stand-in's photo ids
    and reads are not real).
    """
    config = settings()
    setup_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="newsbot-console-") as scratch:
        copy = Path(scratch) / "console.db"
        if not demo and config.db_path.exists():
            snapshot(config.db_path, copy)
        elif not demo:  # a mistyped NEWSBOT_DB would look like a bot with no news
            click.echo(
                f"(no database at {config.db_path}: the console starts with no articles; "
                "`newsbot add` makes one, `--demo` brings demo articles)",
                err=True,
            )
        config = dataclasses.replace(config, db_path=copy)
        if demo:  # in the demo you are the admin: /post, /edit, /delete and /stats work too
            config = dataclasses.replace(config, admin_ids=frozenset({USER_ID}))
        with open_store(copy) as store:  # creates or upgrades the copy, never the original
            if demo:
                seed(store)
        try:
            asyncio.run(run_console(config, language=language))
        except KeyboardInterrupt:
            click.echo()


def snapshot(source: Path, target: Path) -> None:
    """Copy a live database consistently (SQLite's online backup), even while the bot writes;
    another program's database is refused before anything is copied."""
    check_database(source)
    try:
        copy_database(source, target)
    except sqlite3.Error as error:
        raise click.ClickException(f"cannot read the database {source}: {error}") from None
