"""Answering a button press, which must never stop the work the press asked for."""

from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import TelegramError

logger = logging.getLogger(__name__)


async def acknowledge(
    query: CallbackQuery, text: str | None = None, *, alert: bool = False
) -> None:
    """Answer the press (stopping the button's spinner, or showing `text`).

    A failure is logged and swallowed: a timeout or a 5xx here must not cost the reader the
    article they asked for, and the spinner stops by itself after a while anyway.
    """
    try:
        await query.answer(text, show_alert=alert)
    except TelegramError as error:
        logger.info("could not answer a button press: %s", error)
