"""Rendering with hostile articles: every output must pass Telegram's own rules."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from telegram.constants import MessageLimit

from bot import render
from bot.render import digest
from summaries.models import Article

HOSTILE_TITLES = [
    "Rain & <wind> </b> <script>alert(1)</script> &amp; &lt;",
    "x" * 10_000,
    "مرحبا بالعالم — שלום עולם \u202ereversed\u202c",
    "🇺🇦🎉" * 2_000,
    "A" + "\u0301" * 3000,
    "",
]


def article(title: str = "Title", **fields: object) -> Article:
    values: dict[str, object] = {
        "id": 12, "title": title, "body": "Body.", "language": "english",
        "url": "https://www.example.org/a?x=1&y=<2>", "has_photo": True, "photo_url": None,
        "photo_file_id": None, "photo_caption": "Caption & <stuff>", "photo_credit": "AP & Co",
        "published_at": datetime(2026, 11, 25, 7, 5, tzinfo=UTC), "created_by": None,
        "updated_at": datetime(2026, 11, 25, 7, 5, tzinfo=UTC),
    }  # fmt: skip
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def visible(fragment: str) -> str:
    """What Telegram shows: tags removed, entities decoded."""
    assert re.sub(r"</?(b|i|a)( href=\"[^\"<>]*\")?>", "", fragment).count("<") == 0
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_caption_fits_and_escapes(title: str) -> None:
    caption = render.photo_caption(
        article(title, photo_caption="c" * 5000, photo_credit="p" * 900)
    )
    assert render.tg_len(visible(caption)) <= MessageLimit.CAPTION_LENGTH
    assert "<script>" not in caption


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_summary_fits_and_escapes(title: str) -> None:
    summary = ["First <b>sentence</b> & more."] + ["Long sentence " * 50 + "."] * 20
    text = render.summary_text(article(title), summary, ZoneInfo("UTC"), with_title=True)
    assert 1 <= render.tg_len(visible(text)) <= MessageLimit.MAX_TEXT_LENGTH
    assert "&lt;b&gt;sentence&lt;/b&gt; &amp; more." in text
    assert 'href="https://www.example.org/a?x=1&amp;y=&lt;2&gt;"' in text


def test_summary_keeps_whole_sentences() -> None:
    sentences = [f"Sentence number {i} is here." for i in range(500)]
    text = render.summary_text(article(), sentences, ZoneInfo("UTC"), with_title=False)
    body = visible(text).split("\n\n")[1]
    assert body.endswith(".")
    assert body.split(" Sentence")[-1].endswith("is here.")


def test_date_is_in_the_configured_zone() -> None:
    text = render.summary_text(article(), ["One."], ZoneInfo("Europe/Berlin"), with_title=False)
    assert "25 Nov 2026, 08:05" in text


def test_clip_counts_utf16_units() -> None:
    clipped = render.clip("😀" * 100, 11)
    assert render.tg_len(clipped) <= 11
    assert clipped.endswith("…")
    assert render.clip("short", 10) == "short"


def test_chunks_break_at_sentences_and_stay_within_limit() -> None:
    sentences = [f"This is sentence {i} of the long article." for i in range(400)]
    parts = render.chunks([sentences[:200], sentences[200:]])
    assert len(parts) > 1
    assert all(render.tg_len(part) <= MessageLimit.MAX_TEXT_LENGTH for part in parts)
    assert all(part.endswith("article.") for part in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(sentences)


def test_chunks_cut_a_giant_word() -> None:
    parts = render.chunks([["x" * 10_000, "Tail."]])
    assert all(0 < render.tg_len(part) <= MessageLimit.MAX_TEXT_LENGTH for part in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "").startswith("x" * 10_000)


def test_callback_data_is_checked() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        render.button("x", "é" * 33)
    assert render.button("x", "read:" + "9" * 59).callback_data == "read:" + "9" * 59


def test_list_keyboard_pages_and_ids_in_labels() -> None:
    items = [article(f"Story {i}", id=i) for i in range(1, render.PAGE_SIZE + 1)]
    offset = render.PAGE_SIZE
    markup = render.list_keyboard(items, page_data="latest", offset=offset, has_more=True)
    rows = markup.inline_keyboard
    assert rows[0][0].text == "1 · Story 1"
    assert rows[0][0].callback_data == "read:1"
    assert [b.callback_data for b in rows[-1]] == ["latest:0", f"latest:{2 * offset}"]


def test_a_digest_numbers_stories_by_their_ids_as_latest_does() -> None:
    items = [(article("Newer", id=7), ["One."]), (article("Older", id=4), ["Two."])]
    [(text, markup)] = digest.digest_messages(items, ZoneInfo("UTC"), datetime.now(UTC))
    assert "7 · Newer" in visible(text)
    assert "4 · Older" in visible(text)
    assert markup is not None
    assert [b.text for row in markup.inline_keyboard for b in row] == ["7 · Newer", "4 · Older"]
