"""Every question the bot leaves open can be cancelled, and /cancel says what stays."""

from __future__ import annotations

import pytest

from summaries.article_summary import add_article
from summaries.models import Draft
from tests.helpers.harness import ADMIN_ID, READER_ID, Harness
from tests.helpers.samples import BODY


async def test_cancel_closes_the_forget_confirmation(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 8:00 Berlin"))
    await harness.feed(reader.sends("/forget"))
    assert "/cancel" in (reader.last.text or "")
    await harness.feed(reader.sends("/cancel"))
    assert reader.last.text == "Cancelled: nothing was deleted."
    with pytest.raises(LookupError):  # its buttons are gone: a late press can't delete
        reader.presses("Yes, forget me")
    assert harness.services.subscriptions.get(READER_ID) is not None
    await harness.feed(reader.sends("/cancel"))
    assert reader.last.text == "Nothing to cancel."
    await harness.feed(reader.sends("/forget"))
    await harness.feed(reader.presses("No"))
    await harness.feed(reader.sends("/cancel"))  # answered by its button: nothing open
    assert reader.last.text == "Nothing to cancel."
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_cancel_closes_the_time_picker(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe"))
    await harness.feed(reader.sends("/cancel"))
    assert reader.last.text == (
        "Cancelled: no digest was set up. Send /subscribe when you want one."
    )
    with pytest.raises(LookupError):
        reader.presses("08:00")
    assert harness.services.subscriptions.get(READER_ID) is None
    await harness.feed(reader.sends("/subscribe 7:30 Berlin"))
    await harness.feed(reader.presses("🕗 Change time"))
    await harness.feed(reader.sends("/cancel"))
    assert reader.last.text == "Cancelled: your digest keeps its time."
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert f"{sub.time_of_day:%H:%M}" == "07:30"
    await harness.feed(reader.presses("🕗 Change time"))
    await harness.feed(reader.presses("09:00"))
    await harness.feed(reader.sends("/cancel"))  # the picker was answered
    assert reader.last.text == "Nothing to cancel."
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_cancel_closes_the_delete_confirmation(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Staying", body=BODY), now=harness.services.clock()
    )
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends(f"/delete {article.id}"))
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == f"Cancelled: article {article.id} is kept."
    with pytest.raises(LookupError):
        admin.presses("Yes, delete")
    assert harness.store.get(article.id).title == "Staying"


async def test_topics_without_a_time_open_the_picker_and_are_kept(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe topics: trains"))
    assert (reader.last.text or "").startswith("Topics: trains. When should your daily digest")
    await harness.feed(reader.presses("08:00"))
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert (f"{sub.time_of_day:%H:%M}", sub.topics) == ("08:00", ("trains",))
    assert "Topics: trains" in (reader.last.text or "")


async def test_topics_before_any_digest_wait_for_the_time(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/topics rail, climate"))
    assert (reader.last.text or "").startswith("Topics: rail, climate. When should")
    await harness.feed(reader.sends("/subscribe 7:00 Berlin"))  # typed instead of picked
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert sub.topics == ("rail", "climate")


async def test_cancel_drops_topics_waiting_for_a_time(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe topics: trains"))
    await harness.feed(reader.sends("/cancel"))
    await harness.feed(reader.sends("/subscribe 8:00 Berlin"))
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert sub.topics == ()


async def test_subscribe_with_an_empty_or_all_topics_says_what_happened(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 08:00 Europe/Berlin topics: rail"))
    await harness.feed(reader.sends("/subscribe 09:00 Europe/Berlin topics:"))
    assert (reader.last.text or "").startswith("Nothing changed: 'topics:' needs topics")
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert (f"{sub.time_of_day:%H:%M}", sub.topics) == ("08:00", ("rail",))
    await harness.feed(reader.sends("/subscribe 08:00 topics: all"))  # as /topics all does
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert sub.topics == ()
    assert "Topics: all news" in (reader.last.text or "")


async def test_the_topics_question_says_how_to_stop_and_cancel_keeps_them(
    harness: Harness,
) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe 8:00 Berlin topics: rail"))
    await harness.feed(reader.sends("/topics"))
    assert "/cancel" in (reader.last.text or "")
    await harness.feed(reader.sends("/cancel"))
    assert reader.last.text == "Cancelled: your topics stay as they were."
    sub = harness.services.subscriptions.get(READER_ID)
    assert sub is not None
    assert sub.topics == ("rail",)


async def test_a_time_picked_instead_of_a_zone_closes_the_zone_question(
    harness: Harness,
) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/subscribe"))
    await harness.feed(reader.presses("🌍 Europe/Berlin (change)"))
    await harness.feed(reader.presses("08:00"))  # changed their mind: the zone shown is fine
    await harness.feed(reader.sends("bridge"))  # a search, not a time zone
    assert (reader.last.text or "").startswith(("Nothing found", "Search:"))


async def test_one_delete_answered_leaves_the_other_cancellable(harness: Harness) -> None:
    first = add_article(
        harness.store, Draft(title="First", body=BODY), now=harness.services.clock()
    )
    second = add_article(
        harness.store, Draft(title="Second", body=BODY), now=harness.services.clock()
    )
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends(f"/delete {first.id}"))
    asked_first = admin.last.message_id
    await harness.feed(admin.sends(f"/delete {second.id}"))
    await harness.feed(admin.presses("No", message_id=asked_first))
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == f"Cancelled: article {second.id} is kept."
