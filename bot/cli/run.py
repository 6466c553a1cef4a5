"""`newsbot run`: the bot, for real, by long polling or a webhook."""

from __future__ import annotations

import logging

import click
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application
from bot.cli.base import settings
from bot.logs import redact, setup_logging

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
    config = settings(need_token=True)
    setup_logging(config.log_level)
    app = build_application(config)
    logger.info("newsbot starting with database %s", config.db_path)
    try:
        if webhook_url:
            app.run_webhook(
                listen=listen,
                port=port,
                webhook_url=webhook_url,
                secret_token=secret_token,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        raise click.ClickException(
            "TELEGRAM_BOT_TOKEN was refused by Telegram; check it"
        ) from None
    except NetworkError as error:
        raise click.ClickException(f"cannot reach the Bot API: {redact(str(error))}") from None
    logger.info("newsbot stopped")
