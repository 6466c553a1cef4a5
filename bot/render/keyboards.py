"""Inline keyboards: every button, its label clipped and its callback data within 64 bytes.

Callback data holds ids and offsets only, never text.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit as Button

from bot.i18n import N_, _, pgettext
from summaries.length import clip
from summaries.models import Article

BUTTON_LABEL = 60
PAGE_SIZE = 5  # headlines a page: a phone screen without scrolling
PAGE_LABEL = N_("Page {page} of {pages}")  # between the arrows under a page of full text


def headline_label(article: Article) -> str:
    """A button label: the id (which /read takes) and the headline."""
    return clip(f"{article.id} · {article.title}", BUTTON_LABEL)


def button(label: str, data: str) -> InlineKeyboardButton:
    """A callback button; data is checked against Telegram's 64-byte limit here, once."""
    low, high = Button.MIN_CALLBACK_DATA, Button.MAX_CALLBACK_DATA
    if not low <= len(data.encode()) <= high:
        raise ValueError(f"callback data must be {low}..{high} bytes: {data!r}")
    return InlineKeyboardButton(clip(label, BUTTON_LABEL), callback_data=data)


def article_keyboard(article: Article, *, has_next: bool) -> InlineKeyboardMarkup:
    """Full text, Next (the next older article) and Share (inline mode, any chat)."""
    row = [button(pgettext("button", "📄 Full text"), f"full:{article.id}")]
    if has_next:
        row.append(button(pgettext("button", "Next ›"), f"next:{article.id}"))
    share = InlineKeyboardButton(
        clip(pgettext("button", "↗ Share"), BUTTON_LABEL), switch_inline_query=str(article.id)
    )
    return InlineKeyboardMarkup([row, [share]])


def pages_keyboard(article_id: int, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """« first, ‹ previous, "Page N of M" (pressing it shows the page again), › next, » last:
    only those that lead somewhere; none for a single page."""
    if pages <= 1:
        return None
    row = []
    if page > 1:
        row += [button("«", f"page:{article_id}:1"), button("‹", f"page:{article_id}:{page - 1}")]
    row.append(button(_(PAGE_LABEL).format(page=page, pages=pages), f"page:{article_id}:{page}"))
    if page < pages:
        row += [
            button("›", f"page:{article_id}:{page + 1}"),
            button("»", f"page:{article_id}:{pages}"),
        ]
    return InlineKeyboardMarkup([row])


def list_keyboard(
    articles: Sequence[Article], *, page_data: str, offset: int, has_more: bool
) -> InlineKeyboardMarkup:
    """One headline a row, then « Newer / Older » paging; page_data is 'latest' or 's:<key>'."""
    rows = [[button(headline_label(a), f"read:{a.id}")] for a in articles]
    nav = []
    if offset > 0:
        nav.append(
            button(pgettext("button", "« Newer"), f"{page_data}:{max(offset - PAGE_SIZE, 0)}")
        )
    if has_more:
        nav.append(button(pgettext("button", "Older »"), f"{page_data}:{offset + PAGE_SIZE}"))
    return InlineKeyboardMarkup([*rows, nav] if nav else rows)


def publish_keyboard(*, editing: bool) -> InlineKeyboardMarkup:
    """Under an admin's preview: publish (or save), edit a field, cancel."""
    first = (
        [
            button(pgettext("button", "✅ Save changes"), "post:publish"),
            button(pgettext("button", "📝 Save as a correction"), "post:correct"),
        ]
        if editing
        else [
            button(pgettext("button", "✅ Publish"), "post:publish"),
            button(pgettext("button", "📣 Publish and notify"), "post:notify"),
        ]
    )
    return InlineKeyboardMarkup(
        [
            first,
            [
                button(pgettext("button", "✏ Edit a field"), "post:edit"),
                button(pgettext("button", "✖ Cancel"), "post:cancel"),
            ],
        ]
    )


def fields_keyboard(fields: dict[str, str]) -> InlineKeyboardMarkup:
    """Which field of the draft to change (labels translated already)."""
    rows = [[button(label.capitalize(), f"post:field:{name}")] for name, label in fields.items()]
    return InlineKeyboardMarkup([*rows, [button(pgettext("button", "✖ Cancel"), "post:cancel")]])


def view_keyboard(article_id: int) -> InlineKeyboardMarkup:
    """A button to see an article as readers do."""
    label = pgettext("button", "👁 View article {id}").format(id=article_id)
    return InlineKeyboardMarkup([[button(label, f"read:{article_id}")]])


def confirm_keyboard(data: str, *, yes: str = "") -> InlineKeyboardMarkup:
    """Yes / No for a destructive action; `data` + ':yes' or ':no' (`yes` translated already;
    none: "Yes, delete")."""
    yes = yes or pgettext("button", "Yes, delete")
    no = pgettext("button", "No")
    return InlineKeyboardMarkup([[button(yes, f"{data}:yes"), button(no, f"{data}:no")]])


def start_keyboard() -> InlineKeyboardMarkup:
    """The welcome's buttons."""
    return InlineKeyboardMarkup(
        [
            [
                button(pgettext("button", "📰 Latest news"), "latest:0"),
                button(pgettext("button", "🔔 Daily digest"), "set:time"),
            ]
        ]
    )
