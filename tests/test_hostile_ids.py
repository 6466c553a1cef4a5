"""Forged button data and ids SQLite can't hold: every lookup by id answers "not found"
(never OverflowError, never the apology of a crash), and only ASCII digits are ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import SORRY
from bot.render import STALE_BUTTON
from standin import TelegramUser
from summaries.article_summary import add_article
from summaries.corrections import Corrections
from summaries.errors import ArticleNotFoundError, OutletNotFoundError, SourceNotFoundError
from summaries.models import Draft
from summaries.outlets import Outlets
from summaries.sources import Sources
from summaries.store import ArticleStore
from tests.helpers.harness import ADMIN_ID, Harness
from tests.helpers.samples import BODY

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
HUGE = "9" * 23  # over 2**63 - 1: SQLite can't bind it
TOO_BIG = [2**63, 10**23, -(2**63) - 1]


async def press(harness: Harness, user: TelegramUser, data: str) -> str | None:
    """Press a button with `data` under the user's last message; the press's answer."""
    message = harness.tg.last_message(user.id)
    update = harness.tg.updates.callback_query(user.json, message.json, data)
    harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
    answered = len(harness.tg.successful("answerCallbackQuery"))
    await harness.feed(update)
    answers = harness.tg.successful("answerCallbackQuery")[answered:]
    assert len(answers) == 1, data  # answered once, never left spinning
    text = answers[0].params.get("text")
    return None if text is None else str(text)


def apologies(harness: Harness) -> list[str]:
    return [m.text or "" for m in harness.tg.bot_messages(ADMIN_ID) if m.text == SORRY]


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        (f"out:pause:{HUGE}:0", f"Outlet {HUGE} no longer exists. Send /channels for the list."),
        (f"out:resume:{HUGE}:0", f"Outlet {HUGE} no longer exists. Send /channels for the list."),
        (f"out:rm:{HUGE}", f"Outlet {HUGE} no longer exists. Send /channels for the list."),
        (f"out:rm:{HUGE}:yes", f"Outlet {HUGE} no longer exists. Send /channels for the list."),
        (f"src:poll:{HUGE}:0", f"Source {HUGE} no longer exists. Send /sources for the list."),
        (f"src:pause:{HUGE}:0", f"Source {HUGE} no longer exists. Send /sources for the list."),
        (f"src:resume:{HUGE}:0", f"Source {HUGE} no longer exists. Send /sources for the list."),
        (f"src:rm:{HUGE}", f"Source {HUGE} no longer exists. Send /sources for the list."),
        (f"src:rm:{HUGE}:no", f"Source {HUGE} no longer exists. Send /sources for the list."),
    ],
)
async def test_an_admins_forged_press_with_a_huge_id_is_not_found(
    harness: Harness, data: str, answer: str
) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/channels"))
    assert await press(harness, admin, data) == answer
    assert apologies(harness) == []


@pytest.mark.parametrize(
    "data", [f"full:{HUGE}", f"page:{HUGE}:1", f"read:{HUGE}", f"next:{HUGE}", f"del:{HUGE}:yes",
             f"latest:{HUGE}", f"out:page:{HUGE}", f"src:page:{HUGE}"],
)  # fmt: skip
async def test_other_buttons_with_a_huge_id_do_not_crash(harness: Harness, data: str) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/channels"))
    await press(harness, admin, data)
    assert apologies(harness) == []


@pytest.mark.parametrize("digit", ["١", "５", "𝟏"])
async def test_only_ascii_digits_are_ids_in_button_data(harness: Harness, digit: str) -> None:
    """'out:pause:١:0' is no button the bot made: it is stale, and outlet 1 keeps posting."""
    admin = harness.tg.user(ADMIN_ID)
    harness.services.outlets.add(-1001, now=NOW, kind="channel", title="News")
    harness.services.sources.add("https://example.com/feed", name="Feed", now=NOW)
    await harness.feed(admin.sends("/channels"))
    for data in [f"out:pause:{digit}:0", f"out:rm:{digit}:yes", f"src:pause:{digit}:0"]:
        assert await press(harness, admin, data) == STALE_BUTTON
    assert harness.services.outlets.get(1).active
    assert not harness.services.sources.get(1).paused


@pytest.mark.parametrize("number", TOO_BIG)
def test_store_lookups_by_an_id_out_of_range_find_nothing(
    store: ArticleStore, number: int
) -> None:
    outlets, sources, corrections = Outlets(store.db), Sources(store.db), Corrections(store.db)
    for lookup in (
        outlets.get,
        lambda n: outlets.pause(n, "admin", now=NOW),
        lambda n: outlets.resume(n, now=NOW),
        lambda n: outlets.remove(n, now=NOW),
    ):
        with pytest.raises(OutletNotFoundError):
            lookup(number)
    for source_call in (
        sources.get,
        sources.pause,
        sources.remove,
        lambda n: sources.resume(n, now=NOW),
    ):
        with pytest.raises(SourceNotFoundError):
            source_call(number)
    for article_call in (store.get, store.get_any, lambda n: store.delete(n, now=NOW)):
        with pytest.raises(ArticleNotFoundError):
            article_call(number)
    with pytest.raises(ArticleNotFoundError):
        corrections.mark(number, "Changed the date.", None, now=NOW)
    assert store.photo(number) is None
    assert store.is_deleted(number) is False
    assert corrections.get(number) is None
    article = add_article(store, Draft(title="Story", body=BODY, published_at=NOW), now=NOW)
    assert outlets.record_arrival(number, 5, article.id, now=NOW) is False
