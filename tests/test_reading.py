"""Reading in Telegram: the real handlers through the real PTB stack, against the stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from standin import TIMED_OUT
from summaries.article_summary import add_article
from summaries.models import Draft
from tests.helpers.harness import READER_ID, Harness, running_harness
from tests.helpers.samples import BODY, PNG


def add(h: Harness, n: int = 1, **fields: object) -> list[int]:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return [
        add_article(h.store, Draft(**{"title": f"Story {i}", "body": BODY,
                             "published_at": start + timedelta(hours=i), **fields}),  # type: ignore[arg-type]
                    now=h.services.clock()).id
        for i in range(n)
    ]  # fmt: skip


async def test_commands_are_registered(harness: Harness) -> None:
    everyone, admins = harness.tg.successful("setMyCommands")[:2]  # English: then the others
    assert "language_code" not in everyone.params  # English is every other language's menu
    names = [c["command"] for c in everyone.params["commands"]]
    assert {"start", "help", "latest", "read", "search", "subscribe"} <= set(names)
    assert "post" not in names
    assert {"post", "edit", "delete", "stats"} <= {c["command"] for c in admins.params["commands"]}
    assert admins.params["scope"] == {"type": "chat", "chat_id": 1001}


async def test_start_welcomes_with_a_latest_button(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID, "Zoë <3")
    await harness.feed(reader.sends("/start"))
    assert reader.last.text is not None
    assert reader.last.text.startswith("Hello, Zoë <3!")
    assert [b["text"] for b in reader.last.buttons] == ["📰 Latest news", "🔔 Daily digest"]


async def test_read_sends_captioned_photo_then_summary(harness: Harness) -> None:
    [article_id] = add(harness, photo=PNG, photo_caption="The river <at> dusk", photo_credit="AP",
                       url="https://example.org/bridge")  # fmt: skip
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article_id}"))
    photo, summary = harness.tg.bot_messages(READER_ID)
    assert photo.caption == "Story 0\n\nThe river <at> dusk\n\nPhoto: AP"
    assert photo.parse_mode == "HTML"
    assert summary.text is not None
    assert "The city council voted" in summary.text
    assert summary.text.endswith("Source: example.org")
    assert [b["text"] for b in summary.buttons] == ["📄 Full text", "↗ Share"]
    # the upload's file_id is kept, and the next read reuses it instead of uploading again
    file_id = harness.store.get(article_id).photo_file_id
    assert file_id == photo.photo
    await harness.feed(reader.sends(f"/read {article_id}"))
    assert harness.tg.successful("sendPhoto")[-1].params["photo"] == file_id


async def test_refused_photo_still_delivers_the_summary(harness: Harness) -> None:
    [article_id] = add(harness, photo_url="https://example.org/broken.jpg")
    harness.tg.fail_next("sendPhoto", 400, "Bad Request: wrong file identifier/HTTP URL specified")
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article_id}"))
    [summary] = harness.tg.bot_messages(READER_ID)
    assert summary.text is not None
    assert summary.text.startswith("Story 0\n\n")  # the headline moves into the text


async def test_read_bad_and_missing_ids(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/read"))
    assert "e.g. /read 3" in (reader.last.text or "")
    await harness.feed(reader.sends("/read 999"))
    assert "Article 999 doesn't exist or was removed" in (reader.last.text or "")


async def test_latest_pages_by_editing_the_same_message(harness: Harness) -> None:
    ids = add(harness, 7)  # pages of 5
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/latest"))
    listing = reader.last
    assert listing.buttons[0]["text"] == f"{ids[-1]} · Story 6"
    assert listing.buttons[-1]["text"] == "Older »"
    await harness.feed(reader.presses("Older »"))
    assert reader.last.message_id == listing.message_id  # edited, not a new message
    assert reader.last.buttons[0]["text"] == f"{ids[1]} · Story 1"
    assert [b["text"] for b in reader.last.buttons[-1:]] == ["« Newer"]
    await harness.feed(reader.presses(f"{ids[0]} · Story 0"))
    assert "The city council voted" in (reader.last.text or "")


async def test_next_and_full_text(harness: Harness) -> None:
    long_body = "\n\n".join(
        f"Paragraph {p}. " + "A sentence of the story. " * 60 for p in range(8)
    )
    _, newer = add(harness, 2, body=long_body)
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {newer}"))
    await harness.feed(reader.presses("Next ›"))
    assert reader.last.text is not None
    assert reader.last.text.startswith("Story 0")
    before = len(harness.tg.bot_messages(READER_ID))
    await harness.feed(reader.presses("📄 Full text"))
    [page] = harness.tg.bot_messages(READER_ID)[before:]  # one message, turned in place
    assert [b["text"] for b in page.buttons] == ["Page 1 of 4", "›", "»"]
    assert len(page.text or "") <= 4096
    assert (page.text or "").rstrip().endswith(".")


async def test_deleted_article_button_says_removed(harness: Harness) -> None:
    [article_id] = add(harness)
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/latest"))
    harness.store.delete(article_id, now=harness.services.clock())
    await harness.feed(reader.presses(f"{article_id} · Story 0"))
    assert "was removed" in (reader.last.text or "")


async def test_search_is_safe_and_pages(harness: Harness) -> None:
    add(harness, 10)
    reader = harness.tg.user(READER_ID)
    for hostile in ['"', "NOT(", "*", "NEAR", "😀", "x" * 4000, "<b>&amp;"]:
        await harness.feed(reader.sends(f"/search {hostile}"))
        assert (reader.last.text or "").startswith("Nothing found for") or (
            reader.last.text or ""
        ).endswith("has no words to search for; try a word like trains")
    await harness.feed(reader.sends("/search bridge council"))
    assert (reader.last.text or "").startswith("Search: bridge council (1–5)")
    await harness.feed(reader.presses("Older »"))
    assert (reader.last.text or "").startswith("Search: bridge council (6–10)")
    await harness.feed(reader.sends("bridge"))  # plain text is a search
    assert (reader.last.text or "").startswith("Search: bridge")


async def test_readers_find_stories_in_their_own_language_and_spelling(
    harness: Harness,
) -> None:
    [kyiv] = add(harness, title="Ціни на м'ясо у Києві", language="ukrainian",
                 body="Мʼясо подорожчало. Про це повідомили у вівторок.")  # fmt: skip
    [yilmaz] = add(harness, title="Yılmaz kazandı", language="turkish",
                   body="Ahmet Yılmaz seçimi kazandı.")  # fmt: skip
    reader = harness.tg.user(READER_ID, language_code="uk")
    for query, found in [("Києва м’ясо", kyiv), ("/search мясо", kyiv), ("YILMAZ", yilmaz)]:
        await harness.feed(reader.sends(query))
        assert [b["callback_data"] for b in reader.last.buttons] == [f"read:{found}"], query
    await harness.feed(reader.inline_query("КИЄВОМ"))
    [call] = harness.tg.successful("answerInlineQuery")
    assert [r["id"] for r in call.params["results"]] == [str(kyiv)]


async def test_a_search_without_words_says_so(harness: Harness) -> None:
    add(harness)
    reader = harness.tg.user(READER_ID)
    for text in ["/search 🚆", "🚆 !", "/search < …?"]:
        await harness.feed(reader.sends(text))
        shown = text.removeprefix("/search ")
        assert reader.last.text == f"{shown} has no words to search for; try a word like trains"
    await harness.feed(reader.sends("/search \u200b"))  # nothing to show but an invisible
    assert reader.last.text == "That has no words to search for; try a word like trains"
    await harness.feed(reader.inline_query("🚆"))
    [call] = harness.tg.successful("answerInlineQuery")
    assert call.params["results"] == []
    assert call.params["button"] == {
        "text": "🚆 has no words to search for; try a word like trains",
        "start_parameter": "search",
    }


async def test_inline_mode_offers_articles(harness: Harness) -> None:
    [article_id] = add(harness, url="https://example.org/x")
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.inline_query("bridge"))
    [call] = harness.tg.successful("answerInlineQuery")
    [result] = call.params["results"]
    assert result["id"] == str(article_id)
    link = result["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert link == f"https://t.me/newsbot_demo_bot?start={article_id}"


async def test_deep_link_opens_the_article(harness: Harness) -> None:
    [article_id] = add(harness)
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/start {article_id}"))
    assert "The city council voted" in (reader.last.text or "")


async def test_other_messages_get_a_hint_or_silence(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends("/frobnicate"))
    assert (reader.last.text or "").startswith("I don't know /frobnicate")
    await harness.feed(reader.sends_sticker())
    assert "I read text and commands" in (reader.last.text or "")
    sent = len(harness.tg.bot_messages(READER_ID))
    await harness.feed(reader.edits(reader.sees[0].message_id, "/latest"))
    assert len(harness.tg.bot_messages(READER_ID)) == sent  # edits are ignored
    group = harness.tg.add_group(-100123)
    await harness.feed(reader.sends("hello everyone", chat_id=group["id"]))
    assert harness.tg.bot_messages(group["id"]) == []


async def test_blocked_reader_is_recorded(harness: Harness) -> None:
    [article_id] = add(harness)
    reader = harness.tg.user(READER_ID)
    services = harness.app.bot_data["services"]
    services.subscriptions.subscribe(READER_ID, time(8), ZoneInfo("UTC"), now=services.clock())
    harness.tg.blocked_chats.add(READER_ID)
    await harness.feed(harness.tg.updates.text(reader.json, f"/read {article_id}", reader.chat))
    assert services.subscriptions.is_blocked(READER_ID)


async def test_blocking_by_a_chat_that_is_no_reader_is_not_kept(harness: Harness) -> None:
    """Only subscribers.blocked records a block: nothing is sent unasked to other chats."""
    [article_id] = add(harness)
    reader = harness.tg.user(READER_ID)
    harness.tg.blocked_chats.add(READER_ID)
    await harness.feed(harness.tg.updates.text(reader.json, f"/read {article_id}", reader.chat))
    subscriptions = harness.app.bot_data["services"].subscriptions
    assert not subscriptions.is_blocked(READER_ID)
    assert subscriptions.get(READER_ID) is None


async def test_reads_are_counted(harness: Harness) -> None:
    [article_id] = add(harness)
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article_id}"))
    await harness.feed(reader.sends(f"/read {article_id}"))
    assert harness.app.bot_data["services"].activity.reads(article_id) == 2


async def test_every_reply_passed_telegram_validation(harness: Harness) -> None:
    add(harness, 3, photo=PNG, title="<b>& x</b> " * 90, photo_caption="c & <d>" * 140)
    reader = harness.tg.user(READER_ID)
    for text in ["/start", "/help", "/latest", "/read 1", "/search x", "hello", "/read 2"]:
        await harness.feed(reader.sends(text))
    await harness.feed(reader.presses("📄 Full text"))
    refused = [c for c in harness.tg.calls if not c.ok]
    assert refused == []


async def test_huge_and_forged_numbers_are_not_found(harness: Harness) -> None:
    reader = harness.tg.user(READER_ID)
    huge = "9" * 30
    for text in [f"/read {huge}", f"/start {huge}", f"/read {2**63}", "424242"]:
        await harness.feed(reader.sends(text))
        assert "doesn't exist or was removed" in (reader.last.text or ""), text
    await harness.feed(reader.sends("/latest"))
    listing = reader.last
    for data in [f"read:{huge}", f"latest:{huge}", f"next:{huge}", "s:zzz:0", "bogus"]:
        update = harness.tg.updates.callback_query(reader.json, listing.json, data)
        harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
        await harness.feed(update)
    await harness.feed(reader.inline_query(huge))
    assert harness.tg.successful("answerInlineQuery")[-1].params["results"] == []
    answers = [c.params.get("text") for c in harness.tg.successful("answerCallbackQuery")]
    refused = [c for c in harness.tg.calls if not c.ok]
    assert all("message is not modified" in c.response["description"] for c in refused)
    assert answers.count("This button no longer works. Try /latest.") == 1  # "bogus"
    assert "Sorry, something went wrong" not in " ".join(
        m.text or "" for m in harness.tg.bot_messages(READER_ID)
    )


@pytest.mark.parametrize("slow_part", [False, True])
async def test_full_text_is_one_message_to_the_end(harness: Harness, slow_part: bool) -> None:
    body = "\n\n".join("A sentence of a very long story. " * 100 for _ in range(30))
    [article_id] = add(harness, body=body, url="https://example.org/long")
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article_id}"))
    before = len(harness.tg.bot_messages(READER_ID))
    if slow_part:  # the page's answer is lost: it arrived, and no apology follows it
        harness.tg.fail_next("sendMessage", timeout=True)
    await harness.feed(reader.presses("📄 Full text"))
    [page] = harness.tg.bot_messages(READER_ID)[before:]
    assert [b["text"] for b in page.buttons] == [
        "Page 1 of 30",
        "›",
        "»",
    ]  # a paragraph a page; no cap of six
    await harness.feed(reader.presses("»"))
    assert (harness.tg.bot_messages(READER_ID)[-1].text or "").endswith(
        "A sentence of a very long story.\n\nSource: example.org"
    )
    assert len(harness.tg.bot_messages(READER_ID)) == before + 1


BROWSING = ["/latest", "read:5", "Older »", "/read 2", "📄 Full text", "/search bridge", "/help"]


async def browse(h: Harness, readers: int) -> list[list[tuple[str | None, str | None]]]:
    """Readers go through BROWSING; what each chat shows afterwards (text, photo caption)."""
    add(h, 6, photo=PNG)
    chats = []
    for i in range(readers):
        reader = h.tg.user(9000 + i)
        for step in BROWSING:
            pressed = step[0] != "/"
            await h.feed(reader.presses(step) if pressed else reader.sends(step))
        chats.append([(m.text, m.caption) for m in h.tg.bot_messages(reader.id)])
    return chats


async def test_faults_change_nothing_readers_see(harness: Harness, tmp_path: Path) -> None:
    async for calm in running_harness(tmp_path / "calm.db"):
        expected = await browse(calm, readers=10)
    harness.tg.random_faults(0.1)  # 429 (retry after 1 s), 502, and timeouts Telegram acted on
    assert await browse(harness, readers=10) == expected  # every reply there, none twice
    kinds = {c.status for c in harness.tg.calls if not c.ok}
    assert {429, 502, TIMED_OUT} <= kinds  # every kind of fault did happen
    harness.tg.random_faults(0)
    reader = harness.tg.user(9000)
    await harness.feed(reader.sends("/latest"))  # still answering afterwards
    assert (reader.last.text or "").startswith("Latest news")


async def test_an_id_with_an_invisible_character_is_still_an_id(harness: Harness) -> None:
    [article_id] = add(harness)
    reader = harness.tg.user(READER_ID)
    for text in [f"/read {article_id}\u200b", f"\u2060{article_id}", f"/read {article_id}\u00ad"]:
        await harness.feed(reader.sends(text))
        assert "The city council voted" in (reader.last.text or ""), text


async def test_read_and_full_text_show_a_pasted_headline_once(
    harness: Harness, fixture_article: tuple[str, str]
) -> None:
    headline, body = fixture_article
    [article] = add(harness, title="Haunting photo", body=f"{headline}\n\n\n{body}")
    reader = harness.tg.user(READER_ID)
    await harness.feed(reader.sends(f"/read {article}"))
    assert "Haunting Photo Captures" not in (reader.last.text or "")
    assert "MEXICO CITY, July 25" in (reader.last.text or "")
    before = len(harness.tg.bot_messages(READER_ID))
    await harness.feed(reader.presses("📄 Full text"))
    text = "\n".join(p.text or "" for p in harness.tg.bot_messages(READER_ID)[before:])
    assert text.startswith("Haunting photo")
    assert "Haunting Photo Captures" not in text
