"""`newsbot source add | list | remove | pause | resume | poll`: news feeds from the shell.

`source poll` sends nothing to Telegram: the alerts a poll queues about failing sources are
sent by `newsbot run`.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from typing import Any

import click

from bot.cli.articles import echo_json, json_time
from bot.cli.base import NewsbotGroup, WholeNumber, open_store, settings
from bot.config import Settings
from bot.feed_check import find_feed
from bot.feed_poll import FeedPoller, PollReport, PollSettings
from bot.logs import setup_logging
from bot.render.feeds import KEPT
from summaries.articles import check_url
from summaries.errors import DuplicateSourceError, InvalidArticleError, SourceError
from summaries.feed_ingest import feed_language
from summaries.models import utc_now
from summaries.sources import MAX_EVERY, MAX_NAME, Source, Sources, check_every, source_language
from summaries.summarize import summarize

SOURCE_ID = WholeNumber(1, metavar="ID", what="a source id")
MAX_MINUTES = MAX_EVERY // 60


@click.group("source", cls=NewsbotGroup, no_args_is_help=True)
def source_group() -> None:
    """News feeds (RSS, Atom, JSON Feed) that `newsbot run` polls for articles."""


@source_group.command("add")
@click.argument("url")
@click.option("--name", help="What to call it. Default: the feed's title.")
@click.option(
    "--language",
    help="Its articles' language, a name (german) or a code (de). Default: the feed's own, "
    "else english.",
)
@click.option(
    "--every",
    type=WholeNumber(1, MAX_MINUTES, metavar="MINUTES"),
    help="Minutes between polls. Default: NEWSBOT_FEED_INTERVAL.",
)
def add_command(url: str, name: str | None, language: str | None, every: int | None) -> None:
    """Check a feed (or a web page that links to one) and read it from now on; print the new
    source's id (the last line of output). Nothing is stored if the check fails."""
    config, now = settings(), utc_now()
    language = None if language is None else source_language(language)  # before any fetch
    seconds = check_every(None if every is None else every * 60)
    already_read(url, config)
    found = asyncio.run(find_feed(url, now=now, allow_loopback=config.fetch_loopback))
    if found.page:
        click.echo(f"{found.page} is a web page; it links to the feed {found.url}, taken")
    items = len(found.feed.items)
    broken = (
        f" (recovered from malformed XML: {found.feed.malformed})" if found.feed.malformed else ""
    )
    click.echo(
        f"found the feed “{found.feed.title}” with {items} item{'' if items == 1 else 's'}{broken}"
    )
    title = " ".join(found.feed.title.split())[:MAX_NAME]
    with open_store(config.db_path) as store:
        source = Sources(store.db).add(
            found.url, name=name or title or found.url, language=language, every=seconds, now=now
        )
    told = "" if source.language else f" (the feed says {found.feed.language or 'nothing'})"
    language = feed_language(source, found.feed) or "the language told from each one's text"
    click.echo(
        f"added source {source.id} ({source.name}): articles in "
        f"{language}{told}, polled every {every_words(source, config)} "
        f"by `newsbot run`; `newsbot source poll {source.id}` polls it now"
    )
    click.echo(source.id)


def already_read(url: str, config: Settings) -> None:
    """DuplicateSourceError, before any fetch, if a source reads `url` itself (a page that
    names a feed read already is caught when the source is added)."""
    path = config.db_path
    if not path.is_file() or path.stat().st_size == 0:
        return  # no sources yet; and a new database is made only once the feed is checked
    try:
        wanted = check_url(url, "the feed link")
    except InvalidArticleError as error:
        raise SourceError(str(error)) from None
    with open_store(path) as store:
        found = next((s for s in Sources(store.db).all() if s.url == wanted), None)
    if found is not None:
        raise DuplicateSourceError(found.id, found.url)


@source_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source, a line each.")
def list_command(as_json: bool) -> None:
    """List sources, oldest first: id, name, URL, last poll (UTC), articles, state."""
    with open_store(read_only=True) as store:
        found = Sources(store.db).all()
    for source in found:
        if as_json:
            echo_json(source_json(source))
        else:
            last = source.last_poll_at.strftime("%Y-%m-%d %H:%M") if source.last_poll_at else "-"
            click.echo(
                f"{source.id}\t{source.name}\t{source.url}\t{last}\t{source.items}\t"
                f"{state_words(source)}"
            )


@source_group.command("remove")
@click.argument("source_id", type=SOURCE_ID, metavar="ID")
def remove_command(source_id: int) -> None:
    """Stop reading a source; the articles it brought stay."""
    with open_store(create=False) as store:
        sources = Sources(store.db)
        source = sources.get(source_id)
        sources.remove(source_id)
    click.echo(
        f"removed source {source.id} ({source.name}); its {source.items} article"
        f"{'' if source.items == 1 else 's'} stay (newsbot delete ID removes one)"
    )


@source_group.command("pause")
@click.argument("source_id", type=SOURCE_ID, metavar="ID")
def pause_command(source_id: int) -> None:
    """Poll a source no more until `newsbot source resume ID`."""
    with open_store(create=False) as store:
        sources = Sources(store.db)
        already = sources.get(source_id).paused
        source = sources.pause(source_id)
    name = f"source {source.id} ({source.name})"
    click.echo(f"{name} was paused already" if already else f"paused {name}")


@source_group.command("resume")
@click.argument("source_id", type=SOURCE_ID, metavar="ID")
def resume_command(source_id: int) -> None:
    """Poll a paused source again, from now (or when its server's Retry-After allows)."""
    now = utc_now()
    with open_store(create=False) as store:
        sources = Sources(store.db)
        running = not sources.get(source_id).paused
        source = sources.resume(source_id, now=now)
    name = f"source {source.id} ({source.name})"
    click.echo(f"{name} was not paused" if running else f"resumed {name}")


@source_group.command("poll")
@click.argument("source_id", type=SOURCE_ID, metavar="[ID]", required=False)
def poll_command(source_id: int | None) -> None:
    """Poll every active source now (or only ID, even a paused one), whatever their intervals
    and back-off; one line each. Exit code 1 if any failed. Nothing is sent to Telegram: alerts
    about failing sources wait in the database for `newsbot run`."""
    config, now = settings(), utc_now()
    # Only our own Error: lines on stderr; the poller's log (skipped items, teasers' pages
    # that could not be had) with NEWSBOT_LOG_LEVEL=DEBUG.
    setup_logging("DEBUG" if config.log_level == "DEBUG" else "ERROR", as_json=config.log_json)
    with open_store(config.db_path, create=False) as store:
        sources = Sources(store.db)
        if source_id is not None:
            ids = [sources.get(source_id).id]
        else:
            ids = [source.id for source in sources.all() if not source.paused]
        if not ids:
            click.echo("no active sources to poll (newsbot source add URL adds one)")
            return
        poller = FeedPoller(store, sources, summarize, poll_settings(config))
        reports = asyncio.run(poller.poll_many(ids, now=now))
    for report in reports:
        click.echo(f"{report.source.id} {report.source.name}: {report_words(report)}")
    failed = [report for report in reports if report.failed]
    for report in failed:
        source = report.source
        click.echo(f"Error: source {source.id} ({source.name}): {report.error}", err=True)
    if failed:
        sys.exit(1)


def poll_settings(config: Settings) -> PollSettings:
    """How polls behave, as configured (the same for `newsbot run`)."""
    return PollSettings(
        default_every=config.feed_interval,
        first_poll_items=config.feed_first_items,
        allow_loopback=config.fetch_loopback,
    )


def report_words(report: PollReport) -> str:
    """What one poll did, in a few words."""
    if report.error is not None:
        return f"failed: {report.error}"
    if report.not_modified:
        return "not modified (304)"
    words = f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged"
    if report.kept:
        words += f", {report.kept} {KEPT}"
    if report.skipped:
        words += f", {report.skipped} skipped (not usable as articles)"
    if report.malformed:
        words += f" (the feed is malformed: {report.malformed})"
    return words


def every_words(source: Source, config: Settings) -> str:
    """How often a source is polled, in words."""
    seconds = source.every or config.feed_interval
    if seconds % 60 == 0:
        when = "minute" if seconds == 60 else f"{seconds // 60} minutes"
    else:
        when = f"{seconds} seconds"
    return when if source.every else f"{when} (the default, NEWSBOT_FEED_INTERVAL)"


def state(source: Source) -> str:
    """ok, failing, paused or new: what `list` and scripts check."""
    if source.paused:
        return "paused"
    if source.failures:
        return "failing"
    return "ok" if source.last_poll_at else "new"


def state_words(source: Source) -> str:
    """The state, with when it began to fail and why."""
    kind = state(source)
    if kind == "failing":
        since = stamp(source.failing_since)
        polls = f"{source.failures} poll{'' if source.failures == 1 else 's'}"
        return f"failing since {since} ({polls}): {' '.join((source.last_error or '').split())}"
    return "new (never polled)" if kind == "new" else kind


def stamp(when: datetime | None) -> str:
    """A time for a line of text, in UTC."""
    return when.strftime("%Y-%m-%d %H:%M UTC") if when else "-"


def source_json(source: Source) -> dict[str, Any]:
    """A source's fields for `--json`; times in UTC, `every` in seconds (null: the default)."""

    def time(when: datetime | None) -> str | None:
        return json_time(when) if when else None

    return {
        "id": source.id,
        "name": source.name,
        "url": source.url,
        "language": source.language,
        "every": source.every,
        "state": state(source),
        "paused": source.paused,
        "items": source.items,
        "added_at": json_time(source.added_at),
        "last_poll_at": time(source.last_poll_at),
        "next_poll_at": time(source.next_poll_at),
        "failures": source.failures,
        "failing_since": time(source.failing_since),
        "last_error": source.last_error,
    }
