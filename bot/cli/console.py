"""`newsbot console`: chat with the real bot offline, in the terminal."""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
from pathlib import Path

import click

from bot.cli.base import open_store, settings
from bot.console import run_console
from bot.demo import seed
from bot.logs import setup_logging


@click.command("console")
@click.option(
    "--demo", is_flag=True, help="Use a throwaway database with a few demo articles (ids from 1)."
)
def console_command(demo: bool) -> None:
    """Chat with the real bot offline: no token, no network.

    Type what you would type in Telegram (/latest, /read 3, /search words, plain words), or
    press a button by typing its number or label. Reads stdin when it is not a terminal, so
    it can be scripted; ends at the end of input (or Ctrl-D, /quit).
    """
    config = settings()
    setup_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="newsbot-demo-") as scratch:
        if demo:
            config = dataclasses.replace(config, db_path=Path(scratch) / "demo.db")
            with open_store(config.db_path) as store:
                seed(store)
        try:
            asyncio.run(run_console(config))
        except KeyboardInterrupt:
            click.echo()
