"""The baseline for bench/load.py: a minimal python-telegram-bot echo bot.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_BASE_URL=... python bench/echo_bot.py

Modeled on python-telegram-bot's own examples/echobot.py, with the library's defaults (one
update at a time, no rate limiter), except that commands are echoed too: it answers exactly
the updates newsbot answers, with one reply each. Stops with exit code 0 on SIGINT or SIGTERM.
ECHO_CONCURRENT_UPDATES=N (unset by default) handles up to N updates at once instead, to
compare with a bot that does the same (`bench/load.py --echo-concurrent-updates N`).
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the user's text back to them."""
    if update.message is not None and update.message.text is not None:
        await update.message.reply_text(update.message.text)


def main() -> None:
    """Poll until stopped; the same TELEGRAM_* settings as `newsbot run`."""
    logging.basicConfig(
        format="%(asctime)s %(name)s %(levelname)s %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    builder = Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"])
    if base_url := os.environ.get("TELEGRAM_BASE_URL"):
        builder = builder.base_url(base_url)
    if base_file_url := os.environ.get("TELEGRAM_BASE_FILE_URL"):
        builder = builder.base_file_url(base_file_url)
    if concurrent := os.environ.get("ECHO_CONCURRENT_UPDATES"):
        builder = builder.concurrent_updates(int(concurrent))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)  # SIGINT/SIGTERM: stop, return


if __name__ == "__main__":
    main()
