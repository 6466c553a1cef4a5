"""A web page's article as a draft: headline, main text and lead image, by trafilatura.

trafilatura is a well-kept extraction library (boilerplate removal, metadata, og:image) that
beats anything we would write; this module only turns its result into our fields.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    language: str | None  # the page's own two-letter code, if it says


def extract_article(html: str, url: str) -> Extracted:
    """The article of an HTML page; InvalidArticleError when the page has none."""
    import trafilatura  # heavy (lxml and friends): loaded when a page is actually read

    document: Any = trafilatura.bare_extraction(  # a Document (attributes), as_dict=False
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        as_dict=False,
    )
    if document is None or not (document.text or "").strip():
        raise InvalidArticleError("I found no article on that page")
    title = " ".join((document.title or "").split())
    lines = [line.strip() for line in (document.text or "").splitlines()]
    if lines and title and is_headline(lines[0], title):  # the headline again, as the text's
        lines = lines[1:]  # first line
    body = "\n\n".join(line for line in lines if line)
    if not title:
        raise InvalidArticleError("that page has no headline I can find")
    if len(body) < MIN_TEXT:
        raise InvalidArticleError(
            f"that page has only {len(body)} characters of text; it doesn't look like an article"
        )
    image = urljoin(url, document.image) if document.image else None
    return Extracted(title, body, image, document.language)
