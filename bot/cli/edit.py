"""`newsbot edit`: change an article from the shell, with the checks of /edit in the chat."""

from __future__ import annotations

from typing import Any

import click

from bot.cli.add import read_photo
from bot.cli.base import ARTICLE_ID, open_store, read_text, settings
from summaries.article_summary import update_article
from summaries.articles import parse_published
from summaries.corrections import Corrections, check_note
from summaries.errors import CorrectionNoteError
from summaries.models import utc_now


@click.command("edit")
@click.argument("article_id", type=ARTICLE_ID, metavar="ID")
@click.option("--title", "-t", help="A new headline.")
@click.option(
    "--body-file", "-b", metavar="FILE|-", help="A new text: a UTF-8 file, or - for stdin."
)
@click.option("--photo", metavar="IMAGE", help="A new photo: a JPEG/PNG/GIF/WebP file or a link.")
@click.option("--photo-caption", help="A new photo caption.")
@click.option("--credit", help="A new photo credit.")
@click.option("--url", help="A new source link.")
@click.option("--language", help="The text's language.")
@click.option("--published", metavar="ISO-8601", help="A new publication time.")
@click.option(
    "--correction",
    metavar="NOTE",
    help="Tell the readers who were sent it what changed (one line); alone, it tells them "
    "of an earlier change. Channel posts are edited whenever the article changes.",
)
def edit_command(
    article_id: int,
    title: str | None,
    body_file: str | None,
    photo: str | None,
    photo_caption: str | None,
    credit: str | None,
    url: str | None,
    language: str | None,
    published: str | None,
    correction: str | None,
) -> None:
    """Change some fields of article ID (its summary is recomputed if its text changes), or
    only tell its readers of a correction (--correction alone)."""
    config = settings()
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "title": title,
            "photo_caption": photo_caption,
            "photo_credit": credit,
            "url": url,
            "language": language,
        }.items()
        if value is not None
    }
    if body_file is not None:
        changes["body"] = read_text(body_file)
    if photo is not None:
        changes |= read_photo(photo)
    if published is not None:
        changes["published_at"] = parse_published(published, config.timezone)
    if not changes and correction is None:
        options = [
            param.opts[0]
            for param in click.get_current_context().command.params
            if isinstance(param, click.Option) and not param.hidden
        ]
        raise click.UsageError(f"nothing to change: give at least one of {', '.join(options)}")
    if correction is not None:  # before any change: a refused note leaves all as it was
        try:
            correction = check_note(correction)
        except CorrectionNoteError as error:
            raise click.BadParameter(str(error), param_hint="'--correction'") from None
    readers = 0
    with open_store(config.db_path, create=False) as store:
        now = utc_now()
        # a correction alone: the article was corrected before (by a file, say); only its
        # readers are told now, and its channel posts, unchanged, are not edited
        before = store.get(article_id)
        article = update_article(store, article_id, now=now, **changes) if changes else before
        changed = article.version != before.version  # values equal to the stored ones: none
        if correction is not None:
            corrections = Corrections(store.db)
            corrections.mark(article.id, correction, "cli", now=now)
            readers = corrections.readers_of(article.id)
    click.echo(f"updated article {article.id}" if changed else f"article {article.id} unchanged")
    if correction is not None:
        click.echo(told_of_correction(readers))


def told_of_correction(readers: int) -> str:
    """Who a correction reaches: the readers a digest or breaking news carried it to."""
    if readers == 0:
        return "no reader got this article, so no one is told"
    if readers == 1:
        return "its 1 reader will be told of the correction in the next digest round"
    return f"its {readers} readers will be told of the correction in the next digest round"
