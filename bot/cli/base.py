"""What every subcommand shares: settings, the store, and one-line errors."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from bot.config import ConfigError, Settings, load_env
from summaries.errors import NewsbotError
from summaries.store import ArticleStore


class NewsbotGroup(click.Group):
    """Turns our known errors into one line on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand, translating domain and configuration errors."""
        try:
            return super().invoke(ctx)
        except (NewsbotError, ConfigError) as error:
            raise click.ClickException(str(error)) from None
        except sqlite3.Error as error:
            raise click.ClickException(f"database error: {error}") from None


@click.group(cls=NewsbotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsbot")
def cli() -> None:
    """newsbot: a Telegram bot that delivers news summaries.

    Settings come from the environment and from ./.env (see .env.example).
    """


def settings(*, need_token: bool = False) -> Settings:
    """The settings, from the environment and ./.env."""
    return Settings.from_env(load_env(), need_token=need_token)


@contextmanager
def open_store(path: Path | None = None) -> Iterator[ArticleStore]:
    """The configured article store, closed at the end."""
    store = ArticleStore.open(path or settings().db_path)
    try:
        yield store
    finally:
        store.close()


def read_text(source: str) -> str:
    """The text of a file, or of stdin for '-'; one clear error if it cannot be read."""
    try:
        if source == "-":
            if sys.stdin.isatty():
                click.echo("Type the text, then Ctrl-D on a line of its own:", err=True)
            return sys.stdin.read()
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise click.ClickException(f"no such file: {source}") from None
    except UnicodeDecodeError:
        raise click.ClickException(f"{source} is not UTF-8 text") from None
    except OSError as error:
        raise click.ClickException(f"cannot read {source}: {error.strerror}") from None
