"""What a digest holds: which articles, their summaries, and the notice when none is new.

The daily round (bot/digest_round.py) and /digest (bot/handlers/digest_settings.py) both send
digests, so both choose and render them here rather than each by hand: one reader, one
`until_id`, one digest, whichever sends it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from telegram import InlineKeyboardMarkup

from bot.render import digest as render_digest
from bot.services import Services
from summaries.models import Article, Subscription

ARTICLES = 8
SENTENCES = 2  # of each article's summary
Messages = list[tuple[str, InlineKeyboardMarkup | None]]


def digest_articles(
    svc: Services, seen_id: int, topics: tuple[str, ...], until_id: int
) -> list[Article]:
    """The digest's articles: up to ARTICLES that came after `seen_id` and up to `until_id`
    (a snapshot, so a round's readers share one), on the reader's topics if any."""
    return svc.store.new_articles(seen_id, until_id, topics, ARTICLES)


async def digest_messages(
    svc: Services, found: list[Article], zone: tzinfo, now: datetime
) -> Messages:
    """The digest of `found` (not empty), each with its summary (made off the event loop),
    dated in the reader's zone."""
    items = [(article, await svc.summary(article, sentences=SENTENCES)) for article in found]
    return render_digest.digest_messages(items, zone, now)


def nothing_new_notice(
    svc: Services, sub: Subscription, until_id: int, *, see_latest: bool = False
) -> str:
    """Why the reader's digest has nothing: their topics (if other news came), or the news."""
    other_news = bool(sub.topics) and bool(svc.store.new_articles(sub.seen_id, until_id, (), 1))
    since = "digest" if svc.deliveries.had_digest(sub.chat_id) else "subscribed"
    return render_digest.nothing_new(
        sub.topics, other_news=other_news, since=since, see_latest=see_latest
    )
