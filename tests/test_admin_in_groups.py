"""An admin's panels (/channels with its chat ids, /stats, /sources, drafts) answer only in
the admin's private chat: in a group every member would read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from standin.users import TelegramUser
from summaries.article_summary import add_article
from summaries.models import Draft
from tests.helpers.clock import Clock
from tests.helpers.harness import ADMIN_ID, READER_ID, Harness
from tests.helpers.samples import BODY

IN_PRIVATE = "I answer admin commands only in this private chat"
ADMIN_COMMANDS = [
    "/channels",
    "/channel @harbournews",
    "/stats",
    "/sources",
    "/source https://example.org/feed",
    "/post",
    "/post https://example.org/a",
    "/edit 1",
    "/delete 1",
]


async def test_admin_commands_in_a_group_answer_the_admin_in_private(harness: Harness) -> None:
    clock = Clock(datetime(2026, 12, 5, 9, 0, tzinfo=UTC))
    harness.set_clock(clock)
    admin = harness.tg.user(ADMIN_ID)
    news = harness.tg.channel("Harbour News")  # no @username: lists show its chat id
    await harness.feed(admin.sends(f"/channel {news.id}"))  # in private: added
    add_article(harness.store, Draft(title="Bridge", body=BODY), now=harness.services.clock())
    group = harness.tg.supergroup("Town square", username="townsquare")
    before = len(admin.sees)
    for command in ADMIN_COMMANDS:
        clock.now += timedelta(seconds=20)  # within the group's few commands a minute
        await harness.feed(admin.sends(command, chat_id=group.id))
        assert harness.tg.bot_messages(group.id) == [], command
        assert (admin.last.text or "").startswith(IN_PRIVATE), command
    assert len(admin.sees) == before + len(ADMIN_COMMANDS)  # each command, one notice
    assert not any(str(news.id) in (m.text or "") for m in admin.sees[before:])
    assert len(harness.services.outlets.all()) == 1
    assert harness.store.get(1).title == "Bridge"  # nothing deleted, nothing asked
    await harness.feed(admin.sends("/help", chat_id=group.id))
    [help_text] = harness.tg.bot_messages(group.id)
    assert "/channels" not in (help_text.text or "")  # the admin part, only in private
    await harness.feed(admin.sends("/channels"))  # the private chat still works
    assert f"{news.id}" in (admin.last.text or "")


async def test_an_admin_button_pressed_in_a_group_changes_nothing(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    harness.tg.channel("Harbour News", username="harbournews")
    await harness.feed(admin.sends("/channel @harbournews"))
    group = harness.tg.supergroup("Town square")
    message = {"message_id": 1, "date": 0, "chat": {"id": group.id, "type": "supergroup",
                                                   "title": "Town square"}}  # fmt: skip
    update = harness.tg.updates.callback_query(admin.json, message, "out:pause:1:0")
    harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
    await harness.feed(update)
    [answer] = harness.tg.successful("answerCallbackQuery")
    assert str(answer.params.get("text")).startswith(IN_PRIVATE)
    assert answer.params.get("show_alert") is True
    assert harness.services.outlets.get(1).active


async def test_a_reader_in_a_group_is_still_refused_as_before(harness: Harness) -> None:
    reader: TelegramUser = harness.tg.user(READER_ID)
    group = harness.tg.supergroup("Town square")
    await harness.feed(reader.sends("/channels", chat_id=group.id))
    [refusal] = harness.tg.bot_messages(group.id)
    assert refusal.text == "This command is for admins."


async def test_the_notice_is_in_the_admin_s_language(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID, language_code="de")
    group = harness.tg.supergroup("Stammtisch")
    await harness.feed(admin.sends("/stats", chat_id=group.id))
    assert harness.tg.bot_messages(group.id) == []
    assert (admin.last.text or "").startswith("Admin-Befehle beantworte ich nur in diesem")
