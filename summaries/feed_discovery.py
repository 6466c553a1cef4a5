"""Finding a page's feeds: the `<link rel="alternate">` tags that name RSS, Atom or JSON Feed.

So an admin can give a site's home page, not only its feed's address. The standard library's
HTML parser is used: it never gives up on broken markup, and it reads the tags as a browser
reads them (attribute names in any case, values quoted or not).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)


class _LinkFinder(HTMLParser):
    """Collects feed hrefs as written, and the document's first <base href>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "").strip() for name, value in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        elif tag == "link" and _is_feed_link(values):
            self.hrefs.append(values["href"])


def _is_feed_link(values: dict[str, str]) -> bool:
    rel = values.get("rel", "").lower().split()
    kind = values.get("type", "").split(";")[0].strip().lower()
    return "alternate" in rel and kind in FEED_TYPES and bool(values.get("href"))


def feed_links(html: str, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the page's feeds, in document order, each once.

    Relative hrefs are resolved against the page's <base href> (itself resolved against
    `base_url`, as browsers do), or against `base_url`.
    """
    finder = _LinkFinder()
    finder.feed(html)
    finder.close()
    base = urljoin(base_url, finder.base) if finder.base else base_url
    found: list[str] = []
    for href in finder.hrefs:
        url = urljoin(base, href)
        if urlsplit(url).scheme in {"http", "https"} and url not in found:
            found.append(url)
    return found
