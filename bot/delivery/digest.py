"""What a digest holds: how many articles, and the notice when none is new.

The daily round (bot/digest_round.py) and /digest (bot/handlers/subscriptions.py) both send
digests, so both take these from here rather than from each other.
"""

from __future__ import annotations

from bot.render import digest as render_digest
from bot.services import Services
from summaries.models import Subscription

ARTICLES = 8


def nothing_new_notice(
    svc: Services, sub: Subscription, until_id: int, *, see_latest: bool = False
) -> str:
    """Why the reader's digest has nothing: their topics (if other news came), or the news."""
    other_news = bool(sub.topics) and bool(svc.store.new_articles(sub.seen_id, until_id, (), 1))
    since = "digest" if svc.deliveries.had_digest(sub.chat_id) else "subscribed"
    return render_digest.nothing_new(
        sub.topics, other_news=other_news, since=since, see_latest=see_latest
    )
