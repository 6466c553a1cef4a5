"""A channel has no reader to ask its language: its posts speak the story's (a German
article's post reads "Im Bot lesen"), and English when newsbot has no catalog for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.i18n import of_article
from bot.outlet_poster import OutletPoster
from summaries.article_summary import add_article
from summaries.models import Draft
from tests.helpers.clock import Clock
from tests.helpers.harness import Harness, running_harness
from tests.helpers.samples import BODY, PNG

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
GERMAN = (
    "Der Stadtrat hat am Dienstag den Bau der neuen Brücke beschlossen. Die Arbeiten sollen im "
    "Frühjahr beginnen und zwei Jahre dauern. Die Kosten liegen bei rund 3,5 Millionen Euro."
)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Harness]:
    async for running in running_harness(tmp_path / "news.db", rate_limit=False):
        running.set_clock(Clock(START))
        yield running


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("german", "de"),
        ("portuguese", "pt_BR"),
        ("ukrainian", "uk"),
        ("english", "en"),
        ("finnish", "en"),
        ("swahili", "en"),
    ],
)
def test_an_articles_language_names_its_catalog(name: str, code: str) -> None:
    assert of_article(name) == code


async def test_a_german_story_is_posted_in_german(app: Harness) -> None:
    channel = app.tg.channel("Nachrichten")
    app.services.outlets.add(channel.id, now=START, kind="channel")
    for title, body, language in [
        ("Stadtrat beschließt neue Brücke", GERMAN, "german"),
        ("Council votes for the bridge", BODY, "english"),
    ]:
        draft = Draft(title, body, photo=PNG, photo_credit="dpa", language=language,
                      published_at=START)  # fmt: skip
        add_article(app.store, draft, now=START)
    await OutletPoster(app.services, owner="test").run_round(app.app.bot)
    german, english = sorted(channel.bot_posts, key=lambda m: m.message_id)
    assert german.buttons[0]["text"] == "📖 Im Bot lesen"
    assert "Foto: dpa" in (german.caption or "")
    assert english.buttons[0]["text"] == "📖 Read in the bot"
    assert "Photo: dpa" in (english.caption or "")
