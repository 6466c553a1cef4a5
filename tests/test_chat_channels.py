"""Admins' /channels and /channel in the chat, and the bot's own reaction to its rights
changing in a channel or group: against the in-process stand-in."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

from bot.render import outlets as render
from standin.users import TelegramUser
from summaries.article_summary import add_article
from summaries.models import Draft
from summaries.outlet_model import Outlet, OutletStats
from summaries.outlet_posts import OutletPosts, PostMessage
from summaries.outlet_queue import OutletQueue
from tests.helpers.clock import Clock
from tests.helpers.harness import ADMIN_ID, READER_ID, Harness
from tests.helpers.samples import BODY

NOT_ADMIN = "This command is for admins."
OTHER_ADMIN = 3003
START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def all_calls_ok(harness: Harness) -> None:
    """Every call the bot made passed the stand-in's checks (Telegram's limits included)."""
    assert [(c.method, c.params) for c in harness.tg.calls if not c.ok] == []


def two_admins(harness: Harness) -> Clock:
    clock = Clock(START)
    harness.set_clock(clock)
    svc = harness.services
    settings = dataclasses.replace(svc.settings, admin_ids=frozenset({ADMIN_ID, OTHER_ADMIN}))
    harness.app.bot_data["services"] = dataclasses.replace(svc, settings=settings)
    harness.set_clock(clock)  # the digest sender over the new services
    return clock


def add_articles(harness: Harness, count: int) -> list[int]:
    return [
        add_article(harness.store, Draft(title=f"Story {i}", body=BODY,
                                         published_at=START - timedelta(hours=count - i)),
                    now=harness.services.clock()).id
        for i in range(count)
    ]  # fmt: skip


async def test_channel_adds_a_chat_after_checking_the_rights(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    news = harness.tg.channel("Harbour News", username="harbournews")
    harness.tg.channel("Mute", username="mutenews", rights={"can_post_messages": False})
    await harness.feed(admin.sends("/channel"))
    assert (admin.last.text or "").startswith("Which chat? Send /channel and its @username")
    await harness.feed(admin.sends("/channel @mutenews"))
    assert admin.last.text == (
        "Not added: the bot is an administrator of @mutenews but may not post: "
        "give it the 'Post messages' right."
    )
    await harness.feed(admin.sends("/channel @harbournews topics: economy, climate"))
    assert (admin.last.text or "").startswith(
        "Added channel Harbour News (@harbournews) as outlet 1, for topics: economy, climate."
    )
    [outlet] = harness.services.outlets.all()
    assert (outlet.chat_id, outlet.topics) == (news.id, ("economy", "climate"))
    await harness.feed(admin.sends("/channel @harbournews"))
    assert admin.last.text == (
        "Not added: outlet 1 already posts to @harbournews: to change its filters, remove it "
        "first with 🗑 Remove 1 in /channels, then add it again with the new filters."
    )
    all_calls_ok(harness)


async def test_channel_topics_refused_say_how_to_write_them_in_channel(
    harness: Harness,
) -> None:
    """A topic refused in /channel is explained in /channel's terms (not the readers'
    /topics), in one sentence ending with one period."""
    admin = harness.tg.user(ADMIN_ID)
    harness.tg.channel("Harbour News", username="harbournews")
    await harness.feed(admin.sends("/channel @harbournews topics: economy, 🙂"))
    assert admin.last.text == (
        "Not added: Topics need words, and '🙂' has none. Send e.g. /channel @name topics: "
        "economy, climate change (or leave topics: out for every article)."
    )
    await harness.feed(admin.sends("/channel @harbournews topics: " + "x" * 41))
    text = admin.last.text or ""
    assert text.endswith(
        "Send shorter topics, e.g. /channel @name topics: economy, climate change."
    )
    assert "/topics" not in text
    assert ".." not in text
    assert harness.services.outlets.all() == []


async def test_channels_lists_with_pause_resume_and_remove(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    harness.tg.channel("Harbour <News>", username="harbournews")
    await harness.feed(admin.sends("/channels"))
    assert (admin.last.text or "").startswith("No channels or groups yet.")
    await harness.feed(admin.sends("/channel @harbournews"))
    await harness.feed(admin.sends("/channels"))
    assert admin.last.text == (
        "Channels and groups (1–1 of 1)\n\n1 · Harbour <News> (@harbournews)\n"
        "every article\n0 posts in the chat · active"
    )
    assert [b["text"] for b in admin.last.buttons] == ["⏸ Pause 1", "🗑 Remove 1"]
    await harness.feed(admin.presses("⏸ Pause 1"))
    assert harness.services.outlets.get(1).paused_reason == "admin"
    assert [b["text"] for b in admin.last.buttons] == ["▶ Resume 1", "🗑 Remove 1"]
    await harness.feed(admin.presses("▶ Resume 1"))
    assert harness.services.outlets.get(1).active
    await harness.feed(admin.presses("🗑 Remove 1"))
    assert (admin.last.text or "").startswith("Remove outlet 1, Harbour <News> (@harbournews)?")
    await harness.feed(admin.presses("No"))
    assert admin.last.text == "Kept; nothing was removed."
    await harness.feed(admin.presses("🗑 Remove 1"))
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == "Cancelled: outlet 1 is kept."
    await harness.feed(admin.presses("🗑 Remove 1"))
    await harness.feed(admin.presses("Yes, remove"))
    assert (admin.last.text or "").startswith(
        "Removed outlet 1, Harbour <News> (@harbournews). Nothing new goes there. Its posts "
        "stay in the chat and are still corrected"
    )
    assert harness.services.outlets.all() == []
    await harness.feed(admin.presses("⏸ Pause 1"))  # the old list's button
    answers = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    assert answers[-1] == "Outlet 1 no longer exists. Send /channels for the list."
    all_calls_ok(harness)


async def test_readers_get_nothing_not_even_with_forged_presses(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    news = harness.tg.channel("Harbour News", username="harbournews")
    await harness.feed(admin.sends("/channel @harbournews"))
    await harness.feed(admin.sends("/channels"))
    admins_list = harness.tg.last_message(ADMIN_ID)
    stranger = harness.tg.user(READER_ID)
    for text in ["/channels", "/channel @harbournews", "/channel"]:
        await harness.feed(stranger.sends(text))
        assert stranger.last.text == NOT_ADMIN, text
    forged = [
        "out:pause:1:0",
        "out:resume:1:0",
        "out:rm:1",
        "out:rm:1:yes",
        f"out:offer:{news.id}",
    ]
    for data in [*forged, "out:page:0"]:
        update = harness.tg.updates.callback_query(stranger.json, admins_list.json, data)
        harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
        await harness.feed(update)
    answers = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    assert answers == [NOT_ADMIN] * 6
    [outlet] = harness.services.outlets.all()
    assert outlet.active


async def test_made_administrator_the_bot_offers_the_channel_to_every_admin_once(
    harness: Harness,
) -> None:
    two_admins(harness)
    sender = harness.app.bot_data["digest_sender"]
    admin, other = harness.tg.user(ADMIN_ID), harness.tg.user(OTHER_ADMIN)
    news = harness.tg.channel("Harbour News", username="harbournews", status="left")
    await harness.feed(news.set_bot("administrator"))
    await sender.run_round(harness.app.bot)
    await sender.run_round(harness.app.bot)
    for person in (admin, other):
        offers = [m for m in person.sees if "Post news here" in str(m.buttons)]
        assert len(offers) == 1
        assert "I am now an administrator of @harbournews." in (offers[0].text or "")
    assert harness.services.outlets.all() == []
    await harness.feed(other.presses("Post news here"))
    [outlet] = harness.services.outlets.all()
    assert (outlet.chat_id, outlet.title) == (news.id, "Harbour News")
    assert (other.last.text or "").startswith("Added channel Harbour News (@harbournews)")
    await harness.feed(admin.presses("Post news here"))  # the second admin's, too late
    assert (admin.last.text or "").startswith("Not added: outlet 1 already posts to @harbournews")
    all_calls_ok(harness)


async def test_a_channel_flipped_again_and_again_is_offered_once_a_day(harness: Harness) -> None:
    """A channel's owner promotes and demotes the bot four times: one offer per admin; the
    next day, one more."""
    clock = two_admins(harness)
    sender = harness.app.bot_data["digest_sender"]
    admin, other = harness.tg.user(ADMIN_ID), harness.tg.user(OTHER_ADMIN)
    news = harness.tg.channel("Spam", username="spamnews", status="left")

    def offers(person: TelegramUser) -> int:
        return len([m for m in person.sees if "Post news here" in str(m.buttons)])

    for _ in range(4):
        await harness.feed(news.set_bot("administrator"))
        await harness.feed(news.set_bot("left"))
        await sender.run_round(harness.app.bot)
    assert (offers(admin), offers(other)) == (1, 1)
    clock.now += timedelta(days=1, minutes=1)
    await harness.feed(news.set_bot("administrator"))
    await sender.run_round(harness.app.bot)
    assert (offers(admin), offers(other)) == (2, 2)
    all_calls_ok(harness)


async def test_a_hostile_chat_title_reaches_no_admin_message(harness: Harness) -> None:
    """A channel named with a right-to-left override and BEL: the offer, the answer to
    Post news here, /channels and an outlet stored before titles were cleaned show it as
    one plain line."""
    two_admins(harness)
    admin, _ = harness.tg.user(ADMIN_ID), harness.tg.user(OTHER_ADMIN)
    news = harness.tg.channel("Harbour\u202e swen\x07\u2066 Desk", status="left")
    await harness.feed(news.set_bot("administrator"))
    await harness.app.bot_data["digest_sender"].run_round(harness.app.bot)
    [offer] = [m for m in admin.sees if "Post news here" in str(m.buttons)]
    assert f'administrator of "Harbour swen Desk" ({news.id}).' in (offer.text or "")
    await harness.feed(admin.presses("Post news here"))
    assert (admin.last.text or "").startswith(f"Added channel Harbour swen Desk ({news.id})")
    harness.store.db.execute("UPDATE outlets SET title = 'Old\u202e\u200f title'")
    await harness.feed(admin.sends("/channels"))
    shown = [m.text or "" for m in admin.sees]
    assert "Old title" in shown[-1]
    assert not any(c in text for text in shown for c in "\u202e\u2066\u200f\x07")
    all_calls_ok(harness)


async def test_the_offer_goes_out_at_once_not_at_the_next_round(harness: Harness) -> None:
    """The admins hear of the new channel as the bot is made its administrator: the alert
    round starts then, instead of up to 30 seconds later, and sends it once."""
    two_admins(harness)
    admin, _ = harness.tg.user(ADMIN_ID), harness.tg.user(OTHER_ADMIN)
    news = harness.tg.channel("Harbour News", username="harbournews", status="left")

    def offers() -> int:
        return len([m for m in admin.sees if "Post news here" in str(m.buttons)])

    harness.app._running = True  # as under `newsbot run`, without its jobs
    try:
        await harness.feed(news.set_bot("administrator"))
        for _ in range(100):  # the round the handler started, as a task of its own
            if offers():
                break
            await asyncio.sleep(0.01)
    finally:
        harness.app._running = False
    assert offers() == 1  # no round of the job ran
    await harness.app.bot_data["digest_sender"].run_round(harness.app.bot)
    assert offers() == 1
    all_calls_ok(harness)


async def test_lost_rights_pause_the_outlet_and_regained_ones_resume_it(
    harness: Harness,
) -> None:
    clock = two_admins(harness)
    sender = harness.app.bot_data["digest_sender"]
    admin = harness.tg.user(ADMIN_ID)
    harness.tg.user(OTHER_ADMIN)
    news = harness.tg.channel("Harbour News", username="harbournews")
    await harness.feed(admin.sends("/channel @harbournews"))
    await harness.feed(news.set_bot("administrator", rights={"can_post_messages": False}))
    await harness.feed(news.set_bot("kicked"))  # still paused: no second message
    await sender.run_round(harness.app.bot)
    await sender.run_round(harness.app.bot)
    outlet = harness.services.outlets.get(1)
    assert (outlet.paused_reason, outlet.paused_since) == ("rights", START)
    for chat in (ADMIN_ID, OTHER_ADMIN):
        told = [m.text or "" for m in harness.tg.bot_messages(chat) if "⏸" in (m.text or "")]
        assert told == [
            "⏸ I can no longer post to @harbournews (its 'Post messages' right was taken "
            "away).\nOutlet 1 is paused; new articles wait in its queue. Make me an "
            "administrator with 'Post messages' again (a member that may send, in a group) "
            "and it resumes."
        ]
    add_articles(harness, 8)
    clock.now = START + timedelta(days=2)
    assert OutletQueue(harness.store.db).enqueue(clock.now) == 8
    await harness.feed(news.set_bot("administrator"))
    await sender.run_round(harness.app.bot)
    assert harness.services.outlets.get(1).active
    resumed = [m.text or "" for m in harness.tg.bot_messages(ADMIN_ID) if "▶" in (m.text or "")]
    assert resumed == [
        "▶ I can post to @harbournews again.\nOutlet 1 is resumed. 3 queued posts were "
        "skipped (paused for over a day: only the newest go)."
    ]
    all_calls_ok(harness)


async def test_resume_asks_telegram_first_and_refuses_where_the_bot_was_removed(
    harness: Harness,
) -> None:
    admin = harness.tg.user(ADMIN_ID)
    late = harness.tg.channel("Late News", username="late")
    await harness.feed(admin.sends("/channel @late"))
    await harness.feed(admin.sends("/channels"))
    listing = harness.tg.last_message(ADMIN_ID)
    resume = harness.tg.updates.callback_query(admin.json, listing.json, "out:resume:1:0")
    harness.tg.open_queries[resume["callback_query"]["id"]] = resume["callback_query"]
    await harness.feed(resume)
    answers = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    assert answers[-1] == "Outlet 1 is not paused."
    await harness.feed(admin.presses("⏸ Pause 1"))
    late.set_bot("kicked")
    harness.tg.pending.clear()  # the bot learns of it only by asking
    await harness.feed(admin.presses("▶ Resume 1"))
    answers = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    assert answers[-1] == (
        "Outlet 1 stays paused: the bot is not in @late (removed or left): add it again (to a "
        "channel as an administrator with 'Post messages')."
    )
    assert harness.services.outlets.get(1).paused_reason == "admin"


async def test_an_admin_pause_is_not_undone_by_rights_coming_back(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    news = harness.tg.channel("Harbour News", username="harbournews")
    await harness.feed(admin.sends("/channel @harbournews"))
    await harness.feed(admin.sends("/channels"))
    await harness.feed(admin.presses("⏸ Pause 1"))
    await harness.feed(news.set_bot("left"))
    await harness.feed(news.set_bot("administrator"))
    assert harness.services.outlets.get(1).paused_reason == "admin"
    assert harness.services.alerts.open() == []


async def test_a_migrated_group_moves_its_outlet(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    group = harness.tg.basic_group("Newsroom")
    await harness.feed(admin.sends(f"/channel {group.id}"))
    assert (admin.last.text or "").startswith("Added group")
    supergroup = group.migrate()
    updates = list(harness.tg.pending)
    for update in updates:
        await harness.feed(update)
    [outlet] = harness.services.outlets.all()
    assert (outlet.chat_id, outlet.kind) == (supergroup.id, "supergroup")


async def test_a_reader_arriving_through_an_outlet_is_counted_once(harness: Harness) -> None:
    admin, reader = harness.tg.user(ADMIN_ID), harness.tg.user(READER_ID)
    harness.tg.channel("One", username="onenews")
    harness.tg.channel("Two", username="twonews")
    await harness.feed(admin.sends("/channel @onenews"))
    await harness.feed(admin.sends("/channel @twonews"))
    ids = add_articles(harness, 5)
    assert ids[-1] == 5
    OutletQueue(harness.store.db).enqueue(harness.services.clock())
    posts = OutletPosts(harness.store.db)
    [post] = [p for p in posts.posts(2) if p.article_id == 5]  # outlet 2 posts article 5
    assert posts.claim(post.id, "test", now=harness.services.clock())
    posts.finish(post.id, [PostMessage(7, "text")], now=harness.services.clock())
    for _ in range(2):
        await harness.feed(reader.sends("/start a5o2"))
        assert "The city council voted" in (reader.last.text or "")
    await harness.feed(reader.sends("/start a99o2"))  # no such article: not counted
    assert "doesn't exist or was removed" in (reader.last.text or "")
    for fake in range(10):  # outlet 1 never posted article 5: the article opens, uncounted
        faker = harness.tg.user(5000 + fake)
        await harness.feed(faker.sends("/start a5o1"))
        assert "The city council voted" in (faker.last.text or "")
    stats = {s.outlet_id: (s.arrivals, s.readers) for s in harness.services.outlets.stats()}
    assert stats == {1: (0, 0), 2: (1, 1)}
    await harness.feed(admin.sends("/stats"))
    assert (admin.last.text or "").endswith(  # a blank line before, as before Most read
        "\n\nChannels and groups\n1 · One (@onenews): 0 posts in the chat, 0 readers came\n"
        "2 · Two (@twonews): 1 post in the chat, 1 reader came"
    )
    all_calls_ok(harness)


async def test_a_forum_topic_is_added_with_its_thread(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    forum = harness.tg.supergroup("Desk <1>", username="deskforum", forum=True)
    sport = forum.add_topic("Sport")
    await harness.feed(admin.sends("/channel @deskforum"))
    assert (admin.last.text or "").startswith(
        "Not added: @deskforum is a forum: say which topic with its thread id"
    )
    await harness.feed(admin.sends(f"/channel @deskforum topics: football thread: {sport}"))
    assert (admin.last.text or "").startswith(
        f"Added forum Desk <1> (@deskforum, topic {sport}) as outlet 1, for topics: football."
    )
    [outlet] = harness.services.outlets.all()
    assert (outlet.thread_id, outlet.topics) == (sport, ("football",))
    all_calls_ok(harness)


async def test_stats_lists_many_outlets_within_one_message(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    for n in range(20):
        harness.services.outlets.add(-1000 - n, now=START, kind="channel", title="T" * 200,
                                     username=f"channel_{'x' * 20}{n}")  # fmt: skip
    await harness.feed(admin.sends("/stats"))
    assert (admin.last.text or "").endswith("…and 5 more (newsbot channel list)")
    all_calls_ok(harness)


def test_outlet_counts_are_singular_for_one() -> None:
    """'1 hour', '1 post', 'Outlets 1, 2 are paused': every count in the outlets' words."""
    outlet = Outlet(
        id=1, chat_id=-100, thread_id=None, kind="channel", title="News", username=None,
        topics=(), sources=(), backfill_hours=1, paused_reason=None, paused_since=None,
        seen_id=0, added_at=START, posts_sent=1,
    )  # fmt: skip
    assert "Articles of the last hour are queued too." in render.added_text(outlet, [])
    twelve = dataclasses.replace(outlet, backfill_hours=12)
    assert "Articles of the last 12 hours are queued too." in render.added_text(twelve, [])
    assert "1 post in the chat · active" in render.outlet_entry(outlet)
    stats = render.stats_lines([outlet], [OutletStats(1, 1, 1, 1)])
    assert stats.endswith("1 post in the chat, 1 reader came")
    details: dict[str, object] = {"chat_id": -100, "title": "News", "outlets": [1, 2]}
    assert "Outlets 1, 2 are paused; new articles wait in their queue." in (
        render.paused_alert(details | {"why": "kicked"})
    )
    assert "and they resume." in render.paused_alert(details)
    assert "Outlets 1, 2 are resumed." in render.resumed_alert(details)
    assert "Outlet 1 is resumed." in render.resumed_alert(details | {"outlets": [1]})


def test_rights_notes_say_plainly_what_to_turn_on() -> None:
    def note(*, can_edit: bool, can_delete: bool) -> list[str]:
        return render.right_notes(
            "channel", can_edit=can_edit, can_delete=can_delete, can_photos=True, thread=None
        )

    assert note(can_edit=False, can_delete=False) == [
        "Corrections: the bot edits and deletes its own posts; it can't edit or delete others' "
        "posts: turn on 'Edit messages of others' and 'Delete messages of others'."
    ]
    assert note(can_edit=True, can_delete=False) == [
        "Corrections: the bot edits and deletes its own posts; it can't delete others' posts: "
        "turn on 'Delete messages of others'."
    ]
    assert note(can_edit=True, can_delete=True) == [
        "Corrections: the bot edits and deletes its own posts; it may edit others' posts, and "
        "may delete them."
    ]
