"""`newsbot list | show | delete | undelete`: the stored articles from the shell."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click

from bot.cli.base import ARTICLE_ID, WholeNumber, open_store
from bot.render import lead_summary_heading, no_words
from summaries.article_summary import summary_of
from summaries.fts import fts_query
from summaries.languages import display_name, is_summarized
from summaries.models import Article, utc_now


def article_line(article: Article) -> str:
    """One line of `newsbot list`: id, publication time (UTC), headline."""
    when = article.published_at.strftime("%Y-%m-%d %H:%M")
    return f"{article.id}\t{when}\t{article.title}"


def json_time(when: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second: what scripts and other tools parse."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def article_json(article: Article) -> dict[str, Any]:
    """An article's fields for `--json` (the photo's bytes only as true/false)."""
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "url": article.url,
        "language": article.language,
        "published_at": json_time(article.published_at),
        "updated_at": json_time(article.updated_at),
        "photo": article.has_any_photo,
        "photo_caption": article.photo_caption,
        "photo_credit": article.photo_credit,
        "photo_url": article.photo_url or None,
        "version": article.version,
        # the feed source it came from; None when made by hand
        "source_id": article.source_id,
    }


def echo_json(value: dict[str, Any]) -> None:
    """One JSON object on one line, non-ASCII kept readable."""
    click.echo(json.dumps(value, ensure_ascii=False))


@click.command("list")
@click.option("--search", "-s", "query", help="Only articles with all these words.")
@click.option(
    "--limit", "-n", type=WholeNumber(1), default=20, show_default=True, help="Show this many."
)
@click.option("--offset", type=WholeNumber(0), default=0, help="Skip this many first.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object per article, a line each (JSON Lines).",
)
def list_command(query: str | None, limit: int, offset: int, as_json: bool) -> None:
    """List articles newest first: id, publication time (UTC), headline."""
    if query and fts_query(query) is None:  # only emoji or punctuation: not "no results"
        raise click.ClickException(no_words(query))
    with open_store(read_only=True) as store:
        articles = store.search(query, limit, offset) if query else store.latest(limit, offset)
    for article in articles:
        if as_json:
            echo_json(article_json(article))
        else:
            click.echo(article_line(article))


@click.command("show")
@click.argument("article_id", type=ARTICLE_ID, metavar="ID")
@click.option(
    "--json", "as_json", is_flag=True, help="As one JSON object, its summary a list of sentences."
)
def show_command(article_id: int, as_json: bool) -> None:
    """Show an article with its summary."""
    with open_store(read_only=True) as store:
        article = store.get(article_id)
        summary = summary_of(store, article_id)
    if as_json:
        echo_json(article_json(article) | {"summary": list(summary)})
        return
    click.echo(article.title)
    click.echo(
        f"id {article.id} · published {article.published_at:%Y-%m-%d %H:%M} UTC · "
        f"{article.language}"
    )
    if article.url:
        click.echo(article.url)
    if article.has_any_photo:
        credit = f" (photo: {article.photo_credit})" if article.photo_credit else ""
        click.echo(f"Photo: {article.photo_caption or 'no caption'}{credit}")
    if is_summarized(article.language):
        click.echo("\nSummary:")
    else:  # told from the text, but no stemmer or stop words here: the lead
        click.echo("\n" + lead_summary_heading(display_name(article.language)))
    for sentence in summary:
        click.echo(f"  {sentence}")
    click.echo(f"\n{article.body}")


@click.command("delete")
@click.argument("article_id", type=ARTICLE_ID, metavar="ID")
def delete_command(article_id: int) -> None:
    """Delete an article: it leaves listings, search, digests and the bot."""
    with open_store(create=False) as store:
        store.delete(article_id, now=utc_now())
    click.echo(f"deleted article {article_id}")


@click.command("undelete")
@click.argument("article_id", type=ARTICLE_ID, metavar="ID")
def undelete_command(article_id: int) -> None:
    """Bring a deleted article back to listings, search, digests and the bot.

    It is not sent to readers as news again.
    """
    with open_store(create=False) as store:
        store.undelete(article_id, now=utc_now())
    click.echo(f"undeleted article {article_id}")
