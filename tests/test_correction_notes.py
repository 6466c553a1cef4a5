"""A correction note is one short visible line, checked in the domain: the CLI and the
chat's "Save as a correction" refuse the same notes, each with its own reason, and then
nothing is stored, nothing edited and no reader is told."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from summaries.article_summary import add_article
from summaries.corrections import Corrections
from summaries.errors import InvalidArticleError
from summaries.models import Draft
from summaries.store import ArticleStore
from tests.helpers.cli import newsbot_here
from tests.helpers.harness import Harness, edit_field
from tests.helpers.samples import BODY

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
# note, what the domain and the CLI say, what the chat says
BAD_NOTES = [
    (
        "line1\nline2",
        "a correction note is one line: write it without line breaks",
        "Send the correction as one line, without line breaks.",
    ),
    (
        "line1\u2028line2",
        "a correction note is one line: write it without line breaks",
        "Send the correction as one line, without line breaks.",
    ),
    (
        "a\x07b",
        "a correction note can't hold control characters or direction overrides (U+0007): "
        "write it as plain text",
        "The note holds a control character or a direction override (U+0007). Send it as "
        "plain text, in one line.",
    ),
    (
        "The date \u202eyadseuT was wrong",
        "a correction note can't hold control characters or direction overrides (U+202E): "
        "write it as plain text",
        "The note holds a control character or a direction override (U+202E). Send it as "
        "plain text, in one line.",
    ),
    (
        "\u200b\u2060\u3164",
        "a correction note needs visible text: say what changed in words",
        "The note shows no text. Say in words what changed, in one line.",
    ),
    (
        "x" * 501,
        "a correction note is at most 500 characters, this one has 501: say what changed in "
        "one short line",
        "The note has 501 characters; a correction note has at most 500. Send a shorter line.",
    ),
]
NOTES = [pytest.param(note, said, chat, id=said[:30]) for note, said, chat in BAD_NOTES]


@pytest.mark.parametrize(("note", "said", "chat"), NOTES)
def test_the_domain_refuses_a_note_readers_cannot_be_sent(
    store: ArticleStore, note: str, said: str, chat: str
) -> None:
    article_id = add_article(store, Draft("Bridge", BODY, published_at=NOW), now=NOW).id
    corrections = Corrections(store.db)
    with pytest.raises(InvalidArticleError) as refused:
        corrections.mark(article_id, note, "7", now=NOW)
    assert str(refused.value) == said
    assert corrections.open_corrections() == []


def test_a_note_of_500_characters_in_any_script_is_kept_whole(store: ArticleStore) -> None:
    article_id = add_article(store, Draft("Bridge", BODY, published_at=NOW), now=NOW).id
    corrections = Corrections(store.db)
    for note in ["ä" * 500, "  Die Abstimmung war am Dienstag.  ", "Дата: вторник 🙂", "٣ مايو"]:
        found = corrections.get(corrections.mark(article_id, note, "7", now=NOW))
        assert found is not None
        assert found.note == note.strip()


@pytest.mark.parametrize(("note", "said", "chat"), NOTES)
def test_the_cli_refuses_it_and_changes_nothing(
    tmp_path: Path, note: str, said: str, chat: str
) -> None:
    db = tmp_path / "news.db"
    store = ArticleStore.open(db)
    article_id = add_article(store, Draft("Bridge", BODY, published_at=NOW), now=NOW).id
    store.close()
    done = newsbot_here("edit", str(article_id), "--title", "Tunnel", "--correction", note, db=db)
    assert done.returncode == 2
    assert done.stderr == (
        f"Error: Invalid value for '--correction': {said} (see 'newsbot edit --help')\n"
    )
    store = ArticleStore.open(db)
    assert store.get(article_id).title == "Bridge"  # the edit is not half done
    assert Corrections(store.db).open_corrections() == []
    store.close()


@pytest.mark.parametrize(("note", "said", "chat"), NOTES)
async def test_the_chat_refuses_it_and_asks_again(
    harness: Harness, note: str, said: str, chat: str
) -> None:
    article_id = add_article(
        harness.store, Draft("Bridge", BODY, published_at=NOW), now=harness.services.clock()
    ).id
    admin = await edit_field(harness, article_id, "Headline")
    await harness.feed(admin.sends("Tunnel"))
    await harness.feed(admin.presses("📝 Save as a correction"))
    await harness.feed(admin.sends(note))
    assert admin.last.text == chat
    assert harness.store.get(article_id).title == "Bridge"
    assert Corrections(harness.store.db).open_corrections() == []
    await harness.feed(admin.sends("It is a tunnel, not a bridge."))  # asked again: accepted
    assert harness.store.get(article_id).title == "Tunnel"
    [correction] = Corrections(harness.store.db).open_corrections()
    assert correction.note == "It is a tunnel, not a bridge."
