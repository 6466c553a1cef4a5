"""Full text, a page at a time: each page one message, turned with « ‹ Page N of M › ».

The pages are computed from the article alone, whenever a button asks for one: nothing is
stored per message, and a button from before an edit still gets the page it names, if any.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, MaybeInaccessibleMessage, Message
from telegram.constants import MessageLimit

from bot.i18n import N_, _
from bot.render import clip, esc, source_link, tg_len, visible
from bot.render.keyboards import pages_keyboard
from summaries.models import Article
from summaries.pages import paginate
from summaries.tokenizer import split_headline

TITLE_ON_PAGE = 1000
PAGE_GONE = N_(
    "The article is shorter now: page {wanted} is gone, so this is page {page} of {pages}."
)
PAGE_HERE_FIRST = N_("You are on page 1 of {pages}, the first; › turns to the next one.")
PAGE_HERE_LAST = N_("You are on page {page} of {pages}, the last; ‹ turns back.")
PAGE_HERE = N_("You are on page {page} of {pages}; ‹ and › turn the pages.")
ARTICLE_GONE = N_("Article {article_id} doesn't exist or was removed, so its pages are gone too.")


@dataclass(frozen=True, slots=True)
class Page:
    """One page as a message: HTML text, its buttons, which page it is and of how many;
    `link` is the source's address when the page ends with it."""

    text: str
    markup: InlineKeyboardMarkup | None
    number: int
    count: int
    link: str | None = None

    def shown_in(self, message: MaybeInaccessibleMessage | None) -> bool:
        """Whether `message` shows this page already (text, link and buttons): editing it
        would only earn Telegram's "message is not modified"."""
        if not isinstance(message, Message) or message.text != visible(self.text).strip():
            return False
        links = [entity.url for entity in message.entities if entity.url]
        return links == ([self.link] if self.link else []) and message.reply_markup == (
            self.markup or None
        )


def full_text_page(article: Article, wanted: int) -> Page:
    """Page `wanted` of the article's full text (the nearest one if there is no such page):
    the headline in bold above page 1, the source link below the last."""
    title = clip(article.title, TITLE_ON_PAGE)
    link = source_link(article.url) if article.url else ""
    _title, body = split_headline(article.body, article.title)  # the headline is shown once, above
    texts = paginate(
        body,
        MessageLimit.MAX_TEXT_LENGTH,
        language=article.language,
        head=tg_len(title) + 2 if title else 0,  # 2: the blank line after it
        tail=tg_len(visible(link)) + 2 if link else 0,
    )
    number = min(max(wanted, 1), len(texts))
    parts = [
        f"<b>{esc(title)}</b>" if number == 1 and title else "",
        esc(texts[number - 1]),
        link if number == len(texts) else "",
    ]
    text = "\n\n".join(part for part in parts if part)
    markup = pages_keyboard(article.id, number, len(texts))
    last = number == len(texts)
    return Page(text, markup, number, len(texts), article.url if last and link else None)


def page_gone(wanted: int, page: Page) -> str:
    """A button named a page the article no longer has: which one is shown instead."""
    return _(PAGE_GONE).format(wanted=wanted, page=page.number, pages=page.count)


def page_here(page: Page) -> str:
    """A press that leads to the page already shown (its own label, or an arrow pressed
    twice): where the reader is, and which arrows lead on, rather than silence."""
    if page.number == 1:
        return _(PAGE_HERE_FIRST).format(pages=page.count)
    template = PAGE_HERE_LAST if page.number == page.count else PAGE_HERE
    return _(template).format(page=page.number, pages=page.count)


def article_gone(article_id: int) -> str:
    """A page button of an article that was deleted."""
    return _(ARTICLE_GONE).format(article_id=article_id)
