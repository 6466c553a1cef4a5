"""A command's article-id argument, asked for again in words when it is missing or odd."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import render
from summaries.text import normalize


async def article_id(
    update: Update, context: ContextTypes.DEFAULT_TYPE, command: str
) -> int | None:
    """The id in `/command ID`; None (after saying how to write it) if there isn't one."""
    args = [normalize(arg) for arg in context.args or []]  # '3' pasted with a zero-width space
    if len(args) == 1 and args[0].isdecimal():
        return int(args[0])
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.which_article(command))
    return None
