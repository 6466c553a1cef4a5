"""Summaries are the domain's: made by the summarizer it is given, filed by the store, and made
off the event loop wherever a handler waits for one."""

from __future__ import annotations

import ast
import dataclasses
import json
import threading

import pytest

from summaries import article_summary
from summaries.article_summary import add_article, summary_of, update_article
from summaries.errors import InvalidArticleError, SummaryError
from summaries.models import Draft, utc_now
from summaries.store import ArticleStore
from tests.helpers.harness import ADMIN_ID, READER_ID, Harness
from tests.helpers.samples import BODY, ROOT


class Stub:
    """A summarizer with summarize()'s signature that says who called it, and from where."""

    def __init__(self, *sentences: str) -> None:
        self.sentences = list(sentences)
        self.threads: list[threading.Thread] = []

    def __call__(
        self,
        text: str,
        *,
        title: str = "",
        sentences: int | None = None,
        chars: int | None = None,
        method: str = "news",
        language: str = "english",
    ) -> list[str]:
        self.threads.append(threading.current_thread())
        if not self.sentences:
            raise SummaryError("nothing to say")
        return self.sentences[: sentences or 3]


def stored(store: ArticleStore, article_id: int) -> list[list[str]]:
    rows = store.db.execute("SELECT summary FROM summaries WHERE article_id = ?", [article_id])
    return [json.loads(summary) for (summary,) in rows.fetchall()]


STORAGE = ("store", "opening", "article_queries", "article_writes", "summary_cache")


@pytest.mark.parametrize("name", STORAGE)
def test_the_store_does_not_summarize(name: str) -> None:
    tree = ast.parse((ROOT / "summaries" / f"{name}.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for a in node.names}  # fmt: skip
    assert "summaries.summarize" not in imported
    assert "summaries.article_summary" not in imported


def test_the_summarizer_given_is_the_one_stored(store: ArticleStore) -> None:
    stub = Stub("Stub one.", "Stub two.")
    article = add_article(store, Draft(title="Bridge", body=BODY), stub, now=utc_now())
    assert stored(store, article.id) == [["Stub one.", "Stub two."]]
    assert summary_of(store, article.id, stub) == ["Stub one.", "Stub two."]
    assert len(stub.threads) == 1  # the second time it came from the store
    other = Stub("Another.")
    assert summary_of(store, article.id, other, sentences=1) == ["Another."]
    update_article(store, article.id, body=BODY + " More.", summarizer=other, now=utc_now())
    assert stored(store, article.id) == [["Another."]]  # the stale ones went


def test_a_body_the_summarizer_refuses_is_not_stored(store: ArticleStore) -> None:
    with pytest.raises(InvalidArticleError, match="cannot be summarized: nothing to say"):
        add_article(store, Draft(title="Bridge", body=BODY), Stub(), now=utc_now())
    assert store.count() == 0


def test_an_edit_leaving_the_text_asks_no_summarizer(store: ArticleStore) -> None:
    article = add_article(store, Draft(title="Bridge", body=BODY), Stub("Kept."), now=utc_now())
    update_article(
        store, article.id, url="https://example.org/b", summarizer=Stub(), now=utc_now()
    )
    assert stored(store, article.id) == [["Kept."]]


async def test_publishing_and_reading_summarize_off_the_event_loop(harness: Harness) -> None:
    stub = Stub("Made in a worker thread.")
    harness.app.bot_data["services"] = dataclasses.replace(harness.services, summarizer=stub)
    admin = harness.tg.user(ADMIN_ID, "Editor")
    for step in ("/post", "Bridge approved", BODY, "/done", "/skip", "/skip"):
        await harness.feed(admin.sends(step))
    await harness.feed(admin.presses("✅ Publish"))
    [article] = harness.store.latest()
    assert stored(harness.store, article.id) == [["Made in a worker thread."]]
    harness.store.db.execute("DELETE FROM summaries")  # so reading has to make it again
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article.id}"))
    assert "Made in a worker thread." in (reader.last.text or "")
    loop_thread = threading.current_thread()  # the test runs on the bot's event loop
    assert len(stub.threads) == 3  # the preview, the publishing and the reading
    assert loop_thread not in stub.threads
    assert article_summary.cached(harness.store, article) == ["Made in a worker thread."]
