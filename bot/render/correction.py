"""The short notice a reader gets when an article their digest or breaking news carried was
corrected: what changed, in the admin's words, and a button to read the article again."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.render import clip, esc
from bot.render.keyboards import button

NOTE_ROOM = 500  # the admin's one line; the headline and the words around it stay short
TITLE_ROOM = 200


def correction_notice(article_id: int, title: str, note: str) -> tuple[str, InlineKeyboardMarkup]:
    """✏ Corrected: <headline>, what changed, and "Read it again"."""
    text = f"✏ <b>Correction:</b> {esc(clip(title, TITLE_ROOM))}\n{esc(clip(note, NOTE_ROOM))}"
    markup = InlineKeyboardMarkup([[button("📖 Read it again", f"read:{article_id}")]])
    return text, markup
