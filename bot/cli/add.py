"""`newsbot add | import`: new articles from the shell, one or a JSON-lines file of them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bot.cli.base import open_store, read_text, settings
from bot.cli.lines import read_lines
from summaries.article_summary import add_article
from summaries.articles import parse_published, validate
from summaries.errors import DeletedArticleError, DuplicateArticleError, NewsbotError
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore

IMPORT_FIELDS = {
    "title",
    "body",
    "photo",
    "photo_caption",
    "credit",
    "url",
    "language",
    "published_at",
}


def read_photo(source: str, base: Path = Path()) -> dict[str, Any]:
    """Draft fields for a photo given as a link or as an image file."""
    if source.startswith(("http://", "https://")):
        return {"photo_url": source}
    if re.match(r"^[a-z][a-z0-9+.-]*://", source, re.IGNORECASE):
        raise click.ClickException(f"the photo must be a file or an http(s) link, not {source}")
    path = base / source
    try:
        return {"photo": path.read_bytes()}
    except OSError as error:
        raise click.ClickException(f"cannot read the photo {path}: {error.strerror}") from None


@click.command("add")
@click.option("--title", "-t", required=True, help="The headline.")
@click.option(
    "--body-file",
    "-b",
    default="-",
    show_default=True,
    metavar="FILE|-",
    help="The article's text: a UTF-8 file, or - for stdin.",
)
@click.option("--photo", metavar="IMAGE", help="A JPEG/PNG/GIF/WebP file, or an http(s) link.")
@click.option("--photo-caption", default="", help="The photo's caption.")
@click.option("--credit", default="", help="Who took the photo.")
@click.option("--url", help="The source link (unique: one article per url).")
@click.option("--language", default="", help="The text's language. Default: told from the text.")
@click.option(
    "--published",
    metavar="ISO-8601",
    help="Publication time; without an offset it is in NEWSBOT_TIMEZONE. Default: now.",
)
def add_command(
    title: str,
    body_file: str,
    photo: str | None,
    photo_caption: str,
    credit: str,
    url: str | None,
    language: str,
    published: str | None,
) -> None:
    """Store a new article and print its id (the last line of output)."""
    config, now = settings(), utc_now()
    draft = validate(  # every check before the database is even opened
        Draft(
            title=title,
            body=read_text(body_file),
            language=language,
            url=url,
            photo_caption=photo_caption,
            photo_credit=credit,
            published_at=parse_published(published, config.timezone) if published else None,
            created_by="cli",
            **(read_photo(photo) if photo else {}),
        ),
        now=now,
    )
    with open_store(config.db_path) as store:
        click.echo(add_article(store, draft, now=now).id)


def draft_from_line(line: str, base: Path, config_tz: Any, now: datetime) -> Draft:
    """One import line as a validated draft; ValueError or NewsbotError says what is wrong."""
    item = json.loads(line)
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object")
    unknown = set(item) - IMPORT_FIELDS
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
    for key, value in item.items():
        if value is not None and not isinstance(value, str):
            raise ValueError(f'"{key}" must be a string')
    published = item.get("published_at")
    moment = parse_published(published, config_tz) if published else None
    photo = read_photo(item["photo"], base) if item.get("photo") else {}
    draft = validate(
        Draft(
            title=item.get("title") or "",
            body=item.get("body") or "",
            language=item.get("language") or "",  # none: told from the text
            url=item.get("url") or None,
            photo_caption=item.get("photo_caption") or "",
            photo_credit=item.get("credit") or "",
            published_at=moment,
            created_by="import",
            **photo,
        ),
        now=now,
    )
    # A url makes a line idempotent (one article per url); without one, its content does.
    return draft if draft.url else dataclasses.replace(draft, draft_key=import_key(item))


def import_key(item: dict[str, Any]) -> str:
    """What makes an import line without a url the same article when imported again: its
    title, body and publication time as given (the draft_key column keeps them unique)."""
    fields = [item.get(name) or "" for name in ("title", "body", "published_at")]
    content = json.dumps(fields, ensure_ascii=True)  # \u escapes, so lone surrogates encode
    return "import:" + hashlib.sha256(content.encode()).hexdigest()


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def import_command(file: Path) -> None:
    """Store the articles of a JSON-lines FILE; articles already stored are skipped, so it
    can be re-run: by url, or without one by title, body and published_at.

    Fields: title, body, photo (a path relative to FILE, or a link), photo_caption, credit,
    url, language, published_at. A bad line (not JSON, not UTF-8, a bad field) is reported
    with its number and nothing of it is stored; the others are. Blank lines are skipped.
    """
    config, now = settings(), utc_now()
    lines = read_lines(file)
    added = skipped = bad = 0
    with open_store(config.db_path) as store:
        show_bar = sys.stderr.isatty() and len(lines) >= 50
        with click.progressbar(
            lines, label="Importing", file=sys.stderr, hidden=not show_bar
        ) as progress:
            for line in progress:
                outcome = line.error or _import_line(
                    store, line.text, file.parent, config.timezone, now
                )
                if outcome == "added":
                    added += 1
                elif outcome == "skipped":
                    skipped += 1
                else:
                    bad += 1
                    click.echo(f"{file}:{line.number}: {outcome}", err=True)
    click.echo(f"imported {added}, already stored {skipped}, bad lines {bad}")
    if bad:  # the summary stays on stdout; stderr ends in one Error: line, as summarize's
        raise click.ClickException(f"{bad} of {len(lines)} lines could not be imported")


def _import_line(store: ArticleStore, line: str, base: Path, tz: Any, now: datetime) -> str:
    """'added', 'skipped', or what is wrong with the line."""
    try:
        draft = draft_from_line(line, base, tz, now)
        if draft.url and (existing := store.id_for_url(draft.url)) is not None:
            if store.is_deleted(existing):  # not "already stored": it is gone until undeleted
                raise DeletedArticleError(existing)
            return "skipped"
        if draft.draft_key and (existing := store.id_for_draft(draft.draft_key)) is not None:
            if store.is_deleted(existing):
                raise DeletedArticleError(existing, "content")
            return "skipped"
        add_article(store, draft, now=now)
    except DuplicateArticleError as error:  # stored meanwhile; if deleted, say how to undo
        return str(error) if isinstance(error, DeletedArticleError) else "skipped"
    except json.JSONDecodeError as error:
        return f"not valid JSON ({error.msg} at column {error.colno})"
    except (ValueError, NewsbotError, click.ClickException) as error:
        return error.format_message() if isinstance(error, click.ClickException) else str(error)
    return "added"
