"""The refusals of the hostile trial's fixes come in the admin's language (the CLI's stay
English): /channel's stray word, a thread id out of range, /source's second word, a
correction note readers can't be sent."""

from __future__ import annotations

from datetime import UTC, datetime

from summaries.article_summary import add_article
from summaries.corrections import Corrections
from summaries.models import Draft
from tests.helpers.harness import ADMIN_ID, Harness
from tests.helpers.samples import BODY

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


async def test_channel_and_source_refusals_in_german(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID, language_code="de")
    harness.tg.channel("Harbour News", username="harbournews")
    await harness.feed(admin.sends("/channel @harbournews topic: economy"))
    assert admin.last.text == (
        "Nicht hinzugefügt: 'topic:' gehört nicht zu /channel (meintest du topics:?): schreib es "
        "so: /channel @name [topics: a, b] [thread: ID]."
    )
    await harness.feed(admin.sends("/channel @harbournews thread: ٣"))
    assert admin.last.text == (
        "Nicht hinzugefügt: '٣' ist keine Thread-ID: die Nummer eines Forumsthemas, von 1 bis "
        "2147483647."
    )
    await harness.feed(admin.sends("/source https://example.com/a.xml https://example.com/b"))
    assert admin.last.text == (
        "Nicht hinzugefügt: 'https://example.com/b' gehört nicht zu /source: schick eine "
        "einzige Adresse, wie in /source URL."
    )
    assert harness.services.outlets.all() == []
    assert harness.services.sources.all() == []


async def test_a_refused_correction_note_in_russian(harness: Harness) -> None:
    russian = harness.tg.user(ADMIN_ID, language_code="ru")
    await harness.feed(russian.sends("/help"))  # the language is stored at first sight
    article_id = add_article(
        harness.store, Draft("Bridge", BODY, published_at=NOW), now=harness.services.clock()
    ).id
    await harness.feed(russian.sends(f"/edit {article_id}"))
    await harness.feed(russian.presses("post:edit"))  # the buttons' data: their words are Russian
    await harness.feed(russian.presses("post:field:title"))
    await harness.feed(russian.sends("Tunnel"))
    await harness.feed(russian.presses("post:correct"))
    await harness.feed(russian.sends("строка 1\nстрока 2"))
    assert russian.last.text == "Отправьте исправление одной строкой, без переносов строки."
    assert Corrections(harness.store.db).open_corrections() == []
