"""Groups, supergroups, forums and channels in the stand-in, through the real PTB Bot."""

import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    Message,
    Update,
)
from telegram.error import BadRequest, ChatMigrated, Forbidden

from standin import TINY_PNG, FakeTelegram
from tests.helpers.clock import STANDIN_START

START = STANDIN_START


@pytest.fixture
def tg(standin_tg: FakeTelegram) -> FakeTelegram:
    return standin_tg


@pytest.fixture
def bot(standin_bot: Bot) -> Bot:
    return standin_bot


def test_chats_get_telegrams_kinds_of_ids(tg: FakeTelegram) -> None:
    channel, supergroup, group = tg.channel(), tg.supergroup(), tg.basic_group()
    assert str(channel.id).startswith("-100")
    assert str(supergroup.id).startswith("-100")
    assert group.id < 0
    assert not str(group.id).startswith("-100")
    assert len({channel.id, supergroup.id, group.id}) == 3
    assert tg.add_group(-100123)["type"] == "supergroup"  # the old helper: a member supergroup


async def test_get_chat_by_id_and_username(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel("World News", username="worldnews")
    forum = tg.supergroup("Desk", forum=True)
    by_name = await bot.get_chat("@WorldNews")  # usernames ignore case
    assert (by_name.id, by_name.type, by_name.title) == (channel.id, "channel", "World News")
    assert by_name.username == "worldnews"
    found = await bot.get_chat(forum.id)
    assert (found.type, found.is_forum) == ("supergroup", True)
    for unknown in ("@nobody", -100999, "worldnews"):
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.get_chat(unknown)


async def test_get_chat_sees_public_chats_and_those_it_is_in(bot: Bot, tg: FakeTelegram) -> None:
    public = tg.channel(username="open", status="left")
    private = tg.channel(status="left")
    kicked = tg.supergroup(status="kicked")
    assert (await bot.get_chat("@open")).id == public.id
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(private.id)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.get_chat(kicked.id)


async def test_get_chat_member_has_the_shape_of_the_bots_status(
    bot: Bot, tg: FakeTelegram
) -> None:
    me = tg.bot["id"]
    admin = await bot.get_chat_member(tg.channel(rights={"can_edit_messages": False}).id, me)
    assert isinstance(admin, ChatMemberAdministrator)
    assert admin.can_post_messages
    assert admin.can_delete_messages
    assert admin.can_edit_messages is False
    assert admin.can_promote_members is False
    topics = await bot.get_chat_member(tg.supergroup(status="administrator").id, me)
    assert isinstance(topics, ChatMemberAdministrator)
    assert topics.can_manage_topics
    assert topics.can_post_messages is None
    member = await bot.get_chat_member(tg.supergroup().id, me)
    assert isinstance(member, ChatMemberMember)
    muted = tg.supergroup(permissions={"can_send_messages": False})
    restricted = await bot.get_chat_member(muted.id, me)
    assert isinstance(restricted, ChatMemberRestricted)
    assert (restricted.can_send_messages, restricted.can_send_photos) == (False, True)
    assert isinstance(await bot.get_chat_member(tg.channel(username="x", status="left").id, me),
                      ChatMemberLeft)  # fmt: skip
    with pytest.raises(Forbidden, match="kicked from the channel chat"):
        await bot.get_chat_member(tg.channel(status="kicked").id, me)
    owner = await bot.get_chat_member(muted.id, muted.record.owner["id"])
    assert isinstance(owner, ChatMemberOwner)
    with pytest.raises(BadRequest, match="User not found"):
        await bot.get_chat_member(muted.id, 5)


async def test_removing_the_bot_makes_it_banned(bot: Bot, tg: FakeTelegram) -> None:
    chat = tg.supergroup()
    chat.set_bot("kicked")
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert isinstance(update.my_chat_member.old_chat_member, ChatMemberMember)
    assert isinstance(update.my_chat_member.new_chat_member, ChatMemberBanned)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(chat.id, "x")


async def test_get_chat_administrators(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    admins = await bot.get_chat_administrators(channel.id)
    assert [a.status for a in admins] == ["creator", "administrator"]
    assert admins[1].user.id == tg.bot["id"]
    group = tg.supergroup()
    assert [a.status for a in await bot.get_chat_administrators(group.id)] == ["creator"]
    with pytest.raises(BadRequest, match="Member list is inaccessible"):
        await bot.get_chat_administrators(tg.channel(status="member").id)
    with pytest.raises(BadRequest, match="There are no administrators in the private chat"):
        await bot.get_chat_administrators(tg.user(42).id)


async def test_channel_posts_come_from_the_channel(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel("News", username="news")
    post = await bot.send_message("@news", "<b>Rain</b>", parse_mode="HTML")
    assert post.chat.type == "channel"
    assert post.chat.id == channel.id
    assert post.sender_chat is not None
    assert post.sender_chat.id == channel.id
    assert post.from_user is None
    photo = await bot.send_photo(channel.id, TINY_PNG, caption="Wind")
    assert [m.message_id for m in channel.bot_posts] == [post.message_id, photo.message_id]
    assert channel.bot_posts[0].entities == [{"offset": 0, "length": 4, "type": "bold"}]


@pytest.mark.parametrize(
    ("status", "rights", "error", "words"),
    [
        ("left", None, Forbidden, "bot is not a member of the channel chat"),
        ("kicked", None, Forbidden, "bot was kicked from the channel chat"),
        ("member", None, BadRequest, "need administrator rights in the channel chat"),
        ("administrator", {"can_post_messages": False}, BadRequest, "need administrator rights"),
    ],
)
async def test_a_channel_takes_posts_only_from_admins_that_may_post(
    bot: Bot, tg: FakeTelegram, status: str, rights: dict[str, bool] | None,
    error: type[Exception], words: str,
) -> None:  # fmt: skip
    channel = tg.channel(status=status, rights=rights)
    with pytest.raises(error, match=rf"(?i){words}"):
        await bot.send_message(channel.id, "x")
    with pytest.raises(error, match=rf"(?i){words}"):
        await bot.send_photo(channel.id, TINY_PNG)
    assert channel.shows == []


async def test_groups_need_membership_and_the_send_permission(bot: Bot, tg: FakeTelegram) -> None:
    with pytest.raises(Forbidden, match="bot is not a member of the supergroup chat"):
        await bot.send_message(tg.supergroup(status="left").id, "x")
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(tg.basic_group(status="kicked").id, "x")
    muted = tg.supergroup(permissions={"can_send_messages": False})
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to send text messages"):
        await bot.send_message(muted.id, "x")
    no_photos = tg.supergroup(permissions={"can_send_photos": False})
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to send photos"):
        await bot.send_photo(no_photos.id, TINY_PNG)
    sent = await bot.send_message(no_photos.id, "text is fine")
    assert sent.from_user is not None
    assert sent.from_user.id == tg.bot["id"]
    assert sent.chat.type == "supergroup"


async def test_forum_topics(bot: Bot, tg: FakeTelegram) -> None:
    forum = tg.supergroup("Desk", forum=True)
    sport = forum.add_topic("Sport")
    closed = forum.add_topic("Archive", closed=True)
    assert forum.shows[0].json["forum_topic_created"]["name"] == "Sport"
    sent = await bot.send_message(forum.id, "Goal", message_thread_id=sport)
    assert (sent.message_thread_id, sent.is_topic_message) == (sport, True)
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(forum.id, "x", message_thread_id=sport + 100)
    with pytest.raises(BadRequest, match="Topic_closed"):
        await bot.send_message(forum.id, "x", message_thread_id=closed)
    forum.close_topic(closed, closed=False)
    assert (await bot.send_photo(forum.id, TINY_PNG, message_thread_id=closed)).photo
    plain = tg.supergroup()
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(plain.id, "x", message_thread_id=1)
    with pytest.raises(ValueError, match="not a forum"):
        plain.add_topic("x")


async def test_topic_managers_write_in_closed_topics(bot: Bot, tg: FakeTelegram) -> None:
    forum = tg.supergroup(forum=True, status="administrator")
    closed = forum.add_topic("Archive", closed=True)
    assert (await bot.send_message(forum.id, "x", message_thread_id=closed)).text == "x"


async def test_my_chat_member_updates_follow_the_bots_status(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel("News", status="left")
    channel.set_bot("administrator")
    channel.set_bot("administrator", rights={"can_post_messages": False})
    channel.set_bot("left")
    added, demoted, removed = [u.my_chat_member for u in await bot.get_updates()]
    assert added is not None
    assert demoted is not None
    assert removed is not None
    assert added.chat.id == channel.id
    assert added.chat.type == "channel"
    assert added.from_user.id == channel.record.owner["id"]
    assert isinstance(added.old_chat_member, ChatMemberLeft)
    assert isinstance(added.new_chat_member, ChatMemberAdministrator)
    assert added.new_chat_member.can_post_messages
    assert isinstance(demoted.new_chat_member, ChatMemberAdministrator)
    assert demoted.new_chat_member.can_post_messages is False
    assert isinstance(removed.new_chat_member, ChatMemberLeft)
    with pytest.raises(Forbidden, match="not a member of the channel chat"):
        await bot.send_message(channel.id, "x")


async def test_channel_posts_reach_only_an_admin_bot(bot: Bot, tg: FakeTelegram) -> None:
    channel = tg.channel()
    posted = channel.post("From the editor")
    [update] = await bot.get_updates()
    assert update.update_id == posted["update_id"]
    assert update.channel_post is not None
    assert update.channel_post.sender_chat is not None
    assert update.channel_post.from_user is None
    assert update.channel_post.text == "From the editor"
    quiet = tg.channel(status="left", username="q")
    quiet.post("unseen")
    assert await bot.get_updates(offset=update.update_id + 1) == ()
    assert [m.text for m in quiet.shows] == ["unseen"]


async def test_an_upgraded_group_answers_with_its_new_id(bot: Bot, tg: FakeTelegram) -> None:
    group = tg.basic_group("Old", status="administrator")
    supergroup = group.migrate()
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(group.id, "x")
    assert moved.value.new_chat_id == supergroup.id
    with pytest.raises(ChatMigrated):
        await bot.get_chat(group.id)
    assert (await bot.send_message(supergroup.id, "here")).chat.type == "supergroup"
    member = await bot.get_chat_member(supergroup.id, tg.bot["id"])
    assert isinstance(member, ChatMemberAdministrator)  # its place came along
    old, new = [Update.de_json(u, bot).message for u in tg.pending]
    assert old is not None
    assert new is not None
    assert (old.chat.id, old.migrate_to_chat_id) == (group.id, supergroup.id)
    assert (new.chat.id, new.migrate_from_chat_id) == (supergroup.id, group.id)
    with pytest.raises(ValueError, match="only basic groups"):
        supergroup.migrate()


async def test_an_upgraded_group_keeps_the_bots_old_messages_editable(
    bot: Bot, tg: FakeTelegram
) -> None:
    """The Bot API asks write access to send or delete (refused with migrate_to_chat_id in
    an upgraded group) but only edit access to edit: the old group is deactivated, not gone,
    and the bot's messages there stay editable (telegram-bot-api's check_chat_access)."""
    group = tg.basic_group("Old", status="member")
    sent = await bot.send_message(group.id, "before")
    supergroup = group.migrate()
    edited = await bot.edit_message_text("after", group.id, sent.message_id)
    assert isinstance(edited, Message)
    assert edited.text == "after"
    with pytest.raises(ChatMigrated) as moved:
        await bot.delete_message(group.id, sent.message_id)
    assert moved.value.new_chat_id == supergroup.id
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", supergroup.id, sent.message_id)  # ids don't carry over
