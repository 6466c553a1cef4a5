"""What every subcommand shares: settings, the store, and one-line errors."""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.config import ConfigError, Settings, load_env
from summaries.articles import check_text
from summaries.errors import InvalidArticleError, NewsbotError
from summaries.store import MAX_ID, ArticleStore

if TYPE_CHECKING:
    IntParamType = click.ParamType[int]
else:  # generic only in newer click; pyproject allows click 8.1
    IntParamType = click.ParamType
# `newsbot` alone shows the help as a usage error (click 8.2+); that one keeps its form.
_no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)
NO_ARGS_IS_HELP: tuple[type[click.UsageError], ...] = (_no_args,) if _no_args else ()


BUSY = (
    "the database is busy: another newsbot is writing to it (after an upgrade, the first one "
    "to start makes the search index again, a minute or more for a large database); nothing "
    "was changed, try again in a minute"
)


class OneLineUsageError(click.ClickException):
    """A usage error told like every other error, `Error: ...` in one line; exit code 2."""

    exit_code = 2


def one_line(error: click.UsageError) -> click.ClickException:
    """Click's usage error without the usage block: its message and where help is."""
    if isinstance(error, NO_ARGS_IS_HELP):
        return error  # `newsbot` alone: the help itself, as asked
    message = " ".join(error.format_message().split()).rstrip(".")
    if error.ctx is not None and "--help" not in message:
        message += f" (see '{error.ctx.command_path} --help')"
    return OneLineUsageError(message)


class NewsbotGroup(click.Group):
    """Every error is one line on stderr, never a usage block or a traceback: exit code 2
    for a usage error (a wrong option, a malformed or missing argument), else 1."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse the group's own options (`newsbot --bogus`), usage errors in one line."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise one_line(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand, translating usage, domain and configuration errors."""
        try:
            return super().invoke(ctx)
        except click.UsageError as error:  # the subcommand's parsing, or raised by it
            raise one_line(error) from None
        except (NewsbotError, ConfigError) as error:
            raise click.ClickException(str(error)) from None
        except sqlite3.OperationalError as error:
            if "locked" in str(error):  # another process held the write lock past busy_timeout
                raise click.ClickException(BUSY) from None
            raise click.ClickException(f"database error: {error}") from None
        except sqlite3.Error as error:
            raise click.ClickException(f"database error: {error}") from None
        except KeyboardInterrupt:  # Ctrl-C: click alone would say "Aborted!"
            raise click.ClickException("stopped (Ctrl-C)") from None
        except click.Abort:  # a question met the end of its input (or Ctrl-C at the prompt)
            raise click.ClickException("stopped: no answer") from None


class WholeNumber(IntParamType):
    """An integer argument with a plain metavar (N, ID) in --help and plain errors."""

    name = "number"

    def __init__(
        self,
        minimum: int = 0,
        maximum: int | None = MAX_ID,  # SQLite can't bind more
        *,
        metavar: str = "N",
        what: str | None = None,
    ) -> None:
        self.minimum, self.maximum, self.metavar = minimum, maximum, metavar
        self.what = what  # e.g. "an article id": then every bad value "is not an article id"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        """N or ID, not INTEGER RANGE."""
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """The number; a one-line reason if `value` is not one in range."""
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?[0-9]+\s*", value):
            number = int(value)
        else:
            self.fail(f"{value!r} is not {self.what or 'a whole number'}", param, ctx)
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            if self.what:
                self.fail(f"{value!r} is not {self.what}", param, ctx)
            if number < self.minimum:
                self.fail(f"{number} is less than {self.minimum}", param, ctx)
            self.fail(f"{number} is more than {self.maximum}", param, ctx)
        return number


ARTICLE_ID = WholeNumber(1, metavar="ID", what="an article id")


@click.group(cls=NewsbotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsbot")
def cli() -> None:
    """newsbot: a Telegram bot that delivers news summaries.

    Settings come from the environment and from ./.env (see .env.example).
    """


def settings(*, need_token: bool = False) -> Settings:
    """The settings, from the environment and ./.env."""
    return Settings.from_env(load_env(), need_token=need_token)


def no_database(path: Path) -> click.ClickException:
    """The error of a command that needs a database where there is none."""
    return click.ClickException(f"no database at {path} (set NEWSBOT_DB, or add articles first)")


@contextmanager
def open_store(
    path: Path | None = None, *, create: bool = True, read_only: bool = False
) -> Iterator[ArticleStore]:
    """The configured article store, closed at the end.

    With create=False (commands that change articles that must exist) a missing database is
    an error, not a new empty file; read_only (commands that only read) also never upgrades
    an older database: only a command that was asked to change something writes.
    """
    path = path or settings().db_path
    if (not create or read_only) and str(path) != ":memory:":
        if not path.exists():
            raise no_database(path)
        if path.stat().st_size == 0:  # nothing to change or read: it stays an empty file
            raise click.ClickException(f"no newsbot database at {path} (the file is empty)")
    store = ArticleStore.open(path, upgrade=not read_only)
    try:
        yield store
    finally:
        store.close()


def existing_file(path: Path) -> Path:
    """`path`, if it is a file; else the one-line error every command gives."""
    if path.is_dir():
        raise click.ClickException(f"{path} is a directory, not a file")
    if not path.exists():
        raise click.ClickException(f"no such file: {path}")
    return path


def read_bytes(source: str | Path) -> bytes:
    """The bytes of a file, or of stdin for '-'; one clear error if they cannot be read."""
    name = "stdin" if source == "-" else str(source)
    try:
        if source == "-":
            if sys.stdin.isatty():
                click.echo("Type the text, then Ctrl-D on a line of its own:", err=True)
            return sys.stdin.buffer.read()
        return existing_file(Path(source)).read_bytes()
    except FileNotFoundError:  # gone since the check
        raise click.ClickException(f"no such file: {source}") from None
    except OSError as error:
        raise click.ClickException(f"cannot read {name}: {error.strerror}") from None


def read_text(source: str | Path) -> str:
    """The text of a file, or of stdin for '-'; one clear error if it cannot be read.

    Both are read as bytes and decoded strictly: the terminal's encoding must not turn Latin-1
    into U+FFFD, nor let a binary file's NUL bytes through. A UTF-8 byte-order mark (Notepad,
    Excel) is dropped.
    """
    name = "stdin" if source == "-" else str(source)
    return decode_text(read_bytes(source), name)


def decode_text(data: bytes, name: str) -> str:
    """`data` as checked UTF-8 text, without a byte-order mark; else one error naming it."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{name} is not UTF-8 text (byte {error.start + 1}); save it as UTF-8"
        ) from None
    try:
        return check_text(text, name)
    except InvalidArticleError as error:
        raise click.ClickException(str(error)) from None
