"""Admins post, edit and delete from the chat; everyone else is refused at every step."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from standin import TINY_PNG
from summaries.article_summary import add_article, summary_of, update_article
from summaries.errors import ArticleNotFoundError
from summaries.models import Draft
from tests.helpers.harness import ADMIN_ID, READER_ID, Harness, edit_field, running_harness
from tests.helpers.samples import BODY, PNG

NOT_ADMIN = "This command is for admins."


async def write_draft(h: Harness, *, photo: bool = True) -> None:
    admin = h.tg.user(ADMIN_ID, "Editor")
    await h.feed(admin.sends("/post"))
    await h.feed(admin.sends("Bridge & <river> approved"))
    await h.feed(admin.sends(BODY))
    await h.feed(admin.sends("A second paragraph. It says more."))
    await h.feed(admin.sends("/done"))
    if photo:
        await h.feed(admin.sends_photo("The river at dusk", TINY_PNG))
    else:
        await h.feed(admin.sends("/skip"))
    await h.feed(admin.sends("https://example.org/bridge"))


async def test_post_with_photo_preview_then_publish(harness: Harness) -> None:
    await write_draft(harness)
    admin_chat = harness.tg.bot_messages(ADMIN_ID)
    photo, summary, question = admin_chat[-3:]
    assert photo.caption == "Bridge & <river> approved\n\nThe river at dusk"
    assert "The city council voted" in (summary.text or "")
    assert [b["text"] for b in question.buttons] == [
        "✅ Publish",
        "📣 Publish and notify",
        "✏ Edit a field",
        "✖ Cancel",
    ]
    assert harness.store.count() == 0  # a preview stores nothing
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.presses("✅ Publish"))
    [article] = harness.store.latest()
    assert (article.title, article.url) == (
        "Bridge & <river> approved",
        "https://example.org/bridge",
    )
    assert article.body.endswith("A second paragraph. It says more.")
    assert harness.store.photo(article.id) == TINY_PNG  # downloaded into the store
    assert (admin.last.text or "").startswith(f"Published as article {article.id}.")
    await harness.feed(admin.presses("✅ Publish"))  # pressed again: no second article
    assert harness.store.count() == 1
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article.id}"))
    shown_photo, shown_summary = harness.tg.bot_messages(READER_ID)
    assert shown_photo.caption == photo.caption  # readers see what the preview showed
    # the same summary and link; only the time line (preview: now) may differ by a second
    assert (shown_summary.text or "").split("\n\n")[1:] == (summary.text or "").split("\n\n")[1:]
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_cancel_and_bad_input_change_nothing(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/post"))
    await harness.feed(admin.sends("x" * 1200))
    assert "too long" in (admin.last.text or "")
    await harness.feed(admin.sends("Headline"))
    await harness.feed(admin.sends("/done"))
    assert "The text is empty" in (admin.last.text or "")
    await harness.feed(admin.sends_sticker())
    assert "/cancel" in (admin.last.text or "")
    await harness.feed(admin.sends("Body text. More text."))
    await harness.feed(admin.sends("/done"))
    document = harness.tg.updates.message(
        admin.json, admin.chat, document={"file_id": "doc1", "file_unique_id": "u1"}
    )
    await harness.feed(harness.tg.updates.update("message", document))
    assert "Send it as a photo, not as a file" in (admin.last.text or "")
    await harness.feed(admin.sends("/skip"))
    await harness.feed(admin.sends("not a link"))
    assert "must be an http" in (admin.last.text or "")
    await harness.feed(admin.sends("/cancel"))
    assert admin.last.text == "Cancelled; nothing was stored."
    assert harness.store.count() == 0


async def test_non_admins_get_nothing_at_any_step(harness: Harness) -> None:
    [article_id] = [
        add_article(harness.store, Draft(title="Kept", body=BODY), now=harness.services.clock()).id
    ]
    await write_draft(harness, photo=False)
    admins_question = harness.tg.last_message(ADMIN_ID)
    stranger = harness.tg.user(READER_ID)
    for text in ["/post", f"/edit {article_id}", f"/delete {article_id}", "/stats"]:
        await harness.feed(stranger.sends(text))
        assert stranger.last.text == NOT_ADMIN, text
    await harness.feed(stranger.sends_photo("/post Sneaky\nBody. More."))
    assert stranger.last.text == NOT_ADMIN
    for data in ["post:publish", "post:notify", f"del:{article_id}:yes"]:  # replayed data
        update = harness.tg.updates.callback_query(stranger.json, admins_question.json, data)
        harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
        await harness.feed(update)
    alerts = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    # outside the admin's conversation a draft button is just stale; /delete's says why
    assert alerts == ["This button no longer works. Try /latest."] * 2 + [NOT_ADMIN]
    assert [a.title for a in harness.store.latest()] == ["Kept"]


async def test_draft_survives_a_restart(tmp_path: Path) -> None:
    async for first in running_harness(tmp_path / "news.db"):
        admin = first.tg.user(ADMIN_ID)
        await first.feed(admin.sends("/post"))
        await first.feed(admin.sends("Restart-proof headline"))
        await first.feed(admin.sends("The text came before the restart. It stays."))
    async for second in running_harness(tmp_path / "news.db"):  # a new process, same database
        admin = second.tg.user(ADMIN_ID)
        await second.feed(admin.sends("/done"))
        assert "Send the photo" in (admin.last.text or "")
        await second.feed(admin.sends("/skip"))
        await second.feed(admin.sends("/skip"))
        await second.feed(admin.presses("✅ Publish"))
        [article] = second.store.latest()
        assert article.title == "Restart-proof headline"


async def test_quick_post_from_a_captioned_photo(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(
        admin.sends_photo("/post Flood warning lifted\nThe river fell. Roads open.")
    )
    [article] = harness.store.latest()
    assert (article.title, article.body) == ("Flood warning lifted", "The river fell. Roads open.")
    assert article.has_photo
    assert admin.last.text == f"Published as article {article.id}."
    await harness.feed(admin.sends_photo("/post \n"))  # no headline: refused, nothing stored
    assert admin.last.text == "The title is empty."  # a sentence, in the admin's language
    assert harness.store.count() == 1


async def test_edit_a_field_and_conflicts(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Old headline", body=BODY), now=harness.services.clock()
    )
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends(f"/edit {article.id}"))
    assert admin.last.buttons[0]["text"] == "✅ Save changes"
    await harness.feed(admin.presses("✏ Edit a field"))
    await harness.feed(admin.presses("Headline"))
    await harness.feed(admin.sends("New headline"))
    update_article(
        harness.store,
        article.id,
        body=BODY + " Someone else was quicker.",
        now=harness.services.clock(),
    )
    await harness.feed(admin.presses("✅ Save changes"))
    assert "changed or deleted by someone else" in (admin.last.text or "")
    assert harness.store.get(article.id).title == "Old headline"
    await harness.feed(admin.sends(f"/edit {article.id}"))
    await harness.feed(admin.presses("✏ Edit a field"))
    await harness.feed(admin.presses("Text"))
    await harness.feed(admin.sends("A brand new text. Nothing like before."))
    await harness.feed(admin.sends("/done"))
    await harness.feed(admin.presses("✅ Save changes"))
    assert harness.store.get(article.id).body == "A brand new text. Nothing like before."
    assert summary_of(harness.store, article.id)[0] == "A brand new text."


async def test_delete_with_confirmation(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Going away", body=BODY), now=harness.services.clock()
    )
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/latest"))
    await harness.feed(admin.sends(f"/delete {article.id}"))
    await harness.feed(admin.presses("No"))
    assert harness.store.get(article.id).title == "Going away"
    await harness.feed(admin.sends(f"/delete {article.id}"))
    await harness.feed(admin.presses("Yes, delete"))
    with pytest.raises(ArticleNotFoundError):
        harness.store.get(article.id)
    await harness.feed(admin.presses(f"{article.id} · Going away"))  # the old list's button
    assert "was removed" in (admin.last.text or "")


async def test_breaking_news_reaches_opted_in_readers_once(harness: Harness) -> None:
    subs = harness.services.subscriptions
    for chat, breaking in [(7001, True), (7002, False), (7003, True)]:
        harness.tg.user(chat)
        subs.subscribe(chat, time(8), ZoneInfo("UTC"), now=datetime.now(UTC))
        subs.set_flags(chat, breaking=breaking, now=harness.services.clock())
    await write_draft(harness)
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.presses("📣 Publish and notify"))
    sender = harness.app.bot_data["digest_sender"]
    for _ in range(3):  # the task the button started, and later rounds: never twice
        await sender.run_round(harness.app.bot)
    for chat, expected in [(7001, 1), (7002, 0), (7003, 1)]:
        texts = [m.text or "" for m in harness.tg.bot_messages(chat) if m.text]
        assert sum("🔴 Breaking news" in t for t in texts) == expected, chat


async def test_stats(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Read me", body=BODY), now=harness.services.clock()
    )
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article.id}"))
    harness.services.subscriptions.subscribe(
        READER_ID, time(8), ZoneInfo("UTC"), now=harness.services.clock()
    )
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/stats"))
    chart, summary = harness.tg.bot_messages(ADMIN_ID)[-2:]
    assert chart.photo is not None
    assert chart.caption == "Reads and new digest readers, last 14 days"
    [upload] = [c for c in harness.tg.calls if c.method == "sendPhoto"]
    assert upload.ok
    text = summary.text or ""
    assert "Articles: 1" in text
    assert "Digest readers — active: 1, paused: 0" in text
    assert f"1 × {article.id} · Read me" in text


async def test_edit_can_remove_the_link(harness: Harness) -> None:
    article = add_article(
        harness.store,
        Draft(title="Linked", body=BODY, url="https://example.org/x"),
        now=harness.services.clock(),
    )
    admin = await edit_field(harness, article.id, "Source link")
    assert admin.last.text == "Send the new source link (or - for none)."
    await harness.feed(admin.sends("-"))
    await harness.feed(admin.presses("✅ Save changes"))
    assert harness.store.get(article.id).url is None


async def test_a_redelivered_quick_post_stores_one_article(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    update = admin.sends_photo("/post Flood warning lifted\nThe river fell. Roads open.")
    await harness.feed(update)
    await harness.feed(update)  # Telegram sends it again after a crash before the ack
    assert harness.store.count() == 1
    assert admin.last.text == "Published as article 1."


def test_a_draft_is_stored_once_however_often_published(harness: Harness) -> None:
    draft = Draft(title="Once", body=BODY, draft_key="k1")
    first, again = (
        add_article(harness.store, draft, now=harness.services.clock()),
        add_article(harness.store, draft, now=harness.services.clock()),
    )
    assert first.id == again.id
    assert harness.store.count() == 1


async def test_publish_survives_a_slow_get_file_and_says_so_when_it_fails(
    harness: Harness,
) -> None:
    await write_draft(harness)
    admin = harness.tg.user(ADMIN_ID)
    harness.tg.fail_next("getFile", timeout=True, times=3)  # no answer three times: give up
    await harness.feed(admin.presses("✅ Publish"))
    assert "Telegram did not hand over the photo" in (admin.last.text or "")
    assert harness.store.count() == 0  # nothing half-published; the draft is kept
    harness.tg.fail_next("getFile", timeout=True)  # once: reading is safe to repeat
    await harness.feed(admin.presses("✅ Publish"))
    assert (admin.last.text or "").startswith("Published as article")
    assert harness.store.count() == 1


async def test_the_edit_preview_shows_the_stored_photo_and_its_credit(harness: Harness) -> None:
    article = add_article(
        harness.store,
        Draft(title="Bridge", body=BODY, photo=PNG, photo_caption="Dusk", photo_credit="AP"),
        now=harness.services.clock(),
    )
    assert article.photo_file_id is None  # never sent yet: only its bytes are stored
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends(f"/edit {article.id}"))
    photo, summary, _ = harness.tg.bot_messages(ADMIN_ID)[-3:]
    assert photo.caption == "Bridge\n\nDusk\n\nPhoto: AP"  # as readers see it
    assert "Bridge" not in (summary.text or "").split("\n")[0]  # the headline is on the photo
    assert harness.store.get(article.id).photo_file_id is None  # a preview keeps nothing


async def test_a_malformed_link_is_refused_before_reading_and_in_a_sentence(
    harness: Harness,
) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/post notaurl"))
    texts = [m.text or "" for m in harness.tg.bot_messages(ADMIN_ID)]
    assert texts == ["Can't use that page: the link must be an http:// or https:// link, "
                     "not 'notaurl'."]  # fmt: skip
    await write_draft(harness, photo=False)  # its link step gets a proper link; now a bad one
    await harness.feed(admin.presses("✏ Edit a field"))
    await harness.feed(admin.presses("Source link"))
    await harness.feed(admin.sends("not a link"))
    assert (admin.last.text or "").startswith("The link must be an http:// or https:// link")
