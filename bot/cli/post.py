"""`newsbot post URL`: what /post URL does in the chat, from the shell."""

from __future__ import annotations

import asyncio

import click

from bot import render
from bot.cli.base import open_store, settings
from bot.fetch import fetch_page
from summaries.article_summary import add_article
from summaries.models import utc_now


@click.command("post")
@click.argument("url")
def post_command(url: str) -> None:
    """Store the article of a web page (headline, text, lead image); print its id."""
    config, now = settings(), utc_now()
    page = asyncio.run(fetch_page(url, now=now, allow_loopback=config.fetch_loopback))
    if page.unsupported_language:
        click.echo(render.unsupported_language(page.unsupported_language), err=True)
    draft = page.draft
    with open_store(config.db_path) as store:
        click.echo(add_article(store, draft, now=now).id)
