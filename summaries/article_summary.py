"""Summaries of articles: computed here, by the summarizer a caller gives, and kept in the store.

The store only files summaries; what a summary depends on (the digest) and how it is made are
decided here. `compute` and `for_publishing` touch no store, so an adapter may run them in
another thread (off its event loop) and hand the result to the store from its own.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Protocol

from summaries.errors import InvalidArticleError, SummaryError
from summaries.models import Article, Draft, Summary
from summaries.store import ArticleStore
from summaries.summarize import DEFAULT_METHOD, DEFAULT_SENTENCES, RULES_VERSION, summarize


class Summarizer(Protocol):
    """What makes a summary: `summaries.summarize.summarize`'s signature."""

    def __call__(
        self,
        text: str,
        *,
        title: str = "",
        sentences: int | None = None,
        chars: int | None = None,
        method: str = DEFAULT_METHOD,
        language: str = "english",
    ) -> list[str]:
        """The best whole sentences of `text`."""
        ...


def source_digest(article: Article | Draft) -> str:
    """What a summary depends on: when this changes, stored summaries are stale."""
    source = f"{article.language}\0{article.title}\0{article.body}\0{RULES_VERSION}"
    return hashlib.sha256(source.encode()).hexdigest()


def compute(
    article: Article | Draft,
    summarizer: Summarizer = summarize,
    *,
    method: str = DEFAULT_METHOD,
    sentences: int = DEFAULT_SENTENCES,
) -> Summary:
    """The article's summary, made now (slow: no store is touched, so any thread may)."""
    made = summarizer(
        article.body,
        title=article.title,
        sentences=sentences,
        method=method,
        language=article.language,
    )
    return Summary(made, method, sentences, source_digest(article))


def for_publishing(draft: Draft, summarizer: Summarizer = summarize) -> Summary:
    """The default summary of a checked draft; InvalidArticleError if its body can't have one,
    so such an article is refused before it is stored."""
    try:
        return compute(draft, summarizer)
    except SummaryError as error:
        raise InvalidArticleError(
            f"the body cannot be summarized: {error}", code="not-summarizable"
        ) from None


def add_article(
    store: ArticleStore, draft: Draft, summarizer: Summarizer = summarize, *, now: datetime
) -> Article:
    """Validate, summarize and store a new article (the summary before the transaction)."""
    checked = store.checked(draft, now=now)
    return store.add(checked, for_publishing(checked, summarizer), now=now)


def update_article(
    store: ArticleStore,
    article_id: int,
    summarizer: Summarizer = summarize,
    *,
    now: datetime,
    expected_version: int | None = None,
    drop_photo: bool = False,
    **changes: Any,
) -> Article:
    """ArticleStore.update, with a new summary when the text changes."""
    source = text_to_summarize(store, article_id, now=now, drop_photo=drop_photo, **changes)
    summary = None if source is None else for_publishing(source, summarizer)
    return store.update(
        article_id,
        now=now,
        expected_version=expected_version,
        drop_photo=drop_photo,
        summary=summary,
        **changes,
    )


def text_to_summarize(
    store: ArticleStore,
    article_id: int,
    *,
    now: datetime,
    drop_photo: bool = False,
    **changes: Any,
) -> Draft | None:
    """The article as an edit leaves it, if the edit changes what its summary is made from;
    None if not. Validates the edit first (InvalidArticleError), so nothing slow is done for a
    refused one."""
    revised = store.revised(article_id, now=now, drop_photo=drop_photo, **changes)
    unchanged = source_digest(revised) == source_digest(store.get(article_id))
    return None if unchanged else revised


def cached(
    store: ArticleStore,
    article: Article,
    *,
    method: str = DEFAULT_METHOD,
    sentences: int = DEFAULT_SENTENCES,
) -> list[str] | None:
    """The article's summary kept in the store, if it is fresh."""
    return store.cached_summary(
        article.id, method=method, length=sentences, source_digest=source_digest(article)
    )


def summary_of(
    store: ArticleStore,
    article_id: int,
    summarizer: Summarizer = summarize,
    *,
    method: str = DEFAULT_METHOD,
    sentences: int = DEFAULT_SENTENCES,
) -> list[str]:
    """The article's summary, from the store when it is fresh, else computed and kept."""
    article = store.get(article_id)
    if (found := cached(store, article, method=method, sentences=sentences)) is not None:
        return found
    made = compute(article, summarizer, method=method, sentences=sentences)
    store.keep_summary(article.id, made)
    return made.sentences
