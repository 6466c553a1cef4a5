"""/cancel inside an admin's draft closes the question asked since, and a new draft says
which unfinished one it replaced."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from standin import TelegramUser
from summaries.article_summary import add_article
from summaries.models import Draft
from tests.helpers.harness import ADMIN_ID, Harness, edit_field
from tests.helpers.samples import BODY

STILL_OPEN = "Your draft is still open where you left it: carry on, or /cancel again to drop it."
LATE = "That question was cancelled: this button no longer does anything."


def late_press(harness: Harness, user: TelegramUser, message: dict[str, Any], data: str) -> Any:
    """A press under a message as the user's screen still shows it (its buttons not yet gone)."""
    update = harness.tg.updates.callback_query(user.json, message, data)
    with harness.tg.lock:
        harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
        return harness.tg.queue(update)


def last_alert(harness: Harness) -> str | None:
    answers = harness.tg.successful("answerCallbackQuery")
    return answers[-1].params.get("text") if answers else None


async def test_cancel_in_an_edit_closes_the_delete_confirmation(harness: Harness) -> None:
    edited = add_article(
        harness.store, Draft(title="Edited", body=BODY), now=harness.services.clock()
    )
    kept = add_article(harness.store, Draft(title="Kept", body=BODY), now=harness.services.clock())
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends(f"/edit {edited.id}"))
    await harness.feed(admin.sends(f"/delete {kept.id}"))
    assert "(/cancel keeps it.)" in (admin.last.text or "")
    confirmation = copy.deepcopy(admin.last.json)
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == f"Cancelled: article {kept.id} is kept.\n\n{STILL_OPEN}"
    with pytest.raises(LookupError):  # its buttons are gone
        admin.presses("Yes, delete")
    await harness.feed(late_press(harness, admin, confirmation, f"del:{kept.id}:yes"))
    assert last_alert(harness) == LATE
    assert harness.store.get(kept.id).title == "Kept"
    await harness.feed(admin.presses("✅ Save changes"))  # the draft was still open
    assert admin.last.text == (  # nothing in it was changed
        f"Article {edited.id} unchanged: the edit is what it already says."
    )
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_cancel_in_a_draft_closes_the_forget_confirmation(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/subscribe 08:00 Berlin"))
    await harness.feed(admin.sends("/post"))
    await harness.feed(admin.sends("My head"))
    await harness.feed(admin.sends("/forget"))
    confirmation = copy.deepcopy(admin.last.json)
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == f"Cancelled: nothing was deleted.\n\n{STILL_OPEN}"
    with pytest.raises(LookupError):
        admin.presses("Yes, forget me")
    await harness.feed(late_press(harness, admin, confirmation, "forget:yes"))
    assert last_alert(harness) == LATE
    assert harness.services.subscriptions.get(ADMIN_ID) is not None
    await harness.feed(admin.sends("Some text. More."))  # still at the text step
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == "Cancelled; nothing was stored."
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == "Nothing to cancel."


async def test_cancel_in_a_draft_closes_the_time_picker(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/post"))
    await harness.feed(admin.sends("My head"))
    await harness.feed(admin.sends("/subscribe"))
    picker = copy.deepcopy(admin.last.json)
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == (
        "Cancelled: no digest was set up. Send /subscribe when you want one.\n\n" + STILL_OPEN
    )
    with pytest.raises(LookupError):
        admin.presses("08:00")
    await harness.feed(late_press(harness, admin, picker, "sub:0800"))
    assert last_alert(harness) == LATE
    assert harness.services.subscriptions.get(ADMIN_ID) is None


async def test_a_question_asked_before_the_draft_waits_for_the_next_cancel(
    harness: Harness,
) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/subscribe"))
    await harness.feed(admin.sends("/post"))
    await harness.feed(admin.sends("/cancel"))  # the draft's own prompt promised this
    assert admin.last.text == "Cancelled; nothing was stored."
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == (
        "Cancelled: no digest was set up. Send /subscribe when you want one."
    )


async def test_one_cancel_that_closes_two_questions_names_both(harness: Harness) -> None:
    """A /delete confirmation left open before the draft, a time zone asked for since: the
    one /cancel closes both, and says so of each."""
    kept = add_article(harness.store, Draft(title="Kept", body=BODY), now=harness.services.clock())
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/subscribe 08:00 Berlin"))
    await harness.feed(admin.sends(f"/delete {kept.id}"))
    await harness.feed(admin.sends("/post"))
    await harness.feed(admin.sends("/settings"))
    await harness.feed(admin.presses("set:zone"))
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == (
        "Cancelled: your time zone stays as it was.\n"
        f"Cancelled: article {kept.id} is kept.\n\n{STILL_OPEN}"
    )
    with pytest.raises(LookupError):  # the confirmation's buttons went with it
        admin.presses("Yes, delete")
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == "Cancelled; nothing was stored."


async def test_a_question_asked_since_the_draft_is_closed_beside_an_older_one(
    harness: Harness,
) -> None:
    """A time zone asked for before the draft, a /delete confirmation since: /cancel closes
    (and names) both, and the draft stays, rather than the draft going."""
    kept = add_article(harness.store, Draft(title="Kept", body=BODY), now=harness.services.clock())
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/subscribe 08:00 Berlin"))
    await harness.feed(admin.sends("/settings"))
    await harness.feed(admin.presses("set:zone"))
    await harness.feed(admin.sends("/post"))
    await harness.feed(admin.sends(f"/delete {kept.id}"))
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == (
        "Cancelled: your time zone stays as it was.\n"
        f"Cancelled: article {kept.id} is kept.\n\n{STILL_OPEN}"
    )
    await harness.feed(admin.sends("My head"))  # the draft is still at its headline step
    assert (admin.last.text or "").startswith("Now the text: send it")


async def test_cancel_names_the_time_picker_and_the_zone_it_asked_for(harness: Harness) -> None:
    reader = harness.tg.user(ADMIN_ID)
    await harness.feed(reader.sends("/subscribe"))
    await harness.feed(reader.presses("set:zone"))
    await harness.feed(reader.sends("/cancel"))
    assert reader.last.text == (
        "Cancelled: your time zone stays as it was.\n"
        "Cancelled: no digest was set up. Send /subscribe when you want one."
    )


@pytest.mark.parametrize("again", ["/post", "/edit {id}"])
async def test_a_new_draft_says_the_unfinished_one_was_dropped(
    harness: Harness, again: str
) -> None:
    article = add_article(
        harness.store, Draft(title="Other", body=BODY), now=harness.services.clock()
    )
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/post"))
    await harness.feed(admin.sends("Head one"))
    await harness.feed(admin.sends("Some text. More."))
    await harness.feed(admin.sends(again.format(id=article.id)))
    said = [m.text for m in harness.tg.bot_messages(ADMIN_ID)]
    assert "Your draft “Head one” was dropped; starting a new one." in said


async def test_an_empty_or_unchanged_draft_goes_quietly(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Other", body=BODY), now=harness.services.clock()
    )
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/post"))
    await harness.feed(admin.sends(f"/edit {article.id}"))
    await harness.feed(admin.sends("/post"))
    assert not [m for m in harness.tg.bot_messages(ADMIN_ID) if "dropped" in (m.text or "")]


async def test_a_changed_edit_is_named_when_dropped(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Other", body=BODY), now=harness.services.clock()
    )
    admin = await edit_field(harness, article.id, "Headline")
    await harness.feed(admin.sends("A new headline"))
    await harness.feed(admin.sends("/post"))
    said = [m.text for m in harness.tg.bot_messages(ADMIN_ID)]
    assert f"Your unsaved edit of article {article.id} was dropped; starting a new draft." in said
    assert harness.store.get(article.id).title == "Other"
