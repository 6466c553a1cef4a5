"""Everything a reader sees: HTML escaping, Telegram's length limits, pieces of articles.

Telegram counts limits in UTF-16 code units of the text *after* its HTML is parsed, so plain
text is measured and cut first and escaped last; tags are only ever added around whole pieces.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import tzinfo
from urllib.parse import urlsplit

from telegram.constants import MessageLimit

from bot.i18n import N_, _, current

# Re-exported, as callers use them: render.button, render.list_keyboard, render.clip...
from bot.render.keyboards import PAGE_SIZE as PAGE_SIZE
from bot.render.keyboards import article_keyboard as article_keyboard
from bot.render.keyboards import button as button
from bot.render.keyboards import confirm_keyboard as confirm_keyboard
from bot.render.keyboards import fields_keyboard as fields_keyboard
from bot.render.keyboards import list_keyboard as list_keyboard
from bot.render.keyboards import publish_keyboard as publish_keyboard
from bot.render.keyboards import start_keyboard as start_keyboard
from bot.render.keyboards import view_keyboard as view_keyboard
from summaries.activity import Statistics
from summaries.length import clip as clip
from summaries.length import tg_len as tg_len
from summaries.models import Article
from summaries.text import INVISIBLE
from summaries.tokenizer import SUPPORTED_LANGUAGES

TITLE_IN_CAPTION = 300


def fit_sentences(sentences: Sequence[str], limit: int) -> str:
    """As many whole sentences as fit in `limit` (joined by spaces); a lone long one is clipped."""
    kept: list[str] = []
    for sentence in sentences:
        candidate = " ".join([*kept, sentence])
        if tg_len(candidate) > limit:
            break
        kept.append(sentence)
    if not kept and sentences:
        return clip(sentences[0], limit)
    return " ".join(kept)


def sentence(text: str) -> str:
    """An error's words as the start of a reply: capitalised, as a sentence is."""
    return text[:1].upper() + text[1:]


def esc(text: str) -> str:
    """Escape plain text for Telegram's HTML parse mode (`<`, `>`, `&`, and quotes)."""
    return html.escape(text, quote=True)


# Pieces of articles


def source_link(url: str) -> str:
    """'Source: example.org' linking to the article's page."""
    host = urlsplit(url).hostname or url
    label = _("Source: {site}").format(site=host.removeprefix("www."))
    return f'<a href="{esc(url)}">{esc(label)}</a>'


# A credit already labelled ("Photo: A. Reporter", "FOTO: dpa", the label in the languages
# the bot speaks too) is shown as it is.
_CREDIT_LABEL = re.compile(
    r"(?:photo|photograph|picture|image|credit|foto|fotografía|fotografia|bild|imagen|imagem"
    r"|crédito|credito|фото|фотография|світлина)s?\s*:",
    re.IGNORECASE,
)


def credit_line(credit: str) -> str:
    """'Photo: <credit>', unless the credit brings its own label; '' for no credit."""
    credit = credit.strip()
    if not credit or _CREDIT_LABEL.match(credit):
        return credit
    return _("Photo: {credit}").format(credit=credit)


def date_line(article: Article, zone: tzinfo, label: str = "") -> str:
    """'25 Nov 2026, 08:05' in the zone and the reader's language (after `label ·` if any):
    the summary's date line."""
    local = current().date_time(article.published_at.astimezone(zone))
    return f"{label} · {local}" if label else local


def photo_caption(article: Article) -> str:
    """Bold headline, then the photo's caption and credit: at most 1024 units once parsed."""
    title = clip(article.title, TITLE_IN_CAPTION)
    credit = credit_line(article.photo_credit)
    room = MessageLimit.CAPTION_LENGTH - tg_len(title) - 2
    credit = clip(credit, max(room // 2, 0)) if credit else ""
    room -= tg_len(credit) + 2 if credit else 0
    caption = clip(article.photo_caption, room) if article.photo_caption and room > 10 else ""
    parts = [f"<b>{esc(title)}</b>", esc(caption), f"<i>{esc(credit)}</i>" if credit else ""]
    return "\n\n".join(part for part in parts if part)


def summary_text(
    article: Article, summary: Sequence[str], zone: tzinfo, *, with_title: bool, label: str = ""
) -> str:
    """The summary message: optional headline, date, summary sentences, source link."""
    date = date_line(article, zone, label)
    link = source_link(article.url) if article.url else ""
    title = clip(article.title, 1000) if with_title else ""
    used = tg_len(title) + tg_len(date) + (tg_len(visible(link)) if link else 0) + 8
    body = fit_sentences(summary, MessageLimit.MAX_TEXT_LENGTH - used)
    parts = [f"<b>{esc(title)}</b>" if title else "", f"<i>{esc(date)}</i>", esc(body), link]
    return "\n\n".join(part for part in parts if part)


def visible(fragment: str) -> str:
    """The text of an HTML fragment of ours as Telegram will count it."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def no_words(text: str) -> str:
    """Plain text: a search (or topic) that has nothing to look for, only emoji or punctuation;
    saying so, since "send some words" reads as if the message had not arrived."""
    shown = clip(" ".join(text.translate(INVISIBLE).split()), 50)
    if not shown:  # only invisible characters
        return _("That has no words to search for; try a word like trains")
    return _("{text} has no words to search for; try a word like trains").format(text=shown)


def deleted_article(article_id: int) -> str:
    """Plain text: an admin's new article has the link of a deleted one (nothing stored)."""
    return _(
        "Article {id} with this URL was deleted, so nothing was published; "
        "newsbot undelete {id} (on the bot's server) brings it back."
    ).format(id=article_id)


def stats_text(stats: Statistics) -> str:
    """/stats as a message."""
    readers = stats.readers
    lines = [
        _("<b>Statistics</b>"),
        _("Articles: {count}").format(count=stats.articles),
        _(
            "Digest readers — active: {active}, paused: {paused}, unsubscribed: {unsubscribed}, "
            "blocked: {blocked}"
        ).format(
            active=readers.get("active", 0),
            paused=readers.get("paused", 0),
            unsubscribed=readers.get("unsubscribed", 0),
            blocked=readers.get("blocked", 0),
        ),
        _("Digests sent — today: {today}, last 7 days: {week}").format(
            today=stats.digests_today, week=stats.digests_week
        ),
        _("Reads — today: {today}, last 7 days: {week}").format(
            today=stats.reads_today, week=stats.reads_week
        ),
    ]
    if stats.most_read:
        lines.append("\n" + _("<b>Most read this week</b>"))
        lines += [f"{n} × {i} · {esc(clip(t, 80))}" for i, t, n in stats.most_read]
    return "\n".join(lines)


def latest_heading(offset: int, count: int) -> str:
    """'Latest news (1–5)' above a page of headline buttons."""
    return _("<b>Latest news</b> ({first}–{last})").format(first=offset + 1, last=offset + count)


def search_heading(query: str, offset: int, count: int) -> str:
    """'Search: trains (1–5)' above a page of results."""
    return _("<b>Search: {query}</b> ({first}–{last})").format(
        query=esc(clip(query, 100)), first=offset + 1, last=offset + count
    )


def nothing_found(query: str) -> str:
    """A search without results."""
    return _("Nothing found for “{query}”. Try fewer or other words.").format(
        query=esc(clip(query, 100))
    )


def unsupported_language(code: str) -> str:
    """The note when a page's language has no summarizer: it is kept as English."""
    return _(
        "Note: the page says its language is '{code}', which newsbot can't summarize; "
        "stored as English (one of {languages} can be set with edit)."
    ).format(code=code, languages=", ".join(SUPPORTED_LANGUAGES))


def lead_summary_heading(language: str) -> str:
    """Above a summary that is the article's first sentences, its language (a display name,
    "Swahili") having no summarizer: one whole sentence, for translators."""
    return (
        f"Summary: the first sentences (Lead), as {language} is not a language newsbot summarizes:"
    )


# The handlers' short replies.

# Marked with N_ for the catalog; translated with _() where they are sent.
NOT_ADMIN = N_("This command is for admins.")
# An admin's command or button in a group: sent to the admin's private chat (or as the
# button's alert), never to the group, whose members would read the answer
ADMIN_IN_PRIVATE = N_(
    "I answer admin commands only in this private chat, never in a group, where every "
    "member would read the answer. Send the command here."
)
SEARCH_FOR_WHAT = N_("Search for what? e.g. /search election")
OLDEST_ARTICLE = N_("That was the oldest article.")
NOT_UNDERSTOOD = N_("I read text and commands. Try /latest for the news, or /help.")
STALE_BUTTON = N_("This button no longer works. Try /latest.")
DELETE_KEPT = N_("Kept; nothing was deleted.")
STATS_CHART = N_("Reads and new digest readers, last 14 days")  # the /stats chart's caption
FORGET = N_(
    "This deletes everything newsbot keeps about you: your digest subscription and its "
    "settings, your language choice (I'll follow your Telegram app's language again), the "
    "record of digests sent to you, your saved searches and any draft. "
    "Articles and anonymous read counts stay. Delete? (/cancel keeps everything.)"
)
FORGET_KEPT = N_("Nothing was deleted.")
NO_NEWS_YET = N_("No news yet. Come back soon!")
SEARCH_EXPIRED = N_("That search has expired. Send /search and your words again.")
FORGOTTEN = N_("Done: everything newsbot kept about you is deleted.")


def which_article(command: str) -> str:
    """/read, /edit or /delete without an article number."""
    return _("Which article? Send /{command} and its number, e.g. /{command} 3").format(
        command=command
    )


def unknown_command(command: str) -> str:
    """A command newsbot doesn't have."""
    return _("I don't know {command}. Send /help to see what I can do.").format(
        command=esc(command)
    )


def delete_question(article: Article) -> str:
    """/delete's confirmation: which article."""
    return _("Delete article {id}, “{title}”? (/cancel keeps it.)").format(
        id=article.id, title=esc(clip(article.title, 200))
    )


def deleted(article_id: int | str) -> str:
    """/delete confirmed."""
    return _("Article {id} is deleted.").format(id=article_id)
