"""`newsbot channel …`: the channels, groups and forum topics every new article is posted to.

`add` asks the Bot API (getChat, getChatMember, as `run` would with the same token and
TELEGRAM_BASE_URL) whether the bot may post there, and says what is missing if not; then it
stores the outlet and prints its id as the last line. Errors are one line and store nothing.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import click
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.cli.base import NewsbotGroup, WholeNumber, open_store, settings
from bot.config import Settings
from bot.logs import redact, setup_logging
from bot.outlet_check import CheckedChat, chat_ref, check_chat
from bot.render import outlets as render
from summaries.errors import DuplicateOutletError, TopicsError
from summaries.ids import MAX_THREAD_ID
from summaries.models import utc_now
from summaries.outlet_model import Outlet
from summaries.outlets import Outlets
from summaries.sources import Sources
from summaries.topics import parse_topics

OUTLET_ID = WholeNumber(1, metavar="ID", what="an outlet id")
DEADLINE = 30  # seconds for the Bot API's answers


@click.group("channel", cls=NewsbotGroup)
def channel_group() -> None:
    """Channels and groups every new article is posted to (outlets)."""


@channel_group.command("add", context_settings={"ignore_unknown_options": True})  # -100…
@click.argument("chat", metavar="CHAT")
@click.option("--topics", help='Only articles on these topics: "economy, climate".')
@click.option("--thread", "thread_id",
              type=WholeNumber(1, MAX_THREAD_ID, metavar="ID", what="a thread id"),
              help="A forum's topic: its thread id.")  # fmt: skip
@click.option("--source", "sources", type=WholeNumber(1, metavar="ID"), multiple=True,
              help="Only articles of this feed source (repeat for more).")  # fmt: skip
@click.option("--backfill", "backfill", type=WholeNumber(0, 24 * 30, metavar="HOURS"),
              default=0,
              help="Also post the articles of the last HOURS hours (0-720).")  # fmt: skip
def add_command(
    chat: str, topics: str | None, thread_id: int | None, sources: tuple[int, ...], backfill: int
) -> None:
    """Post new articles to CHAT (@username or numeric id), once the bot may post there."""
    now = utc_now()
    try:
        wanted = parse_topics(topics, render.CLI_TOPICS) if topics is not None else ()
    except TopicsError as error:  # a reader's sentence; the CLI's errors start lower case
        said = str(error)
        raise click.ClickException(said[:1].lower() + said[1:]) from None
    ref = chat_ref(chat)
    config = settings(need_token=True)
    if sources:  # checked before asking Telegram; an error leaves no new database behind
        with open_store(config.db_path, read_only=True) as store:
            for source_id in sources:
                Sources(store.db).get(source_id)
    checked = _ask(config, ref, thread_id)
    with open_store(config.db_path) as store:
        outlet = _add(Outlets(store.db), checked, now, wanted, tuple(dict.fromkeys(sources)),
                      backfill)  # fmt: skip
    click.echo(render.added_text(outlet, checked.notes))
    click.echo(outlet.id)


def _add(
    outlets: Outlets,
    checked: CheckedChat,
    now: datetime,
    topics: tuple[str, ...],
    sources: tuple[int, ...],
    backfill: int,
) -> Outlet:
    try:
        return outlets.add(
            checked.chat_id, now=now, kind=checked.kind, thread_id=checked.thread_id,
            title=checked.title, username=checked.username, topics=topics, sources=sources,
            backfill_hours=backfill,
        )  # fmt: skip
    except DuplicateOutletError as error:  # say how to change its filters instead
        name = render.chat_name(checked.chat_id, checked.title, checked.username)
        raise click.ClickException(
            render.already_an_outlet(error.outlet_id, name, cli=True)
        ) from None


def _ask(
    config: Settings, chat: str | int, thread_id: int | None, *, name: str | None = None
) -> CheckedChat:
    """check_chat through PTB's Bot; Telegram's failures as one line, the token never shown."""
    setup_logging("CRITICAL", token=config.token)  # PTB's own lines may quote a URL
    try:
        return asyncio.run(asyncio.wait_for(_check(config, chat, thread_id, name), DEADLINE))
    except TimeoutError:
        raise click.ClickException(
            f"{config.bot_api_name} did not answer within {DEADLINE} seconds"
        ) from None
    except InvalidToken:
        raise click.ClickException(
            "the Bot API refused the token: check TELEGRAM_BOT_TOKEN"
        ) from None
    except NetworkError as error:
        said = redact(" ".join(str(error).split()))[:300]
        raise click.ClickException(f"{config.bot_api_name} can't be reached ({said})") from None
    except TelegramError as error:
        said = redact(" ".join(str(error).split()))[:300]
        raise click.ClickException(f"the Bot API said: {said}") from None


async def _check(
    config: Settings, chat: str | int, thread_id: int | None, name: str | None
) -> CheckedChat:
    request = HTTPXRequest(connect_timeout=10, read_timeout=10, httpx_kwargs={"trust_env": False})
    extra: dict[str, Any] = {"base_url": config.base_url} if config.base_url else {}
    bot = Bot(config.token, request=request, **extra)
    async with bot:  # getMe first: the bot's own id, for getChatMember
        return await check_chat(bot, chat, thread_id=thread_id, name=name)


def outlet_json(outlet: Outlet) -> dict[str, Any]:
    """An outlet's fields for --json."""
    return {
        "id": outlet.id,
        "chat_id": outlet.chat_id,
        "thread_id": outlet.thread_id,
        "kind": outlet.kind,
        "title": outlet.title,
        "username": outlet.username,
        "topics": list(outlet.topics),
        "sources": list(outlet.sources),
        "posts_sent": outlet.posts_sent,
        "state": "active" if outlet.active else "paused",
        "paused_reason": outlet.paused_reason,
    }


@channel_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet, a line each.")
def list_command(as_json: bool) -> None:
    """Every outlet: id, chat, filters, posts in the chat, state."""
    with open_store(read_only=True) as store:
        found = Outlets(store.db).all()
    for outlet in found:
        if as_json:
            click.echo(json.dumps(outlet_json(outlet), ensure_ascii=False))
        else:
            click.echo(
                f"{outlet.id}  {render.outlet_label(outlet)}  {render.filters_text(outlet)}  "
                f"{render.posts_text(outlet.posts_sent)}  {render.state_text(outlet)}"
            )
    if not found and not as_json:
        click.echo("no outlets yet: newsbot channel add @name")


@channel_group.command("remove")
@click.argument("outlet_id", type=OUTLET_ID, metavar="ID")
def remove_command(outlet_id: int) -> None:
    """Post nothing more there (its posts stay in the chat and are still corrected)."""
    with open_store(create=False) as store:
        outlets = Outlets(store.db)
        outlet = outlets.get(outlet_id)
        dropped = outlets.remove(outlet_id, now=utc_now())
    click.echo(render.removed_line(outlet, dropped))


@channel_group.command("pause")
@click.argument("outlet_id", type=OUTLET_ID, metavar="ID")
def pause_command(outlet_id: int) -> None:
    """Stop posting there for now; new articles wait in its queue."""
    with open_store(create=False) as store:
        Outlets(store.db).pause(outlet_id, "admin", now=utc_now())
    click.echo(render.paused(outlet_id))


@channel_group.command("resume")
@click.argument("outlet_id", type=OUTLET_ID, metavar="ID")
def resume_command(outlet_id: int) -> None:
    """Post there again, once the bot may (after a pause of over a day, only the newest
    queued posts go)."""
    with open_store(create=False, read_only=True) as store:
        outlet = Outlets(store.db).get(outlet_id)
    if outlet.active:
        raise click.ClickException(render.not_paused(outlet_id))
    config = settings(need_token=True)
    name = render.chat_name(outlet.chat_id, outlet.title, outlet.username)
    _ask(config, outlet.chat_id, outlet.thread_id, name=name)  # as add does: the bot may post
    with open_store(create=False) as store:
        skipped = Outlets(store.db).resume(outlet_id, now=utc_now())
    click.echo(render.resumed(outlet_id, skipped))
