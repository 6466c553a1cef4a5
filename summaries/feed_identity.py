"""What makes two feed items one: a link spelled one way, and hashes of their text.

Feeds tag their links for analytics and spell them loosely; without one spelling, the same
story would come in again as a new article each time the tags change.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

from summaries.articles import normalize_url

# Query parameters that only say who sent the reader, never which page: dropped. utm_* too.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref_src",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
    }
)


def _is_tracking(pair: str) -> bool:
    name = pair.partition("=")[0].lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def canonical_link(url: str) -> str:
    """The one spelling of a story's link: normalize_url's (scheme and host case, fragment,
    default port), without tracking parameters or a trailing slash on the path. The other
    query parameters stay as written, in their order: they can name another page."""
    url = normalize_url(url)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return url
    kept = [pair for pair in parts.query.split("&") if pair and not _is_tracking(pair)]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "&".join(kept), ""))


def _digest(*fields: str) -> str:
    return hashlib.sha256("\0".join(fields).encode()).hexdigest()


def text_hash(title: str, body: str) -> str:
    """An item's identity when it has neither guid nor link: its words, spacing aside."""
    return _digest(" ".join(title.split()), " ".join(body.split()))


def content_hash(title: str, body: str, photo_url: str | None) -> str:
    """What an item's article was last made from: when it differs, the article is updated."""
    return _digest(title, body, photo_url or "")
