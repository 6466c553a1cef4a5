"""An admin's draft, step by step: long texts in parts, no photo, and what each step expects."""

from __future__ import annotations

from summaries.article_summary import add_article
from summaries.models import Draft
from tests.helpers.harness import ADMIN_ID, READER_ID, Harness, edit_field
from tests.helpers.samples import BODY, PNG

PART = "The council met again on Tuesday and talked about the bridge for a long time. " * 40


async def test_edit_takes_a_long_text_in_several_messages(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Bridge", body=BODY), now=harness.services.clock()
    )
    admin = await edit_field(harness, article.id, "Text")
    assert "then /done" in (admin.last.text or "")
    assert len(PART) > 3000  # two of them can't be one Telegram message
    await harness.feed(admin.sends(PART.strip()))
    await harness.feed(admin.sends(PART.strip()))
    await harness.feed(admin.sends("And a last part. It ends here."))
    await harness.feed(admin.sends("/done"))
    assert admin.last.buttons[0]["text"] == "✅ Save changes"  # back at the preview
    await harness.feed(admin.presses("✅ Save changes"))
    body = harness.store.get(article.id).body
    assert body == f"{PART.strip()}\n\n{PART.strip()}\n\nAnd a last part. It ends here."
    assert len(body) > 4096


async def test_done_alone_keeps_the_text_being_edited(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Bridge", body=BODY), now=harness.services.clock()
    )
    admin = await edit_field(harness, article.id, "Text")
    await harness.feed(admin.sends("/done"))
    await harness.feed(admin.presses("✅ Save changes"))
    assert harness.store.get(article.id).body == BODY


async def test_edit_can_remove_the_photo_and_readers_get_text_only(harness: Harness) -> None:
    article = add_article(
        harness.store,
        Draft(title="Bridge", body=BODY, photo=PNG, photo_caption="Dusk", photo_credit="AP"),
        now=harness.services.clock(),
    )
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article.id}"))  # Telegram now has its file_id
    assert harness.store.get(article.id).photo_file_id
    admin = await edit_field(harness, article.id, "Photo")
    assert "/remove" in (admin.last.text or "")
    assert "/cancel" in (admin.last.text or "")
    await harness.feed(admin.sends("/skip"))  # not a word of this step: it says which are
    assert "/remove" in (admin.last.text or "")
    await harness.feed(admin.sends("/remove"))
    preview = harness.tg.bot_messages(ADMIN_ID)[-2:]
    assert [m.photo for m in preview] == [None, None]  # the preview has no photo
    assert "Bridge" in (preview[0].text or "")  # so the headline is in the text
    await harness.feed(admin.presses("✅ Save changes"))
    stored = harness.store.get(article.id)
    assert not stored.has_any_photo
    assert (stored.photo_caption, stored.photo_credit) == ("", "")
    assert harness.store.photo(article.id) is None
    before = len(harness.tg.bot_messages(READER_ID))
    await harness.feed(reader.sends(f"/read {article.id}"))
    [shown] = harness.tg.bot_messages(READER_ID)[before:]
    assert shown.photo is None
    assert (shown.text or "").startswith("Bridge")  # the headline moves into the text
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_each_step_says_what_it_expects(harness: Harness) -> None:
    admin = harness.tg.user(ADMIN_ID)
    await harness.feed(admin.sends("/post"))
    for early in ["/done", "/skip"]:  # at the headline step: not "I don't know /done"
        await harness.feed(admin.sends(early))
        assert admin.last.text == "Send the headline first, as a message (or /cancel)."
    await harness.feed(admin.sends_sticker())
    assert admin.last.text == "Send the headline first, as a message (or /cancel)."
    await harness.feed(admin.sends("Headline"))
    await harness.feed(admin.sends("/skip"))
    assert admin.last.text == (
        "Send the text as one message or several (forwarded ones too), then /done (or /cancel)."
    )
    await harness.feed(admin.sends("Body text. More text."))
    await harness.feed(admin.sends("/done"))
    await harness.feed(admin.sends("/done"))  # at the photo step
    assert admin.last.text == "Send the photo, or /skip for none (or /cancel)."
    await harness.feed(admin.sends("a caption without a photo"))
    assert admin.last.text == "Send the photo, or /skip for none (or /cancel)."
    await harness.feed(admin.sends("/skip"))
    await harness.feed(admin.sends("/done"))  # at the link step
    assert admin.last.text == "Send the source link (https://...), or /skip for none (or /cancel)."
    await harness.feed(admin.sends("/skip"))
    await harness.feed(admin.sends("/done"))  # at the preview
    assert admin.last.text == (
        "Use the buttons under the preview: Publish, Publish and notify, Edit a field or Cancel "
        "(or /cancel)."
    )
    await harness.feed(admin.sends("/latest"))  # other commands still work in a draft
    assert "Latest news" in (admin.last.text or "") or "No news" in (admin.last.text or "")
    await harness.feed(admin.presses("✏ Edit a field"))
    await harness.feed(admin.presses("Headline"))
    await harness.feed(admin.sends_photo("a photo"))  # a photo where a headline is wanted
    assert admin.last.text == "Send the new headline, as a message (or /cancel)."
    await harness.feed(admin.presses("Text"))  # another field's button, while this one waits
    [alert] = harness.tg.successful("answerCallbackQuery")[-1:]
    assert alert.params["text"] == (
        "First this step: Send the new headline, as a message (or /cancel)."
    )
    assert alert.params["show_alert"]
    assert harness.store.count() == 0
    await harness.feed(admin.presses("✖ Cancel"))  # the fields' Cancel works at this step
    assert admin.last.text == "Cancelled; nothing was stored."
    await harness.feed(admin.sends("/done"))  # no draft any more: a command like any other
    assert (admin.last.text or "").startswith("I don't know /done")
    assert [c for c in harness.tg.calls if not c.ok] == []


async def test_edit_can_empty_the_photo_caption(harness: Harness) -> None:
    article = add_article(
        harness.store,
        Draft(title="Bridge", body=BODY, photo=PNG, photo_caption="Dusk"),
        now=harness.services.clock(),
    )
    admin = await edit_field(harness, article.id, "Photo caption")
    assert admin.last.text == "Send the new photo caption (or - for none)."
    await harness.feed(admin.sends("-"))
    await harness.feed(admin.presses("✅ Save changes"))
    assert harness.store.get(article.id).photo_caption == ""
    assert harness.store.get(article.id).has_photo  # the photo itself stays


async def test_a_field_chosen_before_an_upgrade_still_gets_the_value(harness: Harness) -> None:
    article = add_article(
        harness.store, Draft(title="Bridge", body=BODY), now=harness.services.clock()
    )
    admin = await edit_field(harness, article.id, "Source link")
    user_data = harness.app.user_data[ADMIN_ID]  # as an older newsbot kept the choice
    del user_data["draft"]["field"]
    user_data["field"] = "url"
    await harness.feed(admin.sends("https://example.org/bridge"))
    await harness.feed(admin.presses("✅ Save changes"))
    stored = harness.store.get(article.id)
    assert (stored.title, stored.url) == ("Bridge", "https://example.org/bridge")
