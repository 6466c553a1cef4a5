"""The poster (bot/outlet_poster.py): new articles reach every matching outlet once, are
corrected in place, deleted or withdrawn, at Telegram's pace: the real app, the stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.outlet_poster import OutletPoster
from bot.render import outlets as render_outlets
from standin import TelegramChat
from standin.state import ChatMessage
from summaries.article_summary import add_article, update_article
from summaries.corrections import Corrections
from summaries.deliveries import Deliveries
from summaries.models import Draft
from summaries.outlet_posts import OutletPosts
from summaries.outlet_queue import OutletQueue
from summaries.store import ArticleStore
from tests.helpers.cli import newsbot_here
from tests.helpers.clock import Clock
from tests.helpers.harness import Harness, edit_field, running_harness
from tests.helpers.samples import BODY, PNG

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
MINUTE = timedelta(seconds=60)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Harness]:
    """Without PTB's rate limiter, which waits in real time: the poster's own pace, read
    off the test's clock, is what keeps within Telegram's 20 a minute here."""
    async for running in running_harness(tmp_path / "news.db", rate_limit=False):
        yield running


class Poster:
    """The poster over the harness, with one clock the test turns for it and the stand-in."""

    def __init__(self, harness: Harness) -> None:
        self.harness, self.clock = harness, Clock(START)
        harness.set_clock(self.clock)
        self.poster = OutletPoster(harness.services, owner="test-poster")

    async def round(self) -> dict[str, int]:
        return await self.poster.run_round(self.harness.app.bot)

    def advance(self, by: timedelta) -> None:
        self.clock.now += by
        self.harness.tg.advance(int(by.total_seconds()))

    def article(self, title: str, *, photo: bool = True, body: str = BODY) -> int:
        draft = Draft(title, body, photo=PNG if photo else None, photo_credit="AP",
                      published_at=self.clock.now)  # fmt: skip
        return add_article(self.harness.store, draft, now=self.clock.now).id

    def outlet(self, chat: TelegramChat, **options: object) -> int:
        kind = str(chat.json["type"])
        return self.harness.services.outlets.add(chat.id, now=self.clock.now, kind=kind,
                                                 **options).id  # type: ignore[arg-type]  # fmt: skip

    def sends(self, chat_id: int) -> list[tuple[str, int | None]]:
        """(method, article in the start link) of each successful send into the chat."""
        found = []
        for call in self.harness.tg.calls:
            sent = call.ok and call.method in ("sendPhoto", "sendMessage")
            if sent and int(call.params.get("chat_id", 0)) == chat_id:
                found.append((call.method, _article_of(call.params)))
        return found


def _article_of(params: dict[str, object]) -> int | None:
    markup = str(params.get("reply_markup") or "")
    if "start=a" not in markup:
        return None
    return int(markup.split("start=a", 1)[1].split("o", 1)[0])


def shown(chat: TelegramChat) -> list[ChatMessage]:
    return chat.bot_posts


def all_calls_ok(harness: Harness, *, but: tuple[int, ...] = ()) -> None:
    bad = [(c.method, c.status) for c in harness.tg.calls if not c.ok and c.status not in but]
    assert bad == []


async def test_a_new_article_reaches_every_matching_outlet_once(app: Harness) -> None:
    p = Poster(app)
    news, sport = app.tg.channel("News", username="news"), app.tg.channel("Sport")
    forum = app.tg.supergroup("Town", forum=True, status="administrator")
    topic = forum.add_topic("Headlines")
    every = p.outlet(news)
    p.outlet(sport, topics=("football",))
    in_topic = p.outlet(forum, thread_id=topic)
    article_id = p.article("Council votes for the bridge")
    await p.round()
    await p.round()  # nothing is sent twice
    [post] = shown(news)
    assert post.photo is not None
    assert (post.caption or "").startswith("Council votes for the bridge")
    bot = app.app.bot.username
    assert post.buttons == [
        {"text": "📖 Read in the bot", "url": f"https://t.me/{bot}?start=a{article_id}o{every}"}
    ]
    assert shown(sport) == []
    [in_forum] = shown(forum)
    assert in_forum.json.get("message_thread_id") == topic
    assert f"start=a{article_id}o{in_topic}" in in_forum.buttons[0]["url"]
    assert p.sends(news.id) == [("sendPhoto", article_id)]
    [row] = OutletPosts(app.store.db).posts(every)
    assert (row.state, row.messages[0].message_id) == ("sent", post.message_id)
    all_calls_ok(app)


async def test_edits_of_the_headline_the_body_and_the_photo_reach_every_post(
    app: Harness,
) -> None:
    p = Poster(app)
    one, two = app.tg.channel("One"), app.tg.channel("Two")
    p.outlet(one)
    p.outlet(two)
    article_id = p.article("Old headline")
    await p.round()
    update_article(app.store, article_id, now=p.clock.now, title="New headline")
    counts = await p.round()
    assert counts.get("edited") == 2
    for chat in (one, two):
        [post] = shown(chat)
        assert (post.caption or "").startswith("New headline")
    body = "The bridge opens in May. The mayor cut the ribbon. Crowds came to see it."
    update_article(app.store, article_id, now=p.clock.now, body=body)
    await p.round()
    assert "The bridge opens in May." in (shown(one)[0].caption or "")
    before = shown(one)[0].photo
    update_article(app.store, article_id, now=p.clock.now, photo=PNG + b"\x00")
    await p.round()
    methods = [c.method for c in app.tg.calls if c.ok]
    assert methods.count("editMessageCaption") == 4
    assert methods.count("editMessageMedia") == 2
    assert shown(one)[0].photo != before
    assert [len(shown(c)) for c in (one, two)] == [1, 1]  # edited in place, nothing resent
    assert await p.round() == {}
    all_calls_ok(app)


async def test_a_photo_added_to_a_text_post_looks_as_read_does(
    app: Harness, tmp_path: Path
) -> None:
    """`edit --photo` turns a text post into a photo post: its caption has the photo's
    caption, its credit (labelled once) and the date line, as /read shows them."""
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    draft = Draft("Bridge opens", BODY, published_at=p.clock.now)
    article_id = add_article(app.store, draft, now=p.clock.now).id
    await p.round()
    assert "5 Dec 2026, 10:00" in (shown(chat)[0].text or "")  # Europe/Berlin
    photo = tmp_path / "pier.png"
    photo.write_bytes(PNG)
    done = newsbot_here(
        "edit", str(article_id), "--photo", str(photo), "--photo-caption", "The pier at dawn.",
        "--credit", "Photo: A. Reporter", db=tmp_path / "news.db",
    )  # fmt: skip
    assert done.stdout == f"updated article {article_id}\n", done.stderr
    await p.round()
    [post] = shown(chat)
    assert post.caption is not None
    assert post.caption.startswith(
        "Bridge opens\n\nThe pier at dawn.\n\nPhoto: A. Reporter\n\n5 Dec 2026, 10:00\n\n"
    )
    all_calls_ok(app)


async def test_a_deleted_article_is_deleted_or_withdrawn_after_48_hours(app: Harness) -> None:
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    fresh, old = p.article("Fresh story"), p.article("Old story")
    await p.round()
    app.store.delete(fresh, now=p.clock.now)
    assert (await p.round()).get("deleted") == 1
    assert [(m.caption or "")[:9] for m in shown(chat)] == ["Old story"]
    p.advance(timedelta(hours=49))
    app.store.delete(old, now=p.clock.now)
    assert (await p.round()).get("withdrawn") == 1
    [left] = shown(chat)
    assert (left.caption or "").startswith("This story was withdrawn.")
    assert left.buttons == []
    assert await p.round() == {}
    removed = {row.article_id: row.removed for row in OutletPosts(app.store.db).posts(1)}
    assert removed == {fresh: "deleted", old: "withdrawn"}
    assert app.services.outlets.get(1).posts_sent == 0  # none is in the chat any more


async def test_a_removed_outlets_posts_are_still_corrected_and_deleted(app: Harness) -> None:
    p = Poster(app)
    chat = app.tg.channel()
    outlet = p.outlet(chat)
    kept, dropped = p.article("Kept story"), p.article("Dropped story")
    await p.round()
    app.services.outlets.remove(outlet, now=p.clock.now)
    p.article("After the remove")
    update_article(app.store, kept, now=p.clock.now, title="Corrected story")
    app.store.delete(dropped, now=p.clock.now)
    assert await p.round() == {"edited": 1, "deleted": 1}
    [left] = shown(chat)
    assert (left.caption or "").startswith("Corrected story")
    assert len(p.sends(chat.id)) == 2  # nothing new went there
    all_calls_ok(app)


async def test_a_burst_of_40_arrives_in_order_at_20_a_minute(app: Harness) -> None:
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    assert app.tg.pace is not None
    app.tg.pace.per_chat = 15  # Telegram stricter than the poster's 20: 429s are waited out
    ids = [p.article(f"Story {i}") for i in range(40)]
    per_minute = []
    for _ in range(6):
        before = len(p.sends(chat.id))
        await p.round()
        per_minute.append(len(p.sends(chat.id)) - before)
        p.advance(MINUTE)
    assert [a for _, a in p.sends(chat.id)] == ids  # every one, once, in order
    assert max(per_minute) <= 20
    refused = [c for c in app.tg.calls if not c.ok]
    assert refused
    assert {c.status for c in refused} == {429}
    states = {row.state for row in OutletPosts(app.store.db).posts(1)}
    assert states == {"sent"}


async def test_the_poster_counts_a_photo_and_a_text_as_two(app: Harness) -> None:
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    words = " and then the council, the mayor and the harbour board met again to talk it over"
    long_body = " ".join(f"Sentence number {i} tells more{words * 4}." for i in range(12))
    for i in range(15):
        p.article(f"Long story {i}", body=long_body)
    await p.round()
    first = p.sends(chat.id)
    assert first[:2] == [
        ("sendPhoto", None),
        ("sendMessage", 1),
    ]  # photo, text
    assert len(first) == 20  # ten posts, not fifteen
    p.advance(MINUTE)
    await p.round()
    assert len(p.sends(chat.id)) <= 40
    all_calls_ok(app)


async def test_a_removed_bot_pauses_the_outlet_and_resumes_with_its_queue(app: Harness) -> None:
    p = Poster(app)
    chat = app.tg.channel("Harbour")
    outlet = p.outlet(chat)
    p.article("Before")
    await p.round()
    chat.set_bot("kicked")
    app.tg.pending.clear()  # the bot hears of it only through the failed post here
    queued = [p.article("During 1"), p.article("During 2")]
    assert (await p.round()).get("paused") == 1
    await p.round()
    assert app.services.outlets.get(outlet).paused_reason == "rights"
    [alert] = app.services.alerts.open()
    assert alert.kind == "outlet-paused"
    assert alert.details["outlets"] == [outlet]
    assert {"chat_id", "title", "username", "why"} <= set(alert.details)
    text = render_outlets.paused_alert(alert.details)
    assert "(the bot was removed from the chat)" in text  # in words, not Telegram's
    assert "Telegram said" not in text
    chat.set_bot("administrator")
    app.services.outlets.resume(outlet, now=p.clock.now)
    await p.round()
    assert [a for _, a in p.sends(chat.id)][1:] == queued
    all_calls_ok(app, but=(403,))


async def test_a_closed_or_deleted_topic_pauses_its_outlet_alone_and_says_why(
    app: Harness,
) -> None:
    """A forum topic closed or deleted is not lost rights: only that topic's outlet pauses,
    the chat's other topics go on, and the alert and the state name the real cause."""
    p = Poster(app)
    forum = app.tg.supergroup("Town", forum=True, status="member")
    news, sport, weather = (forum.add_topic(n) for n in ("News", "Sport", "Weather"))
    ids = {t: p.outlet(forum, thread_id=t) for t in (news, sport, weather)}
    forum.close_topic(sport)
    forum.delete_topic(weather)
    article = p.article("Bridge opens")
    await p.round()
    assert [a for _, a in p.sends(forum.id)] == [article]  # the news topic had it
    outlets = app.services.outlets
    states = {t: outlets.get(i).paused_reason for t, i in ids.items()}
    assert states == {news: None, sport: "topic-closed", weather: "topic-gone"}
    assert render_outlets.state_text(outlets.get(ids[sport])) == (
        "paused: its forum topic is closed"
    )
    alerts = {a.details["cause"]: render_outlets.paused_alert(a.details)
              for a in app.services.alerts.open()}  # fmt: skip
    assert set(alerts) == {"topic-closed", "topic-gone"}
    assert "The topic is closed." in alerts["topic-closed"]
    assert "(the topic was closed)" in alerts["topic-closed"]
    assert "Telegram said" not in "".join(alerts.values())
    assert f"topic {sport} of" in alerts["topic-closed"]
    assert "The topic was deleted" in alerts["topic-gone"]
    assert not any("rights" in text for text in alerts.values())
    forum.close_topic(sport, closed=False)
    outlets.resume(ids[sport], now=p.clock.now)
    await p.round()
    assert [a for _, a in p.sends(forum.id)] == [article, article]


async def test_a_migrated_group_moves_the_outlet(app: Harness) -> None:
    p = Poster(app)
    group = app.tg.basic_group("Old group")
    outlet = p.outlet(group)
    p.article("First")
    await p.round()
    bigger = group.migrate()
    app.tg.pending.clear()
    second = p.article("Second")
    assert (await p.round()).get("migrated") == 1
    await p.round()
    assert app.services.outlets.get(outlet).chat_id == bigger.id
    assert [a for _, a in p.sends(bigger.id)] == [second]
    assert len(shown(group)) == 1


async def test_posts_made_before_a_migration_are_edited_and_withdrawn_in_the_old_group(
    app: Harness,
) -> None:
    """An upgraded group is deactivated, not gone: the bot's messages there can be edited
    (not deleted: that needs write access), and its message ids mean nothing in the
    supergroup, so corrections go to the old chat and a delete becomes a withdrawal."""
    p = Poster(app)
    group = app.tg.basic_group("Old group")
    p.outlet(group)
    before = p.article("Before the upgrade")
    await p.round()
    bigger = group.migrate()
    after = p.article("After the upgrade")
    await p.round()
    await p.round()
    update_article(app.store, before, now=p.clock.now, title="Corrected headline")
    assert (await p.round()).get("edited") == 1
    [old] = shown(group)
    assert (old.caption or "").startswith("Corrected headline")
    app.store.delete(before, now=p.clock.now)
    assert (await p.round()).get("withdrawn") == 1
    assert (shown(group)[0].caption or "").startswith("This story was withdrawn.")
    assert [a for _, a in p.sends(bigger.id)] == [after]
    assert await p.round() == {}


async def test_a_claim_left_by_a_dead_process_goes_and_one_on_the_wire_does_not(
    app: Harness,
) -> None:
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    waiting, on_wire = p.article("Waiting"), p.article("On the wire")
    posts = OutletPosts(app.store.db)
    OutletQueue(app.store.db).enqueue(p.clock.now)
    rows = {row.article_id: row for row in posts.posts(1)}
    assert posts.claim(rows[waiting].id, "dead", now=p.clock.now)
    assert posts.claim(rows[on_wire].id, "dead", now=p.clock.now)
    posts.mark_sending(rows[on_wire].id, messages=1, now=p.clock.now)
    await p.round()
    assert [a for _, a in p.sends(chat.id)] == [waiting]
    assert {row.article_id: row.state for row in posts.posts(1)} == {
        waiting: "sent",
        on_wire: "in-doubt",
    }


async def test_a_correction_reaches_the_readers_its_digest_reached_once_each(
    app: Harness, tmp_path: Path
) -> None:
    clock = Clock(datetime(2026, 12, 5, 7, 58, tzinfo=UTC))
    sender = app.set_clock(clock)
    subs = app.services.subscriptions
    for reader in (1, 2, 3):
        app.tg.user(reader)
    subs.subscribe(1, time(8), ZoneInfo("UTC"), now=clock.now)
    subs.subscribe(2, time(8), ZoneInfo("UTC"), now=clock.now)
    subs.subscribe(3, time(8), ZoneInfo("UTC"), now=clock.now, topics=("zzzz",))
    draft = Draft("Council votes for the bridge", BODY, published_at=clock.now)
    article_id = add_article(app.store, draft, now=clock.now).id
    clock.now += timedelta(minutes=3)
    await sender.run_round(app.app.bot)
    carried = [c for c in (1, 2, 3) if app.services.deliveries.deliveries(c)]
    assert carried[:2] == [1, 2]
    result = newsbot_here(
        "edit", str(article_id), "--title", "Council votes against the bridge",
        "--correction", "The council voted against, not for.", db=tmp_path / "news.db",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "told of the correction" in result.stdout
    calls = len(app.tg.calls)
    counts = await sender.run_round(app.app.bot)
    assert counts.get("correction-sent") == 2
    await sender.run_round(app.app.bot)  # a second round sends nothing more
    notices = [c for c in app.tg.calls[calls:] if c.ok and c.method == "sendMessage"]
    assert sorted(int(c.params["chat_id"]) for c in notices) == [1, 2]
    text = str(notices[0].params["text"])
    assert "Correction" in text
    assert "The council voted against, not for." in text
    assert f"read:{article_id}" in str(notices[0].params["reply_markup"])
    assert Corrections(app.store.db).open_corrections() == []


async def test_a_correction_reaches_a_reader_whose_own_digest_carried_it(
    app: Harness, tmp_path: Path
) -> None:
    """Reader 7 asked /digest (no subscription): the correction finds them too, and the
    admin is told how many readers it goes to."""
    clock = Clock(datetime(2026, 12, 5, 7, 58, tzinfo=UTC))
    sender = app.set_clock(clock)
    reader = app.tg.user(7)
    draft = Draft("Council votes for the bridge", BODY, published_at=clock.now)
    article_id = add_article(app.store, draft, now=clock.now).id
    await app.feed(reader.sends("/digest"))
    assert "Council votes for the bridge" in (reader.last.text or "")
    result = newsbot_here(
        "edit", str(article_id), "--title", "Council votes against the bridge",
        "--correction", "The council voted against, not for.", db=tmp_path / "news.db",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "its 1 reader will be told of the correction in the next digest round\n"
    )
    counts = await sender.run_round(app.app.bot)
    assert counts.get("correction-sent") == 1
    assert "The council voted against, not for." in (reader.last.text or "")


async def test_a_correction_alone_tells_the_readers_and_leaves_the_posts(
    app: Harness, tmp_path: Path
) -> None:
    """The article was corrected before (from a file, say): --correction alone tells its
    readers now; the channel posts, already right, are not touched."""
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    article_id = p.article("Council votes against the bridge")
    await p.round()
    db = tmp_path / "news.db"
    note = "The council voted against, not for."
    done = newsbot_here("edit", str(article_id), "--correction", note, db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"article {article_id} unchanged\nno reader got this article, so no one is told\n"
    )
    [correction] = Corrections(app.store.db).open_corrections()
    assert (correction.article_id, correction.note) == (article_id, note)
    assert app.store.get(article_id).version == 0  # unchanged
    assert await p.round() == {}  # no edit is owed to the post
    refused = newsbot_here("edit", str(article_id), db=db)
    assert refused.returncode == 2
    assert "nothing to change: give at least one of" in refused.stderr
    assert "--correction" in refused.stderr


async def test_an_edit_to_the_same_values_changes_nothing(app: Harness, tmp_path: Path) -> None:
    """`edit --title` with the title it has, or /edit saved as it was: no new version, no
    post edited, and the admin is told so."""
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    article_id = p.article("Council votes for the bridge")
    await p.round()
    db = tmp_path / "news.db"
    same = newsbot_here(
        "edit", str(article_id), "--title", "Council votes for the bridge", "--credit", "AP",
        db=db,
    )  # fmt: skip
    assert (same.returncode, same.stdout) == (0, f"article {article_id} unchanged\n")
    assert app.store.get(article_id).version == 0
    assert await p.round() == {}  # no post edit queued
    admin = await edit_field(app, article_id, "Headline")
    await app.feed(admin.sends("Council votes for the bridge"))
    await app.feed(admin.presses("✅ Save changes"))
    assert admin.last.text == f"Article {article_id} unchanged: the edit is what it already says."
    assert app.store.get(article_id).version == 0
    assert await p.round() == {}
    moved = newsbot_here("edit", str(article_id), "--title", "Council votes against", db=db)
    assert moved.stdout == f"updated article {article_id}\n"
    assert (await p.round()).get("edited") == 1


async def test_save_as_a_correction_in_edit_asks_for_the_note(app: Harness) -> None:
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    article_id = p.article("Council votes for the bridge")
    await p.round()
    admin = await edit_field(app, article_id, "Headline")
    await app.feed(admin.sends("Council votes against the bridge"))
    await app.feed(admin.presses("📝 Save as a correction"))
    assert (admin.last.text or "").startswith("What changed? Send one line")
    await app.feed(admin.sends("It voted against, not for."))
    assert (admin.last.text or "").endswith("No reader got this article, so no one is told.")
    [correction] = Corrections(app.store.db).open_corrections()
    assert (correction.article_id, correction.note) == (article_id, "It voted against, not for.")
    assert (await p.round()).get("edited") == 1  # the channel post is edited in any case
    assert (shown(chat)[0].caption or "").startswith("Council votes against the bridge")


def test_prune_keeps_the_notices_of_an_open_correction(tmp_path: Path) -> None:
    store = ArticleStore.open(tmp_path / "news.db")
    deliveries, now = Deliveries(store.db), START
    article_id = add_article(store, Draft("Bridge", BODY), now=now).id
    correction = Corrections(store.db).mark(article_id, "It was Tuesday.", None, now=now)
    assert deliveries.claim(7, "correction", str(correction), "me", now=now, then=None)
    deliveries.finish(7, "correction", str(correction), "sent", now=now)
    later = now + timedelta(days=400)
    assert deliveries.prune(later, timedelta(days=30)) == 0
    Corrections(store.db).finish_correction(correction, now=later)
    assert deliveries.prune(later, timedelta(days=30)) == 1
    store.close()


async def test_a_photo_then_a_text_in_doubt_keeps_its_photo_to_correct(app: Harness) -> None:
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    words = " and then the council, the mayor and the harbour board met again to talk it over"
    long_body = " ".join(f"Sentence number {i} tells more{words * 4}." for i in range(12))
    article_id = p.article("Long story", body=long_body)
    app.tg.fail_next("sendMessage", timeout=True)  # the text: no answer, it may have arrived
    assert (await p.round()).get("in-doubt") == 1
    [row] = OutletPosts(app.store.db).posts(1)
    assert (row.state, [m.kind for m in row.messages]) == ("in-doubt", ["photo"])
    update_article(app.store, article_id, now=p.clock.now, title="Long story, corrected")
    await p.round()
    assert (shown(chat)[0].caption or "").startswith("Long story, corrected")
    # The text in doubt did arrive here (its id never came back): the edit corrects the
    # photo it knows and sends no second text; the text stays as it was.
    assert [m.text is not None for m in shown(chat)] == [False, True]


async def test_a_stopping_poster_claims_nothing_and_the_app_runs_one(app: Harness) -> None:
    assert isinstance(app.app.bot_data["outlet_poster"], OutletPoster)
    p = Poster(app)
    chat = app.tg.channel()
    p.outlet(chat)
    p.article("Too late")
    p.poster.stop()  # what bot_data["stopping"] does before the app stops
    assert not p.poster.begin_round()
    assert await p.round() == {}
    assert p.sends(chat.id) == []
