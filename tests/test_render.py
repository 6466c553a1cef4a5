"""Rendering with hostile articles: every output must pass Telegram's own rules."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from telegram.constants import MessageLimit

from bot import render
from bot.render import digest, pages
from bot.render.keyboards import pages_keyboard
from standin.html import parse_html
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


def page_texts(item: Article) -> list[str]:
    first = pages.full_text_page(item, 1)
    return [pages.full_text_page(item, n).text for n in range(1, first.count + 1)]


def test_full_text_pages_are_valid_html_within_the_limit_at_every_cut() -> None:
    body = "\n\n".join(["a<b & c>d &amp; <i>x</i> " * 400] * 3)  # specials on every side
    item = article("Rain & <wind>", body=body)
    texts = page_texts(item)
    assert len(texts) > 2
    for text in texts:
        plain, _ = parse_html(text)  # the stand-in's parser: raises on a broken tag or entity
        assert 0 < render.tg_len(plain.strip()) <= MessageLimit.MAX_TEXT_LENGTH
    assert texts[0].startswith("<b>Rain &amp; &lt;wind&gt;</b>\n\n")
    assert texts[-1].endswith('">Source: example.org</a>')
    shown = " ".join(visible(text) for text in texts)
    body_shown = shown.removeprefix("Rain & <wind>").removesuffix("Source: example.org")
    assert body_shown.split() == body.split()


def test_page_keyboard_shows_only_the_buttons_that_lead_somewhere() -> None:
    def labels(page: int, count: int) -> list[str]:
        markup = pages_keyboard(2**62, page, count)
        assert markup is not None
        [row] = markup.inline_keyboard
        assert all(len(str(b.callback_data).encode()) <= 64 for b in row)
        return [b.text for b in row]

    assert labels(1, 9) == ["Page 1 of 9", "›", "»"]
    assert labels(2, 9) == ["«", "‹", "Page 2 of 9", "›", "»"]
    assert labels(9, 9) == ["«", "‹", "Page 9 of 9"]
    assert pages_keyboard(5, 1, 1) is None
    markup = pages_keyboard(5, 2, 3)
    assert markup is not None
    data = [b.callback_data for b in markup.inline_keyboard[0]]
    assert data == ["page:5:1", "page:5:1", "page:5:2", "page:5:3", "page:5:3"]


def test_a_short_article_is_one_page_without_buttons() -> None:
    page = pages.full_text_page(article("Short", body="One. Two."), 3)
    assert (page.number, page.count, page.markup) == (1, 1, None)
    assert visible(page.text) == "Short\n\nOne. Two.\n\nSource: example.org"
