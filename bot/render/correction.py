"""The short notice a reader gets when an article their digest or breaking news carried was
corrected: what changed, in the admin's words, and a button to read the article again."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import _, pgettext
from bot.render import clip, esc
from bot.render.keyboards import button

NOTE_ROOM = 500  # the admin's one line; the headline and the words around it stay short
TITLE_ROOM = 200


def correction_notice(article_id: int, title: str, note: str) -> tuple[str, InlineKeyboardMarkup]:
    """✏ Corrected: <headline>, what changed, and "Read it again"."""
    text = _("✏ <b>Correction:</b> {title}\n{note}").format(
        title=esc(clip(title, TITLE_ROOM)), note=esc(clip(note, NOTE_ROOM))
    )
    again = pgettext("button", "📖 Read it again")
    markup = InlineKeyboardMarkup([[button(again, f"read:{article_id}")]])
    return text, markup
