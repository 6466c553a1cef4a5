"""Full text in pages: one message turned in place with « ‹ Page N of M › », to the end of
any article; the real handlers through the real PTB stack, against the stand-in."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from standin import ChatMessage
from standin.chars import utf16_len
from summaries.article_summary import add_article, update_article
from summaries.models import Draft
from tests.helpers.harness import READER_ID, Harness
from tests.helpers.samples import BODY, LAST_SENTENCE, long_article

LINK = "Source: example.org"


def add(h: Harness, body: str, title: str = "The long story") -> int:
    draft = Draft(title=title, body=body, url="https://example.org/long",
                  published_at=datetime(2026, 11, 1, tzinfo=UTC))  # fmt: skip
    return add_article(h.store, draft, now=h.services.clock()).id


def labels(message: ChatMessage) -> list[str]:
    return [b["text"] for b in message.buttons]


def page_count(message: ChatMessage) -> int:
    [label] = [t for t in labels(message) if t.startswith("Page ")]
    found = re.fullmatch(r"Page (\d+) of (\d+)", label)
    assert found is not None
    return int(found[2])


async def open_full_text(h: Harness, article_id: int, chat_id: int = READER_ID) -> ChatMessage:
    """/read the article, press Full text: the one new message it sends."""
    reader = h.tg.user(READER_ID)
    command = (
        f"/read {article_id}" if chat_id == READER_ID else f"/read@newsbot_demo_bot {article_id}"
    )
    await h.feed(reader.sends(command, chat_id=None if chat_id == READER_ID else chat_id))
    before = len(h.tg.bot_messages(chat_id))
    await press(h, h.tg.bot_messages(chat_id)[-1], "📄 Full text")
    [message] = h.tg.bot_messages(chat_id)[before:]
    return message


async def press(h: Harness, message: ChatMessage, label: str) -> ChatMessage:
    """Press the button labelled `label` under `message`; the message as it is afterwards."""
    [data] = [b["callback_data"] for b in message.buttons if b["text"] == label][:1]
    update = h.tg.updates.callback_query(h.tg.user(READER_ID).json, message.json, data)
    h.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
    await h.feed(update)
    found = h.tg.find_message(message.json["chat"]["id"], message.message_id)
    assert found is not None
    return found


def answers(h: Harness) -> list[str | None]:
    return [c.params.get("text") for c in h.tg.successful("answerCallbackQuery")]


def refusals(h: Harness) -> list[str]:
    return [c.response["description"] for c in h.tg.calls if not c.ok]


async def test_a_100000_character_article_reads_to_its_last_sentence(harness: Harness) -> None:
    body = long_article(100_000)
    article_id = add(harness, body)
    message = await open_full_text(harness, article_id)
    sent = len(harness.tg.bot_messages(READER_ID))
    pages = page_count(message)
    assert pages > 6  # past the old cap of six messages
    assert labels(message) == [f"Page 1 of {pages}", "›", "»"]
    texts = [message.text or ""]
    while "›" in labels(message):
        message = await press(harness, message, "›")
        texts.append(message.text or "")
    assert len(texts) == pages
    assert labels(message) == ["«", "‹", f"Page {pages} of {pages}"]
    assert len(harness.tg.bot_messages(READER_ID)) == sent  # every page in the same message
    assert all(0 < utf16_len(text) <= 4096 for text in texts)
    assert texts[0].startswith("The long story\n\n")
    assert texts[-1].endswith(f"{LAST_SENTENCE}\n\n{LINK}")
    shown = " ".join(texts).removeprefix("The long story").removesuffix(LINK)
    assert shown.split() == body.split()  # in order, nothing lost, nothing twice
    assert refusals(harness) == []
    assert answers(harness)[-1] is None  # each press answered quietly

    first = await press(harness, message, "«")
    assert first.text == texts[0]
    last = await press(harness, first, "»")
    assert last.text == texts[-1]
    previous = await press(harness, last, "‹")
    assert previous.text == texts[-2]
    assert labels(previous) == ["«", "‹", f"Page {pages - 1} of {pages}", "›", "»"]
    again = await press(harness, previous, f"Page {pages - 1} of {pages}")  # the page it shows
    assert again.text == texts[-2]
    assert again.edits == previous.edits
    assert refusals(harness) == []  # not even tried: the message shows that page
    assert answers(harness)[-1] == (  # never a silent press: where the reader is
        f"You are on page {pages - 1} of {pages}; ‹ and › turn the pages."
    )
    assert len(harness.tg.bot_messages(READER_ID)) == sent
    assert "Sorry" not in " ".join(m.text or "" for m in harness.tg.bot_messages(READER_ID))


async def test_the_first_and_last_page_labels_say_where_the_reader_is(harness: Harness) -> None:
    message = await open_full_text(harness, add(harness, long_article(20_000, seed=3)))
    pages = page_count(message)
    same = await press(harness, message, f"Page 1 of {pages}")
    assert same.edits == message.edits
    first = f"You are on page 1 of {pages}, the first; › turns to the next one."
    assert answers(harness)[-1] == first
    last = await press(harness, same, "»")
    await press(harness, last, f"Page {pages} of {pages}")
    assert answers(harness)[-1] == f"You are on page {pages} of {pages}, the last; ‹ turns back."
    assert refusals(harness) == []


async def test_pages_turn_in_a_group_too(harness: Harness) -> None:
    group = harness.tg.add_group(-100123)["id"]
    article_id = add(harness, long_article(20_000, seed=2))
    message = await open_full_text(harness, article_id, chat_id=group)
    assert labels(message)[0].startswith("Page 1 of ")
    turned = await press(harness, message, "»")
    assert turned.message_id == message.message_id
    assert (turned.text or "").endswith(f"{LAST_SENTENCE}\n\n{LINK}")
    assert harness.tg.bot_messages(READER_ID) == []  # nothing went to the private chat
    assert refusals(harness) == []


async def test_an_article_of_one_page_has_no_page_buttons(harness: Harness) -> None:
    article_id = add(harness, BODY)
    message = await open_full_text(harness, article_id)
    assert message.buttons == []
    assert message.text == f"The long story\n\n{BODY}\n\n{LINK}"


async def test_a_page_gone_since_the_article_shrank_is_said(harness: Harness) -> None:
    article_id = add(harness, long_article(40_000, seed=4))
    message = await open_full_text(harness, article_id)
    pages = page_count(message)
    message = await press(harness, message, "»")
    shorter = "\n\n".join(["A shorter story now. " * 150] * 2)  # two pages of about 3,000
    update_article(harness.store, article_id, body=shorter, now=harness.services.clock())
    message = await press(harness, message, "‹")  # page pages - 1, which is gone
    assert answers(harness)[-1] == (
        f"The article is shorter now: page {pages - 1} is gone, so this is page 2 of 2."
    )
    assert labels(message) == ["«", "‹", "Page 2 of 2"]
    assert (message.text or "").endswith(f"A shorter story now.\n\n{LINK}")
    message = await press(harness, message, "‹")
    assert (message.text or "").startswith("The long story\n\nA shorter story now.")
    assert refusals(harness) == []


async def test_a_deleted_articles_page_buttons_say_so_and_go(harness: Harness) -> None:
    article_id = add(harness, long_article(20_000, seed=5))
    message = await open_full_text(harness, article_id)
    sent = len(harness.tg.bot_messages(READER_ID))
    harness.store.delete(article_id, now=harness.services.clock())
    message = await press(harness, message, "›")
    assert answers(harness)[-1] == (
        f"Article {article_id} doesn't exist or was removed, so its pages are gone too."
    )
    assert message.buttons == []  # the text stays, the buttons go
    assert (message.text or "").startswith("The long story")
    assert len(harness.tg.bot_messages(READER_ID)) == sent  # no error message
    assert refusals(harness) == []


async def test_forged_page_buttons_do_no_harm(harness: Harness) -> None:
    article_id = add(harness, long_article(20_000, seed=6))
    message = await open_full_text(harness, article_id)
    reader = harness.tg.user(READER_ID)
    huge = "9" * 30
    for data in [f"page:{huge}:1", f"page:{article_id}:0", f"page:{article_id}:{huge}"]:
        update = harness.tg.updates.callback_query(reader.json, message.json, data)
        harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
        await harness.feed(update)
    assert "Sorry" not in " ".join(m.text or "" for m in harness.tg.bot_messages(READER_ID))
    assert all("message is not modified" in reason for reason in refusals(harness))
    assert len(answers(harness)) == 4  # Full text and each forged press: answered once each


async def test_a_page_button_of_a_message_gone_sends_the_page_anew(harness: Harness) -> None:
    article_id = add(harness, long_article(20_000, seed=8))
    message = await open_full_text(harness, article_id)
    await harness.app.bot.delete_message(READER_ID, message.message_id)
    gone = {"chat": message.json["chat"], "message_id": message.message_id, "date": 0}
    reader = harness.tg.user(READER_ID)
    update = harness.tg.updates.callback_query(reader.json, gone, f"page:{article_id}:2")
    harness.tg.open_queries[update["callback_query"]["id"]] = update["callback_query"]
    await harness.feed(update)
    page = harness.tg.bot_messages(READER_ID)[-1]
    assert page.message_id != message.message_id
    assert "›" in labels(page)
    assert labels(page)[2].startswith("Page 2 of ")
    assert refusals(harness) == ["Bad Request: message to edit not found"]
