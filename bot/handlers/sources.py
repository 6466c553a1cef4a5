"""Admins' feed sources in the chat: /sources (the list, with Poll now, Pause/Resume and
Remove under each source) and /source URL (check a feed, then read it)."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.feed_check import find_feed
from bot.feed_poll import feed_poller
from bot.handlers.admin import admins_only
from bot.handlers.buttons import acknowledge
from bot.handlers.questions import answered, ask, refused_as_cancelled
from bot.i18n import _
from bot.render import feeds
from bot.render.errors import error_reason
from bot.services import services
from summaries.articles import FEED_ADDRESS, check_url
from summaries.errors import DuplicateSourceError, NewsbotError, SourceNotFoundError
from summaries.sources import Sources

MESSAGES = filters.UpdateType.MESSAGE
PATTERN = r"^src:(page:\d+|(poll|pause|resume):\d+:\d+|rm:\d+(:yes|:no)?)$"


@admins_only
async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: the first page of sources, each with its buttons."""
    if update.effective_message is None:
        return
    text, markup = _page(context, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


@admins_only
async def source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/source URL: fetch and parse it (or the feed a page links to), say what it found,
    and store it as a new source; any problem is one sentence and nothing is stored."""
    message = update.effective_message
    if message is None:
        return
    if not context.args:
        await message.reply_text(_(feeds.SOURCE_USAGE), parse_mode=None)
        return
    svc = services(context)
    now = svc.clock()
    try:
        url = check_url(context.args[0], FEED_ADDRESS)
        _refuse_known(svc.sources, url)  # before fetching: the answer is known already
    except NewsbotError as error:
        await message.reply_text(feeds.not_added(error_reason(error)), parse_mode=None)
        return
    checking = await message.reply_text(_(feeds.CHECKING))  # a slow feed takes up to ~10 s
    try:
        found = await find_feed(url, now=now, allow_loopback=svc.settings.fetch_loopback)
        source = svc.sources.add(
            found.url, name=feeds.feed_name(found.feed.title, found.url), now=now
        )
    except NewsbotError as error:
        await checking.edit_text(feeds.not_added(error_reason(error)), parse_mode=None)
        return
    await checking.edit_text(
        feeds.added(
            source,
            items=len(found.feed.items),
            feed_url=found.url,
            page=found.page,
            every=source.every or svc.settings.feed_interval,
        )
    )


def _refuse_known(sources: Sources, url: str) -> None:
    """DuplicateSourceError if a source reads this address already."""
    for source in sources.all():
        if source.url == url:
            raise DuplicateSourceError(source.id, url)


@admins_only
async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every button of /sources and of a removal's confirmation (admins only, each press)."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    _prefix, action, *rest = query.data.split(":")
    numbers = [int(part) for part in rest if part.isdecimal()]
    try:
        if action == "page":
            await acknowledge(query)
            await _show(query, context, numbers[0])
        elif action == "poll":
            await _poll_now(query, context, *numbers)
        elif action in ("pause", "resume"):
            await _pause_or_resume(query, context, action, *numbers)
        elif rest[-1] in ("yes", "no"):
            await _remove(update, context, numbers[0], yes=rest[-1] == "yes")
        else:
            await _ask_remove(query, context, numbers[0])
    except SourceNotFoundError as error:  # removed meanwhile (an old list, a second Yes)
        await acknowledge(query, feeds.gone(error.source_id), alert=True)


async def _poll_now(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, source_id: int, offset: int
) -> None:
    """Poll it through the poller (never two polls of one source at once), then say how it
    went and show the list's page again with the new state."""
    svc, poller = services(context), feed_poller(context)
    source = svc.sources.get(source_id)  # SourceNotFoundError before the press is answered
    await acknowledge(query, feeds.polling(source_id))  # first: a poll may take a while
    chat = _chat(query)
    if poller.stopping:
        await context.bot.send_message(chat, _(feeds.POLLER_STOPPING))
        return
    try:
        report = await poller.poll(source_id, now=svc.clock())
    except SourceNotFoundError:  # removed in the moment since: the press is answered already
        await context.bot.send_message(chat, feeds.gone(source_id))
        return
    if report is None:  # another poll of it (the feed job's, another admin's) is running
        await context.bot.send_message(chat, feeds.poll_under_way(source))
        return
    await context.bot.send_message(
        chat,
        feeds.poll_outcome(
            report.source,
            new=report.new,
            updated=report.updated,
            unchanged=report.unchanged,
            kept=report.kept,
            skipped=report.skipped,
            not_modified=report.not_modified,
            error=report.error,
        ),
    )
    await _show(query, context, offset)


async def _pause_or_resume(
    query: CallbackQuery,
    context: ContextTypes.DEFAULT_TYPE,
    action: str,
    source_id: int,
    offset: int,
) -> None:
    svc = services(context)
    if action == "pause":
        svc.sources.pause(source_id)
        await acknowledge(query, feeds.paused(source_id))
    else:
        svc.sources.resume(source_id, now=svc.clock())
        await acknowledge(query, feeds.resumed(source_id))
    await _show(query, context, offset)


async def _ask_remove(
    query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, source_id: int
) -> None:
    source = services(context).sources.get(source_id)
    await acknowledge(query)
    sent = await context.bot.send_message(
        _chat(query), feeds.remove_question(source), reply_markup=feeds.remove_keyboard(source_id)
    )
    ask(context, "remove-source", sent, source=source_id)


async def _remove(
    update: Update, context: ContextTypes.DEFAULT_TYPE, source_id: int, *, yes: bool
) -> None:
    query = update.callback_query
    if query is None or query.message is None or await refused_as_cancelled(update, context):
        return
    svc = services(context)
    source = svc.sources.get(source_id)  # SourceNotFoundError: a second Yes says it is gone
    await acknowledge(query)
    answered(context, "remove-source", query.message.message_id)
    if not yes:
        await query.edit_message_text(_(feeds.SOURCE_KEPT))
        return
    svc.sources.remove(source_id)
    await query.edit_message_text(feeds.removed(source))


async def _show(query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, offset: int) -> None:
    """The list's page at `offset` in the pressed message (a page that shows it already stays)."""
    text, markup = _page(context, offset)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


def _page(
    context: ContextTypes.DEFAULT_TYPE, offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = services(context)
    every = svc.sources.all()
    if offset >= len(every):  # past the end (sources removed since): the last page
        offset = max(len(every) - 1, 0) // feeds.SOURCES_PAGE * feeds.SOURCES_PAGE
    shown = every[offset : offset + feeds.SOURCES_PAGE]
    text = feeds.sources_page(
        shown,
        offset=offset,
        total=len(every),
        zone=svc.settings.timezone,
        default_every=svc.settings.feed_interval,
    )
    has_more = offset + feeds.SOURCES_PAGE < len(every)
    return text, feeds.sources_keyboard(shown, offset=offset, has_more=has_more)


def _chat(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message is not None else query.from_user.id


HANDLERS = [
    CommandHandler("sources", sources_command, filters=MESSAGES),
    CommandHandler("source", source_command, filters=MESSAGES),
    CallbackQueryHandler(source_button, pattern=PATTERN),
]
