"""A web page's article as a draft: headline, main text and lead image, by trafilatura.

trafilatura is a well-kept extraction library (boilerplate removal, metadata, og:image) that
beats anything we would write; this module only turns its result into our fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from summaries.errors import InvalidArticleError
from summaries.tokenizer import is_headline

MIN_TEXT = 200  # characters: less is a teaser, a paywall or a page that is not an article


@dataclass(frozen=True, slots=True)
class Extracted:
    """What the page holds, before validation."""

    title: str
    body: str
    image_url: str | None
    language: str | None  # the page's own language code (html lang, meta), if it says
    published: datetime | None = None  # the page's publication time, if it gives one


# htmldate's settings: the page's own dates (meta tags, JSON-LD, <time>), the URL's only as a
# last resort (by default a /2019/01/02/ in the URL wins over the page's published_time), and
# no guessing from dates in the text.
_DATE_SETTINGS = {
    "original_date": True,
    "extensive_search": False,
    "deferred_url_extractor": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}
_LANGUAGE_PLACES = (
    "/html/@lang",
    "/html/@*[name()='xml:lang']",  # the HTML parser keeps it as a plain attribute
    "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
    "='content-language']/@content",
    "//meta[@property='og:locale']/@content",
)


def extract_article(html: str, url: str, *, now: datetime) -> Extracted:
    """The article of an HTML page; InvalidArticleError when the page has none.

    A publication time after `now` is ignored (a page can't have been published later).
    """
    import trafilatura  # heavy (lxml and friends): loaded when a page is actually read

    tree = trafilatura.load_html(html)  # parsed once: trafilatura works on a copy
    # A day on: given today, htmldate drops the time of a page dated today (it is midnight
    # then). A time after `now` is refused by _published.
    latest = f"{now + timedelta(days=1):%Y-%m-%d}"
    document: Any = trafilatura.bare_extraction(  # a Document (attributes), as_dict=False
        html if tree is None else tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        as_dict=False,
        date_extraction_params={**_DATE_SETTINGS, "max_date": latest},
    )
    if document is None or not (document.text or "").strip():
        raise InvalidArticleError("I found no article on that page", code="no-article")
    title = " ".join((document.title or "").split())
    lines = [line.strip() for line in (document.text or "").splitlines()]
    if lines and title and is_headline(lines[0], title):  # the headline again, as the text's
        lines = lines[1:]  # first line
    body = "\n\n".join(line for line in lines if line)
    if not title:
        raise InvalidArticleError("that page has no headline I can find", code="no-headline")
    if len(body) < MIN_TEXT:
        raise InvalidArticleError(
            f"that page has only {len(body)} characters of text; it doesn't look like an article",
            code="too-little-text",
            length=len(body),
        )
    image = urljoin(url, document.image) if document.image else None
    language = _declared_language(tree) or document.language
    return Extracted(title, body, image, language, _published(document.date, now))


def _declared_language(tree: Any) -> str | None:
    """The language the page declares: <html lang>, Content-Language, og:locale."""
    if tree is None:
        return None
    for place in _LANGUAGE_PLACES:
        found = [str(value).strip() for value in tree.xpath(place) if str(value).strip()]
        if found:
            return found[0]
    return None


def _published(date: str | None, now: datetime) -> datetime | None:
    """htmldate's answer as an aware time (UTC when it has no offset); None if after `now`."""
    if not date:
        return None
    try:
        moment = datetime.fromisoformat(date)
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment if moment <= now else None
