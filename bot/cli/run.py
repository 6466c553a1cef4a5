"""`newsbot run`: the bot, for real, by long polling or a webhook."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
from urllib.parse import urlsplit

import click
from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

from bot.app import App, build_application
from bot.cli.base import settings
from bot.config import Settings
from bot.lifecycle import NotTheBotApiError, Receive, running
from bot.logs import redact, setup_logging
from bot.stop_signals import STOP_SIGNALS, remember_stop, stop_requested

logger = logging.getLogger(__name__)


@click.command("run")
@click.option(
    "--webhook-url",
    metavar="URL",
    help="Receive updates by webhook at this public https URL instead of polling.",
)
@click.option(
    "--listen",
    default="127.0.0.1",
    show_default=True,
    help="Webhook mode: the address to listen on.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8443,
    show_default=True,
    help="Webhook mode: the port to listen on.",
)
@click.option(
    "--secret-token",
    metavar="SECRET",
    help="Webhook mode: Telegram sends it with every update; others are refused.",
)
def run_command(webhook_url: str | None, listen: str, port: int, secret_token: str | None) -> None:
    """Run the bot until SIGINT or SIGTERM (then exit 0). Needs TELEGRAM_BOT_TOKEN."""
    for sig in STOP_SIGNALS:  # until serve() takes over: nothing has started, just stop
        signal.signal(sig, remember_stop)
    config = settings(need_token=True)
    setup_logging(config.log_level, as_json=config.log_json, token=config.token)
    app = build_application(config)
    updater = app.updater
    if updater is None:  # build_application makes one whenever no stand-in request is given
        raise click.ClickException("internal error: the application has no updater")

    if webhook_url and not secret_token:
        logger.warning(
            "webhook without --secret-token: anyone who finds the URL can send the bot updates"
        )

    async def receive() -> None:
        if webhook_url:
            await updater.start_webhook(
                listen=listen,
                port=port,
                url_path=urlsplit(webhook_url).path.lstrip("/"),  # as a reverse proxy passes it
                webhook_url=webhook_url,
                secret_token=secret_token,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            await updater.start_polling(allowed_updates=Update.ALL_TYPES)

    logger.info("newsbot starting with database %s", config.db_path)
    try:
        asyncio.run(serve(app, receive))
    except InvalidToken as error:
        raise click.ClickException(refusal(error, config)) from None
    except (NetworkError, TelegramError, NotTheBotApiError) as error:
        raise click.ClickException(unreachable(error, config)) from None
    logger.info("newsbot stopped")


def unreachable(error: Exception, config: Settings) -> str:
    """What any other failure of the first call means: the network, or a server that answers
    but not as the Bot API does (an HTTP status of its own, or JSON of another shape)."""
    where = config.bot_api_name
    said = redact(" ".join(str(error).split()))[:300]
    status = re.search(r"\((\d{3})\)", said)
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest) and not status:
        return f"cannot reach the Bot API: {said}"
    return f"{where} did not answer as the Bot API does ({said}); check TELEGRAM_BASE_URL"


def refusal(error: InvalidToken, config: Settings) -> str:
    """What a 401 or 404 at start-up means. python-telegram-bot raises InvalidToken for both,
    but Telegram answers 401 Unauthorized for a token it doesn't know, and 404 Not Found for a
    path that isn't the Bot API's (a wrong TELEGRAM_BASE_URL), so the message tells which."""
    answer = str(error.__cause__ or error)
    if "Unauthorized" in answer:
        return "TELEGRAM_BOT_TOKEN was refused by the Bot API (401 Unauthorized); check it"
    where = config.bot_api_name
    return (
        f"{where} answered 404 Not Found, so it is not the Bot API at that address: "
        "check TELEGRAM_BASE_URL (a local Bot API server's ends in /bot)"
    )


async def serve(app: App, receive: Receive) -> None:
    """Start, run until SIGINT/SIGTERM, stop: each step whole, so a signal never cuts a request.

    The one exception is the first call, getMe, which may wait long on a Bot API that is slow
    or down: a stop signal ends that wait at once, since nothing has started yet.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    if stop_requested():  # came while loading or building: start nothing, stop cleanly
        stop.set()
    async with running(app, receive=receive, stop=stop):
        await stop.wait()
