"""Channel and group posts sent, edited and deleted by PTB's Bot against the strict stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram.constants import MessageLimit
from telegram.ext import ExtBot

from bot.delivery.channel_post import PostError, SentMessage, delete_post, edit_post, send_post
from bot.render.channel import WITHDRAWN, ChannelPost, channel_post
from bot.transport import request_sent
from standin import TINY_PNG, FakeTelegram, StandInRequest, TelegramChat
from summaries.models import Article
from tests.helpers.samples import PNG

START = 1_800_000_000
SUMMARY = ["The council voted for a bridge.", "It opens in 2028."]
LONG = [f"Sentence {i} of a long summary about the new bridge over the river." for i in range(30)]


class Photos:
    """The store's part a post needs: the photo's bytes, and the file_id Telegram gave."""

    def __init__(self, data: bytes | None = PNG) -> None:
        self.data = data
        self.file_ids: dict[int, str] = {}

    def photo(self, article_id: int) -> bytes | None:
        return self.data

    def set_photo_file_id(self, article_id: int, file_id: str) -> None:
        self.file_ids[article_id] = file_id


def article(**fields: object) -> Article:
    values: dict[str, object] = {
        "id": 12, "title": "Bridge & <river>", "body": "Body.", "language": "english",
        "url": "https://example.org/bridge", "has_photo": True, "photo_url": None,
        "photo_file_id": None, "photo_caption": "", "photo_credit": "AP",
        "published_at": datetime(2026, 11, 25, 7, 5, tzinfo=UTC), "created_by": None,
        "updated_at": datetime(2026, 11, 25, 7, 5, tzinfo=UTC),
    }  # fmt: skip
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


@pytest.fixture
def tg() -> FakeTelegram:
    return FakeTelegram(clock=lambda: START)


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[ExtBot[Any]]:
    request = StandInRequest(tg, long_poll=False, on_sent=request_sent)
    async with ExtBot(tg.token, request=request, get_updates_request=request) as bot:
        yield bot


def rendered(bot: ExtBot[Any], a: Article, summary: list[str] = SUMMARY) -> ChannelPost:
    return channel_post(a, summary, bot_username=bot.username, start_param="a12o3", tz=UTC)


async def posted(
    bot: ExtBot[Any], chat: TelegramChat, a: Article, summary: list[str] = SUMMARY
) -> list[SentMessage]:
    return await send_post(bot, chat.id, None, a, rendered(bot, a, summary), photos=Photos())


async def test_a_photo_post_has_the_whole_story_in_its_caption_and_the_button(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel, photos = tg.channel(), Photos()
    a = article()
    sent = await send_post(bot, channel.id, None, a, rendered(bot, a), photos=photos)
    [only] = sent
    shown = channel.message(only.message_id)
    assert shown is not None
    assert only.kind == "photo"
    assert (shown.photo, photos.file_ids[12]) == (only.file_id, only.file_id)
    assert shown.caption == (
        "Bridge & <river>\n\nPhoto: AP\n\n25 Nov 2026, 07:05\n\n"
        "The council voted for a bridge. It opens in 2028.\n\nSource: example.org"
    )
    assert shown.buttons == [
        {"text": "📖 Read in the bot", "url": f"https://t.me/{bot.username}?start=a12o3"}
    ]
    assert len(shown.caption.encode("utf-16-le")) // 2 <= MessageLimit.CAPTION_LENGTH


async def test_a_long_summary_is_the_photo_then_a_text(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel = tg.channel()
    photo, text = await posted(bot, channel, article(), LONG)
    assert (photo.kind, text.kind) == ("photo", "text")
    first, second = channel.message(photo.message_id), channel.message(text.message_id)
    assert first is not None
    assert second is not None
    assert first.caption == "Bridge & <river>\n\nPhoto: AP"
    assert first.buttons == []
    assert second.text is not None
    assert "Sentence 29" in second.text
    assert [b["text"] for b in second.buttons] == ["📖 Read in the bot"]


async def test_without_a_photo_the_post_is_one_text(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel = tg.channel()
    [text] = await posted(bot, channel, article(has_photo=False))
    shown = channel.message(text.message_id)
    assert shown is not None
    assert text.kind == "text"
    assert shown.text is not None
    assert shown.text.startswith("Bridge & <river>")
    assert shown.photo is None


async def test_the_photo_comes_from_a_link_or_a_file_id_too(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel = tg.channel()
    first = await send_post(bot, channel.id, None, article(), rendered(bot, article()),
                            photos=Photos())  # fmt: skip
    cached = article(photo_file_id=first[0].file_id, has_photo=False)
    photos = Photos(data=None)
    [again] = await send_post(bot, channel.id, None, cached, rendered(bot, cached), photos=photos)
    assert again.file_id == first[0].file_id
    assert photos.file_ids == {}  # the same file_id: nothing new to remember


async def test_a_forum_post_lands_in_its_topic(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    forum = tg.supergroup(forum=True)
    topic = forum.add_topic("News")
    a = article()
    sent = await send_post(bot, forum.id, topic, a, rendered(bot, a, LONG), photos=Photos())
    assert len(sent) == 2
    for message in sent:
        shown = forum.message(message.message_id)
        assert shown is not None
        assert shown.json["message_thread_id"] == topic


async def test_a_new_headline_reaches_the_caption(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel, photos = tg.channel(), Photos()
    a = article()
    sent = await send_post(bot, channel.id, None, a, rendered(bot, a), photos=photos)
    now = replace(a, title="Bridge opens", photo_file_id=photos.file_ids[12])
    after = await edit_post(bot, channel.id, None, now, rendered(bot, now), sent, photos=photos)
    assert after == sent
    shown = channel.message(sent[0].message_id)
    assert shown is not None
    assert shown.caption is not None
    assert shown.caption.startswith("Bridge opens\n\n")
    assert shown.edits == 1
    assert len(tg.successful("editMessageCaption")) == 1
    assert tg.successful("editMessageMedia") == []
    assert [b["text"] for b in shown.buttons] == ["📖 Read in the bot"]


async def test_a_new_body_reaches_the_text(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel = tg.channel()
    a = article(has_photo=False)
    sent = await posted(bot, channel, a)
    post = rendered(bot, a, ["The bridge is delayed."])
    await edit_post(bot, channel.id, None, a, post, sent, photos=Photos())
    shown = channel.message(sent[0].message_id)
    assert shown is not None
    assert shown.text is not None
    assert "The bridge is delayed." in shown.text
    assert [b["url"] for b in shown.buttons] == [f"https://t.me/{bot.username}?start=a12o3"]


async def test_a_new_photo_replaces_the_old_one(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel, photos = tg.channel(), Photos()
    a = article()
    [sent] = await send_post(bot, channel.id, None, a, rendered(bot, a), photos=photos)
    photos.data = TINY_PNG + b"\0"  # a different image; the old file_id no longer applies
    [after] = await edit_post(bot, channel.id, None, a, rendered(bot, a), [sent], photos=photos)
    assert after.message_id == sent.message_id
    assert after.file_id != sent.file_id
    assert photos.file_ids[12] == after.file_id
    shown = channel.message(sent.message_id)
    assert shown is not None
    assert shown.photo == after.file_id
    assert shown.caption is not None
    assert shown.caption.startswith("Bridge & <river>")
    assert len(tg.successful("editMessageMedia")) == 1


async def test_an_unchanged_edit_is_success(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel, photos = tg.channel(), Photos()
    a = article()
    sent = await send_post(bot, channel.id, None, a, rendered(bot, a, LONG), photos=photos)
    a = replace(a, photo_file_id=photos.file_ids[12])
    post = rendered(bot, a, LONG)
    assert await edit_post(bot, channel.id, None, a, post, sent, photos=photos) == sent
    assert await edit_post(bot, channel.id, None, a, post, sent, photos=photos) == sent
    assert all(m.edits == 0 for m in channel.bot_posts)
    refused = [c.response.get("description", "") for c in tg.calls if not c.ok]
    assert len(refused) == 4  # caption and text, twice: each "not modified"
    assert all("message is not modified" in d for d in refused)


async def test_a_summary_that_outgrew_the_caption_gets_its_text(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel, photos = tg.channel(), Photos()
    a = article()
    [photo] = await send_post(bot, channel.id, None, a, rendered(bot, a), photos=photos)
    a = replace(a, photo_file_id=photos.file_ids[12])
    after = await edit_post(bot, channel.id, None, a, rendered(bot, a, LONG), [photo],
                            photos=photos)  # fmt: skip
    assert [m.kind for m in after] == ["photo", "text"]
    assert after[0] == photo
    first, second = (channel.message(m.message_id) for m in after)
    assert first is not None
    assert second is not None
    assert (first.caption, first.buttons) == ("Bridge & <river>\n\nPhoto: AP", [])
    assert [b["text"] for b in second.buttons] == ["📖 Read in the bot"]
    back = await edit_post(bot, channel.id, None, a, rendered(bot, a), after, photos=photos)
    assert back == [photo]  # it fits again: the text message is deleted
    assert channel.message(after[1].message_id) is None


async def test_a_text_post_gains_a_photo_in_place(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel, photos = tg.channel(), Photos()
    [text] = await posted(bot, channel, article(has_photo=False))
    a = article()
    [after] = await edit_post(bot, channel.id, None, a, rendered(bot, a), [text], photos=photos)
    assert (after.message_id, after.kind) == (text.message_id, "photo")
    shown = channel.message(text.message_id)
    assert shown is not None
    assert shown.photo == after.file_id
    assert shown.text is None


async def test_a_removed_photo_leaves_the_text(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel = tg.channel()
    sent = await posted(bot, channel, article(), LONG)
    a = article(has_photo=False)
    [after] = await edit_post(bot, channel.id, None, a, rendered(bot, a), sent, photos=Photos())
    assert after == sent[1]
    assert channel.message(sent[0].message_id) is None
    [shown] = channel.bot_posts
    assert shown.text is not None
    assert shown.text.startswith("Bridge & <river>")


async def test_an_edit_of_a_message_an_admin_deleted_is_gone(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel = tg.channel()
    a = article(has_photo=False)
    sent = await posted(bot, channel, a)
    await bot.delete_message(channel.id, sent[0].message_id)
    with pytest.raises(PostError) as raised:
        await edit_post(bot, channel.id, None, a, rendered(bot, a, ["New."]), sent,
                        photos=Photos())  # fmt: skip
    assert raised.value.kind == "gone"


async def test_a_delete_within_48_hours_deletes_both(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel = tg.channel()
    a = article()
    sent = await posted(bot, channel, a, LONG)
    tg.advance(47 * 3600)
    assert await delete_post(bot, channel.id, a, sent) == "deleted"
    assert channel.bot_posts == []
    assert await delete_post(bot, channel.id, a, sent) == "gone"


async def test_after_48_hours_a_post_is_withdrawn(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel = tg.channel()
    a = article()
    sent = await posted(bot, channel, a, LONG)
    tg.advance(49 * 3600)
    assert await delete_post(bot, channel.id, a, sent) == "withdrawn"
    photo, text = channel.bot_posts
    assert photo.caption == f"{WITHDRAWN}\n\nBridge & <river>"
    assert text.text == f"{WITHDRAWN}\n\nBridge & <river>"
    assert (photo.buttons, text.buttons) == ([], [])
    assert await delete_post(bot, channel.id, a, sent) == "withdrawn"  # again: not modified


async def test_a_bot_that_may_not_post_has_lost_its_rights(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel = tg.channel(rights={"can_post_messages": False})
    with pytest.raises(PostError) as raised:
        await posted(bot, channel, article())
    assert raised.value.kind == "rights"
    assert raised.value.sent == ()
    assert tg.successful("sendPhoto") == []
    assert len([c for c in tg.calls if c.method == "sendPhoto"]) == 1  # no other source tried


async def test_a_removed_bot_has_lost_its_rights(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel = tg.channel()
    a = article(has_photo=False)
    sent = await posted(bot, channel, a)
    channel.set_bot("kicked")
    with pytest.raises(PostError) as raised:
        await edit_post(bot, channel.id, None, a, rendered(bot, a, ["New."]), sent,
                        photos=Photos())  # fmt: skip
    assert raised.value.kind == "rights"


async def test_a_migrated_group_names_its_new_id(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    group = tg.basic_group()
    supergroup = group.migrate()
    with pytest.raises(PostError) as raised:
        await posted(bot, group, article(has_photo=False))
    assert (raised.value.kind, raised.value.new_chat_id) == ("migrated", supergroup.id)


async def test_a_full_pace_says_when_to_try_again(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel = tg.channel()
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(PostError) as raised:
        await posted(bot, channel, article(has_photo=False))
    assert (raised.value.kind, raised.value.retry_after) == ("retry", 7)


async def test_a_text_that_fails_after_the_photo_carries_the_photo(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel = tg.channel()
    tg.fail_next("sendMessage", 400, "Bad Request: injected failure")
    with pytest.raises(PostError) as raised:
        await posted(bot, channel, article(), LONG)
    [photo] = channel.bot_posts
    assert raised.value.kind == "failed"
    assert [(m.message_id, m.kind) for m in raised.value.sent] == [(photo.message_id, "photo")]


async def test_the_hook_is_told_as_each_request_leaves(bot: ExtBot[Any], tg: FakeTelegram) -> None:
    channel, marks = tg.channel(), list[tuple[bool, int]]()

    def on_the_wire(leaving: bool) -> None:
        marks.append((leaving, len(tg.calls)))  # before the stand-in records the call

    a = article()
    post, before = rendered(bot, a, LONG), len(tg.calls)
    sent = await send_post(bot, channel.id, None, a, post, photos=Photos(),
                           on_the_wire=on_the_wire)  # fmt: skip
    assert marks == [(True, before), (True, before + 1)]
    tg.fail_next("editMessageText", 502, "Bad Gateway")
    with pytest.raises(PostError) as raised:
        await edit_post(bot, channel.id, None, a, rendered(bot, a, LONG[:20]), sent,
                        photos=Photos(), on_the_wire=on_the_wire)  # fmt: skip
    assert raised.value.kind == "failed"
    assert marks[-1] == (False, len(tg.calls))  # a 502 certainly failed: not delivered


async def test_the_chats_own_pace_says_when_to_try_again(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel = tg.channel()
    a = article(has_photo=False)
    for _ in range(20):  # Telegram's 20 messages a minute into one chat
        await posted(bot, channel, a)
    with pytest.raises(PostError) as raised:
        await posted(bot, channel, a)
    assert raised.value.kind == "retry"
    assert raised.value.retry_after is not None
    assert 0 < raised.value.retry_after <= 60
    tg.advance(60)
    assert len(await posted(bot, channel, a)) == 1


async def test_a_text_with_no_answer_is_in_doubt_after_the_photo(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    channel = tg.channel()
    tg.fail_next("sendMessage", timeout=True)
    with pytest.raises(PostError) as raised:
        await posted(bot, channel, article(), LONG)
    assert raised.value.kind == "in-doubt"  # it may have arrived: never sent again
    assert [m.kind for m in raised.value.sent] == ["photo"]


async def test_in_an_upgraded_group_a_post_is_edited_withdrawn_but_never_added_to(
    bot: ExtBot[Any], tg: FakeTelegram
) -> None:
    """Deleting needs write access, which an upgraded group refuses (ChatMigrated): the
    post is withdrawn instead, by an edit. An edit that must add a message can't."""
    group, photos = tg.basic_group("Old"), Photos()
    a = article()
    [photo] = await send_post(bot, group.id, None, a, rendered(bot, a), photos=photos)
    group.migrate()
    a = replace(a, photo_file_id=photos.file_ids[12], title="Corrected")
    assert await edit_post(bot, group.id, None, a, rendered(bot, a), [photo], photos=photos) == [
        photo
    ]
    with pytest.raises(PostError) as refused:
        await edit_post(bot, group.id, None, a, rendered(bot, a, LONG), [photo], photos=photos)
    assert refused.value.kind == "migrated"
    assert await delete_post(bot, group.id, a, [photo]) == "withdrawn"
    shown = group.message(photo.message_id)
    assert shown is not None
    assert (shown.caption or "").startswith(WITHDRAWN)
