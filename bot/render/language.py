"""/language: the languages newsbot speaks, each button in that language's own name."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import LANGUAGES, _, own_name
from bot.render.keyboards import button


def language_question(current: str) -> str:
    """What /language asks (in the reader's language now)."""
    return _("Which language should I use? Now: {language}.").format(language=own_name(current))


def language_keyboard(current: str) -> InlineKeyboardMarkup:
    """One button a language, in its own name; the current one ticked. Two a row."""
    buttons = [
        button(("✓ " if code == current else "") + own_name(code), f"lang:{code}")
        for code in LANGUAGES
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def language_set() -> str:
    """The choice made: said in the new language (it is active by now)."""
    return _("From now on I write to you in English: replies, buttons, the menu and your digests.")
