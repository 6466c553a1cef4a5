"""Editing and deleting messages in channels, groups and private chats, through PTB's Bot."""

from collections.abc import Callable

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto
from telegram.error import BadRequest, Forbidden

from standin import TINY_PNG, FakeTelegram, TelegramChat
from tests.helpers.clock import STANDIN_START

START = STANDIN_START
HOURS_48 = 48 * 3600
MORE = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
OTHER = InlineKeyboardMarkup([[InlineKeyboardButton("Less", callback_data="less:1")]])


@pytest.fixture
def tg(standin_tg: FakeTelegram) -> FakeTelegram:
    return standin_tg


@pytest.fixture
def bot(standin_bot: Bot) -> Bot:
    return standin_bot


async def test_a_channel_post_is_edited_in_place(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    post = await bot.send_message(channel.id, "Rain", reply_markup=MORE)
    tg.advance(60)
    edited = await bot.edit_message_text(
        "<b>Rain</b> and wind", channel.id, post.message_id, parse_mode="HTML", reply_markup=MORE
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Rain and wind"
    assert edited.edit_date is not None
    assert int(edited.edit_date.timestamp()) == START + 60
    [shown] = channel.bot_posts
    assert (shown.text, shown.source, shown.edits) == ("Rain and wind", "<b>Rain</b> and wind", 1)
    assert shown.buttons == [{"text": "More", "callback_data": "more:1"}]
    assert shown.json["date"] == START
    assert "from" not in shown.json
    assert shown.json["sender_chat"]["id"] == channel.id


async def test_not_modified_needs_content_and_markup_alike(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    post = await bot.send_message(channel.id, "Rain", reply_markup=MORE)
    with pytest.raises(BadRequest, match="Message is not modified: specified new message"):
        await bot.edit_message_text("Rain", channel.id, post.message_id, reply_markup=MORE)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(channel.id, post.message_id, reply_markup=MORE)
    await bot.edit_message_reply_markup(channel.id, post.message_id, reply_markup=OTHER)
    await bot.edit_message_text("Rain", channel.id, post.message_id)  # drops the keyboard
    assert channel.bot_posts[0].reply_markup is None
    assert channel.bot_posts[0].edits == 2


async def test_edits_must_fit_the_kind_and_the_limits(bot: Bot, tg: FakeTelegram) -> None:
    group = tg.supergroup()
    text = await bot.send_message(group.id, "Rain")
    photo = await bot.send_photo(group.id, TINY_PNG, caption="Wind")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", group.id, photo.message_id)
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(group.id, text.message_id, caption="x")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.edit_message_text("<b>x</b>" + "y" * 4096, group.id, text.message_id,
                                    parse_mode="HTML")  # fmt: skip
    await bot.edit_message_text("<b>x</b>" + "y" * 4095, group.id, text.message_id,
                                parse_mode="HTML")  # fmt: skip  # 4096 once parsed
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.edit_message_caption(group.id, photo.message_id, caption="c" * 1025)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", group.id, 999)


async def test_edit_message_media_replaces_the_photo(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    photo = await bot.send_photo(channel.id, TINY_PNG, caption="Old")
    first = photo.photo[-1].file_id
    same = InputMediaPhoto(first, caption="Old")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_media(same, channel.id, photo.message_id)
    new = InputMediaPhoto(TINY_PNG, caption="<i>New</i>", parse_mode="HTML")
    edited = await bot.edit_message_media(new, channel.id, photo.message_id, reply_markup=MORE)
    assert not isinstance(edited, bool)
    assert edited.photo[-1].file_id != first
    assert edited.caption == "New"
    [shown] = channel.bot_posts
    assert (shown.photo, shown.caption, shown.source) == (
        edited.photo[-1].file_id,
        "New",
        "<i>New</i>",
    )
    assert tg.files.by_id[edited.photo[-1].file_id].content == TINY_PNG
    await bot.edit_message_media(InputMediaPhoto(first), channel.id, photo.message_id)
    assert channel.bot_posts[0].caption is None  # no caption given: none shown
    assert channel.bot_posts[0].reply_markup is None


async def test_a_text_message_may_become_a_photo(bot: Bot, tg: FakeTelegram) -> None:
    ada = tg.user(42)
    sent = await bot.send_message(ada.id, "Soon a photo")
    await bot.edit_message_media(InputMediaPhoto(TINY_PNG, caption="Now"), 42, sent.message_id)
    assert (ada.last.text, ada.last.caption) == (None, "Now")
    assert ada.last.photo is not None
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.edit_message_media(InputMediaPhoto("nope"), 42, sent.message_id)


@pytest.mark.parametrize(
    ("rights", "own", "others"),
    [
        ({}, True, True),
        ({"can_edit_messages": False}, True, False),
        ({"can_post_messages": False}, True, True),
        ({"can_post_messages": False, "can_edit_messages": False}, False, False),
    ],
)
async def test_channel_edit_rights(
    bot: Bot, tg: FakeTelegram, rights: dict[str, bool], own: bool, others: bool
) -> None:
    """The bot edits its own posts while it may post; others' with can_edit_messages."""
    channel = tg.channel()
    mine = await bot.send_message(channel.id, "mine")
    theirs = channel.post("theirs")["channel_post"]["message_id"]
    channel.set_bot("administrator", rights=rights)
    for message_id, allowed in ((mine.message_id, own), (theirs, others)):
        if allowed:
            await bot.edit_message_text("changed", channel.id, message_id)
        else:
            with pytest.raises(BadRequest, match="Message can't be edited"):
                await bot.edit_message_text("changed", channel.id, message_id)
    assert channel.message(theirs) is not None
    assert channel.message(theirs).text == ("changed" if others else "theirs")  # type: ignore[union-attr]


async def test_a_demoted_or_removed_bot_edits_nothing(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    post = await bot.send_message(channel.id, "x")
    channel.set_bot("member")
    with pytest.raises(BadRequest, match="Need administrator rights in the channel chat"):
        await bot.edit_message_text("y", channel.id, post.message_id)
    channel.set_bot("left")
    with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
        await bot.edit_message_text("y", channel.id, post.message_id)
    with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
        await bot.delete_message(channel.id, post.message_id)


async def test_in_groups_only_its_own_messages_are_edited(bot: Bot, tg: FakeTelegram) -> None:
    group = tg.supergroup(status="administrator")
    theirs = group.post("hello")["message"]["message_id"]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", group.id, theirs)


async def test_deleting_is_possible_for_48_hours(bot: Bot, tg: FakeTelegram) -> None:
    ada = tg.user(42)
    channel = tg.channel()
    early = await bot.send_message(42, "a")
    later = await bot.send_message(42, "b")
    post = await bot.send_message(channel.id, "c")
    tg.advance(HOURS_48 - 1)
    assert await bot.delete_message(42, early.message_id)
    tg.advance(1)
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await bot.delete_message(42, later.message_id)
    with pytest.raises(BadRequest, match="Message can't be deleted"):  # admins too
        await bot.delete_message(channel.id, post.message_id)
    assert [m.text for m in ada.sees] == ["b"]
    assert [m.text for m in channel.shows] == ["c"]


async def test_deleted_and_unknown_messages_are_not_found(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    post = await bot.send_message(channel.id, "x")
    assert await bot.delete_message(channel.id, post.message_id)
    assert channel.shows == []
    assert channel.message(post.message_id) is None
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(channel.id, post.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("y", channel.id, post.message_id)


@pytest.mark.parametrize(
    ("kind", "status", "rights", "own", "others"),
    [
        ("channel", "administrator", {}, True, True),
        ("channel", "administrator", {"can_delete_messages": False}, True, False),
        ("channel", "administrator", {"can_delete_messages": False, "can_post_messages": False},
         False, False),
        ("supergroup", "member", {}, True, False),
        ("supergroup", "administrator", {"can_delete_messages": False}, True, False),
        ("supergroup", "administrator", {}, True, True),
        ("group", "member", {}, True, False),
        ("group", "administrator", {"can_delete_messages": False}, True, True),
    ],
)  # fmt: skip
async def test_delete_rights_follow_the_bot_api(
    bot: Bot, tg: FakeTelegram, kind: str, status: str, rights: dict[str, bool], own: bool,
    others: bool,
) -> None:  # fmt: skip
    """Outgoing messages in groups; in channels with can_post_messages; anyone's with
    can_delete_messages (in a basic group, as any administrator)."""
    makers: dict[str, Callable[..., TelegramChat]] = {
        "channel": tg.channel, "supergroup": tg.supergroup, "group": tg.basic_group,
    }  # fmt: skip
    chat = makers[kind](status="administrator")
    mine = (await bot.send_message(chat.id, "mine")).message_id
    update = chat.post("theirs")
    theirs = (update.get("message") or update["channel_post"])["message_id"]
    chat.set_bot(status, rights=rights)
    for message_id, allowed in ((mine, own), (theirs, others)):
        if allowed:
            assert await bot.delete_message(chat.id, message_id)
        else:
            with pytest.raises(BadRequest, match="Message can't be deleted"):
                await bot.delete_message(chat.id, message_id)


async def test_a_private_chat_allows_deleting_the_users_messages(
    bot: Bot, tg: FakeTelegram
) -> None:
    ada = tg.user(42)
    said = ada.sends("hello")["message"]["message_id"]
    assert await bot.delete_message(42, said)
    assert ada.sees == []


async def test_topic_creation_messages_stay(bot: Bot, tg: FakeTelegram) -> None:
    forum = tg.supergroup(forum=True, status="administrator")
    topic = forum.add_topic("Sport")
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await bot.delete_message(forum.id, topic)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", forum.id, topic)
