"""build_application(): the one place that wires settings, services and handlers together."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommandScopeChat, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot import errors
from bot.config import Settings
from bot.digests import DigestSender, digest_job
from bot.feed_job import LOOK_EVERY, feed_job
from bot.feed_poll import FeedPoller, PollSettings
from bot.handlers import (
    admin,
    articles,
    digest_settings,
    fallback,
    inline,
    language,
    outlets,
    pages,
    posting,
    privacy,
    questions,
    sources,
    start,
    subscriptions,
)
from bot.i18n import LANGUAGES, SOURCE, menu_code, using
from bot.lifecycle import STOPPING, App
from bot.outlet_poster import LOOK_EVERY as POST_EVERY
from bot.outlet_poster import OutletPoster, outlet_job
from bot.persistence import SqlitePersistence
from bot.ratelimit import HookedRateLimiter
from bot.render import help as render_help
from bot.services import DigestRounds, Services, services
from bot.transport import bot_api_request
from bot.update_order import PerChatUpdateProcessor
from summaries.activity import ActivityLog
from summaries.deliveries import Deliveries
from summaries.leases import Leases
from summaries.sources import Sources
from summaries.store import ArticleStore
from summaries.subscriptions import Subscriptions

logger = logging.getLogger(__name__)


def build_application(settings: Settings, *, request: BaseRequest | None = None) -> App:
    """The production application; with `request`, it talks to a stand-in and never polls."""
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        tzinfo=settings.timezone,
    )
    builder: Any = (  # each builder step changes its generic type; this one is dynamic
        ApplicationBuilder()
        .token(settings.token)
        .defaults(defaults)
        .concurrent_updates(PerChatUpdateProcessor())  # chats at once, each chat in order
        .post_init(on_startup)  # run by bot.lifecycle.running(), as run_polling would
        .post_shutdown(on_shutdown)
    )
    if settings.rate_limit:  # 30 messages/s overall, 20/min per group; waits out 429s
        builder = builder.rate_limiter(HookedRateLimiter(max_retries=3))
    if settings.base_url:  # a local Bot API server, or the stand-in for end-to-end runs
        builder = builder.base_url(settings.base_url)
    if settings.base_file_url:
        builder = builder.base_file_url(settings.base_file_url)
    if request is not None:  # one stand-in serves both request paths; no Updater, no polling
        builder = builder.request(request).get_updates_request(request).updater(None)
    else:  # tells leaving() (bot/ratelimit.py) when a request starts to leave
        builder = builder.request(bot_api_request())
    store = ArticleStore.open(settings.db_path)
    builder = builder.persistence(SqlitePersistence(store.db))  # drafts survive a restart
    app: App = builder.build()
    db = store.db
    svc = Services(settings, store, ActivityLog(db), Subscriptions(db), Deliveries(db), Leases(db))
    app.bot_data["services"] = svc
    app.bot_data[STOPPING] = []
    sender: DigestRounds = DigestSender(svc)  # mypy: it is what handlers ask of the job
    app.bot_data["digest_sender"] = sender
    poller = FeedPoller(
        store,
        Sources(db),
        svc.summarizer,
        PollSettings(
            default_every=settings.feed_interval,
            first_poll_items=settings.feed_first_items,
            allow_loopback=settings.fetch_loopback,
        ),
    )
    app.bot_data["feed_poller"] = poller
    app.bot_data[STOPPING].append(poller.stop)  # polls wind down before the app stops
    poster = OutletPoster(svc)  # channel and group posts: a task of its own, by lease
    app.bot_data["outlet_poster"] = poster
    app.bot_data[STOPPING].append(poster.stop)
    if app.job_queue is not None:  # one job for every reader, re-created at each start
        app.job_queue.run_repeating(digest_job, interval=settings.digest_interval, first=1)
        app.job_queue.run_repeating(feed_job, interval=LOOK_EVERY, first=2)
        app.job_queue.run_repeating(outlet_job, interval=POST_EVERY, first=3)
    # One group, so the first handler that matches an update is the only one: catch-alls last.
    app.add_handlers(
        [
            *start.HANDLERS,
            *posting.handlers(),  # before the others: a draft's steps take its messages
            *admin.HANDLERS,
            *sources.HANDLERS,
            *outlets.HANDLERS,  # before digest_settings: its my_chat_member takes every chat
            *articles.HANDLERS,
            *pages.HANDLERS,
            *subscriptions.HANDLERS,
            *digest_settings.HANDLERS,
            *privacy.HANDLERS,
            *language.HANDLERS,
            *questions.HANDLERS,
            *inline.HANDLERS,
            *fallback.HANDLERS,
        ]
    )
    app.add_handler(language.HOOK, group=-1)  # first, for every update: the reader's language
    app.add_error_handler(errors.on_domain_error)  # error handlers run in this order
    app.add_error_handler(errors.on_error)
    return app


async def on_startup(app: App) -> None:
    """Register the command menu Telegram shows, once for each language newsbot speaks (the
    English one for every other language); a failure here must not stop the bot."""
    svc: Services = app.bot_data["services"]
    for spoken in LANGUAGES:
        code = None if spoken == SOURCE else menu_code(spoken)  # Telegram: "pt", not "pt_BR"
        with using(spoken):
            try:
                await app.bot.set_my_commands(render_help.commands(), language_code=code)
            except TelegramError as error:
                logger.warning("could not register the %s command menu: %s", spoken, error)
            for admin_id in svc.settings.admin_ids:  # admins see their commands too
                try:
                    await app.bot.set_my_commands(
                        render_help.commands(admin=True),
                        scope=BotCommandScopeChat(admin_id),
                        language_code=code,
                    )
                except TelegramError as error:  # e.g. an admin who never opened the bot
                    logger.info("no admin command menu for %s: %s", admin_id, error)


async def on_shutdown(app: App) -> None:
    """Give the digest lease up and close the database (after shutdown, which still writes
    the persisted chat data)."""
    services_ = app.bot_data.get("services")
    sender = app.bot_data.get("digest_sender")
    if isinstance(sender, DigestSender):
        sender.stop()
    poster = app.bot_data.get("outlet_poster")
    if isinstance(poster, OutletPoster):
        poster.release()
    if isinstance(services_, Services):
        services_.store.close()


__all__ = ["App", "build_application", "services"]
