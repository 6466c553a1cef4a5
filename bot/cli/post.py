"""`newsbot post URL`: what /post URL does in the chat, from the shell."""

from __future__ import annotations

import asyncio

import click

from bot.cli.base import open_store, settings
from bot.fetch import fetch_article


@click.command("post")
@click.argument("url")
def post_command(url: str) -> None:
    """Store the article of a web page (headline, text, lead image); print its id."""
    config = settings()
    draft = asyncio.run(fetch_article(url, allow_loopback=config.fetch_loopback))
    with open_store(config.db_path) as store:
        click.echo(store.add(draft).id)
