"""A channel or group post of an article: /read's look, laid out to fit one or two messages.

Three layouts, chosen by what fits (Telegram counts UTF-16 units of the parsed text):
  - photo alone: /read's two messages in one caption (<= 1024 units): headline, photo
    caption, credit, then the date, the whole summary and the source link;
  - photo, then text: when the summary doesn't fit whole in the caption, the photo keeps
    /read's caption (headline, photo caption, credit) and /read's summary message follows;
  - text alone: no photo; /read's summary message with the headline.
The "Read in the bot" button goes on the last message of the post.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.i18n import N_, _
from bot.render import (
    TITLE_IN_CAPTION,
    clip,
    credit_line,
    date_line,
    esc,
    photo_caption,
    source_link,
    summary_text,
    tg_len,
)
from bot.render.keyboards import BUTTON_LABEL
from summaries.models import Article

# Channel posts are in English, the language of no reader in particular (a chat has no
# language setting); marked for the catalog all the same, so one could be given them.
READ_IN_BOT = N_("📖 Read in the bot")
WITHDRAWN = N_("This story was withdrawn.")
CREDIT_IN_CAPTION = 200  # a credit is a line, not a paragraph: the summary needs the room
SEPARATOR = 2  # "\n\n" between the caption's parts


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """What to send: a photo (its caption) and/or a text message; the keyboard on the last."""

    photo: bool
    caption: str | None
    text: str | None
    keyboard: InlineKeyboardMarkup


def channel_post(
    article: Article,
    summary: Sequence[str],
    *,
    bot_username: str,
    start_param: str | None = None,
    tz: tzinfo,
) -> ChannelPost:
    """The post for `article`; `start_param` (default the article id) opens it in the bot."""
    keyboard = read_in_bot_keyboard(bot_username, start_param or str(article.id))
    if not article.has_any_photo:
        return ChannelPost(False, None, summary_text(article, summary, tz, with_title=True),
                           keyboard)  # fmt: skip
    caption = whole_caption(article, summary, tz)
    if caption is not None:
        return ChannelPost(True, caption, None, keyboard)
    text = summary_text(article, summary, tz, with_title=False)
    return ChannelPost(True, photo_caption(article), text, keyboard)


def whole_caption(article: Article, summary: Sequence[str], tz: tzinfo) -> str | None:
    """/read's look in one caption: headline, photo caption, credit, date, every sentence of
    the summary and the source link; None when they don't fit whole (a channel post never
    cuts its summary or the photo's caption short)."""
    title = clip(article.title, TITLE_IN_CAPTION)
    credit = clip(credit_line(article.photo_credit), CREDIT_IN_CAPTION)
    date = date_line(article, tz)
    link = source_link(article.url) if article.url else ""
    body = " ".join(summary)
    shown = [title, article.photo_caption, credit, date, body, _link_text(article.url)]
    used = sum(tg_len(part) for part in shown if part)
    used += SEPARATOR * (sum(1 for part in shown if part) - 1)
    if used > MessageLimit.CAPTION_LENGTH:
        return None
    parts = [
        f"<b>{esc(title)}</b>",
        esc(article.photo_caption),
        f"<i>{esc(credit)}</i>" if credit else "",
        f"<i>{esc(date)}</i>",
        esc(body),
        link,
    ]
    return "\n\n".join(part for part in parts if part)


def _link_text(url: str | None) -> str:
    """source_link's visible words, as Telegram counts them (the tag and entities dropped)."""
    return html.unescape(re.sub(r"<[^>]+>", "", source_link(url))) if url else ""


def read_in_bot_keyboard(bot_username: str, start_param: str) -> InlineKeyboardMarkup:
    """One URL button: t.me/<bot>?start=<param>, the deep link /start answers with the article."""
    url = f"https://t.me/{bot_username}?start={start_param}"
    read = InlineKeyboardButton(clip(_(READ_IN_BOT), BUTTON_LABEL), url=url)
    return InlineKeyboardMarkup([[read]])


def withdrawn_text(article: Article) -> str:
    """A text post Telegram won't delete any more (older than 48 hours): the note, the headline."""
    return f"<i>{esc(_(WITHDRAWN))}</i>\n\n<s>{esc(clip(article.title, 1000))}</s>"


def withdrawn_caption(article: Article) -> str:
    """The same for a photo's caption (its photo stays: a caption edit can't remove it)."""
    return f"<i>{esc(_(WITHDRAWN))}</i>\n\n<s>{esc(clip(article.title, TITLE_IN_CAPTION))}</s>"
